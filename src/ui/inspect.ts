// The inspect pane: `y` shows the raw bead of the selected row as JSON (as k9s `y`), `enter` on a slot,
// alias, template, work, finding or audit row shows its detail in full. The pane takes the list and detail area,
// wraps every line to the width and scrolls; every line is sanitized when it is laid out.
import type { AppState, AppStore } from '../console/state.js';
import type { Inspect } from '../console/ui-state.js';
import { frameLayout } from './components/StatusLine.js';
import { cardLines } from './review/card.js';
import { cardContext, reviewSelection } from './review/selection.js';
import { nextIdle } from './review/handlers.js';
import { firstKey } from './keymap.js';
import { clean, controlsEscaped, joinersReplaced, wrapText } from './text.js';
import type { Bead } from '../engine/types.js';
import { withoutAges } from '../engine/index.js';
import { qualifiedName } from '../engine/model.js';
import { escapeJsonText, JsonNumberText, jsonUnitsEscaped, stringifyJson } from '../store/formats/json-text.js';
import { withSpellings, type NumberSpelling } from '../store/formats/number-spellings.js';
import type { Row } from './rows/types.js';
import { rowOfKey } from './rows/row-list.js';
import { cursorRow, rowTitle, viewModel, type ViewModel } from './views/registry.js';

/**
 * Lines the pane can show at once (its title line apart): what App gives it in the frame's layout (frameLayout, as the
 * help pane is sized), so a message that takes a second status line takes it from the pane's scroll and paging too.
 */
export function inspectRoom(s: AppState): number {
  const l = frameLayout(s);
  return Math.max(1, l.list + l.detail + 1);
}

/**
 * Every line sanitized and word-wrapped to `width` code points; its indentation is kept, and repeated on the
 * lines it wraps onto (a word longer than the room left is split).
 */
export function wrapInspect(lines: readonly string[], width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const raw of lines) {
    const line = clean(raw);
    const indent = /^ */.exec(line)?.[0] ?? '';
    const pad = indent.length < w / 2 ? indent : '';
    const body = line.slice(indent.length);
    if (body === '') {
      out.push('');
      continue;
    }
    for (const piece of wrapText(body, w - pad.length)) out.push(pad + piece);
  }
  return out;
}

/**
 * JSON text with the characters clean() shows escaped as JSON escapes (`\u202e`, `\u200d`, a surrogate pair past
 * U+FFFF): escapeJsonText's controls and format characters, and the joiners and combining marks it keeps, which clean()
 * draws escaped (joinersReplaced). What the pane shows stays valid JSON, the same value, drawn cell for cell; these can
 * only stand inside a JSON string.
 */
const joinersEscaped = (json: string) => joinersReplaced(escapeJsonText(json), jsonUnitsEscaped);

const jsonText = (v: unknown) =>
  joinersEscaped(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2) ?? String(v));

/**
 * A bead as valid JSON text: its metadata values as the file stored them (State.storedMetadata: the numbers, booleans
 * and nulls bd writes, which the bead holds as Gas City reads them, strings), its other numbers as the file spells them
 * (State.storedNumbers: `2.50`, not `2.5`), and every control character a JSON
 * escape (`\u001b`, `\u007f`, `\u202e`, a tag character's pair): JSON.stringify escapes only C0, and clean()'s `\e`, `\x7f` are not JSON; so are
 * the joining characters clean() would show as `\u{200d}` (joinersEscaped).
 */
function beadJson(bead: Bead, stored: Record<string, string> | undefined, numbers: readonly NumberSpelling[] | undefined): string {
  const asStored =
    stored && bead.metadata
      ? {
          ...bead,
          metadata: Object.fromEntries(Object.entries(bead.metadata).map(([k, v]) => [k, k in stored ? new JsonNumberText(stored[k]) : v])),
        }
      : bead;
  return joinersEscaped(stringifyJson(withSpellings(asStored, numbers), { indent: '  ', finalNewline: false }));
}

type Shown = Pick<Inspect, 'title' | 'lines'>;

/** A row's raw data as JSON: its bead (a repair's: the bead it changes), else the agent config; null when none. */
function rawOf(vm: ViewModel, row: Row): Shown | null {
  const state = vm.derived.snap.state;
  const repair = vm.input.view === 'repairs' ? vm.derived.snap.plan.repairs.find((r) => r.id === row.key) : undefined;
  const own = [repair?.beadId, row.key].filter((x): x is string => typeof x === 'string');
  // The row's own bead, else the agent it is keyed by (a pool or template row), and only then the other ids it
  // shows: a pool row's are its refused duplicates, whose bead is not the pool's.
  for (const ids of [own, row.ids]) {
    for (const id of ids) {
      const bead = state.beads.find((b) => b.id === id);
      if (bead) return { title: `bead ${id}`, lines: beadJson(bead, state.storedMetadata?.[id], state.storedNumbers?.[id]).split('\n') };
    }
    const agent = state.city.agents.find((a) => ids.includes(qualifiedName(a)));
    if (agent) return { title: `agent ${qualifiedName(agent)}`, lines: jsonText(agent).split('\n') };
  }
  return null;
}

/** A row's detail lines in full (the view's own full text when it has one: an audit entry's every field). */
function detailOf(vm: ViewModel, row: Row): Shown {
  const lines = (vm.view.inspect ?? vm.view.detail)(vm.derived, row.key, vm.pool, vm.input);
  // A row keyed by several parts (an alias claim: name, kind, holder) is titled with them in words, not its key.
  return { title: `${vm.view.label} ${rowTitle(vm.view, row)}`, lines: lines.length ? lines : ['(no detail)'] };
}

/** What the pane shows for a row, with what it needs to be told apart from a later refresh and reloaded. */
function paneOf(vm: ViewModel, row: Row, kind: Inspect['source']['kind']): (Shown & Pick<Inspect, 'source' | 'basis'>) | null {
  const shown = kind === 'raw' ? rawOf(vm, row) : detailOf(vm, row);
  if (!shown) return null;
  return { ...shown, source: { kind, view: vm.input.view, key: row.key }, basis: basisOf(vm, row, kind, shown.lines) };
}

/**
 * What "changed since opened" is judged on: the row's raw data and, for a detail, its lines without their ages (a
 * detail also says what other beads make of this one: the work it holds, the duplicate it refuses). A view's own full
 * text (an audit entry, which never changes) is judged on itself.
 */
function basisOf(vm: ViewModel, row: Row, kind: Inspect['source']['kind'], lines: readonly string[]): string {
  if (kind === 'raw') return JSON.stringify(lines);
  const detail = lines.map(withoutAges);
  return JSON.stringify(vm.view.inspect ? detail : [rawOf(vm, row)?.lines ?? null, detail]);
}

function selected(s: AppState): { vm: ViewModel; row: Row } | null {
  const vm = viewModel(s, s.ui.view);
  const row = vm && cursorRow(vm);
  return vm && row ? { vm, row } : null;
}

/** What `y` shows for the selected row: its bead as JSON (a repair's: the bead it changes), else the agent config. */
export function rawOfSelection(s: AppState): (Shown & Pick<Inspect, 'source' | 'basis'>) | null {
  const at = selected(s);
  return at && paneOf(at.vm, at.row, 'raw');
}

/** What `enter` shows: the selected row's detail lines in full. */
export function detailOfSelection(s: AppState): (Shown & Pick<Inspect, 'source' | 'basis'>) | null {
  const at = selected(s);
  return at && paneOf(at.vm, at.row, 'detail');
}

/** The row the open pane was opened on, in the data on screen now (undefined: it left the data). */
function sourceRow(s: AppState, pane: Inspect): { vm: ViewModel; row: Row | undefined } | null {
  const vm = viewModel(s, pane.source.view);
  if (!vm) return null;
  const here = vm.rows[vm.index];
  return { vm, row: here?.key === pane.source.key ? here : rowOfKey(vm.table.rows, pane.source.key) };
}

/** How the open pane stands against the data on screen now: as opened, its bead changed, or its row gone. */
export type PaneState = 'same' | 'changed' | 'gone';

let judged: { snap: AppState['current']; pane: Inspect | null; state: PaneState } = { snap: null, pane: null, state: 'same' };

/** Judged once per refresh and pane: the pane asks on every render, keys and ticks included. */
export function paneState(s: AppState): PaneState {
  const pane = s.ui.inspect;
  if (!pane) return 'same';
  if (judged.snap === s.current && judged.pane === pane) return judged.state;
  const at = sourceRow(s, pane);
  const now = at?.row && paneOf(at.vm, at.row, pane.source.kind);
  const state = !at ? 'same' : !now ? 'gone' : now.basis === pane.basis ? 'same' : 'changed';
  judged = { snap: s.current, pane, state };
  return state;
}

/** `14:02:11`: a wall-clock time, local, as an operator's own clock reads it. */
function clockTime(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}

/**
 * What a reload changed, in lines: how many are new and gone (each counted once per copy; lines the same `as` judges
 * them, a detail's whose age alone moved, not at all), and the first of them; null when none.
 */
function linesChanged(was: readonly string[], now: readonly string[], as: (line: string) => string): string | null {
  const left = new Map<string, number>();
  for (const l of was) left.set(as(l), (left.get(as(l)) ?? 0) + 1);
  const added: string[] = [];
  for (const l of now) {
    const n = left.get(as(l)) ?? 0;
    if (n > 0) left.set(as(l), n - 1);
    else added.push(l);
  }
  const gone = was.filter((l) => {
    const n = left.get(as(l)) ?? 0;
    if (n > 0) left.set(as(l), n - 1);
    return n > 0;
  });
  if (added.length === 0 && gone.length === 0) return null;
  const plural = (n: number) => `${n} line${n === 1 ? '' : 's'}`;
  const first = added.length > 0 ? ` (first new: ${clean(added[0].trim())})` : ` (first gone: ${clean(gone[0].trim())})`;
  return `${plural(added.length)} new, ${gone.length} gone${first}`;
}

/**
 * A line of JSON as the member it holds, without the comma after it: a member that gains or loses one only because
 * another was added or removed after it (no longer, or now, the last) did not change.
 */
const member = (line: string) => (line.endsWith(',') ? line.slice(0, -1) : line);

/**
 * `R`: the pane re-read from the data on screen now, at the line it was scrolled to, and said what changed since it
 * was taken, or that nothing did (a key that answers with silence reads as a key that did nothing): never "nothing"
 * when the lines it now shows say something else than before.
 */
export function reloadInspect(store: AppStore): void {
  const s = store.getState();
  const pane = s.ui.inspect;
  if (!pane) return;
  const at = sourceRow(s, pane);
  const fresh = at?.row ? paneOf(at.vm, at.row, pane.source.kind) : null;
  if (!fresh)
    return s.setMessage({
      text: `${clean(pane.source.key)} is gone since opened: nothing to reload (${firstKey('inspect', 'inspect-close')} closes)`,
      tone: 'info',
    });
  const since = clockTime(pane.at);
  // Judged as the pane's notice is: a detail's ages move with the clock, and are refreshed, but the data they
  // describe did not change since it was taken.
  if (fresh.basis === pane.basis) {
    const aged = fresh.lines.length !== pane.lines.length || fresh.lines.some((l, i) => l !== pane.lines[i]);
    const text = `re-read: nothing changed since ${since}${aged ? ' (ages brought up to date)' : ''}`;
    s.patchUi({ inspect: { ...fresh, top: pane.top, at: pane.at }, message: { text, tone: 'info' } });
    return;
  }
  const lines =
    pane.source.kind === 'raw'
      ? linesChanged(pane.lines.map(member), fresh.lines.map(member), (l) => l)
      : linesChanged(pane.lines, fresh.lines, withoutAges);
  // The row's data changed in what this pane leaves out (a detail shows some of a bead's metadata, not all); the raw
  // JSON leaves nothing out: the same members, only in another order (a writer that sorts its keys).
  const unseen =
    pane.source.kind === 'raw'
      ? ': the same lines, in another order'
      : `, not in what this pane shows (${firstKey(s.ui.view, 'raw')} shows all of it)`;
  const text = `re-read: changed since ${since}${lines ? `: ${lines}` : unseen}`;
  s.patchUi({ inspect: { ...fresh, top: pane.top, at: Date.now() }, message: { text, tone: 'info' } });
}

/**
 * The id `c` copies: what the view says of the selected row (ViewDef.copyId: a repair's bead, an alias's holder),
 * else the row's key. Null when no row is selected; `none` says why a row has nothing to copy.
 */
export function idOfSelection(s: AppState): string | null | { none: string } {
  const at = selected(s);
  if (!at) return null;
  return at.vm.view.copyId?.(at.row) ?? at.row.key;
}

/** The most `c` puts on the clipboard; terminals drop longer OSC 52 payloads anyway. */
const COPY_MAX = 1024;

/** OSC 52 "set the clipboard" for `text`, sanitized first: what is pasted later carries no control characters. */
export function osc52(text: string): string {
  const safe = [...controlsEscaped(text)].slice(0, COPY_MAX).join('');
  return `\u001b]52;c;${Buffer.from(safe, 'utf8').toString('base64')}\u0007`;
}

export function openInspect(store: AppStore, what: (Shown & Pick<Inspect, 'source' | 'basis'>) | null, nothing: string): void {
  const s = store.getState();
  if (!what) return s.setMessage({ text: nothing, tone: 'info' });
  s.patchUi({ mode: 'inspect', inspect: { ...what, top: 0, at: Date.now() }, message: null });
}

/** The open pane's lines as it lays them out, and the room for them (the line that says it is out of date takes one). */
function paneRoom(s: AppState, pane: Inspect): { room: number; total: number } {
  const room = inspectRoom(s) - (paneState(s) === 'same' ? 0 : 1);
  return { room, total: wrapInspect(pane.lines, Math.max(1, s.ui.viewport.columns)).length };
}

/** Whether the open pane holds more lines than it shows: only then do its scroll keys move it, and the footer offer them. */
export function inspectScrolls(s: AppState): boolean {
  const pane = s.ui.inspect;
  if (!pane) return false;
  const { room, total } = paneRoom(s, pane);
  return total > room;
}

/** Move the pane's first line: by lines, by pages (`page`), or to an end. */
export function scrollInspect(store: AppStore, to: (top: number, page: number, last: number) => number): void {
  const s = store.getState();
  const pane = s.ui.inspect;
  if (!pane) return;
  const { room, total } = paneRoom(s, pane);
  const last = Math.max(0, total - room);
  const top = Math.min(last, Math.max(0, to(pane.top, room, last)));
  if (top !== pane.top) s.patchUi({ inspect: { ...pane, top } });
}

export function closeInspect(store: AppStore): void {
  store.getState().patchUi({ mode: 'normal', inspect: null });
}

/**
 * Scroll the full repair card of the selected repair; the top is kept per repair and clamped to its lines, counted as
 * the card renders them (App.tsx: the same context; `waiting`, whether its decisions wait out a move on, as it judges).
 */
export function scrollCard(store: AppStore, to: (top: number, page: number) => number, waiting: boolean): void {
  const s = store.getState();
  const vm = viewModel(s, 'repairs');
  if (!vm) return;
  const sel = reviewSelection(vm, s.ui.seen);
  const entry = sel.entry;
  const key = sel.id;
  const width = Math.max(1, s.ui.viewport.columns);
  const ctx = cardContext(sel, {
    readOnly: s.readOnly,
    marks: s.ui.marks,
    audit: s.audit,
    waiting,
    lastUndecided: nextIdle(s),
    changedBy: s.ui.changedBy,
  });
  const lines = cardLines(vm.derived, entry, entry ? s.ui.review[entry.key] : undefined, width, false, ctx).length;
  const room = Math.max(1, inspectRoom(s) - 1);
  const was = s.ui.cardScroll.key === key ? s.ui.cardScroll.top : 0;
  // A page is the lines a cut card shows (its last line is the "more lines" note): a page of `room` stepped over
  // one line each time, which then never counted as on screen.
  const top = Math.min(Math.max(0, lines - room), Math.max(0, to(was, Math.max(1, room - 1))));
  if (top !== was || s.ui.cardScroll.key !== key) s.patchUi({ cardScroll: { key, top } });
}
