import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadMnist, mnistDataDir } from '../../src/cli/nodeFiles';
import { parseIdx } from '../../src/core/data/idx';
import { MNIST_FILES, mnistFirstExamples, mnistFromIdx, mnistImagePrefixLength } from '../../src/core/data/mnist';
import { DataFormatError } from '../../src/core/util/errors';

/** An IDX file built by hand: magic 00 00 type ndims, big-endian dims, then the values. */
function idx(dims: number[], values: ArrayLike<number> | number, type = 0x08): Uint8Array {
  const n = typeof values === 'number' ? values : values.length;
  const out = new Uint8Array(4 + 4 * dims.length + n);
  out[2] = type;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  if (typeof values !== 'number') out.set(values, 4 + 4 * dims.length);
  return out;
}

function expectDataError(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a DataFormatError').toBeInstanceOf(DataFormatError);
  expect((caught as Error).message).toMatch(message);
}

describe('parseIdx on the real MNIST files', () => {
  test('the raw files parse with the documented shapes', () => {
    const dir = mnistDataDir();
    const expected = {
      train: { images: [60000, 28, 28], labels: [60000] },
      test: { images: [10000, 28, 28], labels: [10000] },
    } as const;
    for (const split of ['train', 'test'] as const) {
      const images = parseIdx(new Uint8Array(readFileSync(join(dir, MNIST_FILES[split].images))));
      const labels = parseIdx(new Uint8Array(readFileSync(join(dir, MNIST_FILES[split].labels))));
      expect(images.dims).toEqual(expected[split].images);
      expect(labels.dims).toEqual(expected[split].labels);
      expect(images.data.length).toBe(expected[split].images.reduce((a, b) => a * b, 1));
      expect(labels.data.length).toBe(expected[split].labels[0]);
    }
  });

  test('loadMnist gives 60,000 train and 10,000 test examples, 28×28×1, labels 0–9 all present', async () => {
    const [train, test] = await Promise.all([loadMnist('train'), loadMnist('test')]);
    for (const [ds, count] of [
      [train, 60000],
      [test, 10000],
    ] as const) {
      expect(ds.name).toBe('mnist');
      expect(ds.count).toBe(count);
      expect([ds.height, ds.width, ds.channels]).toEqual([28, 28, 1]);
      expect(ds.images.length).toBe(count * 784);
      expect(ds.labels.length).toBe(count);
      const histogram = new Array(10).fill(0);
      for (const l of ds.labels) {
        expect(l).toBeLessThanOrEqual(9);
        histogram[l]++;
      }
      // Every digit is present in roughly its expected share (MNIST is near-balanced: 8.9 %–11.3 %).
      for (const h of histogram) {
        expect(h / count).toBeGreaterThan(0.08);
        expect(h / count).toBeLessThan(0.12);
      }
    }
    expect(train.split).toBe('train');
    expect(test.split).toBe('test');
    // Well-known first labels of the official files (a wrong header offset would shift them).
    expect(Array.from(train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    // Border pixels of MNIST digits are background (0); ink reaches 255.
    const first = test.images.subarray(0, 784);
    expect(first[0]).toBe(0);
    expect(Math.max(...first)).toBe(255);
  });
});

describe('parseIdx on hand-built and corrupt inputs', () => {
  test('a valid file: big-endian dimensions and the values after the header', () => {
    const values = Array.from({ length: 2 * 258 }, (_, i) => i % 251);
    const parsed = parseIdx(idx([2, 258], values));
    expect(parsed.dims).toEqual([2, 258]); // 258 = 0x00000102: little-endian reading would give 0x02010000
    expect(Array.from(parsed.data)).toEqual(values);
  });

  test('wrong magic number', () => {
    const bytes = idx([3], [1, 2, 3]);
    bytes[0] = 0x12;
    expectDataError(() => parseIdx(bytes, 'my file'), /my file.*not an IDX file.*0x12/);
  });

  test('gzip-compressed file is recognised as not IDX, with a hint', () => {
    const gz = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3]);
    expectDataError(() => parseIdx(gz), /gzip/);
  });

  test('unsupported value type', () => {
    expectDataError(() => parseIdx(idx([2], 8, 0x0d)), /type 0x0d.*not supported/);
  });

  test('truncated values', () => {
    const full = idx([4, 5], new Array(20).fill(7));
    expectDataError(() => parseIdx(full.subarray(0, full.length - 3)), /truncated/);
  });

  test('trailing bytes', () => {
    const full = idx([4, 5], new Array(20).fill(7));
    const longer = new Uint8Array(full.length + 2);
    longer.set(full);
    expectDataError(() => parseIdx(longer), /trailing/);
  });

  test('the message states what the header promises and what the file has', () => {
    const full = idx([10, 10], new Array(100).fill(1));
    expectDataError(() => parseIdx(full.subarray(0, 50)), /10×10.*\b112 bytes\b.*\b50 bytes/);
  });

  test('truncated inside the header', () => {
    const full = idx([60000, 28, 28], 0);
    expectDataError(() => parseIdx(full.subarray(0, 9)), /truncated/);
  });

  test('fewer than 4 bytes', () => {
    expectDataError(() => parseIdx(new Uint8Array([0, 0])), /too short|truncated/);
    expectDataError(() => parseIdx(new Uint8Array(0)), /too short|truncated/);
  });

  test('zero or too many dimensions', () => {
    expectDataError(() => parseIdx(new Uint8Array([0, 0, 8, 0])), /dimensions/);
    expectDataError(() => parseIdx(new Uint8Array([0, 0, 8, 9, ...new Array(36).fill(0)])), /dimensions/);
  });

  test('a view into a larger buffer (byteOffset ≠ 0) parses correctly', () => {
    const inner = idx([2, 3], [1, 2, 3, 4, 5, 6]);
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    const parsed = parseIdx(outer.subarray(5));
    expect(parsed.dims).toEqual([2, 3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('mnistFromIdx', () => {
  const images2 = () => idx([2, 28, 28], new Array(2 * 784).fill(0));

  test('assembles a valid data set', () => {
    const ds = mnistFromIdx('test', images2(), idx([2], [3, 9]));
    expect(ds.count).toBe(2);
    expect(Array.from(ds.labels)).toEqual([3, 9]);
    expect(ds.classNames).toHaveLength(10);
  });

  test('image and label counts that differ', () => {
    expectDataError(() => mnistFromIdx('test', images2(), idx([3], [1, 2, 3])), /2 images but 3 labels/);
  });

  test('a label outside 0–9', () => {
    expectDataError(() => mnistFromIdx('train', images2(), idx([2], [1, 12])), /label 12 at index 1/);
  });

  test('images that are not N×28×28', () => {
    expectDataError(
      () => mnistFromIdx('test', idx([2, 27, 28], new Array(2 * 27 * 28).fill(0)), idx([2], [1, 2])),
      /27.*28/,
    );
    expectDataError(() => mnistFromIdx('test', idx([2, 784], new Array(2 * 784).fill(0)), idx([2], [1, 2])), /N×28×28/);
  });

  test('labels that are not one-dimensional', () => {
    expectDataError(() => mnistFromIdx('test', images2(), idx([2, 1], [1, 2])), /labels/);
  });

  test('errors name the split and the file', () => {
    const bad = images2();
    bad[1] = 5;
    expectDataError(() => mnistFromIdx('train', bad, idx([2], [1, 2])), /MNIST train images/);
    expectDataError(() => mnistFromIdx('test', images2(), idx([2], [1, 2]).subarray(0, 9)), /MNIST test labels/);
  });
});

describe('mnistFirstExamples: the first digits from the start of a download', () => {
  test('a byte prefix of the real test files gives the files’ own first examples, pixel for pixel', () => {
    const dir = mnistDataDir();
    const images = new Uint8Array(readFileSync(join(dir, MNIST_FILES.test.images)));
    const labels = new Uint8Array(readFileSync(join(dir, MNIST_FILES.test.labels)));
    const count = 30;
    // A download cut a little after the 30th image, as a stream chunk would end.
    const prefix = images.slice(0, 16 + count * 784 + 500);
    const first = mnistFirstExamples('test', prefix, labels, count);
    expect(first.count).toBe(count);
    // Read straight from the file's layout (16-byte header, 784 bytes an image; 8-byte header, a byte a label).
    expect([...first.images]).toEqual([...images.subarray(16, 16 + count * 784)]);
    expect([...first.labels]).toEqual([...labels.subarray(8, 8 + count)]);
    expect([...first.labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]); // MNIST's first test labels
    // The caller's bytes are not rewritten: the whole file still parses as 10,000 images.
    expect(mnistFromIdx('test', images, labels).count).toBe(10_000);
  });

  test('too short a prefix is refused, naming the count', () => {
    const labels = idx([3], [1, 2, 3]);
    const images = idx([3, 28, 28], 3 * 784).subarray(0, mnistImagePrefixLength(2) - 1);
    expectDataError(() => mnistFirstExamples('test', images, labels, 2), /fewer than 2 examples/);
  });
});
