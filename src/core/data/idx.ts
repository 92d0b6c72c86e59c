/**
 * Reader for the IDX format of the MNIST files (LeCun et al.): a 4-byte magic number
 * (0x00 0x00, a type code, the number of dimensions), one big-endian uint32 per dimension,
 * then the values row-major. MNIST uses type 0x08 (unsigned byte) only.
 */
import { DataFormatError } from '../util/errors';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const IDX_TYPE_UBYTE = 0x08;

/** Parses an IDX file of unsigned bytes; throws DataFormatError naming `what` on any mismatch. */
export function parseIdx(bytes: Uint8Array, what = 'IDX file'): IdxArray {
  if (bytes.length < 4) {
    throw new DataFormatError(`${what}: only ${bytes.length} bytes, too short for an IDX header.`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFormatError(
      `${what}: not an IDX file (magic number starts 0x${hex(bytes[0])} 0x${hex(bytes[1])}, expected 0x00 0x00). ` +
        'Is it still gzip-compressed?',
    );
  }
  if (bytes[2] !== IDX_TYPE_UBYTE) {
    throw new DataFormatError(
      `${what}: value type 0x${hex(bytes[2])} is not supported (MNIST files use 0x08, unsigned bytes).`,
    );
  }
  const ndims = bytes[3];
  if (ndims < 1 || ndims > 4) {
    throw new DataFormatError(`${what}: ${ndims} dimensions; expected 1 to 4.`);
  }
  const headerLength = 4 + 4 * ndims;
  if (bytes.length < headerLength) {
    throw new DataFormatError(`${what}: truncated inside the header.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    size *= d;
  }
  const expected = headerLength + size;
  if (bytes.length !== expected) {
    throw new DataFormatError(
      `${what}: header promises ${dims.join('×')} values (${expected} bytes) but the file has ${bytes.length} bytes` +
        (bytes.length < expected ? ' — it is truncated.' : ' — it has trailing data.'),
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
