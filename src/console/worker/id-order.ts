// The bead details' id order, made on the plan worker's thread and sent with them (chunked-clone.ts
// RecordParts.idOrder). The console finds a detail by halves in that order (ui/rows/bead-details.ts); a store Gas
// City wrote is not in id order (a bd list's hashes, the file store's `gc-9` before `gc-10`), and sorting its 72 000
// ids on the console's thread held every read and refresh back from the screen by 70–130 ms of its CPU at 100 000
// beads (docs/speed.md). Here it is 20–55 ms of the worker's, once, and a look at the ids for a refresh.

/** The last ids ordered and their order: a refresh mostly plans the same beads, in the same order. */
let last: { ids: readonly string[]; order: Int32Array | null } | null = null;

const byString = (ids: readonly string[]) => (a: number, b: number) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0);

/** The places of `ids` in JavaScript's order of strings, or null when they are in it already. */
export function idOrder(ids: readonly string[]): Int32Array | null {
  if (last && sameIds(last.ids, ids)) return last.order;
  const n = ids.length;
  let i = 1;
  while (i < n && ids[i - 1] < ids[i]) i++;
  let order: Int32Array | null = null;
  if (i < n) {
    order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    order.sort(byString(ids));
  }
  last = { ids, order };
  return order;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
