/**
 * The training lab's depth preset (Xie & Yuille 2020, §5): its three runs are the residual CNN at one fixed width with
 * 1, 2 and 4 residual blocks — counted in the built networks' add layers — each with batch norm and PGD adversarial
 * training, so the comparison varies depth and nothing else.
 */
import { expect, test } from 'vitest';
import { buildModel } from '../../src/core/models/registry';
import { TRAINING_PRESETS } from '../../src/state/teaching/presets';

test('the depth preset builds residual CNNs of 1, 2 and 4 blocks at one width, all adversarially trained', () => {
  const preset = TRAINING_PRESETS.find((p) => p.id === 'adversarial-depth');
  expect(preset).toBeDefined();
  const runs = preset!.spec.runs;
  const blocks = runs.map((r) => {
    const { model } = buildModel(r.arch, { seed: 1, ...r.build });
    const adds = model.layers.filter((l) => /^res_block_\d+_add$/.test(l.name)).length;
    const convWidths = new Set(
      model.layers
        .filter((l) => l.getClassName() === 'Conv2D')
        .map((l) => (l.getConfig() as { filters: number }).filters),
    );
    model.dispose();
    expect(convWidths.size, `${r.label}: one width`).toBe(1);
    return adds;
  });
  expect(blocks).toEqual([1, 2, 4]);
  expect(new Set(runs.map((r) => r.build.width)).size).toBe(1);
  for (const r of runs) {
    expect(r.build.norm?.norm).toBe('batch');
    expect(r.defense?.kind).toBe('adversarial');
  }
  expect(new Set(runs.map((r) => JSON.stringify(r.defense))).size).toBe(1);
});
