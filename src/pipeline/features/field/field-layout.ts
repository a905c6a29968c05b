/**
 * The `.field` file's layout, shared by the writer, the reader's size check and `bytesPerPoint`:
 * a 32-byte header, then five sections in this order, each padded to 4 bytes:
 * basis (K×D f32; empty for the identity basis), weights (N f32), codes (N×K i8),
 * exception indices (E u32), exception vectors (E×D f16 bits).
 */

export const FIELD_MAGIC = 0x444c4646; // 'FFLD' little-endian
export const FIELD_FORMAT_VERSION = 1;
export const FIELD_HEADER_BYTES = 32;

/** Header offsets (all little-endian u32 but the last, f32). */
export const FIELD_HEADER = {
  magic: 0,
  version: 4,
  count: 8,
  dim: 12,
  components: 16,
  identityBasis: 20,
  exceptions: 24,
  minCosine: 28,
} as const;

export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** Section byte lengths (unpadded), in file order. */
export interface FieldSections {
  basis: number;
  weights: number;
  codes: number;
  exceptionIndices: number;
  exceptionVectors: number;
}

/** Total file size for the given section lengths. */
export function fieldFileBytes(s: FieldSections): number {
  return (
    FIELD_HEADER_BYTES +
    align4(s.basis) +
    align4(s.weights) +
    align4(s.codes) +
    align4(s.exceptionIndices) +
    align4(s.exceptionVectors)
  );
}
