/** fetch() of a binary file with byte-level progress, for the data set download bar. */
import { PlaygroundError } from '../core/util/errors';

/** fetch() itself failed: no network (offline, and not in the service worker's copy) or no server. */
export class UnreachableError extends PlaygroundError {}

/** The first `length` bytes of a download, handed over as soon as they have arrived (once). */
export interface BytePrefix {
  length: number;
  onPrefix: (bytes: Uint8Array) => void;
}

export async function fetchBytes(
  url: string,
  onBytes?: (loaded: number, total: number) => void,
  prefix?: BytePrefix,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new UnreachableError(`Could not fetch ${url}: ${(err as Error).message}`);
  }
  if (!response.ok) throw new PlaygroundError(`Could not fetch ${url}: HTTP ${response.status}.`);
  const total = Number(response.headers.get('Content-Length') ?? 0);
  if (!response.body) {
    const whole = new Uint8Array(await response.arrayBuffer());
    if (prefix && whole.length >= prefix.length) prefix.onPrefix(whole.subarray(0, prefix.length));
    return whole;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let prefixSent = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onBytes?.(loaded, total);
    if (prefix && !prefixSent && loaded >= prefix.length) {
      prefixSent = true;
      prefix.onPrefix(concat(chunks, loaded).subarray(0, prefix.length));
    }
  }
  return concat(chunks, loaded);
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
