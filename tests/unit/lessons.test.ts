/**
 * The lessons (src/state/teaching/lessons): at least six plus the defense lessons, every step's setup names things that
 * exist (shipped models on disk, training presets, views), and the completion checks say yes and no where they should.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/state/attackSettings';
import { LESSONS, lessonById } from '../../src/state/teaching/lessons';
import type { AppSnapshot } from '../../src/state/teaching/lessons/types';
import { TRAINING_PRESETS } from '../../src/state/teaching/presets';
import { shippedModelUrl, VIEW_IDS } from '../../src/state/urlState';

const ROOT = join(__dirname, '..', '..');

const snapshot = (patch: Partial<AppSnapshot> = {}): AppSnapshot => ({
  view: 'attack-lab',
  dataset: 'mnist',
  modelId: 'mnist-cnn',
  image: { index: 0, trueLabel: 7, predicted: 7 },
  attack: DEFAULT_SETTINGS,
  outcome: null,
  scrubbedEps: null,
  presetId: 'odenet-vs-cnn',
  trainingPhase: 'idle',
  analysis: {
    robustness: false,
    calibration: false,
    energy: false,
    margins: false,
    stability: false,
    certify: false,
    smoothing: false,
  },
  pictureCertified: false,
  presenter: false,
  ...patch,
});

const outcome = (patch: Partial<NonNullable<AppSnapshot['outcome']>>): AppSnapshot['outcome'] => ({
  method: 'pgd',
  norm: 'linf',
  eps: 0.3,
  success: true,
  label: 3,
  target: null,
  linf: 0.3,
  l2: 4,
  ...patch,
});

describe('the lessons as data', () => {
  test('eight lessons with distinct ids, each with steps that have text', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const lesson of LESSONS) {
      expect(lesson.steps.length, lesson.id).toBeGreaterThan(1);
      for (const step of lesson.steps) expect(step.text.join(' ').length, step.title).toBeGreaterThan(40);
    }
  });

  test('every setup names a shipped model on disk, a training preset and a view that exist', () => {
    for (const lesson of LESSONS) {
      for (const step of lesson.steps) {
        const s = step.setup;
        if (!s) continue;
        if (s.model) expect(existsSync(join(ROOT, 'public', shippedModelUrl(s.model))), s.model).toBe(true);
        if (s.preset)
          expect(
            TRAINING_PRESETS.some((p) => p.id === s.preset),
            s.preset,
          ).toBe(true);
        if (s.view) expect(VIEW_IDS).toContain(s.view);
        for (const id of s.analysisModels ?? []) {
          expect(existsSync(join(ROOT, 'public', shippedModelUrl(id))), id).toBe(true);
        }
        expect((s.analysisModels ?? []).length, step.title).toBeLessThanOrEqual(3);
      }
    }
  });

  test('every step stands alone: it names its view, and an attack-lab step its model (a link opens any step)', () => {
    for (const lesson of LESSONS) {
      for (const step of lesson.steps) {
        const where = `${lesson.id}: ${step.title}`;
        expect(step.setup?.view, where).toBeDefined();
        if (step.setup?.view === 'attack-lab') expect(step.setup.model, where).toBeDefined();
        if (step.setup?.view === 'analysis') expect(step.setup.analysisModels?.length, where).toBeGreaterThan(0);
      }
    }
  });

  test('the certificates lesson certifies the IBP model it talks about, and notices each certificate', () => {
    const certificates = lessonById('certificates');
    if (!certificates) throw new Error('the certificates lesson is missing');
    const [, picture, many, smoothing] = certificates.steps;
    expect(picture.setup?.model).toBe('mnist-cnn-ibp');
    expect(picture.task?.done(snapshot())).toBe(false);
    expect(picture.task?.done(snapshot({ pictureCertified: true }))).toBe(true);
    expect(many.setup?.analysisModels).toContain('mnist-cnn-ibp');
    expect(many.setup?.analysisModels).not.toContain('mnist-odenet');
    const analysis = snapshot().analysis;
    expect(many.task?.done(snapshot())).toBe(false);
    expect(many.task?.done(snapshot({ analysis: { ...analysis, certify: true } }))).toBe(true);
    expect(smoothing.setup?.analysisModels).toEqual(['mnist-cnn-smoothing-0.5']);
    expect(smoothing.task?.done(snapshot({ analysis: { ...analysis, certify: true } }))).toBe(false);
    expect(smoothing.task?.done(snapshot({ analysis: { ...analysis, certify: true, smoothing: true } }))).toBe(true);
  });
});

describe('completion checks', () => {
  const lesson = lessonById('adversarial-examples');
  if (!lesson) throw new Error('the first lesson is missing');
  const [, attack, targeted, scrub] = lesson.steps;

  test('“attack it” is done by a successful PGD attack only', () => {
    expect(attack.task?.done(snapshot())).toBe(false);
    expect(attack.task?.done(snapshot({ outcome: outcome({ success: false, label: 7 }) }))).toBe(false);
    expect(attack.task?.done(snapshot({ outcome: outcome({}) }))).toBe(true);
  });

  test('“make the model read this 7 as a 3” needs a successful attack aimed at 3 that ends at 3', () => {
    const done = (o: AppSnapshot['outcome']) => targeted.task?.done(snapshot({ outcome: o }));
    expect(done(outcome({ target: null }))).toBe(false); // untargeted, even if it lands on 3
    expect(done(outcome({ target: 5, label: 5 }))).toBe(false);
    expect(done(outcome({ target: 3, label: 7, success: false }))).toBe(false);
    expect(done(outcome({ target: 3, label: 3 }))).toBe(true);
    // On another picture it does not count.
    const other = snapshot({ image: { index: 4, trueLabel: 4, predicted: 4 }, outcome: outcome({ target: 3 }) });
    expect(targeted.task?.done(other)).toBe(false);
  });

  test('the ε step is done once the scrubber is below the attack’s ε', () => {
    expect(scrub.task?.done(snapshot({ outcome: outcome({}), scrubbedEps: 0.3 }))).toBe(false);
    expect(scrub.task?.done(snapshot({ outcome: outcome({}), scrubbedEps: 0.12 }))).toBe(true);
  });

  test('analysis steps are done by their results', () => {
    const calibration = lessonById('calibration-energy')?.steps[0].task;
    expect(calibration?.done(snapshot())).toBe(false);
    const analysis = { ...snapshot().analysis, calibration: true };
    expect(calibration?.done(snapshot({ analysis }))).toBe(true);
  });
});
