/** What the Certify panel's controls do. */
import { playground, runTask } from '../workerSession';
import { useAnalysis } from './analysisStore';
import { type CertifySettings, useCertify } from './certifyStore';

export function setCertifySettings(s: Partial<CertifySettings>): void {
  useCertify.setState((st) => {
    const next = { ...st, ...s };
    // Smoothing runs on the first images of the certified set: never more of them.
    return { ...next, smoothingImages: Math.min(next.smoothingImages, next.images) };
  });
}

/** Certified (IBP, CROWN) and empirical (PGD) accuracy against ε, and smoothing against the L2 radius. */
export async function runCertify(): Promise<void> {
  const { models } = useAnalysis.getState();
  const s = useCertify.getState();
  useCertify.setState({ result: null });
  const smoothing = s.smoothing
    ? {
        images: s.smoothingImages,
        radii: s.radii,
        sigma: s.sigma,
        fallbackSigma: s.fallbackSigma,
        n0: s.n0,
        n: s.n,
        alpha: s.alpha,
      }
    : undefined;
  const result = await runTask('analysis', `Certifying ${s.images} images`, (onProgress) =>
    playground().certifyModels(
      {
        models,
        images: s.images,
        eps: s.eps,
        methods: s.methods,
        pgd: { steps: s.pgdSteps, restarts: s.pgdRestarts },
        smoothing,
      },
      onProgress,
    ),
  );
  useCertify.setState({ result: result ?? null });
}
