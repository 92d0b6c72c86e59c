/**
 * The analysis view's refinement control on the shipped MNIST JEM (Grathwohl et al. 2020, §5.3): the Yan et al.
 * protocol run with no refinement, with 1 SGLD step before classifying (EOT over 4 draws, the attack differentiating
 * through the step — Athalye et al. 2018, §4) and with 10 steps. The page's figures are compared with the command
 * line's on the same images and settings, run beside the page: `eval --model public/models/mnist-jem --data mnist
 * --limit 20 --attack pgd --eps 0.2 --steps 10 --alpha 0.04 --seed 1 [--refine-steps 1 --eot 4 | --refine-steps 10
 * --eot 1]` (the protocol's PGD at ε 0.2, seed 1). Both run on wasm. Without refinement both are deterministic (PGD's
 * random start is seeded), so they agree to an image; with it the SGLD noise is drawn in a different order (the page's
 * sweep also runs the noise and FGSM columns through the refined model first), so they agree within sampling noise.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { modelDisplayName } from '../../src/state/shippedModels';
import { evalCommand } from '../../src/cli/commands/eval';
import { jsonOf } from '../unit/helpers/cliInProcess';
import { argv } from '../unit/helpers/cliProcess';
import { percentIn, tableRow } from './analysisPage';
import { App, panelShot, runAndWait } from './helpers';

const JEM = modelDisplayName('/models/mnist-jem/model.json');
/** The first 20 test images: the page's and the CLI's. */
const IMAGES = 20;
/** `eval`'s flags for the CLI's figures with the page's PGD (Yan et al.: 10 steps of 0.04 at ε 0.2, seed 1). */
const CLI_PGD = `--model public/models/mnist-jem --data mnist --limit ${IMAGES} --attack pgd --eps 0.2 --steps 10`;

const app = new App('jem-refinement');
let cliPlain: Promise<Record<string, number>>;
let cliRefined: Promise<Record<string, number>>;
let cliTenSteps: Promise<Record<string, number>>;
beforeAll(async () => {
  // The command line runs while Chromium starts (one after the other: the machine has two cores), in this process
  // (helpers/cliInProcess.ts: the command's own function, its one JSON object read from stdout) rather than in three
  // child processes that would each start tsx and tfjs again.
  const run = (extra: string) => jsonOf(evalCommand, argv(CLI_PGD, '--alpha 0.04 --seed 1', extra));
  cliPlain = run('');
  cliRefined = cliPlain.then(() => run('--refine-steps 1 --eot 4'));
  cliTenSteps = cliRefined.then(() => run('--refine-steps 10 --eot 1'));
  cliTenSteps.catch(() => undefined);
  await app.start();
  await app.open('wasm');
});
afterAll(() => app.stop());

/** One image of 20, plus the page's rounding to 0.1 %. */
const ONE_IMAGE = 1 / IMAGES + 0.0005;
/**
 * Two EOT estimates of the same robust accuracy (independent SGLD noise, the same images and attack) differ by about
 * √(2·p(1−p)/n) ≤ 0.07 at p ≈ 0.08 on 20 images where every image flipped independently; 3 images is over 2 of those.
 */
const EOT_NOISE = 3 / IMAGES + 0.0005;

async function runYan(ready: (caption: string) => boolean, what: string): Promise<Record<string, string>> {
  await runAndWait(
    app,
    'Run the Yan et al. protocol',
    async () =>
      (await app.testId('sanity-checks').count()) > 0 &&
      ready((await app.testId('robustness-table').locator('caption').textContent()) ?? ''),
    what,
    240_000,
  );
  return tableRow(app, 'robustness-table', JEM);
}

test(
  'refinement: 0 and 1 SGLD steps on the JEM, the Yan protocol read from the page beside the CLI',
  app.run('refinement', async () => {
    const page = app.page;
    await page.getByRole('link', { name: 'Analysis' }).click();
    await app.untickModels('mnist-cnn', 'mnist-odenet', 'mnist-tisode');
    await page.getByLabel(JEM, { exact: true }).check();
    await app.setNumber('Test images', IMAGES);
    await app.setNumber('Seeds', 1);
    await app.select('SGLD refinement steps', '0');
    // The EOT draws ask nothing without refinement.
    expect(await page.getByLabel('EOT draws', { exact: true }).count()).toBe(0);

    const plain = await runYan((c) => /\(20 images/.test(c) && !/refined/.test(c), 'the plain protocol');
    const cli0 = await cliPlain;
    expect(percentIn(plain.clean), `clean: page ${plain.clean}, CLI ${cli0.cleanAccuracy}`).toBeCloseTo(
      cli0.cleanAccuracy,
      1,
    );
    expect(Math.abs(percentIn(plain.clean) - cli0.cleanAccuracy)).toBeLessThanOrEqual(ONE_IMAGE);
    const pgd0 = percentIn(plain['pgd ε 0.2']);
    expect(Math.abs(pgd0 - cli0.robustAccuracy), `PGD ε 0.2: page ${pgd0}, CLI ${cli0.robustAccuracy}`).toBeLessThan(
      ONE_IMAGE,
    );

    await app.select('SGLD refinement steps', '1');
    await app.setNumber('EOT draws', 4);
    const refined = await runYan(
      (c) => /refined by 1 SGLD step, EOT over 4 draws/.test(c),
      'the protocol with 1 refinement step',
    );
    await app.screenshot('refined');
    const cli1 = await cliRefined;
    const pgd1 = percentIn(refined['pgd ε 0.2']);
    // The defence does not lower robust accuracy under the same PGD, and the page agrees with the CLI within noise.
    expect(pgd1, `PGD ε 0.2 with 1 step ${pgd1} against ${pgd0} without`).toBeGreaterThanOrEqual(pgd0);
    expect(Math.abs(pgd1 - cli1.robustAccuracy), `page ${pgd1}, CLI ${cli1.robustAccuracy}`).toBeLessThanOrEqual(
      EOT_NOISE,
    );
    expect(Math.abs(percentIn(refined.clean) - cli1.cleanAccuracy)).toBeLessThanOrEqual(EOT_NOISE);

    // 10 steps (one draw, to keep the test short): the chains walk far enough to change what the JEM sees — on these
    // images, as in the CLI, clean accuracy falls well below the plain classifier's (48 % on 100 images with 4 draws).
    await app.select('SGLD refinement steps', '10');
    await app.setNumber('EOT draws', 1);
    const ten = await runYan(
      (c) => /refined by 10 SGLD steps, EOT over 1 draw\b/.test(c),
      'the protocol with 10 refinement steps',
    );
    await panelShot(app, 'robustness-heading', 'jem-refinement-10');
    const cli10 = await cliTenSteps;
    const clean0 = percentIn(plain.clean);
    expect(percentIn(ten.clean), `clean with 10 steps ${ten.clean} against ${plain.clean}`).toBeLessThan(clean0 - 0.2);
    expect(cli10.cleanAccuracy, `the CLI's clean accuracy with 10 steps`).toBeLessThan(cli0.cleanAccuracy - 0.2);
    expect(percentIn(ten['pgd ε 0.2'])).toBeGreaterThanOrEqual(pgd0);
    await page.setViewportSize({ width: 390, height: 844 });
    await panelShot(app, 'robustness-heading', 'jem-refinement-phone');
    // On a phone the results table scrolls inside its panel: the page itself never scrolls sideways.
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0], `page ${widths[0]} px wide in a ${widths[1]} px window`).toBeLessThanOrEqual(widths[1]);
    console.log(
      JSON.stringify({ page: { plain, refined, ten }, cli: { plain: cli0, refined: cli1, ten: cli10 } }, (k, v) =>
        k === 'attack' || k === 'refinement' ? undefined : v,
      ),
    );
  }),
  420_000,
);
