// The gc writer: approved repairs on a city whose beads Gas City keeps (bd, exec:…, scope-local rigs, a capture)
// are made by running Gas City's own conditional commands (calls.ts), in order, each spawned without a shell.
// First every repair is judged as the file path judges it (stalenessOf: its bead still there, every `before`
// still holding in what was just read, a fresh plan still proposing the same changes); then its calls run and
// their answers decide: a compare-and-set `conflict` or a release `skipped` makes the repair stale and its later
// calls are not made (keys it already wrote stay written, and the audit line says which); any other answer than
// success stops the whole apply, and the repairs after it are not attempted. Each repair's audit line carries
// every call it made and its answer, appended before the next repair starts.
import type { Bead, Change, Repair } from '../../engine/types.js';
import { appendAudit, assertAuditWritable } from '../audit.js';
import { gcTimeoutMs } from '../formats/beads-capture.js';
import { sanitize } from '../output/sanitize.js';
import { formatZ } from '../time.js';
import type { AuditEntry, GcCallRecord, Source } from '../types.js';
import { stalenessOf } from '../write.js';
import { callLabel, type GcCall, type RepairCalls } from './calls.js';
import { spawnGc, type GcRun } from './spawn.js';

/** What one call's answer means for its repair. */
export type GcAnswer = 'ok' | 'conflict' | 'error';

/** How much of a call's stdout and stderr the audit line keeps. */
const KEPT_BYTES = 4096;
/** What a write command may print before it is stopped (its answers are one line). */
const MAX_OUTPUT_BYTES = 1024 * 1024;

function kept(text: string): string {
  const t = text.trim();
  return sanitize(t.length > KEPT_BYTES ? `${t.slice(0, KEPT_BYTES)}…` : t);
}

/** The last line of stdout that is a JSON object with an `outcome` (gc prints one; warnings may come before). */
function outcomeOf(stdout: string): string | null {
  for (const line of stdout.trim().split('\n').reverse()) {
    try {
      const v = JSON.parse(line) as unknown;
      if (v !== null && typeof v === 'object' && typeof (v as { outcome?: unknown }).outcome === 'string')
        return (v as { outcome: string }).outcome;
    } catch {
      continue;
    }
  }
  return null;
}

/** What an answer means: upstream's exit codes and words (calls.ts). */
export function judge(
  call: Pick<GcCall, 'kind'>,
  run: Pick<GcRun, 'code' | 'stdout' | 'stopped' | 'error'>,
): { answer: GcAnswer; why: string } {
  if (run.error) return { answer: 'error', why: `could not be run: ${run.error.message}` };
  if (run.stopped === 'timeout') return { answer: 'error', why: `took longer than ${gcTimeoutMs()} ms (GC_TUI_GC_TIMEOUT_MS); stopped` };
  if (run.stopped === 'output') return { answer: 'error', why: 'printed more than 1 MiB; stopped' };
  if (run.code !== 0) return { answer: 'error', why: `exited ${run.code ?? 'on a signal'}` };
  if (call.kind === 'session-close') return { answer: 'ok', why: 'closed' };
  if (call.kind === 'release-if-current') {
    const said = run.stdout.trim();
    if (said === 'released') return { answer: 'ok', why: 'released' };
    if (said === 'skipped') return { answer: 'conflict', why: 'skipped: the work is no longer in_progress with that assignee' };
    return { answer: 'error', why: `answered ${JSON.stringify(kept(said))}, not released or skipped` };
  }
  const outcome = outcomeOf(run.stdout);
  if (outcome === 'swapped' || outcome === 'already_next') return { answer: 'ok', why: outcome };
  if (outcome === 'conflict') return { answer: 'conflict', why: 'conflict: the key no longer holds the value gc-tui saw' };
  return { answer: 'error', why: `answered ${JSON.stringify(kept(run.stdout))}, not a metadata-cas outcome` };
}

export interface GcWriteOptions {
  source: Source;
  /** The gc executable, and the city directory it runs in. */
  gc: string;
  dir: string;
  items: readonly RepairCalls[];
  /** The beads as just read, and the fresh plan's repairs, for the judgment before any call. */
  beads: readonly Bead[];
  fresh: readonly Repair[];
  now: Date;
  by: string;
  note: string;
  batch?: string;
}

export interface GcWriteResult {
  applied: Repair[];
  /** Not applied: judged stale before any call, or a call answered conflict/skipped (`written`: what it had made). */
  stale: { repair: Repair; why: string; written: Change[] }[];
  /** No conditional gc command can make them; nothing was run for them. */
  refused: { repair: Repair; why: string }[];
  /** The repair whose call failed (the apply stopped there), and the repairs after it, not attempted. */
  failed: { repair: Repair; why: string; written: Change[] } | null;
  notAttempted: Repair[];
  /** SIGINT or SIGTERM came: the repair under way was finished (its calls made and audited), no later one began. */
  interrupted: NodeJS.Signals | null;
}

export async function applyThroughGc(o: GcWriteOptions): Promise<GcWriteResult> {
  assertAuditWritable(o.source);
  const result: GcWriteResult = { applied: [], stale: [], refused: [], failed: null, notAttempted: [], interrupted: null };
  // Ctrl-C between two calls of a repair would leave it half made and its calls unaudited: the signal is held
  // until the repair under way is done (gc runs in its own process group, so the terminal's signal does not reach it).
  const hold = (signal: NodeJS.Signals) => {
    result.interrupted ??= signal;
  };
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  try {
    await applyEach(o, result);
  } finally {
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
  }
  return result;
}

async function applyEach(o: GcWriteOptions, result: GcWriteResult): Promise<void> {
  const beadById = new Map(o.beads.map((b) => [b.id, b]));
  const freshById = new Map(o.fresh.map((r) => [r.id, r]));
  const time = formatZ(o.now);
  const entry = (r: Repair, outcome: AuditEntry['result'], calls: GcCallRecord[], why?: string): AuditEntry => ({
    time,
    operator: o.by,
    action: 'apply',
    ...(o.batch !== undefined ? { batch: o.batch } : {}),
    repair: r.id,
    kind: r.kind,
    beadId: r.beadId,
    changes: r.changes,
    reason: r.reason,
    note: o.note,
    result: outcome,
    via: 'gc',
    ...(why !== undefined ? { why } : {}),
    calls,
  });
  const timeout = gcTimeoutMs();
  for (const [n, item] of o.items.entries()) {
    const r = item.repair;
    if (result.failed || result.interrupted) {
      result.notAttempted.push(...o.items.slice(n).map((i) => i.repair));
      break;
    }
    // Stale first: a repair whose bead is gone (or changed) is reported as such, whatever gc could have made of it.
    const early = stalenessOf(r, beadById.get(r.beadId), freshById.get(r.id));
    if (early) {
      const why = early.why ?? `${early.change.field} changed`;
      result.stale.push({ repair: r, why, written: [] });
      appendAudit(o.source, [entry(r, 'stale', [], why)]);
      continue;
    }
    if ('refused' in item) {
      result.refused.push({ repair: r, why: item.refused });
      continue;
    }
    const records: GcCallRecord[] = [];
    const written: Change[] = [];
    let outcome: 'applied' | 'stale' | 'failed' = 'applied';
    let why = '';
    for (const call of item.calls) {
      const run = await spawnGc(o.gc, call.args, o.dir, timeout, MAX_OUTPUT_BYTES);
      const j = judge(call, run);
      records.push({
        args: call.args,
        exit: run.code,
        ...(run.signal ? { signal: run.signal } : {}),
        stdout: kept(run.stdout),
        stderr: kept(run.stderr),
        answer: j.answer,
      });
      if (j.answer === 'ok') {
        written.push(...call.changes);
        continue;
      }
      const what = callLabel(call, r.beadId);
      const firstErr = kept(run.stderr).split('\n')[0];
      // A gc without the command answers cobra's usage error: say what that likely means.
      const older = j.answer === 'error' && /unknown (command|flag)/i.test(run.stderr) ? '; this gc may be older than the command' : '';
      why = `${what}: ${j.why}${j.answer === 'error' && firstErr ? ` (${firstErr})` : ''}${older}`;
      outcome = j.answer === 'conflict' ? 'stale' : 'failed';
      break;
    }
    if (outcome === 'applied') result.applied.push(r);
    else if (outcome === 'stale') result.stale.push({ repair: r, why, written });
    else result.failed = { repair: r, why, written };
    appendAudit(o.source, [entry(r, outcome, records, outcome === 'applied' ? undefined : why)]);
  }
}
