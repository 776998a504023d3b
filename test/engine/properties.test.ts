// Properties of the engine over random cities with drift of every kind.
// `npm test` runs 40 cases per property and CI's test:long 300 (test/support/runs.ts); GC_TUI_PROPERTY_RUNS=5000 a long search.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Plan, State } from '../../src/engine/index.js';
import { applyRepairs, plan } from '../../src/engine/index.js';
import { cityArb, shuffled } from './arbitraries.js';
import { PROPERTY_RUNS } from '../support/runs.js';

const NOW = new Date('2026-05-06T02:13:00Z');
const RUNS = PROPERTY_RUNS;
const TIMEOUT = 30_000 + RUNS * 100;
const contract = (p: Plan) => JSON.stringify({ metrics: p.metrics, repairs: p.repairs, findings: p.findings, pools: p.pools });

/** Apply every repair and plan again until no repair is left; returns the rounds taken and the final plan. */
function converge(s: State, limit: number): { rounds: number; final: Plan; state: State } {
  let p = plan(s, NOW);
  let rounds = 0;
  while (p.repairs.length > 0 && rounds < limit) {
    s = applyRepairs(s, p.repairs, { now: NOW });
    p = plan(s, NOW);
    rounds++;
  }
  return { rounds, final: p, state: s };
}

describe('engine properties', () => {
  it(
    'the plan is deterministic and does not depend on bead order',
    () => {
      fc.assert(
        fc.property(cityArb, fc.nat(), (s, seed) => {
          const a = contract(plan(s, NOW));
          expect(contract(plan(s, NOW))).toBe(a);
          expect(contract(plan({ ...s, beads: shuffled(s.beads, seed) }, NOW))).toBe(a);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'no repair moves a bead to a slot other than its owned slot; refused duplicates keep alias and slot',
    () => {
      fc.assert(
        fc.property(cityArb, (s) => {
          const p = plan(s, NOW);
          for (const r of p.repairs) {
            const info = p.detail.beads[r.beadId];
            for (const c of r.changes) {
              if (c.field === 'metadata.pool_slot') expect(c.after).toBe(String(info.ownedSlot));
              if (c.field === 'metadata.alias' && c.after !== '') expect(c.after).toBe(info.identity);
              if (info?.duplicateOf) expect(['metadata.alias', 'metadata.pool_slot', 'metadata.alias_history']).not.toContain(c.field);
            }
            if (info?.duplicateOf) expect(['close-duplicate', 'rollback-stale-create']).toContain(r.kind);
          }
          // The detail says a restamp or a backfill is due exactly where one is proposed (no decisions here; a bead in
          // an unknown state has its repairs withheld, and says so all the same).
          for (const b of Object.values(p.detail.beads)) {
            const due = (kind: string) => p.repairs.some((r) => r.id === `${kind}:${b.id}`);
            if (!b.knownState) continue;
            expect(b.stalePoolSlot, b.id).toBe(due('restamp-slot'));
            expect(b.templateBackfill, b.id).toBe(due('backfill-template'));
          }
          // Every repair id is unique and names its bead.
          expect(new Set(p.repairs.map((r) => r.id)).size).toBe(p.repairs.length);
          for (const r of p.repairs) expect(r.id).toBe(`${r.kind}:${r.beadId}`);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'applying every repair and planning again converges; then aliases are consistent',
    () => {
      fc.assert(
        fc.property(cityArb, (s) => {
          const first = plan(s, NOW);
          const limit = 6 + Math.ceil(first.metrics.stale_creates / 5);
          const { rounds, final, state } = converge(s, limit + 2);
          expect(final.repairs, `not converged after ${rounds} rounds`).toEqual([]);
          expect(rounds).toBeLessThanOrEqual(limit);
          const beads = Object.values(final.detail.beads);
          // mismatched_aliases is 0 unless a bead in an unknown state blocks it (conflicts were cleared).
          for (const b of beads) if (b.mismatchedAlias) expect(b.knownState).toBe(false);
          if (beads.every((b) => b.knownState)) expect(final.metrics.mismatched_aliases).toBe(0);
          // No two beads the engine manages (pool-managed slot holders, not refused duplicates) share an alias.
          const byId = new Map(state.beads.map((b) => [b.id, b]));
          const seen = new Map<string, string>();
          for (const b of beads) {
            // A bead in an unknown state gets no repair by rule, so it may keep a clashing alias.
            if (!b.poolManaged || b.duplicateOf || b.ownedSlot === 0 || !b.knownState) continue;
            const alias = byId.get(b.id)!.metadata?.alias ?? '';
            if (!alias) continue;
            expect(seen.get(alias), `alias ${alias} shared by ${seen.get(alias)} and ${b.id}`).toBeUndefined();
            seen.set(alias, b.id);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'never mutates its input',
    () => {
      fc.assert(
        fc.property(cityArb, (s) => {
          const before = JSON.stringify(s);
          const p = plan(s, NOW);
          applyRepairs(s, p.repairs, { now: NOW });
          expect(JSON.stringify(s)).toBe(before);
        }),
        { numRuns: Math.max(20, RUNS / 5) },
      );
    },
    TIMEOUT,
  );
});
