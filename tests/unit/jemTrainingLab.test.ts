/**
 * The training lab's worker side (src/worker/trainingLab.ts) when a JEM run diverges by JEM's own rule (Grathwohl
 * et al. 2020, §6: the energies of data and samples run apart). The trainer ends such a run as "finished" with its
 * last good weights restored and the reason in its summary; the lab must say so at once (a 'diverged' live event)
 * and mark the run diverged, while the standard CNN beside it trains to the end. A learning rate of 1 (Adam) makes
 * the JEM's energy gap leave ±1,000 within a few batches on the first 640 MNIST images (the CLI's
 * `train --arch strided-cnn --data mnist --limit 640 --epochs 1 --seed 1 --lr 1 --jem on --sgld-steps 5
 * --sgld-step 8 --energy-reg 0.1 --class-conditional on --buffer 1000` stops at batch 2 with a gap of 2,500).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { CLASSROOM_JEM } from '../../src/state/teaching/presets';
import type { TrainingLiveEvent, TrainingSpec } from '../../src/worker/api';
import { TrainingLab } from '../../src/worker/trainingLab';
import { loadMnist } from '../../src/cli/nodeFiles';
import { mnistTest, useWasm } from './helpers/env';

const SPEC: TrainingSpec = {
  dataset: 'mnist',
  epochs: 1,
  seed: 1,
  trainExamples: 640,
  heldOutExamples: 64,
  schedule: 'interleaved',
  reportEvery: 5,
  runs: [
    { id: 'A', label: 'Standard CNN', arch: 'strided-cnn', build: {} },
    { id: 'B', label: 'JEM', arch: 'strided-cnn', build: {}, defense: CLASSROOM_JEM, recipe: { learningRate: 1 } },
  ],
};

describe('training lab: a JEM run that diverges', () => {
  beforeAll(useWasm);

  test('is reported at once and marked diverged; the standard run trains on to the end', async () => {
    const [train, test] = await Promise.all([loadMnist('train'), mnistTest()]);
    const lab = new TrainingLab();
    lab.setUp(SPEC, train, test);
    const live: TrainingLiveEvent[] = [];
    const reportsAfterDivergence: string[] = [];
    const outcome = await lab.run(
      (e) => {
        if (live.some((l) => l.kind === 'diverged' && l.runId === e.runId)) reportsAfterDivergence.push(e.runId);
      },
      () => undefined,
      () => false,
      (e) => live.push(e),
    );
    const diverged = live.filter((e) => e.kind === 'diverged');
    expect(diverged).toHaveLength(1);
    expect(diverged[0]).toMatchObject({ runId: 'B', label: 'JEM' });
    expect(diverged[0].kind === 'diverged' && diverged[0].message).toMatch(/energy gap E\(data\) − E\(samples\)/);
    expect(reportsAfterDivergence).toEqual([]);

    const [a, b] = outcome.runs;
    expect(a.state).toBe('finished');
    expect(a.summary.samples).toBe(640);
    expect(b.state).toBe('diverged');
    expect(b.message).toMatch(/limit ±1000/);
    // Stopped at once: the diverging batch is not counted, and no batch ran after it.
    expect(b.summary.samples).toBeLessThan(640);
    expect(b.summary.divergence?.reason).toBe(b.message);
    lab.dispose();
  }, 300_000);
});
