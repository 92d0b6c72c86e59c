/**
 * Certification: what provably holds beside what attacks find. Over the first N test images for the analysis
 * view's models (certified accuracy against ε by IBP and CROWN, the empirical accuracy under PGD on the same
 * images, certified accuracy against the L2 radius by randomized smoothing), and for the attack lab's one picture
 * (the largest certified radii beside the smallest perturbations the attacks found).
 */
import type { Progress } from '../../core/util/progress';
import type { PictureCertificate } from '../../core/verify/pictureCertificate';
import type { AnalysisModel } from './analysis';

import type { CertificationCurvesSpec, ModelCertification } from '../../core/verify/certificationCurves';
import type { PictureCertifySpec } from '../../core/verify/pictureCertificate';

export type {
  CertificationCurvesSpec,
  CertifiedCurve,
  ModelCertification,
  SmoothingCurve,
} from '../../core/verify/certificationCurves';
export type {
  BoundMethodName,
  PictureCertificate,
  PictureCertifySpec,
  RadiusOrError,
} from '../../core/verify/pictureCertificate';
export type { SmoothingSettings } from '../../core/verify/smoothing/smoothingSettings';

/** The core's curves spec for the models the analysis view picked. */
export interface CertifyModelsRequest extends CertificationCurvesSpec {
  models: AnalysisModel[];
}

export interface CertifyModelsResult {
  models: ModelCertification[];
  pgd: { steps: number; restarts: number };
  seconds: number;
}

/** The core's picture spec with the picture itself. */
export interface PictureCertifyRequest extends PictureCertifySpec {
  /** h × w × c values in [0,1]. */
  image: Float32Array;
}

export interface CertifyApi {
  /** Certified and empirical accuracy curves for each model, on the first N test images. */
  certifyModels(req: CertifyModelsRequest, onProgress?: (p: Progress) => void): Promise<CertifyModelsResult>;
  /** The attack lab's picture with its current model: certified radii beside the smallest attacks found. */
  certifyPicture(req: PictureCertifyRequest, onProgress?: (p: Progress) => void): Promise<PictureCertificate>;
}
