// The prints of a plan's collections, for the plan worker's memo (chunked-clone.ts, print.ts): the memo keeps a
// print of each entry it sent instead of the entry, since the plan it came from is not kept. The bead details, the
// biggest, have a printer of their own, and so have the pools' slot entries: every field of a record made by the
// engine's beadInfo, or slot-places.ts's slotEntryOf, which all have its fields, in its order, of its kinds (a field
// added to BeadInfo or SlotEntry without a line here fails test/console/plan-print.test.ts); any other, the generic
// one. A pool's slots travel as entries only when it has no places (worker/slot-places.ts sendablePlan: its slots were
// written); a plan the engine makes has them for every pool. Such entries are keyed by position (they have no id).
import { beadDetailParts, type DetailIds } from '../../engine/index.js';
import type { BeadInfo, Plan, SlotEntry } from '../../engine/types.js';
import { flagBits } from './bead-info-slim.js';
import type { Printer, RecordParts } from './chunked-clone.js';
import type { Print64 } from './print.js';
import { idOrder, keptIdOrder } from './id-order.js';
import { printData } from './print-data.js';

/**
 * Not the id: the memo compares a detail's print only with the one last sent under the same id (its key). The
 * template and its source are one of a few names each (`often`).
 */
export function printBeadInfo(a: BeadInfo, p: Print64): void {
  p.often(a.template);
  p.often(a.templateSource);
  p.num(flagBits(a));
  p.num(a.agentSlot);
  p.num(a.aliasSlot);
  p.num(a.sessionNameSlot);
  p.num(a.ownedSlot);
  p.str(a.slotReason);
  p.str(a.identity);
  p.str(a.duplicateOf);
  p.str(a.incumbentReason);
  p.str(a.aliasConflictHolder);
  p.strs(a.liveWork);
}

export function printSlotEntry(a: SlotEntry, p: Print64): void {
  p.num(a.slot);
  p.str(a.beadId);
  p.str(a.alias);
  p.str(a.state);
}

const SLOTS = /^pools\.\d+\.slots$/;

/**
 * The printer of a reply's big collection (named as chunked-clone.ts names them), or none for a state's: the
 * worker keeps its states, and the memo's entries of their beads are those states' own objects (`adopt`).
 */
export function planPrinter(collection: string): Printer | undefined {
  if (collection === 'detail.beads') return printBeadInfo as Printer;
  if (SLOTS.test(collection)) return printSlotEntry as Printer;
  return collection.startsWith('state.') ? undefined : printData;
}

/**
 * A plan's `detail.beads` not built yet, for the packer to read a slice at a time (chunked-clone.ts PackOptions.parts):
 * built whole when the packing first read it, its 72 000 records at 100 000 beads (about 49 MB) were all alive, and
 * old, until the reply was sent, the top of the worker's heap at the first read. With their id order, made here
 * rather than on the console's thread (id-order.ts). Any other record as it is.
 */
export function detailParts(owner: object, key: string): RecordParts | null {
  const parts = key === 'beads' ? beadDetailParts({ detail: owner as Plan['detail'] }) : null;
  return parts && recordParts(parts, idOrder);
}

type DetailPartsOf = (owner: object, key: string) => RecordParts | null;

const keptByMemo = new WeakMap<object, DetailPartsOf>();

/**
 * detailParts for the replies packed against `memo` (a console's): the keys and id order of the last plan packed are
 * taken again while its open sessions keep their places and ids, as a refresh mostly leaves them (engine/detail.ts
 * DetailIds). By memo: the refresh warm-up's plans of a part of the city, packed against a memo of their own, would
 * otherwise be the last before a console's first refresh.
 */
export function keptDetailParts(memo: object): DetailPartsOf {
  let kept = keptByMemo.get(memo);
  if (!kept) {
    let last: DetailIds | null = null;
    const order = keptIdOrder();
    kept = (owner, key) => {
      const parts = key === 'beads' ? beadDetailParts({ detail: owner as Plan['detail'] }, last) : null;
      if (!parts) return null;
      last = parts.keys;
      return recordParts(parts, order);
    };
    keptByMemo.set(memo, kept);
  }
  return kept;
}

function recordParts(
  parts: NonNullable<ReturnType<typeof beadDetailParts>>,
  order: (ids: readonly string[]) => Int32Array | null,
): RecordParts {
  const { city, bead, row } = parts.inputs;
  // A detail of the same bead object, city and row of the session table as the one last sent is not made again.
  return { ids: parts.ids, at: parts.at, idOrder: () => order(parts.ids), madeOf: { shared: city, source: bead, row } };
}
