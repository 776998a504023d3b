// Beads that do not live in `.gc/beads.json`: a capture the operator made (`--beads FILE`, `-` for stdin) or the
// output of Gas City's own read command, run by gc-tui when `gc` is on PATH. Shapes accepted (gascity-formats.md
// §1.3): bd's flat `bd list --json` array, gc's `{"issues": [...]}`, `gc beads list --format=json` (a flat
// array, or `{"beads": [...], "_cache_age_s": N}` through the controller's API), bd's opt-in envelope
// `{"schema_version": 1, "data": [...]}`, and a file store document `{"seq", "beads": [...]}`.
// bd's statuses other than `in_progress` and `closed` are read as `open`, as gc maps them; those bd's ready work
// never holds (blocked, pinned, hooked, review, a deferral with no defer_until) are marked not ready
// (`is_blocked: true`), so that they are not new demand (2026-08).
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Bead } from '../../engine/types.js';
import { inputErrorFromFs } from '../fs/fs-errors.js';
import { formatBytes, maxDataBytes, readRegularFile } from '../fs/read-bounded.js';
import { sanitize } from '../output/sanitize.js';
import { bdOptionalBool, isGoTime } from './bead-check.js';
import { assertGoIntLiterals, decodeBeadsDocument } from './beads-file.js';
import { describeValue } from './json-path.js';
import { parseJsonFile } from './json-text.js';
import { keepCaptureUnderNulls } from './null-keeps.js';
import { spawnGc } from '../gc/spawn.js';
import { InputError } from '../types.js';

/** The command that lists a city's session beads, every store and closed ones too. */
export const GC_SESSIONS_ARGS = ['beads', 'list', '--label', 'gc:session', '--all', '--format=json'] as const;
/** The command that lists the beads that are not closed (the work the rules read: routes, assignees, demand). */
export const GC_OPEN_ARGS = ['beads', 'list', '--format=json'] as const;
/** What an operator runs to capture a city's session beads for `--beads`. */
export const CAPTURE_COMMAND = `gc ${GC_SESSIONS_ARGS.join(' ')} > beads.json`;

const GC_STATUSES = new Set(['open', 'in_progress', 'closed']);

const LIST_KEYS = ['issues', 'beads', 'data'] as const;

/**
 * The beads array of a capture, and the JSON path it sits at (for error places). A `null` list is no beads: Go
 * writes an empty list it never filled (a nil slice) as `null`, as `gc beads list --label gc:session --format=json`
 * through the controller does for a city with no session bead yet (`{"beads": null, "_cache_age_s": 0.4}`).
 */
function beadsArrayOf(data: unknown, file: string): { list: unknown[]; at: string | null } {
  if (Array.isArray(data)) return { list: data, at: null };
  if (data === null) return { list: [], at: null };
  if (typeof data === 'object') {
    const doc = data as Record<string, unknown>;
    for (const key of LIST_KEYS) if (Array.isArray(doc[key])) return { list: doc[key], at: key };
    for (const key of LIST_KEYS) if (doc[key] === null) return { list: [], at: key };
  }
  throw new InputError(
    file,
    '(top level)',
    `must be bd's \`bd list --json\` array, gc's {"issues": [...]} or \`gc beads list --format=json\` output, got ${describeValue(data)}`,
  );
}

/** Whether a bead carries a `defer_until` (its own field, else its metadata's), as the demand rule reads it. */
function hasDeferUntil(b: Record<string, unknown>): boolean {
  const md = b.metadata;
  const inMetadata = md !== null && typeof md === 'object' ? (md as Record<string, unknown>).defer_until : undefined;
  return (typeof b.defer_until === 'string' && b.defer_until !== '') || (typeof inMetadata === 'string' && inMetadata !== '');
}

const TIME_FIELDS = ['created_at', 'updated_at', 'defer_until'] as const;

/**
 * A capture's bead with a time text Go cannot parse read as having no such time. A capture is what bd or gc printed,
 * so its times were Go's own when printed; one that does not parse was changed since, as Gas City's test corpus
 * replaces every time by "<TS>" (a bead file Gas City reads itself is refused for it: bead-check.ts).
 */
function withoutUnreadableTimes(bead: Record<string, unknown>): Record<string, unknown> {
  let out = bead;
  for (const k of TIME_FIELDS) {
    const v = bead[k];
    if (typeof v !== 'string' || isGoTime(v)) continue;
    if (out === bead) out = { ...bead };
    delete out[k];
  }
  return out;
}

/**
 * A bead as gc reads bd's: a status gc does not know (blocked, deferred, hooked, pinned, ...) is `open`. bd's ready
 * work (the controller's demand) holds none of them but a deferral with a `defer_until`, ready once that has passed
 * (the demand rule judges it): the others are marked as bd's ready projection marks what it holds back,
 * `is_blocked: true` (gc: blocked, pinned and hooked are never ready; a deferral with no date is held
 * indefinitely, `IndefinitelyDeferred`).
 */
function asGcReads(b: unknown): unknown {
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return b;
  let bead = withoutUnreadableTimes(b as Record<string, unknown>);
  // bd's is_blocked as gc reads it (1, "yes": true); one gc cannot read stays, for the check to refuse.
  const blocked = bead.is_blocked;
  if (blocked !== undefined && blocked !== null && typeof blocked !== 'boolean') {
    const read = bdOptionalBool(blocked);
    if (read !== null) bead = { ...bead, is_blocked: read };
  }
  // A null status is "" to Go's decoder, mapped as "" is.
  const status = bead.status === null ? '' : bead.status;
  if (typeof status !== 'string' || GC_STATUSES.has(status)) return bead;
  const ready = status === 'deferred' && hasDeferUntil(bead);
  return ready ? { ...bead, status: 'open' } : { ...bead, status: 'open', is_blocked: true };
}

/** Decode a capture's text; errors name `file` and the JSON place in the capture (`issues[3].id`, `[0].metadata`). */
export function parseBeadsCapture(text: string, file: string): Bead[] {
  const data = parseJsonFile(text, file);
  const { list, at } = beadsArrayOf(data, file);
  try {
    // A field named twice, the later null, is read as gc's decoder reads it before anything else looks (null-keeps.ts).
    const read = keepCaptureUnderNulls(list, text, at, file);
    const { beads } = decodeBeadsDocument({ beads: read.map(asGcReads) }, file, 'capture', { text, arrayKey: at });
    assertGoIntLiterals(text, file, at, 'capture');
    return beads;
  } catch (e) {
    if (!(e instanceof InputError) || e.place === null) throw e;
    const inCapture = (place: string) => place.replace(/beads(?=\[|$)/g, (m, offset: number) => (offset === 0 ? (at ?? '') : m));
    const place = inCapture(e.place) || '(top level)';
    throw new InputError(
      file,
      place,
      e.detail.replace(/(\(first at |; next at )beads/g, (_, lead: string) => `${lead}${at ?? ''}`),
    );
  }
}

/** Merge bead lists: the first copy of an id wins (two reads of one store list a bead twice). */
export function mergeBeads(lists: Bead[][]): Bead[] {
  const seen = new Set<string>();
  const out: Bead[] = [];
  for (const list of lists) {
    for (const b of list) {
      if (seen.has(b.id)) continue;
      seen.add(b.id);
      out.push(b);
    }
  }
  return out;
}

// ---------------------------------------------------------------- --beads FILE | -

/** The name `-` (stdin) is shown as in messages. */
export const STDIN_NAME = '(stdin)';

let stdinText: string | null = null;

/** Standard input, read once per process (a plan re-reads its input; stdin cannot be read twice). */
export function readStdinOnce(): string {
  if (stdinText === null) {
    if (process.stdin.isTTY) {
      throw new InputError(
        STDIN_NAME,
        null,
        `--beads -: standard input is a terminal; pipe a capture in (${CAPTURE_COMMAND.replace(/ > .*$/, '')} | gc-tui ...)`,
      );
    }
    let buf: Buffer;
    try {
      buf = readFileSync(0);
    } catch (e) {
      throw inputErrorFromFs(STDIN_NAME, e);
    }
    if (buf.length > maxDataBytes())
      throw new InputError(STDIN_NAME, null, `is larger than ${formatBytes(maxDataBytes())} (GC_TUI_MAX_FILE_BYTES)`);
    stdinText = buf.toString('utf8');
  }
  return stdinText;
}

/** The bytes of a capture as read (for the fingerprint of a saved plan): stdin's as read once. */
export function captureBytes(name: string): Buffer {
  return name === '-' ? Buffer.from(readStdinOnce(), 'utf8') : readRegularFile(name);
}

/** Read the captures named by `--beads` (files, or `-`), merged in the order given. */
export function readCaptures(names: readonly string[]): Bead[] {
  return mergeBeads(
    names.map((n) => parseBeadsCapture(n === '-' ? readStdinOnce() : readRegularFile(n).toString('utf8'), n === '-' ? STDIN_NAME : n)),
  );
}

// ---------------------------------------------------------------- through gc

/** How long one `gc` call may take: GC_TUI_GC_TIMEOUT_MS (whole milliseconds), else 60 s. */
export function gcTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GC_TUI_GC_TIMEOUT_MS?.trim();
  if (raw && /^[0-9]+$/.test(raw)) {
    const v = Number(raw);
    if (Number.isSafeInteger(v) && v > 0) return v;
  }
  return 60_000;
}

/** The `gc` executable on PATH, or null. */
export function findGc(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue; // a relative PATH entry would run whatever the city holds
    const candidate = join(dir, 'gc');
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return null;
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? '';
  return sanitize(line.length > 200 ? `${line.slice(0, 200)}…` : line);
}

/** Run `gc <args>` in the city directory, bounded in time and output; its stdout, or an InputError saying what happened. */
async function runGc(gc: string, args: readonly string[], dir: string): Promise<{ text: string; name: string }> {
  const name = `gc ${args.join(' ')} (in ${dir})`;
  const timeout = gcTimeoutMs();
  const r = await spawnGc(gc, args, dir, timeout, maxDataBytes());
  if (r.stopped === 'timeout') throw new InputError(name, null, `took longer than ${timeout} ms (GC_TUI_GC_TIMEOUT_MS); stopped`);
  if (r.stopped === 'output')
    throw new InputError(name, null, `printed more than ${formatBytes(maxDataBytes())} (GC_TUI_MAX_FILE_BYTES); stopped`);
  if (r.error) throw new InputError(name, null, `could not be run: ${sanitize(r.error.message)}`);
  if (r.code !== 0) {
    const why = firstLine(r.stderr) || 'no message';
    throw new InputError(
      name,
      null,
      `exited ${r.code ?? `on ${r.signal}`}: ${why}; capture the beads yourself (${CAPTURE_COMMAND}) and pass --beads beads.json`,
    );
  }
  return { text: r.stdout, name };
}

/** The city's beads through Gas City's own read command: the session beads (closed too), then the open beads. */
export async function readThroughGc(gc: string, dir: string): Promise<Bead[]> {
  const lists: Bead[][] = [];
  for (const args of [GC_SESSIONS_ARGS, GC_OPEN_ARGS]) {
    const { text, name } = await runGc(gc, args, dir);
    try {
      lists.push(parseBeadsCapture(text, name));
    } catch (e) {
      // gc lists every store in one array without saying which store a bead is in: a repeat is two beads.
      if (e instanceof InputError && e.detail.startsWith('duplicate bead id'))
        throw new InputError(
          e.file,
          e.place,
          `${e.detail}: gc lists every store of the city without saying which one a bead is in, so an id in two stores cannot be told apart`,
        );
      throw e;
    }
  }
  return mergeBeads(lists);
}
