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
    const { code, stdout, stderr } = await cli('info', iclDir, '--json');
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.format).toBe('redwood');
    expect(info.frameCount).toBe(211);
    expect(info.pointCount).toBeGreaterThan(44000);
    expect(info.pointCount).toBeLessThan(46000);
    expect(info.warnings.join(' ')).toMatch(/PrimeSense/);
    expect(stderr).toMatch(/warning: no intrinsics file/);
  });
});
