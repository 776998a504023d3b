// Key handlers of the review flow: step through the queue, open the card, approve (with a confirmation for
// repairs that close beads or unassign work), reject with a reason, bulk-approve after typing the count,
// reopen, export. They read the app store fresh on every key and call the store's review actions
// (src/console/review.ts) for anything that writes; they never touch the disk.
import type { Repair } from '../../engine/types.js';
import type { AppStore, Dialog, ExportFormat } from '../../console/state.js';
import { approve, exportRows, exportSnapshot, reject, reopen } from '../../console/review.js';
import { moveTo } from '../cursor.js';
import type { ActionId, KeyName } from '../keymap.js';
import { isUndecided, queueRowByKey, type QueueRow } from '../rows/repairs.js';
import type { Row } from '../rows/types.js';
import { viewModel } from '../views/registry.js';
import { reviewSelection, type ReviewSelection } from './selection.js';
import { isDestructive, nextUndecided } from './queue.js';

export interface ActionContext {
  store: AppStore;
  exit(): void;
}

export type Handler = (ctx: ActionContext) => void;

type ReviewAction =
  | 'view-audit' | 'export' | 'export-view'
  | 'open-card' | 'close-card' | 'approve' | 'reject' | 'skip' | 'next-undecided' | 'prev-undecided' | 'approve-all' | 'reopen'
  | 'confirm-next' | 'confirm-prev' | 'confirm-choose' | 'confirm-cancel'
  | 'input-accept' | 'input-cancel' | 'input-erase'
  | 'choice-next' | 'choice-prev' | 'choice-accept' | 'choice-cancel';

/**
 * The queue entries behind a list of shown rows, cached per row list: the repairs table (and each filter
 * of it) is a new array whenever the plan or the review outcomes change, so the cache is never stale.
 */
const shownCache = new WeakMap<Row[], QueueRow[]>();

/** The repairs view resolved: its filtered rows, the queue entry behind each, and the cursor. */
function queueView(store: AppStore): { rows: QueueRow[]; index: number } | null {
  const s = store.getState();
  const vm = viewModel(s, 'repairs');
  if (!vm) return null;
  let rows = shownCache.get(vm.rows);
  if (!rows) {
    const byKey = queueRowByKey(vm.derived, s.ui.review);
    rows = vm.rows.map((r) => byKey.get(r.key)).filter((q): q is QueueRow => q !== undefined);
    shownCache.set(vm.rows, rows);
  }
  return { rows, index: vm.index };
}

/** The repair the card is about (by id, never by row position), and how it compares with what was seen. */
function selection(store: AppStore): ReviewSelection | null {
  const s = store.getState();
  const vm = viewModel(s, 'repairs');
  return vm ? reviewSelection(s, vm) : null;
}

function selected(store: AppStore): QueueRow | null {
  return selection(store)?.entry ?? null;
}

/**
 * The version of the selected repair a decision may act on: exactly the one the operator saw. When a refresh
 * changed it, this key press only acknowledges the new version (nothing is written); when it is gone, or no
 * card has shown it yet, there is nothing to act on.
 */
function seenVersion(store: AppStore, what: string): { entry: QueueRow; repair: Repair } | null {
  const sel = selection(store);
  if (!sel || sel.id === null) {
    say(store, `${what}: no repair selected`, 'error');
    return null;
  }
  if (sel.state === 'gone') {
    say(store, `${sel.id} is no longer proposed: nothing to ${what}`, 'error');
    return null;
  }
  const no = notDecidable(sel.entry, what);
  if (no) {
    say(store, no, 'error');
    return null;
  }
  const entry = sel.entry!;
  if (sel.state !== 'same') {
    store.getState().patchUi({ seen: { id: entry.key, repair: entry.repair } });
    const again = what === 'approve' ? 'a approves it' : 'r rejects it';
    say(store, sel.state === 'changed' ? `acknowledged the new diff of ${entry.key}: nothing written; ${again}` : `${entry.key} is on the card now: ${again}`);
    return null;
  }
  return { entry, repair: sel.seen! };
}

function say(store: AppStore, text: string, tone: 'info' | 'error' = 'info'): void {
  store.getState().setMessage({ text, tone });
}

/** Move to the next/previous undecided repair from the cursor; false when there is none that way. */
function jumpUndecided(store: AppStore, step: 1 | -1, from?: number): boolean {
  const q = queueView(store);
  if (!q || q.rows.length === 0) return false;
  const target = nextUndecided(q.rows.map(isUndecided), from ?? q.index, step);
  if (target < 0) return false;
  moveTo(store, () => target);
  return true;
}

/** After a decision on `key`: if the cursor is still on it and it is decided now, go on to the next undecided one. */
function advanceFrom(store: AppStore, key: string): void {
  const q = queueView(store);
  if (!q) return;
  const at = q.rows.findIndex((r) => r.key === key);
  if (at < 0 || at !== q.index || isUndecided(q.rows[at])) return;
  if (!jumpUndecided(store, 1, at)) jumpUndecided(store, -1, at);
}

function openDialog(store: AppStore, mode: 'confirm' | 'reason' | 'count' | 'export', dialog: Dialog): void {
  store.getState().patchUi({ mode, dialog, message: null });
}

function closeDialog(store: AppStore): void {
  store.getState().patchUi({ mode: 'normal', dialog: null });
}

function approveNow(store: AppStore, repair: Repair): void {
  void approve(store, [repair]).then(() => advanceFrom(store, repair.id));
}

/** Why the selected row cannot be decided now, or null. */
function notDecidable(q: QueueRow | null, what: string): string | null {
  if (!q) return `${what}: no repair selected`;
  if (q.rowStatus === 'applied') return `${q.key} is already applied`;
  if (q.rowStatus === 'applying') return `${q.key} is being written`;
  if (q.status === 'rejected') return `${q.key} is rejected: o reopens it`;
  return null;
}

const toggleFocus: Handler = ({ store }) => {
  const d = store.getState().ui.dialog;
  if (d?.kind !== 'confirm') return;
  store.getState().patchUi({ dialog: { ...d, focus: d.focus === 'cancel' ? 'approve' : 'cancel' } });
};

function stepChoice(step: number): Handler {
  return ({ store }) => {
    const d = store.getState().ui.dialog;
    if (d?.kind !== 'export') return;
    const n = d.options.length;
    store.getState().patchUi({ dialog: { ...d, focus: (d.focus + step + n) % n } });
  };
}

function exportViewRows(store: AppStore, format: 'csv' | 'md'): void {
  const s = store.getState();
  const vm = viewModel(s, s.ui.view);
  if (!vm) return say(store, 'export: nothing is loaded yet', 'error');
  const columns = vm.table.columns.map((c) => c.title);
  void exportRows(store, { view: s.ui.view, columns, rows: vm.rows.map((r) => r.cells) }, format);
}

export const REVIEW_HANDLERS: Record<ReviewAction, Handler> & Partial<Record<ActionId, Handler>> = {
  'view-audit': ({ store }) => store.getState().setView('audit'),

  'open-card': ({ store }) => {
    if (selected(store)) store.getState().patchUi({ card: true });
  },
  'close-card': ({ store }) => store.getState().patchUi({ card: false }),

  'next-undecided': ({ store }) => {
    if (!jumpUndecided(store, 1)) say(store, 'no undecided repair below this one');
  },
  'prev-undecided': ({ store }) => {
    if (!jumpUndecided(store, -1)) say(store, 'no undecided repair above this one');
  },
  skip: ({ store }) => {
    const q = selected(store);
    if (!q) return;
    if (!jumpUndecided(store, 1)) say(store, `${q.key} left undecided; no undecided repair below it`);
    else say(store, `${q.key} left undecided`);
  },

  approve: ({ store }) => {
    const v = seenVersion(store, 'approve');
    if (!v) return;
    if (isDestructive(v.repair)) openDialog(store, 'confirm', { kind: 'confirm', repair: v.repair, focus: 'cancel' });
    else approveNow(store, v.repair);
  },
  reject: ({ store }) => {
    const v = seenVersion(store, 'reject');
    if (v) openDialog(store, 'reason', { kind: 'reason', repair: v.repair, text: '' });
  },
  'approve-all': ({ store }) => {
    const q = queueView(store);
    const repairs = (q?.rows ?? []).filter(isUndecided).map((r) => r.repair);
    if (repairs.length === 0) return say(store, 'no undecided repair shown: nothing to approve', 'error');
    openDialog(store, 'count', { kind: 'count', repairs, text: '' });
  },
  reopen: ({ store }) => {
    const q = selected(store);
    if (!q || q.status !== 'rejected') return say(store, 'only a rejected repair can be reopened', 'error');
    void reopen(store, q.repair, q.decision?.changes ?? q.repair.changes);
  },

  'confirm-next': toggleFocus,
  'confirm-prev': toggleFocus,
  'confirm-cancel': ({ store }) => {
    closeDialog(store);
    say(store, 'cancelled: nothing written');
  },
  'confirm-choose': ({ store }) => {
    const d = store.getState().ui.dialog;
    closeDialog(store);
    if (d?.kind !== 'confirm') return;
    if (d.focus !== 'approve') return say(store, 'cancelled: nothing written');
    // The dialog holds the version it asked about; if a refresh changed it meanwhile, the card shows the
    // change and this choice writes nothing.
    if (selection(store)?.state !== 'same' || selected(store)?.key !== d.repair.id) return say(store, `${d.repair.id} changed while you chose: nothing written; see the card`, 'error');
    approveNow(store, d.repair);
  },

  'input-erase': ({ store }) => {
    const d = store.getState().ui.dialog;
    if (d?.kind === 'reason' || d?.kind === 'count') store.getState().patchUi({ dialog: { ...d, text: [...d.text].slice(0, -1).join('') } });
  },
  'input-cancel': ({ store }) => {
    closeDialog(store);
    say(store, 'cancelled: nothing written');
  },
  'input-accept': ({ store }) => {
    const d = store.getState().ui.dialog;
    closeDialog(store);
    if (d?.kind === 'reason') {
      void reject(store, d.repair, d.text).then((ok) => ok && advanceFrom(store, d.repair.id));
    } else if (d?.kind === 'count') {
      const want = String(d.repairs.length);
      if (d.text.trim() !== want) return say(store, `typed "${d.text.trim()}", not ${want}: nothing approved`, 'error');
      void approve(store, d.repairs).then(() => {
        const q = queueView(store);
        if (q && !isUndecided(q.rows[q.index]) && !jumpUndecided(store, 1)) jumpUndecided(store, -1);
      });
    }
  },

  export: ({ store }) => openDialog(store, 'export', { kind: 'export', what: 'snapshot', options: ['md', 'json', 'csv'], focus: 0 }),
  'export-view': ({ store }) => openDialog(store, 'export', { kind: 'export', what: 'view', options: ['csv', 'md'], focus: 0 }),
  'choice-next': stepChoice(1),
  'choice-prev': stepChoice(-1),
  'choice-cancel': ({ store }) => {
    closeDialog(store);
    say(store, 'export cancelled');
  },
  'choice-accept': ({ store }) => {
    const d = store.getState().ui.dialog;
    closeDialog(store);
    if (d?.kind !== 'export') return;
    const format: ExportFormat = d.options[d.focus] ?? d.options[0];
    if (d.what === 'snapshot') void exportSnapshot(store, format);
    else exportViewRows(store, format === 'json' ? 'csv' : format);
  },
};

/** A printable key typed into the reason or count prompt. */
export function typeIntoDialog(store: AppStore, name: KeyName): void {
  const d = store.getState().ui.dialog;
  if (d?.kind !== 'reason' && d?.kind !== 'count') return;
  const ch = name === 'space' ? ' ' : name;
  if ([...ch].length !== 1 || ch < ' ') return;
  if (d.kind === 'reason' && d.text.length >= 500) return;
  store.getState().patchUi({ dialog: { ...d, text: d.text + ch } });
}
