// The engine is the functional core: it must not reach for I/O, the UI, persistence or a clock.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../src/engine');
const FORBIDDEN = [
  /^node:/,
  /^(fs|path|os|child_process|crypto)$/,
  /^(ink|react|lowdb|zustand|chalk|commander)(\/|$)/,
  /(^|\/)(store|ui)\//,
  /\/cli(\.js)?$/,
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g,
  )) {
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

describe('src/engine purity', () => {
  const all = files(ROOT);
  it('finds the engine modules', () => {
    expect(all.length).toBeGreaterThan(8);
  });
  it.each(all.map((f) => [f.slice(ROOT.length + 1), f]))('%s imports nothing from I/O, UI or the shell', (_name, file) => {
    const bad = importsOf(readFileSync(file, 'utf8')).filter((spec) => FORBIDDEN.some((re) => re.test(spec)));
    expect(bad).toEqual([]);
  });
  it('reads no clock', () => {
    for (const f of all) {
      const src = readFileSync(f, 'utf8');
      expect(src, f).not.toMatch(/Date\.now\(|new Date\(\s*\)|performance\.now/);
    }
  });
  it('the checker itself catches a forbidden import', () => {
    expect(importsOf("import { readFileSync } from 'node:fs';").some((s) => FORBIDDEN.some((re) => re.test(s)))).toBe(true);
    expect(importsOf("import { x } from '../store/load.js';").some((s) => FORBIDDEN.some((re) => re.test(s)))).toBe(true);
  });
});
