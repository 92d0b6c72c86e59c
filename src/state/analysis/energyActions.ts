/** What the energy panel's controls do: choose the outsider sets, add the user's images, run. */
import type { OodSource } from '../../core/eval/oodSources';
import { CIFAR10_SIDE } from '../../core/data/cifar10Constants';
import type { DecodedPicture } from '../imageActions';
import { useDatasets } from '../datasetStore';
import { playground, runTask } from '../workerSession';
import { useAnalysis } from './analysisStore';
import { useEnergy } from './energyStore';

/** Enough for a histogram; each image is a whole preprocessing round trip. */
export const MAX_OOD_IMAGES = 64;

export function setEnergySettings(s: Partial<{ images: number; eps: number }>): void {
  useEnergy.setState(s);
}

export function toggleSource(source: OodSource, on: boolean): void {
  useEnergy.setState((st) => ({
    sources: on ? [...st.sources.filter((x) => x !== source), source] : st.sources.filter((x) => x !== source),
  }));
}

/**
 * Adds pictures the user dropped as an out-of-distribution set, preprocessed exactly as the
 * attack lab would (MNIST: grey, inverted, cropped, centred; CIFAR-10: centre crop to 32×32).
 */
export async function addOodPictures(
  pictures: { name: string; decode: () => Promise<DecodedPicture> }[],
): Promise<void> {
  const dataset = useDatasets.getState().active;
  await runTask('image', `Reading ${pictures.length} image(s)`, async () => {
    const previous = useEnergy.getState().userImages;
    const kept = previous && previous.dataset === dataset ? previous : null;
    const names = kept ? [...kept.names] : [];
    const chunks: Float32Array[] = kept ? [kept.pixels] : [];
    for (const p of pictures.slice(0, Math.max(0, MAX_OOD_IMAGES - names.length))) {
      const picture = await p.decode();
      const pre =
        dataset === 'cifar10'
          ? await playground().preprocessColour(picture.rgba, picture.width, picture.height, CIFAR10_SIDE)
          : await playground().preprocess(picture.rgba, picture.width, picture.height);
      names.push(p.name);
      chunks.push(pre.pixels);
    }
    const pixels = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      pixels.set(c, offset);
      offset += c.length;
    }
    useEnergy.setState((st) => ({
      userImages: { dataset, names, pixels },
      sources: st.sources.includes('user') ? st.sources : [...st.sources, 'user'],
    }));
  });
}

export function forgetOodPictures(): void {
  useEnergy.setState((st) => ({ userImages: null, sources: st.sources.filter((s) => s !== 'user') }));
}

export async function runEnergy(): Promise<void> {
  const { models } = useAnalysis.getState();
  const { images, sources, eps, userImages } = useEnergy.getState();
  const dataset = useDatasets.getState().active;
  const usable = userImages && userImages.dataset === dataset ? userImages : null;
  const chosen = sources.filter((s) => s !== 'user' || usable);
  useEnergy.setState({ results: null });
  const result = await runTask('analysis', `Energy scores on ${images} images`, (onProgress) =>
    playground().analyseEnergy(
      { models, images, sources: chosen, adversarialEps: eps, userImages: usable?.pixels },
      onProgress,
    ),
  );
  useEnergy.setState({ results: result ?? null });
}
