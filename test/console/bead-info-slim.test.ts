import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { slimBeadInfo } from '../../src/console/worker/bead-info-slim.js';
import type { BeadInfo } from '../../src/engine/types.js';

const str = fc.option(fc.string(), { nil: null });

const beadInfo: fc.Arbitrary<BeadInfo> = fc.record({
  id: fc.string(),
  template: str,
  templateSource: fc.constantFrom(null, 'template', 'agent_name', 'label', 'alias'),
  poolManaged: fc.boolean(),
  named: fc.boolean(),
  live: fc.boolean(),
  knownState: fc.boolean(),
  agentSlot: fc.integer(),
  aliasSlot: fc.integer(),
  sessionNameSlot: fc.integer(),
  ownedSlot: fc.nat(),
  slotReason: fc.string(),
  identity: str,
  duplicateOf: str,
  incumbentReason: str,
  mismatchedAlias: fc.boolean(),
  aliasConflictHolder: str,
  outOfBounds: fc.boolean(),
  inFlight: fc.boolean(),
  stale: fc.boolean(),
  deferredRollback: fc.boolean(),
  stalePoolSlot: fc.boolean(),
  templateBackfill: fc.boolean(),
  liveWork: fc.array(fc.string(), { maxLength: 3 }),
}) as fc.Arbitrary<BeadInfo>;

describe('a bead detail as the console keeps it', () => {
  test("reads as the detail it was made from, field by field, and its JSON is that detail's, key for key", () => {
    fc.assert(
      fc.property(beadInfo, (info) => {
        const slim = slimBeadInfo(info) as BeadInfo;
        for (const k of Object.keys(info) as (keyof BeadInfo)[]) expect(slim[k], k).toEqual(info[k]);
        expect(JSON.stringify(slim)).toBe(JSON.stringify(info));
      }),
    );
  });
});
