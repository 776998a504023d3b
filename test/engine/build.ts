// The engine tests' builders: the one set in test/support/builders.ts, and plans at its NOW.
import type { State } from '../../src/engine/index.js';
import { plan } from '../../src/engine/index.js';
import { NOW } from '../support/builders.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';

export { city, NOW, pooled, session, state, work } from '../support/builders.js';

export function planOf(s: State, now: Date = NOW) {
  return plan(s, now);
}

export function repairIds(s: State, now: Date = NOW): string[] {
  return plan(s, now).repairs.map((r) => r.id);
}

/** A store of `beads` beads made by scripts/gen-store.mjs (in creation order, as Gas City's file store keeps them), as State. */
export function generatedState(beads: number, seed: number): State {
  const doc = generateStore({ beads, seed, order: 'created' }) as State;
  return { city: doc.city, beads: doc.beads, decisions: doc.decisions ?? [] };
}
