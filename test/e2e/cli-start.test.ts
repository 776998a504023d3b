// What `gc-tui check --store FILE` loads before it reads the file: the built CLI's own module and the chunks it imports
// statically (esbuild keeps each bundled file's path as a comment above its code). Reading a city (its TOML parser,
// Gas City's bead files and providers) and writing (the audit log, decisions, splices) are dynamic imports away, loaded
// by the commands that run them: a store file's `check` starts without parsing that code (docs/speed.md).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/built.js';

/** The built files `cli.js` imports statically, itself included, and their text. */
function startChunks(): Map<string, string> {
  const dir = dirname(CLI);
  const seen = new Map<string, string>();
  const queue = ['cli.js'];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/^(?:import [^;]*?|\}) from "\.\/([^"]+)";/gms)) queue.push(m[1]);
  }
  return seen;
}

const SOURCES_OFF_START = [
  'node_modules/smol-toml/',
  'src/store/formats/load-city.ts',
  'src/store/formats/beads-capture.ts',
  'src/store/formats/beads-provider.ts',
  'src/store/audit.ts',
  'src/store/decisions.ts',
];

/**
 * Whether `text` holds the code of `source`: esbuild's comment names the file by its path from the project, through
 * any symbolic link resolved (a worktree whose node_modules links to another checkout's: `// ../main/node_modules/…`).
 */
const holds = (text: string, source: string) =>
  new RegExp(`^// (?:\\S*/)?${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm').test(text);

describe("check's start", () => {
  it('loads neither what reads a city nor what writes, which the whole build holds', () => {
    const start = [...startChunks().values()].join('\n');
    const all = readdirSync(dirname(CLI))
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(dirname(CLI), f), 'utf8'))
      .join('\n');
    for (const source of SOURCES_OFF_START) {
      expect(holds(all, source), source).toBe(true);
      expect(holds(start, source), source).toBe(false);
    }
    // What check of a store file does run is there.
    expect(start).toContain('// src/store/formats/load-store.ts');
    expect(start).toContain('// src/engine/plan.ts');
  });
});
