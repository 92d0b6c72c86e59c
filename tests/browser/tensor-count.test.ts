/**
 * Requirement 5: the status shows the worker's live tensor count, and attacks do not leak:
 * after 5 attacks (each with its ε sweep) the count settles back to its value before them.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, parseCount, parsePrediction } from './helpers';

const app = new App('tensor-count');
beforeAll(async () => {
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

test(
  'the tensor count returns to its baseline after 5 attacks',
  app.run('tensors', async () => {
    const shown = await app.text('status-tensors');
    expect(parseCount(shown), `status-tensors: ${shown}`).toBeGreaterThan(0);
    const before = await app.settledTensorCount();

    const runs = [
      { method: 'fgsm', norm: 'linf', epsilon: 0.1 },
      { method: 'bim', norm: 'linf', epsilon: 0.2, steps: 5 },
      { method: 'pgd', norm: 'linf', epsilon: 0.3, steps: 5, restarts: 2 },
      { method: 'pgd', norm: 'l2', epsilon: 2, steps: 5, restarts: 1, target: 'least-likely' },
      { method: 'fgsm', norm: 'l2', epsilon: 1.5, target: '3' },
    ] as const;
    const counts: number[] = [];
    for (const run of runs) {
      await app.configureAttack({ target: 'untargeted', ...run });
      parsePrediction(await app.attack(), 'Adversarial');
      counts.push(parseCount(await app.text('status-tensors')));
    }
    const after = await app.settledTensorCount();
    await app.screenshot('after-5-attacks');
    expect(after, `tensors before ${before}, after each attack ${counts.join(', ')}, settled after ${after}`).toBe(
      before,
    );
  }),
);
