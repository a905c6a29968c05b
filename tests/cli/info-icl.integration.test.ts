/** `info` (in-process, runCli) on real data: the ICL-NUIM living room from ../shared. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repoRoot } from './run-cli';

const iclDir = path.resolve(repoRoot, '..', 'shared/data/icl-nuim-livingroom1');
const hasShared = existsSync(iclDir);
if (!hasShared) console.warn(`skipping the ICL-NUIM info test: ${iclDir} is missing`);

describe('cli info on ICL-NUIM', () => {
  it.skipIf(!hasShared)('prints the ICL-NUIM scene', async () => {
    // Every 10th frame: the point count below is this reconstruction's (all 211 frames take
    // ~12 s more here, mostly PNG decoding).
    const { code, stdout, stderr } = await cli('info', iclDir, '--json', '--cloud-stride', '10');
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.format).toBe('redwood');
    expect(info.frameCount).toBe(211);
    expect(info.pointCount).toBeGreaterThan(44000);
    expect(info.pointCount).toBeLessThan(46000);
    expect(info.reconstruction).toMatchObject({ frameStride: 10, strideFrom: 'option' });
    expect(info.reconstruction.framesUsed).toBe(Math.ceil(211 / 10));
    expect(info.warnings.join(' ')).toMatch(/PrimeSense/);
    expect(stderr).toMatch(/warning: no intrinsics file/);
  });
});
