/**
 * CIFAR-10 in colour (src/core/data/{cifar10,tar,gunzip}.ts, models/cifarCnn.ts, train/augment.ts):
 *  - the real sample in $CIFAR10_DIR (official binary layout) loads, from its directory and from a
 *    .tar.gz made of it in memory; skipped with a message when CIFAR10_DIR is unset;
 *  - a cifar-10-binary.tar.gz built here byte by byte (ustar/GNU headers written independently of
 *    the reader) streams back exactly, in chunks of any size, with progress and cancellation;
 *  - every wrong input gives its own DataFormatError: record size, label 10, truncated gzip,
 *    truncated tar, the Python-pickle and MATLAB releases, CIFAR-100, unrelated files;
 *  - attacks on freshly built colour models keep ‖δ‖∞ ≤ ε in every channel and pixels in [0,1];
 *  - random crop + flip equals an independent reference and keeps its invariants.
 */
import { skipWhenMissing } from './helpers/ciRequirements';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evalCommand } from '../../src/cli/commands/eval';
import { jsonOf, refusalOf, train } from './helpers/cliInProcess';
import { argv, ROOT } from './helpers/cliProcess';
import { rows, useWasm } from './helpers/env';
import { loadCifar10, loadDataset, readModelDir } from '../../src/cli/nodeFiles';
import { disposeAttackRun, runAttack } from '../../src/core/attacks/runAttack';
import type { AttackOptions } from '../../src/core/attacks/types';
import { CIFAR10_CLASS_NAMES, CIFAR10_FILES, CIFAR10_RECORD_BYTES } from '../../src/core/data/cifar10Constants';
import { cifar10FromFiles } from '../../src/core/data/cifar10';
import { readCifar10Archive, type ArchiveProgress, type ByteSource } from '../../src/core/data/cifar10Archive';
import type { ImageDataset } from '../../src/core/data/dataset';
import { crc32 } from '../../src/core/data/gunzip';
import { accuracy } from '../../src/core/metrics/accuracy';
import { asClassifier } from '../../src/core/models/classifier';
import { classifierFromFiles, modelToFiles } from '../../src/core/models/modelIO';
import { buildModel } from '../../src/core/models/registry';
import { cropFlipAugment, cropFlipDraw, CROP_PADDING } from '../../src/core/train/augment';
import { Trainer } from '../../src/core/train/trainer';
import { CancelledError, DataFormatError, InvalidOptionError, PlaygroundError } from '../../src/core/util/errors';
import { mulberry32 } from '../../src/core/util/random';

const SAMPLE_DIR = process.env.CIFAR10_DIR;
const SHIPPED_CIFAR_MODEL = 'public/models/cifar10-cnn-sample';
const BATCH_DIR = 'cifar-10-batches-bin';
const META_TEXT = `${CIFAR10_CLASS_NAMES.join('\n')}\n`;

const SKIP_SAMPLE = skipWhenMissing(
  SAMPLE_DIR ? null : 'the CIFAR-10 sample (set CIFAR10_DIR, e.g. to ../shared/data/cifar10-sample)',
  'cifar10.test.ts',
);

// ---------------------------------------------------------------------------------------------
// Building inputs by hand

/** A pixel byte of generated record `r` (global index), channel c, plane position p. */
const pixel = (r: number, c: number, p: number) => (r * 37 + c * 101 + p * 13 + ((p * p) >> 3)) & 255;
const labelOf = (r: number) => (r * 7 + 3) % 10;

/** A binary batch of `count` records, from global record index `first`: label, R plane, G plane, B plane. */
function batch(first: number, count: number): Uint8Array {
  const out = new Uint8Array(count * CIFAR10_RECORD_BYTES);
  for (let k = 0; k < count; k++) {
    const r = first + k;
    const at = k * CIFAR10_RECORD_BYTES;
    out[at] = labelOf(r);
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) out[at + 1 + c * 1024 + p] = pixel(r, c, p);
  }
  return out;
}

/** Records per generated batch (small, and different per file so the order shows). */
const GEN_COUNTS = { train: [3, 2, 4, 1, 2], test: [3] };

interface TarFile {
  name: string;
  bytes?: Uint8Array;
  /** '0' file, '5' directory, 'L' GNU long name. */
  type?: string;
}

/**
 * A tar archive written from the format description, not with the reader's code: GNU headers
 * ("ustar  \0", as GNU tar wrote the official archive) or POSIX ("ustar\0" "00"), two zero blocks,
 * padded to a 10,240-byte record as tar does.
 */
function tarArchive(files: TarFile[], flavour: 'gnu' | 'posix' = 'gnu'): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const f of files) {
    const bytes = f.bytes ?? new Uint8Array(0);
    const h = new Uint8Array(512);
    const put = (text: string, at: number) => {
      for (let i = 0; i < text.length; i++) h[at + i] = text.charCodeAt(i);
    };
    put(f.name.slice(0, 100), 0);
    put('0000644\0', 100);
    put('0001750\0', 108);
    put('0001750\0', 116);
    put(`${bytes.length.toString(8).padStart(11, '0')}\0`, 124);
    put('11117243465\0', 136);
    put(f.type ?? '0', 156);
    if (flavour === 'gnu') put('ustar  \0', 257);
    else put('ustar\u000000', 257);
    put('alex', 265);
    put('alex', 297);
    put('        ', 148);
    const sum = h.reduce((a, b) => a + b, 0);
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h);
    const padded = new Uint8Array(Math.ceil(bytes.length / 512) * 512);
    padded.set(bytes);
    blocks.push(padded);
  }
  blocks.push(new Uint8Array(1024));
  let total = blocks.reduce((a, b) => a + b.length, 0);
  const record = 10240;
  total = Math.ceil(total / record) * record;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const b of blocks) {
    out.set(b, pos);
    pos += b.length;
  }
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);

/** The official layout (order shuffled as tar left it), with the generated batches. */
function officialFiles(): TarFile[] {
  let first = 0;
  const data: Record<string, Uint8Array> = {};
  for (const split of ['train', 'test'] as const) {
    CIFAR10_FILES[split].forEach((name, i) => {
      data[name] = batch(first, GEN_COUNTS[split][i]);
      first += GEN_COUNTS[split][i];
    });
  }
  return [
    { name: `${BATCH_DIR}/`, type: '5' },
    { name: `${BATCH_DIR}/data_batch_1.bin`, bytes: data['data_batch_1.bin'] },
    { name: `${BATCH_DIR}/batches.meta.txt`, bytes: text(`${META_TEXT}\n`) },
    { name: `${BATCH_DIR}/data_batch_3.bin`, bytes: data['data_batch_3.bin'] },
    { name: `${BATCH_DIR}/data_batch_4.bin`, bytes: data['data_batch_4.bin'] },
    { name: `${BATCH_DIR}/test_batch.bin`, bytes: data['test_batch.bin'] },
    {
      name: `${BATCH_DIR}/readme.html`,
      bytes: text('<meta HTTP-EQUIV="REFRESH" content="0; URL=http://www.cs.toronto.edu/~kriz/cifar.html">'),
    },
    { name: `${BATCH_DIR}/data_batch_5.bin`, bytes: data['data_batch_5.bin'] },
    { name: `${BATCH_DIR}/data_batch_2.bin`, bytes: data['data_batch_2.bin'] },
  ];
}

/** The dataset the generated files must give, computed from `pixel` and `labelOf` directly. */
function expectGenerated(ds: ImageDataset, split: 'train' | 'test'): void {
  const first = split === 'train' ? 0 : GEN_COUNTS.train.reduce((a, b) => a + b, 0);
  const count = GEN_COUNTS[split].reduce((a, b) => a + b, 0);
  expect(ds.name).toBe('cifar10');
  expect(ds.split).toBe(split);
  expect(ds.count).toBe(count);
  expect([ds.height, ds.width, ds.channels]).toEqual([32, 32, 3]);
  expect(ds.classNames).toEqual([...CIFAR10_CLASS_NAMES]);
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    labels[k] = labelOf(first + k);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) images[k * 3072 + (y * 32 + x) * 3 + c] = pixel(first + k, c, y * 32 + x);
      }
    }
  }
  expect(Buffer.from(ds.labels).equals(Buffer.from(labels))).toBe(true);
  expect(Buffer.from(ds.images).equals(Buffer.from(images))).toBe(true);
}

/** `bytes` as a ReadableStream of chunks of `size` bytes. */
function streamOf(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let pos = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pos >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(pos, pos + size));
      pos += size;
    },
  });
}

async function* iterableOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let pos = 0; pos < bytes.length; pos += size) yield bytes.subarray(pos, pos + size);
}

async function expectRejects(
  promise: Promise<unknown>,
  message: RegExp,
  type: new (...args: never[]) => Error = DataFormatError,
): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected a ${type.name}`).toBeInstanceOf(type);
  expect((caught as Error).message).toMatch(message);
}

function expectThrows(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a DataFormatError').toBeInstanceOf(DataFormatError);
  expect((caught as Error).message).toMatch(message);
}

const readArchive = (source: ByteSource, splits?: ('train' | 'test')[]) =>
  readCifar10Archive(source, { what: 'test.tar.gz', splits });

// ---------------------------------------------------------------------------------------------

describe.skipIf(SKIP_SAMPLE)('the real CIFAR-10 sample ($CIFAR10_DIR)', () => {
  test('4,660 training and 846 test images, 32×32×3, the official first labels and class names', async () => {
    const [train, testSet] = await Promise.all([loadCifar10('train'), loadCifar10('test')]);
    expect(train.count).toBe(4660);
    expect(testSet.count).toBe(846);
    for (const ds of [train, testSet]) {
      expect(ds.name).toBe('cifar10');
      expect([ds.height, ds.width, ds.channels]).toEqual([32, 32, 3]);
      expect(ds.images.length).toBe(ds.count * 3072);
      expect(ds.classNames).toEqual([...CIFAR10_CLASS_NAMES]);
      const histogram = new Array(10).fill(0);
      for (const l of ds.labels) histogram[l]++;
      for (const h of histogram) expect(h / ds.count).toBeGreaterThan(0.07);
    }
    // The well-known first labels of data_batch_1 (frog, truck, truck, deer, …) and test_batch (cat, ship, ship,
    // airplane, …).
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([6, 9, 9, 4, 1, 1, 2, 7, 8, 3]);
    expect(Array.from(testSet.labels.subarray(0, 10))).toEqual([3, 8, 8, 0, 6, 6, 1, 6, 3, 1]);
    // data_batch_2's records follow data_batch_1's 932.
    const second = new Uint8Array(await readFile(join(SAMPLE_DIR!, BATCH_DIR, 'data_batch_2.bin')));
    expect(train.labels[932]).toBe(second[0]);
    // Pixel (y, x) of channel c is byte 1 + 1024·c + 32·y + x of the record, stored at (y·32 + x)·3 + c.
    const raw = new Uint8Array(await readFile(join(SAMPLE_DIR!, BATCH_DIR, 'test_batch.bin')));
    const r = 5;
    for (const [y, x] of [
      [0, 0],
      [7, 19],
      [31, 31],
    ]) {
      for (let c = 0; c < 3; c++) {
        expect(testSet.images[r * 3072 + (y * 32 + x) * 3 + c]).toBe(raw[r * 3073 + 1 + c * 1024 + y * 32 + x]);
      }
    }
    // Colour images: the channels differ (a grey copy would make them equal).
    let differ = 0;
    for (let p = 0; p < 3072 * 20; p += 3) if (train.images[p] !== train.images[p + 2]) differ++;
    expect(differ).toBeGreaterThan(1000);
  });

  test(
    'loadDataset("cifar10"), the cifar-10-batches-bin directory itself, and a .tar.gz of the sample ' + 'agree',
    async () => {
      const fromDir = await loadDataset('cifar10', 'test');
      const fromSub = await loadCifar10('test', join(SAMPLE_DIR!, BATCH_DIR));
      expect(Buffer.from(fromSub.images).equals(Buffer.from(fromDir.images))).toBe(true);
      // The archive is made in memory and in a temporary directory only, in the official layout.
      const files: TarFile[] = [{ name: `${BATCH_DIR}/`, type: '5' }];
      for (const name of [...CIFAR10_FILES.train, ...CIFAR10_FILES.test, 'batches.meta.txt']) {
        files.push({
          name: `${BATCH_DIR}/${name}`,
          bytes: new Uint8Array(await readFile(join(SAMPLE_DIR!, BATCH_DIR, name))),
        });
      }
      const gz = gzipSync(tarArchive(files), { level: 1 });
      const progress: ArchiveProgress[] = [];
      const splits = await readCifar10Archive(streamOf(gz, 65536), {
        totalBytes: gz.length,
        onProgress: (p) => progress.push(p),
      });
      const train = await loadCifar10('train');
      expect(splits.train!.count).toBe(4660);
      expect(Buffer.from(splits.train!.images).equals(Buffer.from(train.images))).toBe(true);
      expect(Buffer.from(splits.test!.labels).equals(Buffer.from(fromDir.labels))).toBe(true);
      expect(progress.at(-1)).toMatchObject({ fraction: 1, bytesRead: gz.length, totalBytes: gz.length });
      const tmp = await mkdtemp(join(tmpdir(), 'rp-cifar-'));
      try {
        await writeFile(join(tmp, 'cifar-10-binary.tar.gz'), gz);
        const viaFile = await loadCifar10('test', join(tmp, 'cifar-10-binary.tar.gz'));
        expect(Buffer.from(viaFile.images).equals(Buffer.from(fromDir.images))).toBe(true);
        const viaDir = await loadCifar10('test', tmp); // a directory that holds only the archive
        expect(viaDir.count).toBe(846);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    },
  );

  const shippedModelFile = join(ROOT, SHIPPED_CIFAR_MODEL, 'model.json');
  test.skipIf(skipWhenMissing(existsSync(shippedModelFile) ? null : shippedModelFile, 'cifar10.test.ts'))(
    'the shipped sample model scores on the 846 test images what its metadata says',
    async () => {
      await useWasm();
      const clf = await readModelDir(join(ROOT, SHIPPED_CIFAR_MODEL));
      expect(clf.meta).toMatchObject({ dataset: 'cifar10', inputShape: [32, 32, 3], arch: 'cifar-cnn' });
      expect(clf.meta.description).toMatch(/4,660 CIFAR-10 training images/);
      const acc = await accuracy(clf.logits, await loadCifar10('test'));
      expect(acc).toBeCloseTo(clf.meta.heldOutAccuracy!.value, 6);
      expect(acc).toBeGreaterThan(0.3); // chance is 0.1
    },
  );
});

describe('a cifar-10-binary.tar.gz built byte by byte', () => {
  const gz = gzipSync(tarArchive(officialFiles()));

  test.each([
    ['whole, as a Uint8Array', () => gz],
    ['a ReadableStream of 777-byte chunks (never aligned to 512 or 3,073)', () => streamOf(gz, 777)],
    ['an async iterable of 13-byte chunks', () => iterableOf(gz, 13)],
    ['a Blob', () => new Blob([gz])],
  ] as [string, () => ByteSource][])('reads back exactly: %s', async (_, source) => {
    const splits = await readArchive(source());
    expectGenerated(splits.train!, 'train');
    expectGenerated(splits.test!, 'test');
  });

  test('POSIX ustar headers, the uncompressed .tar, and a GNU long name are read too', async () => {
    const posix = await readArchive(gzipSync(tarArchive(officialFiles(), 'posix')));
    expectGenerated(posix.train!, 'train');
    const plain = await readArchive(tarArchive(officialFiles()));
    expectGenerated(plain.test!, 'test');
    const long = `${'deep/'.repeat(30)}${BATCH_DIR}/test_batch.bin`; // 180 characters: needs GNU's ././@LongLink
    const files = officialFiles().flatMap((f) =>
      f.name.endsWith('test_batch.bin')
        ? [
            { name: '././@LongLink', type: 'L', bytes: text(`${long}\0`) },
            { ...f, name: long.slice(0, 100) },
          ]
        : [f],
    );
    expectGenerated((await readArchive(gzipSync(tarArchive(files)))).test!, 'test');
  });

  test('only the wanted split is kept; class names come from batches.meta.txt', async () => {
    const renamed = officialFiles().map((f) =>
      f.name.endsWith('meta.txt') ? { ...f, bytes: text('a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n') } : f,
    );
    const splits = await readArchive(gzipSync(tarArchive(renamed)), ['test']);
    expect(splits.train).toBeUndefined();
    expect(splits.test!.count).toBe(3);
    expect(splits.test!.classNames).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
  });

  test('progress: monotonic bytes, fraction reaching 1; cancellation throws CancelledError', async () => {
    // Stored (level 0) with a 400-record test batch: larger than one progress step of 1 MiB.
    const files = officialFiles().map((f) => (f.name.endsWith('test_batch.bin') ? { ...f, bytes: batch(0, 400) } : f));
    const big = gzipSync(tarArchive(files), { level: 0 });
    expect(big.length).toBeGreaterThan(1 << 20);
    const seen: ArchiveProgress[] = [];
    await readCifar10Archive(streamOf(big, 100_000), { totalBytes: big.length, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < seen.length; i++) expect(seen[i].bytesRead).toBeGreaterThanOrEqual(seen[i - 1].bytesRead);
    expect(seen.at(-1)!.fraction).toBe(1);
    expect(seen.at(-1)!.message).toMatch(/MB/);
    let polls = 0;
    let cancelledStream = false;
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(big.slice(0, 4096));
      },
      cancel() {
        cancelledStream = true;
      },
    });
    await expectRejects(readCifar10Archive(source, { isCancelled: () => ++polls > 3 }), /Cancelled/, CancelledError);
    expect(cancelledStream).toBe(true);
  });

  test('loose .bin files by name, in any order; a path before the name is fine', () => {
    const files = officialFiles().filter((f) => f.type !== '5' && !f.name.endsWith('.html'));
    const splits = cifar10FromFiles(files.reverse().map((f) => ({ name: f.name, bytes: f.bytes! })));
    expectGenerated(splits.train!, 'train');
    expectGenerated(splits.test!, 'test');
    const testOnly = cifar10FromFiles([{ name: 'test_batch.bin', bytes: batch(0, 2) }]);
    expect(testOnly.train).toBeUndefined();
    expect(testOnly.test!.count).toBe(2);
  });

  test('crc32 is gzip\'s (check value of "123456789" is 0xCBF43926)', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(text('56789'), crc32(text('1234')))).toBe(0xcbf43926);
  });
});

describe('inputs that are not CIFAR-10 binary batches give a clear DataFormatError', () => {
  const good = () => officialFiles();
  const gz = (files: TarFile[]) => gzipSync(tarArchive(files));
  const replace = (name: string, bytes: Uint8Array) => good().map((f) => (f.name.endsWith(name) ? { ...f, bytes } : f));

  test('wrong record size: as a loose file, and in an archive (refused from the tar header)', async () => {
    const odd = new Uint8Array(2 * CIFAR10_RECORD_BYTES + 5);
    expectThrows(
      () => cifar10FromFiles([{ name: 'test_batch.bin', bytes: odd }]),
      /test_batch\.bin: 6,151 bytes is not a whole number of CIFAR-10 records \(3,073 bytes each.*5 bytes left over/,
    );
    await expectRejects(
      readArchive(gz(replace('data_batch_3.bin', odd))),
      /data_batch_3\.bin: 6,151 bytes is not a whole number/,
    );
  });

  test('label 10 (or a CIFAR-100 style record)', async () => {
    const bad = batch(0, 3);
    bad[2 * CIFAR10_RECORD_BYTES] = 10;
    expectThrows(
      () => cifar10FromFiles([{ name: 'test_batch.bin', bytes: bad }]),
      /record 2 has label 10; CIFAR-10 labels are 0–9/,
    );
    await expectRejects(readArchive(gz(replace('test_batch.bin', bad))), /record 2 has label 10/);
  });

  test('truncated gzip: cut in the deflate data, in the trailer, in the header; and a corrupt CRC', async () => {
    const whole = gz(good());
    await expectRejects(
      readArchive(whole.subarray(0, Math.floor(whole.length / 2))),
      /gzip stream ends early.*truncated/,
    );
    await expectRejects(
      readArchive(streamOf(whole.subarray(0, whole.length - 4), 1000)),
      /gzip check failed.*truncated or corrupt/,
    );
    await expectRejects(readArchive(whole.subarray(0, whole.length - 8)), /gzip check failed|truncated/);
    await expectRejects(readArchive(whole.subarray(0, 6)), /only 6 bytes of gzip data.*truncated/);
    const corrupt = whole.slice();
    corrupt[corrupt.length - 6] ^= 0x40;
    await expectRejects(readArchive(corrupt), /gzip check failed/);
  });

  test('truncated tar: inside an entry, inside a header, without the end marker (compressed or not)', async () => {
    const tar = tarArchive(good());
    // 512 (dir) + 512 (header) + 100 bytes into data_batch_1.bin
    await expectRejects(
      readArchive(gzipSync(tar.subarray(0, 1124))),
      /tar archive ends inside cifar-10-batches-bin\/data_batch_1\.bin \(100 of 9,219 bytes\).*truncated/,
    );
    await expectRejects(readArchive(tar.subarray(0, 1124 + 9219 + 300)), /ends inside/);
    await expectRejects(readArchive(gzipSync(tar.subarray(0, 512 + 256))), /ends inside a header block/);
    // Cut exactly after the last entry: every file is there, but the end-of-archive blocks are not.
    const files = good();
    const entriesEnd = files.reduce((a, f) => a + 512 + Math.ceil((f.bytes?.length ?? 0) / 512) * 512, 0);
    await expectRejects(
      readArchive(gzipSync(tarArchive(files).subarray(0, entriesEnd))),
      /without its end-of-archive marker/,
    );
  });

  test('the Python (pickle) version: archive, file names, file contents', async () => {
    const pickle = new Uint8Array([0x80, 0x02, 0x7d, 0x71, 0x00, 0x28, ...new Array(200).fill(0x55)]);
    const pyArchive = gz([
      { name: 'cifar-10-batches-py/', type: '5' },
      { name: 'cifar-10-batches-py/data_batch_1', bytes: pickle },
      { name: 'cifar-10-batches-py/batches.meta', bytes: pickle },
    ]);
    await expectRejects(
      readArchive(pyArchive),
      /Python version of CIFAR-10 \(cifar-10-python\.tar\.gz.*download cifar-10-binary\.tar\.gz/,
    );
    expectThrows(
      () => cifar10FromFiles([{ name: 'data_batch_1', bytes: pickle }]),
      /data_batch_1 is from the Python version/,
    );
    expectThrows(() => cifar10FromFiles([{ name: 'data_batch_1.bin', bytes: pickle }]), /Python version/);
    expectThrows(() => cifar10FromFiles([{ name: 'mystery.dat', bytes: pickle }]), /Python version/);
    await expectRejects(readArchive(pickle), /Python version/); // a bare pickle given as the archive
  });

  test('the MATLAB version', async () => {
    const mat = text(`MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: Mon Jun 15 2009${' '.repeat(60)}`);
    await expectRejects(
      readArchive(gz([{ name: 'cifar-10-batches-mat/data_batch_1.mat', bytes: mat }])),
      /MATLAB version of CIFAR-10.*cifar-10-binary\.tar\.gz/,
    );
    expectThrows(() => cifar10FromFiles([{ name: 'test_batch.mat', bytes: mat }]), /MATLAB version/);
    expectThrows(() => cifar10FromFiles([{ name: 'test_batch.bin', bytes: mat }]), /MATLAB version/);
  });

  test('CIFAR-100 and unrelated files', async () => {
    await expectRejects(
      readArchive(gz([{ name: 'cifar-100-binary/train.bin', bytes: new Uint8Array(3074) }])),
      /CIFAR-100/,
    );
    await expectRejects(
      readArchive(
        gz([
          { name: 'photos/cat.jpg', bytes: text('JFIF') },
          { name: 'notes.txt', bytes: text('hi') },
        ]),
      ),
      /no CIFAR-10 batches in this archive.*photos\/cat\.jpg, notes\.txt.*cifar-10-binary\.tar\.gz/,
    );
    await expectRejects(
      readArchive(text('PK\u0003\u0004 a zip file, not a tarball at all'.padEnd(600, '.'))),
      /neither a gzip-compressed tar archive nor a tar archive \(it starts 0x50 0x4b 0x03 0x04\)/,
    );
    await expectRejects(readArchive(gzipSync(text('just some text\n'.repeat(100)))), /not a tar archive/);
    await expectRejects(readArchive(new Uint8Array(0)), /is empty/);
    expectThrows(
      () => cifar10FromFiles([{ name: 'holiday.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) }]),
      /Unexpected file "holiday\.png".*data_batch_1\.bin/,
    );
    expectThrows(() => cifar10FromFiles([{ name: 'test_batch.bin', bytes: gzipSync(batch(0, 1)) }]), /gzip-compressed/);
  });

  test('missing batches: in an archive, among loose files, in a directory; CIFAR10_DIR unset', async () => {
    await expectRejects(
      readArchive(gz(good().filter((f) => !f.name.endsWith('data_batch_3.bin')))),
      /archive lacks cifar-10-batches-bin\/data_batch_3\.bin/,
    );
    expectThrows(
      () => cifar10FromFiles(CIFAR10_FILES.train.slice(0, 4).map((name) => ({ name, bytes: batch(0, 1) }))),
      /train split needs data_batch_1\.bin, .* missing: data_batch_5\.bin/,
    );
    const tmp = await mkdtemp(join(tmpdir(), 'rp-cifar-'));
    try {
      await expectRejects(loadCifar10('test', tmp), /has no test_batch\.bin: CIFAR10_DIR must name the directory/);
      await mkdir(join(tmp, 'cifar-10-batches-py'));
      await expectRejects(loadCifar10('test', tmp), /Python version/);
      await expectRejects(loadCifar10('test', join(tmp, 'nowhere')), /no such file or directory/, PlaygroundError);
      await expectRejects(
        loadCifar10('test', ''),
        /^set CIFAR10_DIR to the directory of CIFAR-10's binary version/,
        PlaygroundError,
      );
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------

/** n seeded colour images in [0,1] with smooth structure (so gradients are not degenerate). */
function colourImages(n: number, seed: number): tf.Tensor4D {
  const rand = mulberry32(seed);
  const values = new Float32Array(n * 32 * 32 * 3);
  for (let k = 0; k < n; k++) {
    const phase = [rand(), rand(), rand()].map((v) => v * 6);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) {
          const v = 0.5 + 0.45 * Math.sin(phase[c] + (x * (c + 1)) / 5 + y / 7) * (0.6 + 0.4 * rand());
          values[((k * 32 + y) * 32 + x) * 3 + c] = Math.min(1, Math.max(0, v));
        }
      }
    }
  }
  // Some pixels exactly at 0 and 1, where clipping must hold the bound.
  values[0] = 0;
  values[1] = 1;
  return tf.tensor4d(values, [n, 32, 32, 3]);
}

describe('colour models and attacks', () => {
  beforeAll(useWasm);

  test('cifar-cnn and the Yan et al. models / MLP build for 32×32×3; MNIST-only models refuse cifar10', () => {
    const classroom = buildModel('cifar-cnn', { seed: 1, dataset: 'cifar10' });
    expect(classroom.model.countParams()).toBe(33_834);
    expect(classroom.meta).toMatchObject({
      arch: 'cifar-cnn',
      dataset: 'cifar10',
      inputShape: [32, 32, 3],
      classNames: [...CIFAR10_CLASS_NAMES],
    });
    const paper = buildModel('cifar-cnn', { seed: 1, dataset: 'cifar10', size: 'paper' });
    expect(paper.model.countParams()).toBe(1_250_858); // Keras' cifar10_cnn.py
    for (const arch of ['odenet', 'yan-cnn', 'tisode', 'mlp'] as const) {
      const built = buildModel(arch, { seed: 1, dataset: 'cifar10', channels: 4, steps: 2 });
      expect(built.model.inputs[0].shape).toEqual([null, 32, 32, 3]);
      expect(built.meta.dataset).toBe('cifar10');
      const out = tf.tidy(() => (built.model.predict(tf.zeros([2, 32, 32, 3])) as tf.Tensor).shape);
      expect(out).toEqual([2, 10]);
      built.model.dispose();
    }
    // ODENet's extractor with 3 input channels: exactly 2·9·C more weights than on MNIST at paper size.
    const mnistOde = buildModel('odenet', { seed: 1, size: 'paper' }).model;
    const cifarOde = buildModel('odenet', { seed: 1, size: 'paper', dataset: 'cifar10' }).model;
    expect(cifarOde.countParams() - mnistOde.countParams()).toBe(2 * 9 * 64);
    for (const arch of ['cnn', 'homogeneous-cnn'] as const) {
      expect(() => buildModel(arch, { seed: 1, dataset: 'cifar10' })).toThrow(InvalidOptionError);
    }
    for (const m of [classroom.model, paper.model, mnistOde, cifarOde]) m.dispose();
  });

  test('save → load keeps a colour model and its metadata', async () => {
    const built = buildModel('cifar-cnn', { seed: 3, dataset: 'cifar10' });
    const loaded = await classifierFromFiles(await modelToFiles(built.model, built.meta));
    expect(loaded.meta).toMatchObject({ dataset: 'cifar10', inputShape: [32, 32, 3] });
    const x = colourImages(2, 9);
    const [a, b] = [built.model.predict(x) as tf.Tensor, loaded.logits(x)];
    expect(Math.max(...(tf.abs(tf.sub(a, b)).dataSync() as Float32Array))).toBeLessThan(1e-5);
    tf.dispose([x, a, b]);
    built.model.dispose();
    loaded.model.dispose();
  });

  const methods: [AttackOptions['method'], AttackOptions['norm'], string][] = [
    ['fgsm', 'linf', 'cifar-cnn'],
    ['bim', 'linf', 'cifar-cnn'],
    ['pgd', 'linf', 'cifar-cnn'],
    ['pgd', 'l2', 'cifar-cnn'],
    ['pgd', 'linf', 'odenet'],
  ];
  test.each(methods)(
    '%s / %s on a fresh %s: ‖δ‖∞ ≤ ε in every channel, pixels in [0,1], no tensor leak',
    async (method, norm, arch) => {
      const built = buildModel(arch as 'cifar-cnn' | 'odenet', { seed: 2, dataset: 'cifar10', channels: 4, steps: 2 });
      const clf = asClassifier(built.model, built.meta);
      const x = colourImages(4, 5);
      const y = tf.tensor1d([0, 3, 5, 9], 'int32');
      const before = tf.memory().numTensors;
      const eps = norm === 'linf' ? 8 / 255 : 0.5;
      const run = await runAttack(clf.logits, x, y, 10, {
        method,
        norm,
        eps,
        steps: 3,
        restarts: method === 'pgd' ? 2 : 1,
        target: { kind: 'untargeted' },
        seed: 4,
      });
      expect(run.adversarial.shape).toEqual([4, 32, 32, 3]);
      const xs = rows(x);
      const as = rows(run.adversarial);
      for (let k = 0; k < 4; k++) {
        const perChannel = [0, 0, 0];
        let l2 = 0;
        for (let i = 0; i < as[k].length; i++) {
          expect(as[k][i]).toBeGreaterThanOrEqual(0);
          expect(as[k][i]).toBeLessThanOrEqual(1);
          const d = Math.abs(as[k][i] - xs[k][i]);
          perChannel[i % 3] = Math.max(perChannel[i % 3], d);
          l2 += d * d;
        }
        if (norm === 'linf') {
          for (const m of perChannel) {
            expect(m).toBeLessThanOrEqual(eps + 1e-6);
            expect(m).toBeGreaterThan(eps / 4); // every channel is attacked, not only one
          }
        } else {
          expect(Math.sqrt(l2)).toBeLessThanOrEqual(eps + 1e-4);
          expect(Math.sqrt(l2)).toBeGreaterThan(0.05);
        }
      }
      disposeAttackRun(run);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, y]);
      built.model.dispose();
    },
  );
});

// ---------------------------------------------------------------------------------------------

/** Pad with zeros, crop at (pad + dy, pad + dx), then mirror: written the slow, obvious way. */
function referenceCropFlip(
  img: Float32Array,
  dy: number,
  dx: number,
  flip: boolean,
  h = 32,
  w = 32,
  c = 3,
  pad = CROP_PADDING,
): Float32Array {
  const ph = h + 2 * pad;
  const pw = w + 2 * pad;
  const padded = new Float32Array(ph * pw * c);
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++)
      for (let k = 0; k < c; k++) padded[((i + pad) * pw + j + pad) * c + k] = img[(i * w + j) * c + k];
  const crop = new Float32Array(h * w * c);
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++)
      for (let k = 0; k < c; k++) crop[(i * w + j) * c + k] = padded[((i + pad + dy) * pw + j + pad + dx) * c + k];
  if (!flip) return crop;
  const out = new Float32Array(h * w * c);
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++)
      for (let k = 0; k < c; k++) out[(i * w + j) * c + k] = crop[(i * w + (w - 1 - j)) * c + k];
  return out;
}

describe('random crop + horizontal flip', () => {
  beforeAll(useWasm);

  test('draws: shifts in −4…4, about half flipped, fixed by the seed', () => {
    const d = cropFlipDraw(2000, 11);
    expect(Math.min(...d.dy)).toBe(-4);
    expect(Math.max(...d.dx)).toBe(4);
    const flips = d.flip.reduce((a, b) => a + b, 0);
    expect(flips / 2000).toBeGreaterThan(0.45);
    expect(flips / 2000).toBeLessThan(0.55);
    expect(cropFlipDraw(2000, 11)).toEqual(d);
    expect(cropFlipDraw(2000, 12)).not.toEqual(d);
  });

  test('equals the pad-crop-mirror reference exactly, example by example; no tensor leak', () => {
    const x = colourImages(12, 21);
    const before = tf.memory().numTensors;
    const out = cropFlipAugment(x, 99);
    expect(tf.memory().numTensors).toBe(before + 1);
    const d = cropFlipDraw(12, 99);
    const xs = rows(x);
    const os = rows(out);
    for (let k = 0; k < 12; k++) {
      const expected = referenceCropFlip(xs[k], d.dy[k], d.dx[k], d.flip[k] === 1);
      expect(Buffer.from(os[k].buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      // Zeros exactly where the window left the image.
      const zeroRows = Math.abs(d.dy[k]);
      const zeroCols = Math.abs(d.dx[k]);
      const outside = 32 * 32 - (32 - zeroRows) * (32 - zeroCols);
      let zeros = 0;
      for (let p = 0; p < 1024; p++)
        if (os[k][3 * p] === 0 && os[k][3 * p + 1] === 0 && os[k][3 * p + 2] === 0) zeros++;
      expect(zeros).toBeGreaterThanOrEqual(outside);
    }
    expect(os.every((r) => r.every((v) => v >= 0 && v <= 1))).toBe(true);
    const again = cropFlipAugment(x, 99);
    expect(Array.from(again.dataSync())).toEqual(Array.from(out.dataSync()));
    tf.dispose([x, out, again]);
  });

  test('padding 0 only flips: each example is itself or its mirror, and flipping is an involution', () => {
    const x = colourImages(6, 31);
    const out = cropFlipAugment(x, 5, 0);
    const d = cropFlipDraw(6, 5, 0);
    expect(Array.from(d.dy).every((v) => v === 0) && Array.from(d.dx).every((v) => v === 0)).toBe(true);
    const mirrored = tf.reverse(x, 2);
    const [os, xs, ms] = [rows(out), rows(x), rows(mirrored)];
    for (let k = 0; k < 6; k++) expect(Array.from(os[k])).toEqual(Array.from(d.flip[k] ? ms[k] : xs[k]));
    const twice = tf.reverse(mirrored, 2);
    expect(Array.from(twice.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, out, mirrored, twice]);
  });

  test('the trainer applies it when cropFlipAugmentation is on: seeded, and it changes the run', async () => {
    const files = officialFiles().filter((f) => f.name.endsWith('.bin'));
    const data = cifar10FromFiles(files.map((f) => ({ name: f.name, bytes: f.bytes! }))).train!;
    const train = async (cropFlip: boolean) => {
      const { model } = buildModel('cifar-cnn', { seed: 1, dataset: 'cifar10' });
      const trainer = new Trainer(model, data, {
        epochs: 2,
        batchSize: 4,
        seed: 3,
        optimizer: { kind: 'adam', learningRate: 1e-2 },
        cropFlipAugmentation: cropFlip,
      });
      await trainer.run();
      trainer.dispose();
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return weights.flat();
    };
    const [a, b, plain] = [await train(true), await train(true), await train(false)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(plain);
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * Runs `body` with $CIFAR10_DIR set to `dir` (unset when undefined), as a child process started with that environment
 * would see it; the file's own value is restored afterwards.
 */
async function withCifar10Dir<T>(dir: string | undefined, body: () => Promise<T>): Promise<T> {
  const saved = process.env.CIFAR10_DIR;
  if (dir === undefined) delete process.env.CIFAR10_DIR;
  else process.env.CIFAR10_DIR = dir;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.CIFAR10_DIR;
    else process.env.CIFAR10_DIR = saved;
  }
}

// The commands run in this process (the functions main.ts dispatches to); cli.test.ts checks the contract on child
// processes.
describe('command line with --data cifar10', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'rp-cifar-cli-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test('CIFAR10_DIR unset: one error line that says to set it, nothing on stdout', async () => {
    const message = await withCifar10Dir(undefined, () =>
      refusalOf(train, argv('--arch cifar-cnn --data cifar10 --epochs 1 --out', join(tmp, 'm'))),
    );
    expect(message).toMatch(/^set CIFAR10_DIR to the directory of CIFAR-10's binary version/);
  });

  test(
    'train → eval on a generated CIFAR10_DIR: JSON out, colour model with crop/flip, honest ' + 'description',
    async () => {
      const dir = join(tmp, 'data', BATCH_DIR);
      await mkdir(dir, { recursive: true });
      for (const f of officialFiles())
        if (f.type !== '5') await writeFile(join(dir, f.name.split('/').pop()!), f.bytes!);
      const out = join(tmp, 'model');
      await withCifar10Dir(join(tmp, 'data'), async () => {
        const summary = await jsonOf(train, argv('--arch cifar-cnn --data cifar10 --epochs 1 --batch 4 --out', out));
        expect(summary).toMatchObject({
          arch: 'cifar-cnn',
          data: 'cifar10',
          trainExamples: 12,
          testExamples: 3,
          cropFlipAugmentation: true,
          parameters: 33_834,
        });
        const meta = (await readModelDir(out)).meta;
        expect(meta.description).toMatch(/only 12 CIFAR-10 training images \(a sample of the 50,000/);
        const evaluated = await jsonOf(evalCommand, argv('--model', out, '--data cifar10 --attack fgsm --eps 0.03'));
        expect(evaluated).toMatchObject({ data: 'cifar10', n: 3, attack: { name: 'fgsm', eps: 0.03 } });
        const wrong = await refusalOf(evalCommand, argv('--model public/models/mnist-cnn --data cifar10'));
        expect(wrong).toMatch(/made for mnist, not cifar10/);
      });
    },
  );
});
