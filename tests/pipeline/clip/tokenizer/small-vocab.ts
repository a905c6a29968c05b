// A tiny CLIP-style merges file built in the test: header, then merges spelling a few words.
import { gzipSync } from 'fflate';

export const SMALL_MERGES = [
  'g r',
  'gr e',
  'gre e',
  'gree n</w>',
  'r e',
  're d</w>',
  'b l',
  'bl u',
  'blu e</w>',
  'a n',
];

export function smallMergesFile(merges = SMALL_MERGES): Uint8Array {
  return new TextEncoder().encode(['#version: 0.2', ...merges].join('\n') + '\n');
}

export function smallMergesGz(merges = SMALL_MERGES): Uint8Array {
  return gzipSync(smallMergesFile(merges));
}
