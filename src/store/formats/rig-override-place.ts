// Where a rig's `[[rigs.overrides]]` or `[[rigs.patches]]` entry (or a key of it) is in city.toml: a module of its
// own, for rig-overrides.ts's refusals and city-toml.ts's (a float for an integer), which the locator's generic
// search cannot place (the k-th entry of rig i is a header counted over every rig before it).
import { formatJsonPath } from './json-path.js';
import { tomlLineOf } from './toml-location.js';

export type OverrideKind = 'overrides' | 'patches';

const listOf = (rig: unknown, kind: OverrideKind): unknown[] => {
  const v = typeof rig === 'object' && rig !== null ? (rig as Record<string, unknown>)[kind] : undefined;
  return Array.isArray(v) ? v : [];
};

/**
 * `line 12 (rigs[0].overrides[1].pool)`: the k-th `[[rigs.<kind>]]` header of rig i (counted over the rigs before it)
 * when it lies within that rig's block, else the rig's own `[[rigs]]` line (an inline array has no header of its own).
 */
export function rigOverridePlace(
  text: string,
  rigs: readonly unknown[],
  i: number,
  kind: OverrideKind,
  k: number,
  key: readonly PropertyKey[],
): string {
  const path = ['rigs', i, kind, k, ...key];
  const before = rigs.slice(0, i).reduce((n: number, r) => n + listOf(r, kind).length, 0);
  const start = tomlLineOf(text, ['rigs', i]);
  const end = tomlLineOf(text, ['rigs', i + 1]) ?? Infinity;
  const own = tomlLineOf(text, [`rigs.${kind}`, before + k, ...key.slice(0, 1)]);
  const line = own !== null && start !== null && own > start && own < end ? own : start;
  return line === null ? formatJsonPath(path) : `line ${line} (${formatJsonPath(path)})`;
}
