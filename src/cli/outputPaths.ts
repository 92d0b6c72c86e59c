/**
 * Where a command writes (--out): checked before any work starts, so that a typo in a path does not cost a whole
 * attack or training run and end in a raw system error.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PlaygroundError } from '../core/util/errors';

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function isWritable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A file to be written: its folder must exist and be writable, and the path must not be a folder. */
export async function checkOutputFile(path: string): Promise<void> {
  const folder = dirname(resolve(path));
  if (!(await isDirectory(folder))) throw new PlaygroundError(`Cannot write --out ${path}: ${folder} is no folder.`);
  if (!(await isWritable(folder))) throw new PlaygroundError(`Cannot write --out ${path}: ${folder} is read-only.`);
  if (await isDirectory(path)) throw new PlaygroundError(`Cannot write --out ${path}: it is a folder.`);
}

/** A folder to be created or filled: the nearest thing that exists on its path must be a writable folder. */
export async function checkOutputFolder(path: string): Promise<void> {
  let existing = resolve(path);
  while (!(await exists(existing)) && dirname(existing) !== existing) existing = dirname(existing);
  if (!(await isDirectory(existing)))
    throw new PlaygroundError(`Cannot write --out ${path}: ${existing} is no folder.`);
  if (!(await isWritable(existing))) throw new PlaygroundError(`Cannot write --out ${path}: ${existing} is read-only.`);
}

/** Runs a write, turning a system error (disk full, permissions changed meanwhile) into one sentence. */
export async function writingOut<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message ?? String(err);
    throw new PlaygroundError(`Cannot write --out ${path} (${reason}).`);
  }
}
