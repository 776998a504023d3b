// A key named twice in one bead of `.gc/beads.json`, the second a `null`: `{"assignee": "worker-1", …,
// "assignee": null}`. Go's decoder applies both in turn, and a JSON null sets only a pointer, slice, map or interface
// (to nil): into a string, a bool or a time.Time it sets nothing (`encoding/json` literalStore; time.Time's
// UnmarshalJSON takes "null" as a no-op). So Gas City's Bead (`internal/beads/beads.go`) keeps "worker-1", where
// JSON.parse keeps the last value, null, which gc-tui reads as "" (an unassigned bead). Such beads are read as Go
// reads them: each such key takes its last value that is not null. Only a file with a null in one of these fields
// (Go writes none: those fields are strings it writes as strings, or omitted) pays for the look at its text.
// A capture of bd's or gc's list (`--beads`, beads-capture.ts) is read the same way: gc decodes bd's output into
// its bdIssue, whose fields are Go strings and a time.Time, with the same decoder.
import { isGoTime } from './bead-check.js';
import { beadSpans, COMMA, items, objectEnd, RBRACE, skipSpace, skipValue } from './bead-spans.js';
import { beadsArrayAt, memberKey } from './go-int-literals.js';
import { formatJsonPath } from './json-path.js';
import { duplicateKeyError, jsonSyntaxInputError } from './json-text.js';
import type { BeadsFile } from './beads-file.js';
import type { Bead } from '../../engine/types.js';
import { InputError } from '../types.js';

/** Bead fields whose Go type a null leaves as it was, and what that type takes. `id` is not here: a null id is refused. */
const NULL_KEEPS: Readonly<Record<string, 'string' | 'time' | 'bool'>> = {
  title: 'string',
  status: 'string',
  issue_type: 'string',
  assignee: 'string',
  from: 'string',
  parent: 'string',
  ref: 'string',
  description: 'string',
  close_reason: 'string',
  created_at: 'time',
  updated_at: 'time',
  ephemeral: 'bool',
  no_history: 'bool',
};

/** Whether `b` has a null in one of NULL_KEEPS: fields tested inline (a loop over the key names took 100 ms and more at 100 000 beads). */
function hasKeptNull(b: Record<string, unknown>): boolean {
  const text = b.title === null || b.status === null || b.issue_type === null || b.assignee === null || b.from === null;
  const more = b.parent === null || b.ref === null || b.description === null || b.close_reason === null;
  return text || more || b.created_at === null || b.updated_at === null || b.ephemeral === null || b.no_history === null;
}

function goTakes(type: 'string' | 'time' | 'bool', v: unknown): boolean {
  if (type === 'bool') return typeof v === 'boolean';
  return typeof v === 'string' && (type === 'string' || isGoTime(v));
}

/**
 * Per key of `bead` whose parsed value is null and that Go reads otherwise: the text of its last value that is not
 * null, in the bead's object text opening at `at`; null when the bead has none (or its text is unusual).
 */
function keptValues(s: string, at: number, bead: Record<string, unknown>): Map<string, string> | null {
  let kept: Map<string, string> | null = null;
  let i = skipSpace(s, at + 1);
  if (s.charCodeAt(i) === RBRACE) return null;
  for (;;) {
    const member = memberKey(s, i);
    if (!member) return kept;
    const { key, value } = member;
    const end = skipValue(s, value);
    if (end < 0) return kept;
    if (bead[key] === null && Object.hasOwn(NULL_KEEPS, key)) {
      const text = s.slice(value, end);
      if (text !== 'null') (kept ??= new Map()).set(key, text);
    }
    const after = skipSpace(s, end);
    if (s.charCodeAt(after) !== COMMA) return kept;
    i = skipSpace(s, after + 1);
  }
}

/**
 * The fields of bead `index` (`raw`, its object text opening at `at` in `text`) that name a field twice, the later
 * null, as Gas City reads them; null when none. Refused when such a value is one Go's decoder refuses (it fails on
 * it); the place is `beads[index].key`.
 */
function keptFields(text: string, at: number, raw: Record<string, unknown>, index: number, file: string): Record<string, unknown> | null {
  const kept = keptValues(text, at, raw);
  if (!kept) return null;
  const out: Record<string, unknown> = {};
  for (const [key, valueText] of kept) {
    const value: unknown = JSON.parse(valueText);
    if (!goTakes(NULL_KEEPS[key], value))
      throw new InputError(
        file,
        formatJsonPath(['beads', index, key]),
        `named twice in this bead, the second null: Gas City reads the first (a null leaves a Go ${NULL_KEEPS[key]} as it was), ` +
          `and ${valueText} is no ${NULL_KEEPS[key]} to it, so it cannot read the file: keep one ${JSON.stringify(key)}`,
      );
    out[key] = value;
  }
  return out;
}

/** The indexes of the beads of `raw` with a null in one of NULL_KEEPS. */
function flaggedBeads(raw: readonly unknown[]): number[] {
  const flagged: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b !== null && typeof b === 'object' && !Array.isArray(b) && hasKeptNull(b as Record<string, unknown>)) flagged.push(i);
  }
  return flagged;
}

/** Text too unusual to find the beads in: a key named twice anywhere is refused, so no such bead is misread. */
function refuseAnyDuplicate(text: string, file: string): void {
  const e = duplicateKeyError(text);
  if (e) throw jsonSyntaxInputError(file, e);
}

/**
 * `decoded` (the beads of `text`, the file's whole text) with each bead that names a field twice, the later null,
 * holding the value Gas City reads there; refused when that value is one Go's decoder refuses (it fails on it).
 */
export function keepUnderNulls(decoded: BeadsFile, text: string, file: string): BeadsFile {
  const raw = (decoded.raw.beads ?? []) as Record<string, unknown>[];
  const flagged = flaggedBeads(raw);
  if (flagged.length === 0) return decoded;
  const spans = beadSpans(text);
  if (!spans) {
    refuseAnyDuplicate(text, file);
    return decoded;
  }
  let beads: Bead[] | null = null;
  for (const i of flagged) {
    const kept = keptFields(text, spans.starts[i], raw[i], i, file);
    if (kept) (beads ??= decoded.beads.slice())[i] = { ...decoded.beads[i], ...kept } as Bead;
  }
  return beads ? { ...decoded, beads } : decoded;
}

/**
 * The items of a capture's beads array (`list`, parsed from `text`: the document itself when `arrayKey` is null,
 * else its top-level member `arrayKey`) with each bead that names a field twice, the later null, holding the value
 * gc reads there (as keepUnderNulls); before anything else reads them. Places name `beads[i]` (the caller's to
 * reword).
 */
export function keepCaptureUnderNulls(list: unknown[], text: string, arrayKey: string | null, file: string): unknown[] {
  const flagged = flaggedBeads(list);
  if (flagged.length === 0) return list;
  const open = beadsArrayAt(text, arrayKey);
  const spans = open < 0 ? null : items(text, open, objectEnd);
  if (!spans || spans.starts.length !== list.length) {
    refuseAnyDuplicate(text, file);
    return list;
  }
  let out: unknown[] | null = null;
  for (const i of flagged) {
    const bead = list[i] as Record<string, unknown>;
    const kept = keptFields(text, spans.starts[i], bead, i, file);
    if (kept) (out ??= list.slice())[i] = { ...bead, ...kept };
  }
  return out ?? list;
}
