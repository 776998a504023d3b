// The proof of the engine's data layout: the engine in src/engine and the frozen copy of the engine it
// replaced (test/engine/reference/, a verbatim copy kept only for this test) give byte-identical plans —
// the whole plan, per-bead detail included — on generated stores, every scenario fixture, and generated
// 10k-bead stores. `npm test` runs 40 cases (test/support/runs.ts), CI 300 more; GC_TUI_PROPERTY_RUNS=5000 npx vitest run test/engine/differential.test.ts
// runs a long search.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Plan, State } from '../../src/engine/index.js';
import { applyRepairs, beadBriefs, beadDetail, eachBeadFacts, plan } from '../../src/engine/index.js';
import { plan as referencePlan } from './reference/index.js';
// @ts-expect-error -- a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { chaosArb, rejecting } from './differential-arbitraries.js';
import { LONG_SEARCH, PROPERTY_RUNS } from '../support/runs.js';

const NOW = new Date('2026-05-06T02:13:00Z');
const RUNS = PROPERTY_RUNS;
const TIMEOUT = 60_000 + RUNS * 200;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Both engines on one state: the whole plan as JSON, and the new plan itself. */
function both(state: State, now = NOW): { ref: string; got: string; plan: Plan } {
  const ref = JSON.stringify(referencePlan(state, now));
  const p = plan(state, now);
  return { ref, got: JSON.stringify(p), plan: p };
}

function expectSame(state: State, now = NOW): Plan {
  const { ref, got, plan: p } = both(state, now);
  if (got !== ref) {
    // Name the first part that differs, so a failure reads without diffing megabytes.
    const a = JSON.parse(ref) as Record<string, unknown>;
    const b = JSON.parse(got) as Record<string, unknown>;
    for (const k of ['metrics', 'repairs', 'findings', 'pools']) expect(b[k], k).toEqual(a[k]);
    expect(b.detail).toEqual(a.detail);
  }
  expect(got).toBe(ref);
  return p;
}

describe('the engine equals the reference engine', () => {
  it(
    'on generated stores, whole plan including detail, and again after applying the repairs',
    () => {
      fc.assert(
        fc.property(chaosArb, fc.integer({ min: 0, max: 7200 }), ({ state, rejectPicks }, dt) => {
          const now = new Date(NOW.getTime() + (dt - 3600) * 1000);
          const first = expectSame(state, now);
          // With operator rejections of some of its repairs.
          const decided = { ...state, decisions: rejecting(first.repairs, rejectPicks) };
          expectSame(decided, now);
          // And one round of repairs later (aliases swapped, slots restamped, beads closed).
          expectSame(applyRepairs(state, first.repairs, { now }), now);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'beadDetail(plan, id) is detail.beads[id], read before or after the whole record',
    () => {
      fc.assert(
        fc.property(chaosArb, ({ state }) => {
          const whole = plan(state, NOW).detail.beads;
          const p = plan(state, NOW);
          for (const id of Object.keys(whole).reverse()) expect(JSON.stringify(beadDetail(p, id))).toBe(JSON.stringify(whole[id]));
          expect(beadDetail(p, 'no-such-bead')).toBeUndefined();
          const again = Object.keys(whole)[0];
          if (again !== undefined) {
            const one = beadDetail(p, again);
            expect(p.detail.beads[again]).toBe(one); // the record reuses what was built
            expect(beadDetail(p, again)).toBe(one);
          }
        }),
        { numRuns: Math.max(10, Math.floor(RUNS / 4)) },
      );
    },
    TIMEOUT,
  );

  it(
    'beadBriefs(plan)(id) is the template, owned slot, named and pool-managed of detail.beads[id]',
    () => {
      fc.assert(
        fc.property(chaosArb, ({ state }) => {
          const whole = plan(state, NOW).detail.beads;
          const briefOf = beadBriefs(plan(state, NOW));
          for (const id of Object.keys(whole)) {
            const { template, ownedSlot, named, poolManaged } = whole[id];
            expect(briefOf(id)).toEqual({ template, ownedSlot, named, poolManaged });
          }
          expect(briefOf('no-such-bead')).toBeUndefined();
        }),
        { numRuns: Math.max(10, Math.floor(RUNS / 4)) },
      );
    },
    TIMEOUT,
  );

  it(
    'eachBeadFacts(plan) visits the facts of each record of detail.beads, before or after the whole record is built',
    () => {
      const FACTS = [
        'template',
        'live',
        'knownState',
        'ownedSlot',
        'duplicateOf',
        'mismatchedAlias',
        'aliasConflictHolder',
        'outOfBounds',
        'inFlight',
        'stale',
        'stalePoolSlot',
        'templateBackfill',
      ] as const;
      const factsOf = (r: object) => JSON.stringify(FACTS.map((k) => (r as Record<string, unknown>)[k]));
      const visited = (p: ReturnType<typeof plan>) => {
        const out: string[] = [];
        eachBeadFacts(p, (f) => out.push(factsOf(f)));
        return out.sort();
      };
      fc.assert(
        fc.property(chaosArb, ({ state }) => {
          const whole = plan(state, NOW).detail.beads;
          const expected = Object.values(whole).map(factsOf).sort();
          const p = plan(state, NOW);
          expect(visited(p)).toEqual(expected);
          void p.detail.beads; // the whole record built: its records are visited
          expect(visited(p)).toEqual(expected);
        }),
        { numRuns: Math.max(10, Math.floor(RUNS / 4)) },
      );
      // Two open session beads with one id: the record holds the last, and so do the facts.
      const demo = JSON.parse(readFileSync(join(root, 'fixtures/demo-city.json'), 'utf8')) as State;
      const twice = demo.beads.find((b) => b.issue_type === 'session' && b.status !== 'closed' && b.metadata?.state === 'active')!;
      const state = { ...demo, beads: [...demo.beads, { ...twice, metadata: { ...twice.metadata, state: 'asleep' } }] };
      expect(visited(plan(state, NOW))).toEqual(Object.values(plan(state, NOW).detail.beads).map(factsOf).sort());
    },
    TIMEOUT,
  );

  const dir = join(root, 'fixtures/scenarios');
  const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'));
  it.each(fixtures)('on fixture %s', (f) => {
    const state = JSON.parse(readFileSync(join(dir, f), 'utf8')) as State;
    const expected = JSON.parse(readFileSync(join(dir, f.replace(/\.json$/, '.expected.json')), 'utf8')) as { now?: string };
    const now = expected.now ? new Date(expected.now) : NOW;
    const p = expectSame(state, now);
    expectSame(applyRepairs(state, p.repairs, { now }), now);
  });

  it('on the bundled demo city and other store fixtures', () => {
    const stores = readdirSync(join(root, 'fixtures')).filter((f) => f.endsWith('.json'));
    expect(stores.length).toBeGreaterThan(0);
    for (const f of stores) {
      const doc = JSON.parse(readFileSync(join(root, 'fixtures', f), 'utf8')) as State & { schema?: string };
      if (!doc || !doc.city || !Array.isArray(doc.beads)) continue;
      expectSame(doc);
    }
  });

  // Seeds 2 and 3 in the long search only: each is a few seconds of the same kind of check as seed 1.
  it.each(LONG_SEARCH ? [1, 2, 3] : [1])(
    'on a generated 10k-bead store (seed %i), now and an hour later',
    (seed) => {
      const state = generateStore({ beads: 10_000, seed }) as unknown as State;
      expectSame(state, new Date('2026-05-06T02:13:00Z'));
      expectSame(state, new Date('2026-05-06T03:13:00Z'));
    },
    120_000,
  );
});
