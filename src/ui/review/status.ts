// Where a repair stands in review: one answer, from the plan and this session's outcome, that the queue row,
// the card, the key handlers and the bulk approval all read.
import type { Decision } from '../../engine/types.js';
import type { ReviewOutcome } from '../../console/ui-state.js';
import type { Tone } from '../theme.js';
import { firstKey } from '../keymap.js';

/**
 * - `undecided`: proposed, and nothing of this session holds it (decided earlier and proposed again counts);
 * - `applying`: its approval is being written;
 * - `applied`: approved and written in this session (the plan no longer proposes it);
 * - `stale` / `failed`: its approval in this session was not applied (changed on disk / an error): decide again;
 * - `rejected`: withheld by an operator's rejection on disk (until its facts change; `o` reopens);
 * - `gone`: the plan no longer proposes it and this session did not apply it.
 */
export type ReviewStatus = 'undecided' | 'applying' | 'applied' | 'stale' | 'failed' | 'rejected' | 'gone';

/**
 * The status of a repair: `entry` is the plan's queue entry (its `decision` the rejection that withholds it),
 * null when the plan no longer proposes it. A rejection on disk outranks this session's earlier stale or failed
 * approval: an approval only ever starts on a proposed repair, so the rejection is the newer fact.
 */
export function reviewStatus(entry: { decision: Decision | null } | null, outcome: ReviewOutcome | undefined): ReviewStatus {
  const o = outcome?.result;
  if (!entry) return o === 'applied' ? 'applied' : 'gone';
  if (entry.decision) return 'rejected';
  if (o === 'applying' || o === 'stale' || o === 'failed') return o;
  return 'undecided';
}

export interface StatusFacts {
  /** The tone of the STATUS cell. */
  tone: Tone | undefined;
  /** Decided for good in the plan or this session: the row is dimmed. */
  settled: boolean;
  /** Open to a decision: a stop for n, p and s, and part of a bulk approval. */
  open: boolean;
  /** Why `a` or `r` does nothing on it (null when they act). */
  refusal: ((key: string) => string) | null;
}

export const REVIEW_STATUS: Record<ReviewStatus, StatusFacts> = {
  undecided: { tone: undefined, settled: false, open: true, refusal: null },
  stale: { tone: 'error', settled: false, open: true, refusal: null },
  failed: { tone: 'error', settled: false, open: true, refusal: null },
  applying: { tone: 'accent', settled: false, open: false, refusal: (key) => `${key} is being written` },
  applied: { tone: 'ok', settled: true, open: false, refusal: (key) => `${key} is already applied` },
  rejected: {
    tone: 'dim',
    settled: true,
    open: false,
    refusal: (key) => `${key} is rejected: ${firstKey('repairs', 'reopen')} reopens it`,
  },
  gone: { tone: 'error', settled: false, open: false, refusal: (key) => `${key} is no longer proposed` },
};
