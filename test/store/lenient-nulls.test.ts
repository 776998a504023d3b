// A city bead with `created_at`, `updated_at` or `title` null (Gas City's Go decoder leaves the zero value)
// is read by `check`; it must also export, import and reopen, with the error, if any, naming the input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { loadCity } from '../../src/store/formats/load-city.js';
import { loadStore, validateStoreDocument, writeStoreDocument } from '../../src/store/formats/load-store.js';
import { exportJsonDocument, storeDocumentOf } from '../../src/store/output/export.js';
import { InputError } from '../../src/store/types.js';
import { NOW, sessionRecord } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const CITY_TOML = '[beads]\nprovider = "file"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 5\n';

describe('created_at, updated_at and title null are absent', () => {
  it('a city with them exports as JSON, imports, and both reopen with the same plan', async () => {
    const dir = tempDir();
    write(join(dir, 'city.toml'), CITY_TOML);
    const s = {
      ...sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '3', state: 'active' }),
    };
    Object.assign(s, { created_at: null, updated_at: null, title: null });
    write(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: 1, beads: [s] }, null, 2));
    const loaded = await loadCity(dir);
    const expected = plan(loaded.state, NOW);
    expect(expected.repairs.map((r) => r.id)).toContain('restamp-slot:mc-1');

    const snapshot = join(tempDir(), 'snapshot.json');
    await writeStoreDocument(snapshot, exportJsonDocument(loaded, expected, NOW));
    const imported = join(tempDir(), 'imported.json');
    await writeStoreDocument(imported, storeDocumentOf(loaded));
    for (const file of [snapshot, imported]) {
      const reopened = await loadStore(file);
      expect(reopened.state.beads[0]).toMatchObject({ created_at: null, updated_at: null, title: null });
      expect(plan(reopened.state, NOW).repairs).toEqual(expected.repairs);
    }
  });

  it('a value of another type is still refused, naming the file and the place', () => {
    const doc = { schema: 'gc-tui/1', city: { agents: [] }, beads: [{ id: 'a', created_at: 5 }] };
    expect(() => validateStoreDocument(doc, 'x.json')).toThrow(InputError);
    expect(() => validateStoreDocument(doc, 'x.json')).toThrow(/^x\.json: beads\[0\]\.created_at: must be a string, got number 5/);
  });

  it('a number no double holds is refused saying so, not "must be a number, got number 1e400"', async () => {
    const file = join(tempDir(), 'huge.json');
    write(file, '{"schema":"gc-tui/1","city":{"agents":[{"name":"k"}]},"beads":[],"demand":{"k":1e400}}');
    await expect(loadStore(file)).rejects.toThrow(/demand\.k: must be a number, got number 1e400, beyond the range of a JSON number/);
  });
});

describe("a store's optional parts null are absent (everything but schema, city.agents and beads has a default)", () => {
  it('workspace, daemon, rigs, named_sessions, namepool, demand and decisions null: read, planned and written as when absent', async () => {
    const fixture = JSON.parse(
      readFileSync(new URL('../../fixtures/scenarios/alias-conflict-after-clear.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown> & { city: Record<string, unknown> & { agents: Record<string, unknown>[] } };
    const without = structuredClone(fixture);
    const nulls = structuredClone(fixture);
    for (const k of ['workspace', 'daemon', 'rigs', 'named_sessions']) {
      delete without.city[k];
      nulls.city[k] = null;
    }
    for (const [i, a] of without.city.agents.entries()) {
      delete a.namepool;
      nulls.city.agents[i].namepool = null;
    }
    for (const k of ['demand', 'decisions']) {
      delete without[k];
      nulls[k] = null;
    }
    const dir = tempDir();
    const a = write(join(dir, 'without.json'), JSON.stringify(without));
    const b = write(join(dir, 'nulls.json'), JSON.stringify(nulls));
    const planA = plan((await loadStore(a)).state, NOW);
    const planB = plan((await loadStore(b)).state, NOW);
    expect(planB.repairs.length).toBeGreaterThan(0);
    expect(JSON.stringify(planB)).toBe(JSON.stringify(planA));
    // Exported as a store (as `export --format json` writes it), it reads again with the same plan.
    const loaded = await loadStore(b);
    await writeStoreDocument(b, storeDocumentOf(loaded));
    expect(JSON.stringify(plan((await loadStore(b)).state, NOW))).toBe(JSON.stringify(planA));
  });
});
