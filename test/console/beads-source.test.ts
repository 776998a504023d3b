// The console on a city whose beads live in bd (issue 10): beads from a capture make it read-only; beads it
// cannot read are a load error (the same line the headless commands print), never a clean, empty city.
import { cpSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inProcessJobs } from '../../src/console/jobs.js';
import { approve } from '../../src/console/review.js';
import { dispatchKey } from '../../src/ui/actions.js';
import { createAppStore } from '../../src/console/state.js';
import { startLive, type Live } from '../../src/console/watch.js';
import type { Source } from '../../src/store/types.js';
import { NOW, sessionRecord } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SESSIONS = join(ROOT, 'fixtures', 'bd-captures', 'sessions.json');

function bdCity(): string {
  const dir = join(tempDir(), 'bd-city');
  cpSync(join(ROOT, 'fixtures', 'bd-city'), dir, { recursive: true });
  return dir;
}

let live: Live | null = null;
afterEach(async () => {
  await live?.stop();
  live = null;
  vi.unstubAllEnvs();
});

async function open(source: Source) {
  const store = createAppStore({ source });
  live = startLive({ store, source, jobs: inProcessJobs(), watch: false, patrolMs: 3_600_000, now: () => NOW });
  await live.ready;
  return store.getState();
}

describe('the console on a bd city', () => {
  it('beads from a capture: shown, and the console turns read-only', async () => {
    const s = await open({ kind: 'city', dir: bdCity(), beads: [SESSIONS] });
    expect(s.error).toBeNull();
    expect(s.current?.plan.repairs.map((r) => r.id)).toEqual(['repair-alias:hq-s1', 'restamp-slot:hq-s1']);
    expect(s.readOnly).toBe(true);
    expect(s.readOnlyWhy).toBe(
      'the beads were read from --beads; writes to such a city go through Gas City: gc-tui apply (it runs gc) or apply --emit-script FILE',
    );
  });

  it('an approval there is refused with that reason, and nothing is written', async () => {
    const dir = bdCity();
    const store = createAppStore({ source: { kind: 'city', dir, beads: [SESSIONS] } });
    live = startLive({
      store,
      source: { kind: 'city', dir, beads: [SESSIONS] },
      jobs: inProcessJobs(),
      watch: false,
      patrolMs: 3_600_000,
      now: () => NOW,
    });
    await live.ready;
    const before = readdirSync(dir, { recursive: true }).sort();
    const repair = store.getState().current!.plan.repairs[0];
    expect(await approve({ store, services: live.services }, [repair])).toBeNull();
    expect(store.getState().ui.message?.text).toBe(
      `read-only: approve ${repair.id} is refused (the beads were read from --beads; writes to such a city go through Gas City: gc-tui apply (it runs gc) or apply --emit-script FILE)`,
    );
    expect(readdirSync(dir, { recursive: true }).sort()).toEqual(before);
  });

  it('the decision keys say that reason too, not --read-only', async () => {
    const dir = bdCity();
    const source: Source = { kind: 'city', dir, beads: [SESSIONS] };
    const store = createAppStore({ source });
    live = startLive({ store, source, jobs: inProcessJobs(), watch: false, patrolMs: 3_600_000, now: () => NOW });
    await live.ready;
    store.getState().patchUi({ view: 'repairs' });
    for (const key of ['a', 'r', 'space'] as const) {
      dispatchKey(key, { store, services: live.services, exit: () => undefined });
      expect(store.getState().ui.message?.text).toMatch(
        /^read-only: \w[\w ]* is refused \(the beads were read from --beads; writes to such a city go through Gas City/,
      );
    }
  });

  it('beads it cannot read: a load error naming the provider and the command, no data', async () => {
    vi.stubEnv('PATH', tempDir('gc-tui-nogc-'));
    const s = await open({ kind: 'city', dir: bdCity() });
    expect(s.current).toBeNull();
    expect(s.error).toMatch(
      /the beads of this city are in a bd store .*gc beads list --label gc:session --all --format=json > beads\.json/,
    );
  });

  it('a scope-local-v1 city: every store shown, gc or no gc, and the console read-only (its writes go through gc)', async () => {
    vi.stubEnv('PATH', tempDir('gc-tui-nogc-'));
    const dir = join(tempDir(), 'scoped');
    write(join(dir, 'city.toml'), '[beads]\nprovider = "file"\n\n[[rigs]]\nname = "fe"\npath = "fe"\n\n[[agent]]\nname = "worker"\n');
    write(join(dir, '.gc', 'file-beads-layout'), 'scope-local-v1\n');
    write(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: 1, beads: [sessionRecord('gc-1', { template: 'worker' })] }));
    write(join(dir, 'fe', '.gc', 'beads.json'), JSON.stringify({ seq: 1, beads: [sessionRecord('gc-1', { template: 'worker' })] }));
    const s = await open({ kind: 'city', dir });
    expect(s.error).toBeNull();
    expect(s.current?.state.beads.map((b) => b.id)).toEqual(['gc-1', 'rig:fe/gc-1']);
    expect(s.readOnly).toBe(true);
    expect(s.readOnlyWhy).toBe(
      'the rigs of this city keep their own bead stores; writes to such a city go through Gas City: gc-tui apply (it runs gc) or apply --emit-script FILE',
    );
  });
});
