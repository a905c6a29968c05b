import type { CliCommand } from '../command';
import { CliUsageError, flagString } from '../args';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { writeFiles } from '../../hosts/node/write-files';
import { readFeatureBundle } from '../../pipeline/features/bundle';
import { llm3dSceneId } from '../../pipeline/features/export-3dllm-loader';
import { openSceneFileName, writeOpenSceneFeatures } from '../../pipeline/features/openscene';

export const exportOpenSceneCommand: CliCommand = {
  name: 'export-openscene',
  usage: 'export-openscene <bundle-dir> --out DIR [--force] [--scene-id ID] [--index n]',
  summary:
    "write a feature bundle as OpenScene's fused features <scene>_<n>.pt ({feat: float16 [K, D], mask_full: bool [N]}) over the scene's point (ScanNet vertex) order",
  async run(args) {
    const dir = args.positionals[0];
    if (!dir) throw new CliUsageError('export-openscene needs a feature bundle directory');
    const out = flagString(args, 'out');
    if (!out) throw new CliUsageError('export-openscene needs --out DIR');
    const indexFlag = flagString(args, 'index') ?? '0';
    const index = /^\d{1,6}$/.test(indexFlag) ? Number(indexFlag) : NaN;
    if (!Number.isInteger(index))
      throw new CliUsageError(`--index expects a non-negative integer, got '${indexFlag}'`);
    const bundle = await readFeatureBundle(await NodeFileSource.open(dir));
    const sceneId = llm3dSceneId(flagString(args, 'scene-id') ?? bundle.meta.scene);
    const name = openSceneFileName(sceneId, index);
    const files = new Map([[name, writeOpenSceneFeatures(bundle, bundle.meta.model.dim)]]);
    const written = await writeFiles(out, files, {
      force: args.flags.force === true,
      inputs: [dir],
    });
    return {
      out,
      files: written,
      points: bundle.viewCounts.length,
      seenPoints: bundle.meta.counts.seenPoints,
      dim: bundle.meta.model.dim,
      keys: { feat: 'float16 [K, D]', mask_full: 'bool [N]' },
      pointOrder:
        "the bundle's points in order: for a ScanNet scene, the vertices of <scene>_vh_clean_2.ply (OpenScene's raw, unaligned coordinates)",
    };
  },
};
