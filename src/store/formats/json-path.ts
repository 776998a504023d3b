// JSON paths as a person reads them: `beads[3].metadata.pool_slot`, `beads[0].metadata["gc.routed_to"]`.

export type PathPart = string | number;

export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out === '' ? '(top level)' : out;
}

export function valueAtPath(doc: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = doc;
  for (const part of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[part];
  }
  return v;
}

/** A short description of a JSON value for error messages: `number 4`, `an object`, `"x"`. */
/** A number kept as its text because no double holds it exactly: said why, so "must be a number" reads right. */
function numberText(text: string): string {
  const n = Number(text);
  if (!Number.isFinite(n)) return `number ${text}, beyond the range of a JSON number gc-tui can compute with`;
  return `number ${text}, an integer beyond 2^53 (not exact as a number)`;
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string': {
      const s = v.length > 40 ? `${v.slice(0, 40)}…` : v;
      return `string ${JSON.stringify(s)}`;
    }
    case 'number':
    case 'boolean':
      return `${typeof v} ${String(v)}`;
    case 'object':
      return v.constructor?.name === 'JsonNumberText' ? numberText((v as { text: string }).text) : 'an object';
    default:
      return typeof v;
  }
}
