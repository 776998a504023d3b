// Where a city's beads live (issue 10): the provider as Gas City picks it for the city scope, and the capture
// shapes gc-tui reads instead of `.gc/beads.json`.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mergeBeads, parseBeadsCapture } from '../../src/store/formats/beads-capture.js';
import { detectProvider } from '../../src/store/formats/beads-provider.js';
import { loadCity } from '../../src/store/formats/load-city.js';
import { resolveSource, UsageError } from '../../src/store/source.js';
import { assertWritableSource, fingerprintOf, writeRouteOf } from '../../src/store/source-files.js';
import { InputError } from '../../src/store/types.js';
import { plan } from '../../src/engine/index.js';
import { NOW, sessionRecord } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const NO_ENV: NodeJS.ProcessEnv = {};

afterEach(() => {
  vi.unstubAllEnvs();
});

function cityDir(opts: { bd?: boolean; file?: boolean; toml?: string } = {}): string {
  const dir = tempDir();
  write(join(dir, 'city.toml'), opts.toml ?? '[[agent]]\nname = "worker"\n');
  if (opts.bd) write(join(dir, '.beads', 'metadata.json'), '{"backend":"dolt","dolt_database":"hq"}\n');
  if (opts.file) write(join(dir, '.gc', 'beads.json'), '{"seq":0,"beads":[]}\n');
  return dir;
}

describe('detectProvider', () => {
  const detect = (dir: string, config: Record<string, unknown> = {}, env = NO_ENV) =>
    detectProvider(dir, { agents: [], ...config }, env).name;

  it('GC_BEADS, then [beads] provider, then the markers (.beads/metadata.json before .gc/beads.json), then bd', () => {
    const both = cityDir({ bd: true, file: true });
    expect(detect(both, { beads: { provider: 'file' } }, { GC_BEADS: ' bd ' })).toBe('bd');
    expect(detect(both, { beads: { provider: 'file' } })).toBe('file');
    expect(detect(both)).toBe('bd');
    expect(detect(cityDir({ file: true }))).toBe('file');
    expect(detect(cityDir())).toBe('bd');
    expect(detect(cityDir({ file: true }), { beads: { provider: '  ' } })).toBe('file'); // blank is unset
  });

  it("Gas City's managed bd wrapper is bd; other exec providers pass through", () => {
    const dir = cityDir({ file: true });
    expect(detect(dir, {}, { GC_BEADS: `exec:${dir}/.gc/scripts/gc-beads-bd.sh` })).toBe('bd');
    expect(detect(dir, { beads: { provider: 'exec:/opt/gc-beads-br' } })).toBe('exec:/opt/gc-beads-br');
  });

  it('says why', () => {
    expect(detectProvider(cityDir({ bd: true }), { agents: [] }, NO_ENV).why).toMatch(/\.beads\/metadata\.json marks a bd store/);
    expect(detectProvider(cityDir(), { agents: [], beads: { provider: 'bd' } }, NO_ENV).why).toBe('city.toml [beads] provider = "bd"');
  });

  it('a [beads] provider that is not a string is bad input naming city.toml', () => {
    const dir = cityDir();
    expect(() => detectProvider(dir, { agents: [], beads: { provider: 3 } } as never, NO_ENV)).toThrow(
      `${join(dir, 'city.toml')}: [beads] provider: must be a string`,
    );
  });
});

describe('parseBeadsCapture', () => {
  const bead = (id: string, extra: Record<string, unknown> = {}) => ({ id, status: 'open', issue_type: 'task', ...extra });

  it("accepts bd's flat array, gc's {issues}, gc's API {beads, _cache_age_s} and bd's {schema_version, data}", () => {
    const list = [bead('a'), bead('b')];
    for (const doc of [list, { issues: list }, { beads: list, _cache_age_s: 3 }, { schema_version: 1, data: list }]) {
      expect(parseBeadsCapture(JSON.stringify(doc), 'c.json').map((b) => b.id)).toEqual(['a', 'b']);
    }
  });

  it('reads statuses as gc does (only in_progress and closed are kept; the rest are open), metadata as strings', () => {
    const beads = parseBeadsCapture(
      JSON.stringify([
        bead('a', { status: 'hooked' }),
        bead('b', { status: 'in_progress' }),
        bead('c', { status: 'closed', metadata: { n: 4, t: true } }),
      ]),
      'c.json',
    );
    expect(beads.map((b) => b.status)).toEqual(['open', 'in_progress', 'closed']);
    expect(beads[2].metadata).toEqual({ n: '4', t: 'true' });
  });

  it("marks what bd's ready work never holds as not ready (is_blocked): blocked, pinned, hooked, review, a deferral with no date", () => {
    const beads = parseBeadsCapture(
      JSON.stringify([
        bead('blocked', { status: 'blocked' }),
        bead('pinned', { status: 'pinned' }),
        bead('hooked', { status: 'hooked' }),
        bead('review', { status: 'review' }),
        bead('held', { status: 'deferred' }),
        bead('dated', { status: 'deferred', defer_until: '2026-05-06T01:00:00Z' }),
        bead('open', { status: 'open' }),
        bead('projected', { status: 'open', is_blocked: true }),
      ]),
      'c.json',
    );
    expect(beads.every((b) => b.status === 'open')).toBe(true);
    expect(Object.fromEntries(beads.map((b) => [b.id, b.is_blocked ?? null]))).toEqual({
      blocked: true,
      pinned: true,
      hooked: true,
      review: true,
      held: true,
      dated: null,
      open: null,
      projected: true,
    });
  });

  it('names the file and the place in the capture', () => {
    const err = (text: string) => {
      try {
        parseBeadsCapture(text, 'c.json');
      } catch (e) {
        return e instanceof InputError ? e.message : String(e);
      }
      return null;
    };
    expect(err('[{"id": "a"}, {"id": ""}]')).toMatch(/^c\.json: \[1\]\.id: /);
    expect(err('{"issues": [{"id": "a", "metadata": 3}]}')).toMatch(/^c\.json: issues\[0\]\.metadata: /);
    expect(err('{"issues": [{"id": "a"}, {"id": "a"}]}')).toBe('c.json: issues[1].id: duplicate bead id "a" (first at issues[0].id)');
    expect(err('"x"')).toMatch(/^c\.json: \(top level\): must be bd's/);
  });

  it('merges lists: the first copy of an id wins', () => {
    const a1 = { id: 'a', title: 'first' };
    expect(mergeBeads([[a1], [{ id: 'a', title: 'second' }, { id: 'b' }]])).toEqual([a1, { id: 'b' }]);
  });
});

describe('loadCity and the source', () => {
  it('a city with --beads captures reads them (whatever the provider) and says so', async () => {
    const dir = cityDir({ bd: true });
    const capture = write(join(tempDir(), 'cap.json'), JSON.stringify({ issues: [{ id: 's1', issue_type: 'session' }] }));
    const loaded = await loadCity(dir, [capture]);
    expect(loaded.state.beads.map((b) => b.id)).toEqual(['s1']);
    expect(loaded.source).toEqual({ kind: 'city', dir, beads: [capture] });
    expect(loaded.beadsFrom).toMatchObject({ from: 'capture', provider: { name: 'bd' }, detail: capture });
    expect(loaded.files).toContain(capture);
  });

  it("2026-08: a capture's work that bd's ready work holds back (blocked, deferred with no date, is_blocked) is no new demand", async () => {
    const dir = cityDir({ bd: true, toml: '[[agent]]\nname = "worker"\nmax_active_sessions = 3\n' });
    const routed = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      status: 'open',
      issue_type: 'task',
      metadata: { 'gc.routed_to': 'worker' },
      ...extra,
    });
    const capture = write(
      join(tempDir(), 'cap.json'),
      JSON.stringify([
        routed('w-blocked', { status: 'blocked' }),
        routed('w-deferred', { status: 'deferred' }),
        routed('w-open'),
        routed('w-projected', { is_blocked: true }),
      ]),
    );
    const loaded = await loadCity(dir, [capture]);
    const desired = (edition: '2026-05' | '2026-08') =>
      plan(loaded.state, NOW, edition).pools.find((p) => p.template === 'worker')!.desired;
    expect(desired('2026-08')).toBe(1);
    // 2026-05 (DOMAIN.md as written): open routed work is demand, whatever bd holds back; capped by max.
    expect(desired('2026-05')).toBe(3);
  });

  it('a file-store city says where its beads came from', async () => {
    const dir = cityDir({ file: true });
    expect((await loadCity(dir)).beadsFrom).toMatchObject({ from: 'file', provider: { name: 'file' } });
  });

  it('--beads needs a city', () => {
    expect(() => resolveSource({ store: 'x.json', beads: ['b.json'] })).toThrow(UsageError);
    expect(() => resolveSource({ beads: ['b.json'] }, tempDir())).toThrow('--beads needs a city');
    expect(resolveSource({ city: 'c', beads: ['b.json'] })).toEqual({ kind: 'city', dir: 'c', beads: ['b.json'] });
  });

  it('only a store or a file-store city is written by gc-tui itself; the others only through Gas City', () => {
    expect(() => assertWritableSource({ kind: 'store', path: 'x.json' })).not.toThrow();
    expect(() => assertWritableSource({ kind: 'city', dir: cityDir({ file: true }) }, NO_ENV)).not.toThrow();
    expect(() => assertWritableSource({ kind: 'city', dir: cityDir({ file: true }), beads: ['c.json'] }, NO_ENV)).toThrow(
      /a capture: gc-tui never writes such a city around Gas City; apply the repairs with `gc-tui apply` \(through gc\)/,
    );
    expect(() => assertWritableSource({ kind: 'city', dir: cityDir({ bd: true, file: true }) }, NO_ENV)).toThrow(
      /in a bd store .*: gc-tui never writes such a city around Gas City/,
    );
    expect(writeRouteOf({ kind: 'city', dir: cityDir({ bd: true }) }, NO_ENV)).toMatchObject({ route: 'gc' });
    expect(writeRouteOf({ kind: 'city', dir: cityDir({ file: true }) }, NO_ENV)).toEqual({ route: 'file' });
    expect(() => assertWritableSource({ kind: 'city', dir: cityDir({ bd: true }) }, { GC_BEADS: 'file' })).not.toThrow();
  });
});

describe('a large capture', () => {
  it('plans the same as the same beads in a file store (5 000 sessions, drift, bd-written values)', async () => {
    const toml = '[[agent]]\nname = "worker"\nmax_active_sessions = 6000\n';
    const beads = Array.from({ length: 5000 }, (_, i) => {
      const slot = i + 1;
      const b = sessionRecord(`hq-${slot}`, {
        template: 'worker',
        agent_name: `worker-${slot}`,
        alias: i % 7 === 0 ? `worker-${slot + 1}` : `worker-${slot}`,
        pool_slot: String(i % 11 === 0 ? slot + 3 : slot),
        state: i % 3 === 0 ? 'active' : 'asleep',
      });
      if (i % 5 === 0) b.priority = null;
      if (i % 13 === 0) (b.metadata as Record<string, unknown>).restarts = i; // bd-written number
      return b;
    });
    const fileCity = cityDir({ toml });
    write(join(fileCity, '.gc', 'beads.json'), JSON.stringify({ seq: 5000, beads }));
    const bdCity = cityDir({ toml, bd: true });
    const capture = write(join(tempDir(), 'capture.json'), JSON.stringify(beads));
    const fromFile = plan((await loadCity(fileCity)).state, NOW);
    const fromCapture = plan((await loadCity(bdCity, [capture])).state, NOW);
    expect(fromFile.repairs.length).toBeGreaterThan(500);
    expect(fromCapture).toEqual(fromFile);
  });
});

describe('scope-local-v1 file cities', () => {
  const toml = '[beads]\nprovider = "file"\n\n[[rigs]]\nname = "fe"\npath = "rigs/fe"\n\n[[agent]]\nname = "worker"\n';
  const store = (beads: unknown[]) => JSON.stringify({ seq: beads.length, beads });

  it('reads the city store and every rig store, without gc; an id in more than one store is rig:<name>/<id> on the rig side', async () => {
    vi.stubEnv('PATH', tempDir('gc-tui-nogc-'));
    const elsewhere = tempDir(); // a rig bound to an absolute path outside the city
    const dir = cityDir({ toml: `${toml}\n[[rigs]]\nname = "be"\npath = "${elsewhere}"\n` });
    write(join(dir, '.gc', 'file-beads-layout'), 'scope-local-v1\n');
    write(join(dir, '.gc', 'beads.json'), store([sessionRecord('gc-1', { agent_name: 'worker' }), sessionRecord('fe-9', {})]));
    const feStore = write(join(dir, 'rigs', 'fe', '.gc', 'beads.json'), store([sessionRecord('gc-1', {}), sessionRecord('gc-2', {})]));
    const beStore = write(join(elsewhere, '.gc', 'beads.json'), store([sessionRecord('gc-1', {})]));
    const loaded = await loadCity(dir);
    expect(loaded.state.beads.map((b) => b.id)).toEqual(['gc-1', 'fe-9', 'rig:fe/gc-1', 'gc-2', 'rig:be/gc-1']);
    expect(loaded.state.beads[0].metadata?.agent_name).toBe('worker'); // the bare id is the city's bead
    expect(loaded.scopes).toEqual({
      rigBeads: { 'rig:fe/gc-1': { rig: 'fe', id: 'gc-1' }, 'gc-2': { rig: 'fe', id: 'gc-2' }, 'rig:be/gc-1': { rig: 'be', id: 'gc-1' } },
    });
    expect(loaded.beadsFrom).toMatchObject({ from: 'scopes', detail: `${join(dir, '.gc', 'beads.json')}, ${feStore}, ${beStore}` });
    expect(loaded.files).toEqual(expect.arrayContaining([feStore, beStore]));
    // Written only through gc (apply), never by gc-tui around it.
    expect(() => assertWritableSource({ kind: 'city', dir }, NO_ENV)).toThrow(
      /rigs keep their own bead stores .*gc-tui never writes such a city around Gas City/,
    );
    // A rig store is part of what a saved plan's fingerprint covers.
    const before = fingerprintOf({ kind: 'city', dir });
    write(beStore, store([sessionRecord('gc-1', { state: 'active' })]));
    expect(fingerprintOf({ kind: 'city', dir })).not.toBe(before);
  });

  it('numbers and non-string metadata of every store are kept as each file spells them, under the id each bead is shown by', async () => {
    vi.stubEnv('PATH', tempDir('gc-tui-nogc-'));
    const dir = cityDir({ toml });
    write(join(dir, '.gc', 'file-beads-layout'), 'scope-local-v1\n');
    const spelled = (id: string, ratio: string) =>
      JSON.stringify(sessionRecord(id, {})).replace(/"metadata":\{/, `"ratio": ${ratio}, "metadata": {"w": 1.0, `);
    write(join(dir, '.gc', 'beads.json'), `{"seq": 1, "beads": [${spelled('gc-1', '2.50')}]}`);
    write(join(dir, 'rigs', 'fe', '.gc', 'beads.json'), `{"seq": 2, "beads": [${spelled('gc-1', '5e-1')}, ${spelled('gc-2', '1E2')}]}`);
    const { state } = await loadCity(dir);
    expect(state.storedNumbers).toEqual({
      'gc-1': [[['ratio'], '2.50']],
      'rig:fe/gc-1': [[['ratio'], '5e-1']],
      'gc-2': [[['ratio'], '1E2']],
    });
    expect(state.storedMetadata).toEqual({ 'gc-1': { w: '1.0' }, 'rig:fe/gc-1': { w: '1.0' }, 'gc-2': { w: '1.0' } });
  });

  it("a bad rig store is bad input naming that file; an id twice in one store is that store's duplicate", async () => {
    const dir = cityDir({ toml, file: true });
    write(join(dir, '.gc', 'file-beads-layout'), 'scope-local-v1\n');
    const fe = write(join(dir, 'rigs', 'fe', '.gc', 'beads.json'), store([sessionRecord('gc-1', {}), sessionRecord('gc-1', {})]));
    await expect(loadCity(dir)).rejects.toThrow(`${fe}: beads[1].id: duplicate bead id "gc-1" (first at beads[0].id)`);
    write(fe, '{"seq": 1, "beads": [');
    await expect(loadCity(dir)).rejects.toThrow(new RegExp(`^${fe.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line 1, column`));
  });

  it("the file decides, as in Gas City: a rig with its own .gc/beads.json is its own store with or without the layout; none, the city's", async () => {
    const dir = cityDir({ toml, file: true });
    write(join(dir, '.gc', 'file-beads-layout'), 'scope-local-v1\n');
    expect((await loadCity(dir)).beadsFrom?.from).toBe('file');
    write(join(dir, 'rigs', 'fe', '.gc', 'beads.json'), store([sessionRecord('gc-7', {})]));
    write(join(dir, '.gc', 'file-beads-layout'), 'shared\n');
    const loaded = await loadCity(dir);
    expect(loaded.beadsFrom?.from).toBe('scopes');
    expect(loaded.scopes?.rigBeads).toEqual({ 'gc-7': { rig: 'fe', id: 'gc-7' } });
  });

  it('a rig in bd under a file-store city (a mixed city) is read only through gc: exit-2 material without it, never written', async () => {
    vi.stubEnv('PATH', tempDir('gc-tui-nogc-'));
    const dir = cityDir({ toml, file: true });
    const marker = write(join(dir, 'rigs', 'fe', '.beads', 'metadata.json'), '{"backend":"dolt"}\n');
    write(join(dir, 'rigs', 'fe', '.gc', 'beads.json'), store([sessionRecord('gc-7', {})])); // bd wins over it
    await expect(loadCity(dir)).rejects.toThrow(
      `${dir}: the beads of this city are in a bd store (rig "fe" (${marker}) keeps its beads in bd), which gc-tui reads only through Gas City, and gc is not on PATH`,
    );
    expect(writeRouteOf({ kind: 'city', dir }, NO_ENV)).toEqual({ route: 'gc', why: `rig fe keeps its beads in bd (${marker})` });
  });
});

describe('split cities: session beads in a store of their own ([beads.classes.sessions])', () => {
  const split = (backend: string) =>
    `[beads]\nprovider = "file"\n\n[beads.classes.sessions]\nbackend = ${backend}\n\n[[agent]]\nname = "worker"\n`;

  it('is never read as clean without them: exit-2 material naming the key and what to do, even when its other beads are on disk', async () => {
    const dir = cityDir({ toml: split('"sqlite"'), file: true });
    await expect(loadCity(dir)).rejects.toThrow(
      `${dir}: city.toml [beads.classes.sessions] backend = "sqlite" keeps this city's session beads in a store of their own`,
    );
    await expect(loadCity(dir)).rejects.toThrow(/pass them with --beads FILE$/);
    const capture = write(join(tempDir(), 'sessions.json'), JSON.stringify([sessionRecord('gcs-1', { template: 'worker' })]));
    const loaded = await loadCity(dir, [capture]);
    expect(loaded.state.beads.map((b) => b.id)).toEqual(['gcs-1']);
    expect(loaded.beadsFrom?.from).toBe('capture');
  });

  it('bd (the default), a blank backend or a shadow copy beside bd is not split; a backend that is not a string is bad input', async () => {
    for (const backend of ['"bd"', '""'])
      expect((await loadCity(cityDir({ toml: split(backend), file: true }))).beadsFrom?.from).toBe('file');
    const shadow = cityDir({ toml: '[beads]\nprovider = "file"\n\n[beads.classes.sessions]\nshadow = true\n', file: true });
    expect((await loadCity(shadow)).beadsFrom?.from).toBe('file');
    const bad = cityDir({ toml: split('3'), file: true });
    await expect(loadCity(bad)).rejects.toThrow(`${join(bad, 'city.toml')}: [beads.classes.sessions] backend: must be a string`);
  });
});
