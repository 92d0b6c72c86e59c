/** The Certify panel's settings and result (models and the test images come from the analysis store). */
import { create } from 'zustand';
import { CERTIFY_FIELDS } from '../../core/options/certifyOptions';
import type { BoundMethodName, CertifyModelsResult } from '../../worker/api';

/** Sized for a minute or two on wasm with the shipped strided CNN; smoothing is the slow part. */
export const CERTIFY_DEFAULTS = {
  images: CERTIFY_FIELDS.images.default as number,
  /** The panel draws a curve of ε, so it starts with several (the schema's default is one budget). */
  eps: [0, 0.02, 0.05, 0.1, 0.2, 0.3],
  methods: ['ibp', 'crown'] as BoundMethodName[],
  pgdSteps: CERTIFY_FIELDS.pgdSteps.default as number,
  pgdRestarts: CERTIFY_FIELDS.pgdRestarts.default as number,
  smoothing: false,
  smoothingImages: CERTIFY_FIELDS.smoothingImages.default as number,
  radii: [0, 0.25, 0.5, 0.75, 1, 1.5, 2],
  /** null: the σ the model was trained with, when its metadata says. */
  sigma: null as number | null,
  fallbackSigma: CERTIFY_FIELDS.sigma.default as number,
  n0: CERTIFY_FIELDS.n0.default as number,
  n: CERTIFY_FIELDS.n.default as number,
  alpha: CERTIFY_FIELDS.alpha.default as number,
};

export type CertifySettings = typeof CERTIFY_DEFAULTS;

interface CertifyState extends CertifySettings {
  result: CertifyModelsResult | null;
}

export const useCertify = create<CertifyState>()(() => ({ ...CERTIFY_DEFAULTS, result: null }));
