// `gc-tui apply` on a city whose beads Gas City keeps (bd, exec:…, scope-local rigs, a capture): the selected
// repairs are made by gc's own conditional commands (src/store/gc/writer.ts), and what each answered is reported.
import type { Repair, State } from '../engine/types.js';
import { callLabel, callsForAll, gcTargetOf } from '../store/gc/calls.js';
import { applyThroughGc } from '../store/gc/writer.js';
import { sanitize } from '../store/output/sanitize.js';
import type { Source } from '../store/types.js';
import type { BeadScopes } from '../store/formats/scope-stores.js';
import { err, out } from './common.js';

export interface CityThroughGc {
  source: Extract<Source, { kind: 'city' }>;
  gc: string;
  /** What was just read: the beads the repairs are judged against, and the city's configuration. */
  state: State;
  selected: Repair[];
  /** The fresh plan's repairs, for the judgment before any call. */
  fresh: readonly Repair[];
  now: Date;
  by: string;
  note: string;
  batch?: string;
  /** The exit code so far (1 when a named id was unknown). */
  code: number;
  /** Which store each bead was read from (a city whose rigs keep their own stores), for the calls to name it. */
  scopes?: BeadScopes;
}

/** Exit code: 2 when a call failed (the apply stopped there), 1 when a repair was not applied, else `code`. */
export async function applyCityThroughGc(a: CityThroughGc): Promise<number> {
  const target = gcTargetOf(a.source.dir, a.state.city, a.scopes);
  const items = callsForAll(a.selected, target);
  const r = await applyThroughGc({
    source: a.source,
    gc: a.gc,
    dir: target.dir,
    items,
    beads: a.state.beads,
    fresh: a.fresh,
    now: a.now,
    by: a.by,
    note: a.note,
    batch: a.batch,
  });
  for (const x of r.applied) {
    const item = items.find((i) => i.repair.id === x.id);
    const calls = item && 'calls' in item ? item.calls.map((c) => callLabel(c, x.beadId)).join(', ') : '';
    out(`applied ${sanitize(x.id)}: ${sanitize(x.reason)} (${sanitize(calls)})\n`);
  }
  for (const s of r.stale) {
    const kept = s.written.length ? ` (already written, kept: ${s.written.map((c) => c.field).join(', ')})` : '';
    out(`stale ${sanitize(s.repair.id)}: ${sanitize(s.why)}; not applied${sanitize(kept)}\n`);
  }
  for (const x of r.refused) out(`not applied ${sanitize(x.repair.id)}: ${sanitize(x.why)}\n`);
  const where = `city ${sanitize(a.source.dir)}, through ${sanitize(a.gc)}`;
  const refused = r.refused.length ? `, ${r.refused.length} not possible through gc` : '';
  out(`${r.applied.length} applied, ${r.stale.length} stale${refused} (${where})\n`);
  if (r.failed) {
    const rest = r.notAttempted.length
      ? `; stopped: ${r.notAttempted.length} later repair${r.notAttempted.length === 1 ? '' : 's'} not attempted`
      : '; stopped';
    // What its earlier calls wrote stays written (gc has no undo): said, as for a stale repair.
    const kept = r.failed.written.length ? ` (already written, kept: ${r.failed.written.map((c) => c.field).join(', ')})` : '';
    err(`${sanitize(a.source.dir)}: ${sanitize(r.failed.repair.id)}: ${sanitize(r.failed.why)}${sanitize(kept)}${rest}`);
    return 2;
  }
  if (r.interrupted) {
    const n = r.notAttempted.length;
    err(
      `${sanitize(a.source.dir)}: interrupted (${r.interrupted}): the repair under way was finished; ${n} later repair${n === 1 ? '' : 's'} not attempted`,
    );
    return 1;
  }
  return r.stale.length > 0 || r.refused.length > 0 ? 1 : a.code;
}
