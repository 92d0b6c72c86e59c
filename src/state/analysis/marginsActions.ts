/** What the margins panel's controls do. */
import { playground, runTask } from '../workerSession';
import { useAnalysis } from './analysisStore';
import { useMargins } from './marginsStore';

export function setMarginSettings(
  s: Partial<{ images: number; deepFoolImages: number; eps: number; pgdDistance: boolean }>,
): void {
  useMargins.setState((st) => {
    const next = { ...st, ...s };
    // DeepFool runs on the first images of the margin set: never more of them.
    return { ...next, deepFoolImages: Math.min(next.deepFoolImages, next.images) };
  });
}

export async function runMargins(): Promise<void> {
  const { models } = useAnalysis.getState();
  const { images, deepFoolImages, eps, pgdDistance } = useMargins.getState();
  useMargins.setState({ results: null });
  const result = await runTask(
    'analysis',
    `Margins on ${images} images (DeepFool on ${deepFoolImages})`,
    (onProgress) => playground().analyseMargins({ models, images, deepFoolImages, eps, pgdDistance }, onProgress),
  );
  useMargins.setState({ results: result ?? null });
}
