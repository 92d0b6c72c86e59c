/**
 * Small screens (a phone at 390×844, a tablet at 768×1024): no view scrolls sideways, the charts fit their panels
 * and the drawing pad fits the screen. Each viewport gets its own fresh browser context.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LAB_VIEWS } from '../../src/ui/useLabView';
import { App } from './helpers';

/**
 * An FGSM attack and its ε sweep take a second here, but minutes on a machine busy with training runs (seen: over
 * 120 s, the default); the layout, not the speed, is under test.
 */
const LOADED_MACHINE_ATTACK_MS = 300_000;

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
          await app.screenshot(`${view.id}`);
        }
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
