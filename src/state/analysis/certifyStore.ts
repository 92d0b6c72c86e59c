/** The Certify panel's settings and result (models and the test images come from the analysis store). */
import { create } from 'zustand';
import type { BoundMethodName, CertifyModelsResult } from '../../worker/api';

/** Sized for a minute or two on wasm with the shipped strided CNN; smoothing is the slow part. */
export const CERTIFY_DEFAULTS = {
  images: 100,
  eps: [0, 0.02, 0.05, 0.1, 0.2, 0.3],
  methods: ['ibp', 'crown'] as BoundMethodName[],
  pgdSteps: 20,
  pgdRestarts: 2,
  smoothing: false,
  smoothingImages: 20,
  radii: [0, 0.25, 0.5, 0.75, 1, 1.5, 2],
  /** null: the σ the model was trained with, when its metadata says. */
  sigma: null as number | null,
  fallbackSigma: 0.25,
  n0: 100,
  n: 1000,
  alpha: 0.001,
};

export type CertifySettings = typeof CERTIFY_DEFAULTS;

interface CertifyState extends CertifySettings {
  result: CertifyModelsResult | null;
}

export const useCertify = create<CertifyState>()(() => ({ ...CERTIFY_DEFAULTS, result: null }));
