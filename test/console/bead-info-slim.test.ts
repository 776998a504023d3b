import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { slimBeadInfo } from '../../src/console/worker/bead-info-slim.js';
import type { BeadInfo } from '../../src/engine/types.js';

const str = fc.option(fc.string(), { nil: null });

const plain: fc.Arbitrary<BeadInfo> = fc.record({
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

/**
 * Reasons as the engine words them (its identity and slot numbers inside, where a shape stands for them), and
 * near misses: digits beside a slot number, an identity inside another, the same number for two slots.
 */
const piece = fc.constantFrom('pool_slot ', ' agrees with agent identity "', '"', ' names slot ', '; ', '-', '0', '1', '12', 'x', '');
const worded: fc.Arbitrary<BeadInfo> = fc
  .tuple(plain, fc.array(fc.oneof(piece, fc.constantFrom('identity', 'owned', 'agent', 'alias')), { maxLength: 8 }), fc.nat(3))
  .map(([info, parts, same]) => {
    const slot = info.ownedSlot;
    const d = { ...info, agentSlot: same === 1 ? slot : info.agentSlot, aliasSlot: same === 2 ? slot : info.aliasSlot };
    const say = (p: string) =>
      p === 'identity'
        ? (d.identity ?? 'none')
        : p === 'owned'
          ? String(d.ownedSlot)
          : p === 'agent'
            ? String(d.agentSlot)
            : p === 'alias'
              ? String(d.aliasSlot)
              : p;
    return { ...d, slotReason: parts.map(say).join('') };
  });

const beadInfo = fc.oneof(plain, worded);

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
