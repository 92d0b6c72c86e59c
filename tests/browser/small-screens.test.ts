/**
 * Small screens (a phone at 390×844, a tablet at 768×1024): no view scrolls sideways, the charts fit their panels
 * and the drawing pad fits the screen; on the phone the picture, its prediction and the Attack button are on the first
 * screen, the status line is one line (its details on a tap), the picture's certificate fits and no select cuts its
 * text; "Copy link" never moves the layout; the Attack button covers none of the attack's labels, wherever the page
 * is scrolled; the training lab still fits once a run has finished (its results table was 744 px wide), and the
 * analysis view once a measurement has filled a table (684 px). Each viewport gets its own fresh browser context.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LAB_VIEWS } from '../../src/ui/useLabView';
import { App } from './helpers';

/**
 * An FGSM attack and its ε sweep take a second here, but minutes on a machine busy with training runs (seen: over
 * 120 s, the default); the layout, not the speed, is under test.
 */
const LOADED_MACHINE_ATTACK_MS = 300_000;

/**
 * Visible selects whose chosen text does not fit: each is measured against a copy of itself sized to its content
 * (width: auto fits the text, the padding and the arrow), so the test needs no guess of the arrow's width.
 */
async function cutSelects(app: App): Promise<string[]> {
  return app.page.evaluate(() => {
    const cut: string[] = [];
    for (const select of Array.from(document.querySelectorAll('select'))) {
      if (select.getBoundingClientRect().width === 0) continue;
      const copy = select.cloneNode(false) as HTMLSelectElement;
      const option = document.createElement('option');
      option.textContent = select.selectedOptions[0]?.textContent ?? '';
      copy.append(option);
      copy.style.cssText = 'position:absolute;visibility:hidden;width:auto;min-width:0;max-width:none;';
      select.parentElement!.append(copy);
      const needed = copy.getBoundingClientRect().width;
      copy.remove();
      const has = select.getBoundingClientRect().width;
      if (needed > has + 0.5) {
        cut.push(`${select.getAttribute('aria-label')}: "${option.textContent}" needs ${needed} px, has ${has}`);
      }
    }
    return cut;
  });
}

/** The header's height and where the first lab starts: what "Copy link" must not change. */
async function layoutTops(app: App): Promise<{ header: number; main: number }> {
  return app.page.evaluate(() => ({
    header: document.querySelector('header')!.getBoundingClientRect().height,
    main: document.querySelector('main')!.getBoundingClientRect().top + window.scrollY,
  }));
}

/** Elements that stick out past the right edge of the window (to name the culprit when the page overflows). */
async function overflowing(app: App): Promise<string[]> {
  return app.page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.right <= window.innerWidth + 0.5) continue;
      const parent = el.parentElement?.getBoundingClientRect();
      if (parent && parent.right > window.innerWidth + 0.5) continue; // report the outermost one only
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${el.className}` : ''}`;
      found.push(`${name} (right edge ${Math.round(box.right)})`);
    }
    return found.slice(0, 10);
  });
}

for (const viewport of [
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
]) {
  describe(`at ${viewport.width}×${viewport.height}`, () => {
    const app = new App(`small-screens-${viewport.width}`);
    beforeAll(async () => {
      await app.start({ context: { viewport, hasTouch: true } });
      await app.open();
    });
    afterAll(() => app.stop());

    test(
      'no view scrolls sideways',
      app.run(`overflow-${viewport.width}`, async () => {
        for (const view of LAB_VIEWS) {
          await app.page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: view.title }).click();
          await app.page.locator(`main#${view.id}`).waitFor({ state: 'visible' });
          const measure = () =>
            app.page.evaluate(() => ({
              scrollWidth: document.documentElement.scrollWidth,
              innerWidth: window.innerWidth,
            }));
          // Layout settles within a few frames (charts measure their container after one); allow a busy machine time.
          await app
            .until(
              async () => {
                const m = await measure();
                return m.scrollWidth <= m.innerWidth;
              },
              'the page to fit',
              5_000,
            )
            .catch(() => undefined);
          const { scrollWidth, innerWidth } = await measure();
          const culprits = scrollWidth > innerWidth ? await overflowing(app) : [];
          expect(
            scrollWidth,
            `${view.title}: page ${scrollWidth} px wide; sticking out: ${culprits.join(', ')}`,
          ).toBeLessThanOrEqual(innerWidth);
          expect(await cutSelects(app), `${view.title}: selects whose text is cut`).toEqual([]);
          await app.screenshot(`${view.id}`);
        }
      }),
    );

    test(
      '"Copy link" shows the link without moving the layout',
      app.run(`copy-link-${viewport.width}`, async () => {
        await app.page.evaluate(() => window.scrollTo(0, 0));
        const before = await layoutTops(app);
        await app.page.getByRole('button', { name: 'Copy link' }).click();
        await app.page.getByLabel('Link to this setup').waitFor({ state: 'visible', timeout: 5_000 });
        expect(await app.page.getByLabel('Link to this setup').inputValue()).toMatch(/^http/);
        expect(await layoutTops(app), 'the header and the lab did not move').toEqual(before);
        const width = await app.page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, 'the link does not widen the page').toBeLessThanOrEqual(viewport.width);
        await app.screenshot('copy-link');
        await app.page.getByRole('button', { name: 'Hide the link' }).click();
        expect(await layoutTops(app)).toEqual(before);
      }),
    );

    test(
      "the drawing pad and an attack's results and chart fit the screen",
      app.run(`pad-${viewport.width}`, async () => {
        await app.page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'Attack lab' }).click();
        await app.page.getByRole('button', { name: 'Draw a digit' }).click();
        const pad = await app.testId('drawing-pad').boundingBox();
        expect(pad, 'the drawing pad is on screen').not.toBeNull();
        expect(pad!.x).toBeGreaterThanOrEqual(0);
        expect(pad!.x + pad!.width).toBeLessThanOrEqual(viewport.width);
        expect(pad!.width, 'a pad big enough for a finger').toBeGreaterThanOrEqual(200);
        expect(pad!.height).toBeCloseTo(pad!.width, 0);
        // An attack's results: the images, the ε scrubber and the probability chart, sized to the screen.
        await app.configureAttack({ method: 'fgsm', norm: 'linf', target: 'untargeted', epsilon: 0.3 });
        await app.attack(LOADED_MACHINE_ATTACK_MS);
        // A chart may take its size a frame after the results: poll until every one has it (a busy machine is slow).
        const chartProblem = () =>
          app.page.evaluate((screenWidth) => {
            const charts = Array.from(
              document.querySelectorAll('main#attack-lab [data-testid=probability-chart] svg'),
            ).filter((svg) => svg.getBoundingClientRect().height > 0);
            if (charts.length === 0) return 'no chart drawn yet';
            for (const svg of charts) {
              const box = svg.getBoundingClientRect();
              if (box.right > screenWidth) return `a chart reaches x = ${Math.round(box.right)}`;
              if (box.width <= screenWidth / 2) return `a chart only ${Math.round(box.width)} px wide`;
            }
            return null;
          }, viewport.width);
        let problem: string | null = 'not checked';
        await app
          .until(
            async () => {
              problem = await chartProblem();
              return problem === null;
            },
            'the charts to fit the screen',
            30_000,
          )
          .catch(() => undefined);
        expect(problem, 'the probability chart fills the width of the screen, no more').toBeNull();
        const width = await app.page.evaluate(() => document.documentElement.scrollWidth);
        const culprits = width > viewport.width ? await overflowing(app) : [];
        expect(width, `after the attack, sticking out: ${culprits.join(', ')}`).toBeLessThanOrEqual(viewport.width);
      }),
      LOADED_MACHINE_ATTACK_MS + 120_000,
    );
  });
}

describe('a phone at 390×844: the first screen', () => {
  const viewport = { width: 390, height: 844 };
  const app = new App('small-screens-first-screen');
  beforeAll(async () => {
    await app.start({ context: { viewport, hasTouch: true } });
    await app.open();
  });
  afterAll(() => app.stop());

  test(
    'the picture, its prediction and the Attack button are on it; the status line is one line; no select is cut',
    app.run('first-screen', async () => {
      await app.page.evaluate(() => window.scrollTo(0, 0));
      await app.waitForText('clean-prediction', (t) => /Prediction:\s*\d/.test(t), 'a prediction');
      for (const [what, locator] of [
        ['the picture', app.testId('model-input')],
        ['the prediction', app.testId('clean-prediction')],
        ['the Attack button', app.attackButton()],
      ] as const) {
        const box = await locator.boundingBox();
        expect(box, `${what} is shown`).not.toBeNull();
        expect(box!.y, `${what} starts on the first screen`).toBeGreaterThanOrEqual(0);
        expect(box!.y + box!.height, `${what} ends on the first screen`).toBeLessThanOrEqual(viewport.height);
      }

      // One line: the bar's content is no taller than one line of its text.
      const bar = app.testId('status-bar');
      const oneLine = () =>
        bar.evaluate((el) => {
          const style = getComputedStyle(el);
          const content =
            el.clientHeight - Number.parseFloat(style.paddingTop) - Number.parseFloat(style.paddingBottom);
          return { content, line: Number.parseFloat(style.lineHeight) };
        });
      const closed = await oneLine();
      expect(closed.content, 'the status line is one line high').toBeLessThan(1.5 * closed.line);
      expect(await app.testId('status-testset').isVisible(), 'the test set is a detail on a phone').toBe(false);
      await app.page.getByRole('button', { name: 'Details', exact: true }).tap();
      await app.testId('status-testset').waitFor({ state: 'visible', timeout: 5_000 });
      expect((await oneLine()).content, 'the details unfold below').toBeGreaterThan(2 * closed.line);
      await app.screenshot('status-details');
      await app.page.getByRole('button', { name: 'Less', exact: true }).tap();
      expect((await oneLine()).content).toBeLessThan(1.5 * closed.line);

      expect(await cutSelects(app), 'selects whose text is cut').toEqual([]);
      await app.screenshot('first-screen');
    }),
  );

  test(
    'the Attack button covers none of the attack’s labels, wherever the page is scrolled',
    app.run('attack-labels', async () => {
      await app.page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'Attack lab' }).click();
      const labels = app.page.locator('main#attack-lab form.attack-controls .field label');
      const names = await labels.allTextContents();
      expect(names, 'the attack’s settings have their labels').toEqual(expect.arrayContaining(['Target', 'Seed']));
      for (let i = 0; i < names.length; i++) {
        // Each label at the foot of the screen, where a bar stuck to the bottom would sit, and then mid-screen.
        for (const at of ['bottom', 'middle'] as const) {
          await labels.nth(i).evaluate((el, where) => {
            const box = el.getBoundingClientRect();
            const goal = where === 'bottom' ? window.innerHeight - box.height - 2 : window.innerHeight / 2;
            window.scrollBy(0, box.top - goal);
          }, at);
          const label = await labels.nth(i).boundingBox();
          const button = await app.attackButton().boundingBox();
          const overlap =
            label !== null &&
            button !== null &&
            label.x < button.x + button.width &&
            button.x < label.x + label.width &&
            label.y < button.y + button.height &&
            button.y < label.y + label.height;
          expect(overlap, `"${names[i]}" at the ${at} of the screen under the Attack button`).toBe(false);
        }
      }
      await app.page.evaluate(() => window.scrollTo(0, 0));
    }),
  );

  test(
    'the training lab fits the screen once a run has finished',
    app.run('training-finished', async () => {
      await app.page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'Training lab' }).click();
      await app.select('Preset', 'odenet-vs-cnn');
      await app.setNumber('Training images', 256);
      await app.setNumber('Held-out images', 100);
      await app.page.getByRole('button', { name: 'Train', exact: true }).click();
      await app.waitForText(
        'run-results',
        (t) => (t.match(/finished/g) ?? []).length === 2,
        'both runs to finish',
        LOADED_MACHINE_ATTACK_MS,
      );
      const width = await app.page.evaluate(() => document.documentElement.scrollWidth);
      const culprits = width > viewport.width ? await overflowing(app) : [];
      expect(width, `after training, sticking out: ${culprits.join(', ')}`).toBeLessThanOrEqual(viewport.width);
      await app.testId('run-results').scrollIntoViewIfNeeded();
      await app.screenshot('training-finished');
      await app.page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'Attack lab' }).click();
    }),
    LOADED_MACHINE_ATTACK_MS + 60_000,
  );

  test(
    'the analysis view fits the screen once a measurement has filled its table',
    app.run('analysis-measured', async () => {
      await app.page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'Analysis' }).click();
      // The margins table is the widest (eleven columns); a small measurement fills it.
      await app.setNumber('Margin images', 50);
      await app.setNumber('DeepFool images', 5);
      await app.page.getByLabel('PGD L∞ distance (bisection on ε)').uncheck();
      await app.page.getByRole('button', { name: 'Measure margins', exact: true }).click();
      await app.testId('margins-table').waitFor({ state: 'visible', timeout: LOADED_MACHINE_ATTACK_MS });
      const width = await app.page.evaluate(() => document.documentElement.scrollWidth);
      const culprits = width > viewport.width ? await overflowing(app) : [];
      expect(width, `after measuring, sticking out: ${culprits.join(', ')}`).toBeLessThanOrEqual(viewport.width);
      await app.testId('margins-table').scrollIntoViewIfNeeded();
      await app.screenshot('analysis-measured');
      await app.page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'Attack lab' }).click();
    }),
    LOADED_MACHINE_ATTACK_MS + 60_000,
  );

  test(
    'after "Certify this image" nothing sticks out, the certificate included',
    app.run('certify-picture', async () => {
      await app.page.getByRole('button', { name: 'Certify this image' }).click();
      await app.testId('picture-certificate').waitFor({ state: 'visible', timeout: LOADED_MACHINE_ATTACK_MS });
      const width = await app.page.evaluate(() => document.documentElement.scrollWidth);
      const culprits = width > viewport.width ? await overflowing(app) : [];
      expect(width, `after certifying, sticking out: ${culprits.join(', ')}`).toBeLessThanOrEqual(viewport.width);
      const ruler = await app.page.getByRole('img', { name: 'Certified radii and attack on ε' }).boundingBox();
      expect(ruler!.x + ruler!.width, 'the ruler fits').toBeLessThanOrEqual(viewport.width);
      await app.testId('picture-certificate').screenshot({ path: 'test-results/small-screens-certificate.png' });
    }),
    LOADED_MACHINE_ATTACK_MS + 60_000,
  );
});
