/**
 * Issue 11 §12, as a new user meets it on a slow backend (?backend=webgpu, SwiftShader here: a prediction takes
 * seconds): after an attack, while its ε sweep runs, choose another picture and press Attack 1.5 s later. The panel
 * must show the new picture as being classified (never beside the old picture's prediction), the click must be taken
 * (the attack waits visibly, then attacks the new picture), and no result may be shown beside a picture it was not
 * computed for. A recorder in the page samples what is on screen every animation frame, so a wrong frame in between
 * fails the test even if the end state is right.
 *
 * SwiftShader on this machine classifies one picture in about 0.1 s once the old sweep has stopped, so to reproduce
 * the slow backend at a known pace the test holds back the worker's replies to `predict` (and only those) by
 * SLOW_PREDICT_MS, after the app has started: the worker computes as it would, the page hears of it late, as it
 * does when a prediction waits for the GPU.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, ATTACK_TIMEOUT_MS, cleanPrediction, parsePrediction } from './helpers';
import { fgsmOnTestImage } from './referenceFigures';

const app = new App('pending-work');
/** How long each prediction's reply is held back, once slowPredictions() is on: longer than the 1.5 s to the click. */
const SLOW_PREDICT_MS = 3_000;
beforeAll(() => app.start({ ownBrowser: true })); // WebGPU: a GPU process of its own (helpers.ts)
afterAll(() => app.stop());

/** What the attack lab shows at one moment. */
interface Frame {
  t: number;
  note: string | null;
  prediction: string | null;
  original: string | null;
  adversarial: string | null;
  placeholder: string | null;
  progress: string | null;
}

declare global {
  interface Window {
    __frames?: Frame[];
  }
}

/** Starts recording a Frame whenever what is shown changes (checked once per animation frame). */
async function startRecorder(): Promise<void> {
  await app.page.evaluate(() => {
    const text = (selector: string) => {
      const el = document.querySelector(selector);
      return el ? (el.textContent ?? '').replace(/\s+/g, ' ').trim() : null;
    };
    const frames: Frame[] = [];
    window.__frames = frames;
    let last = '';
    const sample = () => {
      const frame = {
        t: performance.now(),
        note: text('[data-testid=preprocess-note]'),
        prediction: text('[data-testid=clean-prediction]'),
        original: text('[data-testid=original-prediction]'),
        adversarial: text('[data-testid=adv-prediction]'),
        placeholder: text('[data-testid=results-placeholder]'),
        progress: text('.attack-controls .progress-message'),
      };
      const key = JSON.stringify({ ...frame, t: 0 });
      if (key !== last) frames.push(frame);
      last = key;
      requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
}

/** Installs (before the app loads) the hold on the Comlink replies to `predict`; window.__slowPredictMs turns it on. */
async function holdBackPredictions(): Promise<void> {
  await app.page.addInitScript(() => {
    const w = window as unknown as { __slowPredictMs?: number };
    const held = new Set<string>();
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
      const m = message as { id?: string; type?: string; path?: string[] } | null;
      if (w.__slowPredictMs && m?.type === 'APPLY' && m.path?.[0] === 'predict' && m.id) held.add(m.id);
      return (post as (...args: unknown[]) => void).call(this, message, ...rest);
    };
    const add = Worker.prototype.addEventListener;
    Worker.prototype.addEventListener = function (this: Worker, type: string, listener: unknown, options?: unknown) {
      if (type !== 'message' || typeof listener !== 'function') {
        return (add as (...args: unknown[]) => void).call(this, type, listener, options);
      }
      const maybeLater = function (this: Worker, ev: MessageEvent) {
        const id = (ev.data as { id?: string } | null)?.id;
        if (id && held.delete(id)) setTimeout(() => listener.call(this, ev), w.__slowPredictMs);
        else listener.call(this, ev);
      };
      return (add as (...args: unknown[]) => void).call(this, type, maybeLater, options);
    };
  });
}

const frames = () => app.page.evaluate(() => window.__frames ?? []);

/** The label in "Prediction: 7 (99.1%)" or "Original: 7 (99.1%)", or null for any other text. */
function labelIn(text: string | null): number | null {
  const m = text ? /(?:Prediction|Original):\s*(\d)\s*\(/.exec(text) : null;
  return m ? Number(m[1]) : null;
}

test(
  'a new picture and Attack pressed while it is classified: shown as pending, the click is kept, results match',
  app.run('pending', async () => {
    await holdBackPredictions();
    await app.open('webgpu');
    expect((await app.backendStatus()).name).toBe('webgpu');

    // Two test images of different classes, so that a prediction shown against the wrong picture is visible.
    const first = await app.pickGalleryItem(0);
    expect((await cleanPrediction(app)).label, 'the first picture is misclassified').toBe(first.label);
    const thumbs = app.testId('gallery').getByRole('button', { name: /^Test image \d+, label \d$/ });
    let second: { index: number; label: number } | null = null;
    for (let i = 1; i < (await thumbs.count()) && !second; i++) {
      const m = /^Test image (\d+), label (\d)$/.exec((await thumbs.nth(i).getAttribute('aria-label')) ?? '');
      if (m && Number(m[2]) !== first.label) second = { index: Number(m[1]), label: Number(m[2]) };
    }
    if (!second) throw new Error('the gallery page has no second class');
    const secondThumb = app.testId('gallery').getByRole('button', {
      name: `Test image ${second.index}, label ${second.label}`,
    });

    await app.configureAttack({ method: 'fgsm', norm: 'linf', target: 'untargeted', epsilon: 0.2 });
    await app.attackButton().click();
    await app.waitForText(
      'adv-prediction',
      (t) => /Adversarial:/.test(t),
      'the first attack result',
      ATTACK_TIMEOUT_MS,
    );
    // The first attack is shown; its ε sweep (10 more attacks) is running now: the work a new picture supersedes.
    const sweeping = await app.textOf('.attack-controls .progress-message', 1_000);
    expect(sweeping, 'the ε sweep should still run when the new picture is chosen').toMatch(/ε/);

    await app.page.evaluate((ms) => {
      (window as unknown as { __slowPredictMs?: number }).__slowPredictMs = ms;
    }, SLOW_PREDICT_MS);
    await startRecorder();
    await secondThumb.click();
    await app.page.waitForTimeout(1_500);
    const atClick = (await frames()).at(-1);
    expect(atClick?.prediction, 'the new picture should still be classified at the click').toMatch(/classifying/);
    // Taken at once: the button is enabled (a disabled one would make this click time out).
    await app.attackButton().click({ timeout: 2_000 });
    const clickedAt = await app.page.evaluate(() => performance.now());

    // The attack runs on the new picture and its result arrives.
    const advText = await app.waitForText(
      'adv-prediction',
      (t) => /Adversarial:/.test(t),
      'the second attack result',
      60_000,
    );
    const note = await app.text('preprocess-note');
    expect(note).toContain(`test image ${second.index}`);
    expect((await cleanPrediction(app)).label, 'the new picture is misclassified').toBe(second.label);
    expect(labelIn(await app.text('original-prediction')), 'the result is for another picture').toBe(second.label);
    // The result is FGSM's on the second picture: its adversarial class is the one the same FGSM gives computed by
    // hand (wasm, in Node).
    const expected = await fgsmOnTestImage(second.index, 0.2);
    expect(parsePrediction(advText, 'Adversarial').label, `${advText}; Node: ${JSON.stringify(expected)}`).toBe(
      expected.advLabel,
    );
    expect(await app.text('attack-ran')).toMatch(/^FGSM · L∞ · ε = 0\.2 · one step · .* on webgpu$/);

    const seen = await frames();
    const problems: string[] = [];
    let sawPending = false;
    let sawQueued = false;
    for (const f of seen) {
      const onSecond = f.note?.includes(`test image ${second.index}`) ?? false;
      const shownLabel = labelIn(f.prediction);
      if (/classifying/i.test(f.prediction ?? '')) sawPending = true;
      if (/Queued/.test(`${f.placeholder} ${f.progress}`)) sawQueued = true;
      // The picture panel never pairs the new picture with another picture's prediction.
      if (onSecond && shownLabel !== null && shownLabel !== second.label) {
        problems.push(`test image ${second.index} shown with "${f.prediction}"`);
      }
      // A result is shown only beside the picture it was computed for: its "Original" is the prediction on show.
      if (f.original !== null && labelIn(f.original) !== shownLabel) {
        problems.push(`result "${f.original}" beside "${f.prediction}" (${f.note})`);
      }
      // After the click, the results panel says what is on its way until the result is there: nothing is lost.
      if (f.t > clickedAt && f.adversarial === null && !/Queued|Running|Sweeping/.test(`${f.placeholder}`)) {
        problems.push(`after Attack the results panel showed neither a result nor pending work: "${f.placeholder}"`);
      }
    }
    expect(problems, JSON.stringify(seen.slice(0, 40))).toEqual([]);
    expect(sawPending, 'the new picture was never shown as being classified').toBe(true);
    expect(sawQueued, 'pressed while the picture was classified, the attack never said that it waits').toBe(true);
    await app.screenshot('second-result');
  }),
);
