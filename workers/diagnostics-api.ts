/**
 * Diagnostics kept out of the pipeline's API: checks of the browser's own parts in a worker realm
 * like the pipeline's (same platform install), started only when asked for.
 */
import type { DecoderComparison } from '../src/hosts/browser/decoder-comparison';

export type { DecoderComparison };

export interface DiagnosticsApi {
  /** Decodes one JPEG or PNG with the browser's decoder and the pure-JS one, and compares them. */
  compareImageDecoders(bytes: Uint8Array, name: string): Promise<DecoderComparison>;
}
