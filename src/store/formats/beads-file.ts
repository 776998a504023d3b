// Gas City's file store, `<city>/.gc/beads.json`: `{ seq, beads: [...], deps?, revisions?, fences?, ... }`.
// We read it the way Gas City does (metadata values coerced to strings) but keep the raw document, so a
// write touches only the fields a repair changes and every key we do not understand survives as found.
import { readFileSync } from 'node:fs';
import type { Bead, Metadata } from '../../engine/types.js';
import { errnoCode, inputErrorFromFs } from '../fs/fs-errors.js';
import { describeValue, formatJsonPath } from './json-path.js';
import { JsonNumberText, parseJsonFile } from './json-text.js';
import { beadsFileSchema, describeIssues, summarizeProblems } from './schema.js';
import { InputError } from '../types.js';

export interface BeadsFile {
  /** The document as parsed; the only thing ever written back (with repaired fields patched in). */
  raw: Record<string, unknown>;
  /** Decoded beads for the engine: copies of the raw beads with string metadata. */
  beads: Bead[];
  /** False when the file did not exist (an empty store). */
  existed: boolean;
}

function coerce(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof JsonNumberText) return v.text;
  return JSON.stringify(v);
}

/** As Gas City decodes bd-written metadata: numbers and booleans become their string form. */
export function coerceMetadata(m: Record<string, unknown>): Metadata {
  const out: Metadata = {};
  for (const [k, v] of Object.entries(m)) out[k] = coerce(v);
  return out;
}

export function decodeBeadsDocument(data: unknown, file: string): BeadsFile {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(file, '(top level)', `must be a JSON object {"seq", "beads": [...]}, got ${describeValue(data)}`);
  }
  const result = beadsFileSchema.safeParse(data);
  if (!result.success) {
    const { place, detail } = summarizeProblems(describeIssues(data, result.error.issues));
    throw new InputError(file, place, detail);
  }
  const raw = data as Record<string, unknown>;
  const rawBeads = (raw.beads ?? []) as Record<string, unknown>[];
  const seen = new Map<string, number>();
  const beads = rawBeads.map((b, i) => {
    const id = b.id as string;
    const first = seen.get(id);
    if (first !== undefined) throw new InputError(file, formatJsonPath(['beads', i, 'id']), `duplicate bead id ${JSON.stringify(id)} (first at ${formatJsonPath(['beads', first, 'id'])})`);
    seen.set(id, i);
    const bead = { ...b } as Bead;
    if (b.metadata !== undefined) bead.metadata = coerceMetadata(b.metadata as Record<string, unknown>);
    return bead;
  });
  return { raw, beads, existed: true };
}

export function parseBeadsText(text: string, file: string): BeadsFile {
  return decodeBeadsDocument(parseJsonFile(text, file), file);
}

/** Read `.gc/beads.json`; a missing file is an empty store (a new city, or one whose beads live in bd). */
export function readBeadsFile(file: string): BeadsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return { raw: { seq: 0, beads: [] }, beads: [], existed: false };
    throw inputErrorFromFs(file, e);
  }
  return parseBeadsText(text, file);
}
