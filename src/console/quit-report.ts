// The console's last word about a decision it was writing when the operator quit. A quit drops an approval that
// still waits for the input's lock (worker/queue.ts: "the console is closing"): the audit log records it failed,
// but the screen is gone by then, so without a line on stderr the operator would believe it was made.
import { sanitize } from '../store/output/sanitize.js';
import { listed } from './marks.js';
import type { AppStore } from './state.js';
import type { Deciding, ReviewOutcome } from './ui-state.js';

/** The decision being written as the console quits, and its repairs' outcomes then; null when none was. */
export interface Unfinished extends Deciding {
  before: ReadonlyMap<string, ReviewOutcome | undefined>;
}

/** Taken as the console's screen ends, before its reader is stopped (which drops a write still waiting). */
export function unfinishedAtQuit(store: AppStore): Unfinished | null {
  const { deciding, review } = store.getState().ui;
  if (!deciding) return null;
  return { ...deciding, before: new Map(deciding.ids.map((id) => [id, review[id]])) };
}

/** Until the decision in flight has settled (its outcome recorded), or `timeoutMs` passed: a quit never hangs on it. */
export function settled(store: AppStore, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (store.getState().ui.deciding === null) return resolve();
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    const stop = store.subscribe((s) => {
      if (s.ui.deciding === null) done();
    });
    function done() {
      clearTimeout(timer);
      stop();
      resolve();
    }
  });
}

const VERB: Record<Deciding['action'], string> = { approve: 'approving', reject: 'rejecting', reopen: 'reopening' };

function named(ids: readonly string[]): string {
  const list = ids.map((id) => sanitize(id)).join(', ');
  return ids.length === 1 ? list : `${ids.length} repairs (${list})`;
}

/**
 * The one stderr line for `u` once it has settled, or null when it was made after all (a write already under way
 * when the operator quit is let finish): `gc-tui: quit while approving restamp-slot:dc-f3c: not applied (recorded in
 * the audit log)`.
 */
export function quitLine(store: AppStore, u: Unfinished | null): string | null {
  if (!u) return null;
  const review = store.getState().ui.review;
  const head = `gc-tui: quit while ${VERB[u.action]}`;
  if (u.action !== 'approve') {
    // A decision records its outcome only once it is written.
    const made = u.ids.every(
      (id) => review[id] !== u.before.get(id) && review[id]?.result === (u.action === 'reject' ? 'rejected' : 'reopened'),
    );
    return made ? null : `${head} ${named(u.ids)}: not recorded\n`;
  }
  const left = u.ids.filter((id) => review[id]?.result !== 'applied');
  if (left.length === 0) return null;
  // Failed (dropped at the lock, an error) or stale: both have their audit line, unless the log could not be written.
  const outcomes = left.map((id) => review[id]);
  const why = !outcomes.every((o) => o?.result === 'failed' || o?.result === 'stale')
    ? 'not known to be applied (the console closed before the write answered; see the audit log)'
    : outcomes.some((o) => o?.result === 'failed' && o.audited === false)
      ? 'not applied (the audit log could not be written)'
      : 'not applied (recorded in the audit log)';
  return `${head} ${named(left)}: ${why}\n`;
}

/**
 * The marked repairs the console drops as it quits (taken as its screen ends), but those a decision in flight is
 * about (quitLine names them): marks live in this session only.
 */
export function marksAtQuit(store: AppStore, u: Unfinished | null): string[] {
  const deciding = new Set(u?.ids ?? []);
  return [...store.getState().ui.marks.keys()].filter((id) => !deciding.has(id));
}

/**
 * The stderr line for marks dropped at quit, or null when none were: `gc-tui: quit with 2 marked repairs not approved
 * (a, b): marks dropped, nothing written`. Said after `q` was answered too: the terminal is the shell's again, and
 * this is the one record of what was left.
 */
export function marksLine(ids: readonly string[]): string | null {
  if (ids.length === 0) return null;
  const what = `${ids.length} marked repair${ids.length === 1 ? '' : 's'} not approved`;
  return `gc-tui: quit with ${what} (${listed(ids.map((id) => sanitize(id)))}): marks dropped, nothing written\n`;
}
