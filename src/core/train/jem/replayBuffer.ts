/**
 * The persistent replay buffer of short-run SGLD chains (Du & Mordatch 2019, §3.1; JEM, Grathwohl et al.
 * ICLR 2020, §4 and their Algorithm 1): a store of past samples; each batch's chains start from random
 * entries of it, except that each start is, independently with probability `reinit` (5 % in both papers),
 * replaced by fresh uniform noise. The chains' ends are written back where they came from, so the chains
 * persist across batches and get far longer than the K steps of one batch.
 *
 * Class-conditional use (JEM's class-conditional sampling): the buffer is split into one equal segment per
 * class and a chain for class y starts from y's segment.
 *
 * Plain Float32Arrays: a batch's starts are copied out and its ends copied back (a few hundred KiB per batch),
 * and the draws come from a seeded generator, so a run is reproducible and a stopped run resumes unchanged.
 */
import { InvalidOptionError } from '../../util/errors';
import { mulberry32 } from '../../util/random';

export interface ReplayBufferConfig {
  size: number;
  /** Probability that a chain starts from fresh uniform noise instead of the buffer. */
  reinit: number;
  /** Values per example (h·w·c). */
  exampleSize: number;
  /** Uniform noise is drawn on this range (the data range). */
  range: [number, number];
  seed: number;
}

export interface BufferDraw {
  /** The chains' starts, n × exampleSize. */
  starts: Float32Array;
  /** Where in the buffer each start came from (and where its end goes back). */
  indices: Int32Array;
  /** 1 where the start is fresh noise. */
  reinitialised: Uint8Array;
}

export function validateReplayBuffer(c: ReplayBufferConfig): void {
  if (!Number.isInteger(c.size) || c.size < 1 || c.size > 200_000)
    throw new InvalidOptionError('the replay buffer size must be a whole number from 1 to 200000.');
  if (!(c.reinit >= 0 && c.reinit <= 1)) throw new InvalidOptionError('the re-initialised share must be in [0, 1].');
  if (!(c.range[0] < c.range[1])) throw new InvalidOptionError('the buffer range must have low < high.');
}

export class ReplayBuffer {
  readonly values: Float32Array;
  /** When each entry was last written (the number of the write() call; 0: never): the live grid shows the newest. */
  readonly lastWritten: Uint32Array;
  private writes = 0;

  constructor(readonly config: ReplayBufferConfig) {
    validateReplayBuffer(config);
    this.values = new Float32Array(config.size * config.exampleSize);
    this.lastWritten = new Uint32Array(config.size);
    this.fillUniform(this.values, mulberry32(config.seed));
  }

  /**
   * n chain starts; with `classes` (one per chain, 0…numClasses−1) each is drawn from its class's segment.
   * `seed` fixes the draw.
   */
  draw(n: number, seed: number, classes?: { labels: ArrayLike<number>; numClasses: number }): BufferDraw {
    const { size, exampleSize, reinit } = this.config;
    const rand = mulberry32(seed);
    const segment = classes ? Math.floor(size / classes.numClasses) : size;
    if (segment < 1) throw new InvalidOptionError('the replay buffer must hold at least one example per class.');
    const starts = new Float32Array(n * exampleSize);
    const indices = new Int32Array(n);
    const reinitialised = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const offset = classes ? classes.labels[i] * segment : 0;
      indices[i] = offset + Math.floor(rand() * segment);
      const target = starts.subarray(i * exampleSize, (i + 1) * exampleSize);
      if (rand() < reinit) {
        reinitialised[i] = 1;
        this.fillUniform(target, rand);
      } else {
        target.set(this.values.subarray(indices[i] * exampleSize, (indices[i] + 1) * exampleSize));
      }
    }
    return { starts, indices, reinitialised };
  }

  /** Writes the chains' ends back where their starts came from (later duplicates win). */
  write(indices: Int32Array, ends: Float32Array): void {
    const e = this.config.exampleSize;
    this.writes++;
    for (let i = 0; i < indices.length; i++) {
      this.values.set(ends.subarray(i * e, (i + 1) * e), indices[i] * e);
      this.lastWritten[indices[i]] = this.writes;
    }
  }

  /** Entries [from, from + n) as one array (the live sample grid shows rows of them). */
  entries(indices: ArrayLike<number>): Float32Array {
    const e = this.config.exampleSize;
    const out = new Float32Array(indices.length * e);
    for (let i = 0; i < indices.length; i++) out.set(this.values.subarray(indices[i] * e, (indices[i] + 1) * e), i * e);
    return out;
  }

  private fillUniform(target: Float32Array, rand: () => number): void {
    const [lo, hi] = this.config.range;
    for (let j = 0; j < target.length; j++) target[j] = lo + (hi - lo) * rand();
  }
}
