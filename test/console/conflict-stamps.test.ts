// The console keeps the conflict stamp a clear already shows: a refresh planned later proposes the same clear with a
// later stamp, and the card, a mark and an approval must all carry one value (the one on screen).
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { Plan } from '../../src/engine/types.js';
import { keepConflictStamps } from '../../src/console/conflict-stamps.js';
import { NOW } from '../support/builders.js';
import { demoState } from '../ui/fixture.js';

const STAMP = 'metadata.pool_alias_conflict_at';
const later = new Date(NOW.getTime() + 60_000);

function withClear() {
  const state = demoState();
  state.beads.find((b) => b.id === 'be-four')!.metadata!.alias = 'fw-old';
  return state;
}
const stampOf = (p: Plan) =>
  p.repairs.find((r) => r.id === 'clear-conflicting-alias:be-four')?.changes.find((c) => c.field === STAMP)?.after;

describe('keepConflictStamps', () => {
  it('gives a later plan of the same clear the stamp already shown, and leaves every other repair as planned', () => {
    const shown = plan(withClear(), NOW);
    const next = plan(withClear(), later);
    expect(stampOf(next)).toBe('2026-05-06T02:14:00Z');
    const kept = keepConflictStamps(shown, next);
    expect(stampOf(kept)).toBe('2026-05-06T02:13:00Z');
    expect(kept.repairs.filter((r) => !r.id.startsWith('clear-conflicting-alias:'))).toEqual(
      next.repairs.filter((r) => !r.id.startsWith('clear-conflicting-alias:')),
    );
    // The plan as planned is left alone.
    expect(stampOf(next)).toBe('2026-05-06T02:14:00Z');
  });

  it('takes the new stamp when the clear now proposes other changes, or was not shown before', () => {
    const shown = plan(withClear(), NOW);
    const other = withClear();
    other.beads.find((b) => b.id === 'be-four')!.metadata!.alias = 'fw-other';
    expect(stampOf(keepConflictStamps(shown, plan(other, later)))).toBe('2026-05-06T02:14:00Z');
    expect(stampOf(keepConflictStamps(plan(demoState(), NOW), plan(withClear(), later)))).toBe('2026-05-06T02:14:00Z');
    expect(stampOf(keepConflictStamps(null, plan(withClear(), later)))).toBe('2026-05-06T02:14:00Z');
  });

  it('returns the new plan itself when nothing is kept', () => {
    const next = plan(withClear(), NOW);
    expect(keepConflictStamps(plan(withClear(), NOW), next)).toBe(next);
  });
});
