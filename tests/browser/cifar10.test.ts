/**
 * CIFAR-10 in colour, through the UI: the header's data-set switch opens a panel that says what
 * to give (the official binary archive, its .bin files, or an address); a cifar-10-binary.tar.gz
 * built here in the official layout (ustar/GNU headers written from the format description,
 * gzip by fflate) dropped on it fills the gallery with colour thumbnails and class names; the
 * model input is the exact 32×32 colour record; the attack runs with ε = 8/255 and shows the
 * perturbation per channel; a colour photo is scaled and centre-cropped; a text file gives an
 * error and the app stays usable; a reload reads the data from IndexedDB; WebGPU attacks it;
 * "Forget" deletes it.
 *
 * The default CIFAR-10 model is served at /models/cifar10-cnn-sample/ (public/, copied into
 * dist/ by the build).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CIFAR10_CLASS_NAMES } from '../../src/core/data/cifar10Constants';
import { modelDisplayName } from '../../src/state/shippedModels';
import { attackOutcome } from './attackOutcome';
import { App, parseNorms, type BackendParam } from './helpers';
import { PNG } from 'pngjs';

const app = new App('cifar10');
const scratch = mkdtempSync(join(tmpdir(), 'cifar10-browser-'));
beforeAll(() => app.start({ ownBrowser: true })); // WebGPU: a GPU process of its own (helpers.ts)
afterAll(async () => {
  await app.stop();
  rmSync(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// A small CIFAR-10 in the official binary layout

const BATCH_DIR = 'cifar-10-batches-bin';
const TRAIN_PER_BATCH = 6;
const TEST_COUNT = 40;
const RECORD = 3073;
/** Test record k has label k mod 10, so every class shows on the first page. */
const testLabel = (k: number) => k % 10;
/** A colour per class (sky, red car, …), so the gallery is plainly in colour. */
const CLASS_RGB: [number, number, number][] = [
  [120, 170, 230],
  [200, 40, 40],
  [150, 110, 60],
  [230, 160, 90],
  [110, 140, 60],
  [170, 120, 80],
  [60, 160, 70],
  [130, 80, 50],
  [40, 90, 170],
  [220, 200, 40],
];

/** Channel c of pixel (x, y) of record r with label l: a class colour, a light disc, a gradient. */
function pixel(r: number, l: number, c: number, x: number, y: number): number {
  const base = CLASS_RGB[l][c];
  const disc = Math.hypot(x - 12 - (r % 8), y - 16) < 7 ? 90 - 40 * c : 0;
  return Math.max(0, Math.min(255, base + disc + ((x * 3 + y * 2 + r * 11 + c * 29) % 23) - 11));
}

function batch(first: number, count: number, label: (k: number) => number): Uint8Array {
  const out = new Uint8Array(count * RECORD);
  for (let k = 0; k < count; k++) {
    const r = first + k;
    const l = label(k);
    out[k * RECORD] = l;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 1024; p++) out[k * RECORD + 1 + c * 1024 + p] = pixel(r, l, c, p % 32, Math.floor(p / 32));
    }
  }
  return out;
}

/** A ustar (GNU flavour, as GNU tar wrote the official archive) archive, padded to 10,240 bytes. */
function tarArchive(files: { name: string; bytes?: Uint8Array; type?: string }[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const f of files) {
    const bytes = f.bytes ?? new Uint8Array(0);
    const h = new Uint8Array(512);
    const put = (text: string, at: number) => {
      for (let i = 0; i < text.length; i++) h[at + i] = text.charCodeAt(i);
    };
    put(f.name, 0);
    put('0000644\0', 100);
    put('0001750\0', 108);
    put('0001750\0', 116);
    put(`${bytes.length.toString(8).padStart(11, '0')}\0`, 124);
    put('11117243465\0', 136);
    put(f.type ?? '0', 156);
    put('ustar  \0', 257);
    put('        ', 148);
    put(
      `${h
        .reduce((a, b) => a + b, 0)
        .toString(8)
        .padStart(6, '0')}\0 `,
      148,
    );
    blocks.push(h);
    const padded = new Uint8Array(Math.ceil(bytes.length / 512) * 512);
    padded.set(bytes);
    blocks.push(padded);
  }
  blocks.push(new Uint8Array(1024));
  const total = Math.ceil(blocks.reduce((a, b) => a + b.length, 0) / 10240) * 10240;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const b of blocks) {
    out.set(b, pos);
    pos += b.length;
  }
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);

/** cifar-10-binary.tar.gz in the official layout and entry order, with generated batches. */
function officialArchive(
  train = (i: number) => batch(TEST_COUNT + i * TRAIN_PER_BATCH, TRAIN_PER_BATCH, (k) => (k * 3 + i) % 10),
): Buffer {
  const entries = [
    { name: `${BATCH_DIR}/`, type: '5' },
    { name: `${BATCH_DIR}/data_batch_1.bin`, bytes: train(0) },
    { name: `${BATCH_DIR}/batches.meta.txt`, bytes: text(`${CIFAR10_CLASS_NAMES.join('\n')}\n\n`) },
    { name: `${BATCH_DIR}/data_batch_3.bin`, bytes: train(2) },
    { name: `${BATCH_DIR}/data_batch_4.bin`, bytes: train(3) },
    { name: `${BATCH_DIR}/test_batch.bin`, bytes: batch(0, TEST_COUNT, testLabel) },
    {
      name: `${BATCH_DIR}/readme.html`,
      bytes: text('<meta HTTP-EQUIV="REFRESH" content="0; URL=http://www.cs.toronto.edu/~kriz/cifar.html">'),
    },
    { name: `${BATCH_DIR}/data_batch_5.bin`, bytes: train(4) },
    { name: `${BATCH_DIR}/data_batch_2.bin`, bytes: train(1) },
  ];
  return Buffer.from(gzipSync(tarArchive(entries)));
}

/** A large archive (incompressible training batches, 61 MB) that takes seconds to read: time to press Cancel. */
function slowArchivePath(): string {
  let s = 0x9e3779b9;
  const train = () => {
    const out = new Uint8Array(4000 * RECORD);
    for (let i = 0; i < out.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      out[i] = s & 0xff;
    }
    for (let k = 0; k < 4000; k++) out[k * RECORD] %= 10;
    return out;
  };
  const path = join(scratch, 'cifar-10-binary.tar.gz');
  writeFileSync(path, officialArchive(train));
  return path;
}

/** Bytes stored per image and label: what the storage line must report. */
const STORED_BYTES = (TEST_COUNT + 5 * TRAIN_PER_BATCH) * RECORD;

/** A 300×200 "photo": red, green and blue thirds; the centre crop keeps a red, a green and a blue band. */
function stripesPng(): Buffer {
  const png = new PNG({ width: 300, height: 200 });
  for (let i = 0; i < 300 * 200; i++) {
    const x = i % 300;
    const rgb = x < 100 ? [220, 30, 30] : x < 200 ? [30, 200, 40] : [30, 40, 220];
    png.data.set([...rgb, 255], 4 * i);
  }
  return PNG.sync.write(png);
}

// ---------------------------------------------------------------------------------------------
// Page helpers

/** Drops files on the element `selector`, as a drag from the desktop does. */
async function dropFiles(selector: string, files: { name: string; type: string; bytes: Buffer }[]): Promise<void> {
  const dataTransfer = await app.page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bin = atob(f.b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      return dt;
    },
    files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') })),
  );
  for (const type of ['dragenter', 'dragover', 'drop']) await app.page.dispatchEvent(selector, type, { dataTransfer });
  await dataTransfer.dispose();
}

interface Rgba {
  width: number;
  height: number;
  data: number[];
}

/** The RGBA pixels of the canvas at or inside `target` (a data-testid, or a locator). */
async function canvasRgba(target: string | Locator): Promise<Rgba> {
  const loc = typeof target === 'string' ? app.testId(target).first() : target;
  await loc.waitFor({ state: 'visible', timeout: 30_000 });
  return loc.evaluate((el) => {
    const canvas = (el instanceof HTMLCanvasElement ? el : el.querySelector('canvas')) as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return { width: canvas.width, height: canvas.height, data: Array.from(data) };
  });
}

/** Mean distance of the pixels from grey (0 for a grey-level image). */
function chroma(img: Rgba): number {
  let sum = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    const [r, g, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
    sum += Math.max(r, g, b) - Math.min(r, g, b);
  }
  return sum / (img.data.length / 4);
}

function variance(img: Rgba): number {
  const v: number[] = [];
  for (let i = 0; i < img.data.length; i += 4) v.push(img.data[i] + img.data[i + 1] + img.data[i + 2]);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
}

const _CLASS_NAME = new RegExp(`^(${CIFAR10_CLASS_NAMES.join('|')})$`);
const PREDICTION = new RegExp(`(${CIFAR10_CLASS_NAMES.join('|')}) \\(\\d+\\.\\d%\\)`);
const THUMB_NAME = /^Test image (\d+), label (\d) \((\w+)\)$/;

const alert = () => app.waitForText('error-message', (t) => t.length > 0, 'an error message', 60_000);
const galleryThumbs = () => app.testId('gallery').getByRole('button', { name: THUMB_NAME });

/** Waits until the gallery shows CIFAR-10 thumbnails (named by class) and a colour model input with a prediction. */
async function waitForColourLab(): Promise<void> {
  await app.until(async () => (await galleryThumbs().count()) > 0, 'CIFAR-10 thumbnails in the gallery', 120_000);
  await app.waitForText('clean-prediction', (t) => PREDICTION.test(t), 'a prediction named by class', 120_000);
  await app.until(async () => (await canvasRgba('model-input')).width === 32, 'a 32×32 model input', 30_000);
}

/** Clicks the header switch's segment (its label; the radio itself is visually hidden). */
async function chooseDataset(title: 'MNIST' | 'CIFAR-10'): Promise<void> {
  const radio = app.page.getByRole('radio', { name: title, exact: true });
  await app.page.locator('label', { has: radio }).click();
  await app.until(() => radio.isChecked(), `the ${title} switch to be on`, 10_000);
}

async function openAt(query: string): Promise<void> {
  await app.page.goto(`${app.baseUrl}/${query}`, { waitUntil: 'load' });
  await app.waitReady();
}

/** Opened on CIFAR-10: waits for the panel that asks for data or the CIFAR-10 gallery; true when data is stored. */
async function cifar10Stored(): Promise<boolean> {
  let stored = false;
  await app.until(
    async () => {
      if (await app.testId('cifar10-panel').isVisible()) return true;
      stored = (await galleryThumbs().count()) > 0;
      return stored;
    },
    'the CIFAR-10 panel or its gallery',
    120_000,
  );
  return stored;
}

/**
 * Each test sets up its own state: this one opens the app on CIFAR-10 with the data stored in the browser, importing
 * the small official archive first when no earlier test (or run) left it there.
 */
async function openWithCifar10(query = '?dataset=cifar10'): Promise<void> {
  await openAt(query);
  if (!(await cifar10Stored())) {
    await dropFiles('[data-testid=cifar10-drop-zone]', [
      { name: 'cifar-10-binary.tar.gz', type: 'application/gzip', bytes: officialArchive() },
    ]);
  }
  await waitForColourLab();
}

/** The opposite start: no CIFAR-10 data in the browser (forgets what an earlier test imported), MNIST on screen. */
async function openWithoutCifar10(): Promise<void> {
  await openAt('?dataset=cifar10');
  if (await cifar10Stored()) {
    await app.page.getByRole('button', { name: 'Forget CIFAR-10 data' }).click();
    await app.testId('cifar10-panel').waitFor({ state: 'visible', timeout: 30_000 });
  }
  await openAt('?dataset=mnist');
}

// ---------------------------------------------------------------------------------------------

test(
  'CIFAR-10 without data: the panel says what to give; a text file is refused; Back to MNIST works',
  app.run('panel', async () => {
    await openWithoutCifar10();
    await chooseDataset('CIFAR-10');
    const panel = app.testId('cifar10-panel');
    await panel.waitFor({ state: 'visible', timeout: 30_000 });
    const says = (await panel.textContent()) ?? '';
    for (const needed of [
      'cifar-10-binary.tar.gz',
      '170,052,171',
      'c32a1d4ab5d03f1284b67883e8d87530',
      'data_batch_1.bin',
      'test_batch.bin',
      'batches.meta.txt',
    ]) {
      expect(says, `the panel names ${needed}`).toContain(needed);
    }
    expect(
      await panel.getByRole('link', { name: /cs\.toronto\.edu\/~kriz\/cifar-10\.html/ }).getAttribute('href'),
    ).toBe('https://www.cs.toronto.edu/~kriz/cifar-10.html');
    await expect(panel.getByLabel('Address of cifar-10-binary.tar.gz').isVisible()).resolves.toBe(true);
    await expect(panel.getByLabel('Choose CIFAR-10 files').count()).resolves.toBe(1);
    // The address is rewritten a quarter-second after the last change.
    await app.until(
      async () => app.page.url().includes('dataset=cifar10'),
      'the address to say dataset=cifar10',
      10_000,
    );
    await app.screenshot('panel');

    await dropFiles('[data-testid=cifar10-drop-zone]', [
      { name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('these are my notes, not CIFAR-10\n') },
    ]);
    expect(await alert()).toMatch(/neither a gzip-compressed tar archive nor a tar archive.*cifar-10-binary\.tar\.gz/);
    await panel.waitFor({ state: 'visible' });
    await app.screenshot('text-file-error');

    // Reading shows a progress bar and can be cancelled; nothing is kept.
    await app.page.getByLabel('Choose CIFAR-10 files').setInputFiles(slowArchivePath());
    const progress = app.testId('cifar10-progress');
    await progress.waitFor({ state: 'visible', timeout: 30_000 });
    await app.until(
      async () => Number(await progress.locator('progress').getAttribute('value')) > 0,
      'the progress bar to move',
      30_000,
    );
    expect(await progress.textContent()).toMatch(/Reading cifar-10-binary\.tar\.gz: read [\d.]+ of [\d.]+ MB/);
    await app.screenshot('reading');
    // dispatchEvent: the button shifts as the message grows, which Playwright's click would wait out.
    await progress.getByRole('button', { name: 'Cancel' }).dispatchEvent('click');
    await app.waitForText('cifar10-panel', (t) => /Cancelled by the user/.test(t), 'the cancellation notice', 30_000);
    expect(await progress.count()).toBe(0);
    expect(await app.testId('cifar10-storage').count()).toBe(0);

    // The lab is still usable: back to MNIST, where a digit is classified again.
    await app.page.getByRole('button', { name: 'Back to MNIST meanwhile' }).click();
    await app.until(
      async () =>
        (await app
          .testId('gallery')
          .getByRole('button', { name: /^Test image \d+, label \d$/ })
          .count()) > 0,
      'MNIST digits in the gallery',
      60_000,
    );
    await app.waitForText('clean-prediction', (t) => /Prediction: \d \(/.test(t), 'a digit prediction', 60_000);
    expect(await app.page.getByRole('radio', { name: 'MNIST' }).isChecked()).toBe(true);
    // The address is rewritten a quarter-second after the last change.
    await app.until(async () => !app.page.url().includes('dataset='), 'the address to drop dataset=', 10_000);
  }),
);

test(
  'the official archive dropped on the panel gives colour thumbnails with class names, an exact 32×32 colour ' +
    'input, ε = 8/255',
  app.run('archive', async () => {
    await openWithoutCifar10();
    await chooseDataset('CIFAR-10');
    await app.testId('cifar10-panel').waitFor({ state: 'visible', timeout: 30_000 });
    await dropFiles('[data-testid=cifar10-drop-zone]', [
      { name: 'cifar-10-binary.tar.gz', type: 'application/gzip', bytes: officialArchive() },
    ]);
    await waitForColourLab();
    expect(await app.testId('cifar10-panel').count()).toBe(0);

    // Thumbnails: test images 0…23 with their class names, in colour.
    const names = await galleryThumbs().evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(names.length).toBe(24);
    names.forEach((n, k) => {
      const m = THUMB_NAME.exec(n)!;
      expect(Number(m[1])).toBe(k);
      expect(Number(m[2])).toBe(testLabel(k));
      expect(m[3]).toBe(CIFAR10_CLASS_NAMES[testLabel(k)]);
    });
    const captions = await app.testId('gallery').locator('.thumb-name').allTextContents();
    expect(captions.slice(0, 10)).toEqual([...CIFAR10_CLASS_NAMES]);
    const thumb = await canvasRgba(galleryThumbs().nth(1));
    expect(chroma(thumb), 'the thumbnail is grey').toBeGreaterThan(40);

    // The model input is test record 0, pixel for pixel, channels in order (R plane → red).
    const input = await canvasRgba('model-input');
    expect([input.width, input.height]).toEqual([32, 32]);
    let mismatches = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++)
          if (input.data[4 * (y * 32 + x) + c] !== pixel(0, testLabel(0), c, x, y)) mismatches++;
      }
    }
    expect(mismatches, 'model-input differs from test record 0').toBe(0);
    expect(await app.text('true-label')).toBe(`True label: ${CIFAR10_CLASS_NAMES[testLabel(0)]}`);
    expect(await app.text('preprocess-note')).toMatch(/CIFAR-10 test image 0\b.*colour/);

    // The model picker offers CIFAR-10 models only; the status names the colour CNN.
    const options = await app.page.getByLabel('Model', { exact: true }).locator('option').allTextContents();
    expect(options).toContain(modelDisplayName('/models/cifar10-cnn-sample/model.json'));
    expect(options.some((o) => /MNIST/.test(o))).toBe(false);
    expect(await app.text('status-model-name')).toBe(modelDisplayName('/models/cifar10-cnn-sample/model.json'));

    // The attack defaults to ε = 8/255, shown as such in the field itself; the arrow keys step it by 1/255.
    const eps = app.page.getByLabel('Epsilon', { exact: true });
    expect(await eps.inputValue()).toBe('8/255');
    expect(await app.text('eps-levels')).toMatch(/ε = 8\/255/);
    await eps.focus();
    await app.page.keyboard.press('ArrowUp');
    expect(await eps.inputValue()).toBe('9/255');
    expect(await app.text('eps-levels')).toMatch(/ε = 9\/255/);
    await app.page.keyboard.press('ArrowDown');
    expect(await eps.inputValue()).toBe('8/255');
    // The status line describes CIFAR-10's test set, not MNIST's.
    expect(await app.text('status-testset')).toBe(
      `Test set: CIFAR-10, ${TEST_COUNT.toLocaleString('en')} images, stored in this browser`,
    );

    // Stored in the browser, with its size and a way to forget it.
    expect(await app.text('cifar10-storage-size')).toBe(`${(STORED_BYTES / 1e6).toFixed(1)} MB`);
    expect(await app.text('cifar10-storage')).toMatch(
      new RegExp(`${TEST_COUNT} test \\+ ${5 * TRAIN_PER_BATCH} training images`),
    );
    await app.screenshot('gallery-colour');

    // Filter by class name.
    await app.page.getByLabel('Filter gallery by class').selectOption({ label: 'cat' });
    await app.until(
      async () => {
        const shown = await app.testId('gallery').locator('.thumb-name').allTextContents();
        return shown.length === 4 && shown.every((s) => s === 'cat');
      },
      'only the four cats of the test split',
      30_000,
    );
    await app.page.getByLabel('Filter gallery by class').selectOption({ label: 'All' });
    await app.until(async () => (await galleryThumbs().count()) === 24, 'all classes again', 30_000);
  }),
);

async function attackAndCheck(label: string): Promise<number> {
  // Seed stays at its default: the training lab's "Seed" field shares the label.
  await app.configureAttack({ method: 'pgd', norm: 'linf', target: 'untargeted', steps: 10, restarts: 1 });
  const started = Date.now();
  // The attack itself; the ε sweep after it (ten more PGD-10 runs, for the scrubber) is not checked here.
  const adv = await attackOutcome(app);
  const seconds = (Date.now() - started) / 1000;
  expect(adv).toMatch(new RegExp(`^Adversarial: ${PREDICTION.source}$`));
  const norms = parseNorms(await app.text('perturbation-norms'));
  expect(norms.linf).toBeGreaterThan(0);
  expect(norms.linf).toBeLessThanOrEqual(8 / 255 + 1e-3);
  expect(await app.text('perturbation-norms')).toMatch(/\/255\)/);
  expect(await app.text('attack-success')).toMatch(new RegExp(`says ${`(${CIFAR10_CLASS_NAMES.join('|')})`}`));
  for (const id of [
    'perturbation-image',
    'perturbation-red',
    'perturbation-green',
    'perturbation-blue',
    'perturbation-colour',
  ]) {
    const img = await canvasRgba(id);
    expect([img.width, img.height], id).toEqual([32, 32]);
    expect(variance(img), `${id} is blank`).toBeGreaterThan(0);
  }
  expect(chroma(await canvasRgba('adversarial-image')), 'the adversarial image is grey').toBeGreaterThan(20);
  const names = await app.testId('probability-chart').locator('.probability-class-name').allTextContents();
  expect(names.map((t) => t.trim())).toEqual([...CIFAR10_CLASS_NAMES]);
  await app.screenshot(label);
  return seconds;
}

test(
  'a CIFAR-10 test image attacked with PGD (ε = 8/255): per-channel perturbation, class-named bars and predictions',
  app.run('attack', async () => {
    await openWithCifar10();
    await app.testId('gallery').getByRole('button', { name: THUMB_NAME }).nth(2).click();
    await app.waitForText('preprocess-note', (t) => /test image 2\b/.test(t), 'test image 2');
    const seconds = await attackAndCheck('pgd-default-backend');
    console.info(`PGD-10 on CIFAR-10, default backend (${(await app.backendStatus()).name}): ${seconds.toFixed(1)} s`);
  }),
);

test(
  'a colour photo is scaled (short side 32) and centre-cropped, shown as the model sees it',
  app.run('photo', async () => {
    await openWithCifar10();
    await app.dropFile('stripes.png', 'image/png', stripesPng());
    const note = await app.waitForText('preprocess-note', (t) => /short side/.test(t), 'a note about the photo');
    expect(note).toMatch(/50 px cut off left and right/);
    const img = await canvasRgba('model-input');
    expect([img.width, img.height]).toEqual([32, 32]);
    const near = (x: number, y: number, rgb: number[]) => {
      const got = img.data.slice(4 * (y * 32 + x), 4 * (y * 32 + x) + 3);
      got.forEach((v, c) => {
        expect(Math.abs(v - rgb[c]), `pixel (${x}, ${y}) = ${got} should be ${rgb}`).toBeLessThanOrEqual(2);
      });
    };
    // Source x 50–250 → 32 px: x 50–100 red (output 0–8), 100–200 green (8–24), 200–250 blue (24–32).
    for (const y of [0, 16, 31]) {
      near(3, y, [220, 30, 30]);
      near(16, y, [30, 200, 40]);
      near(28, y, [30, 40, 220]);
    }
    await app.waitForText('clean-prediction', (t) => PREDICTION.test(t), 'a prediction named by class');
    // No drawing pad on CIFAR-10, and one sentence says why; the camera is offered (a photo of an object).
    expect(await app.text('drawing-pad-unavailable')).toMatch(/^The drawing pad is for MNIST digits/);
    expect(await app.page.getByRole('button', { name: 'Draw a digit' }).count()).toBe(0);
    expect(await app.page.getByRole('button', { name: 'Use the camera' }).isVisible()).toBe(true);
    await app.screenshot('photo');
  }),
);

test(
  'a reload reads CIFAR-10 from IndexedDB (no panel), and WebGPU attacks it',
  app.run('reload-webgpu', async () => {
    await openWithCifar10(); // stored in IndexedDB before the reload below
    const backend: BackendParam = 'webgpu';
    const opened = Date.now();
    await openAt(`?backend=${backend}&dataset=cifar10`);
    await waitForColourLab();
    const reloadSeconds = (Date.now() - opened) / 1000;
    expect(await app.testId('cifar10-panel').count()).toBe(0);
    expect((await app.backendStatus()).name).toBe('webgpu');
    const seconds = await attackAndCheck('pgd-webgpu');
    console.info(
      `Reload to a classified CIFAR-10 image: ${reloadSeconds.toFixed(1)} s; PGD-10 on WebGPU ` +
        `(SwiftShader): ${seconds.toFixed(1)} s`,
    );
    // It really ran there: the worker names the backend that computed the attack.
    expect(await app.text('attack-ran')).toMatch(/ on webgpu$/);
    expect((await app.backendStatus()).name).toBe('webgpu');
  }),
);

test(
  '"Forget CIFAR-10 data" deletes it: the panel asks again, also after a reload',
  app.run('forget', async () => {
    await openWithCifar10();
    await app.page.getByRole('button', { name: 'Forget CIFAR-10 data' }).click();
    await app.testId('cifar10-panel').waitFor({ state: 'visible', timeout: 30_000 });
    await openAt('?dataset=cifar10');
    await app.testId('cifar10-panel').waitFor({ state: 'visible', timeout: 60_000 });
    await app.screenshot('forgotten');
  }),
);
