/**
 * "Certify this image": the attack lab's picture with its current model — certified L∞ radii (IBP, CROWN) on one
 * ruler with the smallest PGD perturbation found, and the smoothing L2 radius. The certificate belongs to the
 * picture it was computed for and disappears when another is chosen.
 */
import { create } from 'zustand';
import type { PictureCertificate } from '../worker/api';
import { type CurrentImage, useAttackLab } from './attackLabStore';
import { playground, runTask } from './workerSession';

/** Smaller than the analysis view's n: one picture should take seconds to a minute on wasm. */
export const PICTURE_CERTIFY_DEFAULTS = { fallbackSigma: 0.25, n0: 100, n: 1000, alpha: 0.001, steps: 20, restarts: 2 };

interface PictureCertificateState {
  certificate: PictureCertificate | null;
  /** The picture it was computed for. */
  image: CurrentImage | null;
  fallbackSigma: number;
  n: number;
}

export const usePictureCertificate = create<PictureCertificateState>()(() => ({
  certificate: null,
  image: null,
  fallbackSigma: PICTURE_CERTIFY_DEFAULTS.fallbackSigma,
  n: PICTURE_CERTIFY_DEFAULTS.n,
}));

export function setPictureCertifySettings(s: Partial<Pick<PictureCertificateState, 'fallbackSigma' | 'n'>>): void {
  usePictureCertificate.setState(s);
}

export async function certifyCurrentPicture(): Promise<void> {
  const image = useAttackLab.getState().image;
  if (!image) return;
  const { fallbackSigma, n } = usePictureCertificate.getState();
  const d = PICTURE_CERTIFY_DEFAULTS;
  usePictureCertificate.setState({ certificate: null, image: null });
  const certificate = await runTask('certify', 'Certifying this image', (onProgress) =>
    playground().certifyPicture(
      {
        image: image.pixels,
        label: image.trueLabel ?? image.prediction.label,
        smoothing: { sigma: null, fallbackSigma, n0: d.n0, n, alpha: d.alpha },
        pgd: { steps: d.steps, restarts: d.restarts },
      },
      onProgress,
    ),
  );
  if (certificate && useAttackLab.getState().image === image) usePictureCertificate.setState({ certificate, image });
}
