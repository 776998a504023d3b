// Gas City's tokens beside the beads, read as its file store decodes them (internal/beads/filestore.go
// fileData): `revisions` and `fences` are Go `map[string]int64`, `revisions_sealed` a Go `bool`. encoding/json
// stores a null map value as the map's zero value (0: a bump makes it 1), reads a null map or a null bool as
// none (empty, false), and fails the whole load on any other JSON type, on a number with a fraction, and on an
// integer beyond int64. So do we, at load, for a city's beads.json and for a store file that carries them:
// check and apply then agree (a value a bump could not take is refused before anything is planned).
// An integer written with a fraction or an exponent (`7.0`, `1e2`) is refused as Go's decoder refuses it into an
// int64, though JSON.parse reads it as 7 or 100: only the text tells, so a document whose maps hold any value has
// its maps' text looked at (inexactToken).
import { isGoInt, isGoIntText } from './bead-check.js';
import { COLON, LBRACE, RBRACE, skipSpace, skipValue } from './bead-spans.js';
import { escapesALetter, memberKey, nextMember, topMemberAt } from './go-int-literals.js';
import { describeValue, formatJsonPath } from './json-path.js';
import { JsonNumberText } from './json-text.js';
import { InputError } from '../types.js';

/** The top-level keys Gas City decodes as map[string]int64. */
const TOKEN_MAPS = ['revisions', 'fences'] as const;

const TOKEN_MSG = 'must be an integer Gas City can read (a Go int64: no fraction or exponent, within ±2^63) or null';

/** A token written as a number Go's int64 does not take: its map, its bead id and its text. */
export interface InexactToken {
  key: (typeof TOKEN_MAPS)[number];
  id: string;
  literal: string;
}

/** Whether `v` is an object holding at least one key (a token map with something to look at). */
function holdsAny(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  for (const _ in v as object) return true;
  return false;
}

/** A digit then a fraction or an exponent: what a token Go's int64 refuses holds, and what most token maps never do. */
const FRACTION_OR_EXPONENT = /[0-9][.eE]/;

/**
 * Whether an object named `"revisions"` or `"fences"` anywhere in `text` holds a digit then a fraction or an exponent:
 * native searches for the names, and each object found skipped structurally (a bead id holding `}` ends nothing);
 * or whether a name may be spelled with `\u` escapes, which those searches miss (escapesALetter).
 * A hint only: a key or a value elsewhere may hold it too, so inexactToken then walks the top level to be sure.
 */
function hinted(text: string): boolean {
  for (const key of TOKEN_MAPS) {
    const name = `"${key}"`;
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      const colon = skipSpace(text, at + name.length);
      if (text.charCodeAt(colon) !== COLON) continue;
      const open = skipSpace(text, colon + 1);
      if (text.charCodeAt(open) !== LBRACE) continue;
      const end = skipValue(text, open);
      if (end > open && FRACTION_OR_EXPONENT.test(text.slice(open, end))) return true;
    }
  }
  return escapesALetter(text);
}

/**
 * The first token of `text`'s top-level `revisions` or `fences` (`doc`, parsed from it) written as a number with a
 * fraction or an exponent, or null. Nothing is searched when `doc`'s maps hold nothing; the top level is walked only
 * when hinted finds such a number in one of them.
 */
export function inexactToken(doc: unknown, text: string): InexactToken | null {
  if (doc === null || typeof doc !== 'object') return null;
  const top = doc as Record<string, unknown>;
  if (!holdsAny(top.revisions) && !holdsAny(top.fences)) return null;
  if (!hinted(text)) return null;
  for (const key of TOKEN_MAPS) {
    const open = topMemberAt(text, key);
    if (open < 0 || text.charCodeAt(open) !== LBRACE) continue;
    let j = skipSpace(text, open + 1);
    if (text.charCodeAt(j) === RBRACE) continue;
    while (j >= 0) {
      const t = memberKey(text, j);
      if (!t) return null;
      const end = skipValue(text, t.value);
      if (end < 0) return null;
      const literal = text.slice(t.value, end);
      const c = literal.charCodeAt(0);
      if ((c === 45 || (c >= 48 && c <= 57)) && !isGoIntText(literal)) return { key, id: t.key, literal };
      j = nextMember(text, end);
    }
  }
  return null;
}

/** Refuse `text` (the document `doc`, read from `file`) when inexactToken finds a token Go's int64 does not take. */
export function assertTokenLiterals(doc: unknown, text: string, file: string): void {
  const bad = inexactToken(doc, text);
  if (bad) throw new InputError(file, formatJsonPath([bad.key, bad.id]), `${TOKEN_MSG}, got number ${bad.literal}`);
}

/**
 * What a refused token holds: an integer past int64 is said to be so (describeValue's "beyond 2^53" is about JS numbers,
 * and a token between 2^53 and 2^63 is fine).
 */
function tokenValue(v: unknown): string {
  return v instanceof JsonNumberText && /^-?[0-9]+$/.test(v.text) ? `number ${v.text}, beyond a Go int64 (±2^63)` : describeValue(v);
}

/**
 * Refuse a document (`top`, from `file`) whose `revisions` or `fences` Gas City could not decode: a map that is
 * not an object (nor null), or a value that is neither an integer within int64 nor null; and a `revisions_sealed`
 * that is not a boolean (nor null). One loop over each map's values, nothing allocated.
 */
export function assertTokenMaps(top: Record<string, unknown>, file: string): void {
  for (const key of TOKEN_MAPS) {
    const map = top[key];
    if (map === undefined || map === null) continue;
    if (typeof map !== 'object' || Array.isArray(map))
      throw new InputError(
        file,
        formatJsonPath([key]),
        `must be an object of bead id → integer (Gas City reads it as a Go map[string]int64) or null, got ${describeValue(map)}`,
      );
    const m = map as Record<string, unknown>;
    for (const id in m) {
      const v = m[id];
      if (v !== null && !isGoInt(v)) throw new InputError(file, formatJsonPath([key, id]), `${TOKEN_MSG}, got ${tokenValue(v)}`);
    }
  }
  const sealed = top.revisions_sealed;
  if (sealed !== undefined && sealed !== null && typeof sealed !== 'boolean')
    throw new InputError(
      file,
      formatJsonPath(['revisions_sealed']),
      `must be true, false or null (a Go bool), got ${describeValue(sealed)}`,
    );
}
