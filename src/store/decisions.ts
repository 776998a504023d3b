// Operator decisions on repairs. For a city they live in `.gc/gc-tui/decisions.json` (a JSON array), for a
// store in its own `decisions` array. Both are written under a lock, re-read first, never overwritten blind.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Decision } from '../engine/types.js';
import { writeFileAtomic } from './atomic-file.js';
import { readTextIfExists } from './fs-errors.js';
import { describeValue, formatJsonPath } from './json-path.js';
import { parseJsonFile, stringifyJson } from './json-text.js';
import { withFileLock } from './lock.js';
import { readStoreDb, validateStoreDocument } from './load-store.js';
import { InputError, type Source } from './types.js';

export function readCityDecisions(file: string): Decision[] {
  const text = readTextIfExists(file);
  if (text === null) return [];
  const data = parseJsonFile(text, file);
  if (!Array.isArray(data)) throw new InputError(file, '(top level)', `must be a JSON array of decisions, got ${describeValue(data)}`);
  data.forEach((d, i) => {
    if (d === null || typeof d !== 'object' || typeof (d as Decision).repair !== 'string') {
      throw new InputError(file, formatJsonPath([i]), `must be a decision object with a "repair" string, got ${describeValue(d)}`);
    }
  });
  return data as Decision[];
}

function cityDecisionsFile(dir: string): string {
  return join(dir, '.gc', 'gc-tui', 'decisions.json');
}

/** The lock a decision is recorded under: the store's own, or the city's decisions file's (never Gas City's). */
export function decisionLockPath(source: Source): string {
  return source.kind === 'city' ? `${cityDecisionsFile(source.dir)}.lock` : `${source.path}.lock`;
}

/** Append one decision, under its lock (see decisionLockPath); re-read first, never overwritten blind. */
export async function recordDecision(source: Source, decision: Decision): Promise<Decision[]> {
  if (source.kind === 'city') mkdirSync(dirname(cityDecisionsFile(source.dir)), { recursive: true });
  return withFileLock(decisionLockPath(source), () => recordDecisionUnderLock(source, decision));
}

/** The append itself: the caller holds `decisionLockPath(source)`, in this thread or another. */
export async function recordDecisionUnderLock(source: Source, decision: Decision): Promise<Decision[]> {
  if (source.kind === 'city') {
    const file = cityDecisionsFile(source.dir);
    mkdirSync(dirname(file), { recursive: true });
    const all = [...readCityDecisions(file), decision];
    writeFileAtomic(file, stringifyJson(all));
    return all;
  }
  const { db, doc } = await readStoreDb(source.path);
  const next = { ...doc, decisions: [...(doc.decisions ?? []), decision] };
  validateStoreDocument(JSON.parse(JSON.stringify(next)), source.path);
  db.data = next;
  await db.write();
  return next.decisions;
}
