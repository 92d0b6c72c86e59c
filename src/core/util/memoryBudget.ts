/**
 * Memory budgets for batched work: every job that runs a model over a batch (attack, evaluation,
 * training, analysis, certification) asks `chunkSizeFor` how many examples it may process at once
 * and runs its batch in chunks of that size with `mapChunks`, so a batch of any size fits the
 * backend. A job's memory per example is measured, not guessed: the job's own unit of work runs
 * once on two examples under tf.profile, whose peak counts every tensor held at once (for an
 * attack step on the paper-size ODENet, ~15 MB an example: a batch of 256 would need ~4 GB, the
 * whole of wasm's 32-bit heap).
 *
 * An out-of-memory failure is turned into OutOfMemoryError, one sentence that says what to lower.
 * On wasm such a failure aborts the backend's module (every later call fails); `restartBackend`
 * in src/core/backend/backends.ts brings up a fresh one, after which models must be loaded again.
 */
import * as tf from '@tensorflow/tfjs';
import { OutOfMemoryError } from './errors';

/**
 * Bytes of tensors one job may hold at once. wasm: a quarter of its 4 GB heap, leaving room for
 * the data sets, the models, XNNPACK's own buffers and fragmentation; the GPU backends: a size
 * integrated GPUs and software adapters carry; cpu: the JavaScript heap.
 */
const BUDGET_BYTES: Record<string, number> = {
  wasm: 1_000_000_000,
  cpu: 1_000_000_000,
  webgl: 500_000_000,
  webgpu: 500_000_000,
};
const FALLBACK_BUDGET_BYTES = 500_000_000;

let budgetOverride: number | null = null;

/** Sets the budget for every backend (bytes), or restores the defaults with null. */
export function setMemoryBudget(bytes: number | null): void {
  if (bytes !== null && !(Number.isFinite(bytes) && bytes > 0)) {
    throw new RangeError(`A memory budget must be a positive number of bytes, got ${bytes}.`);
  }
  budgetOverride = bytes;
}

export function memoryBudgetBytes(backend: string = tf.getBackend()): number {
  return budgetOverride ?? BUDGET_BYTES[backend] ?? FALLBACK_BUDGET_BYTES;
}

/** Examples the probe runs on: two, so a per-example figure includes what does not scale too. */
const PROBE_EXAMPLES = 2;
const perExampleCache = new WeakMap<object, Map<string, number>>();

/**
 * Peak tensor bytes per example of a unit of work, measured by running `probe(m)` (the work on
 * the first m examples; it returns what it made, which is disposed) under tf.profile. Cached per
 * `key` (a model or a logits function) and `kind` (forward, input gradient, training step …) on
 * the current backend.
 */
export async function measureBytesPerExample(
  probe: (m: number) => tf.TensorContainer,
  m: number,
  cache?: { key: object; kind: string },
): Promise<number> {
  const kind = cache ? `${tf.getBackend()}:${cache.kind}` : '';
  const cached = cache ? perExampleCache.get(cache.key)?.get(kind) : undefined;
  if (cached !== undefined) return cached;
  const before = tf.memory().numBytes;
  const info = await tf.profile(() => {
    tf.dispose(probe(m));
  });
  const bytes = Math.max(0, info.peakBytes - before) / Math.max(1, m);
  if (cache) {
    const map = perExampleCache.get(cache.key) ?? new Map<string, number>();
    map.set(kind, bytes);
    perExampleCache.set(cache.key, map);
  }
  return bytes;
}

/**
 * How many of `n` examples a job may process at once within the budget: all of them when the
 * measured need fits, else the largest chunk that does (at least 1). `probe(m)` runs the job's
 * unit of work on its first m examples (see measureBytesPerExample).
 */
export async function chunkSizeFor(
  n: number,
  probe: (m: number) => tf.TensorContainer,
  o: { cache?: { key: object; kind: string }; budgetBytes?: number } = {},
): Promise<number> {
  if (n <= PROBE_EXAMPLES) return Math.max(1, n);
  const perExample = await measureBytesPerExample(probe, PROBE_EXAMPLES, o.cache);
  return chunkSizeForBytes(n, perExample, o.budgetBytes ?? memoryBudgetBytes());
}

/** The largest chunk of `n` examples at `bytesPerExample` each within `budgetBytes` (at least 1). */
export function chunkSizeForBytes(n: number, bytesPerExample: number, budgetBytes: number): number {
  if (!(bytesPerExample > 0)) return n;
  return Math.max(1, Math.min(n, Math.floor(budgetBytes / bytesPerExample)));
}

/** The [start, end) ranges of `n` examples in chunks of `chunk`. */
export function chunkRanges(n: number, chunk: number): [number, number][] {
  const size = Math.max(1, Math.floor(chunk));
  const out: [number, number][] = [];
  for (let start = 0; start < n; start += size) out.push([start, Math.min(n, start + size)]);
  return out;
}

/**
 * Runs `work` on consecutive slices (axis 0) of `inputs`, `chunk` examples at a time, and
 * concatenates each of its outputs along axis 0. With one chunk the inputs go through unsliced.
 * Slices and partial outputs are disposed; the caller owns the returned tensors.
 */
export async function mapChunks<T extends tf.Tensor[]>(
  inputs: tf.Tensor[],
  chunk: number,
  work: (slices: tf.Tensor[], start: number, end: number) => Promise<T> | T,
): Promise<T> {
  const n = inputs[0].shape[0];
  const ranges = chunkRanges(n, chunk);
  if (ranges.length <= 1) return work(inputs, 0, n);
  const parts: tf.Tensor[][] = [];
  try {
    for (const [start, end] of ranges) {
      const slices = inputs.map((t) => tf.slice(t, start, end - start));
      try {
        parts.push(await work(slices, start, end));
      } finally {
        tf.dispose(slices);
      }
    }
    return parts[0].map((_, k) =>
      tf.concat(
        parts.map((p) => p[k]),
        0,
      ),
    ) as T;
  } finally {
    for (const p of parts) tf.dispose(p);
  }
}

/**
 * `fn(x)` (a forward pass: logits, features) over a batch of any size, in chunks within the
 * budget; the caller owns the result.
 */
export async function forwardInChunks<T extends tf.Tensor>(fn: (x: tf.Tensor4D) => T, x: tf.Tensor4D): Promise<T> {
  const chunk = await chunkSizeFor(x.shape[0], (m) => tf.tidy(() => fn(tf.slice(x, 0, m))), {
    cache: { key: fn, kind: 'forward' },
  });
  const [out] = await mapChunks([x], chunk, ([xc]) => [tf.tidy(() => fn(xc as tf.Tensor4D))]);
  return out as T;
}

/**
 * The gradients of a batch's mean loss with respect to the trainable variables, accumulated over
 * chunks of `chunk` examples: Σ_c (n_c / n) · ∇ mean_c(loss). Exact for a loss that is a mean
 * over examples of per-example terms (cross-entropy; GroupNorm and the ODE blocks are per
 * example), so a training step of any batch size fits the budget. Resolves the mean loss and
 * the summed gradients (the caller applies and disposes them).
 */
export async function meanLossGradientsInChunks(
  inputs: tf.Tensor[],
  chunk: number,
  meanLoss: (slices: tf.Tensor[]) => tf.Scalar,
  varList?: tf.Variable[],
): Promise<{ loss: number; grads: tf.NamedTensorMap }> {
  const n = inputs[0].shape[0];
  const ranges = chunkRanges(n, chunk);
  let total: tf.NamedTensorMap = {};
  let loss = 0;
  for (const [start, end] of ranges) {
    const slices = ranges.length > 1 ? inputs.map((t) => tf.slice(t, start, end - start)) : inputs;
    const weight = (end - start) / n;
    try {
      const { value, grads } = tf.variableGrads(() => tf.mul(meanLoss(slices), weight) as tf.Scalar, varList);
      loss += (await value.data())[0];
      value.dispose();
      const next: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(grads)) next[name] = total[name] ? tf.add(total[name], g) : g;
      for (const [name, g] of Object.entries(grads)) if (total[name]) g.dispose();
      tf.dispose(Object.values(total));
      total = next;
    } finally {
      if (ranges.length > 1) tf.dispose(slices);
    }
  }
  return { loss, grads: total };
}

/** Messages of the ways a backend runs out of memory (wasm heap, JavaScript heap, WebGL, WebGPU). */
const OUT_OF_MEMORY = [
  /memory access out of bounds/i,
  /out of memory/i,
  /Maximum memory size exceeded/i,
  /Array buffer allocation failed/i,
  /could not allocate/i,
  /Failed to allocate/i,
  /CONTEXT_LOST/i,
  /GPUOutOfMemoryError/i,
  /Aborted\(\)/,
];

export function isOutOfMemory(err: unknown): boolean {
  if (err instanceof OutOfMemoryError) return true;
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return OUT_OF_MEMORY.some((re) => re.test(text));
}

/** Runs `fn`; an out-of-memory failure becomes OutOfMemoryError naming the job and what to lower. */
export async function withMemoryErrors<T>(job: string, examples: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isOutOfMemory(err) || err instanceof OutOfMemoryError) throw err;
    throw new OutOfMemoryError(
      `${job} on ${examples} example${examples === 1 ? '' : 's'} ran out of memory on the ` +
        `${tf.getBackend()} backend; ` +
        `lower the batch size or choose a smaller model.`,
    );
  }
}
