// One review status per repair, from the plan and this session's outcome: the queue row, the card, the key
// handlers and the bulk approval all read it.
import { describe, expect, test } from 'vitest';
import type { Decision } from '../../src/engine/types.js';
import type { ReviewOutcome } from '../../src/console/ui-state.js';
import { cardLines } from '../../src/ui/review/card.js';
import { REVIEW_STATUS, reviewStatus, type ReviewStatus } from '../../src/ui/review/status.js';
import { derive } from '../../src/ui/rows/derive.js';
import { isUndecided, queueRowByKey, repairsTable } from '../../src/ui/rows/repairs.js';
import { demoState, storeWith } from './fixture.js';

const proposed = { decision: null };
const rejected = { decision: { repair: 'x', decision: 'rejected', changes: [] } as Decision };
const outcome = (result: ReviewOutcome['result']): ReviewOutcome => ({ result, text: result, at: 0 });

describe('reviewStatus', () => {
  test('from the plan and the outcome', () => {
    expect(reviewStatus(proposed, undefined)).toBe('undecided');
    expect(reviewStatus(rejected, undefined)).toBe('rejected');
    for (const r of ['applying', 'stale', 'failed'] as const) expect(reviewStatus(proposed, outcome(r))).toBe(r);
    // Decided earlier in this session and proposed again (a later plan, changed facts): undecided.
    for (const r of ['applied', 'rejected', 'reopened'] as const) expect(reviewStatus(proposed, outcome(r))).toBe('undecided');
    // A rejection on disk is newer than any approval this session made of the repair.
    expect(reviewStatus(rejected, outcome('stale'))).toBe('rejected');
    // Gone from the plan: applied in this session, or just gone.
    expect(reviewStatus(null, outcome('applied'))).toBe('applied');
    expect(reviewStatus(null, outcome('stale'))).toBe('gone');
    expect(reviewStatus(null, undefined)).toBe('gone');
  });

  test('what each status allows: only undecided, stale and failed repairs take a decision', () => {
    const open = (Object.keys(REVIEW_STATUS) as ReviewStatus[]).filter((s) => REVIEW_STATUS[s].open);
    expect(open.sort()).toEqual(['failed', 'stale', 'undecided']);
    for (const s of open) expect(REVIEW_STATUS[s].refusal).toBeNull();
    expect(REVIEW_STATUS.rejected.refusal?.('r:1')).toBe('r:1 is rejected: o reopens it');
    expect(REVIEW_STATUS.applied.refusal?.('r:1')).toBe('r:1 is already applied');
    expect(REVIEW_STATUS.applying.refusal?.('r:1')).toBe('r:1 is being written');
  });

  test('the row, the undecided test and the card read the same status', () => {
    const store = storeWith(demoState());
    const d = derive(store.getState().current!);
    const id = d.snap.plan.repairs[0].id;
    const review = { [id]: outcome('stale') };
    const row = queueRowByKey(d, review).get(id)!;
    expect(row.status).toBe('stale');
    expect(isUndecided(row)).toBe(true);
    expect(repairsTable(d, review).rows.find((r) => r.key === id)?.cells[0]).toBe('stale');
    const status = cardLines(d, row, review[id], 120, true, { state: 'same', seen: row.repair, readOnly: false })[1];
    expect(status.text).toMatch(/^STALE: stale/);
    const applied = { [id]: { ...outcome('applied'), repair: row.repair } };
    const d2 = derive({ ...store.getState().current!, plan: { ...d.snap.plan, repairs: d.snap.plan.repairs.slice(1) } });
    const gone = queueRowByKey(d2, applied).get(id)!;
    expect(gone.status).toBe('applied');
    expect(isUndecided(gone)).toBe(false);
  });
});
