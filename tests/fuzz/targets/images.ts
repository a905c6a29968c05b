/** PNG (16-bit depth, 8-bit colour) and JPEG, through the decoders the readers use. */
import { decodeColorImage, decodeDepthPng } from '../../../src/pipeline/image/decode';
import { encodeJpeg, encodePng16, encodePngRgb } from '../../../src/pipeline/image/encode';
import type { FuzzTarget } from '../types';
import { pngChecksummed } from './checks';

const W = 12;
const H = 9;
const rgb = () => ({
  width: W,
  height: H,
  data: new Uint8Array(W * H * 3).map((_, i) => (i * 37 + (i >> 3)) & 255),
});

const checkSize = (channels: number) => (output: unknown) => {
  const img = output as { width: number; height: number; data: ArrayLike<number> };
  if (!(img.width > 0 && img.height > 0)) return `size ${img.width}×${img.height}`;
  return img.data.length === img.width * img.height * channels
    ? undefined
    : `${img.data.length} values for ${img.width}×${img.height}×${channels}`;
};

export const targets: FuzzTarget[] = [
  {
    name: 'png-depth16',
    hasLocations: true,
    seeds: () => [
      new Map([
        [
          'depth.png',
          encodePng16(
            W,
            H,
            new Uint16Array(W * H).map((_, i) => 500 + i * 13),
          ),
        ],
      ]),
    ],
    read: async (files, sourceName) =>
      decodeDepthPng(files.get('depth.png')!, `${sourceName}/depth.png`),
    validate: checkSize(1),
    checksummed: (_path, bytes) => pngChecksummed(bytes),
  },
  {
    name: 'png-color8',
    hasLocations: true,
    seeds: () => [new Map([['color.png', encodePngRgb(rgb())]])],
    read: (files, sourceName) =>
      decodeColorImage(files.get('color.png')!, `${sourceName}/color.png`),
    validate: checkSize(3),
    checksummed: (_path, bytes) => pngChecksummed(bytes),
  },
  {
    name: 'jpeg',
    hasLocations: true,
    seeds: () => [new Map([['color.jpg', encodeJpeg(rgb(), 85)]])],
    read: (files, sourceName) =>
      decodeColorImage(files.get('color.jpg')!, `${sourceName}/color.jpg`),
    validate: checkSize(3),
  },
];
