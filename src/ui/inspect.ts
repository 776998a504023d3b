// The inspect pane: `y` shows the raw bead of the selected row as JSON (as k9s `y`), `enter` on a slot,
// alias, template, work or finding row shows its detail in full. The pane takes the list and detail area,
// wraps every line to the width and scrolls; every line is sanitized when it is laid out.
import type { AppState, AppStore } from '../console/state.js';
import type { Inspect } from '../console/ui-state.js';
import { layout } from './layout.js';
import { cardLines } from './review/card.js';
import { reviewSelection } from './review/selection.js';
import { clean, wrapText } from './text.js';
import { viewModel } from './views/registry.js';

/** Lines the pane can show at once (its title line apart), at the current viewport. */
export function inspectRoom(s: AppState): number {
  const l = layout(s.ui.viewport.rows, s.ui.viewport.columns, s.error !== null);
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

const jsonText = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2) ?? String(v);

/** What `y` shows for the selected row: its bead as JSON (a repair's: the bead it changes), else the agent config. */
export function rawOfSelection(s: AppState): Omit<Inspect, 'top'> | null {
  const vm = viewModel(s, s.ui.view);
  const row = vm?.rows[vm.index];
  if (!vm || !row) return null;
  const state = vm.derived.snap.state;
  const repair = s.ui.view === 'repairs' ? vm.derived.snap.plan.repairs.find((r) => r.id === row.key) : undefined;
  const ids = [repair?.beadId, row.key, ...row.ids].filter((x): x is string => typeof x === 'string');
  for (const id of ids) {
    const bead = state.beads.find((b) => b.id === id);
    if (bead) return { title: `bead ${id}`, lines: jsonText(bead).split('\n') };
  }
  const agent = state.city.agents.find((a) => ids.includes(a.dir ? `${a.dir}/${a.name}` : a.name));
  if (agent) return { title: `agent ${agent.dir ? `${agent.dir}/${agent.name}` : agent.name}`, lines: jsonText(agent).split('\n') };
  return null;
}

/** The id `c` copies: the selected row's bead (a repair's: the bead it changes), else the row's own key. */
export function idOfSelection(s: AppState): string | null {
  const vm = viewModel(s, s.ui.view);
  const row = vm?.rows[vm.index];
  if (!vm || !row) return null;
  const repair = s.ui.view === 'repairs' ? vm.derived.snap.plan.repairs.find((r) => r.id === row.key) : undefined;
  return repair?.beadId ?? row.key;
}

/** The most `c` puts on the clipboard; terminals drop longer OSC 52 payloads anyway. */
const COPY_MAX = 1024;

/** OSC 52 "set the clipboard" for `text`, sanitized first: what is pasted later carries no control characters. */
export function osc52(text: string): string {
  const safe = [...clean(text)].slice(0, COPY_MAX).join('');
  return `\u001b]52;c;${Buffer.from(safe, 'utf8').toString('base64')}\u0007`;
}

/** What `enter` shows: the selected row's detail lines in full. */
export function detailOfSelection(s: AppState): Omit<Inspect, 'top'> | null {
  const vm = viewModel(s, s.ui.view);
  const row = vm?.rows[vm.index];
  if (!vm || !row) return null;
  const lines = vm.view.detail(vm.derived, row.key, vm.pool, vm.input);
  return { title: `${vm.view.label} ${row.key}`, lines: lines.length ? lines : ['(no detail)'] };
}

export function openInspect(store: AppStore, what: Omit<Inspect, 'top'> | null, nothing: string): void {
  const s = store.getState();
  if (!what) return s.setMessage({ text: nothing, tone: 'info' });
  s.patchUi({ mode: 'inspect', inspect: { ...what, top: 0 }, message: null });
}

/** Move the pane's first line: by lines, by pages (`page`), or to an end. */
export function scrollInspect(store: AppStore, to: (top: number, page: number, last: number) => number): void {
  const s = store.getState();
  const pane = s.ui.inspect;
  if (!pane) return;
  const room = inspectRoom(s);
  const total = wrapInspect(pane.lines, Math.max(1, s.ui.viewport.columns)).length;
  const last = Math.max(0, total - room);
  const top = Math.min(last, Math.max(0, to(pane.top, room, last)));
  if (top !== pane.top) s.patchUi({ inspect: { ...pane, top } });
}

export function closeInspect(store: AppStore): void {
  store.getState().patchUi({ mode: 'normal', inspect: null });
}

/** Scroll the full repair card of the selected repair; the top is kept per repair and clamped to its lines. */
export function scrollCard(store: AppStore, to: (top: number, page: number) => number): void {
  const s = store.getState();
  const vm = viewModel(s, 'repairs');
  if (!vm) return;
  const sel = reviewSelection(vm, s.ui.seen);
  const entry = sel.entry;
  const key = sel.id;
  const width = Math.max(1, s.ui.viewport.columns);
  const ctx = { state: sel.state, seen: sel.seen, readOnly: s.readOnly };
  const lines = cardLines(vm.derived, entry, entry ? s.ui.review[entry.key] : undefined, width, false, ctx).length;
  const room = Math.max(1, inspectRoom(s) - 1);
  const was = s.ui.cardScroll.key === key ? s.ui.cardScroll.top : 0;
  const top = Math.min(Math.max(0, lines - room), Math.max(0, to(was, room)));
  if (top !== was || s.ui.cardScroll.key !== key) s.patchUi({ cardScroll: { key, top } });
}
