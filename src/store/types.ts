// Types of the store layer (the imperative shell for data). Shared by the CLI and the console.
import type { Bead, Change, CityConfig, Decision, Repair, State } from '../engine/types.js';
import type { BeadScopes } from './formats/scope-stores.js';

/**
 * Where the state came from, and where writes go. A city's `beads`, when set, are captures (`--beads FILE`, `-`
 * for stdin) read instead of the city's own store: such a city is read-only. `demo`: the store is a headless command's
 * throwaway copy of the bundled demo city, gone as the command ends, so its path is no name to print.
 */
export type Source = { kind: 'store'; path: string; demo?: true } | { kind: 'city'; dir: string; beads?: string[] };

/**
 * Where a city's beads were read from: its file store, a capture, Gas City's `gc` command, or (`scopes`) the file
 * stores of a city whose rigs keep their own (scope-local-v1), the city's and each rig's.
 */
export interface BeadsFrom {
  from: 'file' | 'capture' | 'gc' | 'scopes';
  /** The provider detected (beads-provider.ts), whatever the beads were read from. */
  provider: { name: string; why: string };
  /** The file store's path (the stores', comma-separated), the captures' names, or the `gc` executable run. */
  detail: string;
}

export interface Loaded {
  source: Source;
  state: State;
  /** Files read, for watching: the store file, or city.toml + .gc/beads.json (+ namepool files). */
  files: string[];
  /**
   * Top-level keys of the data file beyond what State holds (`seq`, and for a city `deps`, `revisions`,
   * `fences`, ...; for a store any unknown key). Export and import carry them along.
   */
  extra?: Record<string, unknown>;
  /** A city's: where its beads came from. */
  beadsFrom?: BeadsFrom;
  /** A city whose rigs keep their own stores: which store each bead was read from (writes name that store to gc). */
  scopes?: BeadScopes;
  /**
   * What the operator should be told about the input that Gas City itself reads without a word (a namepool file it
   * cannot read, so numbered names). The plan follows Gas City.
   */
  warnings?: InputWarning[];
}

/** Something about the input an operator should know, though it is no error (see Loaded.warnings). */
export interface InputWarning {
  /** The whole line, naming the file and the place: `check`'s summary, a command's stderr. */
  text: string;
  /** What is wrong and what the plan does, short enough for a line of the console. */
  brief: string;
}

/** A gc-tui store file (CONTRACT.md). Unknown keys at every level are kept. */
export interface StoreDocument {
  schema: 'gc-tui/1';
  city: CityConfig;
  demand?: Record<string, number>;
  /** null: Gas City reads it as 0 (a `.gc/beads.json` may hold it); kept as it is. */
  seq?: number | null;
  beads: Bead[];
  decisions?: Decision[];
  [extra: string]: unknown;
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
  /** One line for people: what changed on disk, or why the fresh plan no longer proposes this repair. */
  why?: string;
  /** The fresh plan's version of this repair (same id), when it still proposes one. */
  replanned?: Repair | null;
}

/** What a write puts in a file: text (written as UTF-8), its bytes, or its bytes in parts (a splice, splice-beads.ts). */
export type FileBytes = string | Buffer | readonly Buffer[];

export interface WriteResult {
  applied: Repair[];
  stale: StaleRepair[];
  /** The state as written (or as found, when nothing was applied). */
  state: State;
}

/** One gc call of a write through Gas City (src/store/gc/writer.ts) and its answer, as the audit log keeps it. */
export interface GcCallRecord {
  /** The arguments after `gc`, as run. */
  args: string[];
  exit: number | null;
  signal?: string;
  /** Trimmed, control characters made visible, at most 4 KiB each. */
  stdout: string;
  stderr: string;
  answer: 'ok' | 'conflict' | 'error';
}

export interface AuditEntry {
  time: string;
  operator: string;
  action: 'apply' | 'approve' | 'reject' | 'reopen' | 'export';
  /** Shared by every line of one bulk approval (ApplyOptions.batch); absent when the caller gave none. */
  batch?: string;
  repair: string;
  kind: string;
  beadId: string;
  /** The changes as the caller passed them: what the operator saw, what a saved plan said. */
  changes: Change[];
  /** What was written, only when it differs from `changes` (a conflict time restamped with the write's). */
  written?: Change[];
  reason: string;
  note: string;
  result: 'applied' | 'stale' | 'failed' | 'recorded';
  /** `gc`: written through Gas City's commands, each in `calls`; absent for gc-tui's own locked file write. */
  via?: 'gc';
  /** Why a write through gc was stale or failed: the call and its answer. */
  why?: string;
  calls?: GcCallRecord[];
  /**
   * `unverified`: a line a killed write left pending, appended by the next write when it could not tell whether the
   * write it belongs to landed (another writer replaced the file since; audit.ts recoverPendingAudit).
   */
  recovered?: 'unverified';
}
