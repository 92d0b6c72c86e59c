/**
 * Certification: what provably holds beside what attacks find. Over the first N test images for the analysis
 * view's models (certified accuracy against ε by IBP and CROWN, the empirical accuracy under PGD on the same
 * images, certified accuracy against the L2 radius by randomized smoothing), and for the attack lab's one picture
 * (the largest certified radii beside the smallest perturbations the attacks found).
 */
import type { Progress } from '../../core/util/progress';
import type { AnalysisModel } from './analysis';

export type BoundMethodName = 'ibp' | 'crown';

/** Randomized smoothing's settings (Cohen et al. 2019): n₀ selection samples, n estimation samples, α. */
export interface SmoothingSettings {
  /** σ in pixel units; null: the σ the model was trained with (its metadata), else `fallbackSigma`. */
  sigma: number | null;
  fallbackSigma: number;
  n0: number;
  n: number;
  alpha: number;
}

export interface CertifyModelsRequest {
  models: AnalysisModel[];
  /** The first N test images, for the L∞ curves. */
  images: number;
  /** L∞ radii (pixels in [0,1]). */
  eps: number[];
  methods: BoundMethodName[];
  /** The empirical curve: L∞ PGD with these steps and restarts at every ε. */
  pgd: { steps: number; restarts: number };
  /** Randomized smoothing on the first `images` test images at these L2 radii; none when absent. */
  smoothing?: SmoothingSettings & { images: number; radii: number[] };
}

/** One method's curve, or the one sentence saying why it could not run on this model. */
export type CertifiedCurve =
  | { method: BoundMethodName; points: { eps: number; certifiedAccuracy: number }[]; seconds: number }
  | { method: BoundMethodName; error: string };

export type SmoothingCurve =
  | {
      sigma: number;
      /** Whether σ came from the model's noise training or is the chosen fallback. */
      sigmaFrom: 'model' | 'chosen';
      n: number;
      points: { radius: number; certifiedAccuracy: number }[];
      /** Images on which CERTIFY abstained (p̲_A ≤ ½). */
      abstained: number;
      cleanAccuracy: number;
      seconds: number;
    }
  | { error: string };

export interface ModelCertification {
  name: string;
  n: number;
  cleanAccuracy: number;
  certified: CertifiedCurve[];
  /** Accuracy under PGD at each ε (ε = 0: clean accuracy), on the same images. */
  empirical: { eps: number; accuracy: number }[];
  smoothing: SmoothingCurve | null;
}

export interface CertifyModelsResult {
  models: ModelCertification[];
  pgd: { steps: number; restarts: number };
  seconds: number;
}

export interface PictureCertifyRequest {
  /** h × w × c values in [0,1]. */
  image: Float32Array;
  /** The true label, or the model's clean prediction for a picture without one. */
  label: number;
  smoothing: SmoothingSettings;
  /** PGD steps and restarts per bisection probe. */
  pgd: { steps: number; restarts: number };
}

/** A certified radius, or why the method could not bound this model. */
export type RadiusOrError = { radius: number } | { error: string };

export interface PictureCertificate {
  label: number;
  prediction: number;
  /** Largest certified L∞ radius (bisection; 0 when not even the clean point is certified for the label). */
  ibp: RadiusOrError;
  crown: RadiusOrError;
  /** Smallest L∞ ε at which PGD found an adversarial example (0: already wrong); null: none up to `max`. */
  attackLinf: { eps: number | null; lastFailed: number; max: number; steps: number; restarts: number };
  /** L2 norm of DeepFool's adversarial perturbation; null when DeepFool did not change the class. */
  attackL2: number | null;
  smoothing:
    | {
        sigma: number;
        sigmaFrom: 'model' | 'chosen';
        n: number;
        alpha: number;
        /** null: CERTIFY abstains. */
        prediction: number | null;
        radius: number | null;
        pALower: number;
      }
    | { error: string };
  seconds: number;
}

export interface CertifyApi {
  /** Certified and empirical accuracy curves for each model, on the first N test images. */
  certifyModels(req: CertifyModelsRequest, onProgress?: (p: Progress) => void): Promise<CertifyModelsResult>;
  /** The attack lab's picture with its current model: certified radii beside the smallest attacks found. */
  certifyPicture(req: PictureCertifyRequest, onProgress?: (p: Progress) => void): Promise<PictureCertificate>;
}
