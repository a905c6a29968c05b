/**
 * `eval` error paths through the CLI in-process (runCli): cheap, so they stay in the unit tier;
 * the full demo-room evaluation is eval.integration.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedDemoRoomDir } from '../demo-room/generated-demo-room';
import { cli, repoRoot } from './run-cli';

const queriesFile = path.join(repoRoot, 'scenes', 'demo-room.queries.json');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'eval-cli-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cli eval: errors', () => {
  it('fails with one line on a missing query file or a scene without ground truth', async () => {
    const sceneDir = generatedDemoRoomDir();
    const [noQueries, noScene] = await Promise.all([
      cli('eval', sceneDir, '--queries', path.join(tmp, 'absent.json')),
      cli('eval', path.join(tmp, 'absent-scene'), '--queries', queriesFile),
    ]);
    for (const r of [noQueries, noScene]) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: .*absent/);
    }
  });
});
