// The engine tests' builders: the one set in test/support/builders.ts, and plans at its NOW.
import type { State } from '../../src/engine/index.js';
import { plan } from '../../src/engine/index.js';
import { NOW } from '../support/builders.js';

export { city, NOW, pooled, session, state, work } from '../support/builders.js';

export function planOf(s: State, now: Date = NOW) {
  return plan(s, now);
}

export function repairIds(s: State, now: Date = NOW): string[] {
  return plan(s, now).repairs.map((r) => r.id);
}
