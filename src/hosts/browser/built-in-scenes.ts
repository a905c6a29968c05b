/**
 * The scenes the app ships: generated bundles (`npm run scenes`) served from our origin under
 * /scenes/ and opened through the same readers as a user's folder.
 */
import type { BuiltInScene } from '../../pipeline/session/pipeline-session';
import {
  BUNDLE_MANIFEST,
  manifestFiles,
  validateManifest,
} from '../../pipeline/scene/bundle/manifest';
import { ParseError } from '../../pipeline/errors';
import { fetchBytes, HttpFileSource } from './http-file-source';

/** A generated scene bundle under `baseUrl` (a folder URL ending in '/'). */
export function bundleOverHttp(
  entry: { id: string; name: string; description: string },
  baseUrl: string,
): BuiltInScene {
  return {
    ...entry,
    async source() {
      const file = `${entry.id}/${BUNDLE_MANIFEST}`;
      const bytes = await fetchBytes(new URL(BUNDLE_MANIFEST, baseUrl).href, file);
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(bytes));
      } catch (err) {
        throw new ParseError({ file }, `not JSON: ${(err as Error).message}`);
      }
      return new HttpFileSource(baseUrl, manifestFiles(validateManifest(json, file)), entry.id);
    },
  };
}

/** The built-in scenes at the site root (vite serves scenes/ in dev and copies the bundles into the build). */
export function browserBuiltInScenes(origin: string): BuiltInScene[] {
  return [
    bundleOverHttp(
      {
        id: 'demo-room',
        name: 'Demo room',
        description: 'A generated room with ten coloured objects, 24 RGB-D views and ground truth.',
      },
      new URL('/scenes/demo-room/', origin).href,
    ),
    bundleOverHttp(
      {
        id: 'cluttered-room',
        name: 'Cluttered room',
        description:
          'A generated room where objects touch: two orange chairs at the table, a TV on the cabinet, furniture against the walls, a flat rug.',
      },
      new URL('/scenes/cluttered-room/', origin).href,
    ),
  ];
}
