// Gas City's tokens beside the beads, read as its file store decodes them (internal/beads/filestore.go
// fileData): `revisions` and `fences` are Go `map[string]int64`, `revisions_sealed` a Go `bool`. encoding/json
// stores a null map value as the map's zero value (0: a bump makes it 1), reads a null map or a null bool as
// none (empty, false), and fails the whole load on any other JSON type, on a number with a fraction, and on an
// integer beyond int64. So do we, at load, for a city's beads.json and for a store file that carries them:
// check and apply then agree (a value a bump could not take is refused before anything is planned).
import { isGoInt } from './bead-check.js';
import { describeValue, formatJsonPath } from './json-path.js';
import { InputError } from '../types.js';

/** The top-level keys Gas City decodes as map[string]int64. */
const TOKEN_MAPS = ['revisions', 'fences'] as const;

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
      if (v !== null && !isGoInt(v))
        throw new InputError(
          file,
          formatJsonPath([key, id]),
          `must be an integer Gas City can read (a Go int64: no fraction or exponent, within ±2^63) or null, got ${describeValue(v)}`,
        );
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
