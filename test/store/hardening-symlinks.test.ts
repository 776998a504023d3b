// Issue 12, item 1: a link planted at any path gc-tui writes (temp files, the data file, the audit log,
// `.gc/gc-tui`, lock files, decisions, exports) is never written through; the data file stays a regular file.
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudit } from '../../src/store/audit.js';
import { recordDecision } from '../../src/store/decisions.js';
import { writeFileAtomic } from '../../src/store/fs/atomic-file.js';
import { writeStoreDocument } from '../../src/store/formats/load-store.js';
import { acquireFileLock } from '../../src/store/fs/lock.js';
import { applyRepairsLocked } from '../../src/store/write.js';
import { cityWithDrift, NOW, put, repairsOf, storeWithDrift, tmp } from './hardening-fixtures.js';

const LINK = /is a symbolic link; gc-tui does not follow links/;

/** A file outside the input that a planted link points at, with bytes that must survive. */
function victim(): { file: string; bytes: string } {
  const file = join(tmp(), 'precious.txt');
  const bytes = 'precious: must never be overwritten\n';
  writeFileSync(file, bytes);
  return { file, bytes };
}

describe('temp files are created exclusively, never through a link', () => {
  it('city: a link at .gc/beads.json.tmp (Gas City’s fixed name) is removed, not written through', async () => {
    const { source, dir, beads } = cityWithDrift();
    const v = victim();
    const missing = join(tmp(), 'not-there');
    symlinkSync(v.file, join(dir, '.gc', 'beads.json.tmp'));
    const result = await applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'op' });
    expect(result.applied).toHaveLength(2);
    expect(readFileSync(v.file, 'utf8')).toBe(v.bytes);
    expect(lstatSync(beads).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(beads, 'utf8')).beads[0].metadata.alias).toBe('frontend/worker-3');
    expect(existsSync(join(dir, '.gc', 'beads.json.tmp'))).toBe(false);

    // The reproduction: a dangling link to a file that does not exist yet: it is never created.
    const again = cityWithDrift();
    symlinkSync(missing, join(again.dir, '.gc', 'beads.json.tmp'));
    await applyRepairsLocked(again.source, await repairsOf(again.source), { now: NOW, by: 'op' });
    expect(existsSync(missing)).toBe(false);
    expect(lstatSync(again.beads).isFile()).toBe(true);
  });

  it('city: a leftover beads.json.tmp (a crashed writer’s) is replaced', async () => {
    const { source, dir } = cityWithDrift();
    put(join(dir, '.gc', 'beads.json.tmp'), '{"half');
    const result = await applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'op' });
    expect(result.applied).toHaveLength(2);
    expect(existsSync(join(dir, '.gc', 'beads.json.tmp'))).toBe(false);
  });

  it('store: links at lowdb’s `.s.json.tmp` and at the old `.s.json.<pid>.tmp` are never written', async () => {
    const { source, dir, file } = storeWithDrift();
    const v = victim();
    symlinkSync(v.file, join(dir, '.s.json.tmp'));
    symlinkSync(v.file, join(dir, `.s.json.${process.pid}.tmp`));
    const result = await applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'op' });
    expect(result.applied).toHaveLength(2);
    expect(readFileSync(v.file, 'utf8')).toBe(v.bytes);
    expect(lstatSync(file).isFile()).toBe(true);
    expect(readAudit(source)).toHaveLength(2);
  });

  it('a temp file a killed process left (its pid no longer runs) is removed by the next write', async () => {
    const { source, dir } = storeWithDrift();
    // A pid that is certainly not running: a child that has exited.
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']));
    put(join(dir, `.s.json.${dead}.0badc0de.tmp`), 'half a store');
    put(join(dir, `.s.json.${dead}.tmp`), 'an older gc-tui’s leftover');
    await applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'op' });
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('a data file, audit log, lock or directory that is a link is refused with its path', () => {
  it('a store file that is a link is refused, its target unchanged', async () => {
    const { source, dir, file } = storeWithDrift();
    const repairs = await repairsOf(source);
    const real = join(dir, 'real.json');
    writeFileSync(real, readFileSync(file));
    const before = readFileSync(real, 'utf8');
    const link = join(dir, 'link.json');
    symlinkSync(real, link);
    await expect(applyRepairsLocked({ kind: 'store', path: link }, repairs, { now: NOW, by: 'op' })).rejects.toThrow(
      new RegExp(`${link}: ${LINK.source}`),
    );
    expect(readFileSync(real, 'utf8')).toBe(before);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    // Refused before anything is made beside it: no lock file (the commands helper found one left behind).
    expect(existsSync(`${link}.lock`)).toBe(false);
  });

  it('a city’s beads.json that is a link is refused, its target unchanged', async () => {
    const { source, beads } = cityWithDrift();
    const v = victim();
    const text = readFileSync(beads, 'utf8');
    writeFileSync(v.file, text);
    const repairs = await repairsOf(source);
    execFileSync('rm', [beads]);
    symlinkSync(v.file, beads);
    await expect(applyRepairsLocked(source, repairs, { now: NOW, by: 'op' })).rejects.toThrow(LINK);
    expect(readFileSync(v.file, 'utf8')).toBe(text);
  });

  it('a store’s audit log that is a link: the write is refused before anything is written', async () => {
    const { source, file } = storeWithDrift();
    const v = victim();
    const before = readFileSync(file, 'utf8');
    symlinkSync(v.file, `${file}.audit.jsonl`);
    await expect(applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'op' })).rejects.toThrow(
      new RegExp(`${file}.audit.jsonl: cannot append to the audit log: ${LINK.source}`),
    );
    expect(readFileSync(v.file, 'utf8')).toBe(v.bytes);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a city’s .gc/gc-tui that is a link: refused for writes and decisions, nothing lands in its target', async () => {
    const { source, dir, beads } = cityWithDrift();
    const elsewhere = tmp();
    symlinkSync(elsewhere, join(dir, '.gc', 'gc-tui'));
    const before = readFileSync(beads, 'utf8');
    await expect(applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'op' })).rejects.toThrow(
      new RegExp(`${join(dir, '.gc', 'gc-tui')}: ${LINK.source}`),
    );
    await expect(
      recordDecision(source, { repair: 'x', decision: 'rejected', changes: [], by: 'op', at: '2026-05-06T03:00:00Z' }),
    ).rejects.toThrow(LINK);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readFileSync(beads, 'utf8')).toBe(before);
  });

  it('a lock file that is a link (dangling or not) is refused; its target is never created', async () => {
    const dir = tmp();
    const missing = join(tmp(), 'created-by-nobody');
    symlinkSync(missing, join(dir, 'a.lock'));
    await expect(acquireFileLock(join(dir, 'a.lock'))).rejects.toThrow(
      new RegExp(`${join(dir, 'a.lock')}: cannot open the lock file: ${LINK.source}`),
    );
    expect(existsSync(missing)).toBe(false);
    const v = victim();
    symlinkSync(v.file, join(dir, 'b.lock'));
    await expect(acquireFileLock(join(dir, 'b.lock'))).rejects.toThrow(LINK);
    mkdirSync(join(dir, 'c.lock'));
    await expect(acquireFileLock(join(dir, 'c.lock'))).rejects.toThrow(/is a directory/);
  });

  it('the city’s decisions.json that is a link is refused, its target unchanged', async () => {
    const { source, dir } = cityWithDrift();
    const v = victim();
    mkdirSync(join(dir, '.gc', 'gc-tui'));
    symlinkSync(v.file, join(dir, '.gc', 'gc-tui', 'decisions.json'));
    await expect(
      recordDecision(source, { repair: 'x', decision: 'rejected', changes: [], by: 'op', at: '2026-05-06T03:00:00Z' }),
    ).rejects.toThrow(LINK);
    expect(readFileSync(v.file, 'utf8')).toBe(v.bytes);
  });

  it('an export target that is a link, a FIFO or a device is refused, never replaced', () => {
    const dir = tmp();
    const v = victim();
    symlinkSync(v.file, join(dir, 'report.md'));
    expect(() => writeFileAtomic(join(dir, 'report.md'), 'x')).toThrow(LINK);
    expect(readFileSync(v.file, 'utf8')).toBe(v.bytes);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(() => writeFileAtomic(join(dir, 'fifo'), 'x')).toThrow(/is not a regular file/);
    expect(lstatSync(join(dir, 'fifo')).isFIFO()).toBe(true);
    expect(() => writeFileAtomic('/dev/null', 'x')).toThrow(/\/dev\/null: is not a regular file/);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((n) => n.startsWith('.null.'))).toEqual([]);
  });

  it('a store document written onto a FIFO or a directory is refused at once, in the atomic writer’s words', async () => {
    const dir = tmp();
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    mkdirSync(join(dir, 'd'));
    const doc = JSON.parse(readFileSync('fixtures/demo-city.json', 'utf8')) as unknown;
    // Its layout is looked for without blocking: an open of a FIFO for reading waited for a writer that never came.
    await expect(writeStoreDocument(join(dir, 'fifo'), doc)).rejects.toThrow(/fifo: is not a regular file \(a FIFO/);
    expect(lstatSync(join(dir, 'fifo')).isFIFO()).toBe(true);
    await expect(writeStoreDocument(join(dir, 'd'), doc)).rejects.toThrow(/d: is a directory, not a file/);
  });
});
