// Where each input keeps its lock, audit log and decisions. gc-tui never puts its own files among Gas City's.
import { dirname, resolve } from 'node:path';
import { cityPaths } from '../formats/city-paths.js';
import type { Source } from '../types.js';
import { ensureDirLikeParent } from './safe-file.js';

export function describeSource(source: Source): string {
  return source.kind === 'store' ? source.path : source.dir;
}

/**
 * The input as an operator recognises it, for a person to read: its path made absolute, so `--city .` (or `../x`)
 * names the directory, not "." (the status lines said "applied … (.)"). describeSource stays what was given.
 */
export function shownSource(source: Source, cwd = process.cwd()): string {
  return resolve(cwd, describeSource(source));
}

/** Whether the input is a headless command's throwaway copy of the demo city (its path is gone as the command ends). */
export function isDemo(source: Source): boolean {
  return source.kind === 'store' && source.demo === true;
}

export const DEMO_WORDS = 'the demo city (a temporary copy)';

/** The input as a summary's first line names it: its kind and path, or the demo city for its throwaway copy. */
export function sourceWords(source: Source, cwd = process.cwd()): string {
  return isDemo(source) ? DEMO_WORDS : `${source.kind} ${shownSource(source, cwd)}`;
}

/** The data file a write replaces: the store file, or a city's `.gc/beads.json`. */
export function dataPathOf(source: Source): string {
  return source.kind === 'store' ? source.path : cityPaths(source.dir).beads;
}

/** The file whose flock serializes writers: Gas City's own for a city, `<store>.lock` for a store. */
export function lockPathOf(source: Source): string {
  return source.kind === 'store' ? `${source.path}.lock` : cityPaths(source.dir).beadsLock;
}

export function auditPathOf(source: Source): string {
  return source.kind === 'store' ? `${source.path}.audit.jsonl` : cityPaths(source.dir).audit;
}

/**
 * `<audit log>.pending`: the lines of a write that is between its journal and its audit append (audit.ts). Here, not
 * in audit.ts, as the other paths: a command that only names it (every one does) does not load the audit code.
 */
export function pendingAuditPath(source: Source): string {
  return `${auditPathOf(source)}.pending`;
}

/** The file decisions are recorded under the lock of (decisions.ts decisionLockPath), nothing made. */
export function decisionLockFile(source: Source): string {
  return source.kind === 'store' ? `${source.path}.lock` : `${cityPaths(source.dir).decisions}.lock`;
}

/** The metrics history the console keeps beside the audit log (metrics-history.ts). */
export function metricsPathOf(source: Source): string {
  return source.kind === 'store' ? `${source.path}.metrics.jsonl` : cityPaths(source.dir).metrics;
}

/**
 * Make the directory gc-tui's own files of `source` go in, before anything is opened there: for a city
 * `.gc/gc-tui` (and `.gc`), each with the owner and mode of the directory it sits in; an existing `.gc/gc-tui`
 * that is a link is refused. A store's files sit beside it: nothing to make.
 */
export function ensureOwnDir(source: Source): void {
  if (source.kind === 'store') return;
  const dir = cityPaths(source.dir).gcTuiDir;
  ensureDirLikeParent(dirname(dir), { allowLink: true }); // Gas City's `.gc`: theirs to place
  ensureDirLikeParent(dir);
}
