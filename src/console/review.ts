// The console's review actions: approve (one or a bulk set), reject with a reason, reopen a rejection, export.
// They go through the store API only (locked compare-and-set write, decisions, audit log, exports), put the
// outcome in the app store (card, status line) and show the state as written at once. They run where the
// console's services say (the live reader's plan worker, its clock, its re-read). src/ui calls these; it
// never touches the disk itself.
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { DetectedEdition } from '../engine/index.js';
import type { Change, Decision, Plan, Repair } from '../engine/types.js';
import type { ConsoleServices } from './services.js';
import type { AppStore } from './state.js';
import type { Deciding, ExportFormat, ReviewOutcome, ViewId } from './ui-state.js';
import { writeFileAtomic } from '../store/fs/atomic-file.js';
import { appendAudit, newBatchId } from '../store/audit.js';
import { readMetricsHistory, type MetricsHistory } from '../store/metrics-history.js';
import { csvField, exportJsonDocument, renderCsv, renderMarkdown, type LastGoodRead } from '../store/output/export.js';
import { cell } from '../store/output/markdown-text.js';
import { writeStoreDocument } from '../store/formats/load-store.js';
import { cityAround, cityGcAround } from '../store/fs/inside.js';
import { cityPaths } from '../store/formats/city-paths.js';
import { ensureOwnDir, shownSource } from '../store/fs/paths.js';
import { groupDigits, showValue } from '../store/output/plan-view.js';
import { sanitize } from '../store/output/sanitize.js';
import { formatZ } from '../store/time.js';
import type { AuditEntry, Loaded, Source, StaleRepair, WriteResult } from '../store/types.js';
import { refreshAudit } from './watch.js';
import { withWhoChanged } from './changed-by.js';

/** What a review action works on: the console state, and the services beside it. */
export interface ReviewContext {
  store: AppStore;
  services: ConsoleServices;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Why a review action cannot run now, or null when it can. */
function refusal(store: AppStore, what: string, writes = true): string | null {
  const s = store.getState();
  if (writes && s.readOnly) return `read-only: ${what} is refused (${s.readOnlyWhy ?? 'started with --read-only'})`;
  if (!s.source) return `${what}: no input to write to`;
  if (s.ui.busy) return `${what}: wait, ${s.ui.busy} is still in progress`;
  return null;
}

function refuse(store: AppStore, text: string): void {
  store.getState().setMessage({ text, tone: 'error' });
}

function setBusy(store: AppStore, busy: string | null, deciding: Deciding | null = null): void {
  store.getState().patchUi({ busy, deciding: busy === null ? null : deciding });
}

/**
 * After a write: the audit view (unless `auditRead`: a stale refusal read it after the write's lines, to say who
 * changed the store), and with `reread` (unless updates are paused) a fresh read of the input.
 * An apply needs none: the state it returns is the file as written under the lock, and is shown at once.
 */
function settle({ store, services }: ReviewContext, source: Source, reread: boolean, auditRead = false): void {
  if (!auditRead) refreshAudit(store, source);
  if (reread && !store.getState().ui.paused) void services.refresh();
}

/** The audit log as it is now (the audit view follows it); what the view had when it cannot be read. */
function auditNow({ store }: ReviewContext, source: Source): readonly AuditEntry[] {
  refreshAudit(store, source);
  return store.getState().audit;
}

function auditEntry(
  action: AuditEntry['action'],
  r: Repair,
  by: string,
  time: string,
  note: string,
  result: AuditEntry['result'],
): AuditEntry {
  return { time, operator: by, action, repair: r.id, kind: r.kind, beadId: r.beadId, changes: r.changes, reason: r.reason, note, result };
}

/**
 * A stale repair's outcome for its card (`not`: what was not done), which keeps it after later refreshes: the time says
 * when "is now" was true. "re-planned" is said once, with what to do: the store's why says it too when that is the reason.
 */
function staleOutcome(x: StaleRepair, not: string, at: number): ReviewOutcome {
  const again = x.replanned ? 're-planned: review the new diff below and decide again' : 'no longer proposed';
  const why = (x.why ?? `${x.change.field} is now ${showValue(x.actual)} (expected ${showValue(x.change.before)})`).replace(
    /^re-planned: /,
    '',
  );
  return {
    result: 'stale',
    text: `stale at ${formatZ(new Date(at)).slice(11)}, ${not}: ${why}; ${again}`,
    judged: x.repair.changes,
    at,
    ...(not === 'not applied' ? {} : { decision: true }),
  };
}

/**
 * Approve repairs as shown: one locked compare-and-set write. Each repair is applied only if every `before`
 * still holds on disk and a fresh plan proposes the same change; otherwise it is stale, not applied, and the
 * fresh plan (shown at once) carries its re-planned version. One audit line per repair (written by the store).
 */
export async function approve(ctx: ReviewContext, repairs: Repair[], opts: { note?: string } = {}): Promise<WriteResult | null> {
  const { store, services } = ctx;
  const what = repairs.length === 1 ? `approve ${repairs[0].id}` : `approve ${repairs.length} repairs`;
  const no = refusal(store, what);
  if (no) {
    refuse(store, no);
    return null;
  }
  if (repairs.length === 0) {
    refuse(store, 'nothing to approve');
    return null;
  }
  const s = store.getState();
  const source = s.source!;
  const by = s.operator;
  // What is on screen (while paused too): its rule edition is the one these repairs were shown under.
  const shown = s.current;
  // When the key was pressed: the card's "writing…" until the write says when it happened (under the lock).
  const asked = services.clock().getTime();
  setBusy(store, repairs.length === 1 ? `applying ${repairs[0].id}` : `applying ${repairs.length} repairs`, {
    action: 'approve',
    ids: repairs.map((r) => r.id),
  });
  s.setOutcomes(repairs.map((r) => [r.id, { result: 'applying', text: 'writing…', at: asked }]));
  let failed = false;
  let auditRead = false;
  // The lines of one bulk approval share a batch id in the audit log.
  const batch = repairs.length > 1 ? newBatchId() : undefined;
  try {
    // Where the live reader's work runs (its plan worker: a 100 000-bead approval leaves keys and the clock running).
    // Its clock is read once the lock is held: another writer may hold it for seconds, and `updated_at`, the
    // audit line's time and the card say when the write happened (a time shown on the card is written as shown).
    const {
      result,
      plan: written,
      at,
    } = await services.jobs.apply(source, repairs, {
      now: () => services.clock(),
      by,
      action: 'approve',
      note: opts.note ?? '',
      batch,
      // Re-checked under the rules the operator saw these repairs under.
      edition: shown?.rules?.edition,
    });
    const st = store.getState();
    const now = new Date(at);
    const appliedText = `applied by ${by} at ${formatZ(now)}`;
    // Refused as stale: who changed it on disk, as the audit log (read now) or the file's time says (changed-by.ts).
    auditRead = result.stale.length > 0;
    const stale = auditRead ? withWhoChanged(result.stale, auditNow(ctx, source), source, shown?.loadedAt ?? asked) : [];
    st.setOutcomes([
      ...result.applied.map((r): [string, ReviewOutcome] => [r.id, { result: 'applied', text: appliedText, repair: r, at }]),
      ...stale.map((x): [string, ReviewOutcome] => [x.repair.id, staleOutcome(x, 'not applied', at)]),
    ]);
    st.adopt(result.state, written, at, shown?.rules, [
      ...result.applied.flatMap((r) => [r.id, r.beadId]),
      ...stale.map((x) => x.repair.id),
    ]);
    // The stale card shows what was judged beside the re-planned diff: that is the version now on screen.
    const seen = store.getState().ui.seen;
    const replanned = stale.find((x) => x.repair.id === seen?.id)?.replanned;
    if (replanned) st.patchUi({ seen: { id: replanned.id, repair: replanned } });
    const target = shownSource(source);
    if (repairs.length === 1 && result.applied.length === 1) {
      st.setMessage({ text: `applied ${repairs[0].id} (${target})`, tone: 'info' });
    } else if (repairs.length === 1 && stale.length === 1) {
      st.setMessage({ text: `stale, not applied: ${repairs[0].id}: ${stale[0].why ?? 'changed on disk'}`, tone: 'error' });
    } else {
      const tone = stale.length > 0 ? 'error' : 'info';
      const firstStale = stale[0] ? `; first stale ${stale[0].repair.id}: ${stale[0].why ?? 'changed on disk'}` : '';
      st.setMessage({ text: `${result.applied.length} applied, ${stale.length} stale (${target})${firstStale}`, tone });
    }
    return result;
  } catch (e) {
    // Usually nothing was written (lock timeout, unreadable or unwritable file); a failure after the rename
    // (the audit append) is possible too, so the input is re-read below and the views show what is on disk.
    failed = true;
    const why = describe(e);
    const st = store.getState();
    // When it failed (a lock that timed out: the end of the wait), not when it was asked for.
    const now = services.clock();
    const at = now.getTime();
    let audited = true;
    try {
      // `note` is the operator's (CONTRACT: the reason given, or ""); the error goes in `why`, as a failed gc call's does.
      appendAudit(
        source,
        repairs.map((r) => ({
          ...auditEntry('approve', r, by, formatZ(now), opts.note ?? '', 'failed'),
          ...(batch ? { batch } : {}),
          why,
        })),
      );
    } catch {
      // the log itself is unwritable: the status line says what failed
      audited = false;
    }
    st.setOutcomes(repairs.map((r) => [r.id, { result: 'failed', text: `failed: ${why}`, audited, at }]));
    st.setMessage({ text: `${what} failed: ${why}`, tone: 'error' });
    return null;
  } finally {
    setBusy(store, null);
    settle(ctx, source, failed, auditRead);
  }
}

/**
 * Record a decision (a store's own `decisions`, or a city's .gc/gc-tui/decisions.json) and its audit line. Under the
 * decisions lock it is first checked as an approval is (jobs.ts decideAndPlan): when what it was judged against no
 * longer holds on disk it is stale, nothing is recorded, and the input as read is shown at once. A stale or failed
 * one gets its audit line too (`result` "stale" or "failed", the error in `why`); false then.
 */
async function decide(ctx: ReviewContext, r: Repair, decision: 'rejected' | 'reopened', changes: Change[], note: string): Promise<boolean> {
  const { store, services } = ctx;
  const what = decision === 'rejected' ? `reject ${r.id}` : `reopen ${r.id}`;
  const no = refusal(store, what);
  if (no) {
    refuse(store, no);
    return false;
  }
  const s = store.getState();
  const source = s.source!;
  const action = decision === 'rejected' ? 'reject' : 'reopen';
  const judged = { ...r, changes };
  // Its `at` is the console's clock read once the decisions lock is held (jobs.ts): another writer may hold it.
  const d: Decision = { repair: r.id, decision, changes, by: s.operator, reason: note };
  setBusy(store, decision === 'rejected' ? `rejecting ${r.id}` : `reopening ${r.id}`, { action, ids: [r.id] });
  /** The audit line, or why it could not be appended (for the status line). */
  const audit = (time: Date, result: AuditEntry['result'], why?: string): string => {
    try {
      appendAudit(source, [{ ...auditEntry(action, judged, s.operator, formatZ(time), note, result), ...(why ? { why } : {}) }]);
      return '';
    } catch (e) {
      return ` (audit log: ${describe(e)})`;
    }
  };
  let stale = false;
  let answered = false;
  try {
    // The decision is shown on the beads on screen (the re-read below follows).
    const base = s.pending ?? s.current;
    const done = await services.jobs.decide(source, d, base?.state ?? null, () => services.clock(), base?.rules?.edition);
    answered = true;
    const at = done.at;
    const logged = audit(new Date(at), done.stale ? 'stale' : 'recorded');
    const st = store.getState();
    if (done.state && done.plan) st.adopt(done.state, done.plan, at, base?.rules, [r.id]);
    if (done.stale) {
      stale = true;
      const [x] = withWhoChanged([done.stale], auditNow(ctx, source), source, base?.loadedAt ?? at);
      const not = decision === 'rejected' ? 'not rejected' : 'not reopened';
      st.setOutcome(r.id, staleOutcome(x, not, at));
      // The card shows the version now proposed beside what was judged (as a stale approval's does).
      if (x.replanned && store.getState().ui.seen?.id === r.id) st.patchUi({ seen: { id: x.replanned.id, repair: x.replanned } });
      st.setMessage({ text: `stale, ${not}: ${r.id}: ${x.why ?? 'changed on disk'}${logged}`, tone: 'error' });
      return false;
    }
    const text =
      decision === 'rejected'
        ? // No key named: the console layer does not know the keymap (the card says which key reopens).
          `rejected by ${s.operator}${note ? `: ${note}` : ''}; withheld until its facts change`
        : `reopened by ${s.operator}: proposed again`;
    st.setOutcome(r.id, { result: decision, text, at });
    st.setMessage({ text: `${decision} ${r.id}${logged}`, tone: logged ? 'error' : 'info' });
    return true;
  } catch (e) {
    const why = describe(e);
    // Once the job has answered, the decision is on disk (or was found stale) and audited: what failed is showing it.
    if (answered) {
      store
        .getState()
        .setMessage({ text: `${what}: done on disk (see the audit view), but the screen could not follow: ${why}`, tone: 'error' });
      return false;
    }
    // Nothing was recorded (lock timeout, an unreadable input or decisions file, a refused write): logged as failed.
    const logged = audit(services.clock(), 'failed', why);
    store.getState().setMessage({ text: `${what} failed, nothing recorded: ${why}${logged}`, tone: 'error' });
    return false;
  } finally {
    setBusy(store, null);
    // The decision was shown on the beads last read; re-read them too (a stale one showed what is on disk, and read the
    // audit log after its line).
    settle(ctx, source, !stale, stale);
  }
}

/** Reject a repair as shown: the engine withholds exactly these changes until the facts change. */
export function reject(ctx: ReviewContext, r: Repair, reason: string): Promise<boolean> {
  return decide(ctx, r, 'rejected', r.changes, reason.trim());
}

/** Undo a rejection: the latest decision becomes `reopened`, so the repair is proposed again. */
export function reopen(ctx: ReviewContext, r: Repair, rejectedChanges: Change[] = r.changes): Promise<boolean> {
  return decide(ctx, r, 'reopened', rejectedChanges, '');
}

// ---------------------------------------------------------------- export

const stampOf = (now: Date) => formatZ(now).replace(/[-:]/g, '');

/**
 * The city whose `.gc/gc-tui/` a console export of `source` goes to: the input city, or the city whose `.gc/` holds
 * the store file; null for a store file anywhere else (its exports go beside it).
 */
function exportCity(source: Source, cwd: string): string | null {
  if (source.kind === 'city') return resolve(cwd, source.dir);
  const gc = cityGcAround(dirname(resolve(cwd, source.path)));
  return gc ? dirname(gc) : null;
}

/**
 * Where an export goes: where gc-tui keeps its own files beside the input, never among Gas City's (CONTRACT): next to a
 * store file, and for a city into its `.gc/gc-tui/` with the audit log and decisions, whatever the current directory
 * (the city directory and the rest of its `.gc/` are Gas City's; a store file inside a city's `.gc/` exports there
 * too). `<stem>.<label>-<time>.<ext>`; a name already taken gets a counter.
 */
export function exportPath(source: Source, label: string, ext: string, now: Date, cwd = process.cwd()): string {
  const city = exportCity(source, cwd);
  const dir = city ? cityPaths(city).gcTuiDir : dirname(resolve(cwd, source.kind === 'store' ? source.path : source.dir));
  const stem = source.kind === 'store' ? basename(source.path, extname(source.path)) : basename(resolve(cwd, source.dir));
  const base = `${stem}.${label}-${stampOf(now)}`;
  let file = join(dir, `${base}.${ext}`);
  for (let i = 2; existsSync(file); i++) file = join(dir, `${base}-${i}.${ext}`);
  return file;
}

/**
 * Where an export refused by its own directory goes instead: the same name in the current directory, unless that
 * is where it was, or inside a Gas City city (its directory, `.gc/` included: cityAround) (null).
 */
export function fallbackPath(file: string, cwd = process.cwd()): string | null {
  const alt = join(cwd, basename(file));
  return alt === file || cityAround(cwd) !== null ? null : alt;
}

/**
 * Write to `file`, or to its fallbackPath when its own directory refuses: where it went, and why not where it
 * should have (for the status line). When both refuse, the error says why each did.
 */
async function writeWithFallback(
  source: Source,
  file: string,
  write: (f: string) => Promise<void>,
): Promise<{ file: string; why: string }> {
  try {
    // A city's `.gc/gc-tui/` made as for its first audit line (owner and mode of `.gc/`, never through a link).
    const city = exportCity(source, process.cwd());
    if (city) ensureOwnDir({ kind: 'city', dir: city });
    await write(file);
    return { file, why: '' };
  } catch (e) {
    const alt = fallbackPath(file);
    if (alt === null) throw e;
    try {
      await write(alt);
    } catch (e2) {
      throw new Error(`${describe(e)}; the current directory refused it too: ${describe(e2)}`, { cause: e2 });
    }
    return { file: alt, why: ` (not beside the input: ${describe(e)})` };
  }
}

function logExport(store: AppStore, source: Source, format: string, file: string, now: Date): void {
  // Read-only leaves the input's own files alone, the audit log included.
  if (store.getState().readOnly) return;
  const entry: AuditEntry = {
    time: formatZ(now),
    operator: store.getState().operator,
    action: 'export',
    repair: '',
    kind: format,
    beadId: '',
    changes: [],
    reason: `wrote ${file}`,
    note: '',
    result: 'recorded',
  };
  try {
    appendAudit(source, [entry]);
    refreshAudit(store, source);
  } catch {
    // an export does not depend on the log
  }
}

/**
 * The steps every export shares: refused in the states that refuse it, written where the input's
 * directory allows, logged, and reported in the status line. `write` returns the file and the message.
 */
async function runExport(
  { store, services }: ReviewContext,
  format: string,
  write: (source: Source, now: Date) => Promise<{ file: string; text: string; warn?: boolean } | null>,
): Promise<string | null> {
  const no = refusal(store, 'export', false);
  if (no) {
    refuse(store, no);
    return null;
  }
  const s = store.getState();
  const source = s.source!;
  const now = services.clock();
  try {
    const done = await write(source, now);
    if (!done) return null;
    logExport(store, source, format, done.file, now);
    store.getState().setMessage({ text: done.text, tone: done.warn ? 'error' : 'info' });
    return done.file;
  } catch (e) {
    refuse(store, `export failed: ${describe(e)}`);
    return null;
  }
}

/**
 * The figures over time for the md report: the history file beside the input, or, in a console that writes nothing
 * (read-only), the samples it keeps in memory, this run's among them: the file never got them.
 */
function historyForReport(store: AppStore, source: Source): MetricsHistory {
  const s = store.getState();
  if (!s.readOnly) return readMetricsHistory(source);
  return { samples: [...s.trend.samples], skipped: s.trend.skipped, error: null };
}

/**
 * A snapshot of the input as it is now (a fresh read; the screen's data when the input cannot be read):
 * json (a store file that reopens with --store), md (the report) or csv (one row per session bead). One of the
 * screen's data says so, in the file (md, json) and on the status line: it is the last good read, not the input now.
 */
export function exportSnapshot(ctx: ReviewContext, format: ExportFormat): Promise<string | null> {
  const { store, services } = ctx;
  return runExport(ctx, format, async (source, now) => {
    const { jobs } = services;
    // The read and the plan run where the live reader's do (off this thread at 100 000 beads).
    setBusy(store, `exporting a ${format} snapshot`);
    try {
      let loaded: Loaded;
      let p: Plan;
      let rules: DetectedEdition | undefined;
      let unread: LastGoodRead | undefined;
      try {
        ({ loaded, plan: p, rules } = await jobs.load(source, () => now, { rules: store.getState().rulesChoice }));
      } catch (e) {
        const current = store.getState().current;
        if (!current) {
          refuse(store, 'export: the input cannot be read and nothing is on screen');
          return null;
        }
        loaded = { source, state: current.state, files: [] };
        rules = current.rules;
        unread = { readAt: new Date(current.loadedAt), why: describe(e) };
        p = await jobs.plan(loaded.state, now, { edition: rules?.edition });
      }
      const { file, why } = await writeWithFallback(source, exportPath(source, 'snapshot', format, now), async (f) => {
        if (format === 'json') await writeStoreDocument(f, exportJsonDocument(loaded, p, now, rules, unread));
        else
          writeFileAtomic(
            f,
            format === 'md' ? renderMarkdown(loaded, p, now, historyForReport(store, source), unread) : renderCsv(loaded, p),
          );
      });
      if (unread)
        return {
          file,
          warn: true,
          text: `exported ${format} snapshot of the last good read (${formatZ(unread.readAt)}) to ${file}${why}: the input cannot be read now: ${unread.why}`,
        };
      return { file, text: `exported ${format} snapshot to ${file}${why}` };
    } finally {
      setBusy(store, null);
    }
  });
}

export interface RowsExport {
  view: ViewId;
  columns: string[];
  rows: string[][];
}

/** `1 row`, `12 rows`, `1 234 rows`. */
const rowCount = (n: number): string => `${groupDigits(n)} row${n === 1 ? '' : 's'}`;

/**
 * The rows of a view as csv (RFC 4180) or a markdown table; cells are sanitized again on the way out, and in markdown
 * escaped as the report's are (markdown-text.ts: HTML and markdown's punctuation), so each renders as its text.
 */
export function renderRows(data: RowsExport, format: 'csv' | 'md', now: Date): string {
  if (format === 'csv') {
    const line = (cells: string[]) => cells.map((c) => csvField(sanitize(c))).join(',');
    return [line(data.columns), ...data.rows.map(line)].join('\n') + '\n';
  }
  const out = [`# gc-tui ${data.view} view (${rowCount(data.rows.length)}, ${formatZ(now)})`, ''];
  out.push(`| ${data.columns.map(cell).join(' | ')} |`, `| ${data.columns.map(() => '---').join(' | ')} |`);
  for (const r of data.rows) out.push(`| ${data.columns.map((_c, i) => cell(r[i] ?? '')).join(' | ')} |`);
  return out.join('\n') + '\n';
}

/** Export just what a view shows (its rows under the current filter). */
export function exportRows(ctx: ReviewContext, data: RowsExport, format: 'csv' | 'md'): Promise<string | null> {
  return runExport(ctx, format, async (source, now) => {
    const text = renderRows(data, format, now);
    const { file, why } = await writeWithFallback(source, exportPath(source, data.view, format, now), async (f) =>
      writeFileAtomic(f, text),
    );
    return { file, text: `exported ${rowCount(data.rows.length)} of the ${data.view} view (${format}) to ${file}${why}` };
  });
}
