/**
 * `--cloud-stride k` and `--cloud-voxel m`: how commands that open a scan without a cloud file
 * (RGB-D frames only) reconstruct its points. Unset: every frame within the point budget, 2 cm
 * voxels (SCENE_DEFAULTS). `info` also takes its older names, `--stride` and `--voxel`.
 */
import { flagNumber, type ParsedArgs } from './args';
import type { ReconstructionInput } from '../pipeline/session/types';

export const RECONSTRUCTION_USAGE = '[--cloud-stride k] [--cloud-voxel m]';

export function reconstructionFlags(
  args: ParsedArgs,
  aliases: { stride?: string; voxel?: string } = {},
): ReconstructionInput {
  const frameStride =
    flagNumber(args, 'cloud-stride') ??
    (aliases.stride ? flagNumber(args, aliases.stride) : undefined);
  const voxelSize =
    flagNumber(args, 'cloud-voxel') ??
    (aliases.voxel ? flagNumber(args, aliases.voxel) : undefined);
  return {
    ...(frameStride !== undefined ? { frameStride } : {}),
    ...(voxelSize !== undefined ? { voxelSize } : {}),
  };
}
