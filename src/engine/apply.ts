// applyRepairs: the pure application of repairs to a state (the store adds locking and compare-and-set).
import type { Bead, Change, Metadata, Repair, State } from './types.js';
import { compareBytes, formatInstant } from './values.js';

/** The current value of a change field on a bead: `metadata.<key>`, `assignee` or `status`; null = absent. */
export function fieldValue(bead: Bead, field: string): string | null {
  if (field.startsWith('metadata.')) {
    const key = field.slice('metadata.'.length);
    const md = bead.metadata;
    if (!md || !Object.prototype.hasOwnProperty.call(md, key)) return null;
    return String(md[key]);
  }
  const v = bead[field];
  return v === undefined || v === null ? null : String(v);
}

/**
 * `md` with a new key: where Go's encoder would write it (its map keys in byte order) when `md`'s keys are in that
 * order already, as Gas City writes them, so the next write of Gas City's moves nothing; else last.
 */
function withNewKey(md: Metadata, key: string, value: string): Metadata {
  const keys = Object.keys(md);
  let at = keys.length;
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && compareBytes(keys[i - 1], keys[i]) > 0) return { ...md, [key]: value }; // not sorted: last
    if (at === keys.length && compareBytes(key, keys[i]) < 0) at = i;
  }
  if (at === keys.length) return { ...md, [key]: value };
  // fromEntries defines own data properties: a key such as "__proto__" stays a plain key.
  const entries = Object.entries(md);
  entries.splice(at, 0, [key, value]);
  return Object.fromEntries(entries);
}

/** Set one field on a copy-on-write bead. */
function setField(bead: Bead, change: Change): void {
  if (change.field.startsWith('metadata.')) {
    const key = change.field.slice('metadata.'.length);
    const old = bead.metadata ?? {};
    if (change.after !== null && !Object.prototype.hasOwnProperty.call(old, key)) {
      bead.metadata = withNewKey(old, key, change.after);
      return;
    }
    const md = { ...old };
    if (change.after === null) delete md[key];
    else md[key] = change.after;
    bead.metadata = md;
    return;
  }
  if (change.after === null) delete bead[change.field];
  else bead[change.field] = change.after;
}

/** Does every `before` of the repair hold on this bead? */
export function beforesHold(bead: Bead, repair: Repair): Change | null {
  for (const c of repair.changes) if (fieldValue(bead, c.field) !== c.before) return c;
  return null;
}

/**
 * Apply repairs to a state, returning a new state; the input is never mutated.
 * With `now`, changed beads get `updated_at` in Gas City's `YYYY-MM-DDTHH:MM:SSZ` form.
 */
export function applyRepairs(state: State, repairs: Repair[], opts: { now?: Date } = {}): State {
  const byBead = new Map<string, Repair[]>();
  for (const r of repairs) {
    const list = byBead.get(r.beadId);
    if (list) list.push(r);
    else byBead.set(r.beadId, [r]);
  }
  if (byBead.size === 0) return state;
  const stamp = opts.now ? formatInstant(opts.now) : null;
  const beads = state.beads.map((b) => {
    const rs = byBead.get(b.id);
    if (!rs) return b;
    const copy: Bead = { ...b };
    for (const r of rs) for (const c of r.changes) setField(copy, c);
    if (stamp) copy.updated_at = stamp;
    return copy;
  });
  return { ...state, beads };
}
