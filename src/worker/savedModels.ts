/**
 * Models the user trained and saved, kept in IndexedDB as the same two files a download has
 * (model.json text + weights bytes), so custom layers round-trip exactly like files do.
 */
import { createStore, del, entries, get, set } from 'idb-keyval';
import type { ModelFiles } from '../core/models/modelIO';
import type { ModelMeta } from '../core/models/modelMeta';
import { PlaygroundError } from '../core/util/errors';
import type { SavedModelInfo } from './api';

interface SavedModel extends SavedModelInfo {
  files: ModelFiles;
}

let store: ReturnType<typeof createStore> | undefined;
const modelStore = () => (store ??= createStore('robustness-playground-models', 'models'));

export async function saveModel(
  name: string,
  files: ModelFiles,
  meta: ModelMeta,
  parameters: number,
): Promise<SavedModelInfo> {
  const info: SavedModelInfo = {
    name,
    meta,
    parameters,
    savedAt: new Date().toISOString(),
    bytes: files.weights.byteLength + files.modelJson.length,
  };
  try {
    await set(name, { ...info, files } satisfies SavedModel, modelStore());
  } catch (err) {
    throw new PlaygroundError(
      `Could not save "${name}" in the browser (storage full or private mode?): ${(err as Error).message}`,
    );
  }
  return info;
}

/** Notes on a saved model that its copy was read back and matched the trained model. */
export async function recordReadBack(
  name: string,
  readBack: NonNullable<SavedModelInfo['readBack']>,
): Promise<SavedModelInfo> {
  const m = await get<SavedModel>(name, modelStore());
  if (!m) throw new PlaygroundError(`No saved model is called "${name}".`);
  await set(name, { ...m, readBack } satisfies SavedModel, modelStore());
  const { files: _files, ...info } = m;
  return { ...info, readBack };
}

export async function listSavedModels(): Promise<SavedModelInfo[]> {
  const all = await entries<string, SavedModel>(modelStore()).catch(() => []);
  return all
    .map(([, m]) => ({
      name: m.name,
      meta: m.meta,
      parameters: m.parameters,
      savedAt: m.savedAt,
      bytes: m.bytes,
      readBack: m.readBack,
    }))
    .sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

export async function savedModelFiles(name: string): Promise<ModelFiles> {
  const m = await get<SavedModel>(name, modelStore());
  if (!m) throw new PlaygroundError(`No saved model is called "${name}".`);
  return m.files;
}

export async function deleteSavedModel(name: string): Promise<void> {
  await del(name, modelStore());
}
