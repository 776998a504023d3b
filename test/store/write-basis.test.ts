// Writes without repeated work (issue 9, item 3): a caller's read and plan reused under the lock while the file
// is byte for byte what was read, a fresh read and plan as soon as it is not; and the file written in the
// layout it had (compact stays compact, an indent is kept), big integers exact.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { readAudit } from '../../src/store/audit.js';
import { detectJsonLayout, JsonNumberText, parseJsonText, stringifyJson } from '../../src/store/formats/json-text.js';
import { loadSource } from '../../src/store/source.js';
import type { Source } from '../../src/store/types.js';
import { applyRepairsLocked, readForWrite } from '../../src/store/write.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { loadStore } from '../../src/store/formats/load-store.js';
import { NOW, sessionRecord } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const TOKENS = resolve(import.meta.dirname, '../../fixtures/tokens');

function storeDoc(beads: unknown[]): Record<string, unknown> {
  return {
    schema: 'gc-tui/1',
    city: { agents: [{ name: 'worker', max_active_sessions: 5 }] },
    beads,
    decisions: [],
    custom: { keep: [1, 2] },
  };
}

function storeFile(text: string): { source: Source; path: string } {
  const path = write(join(tempDir(), 'store.json'), text);
  return { source: { kind: 'store', path }, path };
}

const stampedWrong = () =>
  sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-2', alias: 'worker-2', pool_slot: '4', state: 'asleep' });

describe('detectJsonLayout', () => {
  it('tells compact from indented text, the indent unit and the final newline', () => {
    expect(detectJsonLayout('{"a":[1,2]}')).toEqual({ indent: '', finalNewline: false });
    expect(detectJsonLayout('{"a":[1,2]}\n')).toEqual({ indent: '', finalNewline: true });
    expect(detectJsonLayout('{\n  "a": 1\n}\n')).toEqual({ indent: '  ', finalNewline: true });
    expect(detectJsonLayout('{\n\t"a": 1\n}')).toEqual({ indent: '\t', finalNewline: false });
    // A file saved on Windows: its line breaks and its byte order mark are part of its layout, kept on a rewrite.
    expect(detectJsonLayout('\uFEFF{\r\n    "a": 1\r\n}\r\n')).toEqual({ indent: '    ', finalNewline: true, eol: '\r\n', bom: true });
    expect(detectJsonLayout('{"a":1}\r\n')).toEqual({ indent: '', finalNewline: true, eol: '\r\n' });
  });

  it('a store saved with CRLF line breaks and a byte order mark keeps both through an apply, and the beads it does not change', async () => {
    const dir = tempDir();
    const file = join(dir, 's.json');
    const doc = {
      schema: 'gc-tui/1',
      city: { agents: [{ name: 'worker', max_active_sessions: 4 }] },
      beads: [
        sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-2', alias: 'worker-2', pool_slot: '4', state: 'asleep' }),
        sessionRecord('mc-2', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '1', state: 'asleep' }),
      ],
    };
    const text = '\uFEFF' + JSON.stringify(doc, null, 2).replace(/\n/g, '\r\n') + '\r\n';
    writeFileSync(file, text);
    const src: Source = { kind: 'store', path: file };
    const { state } = await loadStore(file);
    const result = await applyRepairsLocked(src, plan(state, NOW).repairs, { now: NOW, by: 'op' });
    expect(result.applied.map((r) => r.id)).toEqual(['restamp-slot:mc-1']);
    const after = readFileSync(file, 'utf8');
    expect(after.charCodeAt(0)).toBe(0xfeff);
    expect(after.endsWith('}\r\n')).toBe(true);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    // The bead it did not change is there byte for byte.
    const untouched = JSON.stringify(doc.beads[1], null, 2).replace(/\n/g, '\r\n    ');
    expect(after).toContain(untouched);
  });

  it('stringifyJson writes compact text with big integers digit for digit', () => {
    const v = { a: [1, new JsonNumberText('9223372036854775807')], b: { c: 'x' }, d: [] };
    expect(stringifyJson(v, { indent: '', finalNewline: false })).toBe('{"a":[1,9223372036854775807],"b":{"c":"x"},"d":[]}');
    expect(stringifyJson({ a: [1, 2] }, { indent: '\t', finalNewline: true })).toBe('{\n\t"a": [\n\t\t1,\n\t\t2\n\t]\n}\n');
  });
});

describe('applyRepairsLocked with the caller’s read and plan', () => {
  it('applies from the caller’s read when the file is unchanged, and keeps a compact file compact', async () => {
    const text = JSON.stringify(storeDoc([stampedWrong()]));
    const { source, path } = storeFile(text);
    const basis = await readForWrite(source);
    const p = plan(basis.state, NOW);
    expect(p.repairs.map((r) => r.id)).toEqual(['restamp-slot:mc-1']);
    const result = await applyRepairsLocked(source, p.repairs, { now: NOW, by: 'alice', basis: { read: basis, plan: p, now: NOW } });
    expect(result.applied.map((r) => r.id)).toEqual(['restamp-slot:mc-1']);
    expect(result.state.beads[0].metadata!.pool_slot).toBe('2');
    const after = readFileSync(path, 'utf8');
    expect(after.includes('\n')).toBe(false);
    const doc = JSON.parse(after);
    expect(doc.beads[0].metadata.pool_slot).toBe('2');
    expect(doc.custom).toEqual({ keep: [1, 2] });
    // The same document but the one changed bead: only the repaired field and updated_at differ.
    expect(after.length - text.length).toBeLessThan(40);
    expect(readAudit(source).map((e) => e.result)).toEqual(['applied']);
  });

  it('re-reads and re-plans when someone wrote between the caller’s read and the lock: the repair is stale', async () => {
    const { source, path } = storeFile(JSON.stringify(storeDoc([stampedWrong()]), null, 2));
    const basis = await readForWrite(source);
    const p = plan(basis.state, NOW);
    // Meanwhile the slot stamp is fixed by someone else (the before "4" no longer holds).
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    doc.beads[0].metadata.pool_slot = '3';
    writeFileSync(path, JSON.stringify(doc, null, 2));
    const bytes = readFileSync(path);
    const result = await applyRepairsLocked(source, p.repairs, { now: NOW, by: 'alice', basis: { read: basis, plan: p, now: NOW } });
    expect(result.applied).toEqual([]);
    expect(result.stale.map((s) => s.repair.id)).toEqual(['restamp-slot:mc-1']);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('trusts its plan for a later write only until the plan can change (a create in flight going stale), then re-plans', async () => {
    // mc-2's create, started 02:08, is stale from 02:18 on (10 min): until then a fresh plan is the caller's.
    const inFlight = sessionRecord('mc-2', {
      template: 'worker',
      state: 'creating',
      pending_create_claim: 'true',
      pending_create_started_at: '2026-05-06T02:08:00Z',
    });
    const forgedWrite = async (minutes: number) => {
      const { source } = storeFile(JSON.stringify(storeDoc([stampedWrong(), inFlight]), null, 2));
      const basis = await readForWrite(source);
      const p = plan(basis.state, NOW);
      // A forged plan is trusted only while it stands for the fresh one: its repair is applied as forged, or re-planned.
      const forged = { ...p, repairs: p.repairs.map((r) => ({ ...r, changes: r.changes.map((c) => ({ ...c, after: '5' })) })) };
      const slot = forged.repairs.filter((r) => r.id === 'restamp-slot:mc-1');
      expect(slot).toHaveLength(1);
      return applyRepairsLocked(source, slot, {
        now: new Date(NOW.getTime() + minutes * 60_000),
        by: 'alice',
        basis: { read: basis, plan: forged, now: NOW },
      });
    };
    // The write 4 min 59 s later (the lock's wait, an operator's answer): not planned again.
    expect((await forgedWrite(4 + 59 / 60)).applied.map((r) => r.changes[0].after)).toEqual(['5']);
    // At 02:18 the plan can differ: the write re-plans, and the forged repair is no longer the fresh one.
    const result = await forgedWrite(5);
    expect(result.applied).toEqual([]);
    expect(result.stale[0].why).toMatch(/re-planned/);
    // Earlier than the plan: re-planned too.
    expect((await forgedWrite(-1)).stale[0].why).toMatch(/re-planned/);
  });

  it('keeps an indented file’s indent unit (tabs) and its missing final newline', async () => {
    const { source, path } = storeFile(JSON.stringify(storeDoc([stampedWrong()]), null, '\t'));
    const basis = await readForWrite(source);
    const p = plan(basis.state, NOW);
    await applyRepairsLocked(source, p.repairs, { now: NOW, by: 'alice', basis: { read: basis, plan: p, now: NOW } });
    const after = readFileSync(path, 'utf8');
    expect(after).toBe(JSON.stringify(JSON.parse(after), null, '\t'));
    expect(JSON.parse(after).beads[0].metadata.pool_slot).toBe('2');
  });
});

describe('a write of many beads of a big file', () => {
  // It is written from the bytes read, only the changed beads' text made anew (splice-beads.ts), in parts
  // (more than one writev's worth here). What is on disk must be what stringifying the whole document gives.
  for (const indent of ['', '  ']) {
    it(`writes exactly the whole document in its layout (${indent === '' ? 'compact' : 'indented'}), and reads back as the state returned`, async () => {
      const { source, path } = storeFile(stringifyJson(generateStore({ beads: 9000, seed: 3 }), { indent, finalNewline: indent !== '' }));
      const basis = await readForWrite(source);
      const p = plan(basis.state, NOW);
      const result = await applyRepairsLocked(source, p.repairs, { now: NOW, by: 'alice', basis: { read: basis, plan: p, now: NOW } });
      expect(new Set(result.applied.map((r) => r.beadId)).size).toBeGreaterThan(520);
      const after = readFileSync(path, 'utf8');
      expect(after).toBe(stringifyJson(parseJsonText(after), detectJsonLayout(after)));
      expect(detectJsonLayout(after)).toEqual({ indent, finalNewline: indent !== '' });
      expect((await loadStore(path)).state.beads).toEqual(result.state.beads);
      expect(readAudit(source)).toHaveLength(p.repairs.length);
    });
  }
});

describe('a compact sealed city file', () => {
  it('stays compact, with its tokens bumped digit for digit beyond 2^53', async () => {
    const dir = tempDir();
    copyFileSync(join(TOKENS, 'city.toml'), join(dir, 'city.toml'));
    const doc = parseJsonText(readFileSync(join(TOKENS, 'beads.sealed.json'), 'utf8')) as Record<string, unknown>;
    const ids = (doc.beads as { id: string }[]).map((b) => b.id);
    doc.revisions = Object.fromEntries(ids.map((id) => [id, new JsonNumberText('9007199254740993')]));
    const beadsFile = write(join(dir, '.gc', 'beads.json'), stringifyJson(doc, { indent: '', finalNewline: true }));
    const source: Source = { kind: 'city', dir };
    const repairs = plan((await loadSource(source)).state, NOW).repairs;
    expect(repairs.length).toBeGreaterThan(0);
    const result = await applyRepairsLocked(source, repairs, { now: NOW, by: 'alice' });
    expect(result.applied.length).toBeGreaterThan(0);
    const after = readFileSync(beadsFile, 'utf8');
    expect(after.indexOf('\n')).toBe(after.length - 1);
    const changed = new Set(result.applied.map((r) => r.beadId));
    const revisions = (parseJsonText(after) as { revisions: Record<string, JsonNumberText> }).revisions;
    for (const id of ids) expect(revisions[id].text).toBe(changed.has(id) ? '9007199254740994' : '9007199254740993');
    // The state returned is the engine's view of what was written (string metadata), without a re-read.
    expect((await loadSource(source)).state.beads).toEqual(result.state.beads);
  });
});
