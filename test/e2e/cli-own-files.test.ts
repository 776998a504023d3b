// Smaller hardening items: an export never lands on the input or its own files; --read-only refuses import.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyInto, DEMO, makeCity, run } from './cli-helpers.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'gc-tui-own-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('export --out never lands on the input', () => {
  it('refuses the store itself, its audit log and its lock, by any name; another file is fine', () => {
    const dir = fresh();
    const store = copyInto(dir, DEMO, 's.json');
    const before = readFileSync(store, 'utf8');
    for (const target of [store, join(dir, '.', 's.json'), `${store}.audit.jsonl`, `${store}.lock`]) {
      const r = run(['export', '--store', store, '--format', 'json', '--out', target]);
      expect(r.code, target).toBe(2);
      expect(r.stderr).toMatch(/that is the input or one of its own files/);
    }
    expect(readFileSync(store, 'utf8')).toBe(before);
    expect(existsSync(`${store}.audit.jsonl`)).toBe(false);
    const ok = run(['export', '--store', store, '--format', 'json', '--out', join(dir, 'snap.json')]);
    expect(ok.code).toBe(0);
  });

  it("refuses a city's beads.json and anything under its .gc/", () => {
    const { dir, beadsFile } = makeCity(fresh());
    const before = readFileSync(beadsFile, 'utf8');
    for (const target of [beadsFile, join(dir, 'city.toml'), join(dir, '.gc', 'snap.md')]) {
      const r = run(['export', '--city', dir, '--format', 'md', '--out', target]);
      expect(r.code, target).toBe(2);
    }
    expect(readFileSync(beadsFile, 'utf8')).toBe(before);
    expect(existsSync(join(dir, '.gc', 'snap.md'))).toBe(false);
  });
});

describe('--read-only and import', () => {
  it('refuses to write the store file', () => {
    const { dir } = makeCity(fresh());
    const out = join(fresh(), 'imported.json');
    const r = run(['import', '--city', dir, '--out', out, '--read-only']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/import is refused in --read-only mode/);
    expect(existsSync(out)).toBe(false);
  });
});
