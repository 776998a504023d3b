// The bead details' id order, made on the plan worker's thread and sent with them (chunked-clone.ts
// RecordParts.idOrder). The console finds a detail by halves in that order (ui/rows/bead-details.ts); a store Gas
// City wrote is not in id order (a bd list's hashes, the file store's `gc-9` before `gc-10`), and sorting its 72 000
// ids on the console's thread held every read and refresh back from the screen by 70–130 ms of its CPU at 100 000
// beads (docs/speed.md). Here it is 20–55 ms of the worker's, once, and a look at the ids for a refresh.

const byString = (ids: readonly string[]) => (a: number, b: number) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0);

/** The places of `ids` in JavaScript's order of strings, or null when they are in it already. */
export function idOrder(ids: readonly string[]): Int32Array | null {
  const n = ids.length;
  let i = 1;
  while (i < n && ids[i - 1] < ids[i]) i++;
  if (i === n) return null;
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  return order.sort(byString(ids));
}

/**
 * idOrder remembering the last ids it ordered and their order: a refresh mostly plans the same beads, in the same
 * order. One per console's memo (plan-print.ts): the refresh warm-up's part of the city would otherwise be the last.
 */
export function keptIdOrder(): (ids: readonly string[]) => Int32Array | null {
  let last: { ids: readonly string[]; order: Int32Array | null } | null = null;
  return (ids) => {
    if (last && sameIds(last.ids, ids)) return last.order;
    const order = idOrder(ids);
    last = { ids, order };
    return order;
  };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
