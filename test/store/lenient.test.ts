// Lenient where Gas City is (issue 10): a `null` priority is absent (Go `*int`), and a state the rules do not
// know stays an info finding, never an error and never a repair.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { loadCity } from '../../src/store/formats/load-city.js';
import { loadStore, validateStoreDocument, writeStoreDocument } from '../../src/store/formats/load-store.js';
import { exportJsonDocument, storeDocumentOf } from '../../src/store/output/export.js';
import { InputError } from '../../src/store/types.js';
import { city, NOW, pooled, sessionRecord, state, work } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const CITY_TOML = '[beads]\nprovider = "file"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 5\n';

function cityWithNullPriority(): string {
  const dir = tempDir();
  write(join(dir, 'city.toml'), CITY_TOML);
  const s = sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '1', state: 'active' });
  s.priority = null;
  const w = { id: 'w-1', title: 'work', status: 'open', issue_type: 'task', priority: null, metadata: { 'gc.routed_to': 'worker' } };
  write(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: 2, beads: [s, w] }, null, 2));
  return dir;
}

describe('priority: null is absent', () => {
  it('a store file with priority null is valid; a priority that is not a number is still refused, naming the place', () => {
    const doc = { schema: 'gc-tui/1', city: { agents: [] }, beads: [{ id: 'a', priority: null }] };
    expect(() => validateStoreDocument(doc, 'x.json')).not.toThrow();
    const bad = { ...doc, beads: [{ id: 'a', priority: 'high' }] };
    expect(() => validateStoreDocument(bad, 'x.json')).toThrow(InputError);
    expect(() => validateStoreDocument(bad, 'x.json')).toThrow(/x\.json: beads\[0\]\.priority: must be a number, got string "high"/);
  });

  it("a city bead whose priority is not a number is refused as Gas City's decoder refuses it, naming the file and place", async () => {
    const dir = tempDir();
    write(join(dir, 'city.toml'), CITY_TOML);
    const w = { id: 'w-1', title: 'work', status: 'open', issue_type: 'task', priority: 'high', metadata: { 'gc.routed_to': 'worker' } };
    write(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: 1, beads: [w] }));
    await expect(loadCity(dir)).rejects.toThrow(
      /\.gc\/beads\.json: beads\[0\]\.priority: must be an integer Gas City can read \(a Go int: .*\) or null, got string "high"/,
    );
  });

  it('the engine reads it as no priority (0), as an absent one', () => {
    const c = city([{ name: 'worker', max_active_sessions: 5 }]);
    const withNull = plan(state(c, [{ ...work('w-1', { route: 'worker' }), priority: null as unknown as number }]), NOW);
    const absent = plan(state(c, [work('w-1', { route: 'worker' })]), NOW);
    expect(withNull).toEqual(absent);
  });

  it('a city bead with priority null loads, exports as JSON and reopens as a store (import too)', async () => {
    const dir = cityWithNullPriority();
    const loaded = await loadCity(dir);
    expect(loaded.state.beads.map((b) => b.id)).toEqual(['mc-1', 'w-1']);
    const out = join(tempDir(), 'snapshot.json');
    await writeStoreDocument(out, exportJsonDocument(loaded, plan(loaded.state, NOW), NOW));
    const reopened = await loadStore(out);
    expect(reopened.state.beads.map((b) => b.priority)).toEqual([null, null]);
    const imported = join(tempDir(), 'imported.json');
    await writeStoreDocument(imported, storeDocumentOf(loaded));
    expect(plan((await loadStore(imported)).state, NOW)).toEqual(plan(loaded.state, NOW));
  });
});

describe('a state the rules do not know', () => {
  it('is an info finding (unknown-state), with no repair on that bead', () => {
    const c = city([{ name: 'worker', max_active_sessions: 5 }]);
    const b = pooled('mc-1', 'worker', { agent_name: 'worker-1', alias: 'worker-1', pool_slot: '1', state: 'start-pending' });
    const p = plan(state(c, [b]), NOW);
    const found = p.findings.filter((f) => f.kind === 'unknown-state');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'info', beadId: 'mc-1' });
    expect(p.repairs.filter((r) => r.beadId === 'mc-1')).toEqual([]);
  });
});
