// Types of the store layer (the imperative shell for data). Shared by the CLI and the console.
import type { Change, Repair, State } from '../engine/types.js';

/** Where the state came from, and where writes go. */
export type Source =
  | { kind: 'store'; path: string }
  | { kind: 'city'; dir: string };

export interface Loaded {
  source: Source;
  state: State;
  /** Files read, for watching: the store file, or city.toml + .gc/beads.json (+ namepool files). */
  files: string[];
}

/** Bad input: names the file and the place (line:col for JSON/TOML, a JSON path for schema errors). */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly place: string | null,
    readonly detail: string,
  ) {
    super(place ? `${file}: ${place}: ${detail}` : `${file}: ${detail}`);
    this.name = 'InputError';
  }
}

export interface StaleRepair {
  repair: Repair;
  /** The first `before` that no longer holds on disk. */
  change: Change;
  actual: string | null;
}

export interface WriteResult {
  applied: Repair[];
  stale: StaleRepair[];
  /** The state as written (or as found, when nothing was applied). */
  state: State;
}

export interface AuditEntry {
  time: string;
  operator: string;
  action: 'apply' | 'approve' | 'reject' | 'reopen' | 'export';
  repair: string;
  kind: string;
  beadId: string;
  changes: Change[];
  reason: string;
  note: string;
  result: 'applied' | 'stale' | 'failed' | 'recorded';
}
