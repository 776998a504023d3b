// sameBeadInfo stands in for the plan worker's generic deep comparison of bead details (chunked-clone.ts's
// sameData): where it says "same", the console keeps its copy of the old record. So it must say "different"
// whenever any field differs, and a field added to BeadInfo without it must fail here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRepairs, plan, sameBeadInfo, type BeadInfo } from '../../src/engine/index.js';
import { sameData } from '../../src/console/worker/chunked-clone.js';
import { chaosArb } from './differential-arbitraries.js';
import { NOW } from '../support/builders.js';
import { PROPERTY_RUNS } from '../support/runs.js';

/** `v` changed, keeping its type where the field allows it. */
function changed(v: unknown): unknown {
  if (typeof v === 'string') return `${v}x`;
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'boolean') return !v;
  if (v === null) return 'x';
  if (Array.isArray(v)) return [...(v as unknown[]), 'x'];
  throw new Error(`a BeadInfo field of an unexpected kind: ${JSON.stringify(v)}`);
}

describe('sameBeadInfo', () => {
  it('says "different" when any one field of a real bead detail differs, and "same" of a copy', () => {
    fc.assert(
      fc.property(chaosArb, ({ state }) => {
        for (const info of Object.values(plan(state, NOW).detail.beads)) {
          const copy = structuredClone(info);
          expect(sameBeadInfo(info, copy)).toBe(true);
          for (const k of Object.keys(info) as (keyof BeadInfo)[]) {
            const other = { ...copy, [k]: changed(copy[k]) } as BeadInfo;
            expect(sameBeadInfo(info, other), k).toBe(false);
          }
          if (info.liveWork.length > 0) {
            const other = { ...copy, liveWork: [`${info.liveWork[0]}x`, ...info.liveWork.slice(1)] };
            expect(sameBeadInfo(info, other)).toBe(false);
          }
        }
      }),
      { numRuns: Math.max(10, Math.floor(PROPERTY_RUNS / 4)) },
    );
  });

  it('agrees with the generic comparison on the details of one bead before and after a round of repairs', () => {
    fc.assert(
      fc.property(chaosArb, ({ state }) => {
        const before = plan(state, NOW);
        const after = plan(applyRepairs(state, before.repairs, { now: NOW }), NOW).detail.beads;
        for (const [id, info] of Object.entries(before.detail.beads)) {
          const other = after[id];
          if (other) expect(sameBeadInfo(info, other), id).toBe(sameData(info, other));
        }
      }),
      { numRuns: Math.max(10, Math.floor(PROPERTY_RUNS / 4)) },
    );
  });
});
