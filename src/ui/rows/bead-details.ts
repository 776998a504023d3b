// A bead's detail by id when the plan's details arrived as a list (console/bead-infos.ts): found by halves in the
// list's id order, not in a table keyed by id. Such a table of 72 000 ids at 100 000 beads (the record's, grown key
// by key as the first read came in) was about 3 MB held and as much again in its smaller copies at the console's peak.
import { beadDetail } from '../../engine/index.js';
import type { BeadInfo, Plan } from '../../engine/types.js';
import { sentBeadIdOrder, unmadeBeadInfos } from '../../console/bead-infos.js';
import { runAtOnce, runSliced, sliceDue, sortInSteps } from './derive.js';

/** The places of a list's details in id order; null when the list is in id order already (a store kept sorted). */
type IdOrder = Int32Array | null;

const orders = new WeakMap<readonly BeadInfo[], IdOrder>();

function* idOrderSteps(infos: readonly BeadInfo[]): Generator<void, IdOrder> {
  // Made by the plan worker, off this thread, for a list it sent.
  const sent = sentBeadIdOrder(infos);
  if (sent !== undefined) return sent;
  const n = infos.length;
  let i = 1;
  while (i < n && infos[i - 1].id < infos[i].id) if (sliceDue(i++)) yield;
  if (i >= n) return null;
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  yield* sortInSteps(order, (a, b) => (infos[a].id < infos[b].id ? -1 : infos[a].id > infos[b].id ? 1 : 0));
  return order;
}

/** The id order of the plan's details made a slice at a time, so that the first look-up does not make it at once. */
export async function warmBeadDetails(plan: Pick<Plan, 'detail'>, pause: () => Promise<void>): Promise<void> {
  const infos = unmadeBeadInfos(plan);
  if (infos && !orders.has(infos)) orders.set(infos, await runSliced(idOrderSteps(infos), pause));
}

/** `plan.detail.beads[id]` as an own key: undefined for an id with no detail (`constructor` included). */
export function beadDetailOf(plan: Pick<Plan, 'detail'>, id: string): BeadInfo | undefined {
  const infos = unmadeBeadInfos(plan);
  if (!infos) return beadDetail(plan, id);
  let order = orders.get(infos);
  if (order === undefined && !orders.has(infos)) orders.set(infos, (order = runAtOnce(idOrderSteps(infos))));
  let lo = 0;
  let hi = infos.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const info = infos[order ? order[mid] : mid];
    if (info.id === id) return info;
    if (info.id < id) lo = mid + 1;
    else hi = mid;
  }
  return undefined;
}
