/** Choosing the image under attack: a page of the test-set gallery, one of its images, or a photo. */
import { CIFAR10_SIDE } from '../core/data/cifar10Constants';
import type { GalleryItem } from '../worker/api';
import { useDatasets } from './datasetStore';
import { nextImageId, type PendingImage, useAttackLab } from './attackLabStore';
import { playground, runTask } from './workerSession';

export const GALLERY_PAGE_SIZE = 24;
/** MNIST images: 28 × 28 × 1. */
const MNIST_SHAPE = { height: 28, width: 28, channels: 1 } as const;
/** CIFAR-10 images: 32 × 32 × 3. */
const CIFAR10_SHAPE = { height: CIFAR10_SIDE, width: CIFAR10_SIDE, channels: 3 } as const;

/** A picture decoded on the UI side (at most MAX_DECODE_SIDE on its long side), before preprocessing. */
export interface DecodedPicture {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
  original: { width: number; height: number };
}

/**
 * Fetches one page of the active data set's gallery; asks for one item more than a page to know whether a next page
 * exists.
 */
export async function fetchGalleryPage(classFilter: number | null, offset: number): Promise<GalleryItem[]> {
  const items = await playground().gallery({
    classFilter: classFilter ?? undefined,
    offset,
    limit: GALLERY_PAGE_SIZE + 1,
    dataset: useDatasets.getState().active,
  });
  const page = items.slice(0, GALLERY_PAGE_SIZE);
  useAttackLab.setState({ gallery: { classFilter, offset, items: page, hasMore: items.length > GALLERY_PAGE_SIZE } });
  return page;
}

/** Settles when the picture chosen last has been classified, or has failed to be: what a queued attack waits for. */
let classifying: Promise<void> = Promise.resolve();

/** Resolves once no picture is waiting to be classified (a newer choice made meanwhile is waited for too). */
export async function whenPictureClassified(): Promise<void> {
  while (useAttackLab.getState().pendingImage) await classifying;
}

/**
 * Makes `image` the one under attack once the model has classified it. Until then the panel shows the new picture as
 * being classified, not beside the old picture's prediction. The old picture's attack or ε sweep is stopped at once:
 * its outcome would describe a picture no longer chosen, and on a slow backend it would hold up the classification.
 */
async function showImage(image: Omit<PendingImage, 'id'>): Promise<void> {
  const pending: PendingImage = { ...image, id: nextImageId() };
  const { job } = useAttackLab.getState();
  if (job && job.phase !== 'queued') {
    void playground().cancelAttacks();
    useAttackLab.setState({ job: null }); // its ending is no longer news; an attack asked for next is not blocked
  }
  useAttackLab.setState({ pendingImage: pending, outcome: null, sweep: null });
  const done = (async () => {
    try {
      const prediction = await playground().predict(pending.pixels);
      // A picture chosen meanwhile has taken this one's place: it alone may become the current image.
      if (useAttackLab.getState().pendingImage?.id !== pending.id) return;
      useAttackLab.setState({ image: { ...pending, prediction }, pendingImage: null });
    } finally {
      // On failure the previous picture stays, with its own prediction.
      if (useAttackLab.getState().pendingImage?.id === pending.id) useAttackLab.setState({ pendingImage: null });
    }
  })();
  classifying = done.catch(() => undefined);
  await done;
}

export function showTestImage(item: GalleryItem): Promise<void> {
  const { height, width, channels } = item;
  return showImage({
    height,
    width,
    channels,
    pixels: item.pixels,
    trueLabel: item.label,
    source: { kind: 'test', index: item.index },
  });
}

export async function showGalleryPage(classFilter: number | null, offset: number): Promise<void> {
  await runTask('image', 'Loading the gallery', () => fetchGalleryPage(classFilter, offset));
}

export async function pickGalleryImage(item: GalleryItem): Promise<void> {
  await runTask('image', `Classifying test image ${item.index}`, () => showTestImage(item));
}

/**
 * Opens a photo (or a drawing): `decode` (DOM work, done by the UI) yields RGBA pixels, the worker turns them
 * into an MNIST-like 28×28 input, or on CIFAR-10 into a 32×32 colour one (short side scaled,
 * centre crop). On any failure the previous image stays.
 */
export async function openPicture(
  name: string,
  decode: () => Promise<DecodedPicture>,
  kind: 'file' | 'drawing' = 'file',
): Promise<void> {
  await runTask('image', `Reading ${name}`, async () => {
    const picture = await decode();
    if (useDatasets.getState().active === 'cifar10') {
      const preprocess = await playground().preprocessColour(picture.rgba, picture.width, picture.height, CIFAR10_SIDE);
      await showImage({
        ...CIFAR10_SHAPE,
        pixels: preprocess.pixels,
        trueLabel: null,
        source: {
          kind: 'colour-file',
          name,
          original: picture.original,
          decoded: { width: picture.width, height: picture.height },
          preprocess,
        },
      });
      return;
    }
    const preprocess = await playground().preprocess(picture.rgba, picture.width, picture.height);
    await showImage({
      ...MNIST_SHAPE,
      pixels: preprocess.pixels,
      trueLabel: null,
      source: {
        kind,
        name,
        original: picture.original,
        decoded: { width: picture.width, height: picture.height },
        preprocess,
      },
    });
  });
}

/** Classifies the current image again (after the model changed). */
export async function repredictImage(): Promise<void> {
  const image = useAttackLab.getState().image;
  if (!image) return;
  const { pixels, height, width, channels, trueLabel, source } = image;
  await showImage({ pixels, height, width, channels, trueLabel, source });
}

/** Puts a dreamed picture (the Dream panel's result) on screen, classified like any other. */
export async function showDreamedPicture(
  pixels: Float32Array,
  shape: { height: number; width: number; channels: number },
  source: Extract<PendingImage['source'], { kind: 'dream' }>,
): Promise<void> {
  await runTask('image', `Classifying the dream of a ${source.classIndex}`, () =>
    showImage({ ...shape, pixels, trueLabel: null, source }),
  );
}
