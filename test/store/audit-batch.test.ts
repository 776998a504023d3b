// The audit lines of a write: `batch` when the caller gives one, the caller's `changes` (what the operator
// saw, what a saved plan said), and `written` only when the file got something else (a conflict time it could not take).
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { Repair } from '../../src/engine/types.js';
import { newBatchId, readAudit } from '../../src/store/audit.js';
import { loadSource } from '../../src/store/source.js';
import type { Source } from '../../src/store/types.js';
import { applyRepairsLocked } from '../../src/store/write.js';
import { NOW } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/tokens');
const PLANNED = NOW;
const WRITTEN = new Date('2026-05-06T02:14:00Z');

function conflictAt(beadsFile: string): string {
  const doc = JSON.parse(readFileSync(beadsFile, 'utf8')) as { beads: { id: string; metadata: Record<string, string> }[] };
  return doc.beads.find((b) => b.id === 'tk-alias')!.metadata.pool_alias_conflict_at;
}

function city(): { source: Source; beadsFile: string } {
  const dir = tempDir();
  copyFileSync(join(FIXTURES, 'city.toml'), join(dir, 'city.toml'));
  return {
    source: { kind: 'city', dir },
    beadsFile: write(join(dir, '.gc', 'beads.json'), readFileSync(join(FIXTURES, 'beads.sealed.json'), 'utf8')),
  };
}

async function planned(source: Source, now = PLANNED): Promise<Repair[]> {
  return plan((await loadSource(source)).state, now).repairs;
}

describe('audit lines of a write', () => {
  it('every line of a write given a batch carries it, applied and stale alike', async () => {
    const { source, beadsFile } = city();
    const repairs = await planned(source);
    // Someone else releases the orphaned work meanwhile: that repair is stale.
    writeFileSync(beadsFile, readFileSync(beadsFile, 'utf8').replace('"assignee": "pack/worker-9"', '"assignee": "pack/worker-1"'));
    const batch = newBatchId();
    const result = await applyRepairsLocked(source, repairs, { now: PLANNED, by: 'alice', action: 'approve', batch });
    expect(result.stale.map((s) => s.repair.id)).toEqual(['release-orphaned-work:tk-orphan']);
    const lines = readAudit(source);
    expect(lines).toHaveLength(repairs.length);
    expect(lines.map((l) => [l.result, l.batch])).toEqual([...Array(repairs.length - 1).fill(['applied', batch]), ['stale', batch]]);
  });

  it('without a batch, lines have no batch key; with the plan time equal to the write time, no written key', async () => {
    const { source } = city();
    const repairs = await planned(source);
    await applyRepairsLocked(source, repairs, { now: PLANNED, by: 'alice' });
    const lines = readAudit(source);
    expect(lines).toHaveLength(repairs.length);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(['time', 'operator', 'action', 'repair', 'kind', 'beadId', 'changes', 'reason', 'note', 'result']);
      expect(l.changes).toEqual(repairs.find((r) => r.id === l.repair)!.changes);
    }
  });

  it('writes the conflict time that was shown, a minute later too: the file gets exactly the diff approved', async () => {
    const { source, beadsFile } = city();
    const shown = (await planned(source)).find((r) => r.id === 'clear-conflicting-alias:tk-alias')!;
    const slot = (await planned(source)).find((r) => r.id === 'restamp-slot:tk-slot')!;
    expect(shown.changes.find((c) => c.field === 'metadata.pool_alias_conflict_at')!.after).toBe('2026-05-06T02:13:00Z');

    // Approved a minute after it was shown: the fresh plan under the lock stamps 02:14, the file gets the 02:13 shown.
    const result = await applyRepairsLocked(source, [shown, slot], { now: WRITTEN, by: 'alice', batch: 'b-1' });
    expect(result.stale).toEqual([]);
    expect(conflictAt(beadsFile)).toBe('2026-05-06T02:13:00Z');

    const [alias, restamp] = readAudit(source);
    expect(alias.repair).toBe(shown.id);
    expect(alias.changes).toEqual(shown.changes);
    expect(Object.keys(alias)).toEqual([
      'time',
      'operator',
      'action',
      'batch',
      'repair',
      'kind',
      'beadId',
      'changes',
      'reason',
      'note',
      'result',
    ]);
    // The write's own time is the line's, and the bead's updated_at.
    expect(alias.time).toBe('2026-05-06T02:14:00Z');
    // The result reports the version written: the one shown.
    expect(result.applied.find((r) => r.id === shown.id)!.changes).toEqual(shown.changes);
    expect(restamp.repair).toBe(slot.id);
    expect(restamp.changes).toEqual(slot.changes);
    expect('written' in restamp).toBe(false);
    expect(restamp.batch).toBe('b-1');
  });

  it.each([
    ['not an instant', 'yesterday'],
    ['not in the form Gas City stamps', '2026-05-06T02:13:00.000Z'],
    ['after the write', '2026-05-06T03:00:00Z'],
  ])('a conflict time %s (a hand-edited saved plan) gives way to the write time, logged as written', async (_, at) => {
    const { source, beadsFile } = city();
    const planned1 = (await planned(source)).find((r) => r.id === 'clear-conflicting-alias:tk-alias')!;
    const asked = {
      ...planned1,
      changes: planned1.changes.map((c) => (c.field === 'metadata.pool_alias_conflict_at' ? { ...c, after: at } : c)),
    };
    const result = await applyRepairsLocked(source, [asked], { now: WRITTEN, by: 'alice' });
    expect(result.stale).toEqual([]);
    expect(conflictAt(beadsFile)).toBe('2026-05-06T02:14:00Z');
    const [line] = readAudit(source);
    expect(line.changes).toEqual(asked.changes);
    expect(line.written).toEqual(
      asked.changes.map((c) => (c.field === 'metadata.pool_alias_conflict_at' ? { ...c, after: '2026-05-06T02:14:00Z' } : c)),
    );
  });

  it('a stale line keeps the changes the caller passed and has no written key', async () => {
    const { source, beadsFile } = city();
    const shown = (await planned(source)).find((r) => r.id === 'restamp-slot:tk-slot')!;
    writeFileSync(beadsFile, readFileSync(beadsFile, 'utf8').replace('"pool_slot": "4"', '"pool_slot": "2"'));
    const result = await applyRepairsLocked(source, [shown], { now: WRITTEN, by: 'alice' });
    expect(result.applied).toEqual([]);
    const [line] = readAudit(source);
    expect(line).toMatchObject({ repair: shown.id, result: 'stale', changes: shown.changes });
    expect('written' in line).toBe(false);
  });

  it('newBatchId gives a fresh id each time', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newBatchId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
