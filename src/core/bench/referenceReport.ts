/**
 * The side-by-side report: the project's figures from the reference suite beside the native
 * PyTorch reference's own JSON (its output, read from a file), and their ratios ours / PyTorch.
 */
import { PlaygroundError } from '../util/errors';
import type { ReferenceFigures } from './referenceSuite';

/** What the reference script prints: {"threads", "torch", "reference": [{arch, params, …}]}. */
export interface TorchReference {
  threads?: number;
  torch?: string;
  reference: { arch: string; pgd20ImagesPerSecond: number; trainSamplesPerSecond: number }[];
}

export interface ReferenceRatio {
  arch: string;
  backend: string;
  /** ours / PyTorch, PGD-20 images/s (null when the reference lacks the architecture). */
  pgd20: number | null;
  /** ours / PyTorch, training samples/s. */
  train: number | null;
}

/** Parses and checks the reference's JSON; `name` (the file) goes into the error message. */
export function parseReferenceFile(text: string, name: string): TorchReference {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PlaygroundError(`${name} is not JSON; pass the output of the PyTorch reference script.`);
  }
  const rows = (value as { reference?: unknown })?.reference;
  const ok =
    Array.isArray(rows) &&
    rows.every(
      (r) =>
        typeof r?.arch === 'string' &&
        Number.isFinite(r?.pgd20ImagesPerSecond) &&
        Number.isFinite(r?.trainSamplesPerSecond),
    );
  if (!ok) {
    throw new PlaygroundError(
      `${name} has no "reference" list of {arch, pgd20ImagesPerSecond, trainSamplesPerSecond}; pass the output of ` +
        `the PyTorch reference script.`,
    );
  }
  return value as TorchReference;
}

const ratio = (ours: number, theirs: number | undefined) =>
  theirs !== undefined && Number.isFinite(ours) && theirs > 0 ? Math.round((ours / theirs) * 100) / 100 : null;

export function referenceRatios(ours: readonly ReferenceFigures[], torch: TorchReference): ReferenceRatio[] {
  return ours.map((o) => {
    const r = torch.reference.find((row) => row.arch === o.arch);
    return {
      arch: o.arch,
      backend: o.backend,
      pgd20: ratio(o.pgd20ImagesPerSecond, r?.pgd20ImagesPerSecond),
      train: ratio(o.trainSamplesPerSecond, r?.trainSamplesPerSecond),
    };
  });
}

/** The bench's JSON: our rows, and with a reference its rows and the ratios. */
export function referenceSuiteJson(rows: readonly ReferenceFigures[], torch: TorchReference | null) {
  if (!torch) return { reference: rows };
  return {
    reference: rows,
    pytorch: { threads: torch.threads, torch: torch.torch, reference: torch.reference },
    ratios: referenceRatios(rows, torch),
  };
}
