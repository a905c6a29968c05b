/** JSON from file bytes, with syntax errors as ParseError naming the file and byte offset. */
import { ParseError } from '../../errors';

export function parseJsonBytes(bytes: Uint8Array, file: string): unknown {
  const text = new TextDecoder('utf-8').decode(bytes);
  try {
    return JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    throw new ParseError(
      m ? { file, byteOffset: Number(m[1]) } : { file },
      `invalid JSON: ${(err as Error).message}`,
    );
  }
}
