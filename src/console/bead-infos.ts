// The plan's bead details as the console's thread holds them: a first read or a refresh unpacks them as a list
// (chunked-clone.ts unpackedById), and the record keyed by id is made only if something reads it.
import type { BeadInfo, Plan } from '../engine/types.js';
import { recordValues, sentIdOrder, unpackedById } from './worker/chunked-clone.js';

/** `Object.values(plan.detail.beads)`, without making the record when it arrived as a list. */
export function beadInfos(plan: Pick<Plan, 'detail'>): BeadInfo[] {
  return (unpackedById(plan.detail, 'beads') as BeadInfo[] | undefined) ?? recordValues(plan.detail.beads);
}

/** The details as a list when the record was not made (then beadInfos is that list), else undefined. */
export function unmadeBeadInfos(plan: Pick<Plan, 'detail'>): readonly BeadInfo[] | undefined {
  return unpackedById(plan.detail, 'beads') as BeadInfo[] | undefined;
}

/** The places of unmadeBeadInfos' list in id order as the plan worker made them: null in order already, undefined unsaid. */
export function sentBeadIdOrder(infos: readonly BeadInfo[]): Int32Array | null | undefined {
  return sentIdOrder(infos);
}
