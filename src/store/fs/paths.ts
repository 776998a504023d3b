// Where each input keeps its lock, audit log and decisions. gc-tui never puts its own files among Gas City's.
import { cityPaths } from '../formats/load-city.js';
import type { Source } from '../types.js';

export function describeSource(source: Source): string {
  return source.kind === 'store' ? source.path : source.dir;
}

/** The file whose flock serializes writers: Gas City's own for a city, `<store>.lock` for a store. */
export function lockPathOf(source: Source): string {
  return source.kind === 'store' ? `${source.path}.lock` : cityPaths(source.dir).beadsLock;
}

export function auditPathOf(source: Source): string {
  return source.kind === 'store' ? `${source.path}.audit.jsonl` : cityPaths(source.dir).audit;
}
