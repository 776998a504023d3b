// A command's read of a large store keeps V8's young generation at 16 MiB (young-generation.ts): every bead it
// parses survives, and V8 would otherwise grow it to 32 MiB, which then stays part of the process's peak memory.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { YOUNG_GENERATION_CAP_BYTES } from '../../src/store/formats/young-generation.js';
import { tempDir } from '../support/files.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';

const CHILD = join(import.meta.dirname, '..', 'support', 'young-generation-child.ts');

test('reading 60 000 beads leaves the young generation at its cap, where V8 would double it', () => {
  const file = join(tempDir(), 'store.json');
  // About 23 MB of file and 22 MB of beads that survive: V8 would grow the young generation to 32 MiB.
  writeFileSync(file, JSON.stringify(generateStore({ beads: 60_000, seed: 3 })));
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD, file], { encoding: 'utf8' });
  const { beads, newSpaceBytes } = JSON.parse(out) as { beads: number; newSpaceBytes: number };
  expect(beads).toBe(60_000);
  expect(newSpaceBytes).toBeGreaterThan(0);
  expect(newSpaceBytes).toBeLessThanOrEqual(YOUNG_GENERATION_CAP_BYTES);
});
