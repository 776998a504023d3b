// Smaller hardening items: an export, a plan or an import never lands on the input or its own files; --read-only
// refuses import.
import { cpSync, existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/files.js';
import { copyInto, DEMO, makeCity, ROOT, run } from './cli-helpers.js';

const fresh = () => tempDir('gc-tui-own-');

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
    expect(ok.code).toBe(1); // written; the demo city drifts
  });

  it("refuses another store's lock, audit log, its journal and metrics history (any case); the same names beside no store are fine", () => {
    const dir = fresh();
    const store = copyInto(dir, DEMO, 's.json');
    const other = copyInto(dir, DEMO, 'other.json');
    writeFileSync(`${other}.audit.jsonl`, '{"kept":true}\n');
    const targets: Array<[string, string]> = [
      [`${other}.lock`, 'lock'],
      [`${other}.audit.jsonl`, 'audit log'],
      [`${other}.AUDIT.JSONL`, 'audit log'],
      [`${other}.audit.jsonl.pending`, "audit log's journal"],
      [`${other}.metrics.jsonl`, 'metrics history'],
    ];
    for (const [target, what] of targets) {
      const r = run(['export', '--store', store, '--format', 'json', '--out', target]);
      expect(r.code, target).toBe(2);
      expect(r.stderr).toContain(
        `: that is the name of the ${what} gc-tui keeps beside ${other}, which gc-tui and others lock or append to; export to another file`,
      );
    }
    expect(readFileSync(`${other}.audit.jsonl`, 'utf8')).toBe('{"kept":true}\n');
    expect(existsSync(`${other}.lock`)).toBe(false);
    const ok = run(['export', '--store', store, '--format', 'json', '--out', join(dir, 'none.json.lock')]);
    expect(ok.code, ok.stderr).toBe(1); // written; the demo city drifts
    expect(existsSync(join(dir, 'none.json.lock'))).toBe(true);
  });

  it("refuses a city's beads.json and anything under its .gc/", () => {
    const { dir, beadsFile } = makeCity(fresh());
    const before = readFileSync(beadsFile, 'utf8');
    for (const target of [beadsFile, join(dir, 'city.toml'), join(dir, '.gc', 'snap.md')]) {
      const r = run(['export', '--city', dir, '--format', 'md', '--out', target]);
      expect(r.code, target).toBe(2);
      // Each says its own reason: a new file in .gc/ is not one of the input's (it said so of every one).
      expect(r.stderr).toMatch(
        target.endsWith('snap.md')
          ? /^gc-tui: --out \S+: (--out|--emit-script) never writes inside a \.gc\/ \(Gas City's own directory, of any city or rig\) but in a \.gc\/gc-tui\/ \(gc-tui's, with its audit log, decisions and console exports\); export to another file/
          : /that is the input or one of its own files/,
      );
    }
    expect(readFileSync(beadsFile, 'utf8')).toBe(before);
    expect(existsSync(join(dir, '.gc', 'snap.md'))).toBe(false);
  });
});

describe("every --out may go into a city's .gc/gc-tui/, where the console's exports go, but not over gc-tui's own files there", () => {
  it('writes an export, a plan and an import there; refuses the audit log, its journal, the metrics, the decisions and their lock', () => {
    const { dir, beadsFile } = makeCity(fresh());
    const own = join(dir, '.gc', 'gc-tui');
    mkdirSync(own);
    // Each was refused as "inside a city's .gc/", though the console's `e` writes its snapshots there.
    const report = join(own, 'report.md');
    expect(run(['export', '--city', dir, '--format', 'md', '--out', report]).code).toBe(1); // written; the city drifts
    expect(readFileSync(report, 'utf8')).toMatch(/^# /);
    const plan = join(own, 'plan.json');
    expect(run(['plan', '--city', dir, '--out', plan]).code).toBe(1);
    expect(JSON.parse(readFileSync(plan, 'utf8'))).toHaveProperty('input.fingerprint');
    expect(run(['import', '--city', dir, '--out', join(own, 'store.json')]).code).toBe(0);
    expect(JSON.parse(readFileSync(join(own, 'store.json'), 'utf8'))).toHaveProperty('schema', 'gc-tui/1');
    const before = readFileSync(beadsFile, 'utf8');
    for (const name of ['audit.jsonl', 'audit.jsonl.pending', 'metrics.jsonl', 'decisions.json', 'decisions.json.lock']) {
      const target = join(own, name);
      writeFileSync(target, '[]\n'); // a decisions file that reads as none
      for (const args of [
        ['export', '--format', 'md', '--out', target],
        ['plan', '--out', target],
        ['import', '--force', '--out', target],
      ]) {
        const r = run([...args, '--city', dir]);
        expect(r.code, `${args.join(' ')}`).toBe(2);
        expect(r.stderr).toMatch(/^gc-tui: --out \S+: that is the input or one of its own files; /);
      }
      expect(readFileSync(target, 'utf8'), name).toBe('[]\n');
    }
    expect(readFileSync(beadsFile, 'utf8')).toBe(before);
  });
});

describe("no --out lands in another city's .gc/ either, nor on gc-tui's own files in another city's .gc/gc-tui/", () => {
  const GC_REFUSAL =
    /^gc-tui: (--out|--emit-script) \S+: (--out|--emit-script) never writes inside a \.gc\/ \(Gas City's own directory, of any city or rig\) but in a \.gc\/gc-tui\/ /;
  const OURS_REFUSAL =
    /^gc-tui: --out \S+: that is one of gc-tui's own files in a city's \.gc\/gc-tui\/ \(its audit log, the log's journal, the metrics history, the decisions or their lock\); /;

  it("refuses another city's live beads.json, a rig store's .gc/ and another city's audit log and decisions: each left as it was", () => {
    const store = copyInto(fresh(), DEMO, 's.json');
    const { dir: other, beadsFile } = makeCity(fresh());
    const { dir: city } = makeCity(fresh());
    const rigGc = join(city, 'rigs', 'myproject', '.gc');
    mkdirSync(rigGc, { recursive: true });
    const theirs = join(other, '.gc', 'gc-tui');
    mkdirSync(theirs);
    const kept = new Map<string, string>([[beadsFile, readFileSync(beadsFile, 'utf8')]]);
    for (const name of ['audit.jsonl', 'audit.jsonl.pending', 'metrics.jsonl', 'decisions.json', 'decisions.json.lock']) {
      kept.set(join(theirs, name), `{"kept":"${name}"}\n`);
      writeFileSync(join(theirs, name), `{"kept":"${name}"}\n`);
    }
    // Each was written (the first replaced the other city's beads without its lock): only the input's .gc/ was guarded.
    const cases: [string[], RegExp][] = [
      [['export', '--store', store, '--format', 'md', '--out', beadsFile], GC_REFUSAL],
      [['export', '--city', city, '--format', 'md', '--out', join(rigGc, 'x.md')], GC_REFUSAL],
      [['plan', '--store', store, '--out', join(other, '.gc', 'plan.json')], GC_REFUSAL],
      [['check', '--store', store, '--out', join(rigGc, 'plan.json')], GC_REFUSAL],
      [['import', '--city', city, '--force', '--out', beadsFile], GC_REFUSAL],
    ];
    for (const name of ['audit.jsonl', 'audit.jsonl.pending', 'metrics.jsonl', 'decisions.json', 'decisions.json.lock']) {
      cases.push([['export', '--store', store, '--format', 'md', '--out', join(theirs, name)], OURS_REFUSAL]);
      cases.push([['import', '--city', city, '--force', '--out', join(theirs, name)], OURS_REFUSAL]);
    }
    for (const [args, refusal] of cases) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(refusal);
    }
    for (const [file, text] of kept) expect(readFileSync(file, 'utf8'), file).toBe(text);
    expect(existsSync(join(rigGc, 'x.md'))).toBe(false);
    expect(existsSync(join(rigGc, 'plan.json'))).toBe(false);
    expect(existsSync(join(other, '.gc', 'plan.json'))).toBe(false);
    // Anything else in another city's .gc/gc-tui/ is fine, as in the input's.
    expect(run(['export', '--store', store, '--format', 'md', '--out', join(theirs, 'report.md')]).code).toBe(1);
    expect(readFileSync(join(theirs, 'report.md'), 'utf8')).toMatch(/^# /);
  });

  it("refuses an --emit-script into a rig's .gc/; a city kept under some .gc/ still writes into its own .gc/gc-tui/", () => {
    const dir = join(fresh(), 'bd-city');
    cpSync(join(ROOT, 'fixtures', 'bd-city'), dir, { recursive: true });
    const capture = copyInto(dir, join(ROOT, 'fixtures', 'bd-captures', 'sessions.json'), 'sessions.json');
    const rigGc = join(dir, 'rigs', 'r', '.gc');
    mkdirSync(rigGc, { recursive: true });
    const r = run(['apply', '--city', dir, '--beads', capture, '--all', '--emit-script', join(rigGc, 'fix.sh')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(GC_REFUSAL);
    expect(existsSync(join(rigGc, 'fix.sh'))).toBe(false);
    // The innermost .gc decides: a city at <somewhere>/.gc/cities/c has its own .gc/gc-tui/.
    const { dir: nested } = makeCity(join(fresh(), '.gc', 'cities', 'c'));
    mkdirSync(join(nested, '.gc', 'gc-tui'));
    const report = join(nested, '.gc', 'gc-tui', 'report.md');
    expect(run(['export', '--city', nested, '--format', 'md', '--out', report]).code).toBe(1);
    expect(readFileSync(report, 'utf8')).toMatch(/^# /);
    // A .gc/ inside a .gc/gc-tui/ is a .gc/ again.
    mkdirSync(join(nested, '.gc', 'gc-tui', 'x', '.gc'), { recursive: true });
    const inner = run(['export', '--city', nested, '--format', 'md', '--out', join(nested, '.gc', 'gc-tui', 'x', '.gc', 'r.md')]);
    expect(inner.code).toBe(2);
    expect(inner.stderr).toMatch(GC_REFUSAL);
  });
});

describe("an --out in .gc/gc-tui/ is gc-tui's by name, and only inside it", () => {
  const GC_REFUSAL = /^gc-tui: --out \S+: --out never writes inside a \.gc\/ /;

  it("refuses an --out named .gc, which would put a file where a city keeps Gas City's directory, and .gc in any case", () => {
    const { dir } = makeCity(fresh());
    const store = copyInto(fresh(), DEMO, 's.json');
    // A case-insensitive filesystem (macOS, Windows) has one .gc under every spelling; the real path keeps the one typed.
    mkdirSync(join(dir, '.GC'), { recursive: true });
    for (const target of [join(dir, '.gc'), join(fresh(), '.gc'), join(fresh(), '.Gc'), join(dir, '.GC', 'snap.md')]) {
      const r = run(['export', '--store', store, '--format', 'md', '--out', target]);
      expect(r.code, target).toBe(2);
      expect(r.stderr).toMatch(GC_REFUSAL);
      expect(existsSync(join(dir, '.GC', 'snap.md'))).toBe(false);
    }
    // And gc-tui's own files there under any spelling, where a case-insensitive filesystem has them.
    const r = run(['export', '--city', dir, '--format', 'md', '--out', join(dir, '.gc', 'gc-tui', 'Audit.JSONL')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/that is one of gc-tui's own files in a city's \.gc\/gc-tui\//);
  });

  it('refuses another name of the input itself (a hard link), as it refuses the input', () => {
    const dir = fresh();
    const store = copyInto(dir, DEMO, 's.json');
    const before = readFileSync(store, 'utf8');
    linkSync(store, join(dir, 'other-name.json'));
    const r = run(['export', '--store', store, '--format', 'json', '--out', join(dir, 'other-name.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/that is the input or one of its own files/);
    expect(readFileSync(store, 'utf8')).toBe(before);
  });

  it('refuses .gc/gc-tui itself, which would put a file where gc-tui keeps its audit log and decisions', () => {
    const { dir } = makeCity(fresh());
    const r = run(['export', '--city', dir, '--format', 'md', '--out', join(dir, '.gc', 'gc-tui')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(GC_REFUSAL);
    expect(existsSync(join(dir, '.gc', 'gc-tui'))).toBe(false);
  });

  it("refuses a .gc/gc-tui that links back into .gc/: Gas City's files stay as they were", () => {
    const { dir } = makeCity(fresh());
    symlinkSync('.', join(dir, '.gc', 'gc-tui'));
    // A file of Gas City's that is no input of gc-tui's (.gc/site.toml is: refused as one).
    const site = join(dir, '.gc', 'events.jsonl');
    writeFileSync(site, 'kept = true\n');
    for (const name of ['events.jsonl', 'new.md']) {
      const r = run(['export', '--city', dir, '--format', 'md', '--out', join(dir, '.gc', 'gc-tui', name)]);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toMatch(GC_REFUSAL);
    }
    expect(readFileSync(site, 'utf8')).toBe('kept = true\n');
    expect(existsSync(join(dir, '.gc', 'new.md'))).toBe(false);
  });
});

describe('plan --out, check --out and import --out never land on the input or its own files either', () => {
  it("refuses a store's audit log, its journal, its metrics history and its lock: the log is left as it was", () => {
    const dir = fresh();
    const store = copyInto(dir, DEMO, 's.json');
    expect(run(['apply', '--store', store, '--repair', 'restamp-slot:dc-f2b']).code).toBe(0);
    const audit = readFileSync(`${store}.audit.jsonl`, 'utf8');
    for (const target of [`${store}.audit.jsonl`, `${store}.audit.jsonl.pending`, `${store}.metrics.jsonl`, `${store}.lock`]) {
      for (const args of [
        ['plan', '--out', target],
        ['check', '--out', target],
      ]) {
        const r = run([...args, '--store', store]);
        expect(r.code, `${args.join(' ')}`).toBe(2);
        expect(r.stderr).toMatch(/^gc-tui: --out \S+: that is the input or one of its own files; write the plan to another file\n$/);
      }
    }
    expect(readFileSync(`${store}.audit.jsonl`, 'utf8')).toBe(audit);
    expect(existsSync(`${store}.metrics.jsonl`)).toBe(false);
    expect(existsSync(`${store}.audit.jsonl.pending`)).toBe(false);
  });

  it("refuses a plan in a city's .gc/, and an import (even --force) over its beads.json, city.toml or into .gc/", () => {
    const { dir, beadsFile } = makeCity(fresh());
    const before = readFileSync(beadsFile, 'utf8');
    const plan = run(['plan', '--city', dir, '--out', join(dir, '.gc', 'plan.json')]);
    expect(plan.code).toBe(2);
    expect(existsSync(join(dir, '.gc', 'plan.json'))).toBe(false);
    for (const target of [beadsFile, join(dir, 'city.toml'), join(dir, '.gc', 'store.json')]) {
      const r = run(['import', '--city', dir, '--out', target, '--force']);
      expect(r.code, target).toBe(2);
      expect(r.stderr).toMatch(
        target.endsWith('store.json')
          ? /(--out|--emit-script) never writes inside a \.gc\/ \(Gas City's own directory, of any city or rig\) but in a \.gc\/gc-tui\/ \(gc-tui's, with its audit log, decisions and console exports\); import to another file\n$/
          : /that is the input or one of its own files; import to another file\n$/,
      );
    }
    expect(readFileSync(beadsFile, 'utf8')).toBe(before);
    expect(existsSync(join(dir, '.gc', 'store.json'))).toBe(false);
    expect(run(['import', '--city', dir, '--out', join(fresh(), 'store.json')]).code).toBe(0);
  });
});

describe("apply --emit-script never lands on the city's own files", () => {
  it('refuses city.toml, the capture read and anything under .gc/: nothing written', () => {
    const dir = join(fresh(), 'bd-city');
    cpSync(join(ROOT, 'fixtures', 'bd-city'), dir, { recursive: true });
    const capture = copyInto(dir, join(ROOT, 'fixtures', 'bd-captures', 'sessions.json'), 'sessions.json');
    const toml = readFileSync(join(dir, 'city.toml'), 'utf8');
    const beads = readFileSync(capture, 'utf8');
    for (const target of [join(dir, 'city.toml'), capture, join(dir, '.gc', 'fix.sh')]) {
      const r = run(['apply', '--city', dir, '--beads', capture, '--all', '--emit-script', target]);
      expect(r.code, target).toBe(2);
      // Named by its own flag (it said --out, which apply has not).
      expect(r.stderr).toMatch(/^gc-tui: --emit-script \S+: /);
      expect(r.stderr).toMatch(
        target.endsWith('fix.sh')
          ? /(--out|--emit-script) never writes inside a \.gc\/ \(Gas City's own directory, of any city or rig\) but in a \.gc\/gc-tui\/ \(gc-tui's, with its audit log, decisions and console exports\); write the script to another file\n$/
          : /that is the input or one of its own files; write the script to another file\n$/,
      );
    }
    expect(readFileSync(join(dir, 'city.toml'), 'utf8')).toBe(toml);
    expect(readFileSync(capture, 'utf8')).toBe(beads);
    expect(existsSync(join(dir, '.gc', 'fix.sh'))).toBe(false);
    expect(run(['apply', '--city', dir, '--beads', capture, '--all', '--emit-script', join(dir, 'fix.sh')]).code).toBe(0);
  });
});

describe('--read-only and import', () => {
  it('refuses apply on a city, naming the two ways that write nothing to it', () => {
    const { dir } = makeCity(fresh());
    const r = run(['apply', '--city', dir, '--all', '--read-only']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^gc-tui: \S+: apply is refused in --read-only mode \(--dry-run shows what it would change; --emit-script FILE writes the gc commands instead\)\n$/,
    );
    expect(run(['apply', '--city', dir, '--all', '--read-only', '--dry-run']).code).not.toBe(2);
    // The city of the current directory, not named: the same words.
    const here = run(['apply', '--all', '--read-only'], { cwd: dir });
    expect(here.code).toBe(2);
    expect(here.stderr).toMatch(/; --emit-script FILE writes the gc commands instead\)\n$/);
  });

  it('refuses to write the store file', () => {
    const { dir } = makeCity(fresh());
    const out = join(fresh(), 'imported.json');
    const r = run(['import', '--city', dir, '--out', out, '--read-only']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`gc-tui: ${out}: import is refused in --read-only mode (it would write this file)\n`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('--out into a directory that does not exist', () => {
  it('export, plan, check --out and import refuse it (exit 2) and create no folder', () => {
    const dir = fresh();
    const store = copyInto(dir, DEMO, 's.json');
    const { dir: city } = makeCity(fresh());
    const missing = join(dir, 'typo', 'deeper');
    const cases = [
      ['export', '--store', store, '--format', 'md', '--out', join(missing, 'x.md')],
      ['plan', '--store', store, '--out', join(missing, 'p.json')],
      ['check', '--store', store, '--out', join(missing, 'p.json')],
      ['import', '--city', city, '--out', join(missing, 'c.json')],
    ];
    for (const args of cases) {
      const r = run(args);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toMatch(/^gc-tui: --out \S+: no directory \S+typo\/deeper; create it first\n$/);
    }
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });
});
