// Issue 9: export writes a big csv or json snapshot a part at a time, and the csv reads the few detail fields
// it needs from the plan's session table; the text stays what it was. A json snapshot or import written to a file
// (--out) goes to its temp file a part at a time too, checked before its first byte.
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan, type State } from '../../src/engine/index.js';
import { writeFileAtomic } from '../../src/store/fs/atomic-file.js';
import { checkObject, writePlanFile } from '../../src/commands/plan.js';
import { emitJson, escapeJsonText, JsonNumberText, stringifyJson, type JsonLayout } from '../../src/store/formats/json-text.js';
import { writeStoreDocument } from '../../src/store/formats/load-store.js';
import { emitCsv, exportJsonDocument, renderCsv, storeDocumentOf } from '../../src/store/output/export.js';
import { InputError, type Loaded } from '../../src/store/types.js';
import { tempDir } from '../support/files.js';
// @ts-expect-error -- a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';

const NOW = new Date('2026-05-06T02:13:00Z');

function generated(beads: number, seed: number, extra?: Record<string, unknown>): Loaded {
  const doc = generateStore({ beads, seed }) as { city: State['city']; beads: State['beads']; seq?: number };
  return {
    source: { kind: 'store', path: '/city/store.json' },
    state: { city: doc.city, beads: doc.beads, decisions: [] },
    files: [],
    ...(extra ? { extra } : {}),
  };
}

function collect(run: (emit: (part: string) => void) => void): string[] {
  const parts: string[] = [];
  run((part) => parts.push(part));
  return parts;
}

describe('export in parts', () => {
  it.each([1, 2])('csv of a generated city (seed %i): the same text whether the plan built its detail record or not', (seed) => {
    const loaded = generated(3000, seed);
    const cheap = plan(loaded.state, NOW);
    const built = plan(loaded.state, NOW);
    expect(Object.keys(built.detail.beads).length).toBeGreaterThan(1000); // the record every BeadInfo is read from
    const text = renderCsv(loaded, cheap);
    expect(text).toBe(renderCsv(loaded, built));
    const parts = collect((emit) => emitCsv(emit, loaded, cheap));
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.join('')).toBe(text);
    const rows = text.split('\n');
    expect(rows.some((r) => r.includes(',incumbent,'))).toBe(true);
    expect(rows.some((r) => r.includes(',duplicate,'))).toBe(true);
  });

  it('json of a generated city: the parts are stringifyJson of the export document', () => {
    const loaded = generated(3000, 3);
    const p = plan(loaded.state, NOW);
    const doc = exportJsonDocument(loaded, p, NOW);
    const parts = collect((emit) => emitJson(emit, doc));
    expect(parts.length).toBeGreaterThan(6);
    expect(parts.join('')).toBe(stringifyJson(doc));
  });
});

describe('a file written a part at a time (writeFileAtomic of TextParts)', () => {
  it('each part is in the temp file beside the target as soon as it is written; the file ends as their concatenation, its mode kept', () => {
    const dir = tempDir();
    const file = join(dir, 'snap.json');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    const seen: string[] = [];
    writeFileAtomic(file, (write) => {
      write('{"a":');
      const temps = readdirSync(dir).filter((n) => n.endsWith('.tmp'));
      expect(temps).toHaveLength(1);
      seen.push(readFileSync(join(dir, temps[0]), 'utf8'));
      expect(readFileSync(file, 'utf8')).toBe('old'); // the target is replaced only at the end
      write('"→"}\n');
    });
    expect(seen).toEqual(['{"a":']);
    expect(readFileSync(file, 'utf8')).toBe('{"a":"→"}\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['snap.json']);
  });

  it('parts that fail midway leave no temp file, and the file as it was (or none)', () => {
    const dir = tempDir();
    const file = join(dir, 'snap.json');
    const failing = (write: (part: string) => void) => {
      write('{"half":');
      throw new Error('no more');
    };
    expect(() => writeFileAtomic(file, failing)).toThrow(`${file}: cannot write: no more`);
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(file, 'old');
    expect(() => writeFileAtomic(file, failing)).toThrow(InputError);
    expect(readdirSync(dir)).toEqual(['snap.json']);
    expect(readFileSync(file, 'utf8')).toBe('old');
  });

  it('a link or a directory at the target is refused before any part is made', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'precious'), 'keep');
    symlinkSync(join(dir, 'precious'), join(dir, 'link.json'));
    mkdirSync(join(dir, 'sub.json'));
    let made = 0;
    const parts = (write: (part: string) => void) => {
      made++;
      write('x');
    };
    expect(() => writeFileAtomic(join(dir, 'link.json'), parts)).toThrow(/is a symbolic link/);
    expect(() => writeFileAtomic(join(dir, 'sub.json'), parts)).toThrow(/is a directory/);
    expect(made).toBe(0);
    expect(readFileSync(join(dir, 'precious'), 'utf8')).toBe('keep');
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'precious', 'sub.json']);
  });
});

describe('writeStoreDocument (export --format json --out, import --out)', () => {
  // A fresh snapshot: 2-space indent, LF, a final newline (what stdout gets), whatever a file already there held.
  const layout: JsonLayout = { indent: '  ', finalNewline: true };
  const existing: [string, string | null][] = [
    ['a new file', null],
    ['a compact file', '{"x":1}'],
    ['a file saved on Windows with a byte order mark', '\ufeff{\r\n\t"x": 1\r\n}\r\n'],
  ];

  it.each(existing)('writes stringifyJson of the document as stdout gets it, over %s, big seq or not', async (_, before) => {
    for (const extra of [undefined, { seq: new JsonNumberText('9007199254740993') }]) {
      const loaded = generated(3000, 4, extra);
      const doc = exportJsonDocument(loaded, plan(loaded.state, NOW), NOW);
      const dir = tempDir();
      const file = join(dir, 'snap.json');
      if (before !== null) writeFileSync(file, before);
      await writeStoreDocument(file, doc);
      // Compared as a boolean: a failed comparison of 3000 beads' text would spend minutes on its diff.
      expect(readFileSync(file, 'utf8') === stringifyJson(doc, layout)).toBe(true);
      expect(readdirSync(dir)).toEqual(['snap.json']);
    }
  });

  it('a document that would not read back valid writes nothing, and the error names the file and the place', async () => {
    const loaded = generated(3000, 5);
    const beads = loaded.state.beads;
    const dup = { ...loaded, state: { ...loaded.state, beads: [...beads, { ...beads[17] }] } };
    const dir = tempDir();
    const file = join(dir, 'snap.json');
    await expect(writeStoreDocument(file, storeDocumentOf(dup))).rejects.toThrow(
      `${file}: beads[3000].id: duplicate bead id ${JSON.stringify(beads[17].id)} (first at beads[17].id)`,
    );
    expect(readdirSync(dir)).toEqual([]);
    // The document itself would pass (seq is a number text), but its text reads back as 1.1, not an integer.
    writeFileSync(file, 'old');
    await expect(writeStoreDocument(file, { ...storeDocumentOf(loaded), seq: new JsonNumberText('1.10') })).rejects.toThrow(
      `${file}: seq: must be an integer ≥ 0 or null`,
    );
    expect(readdirSync(dir)).toEqual(['snap.json']);
    expect(readFileSync(file, 'utf8')).toBe('old');
  });
});

describe('a saved plan (plan --out, check --out)', () => {
  it('is the text JSON.stringify makes of check --json plus rules and input, controls escaped, written a part at a time', () => {
    const loaded = generated(3000, 4);
    // A raw DEL, C1, line separator and bidi control, and a character beyond Latin-1, in repairs' befores and reasons.
    const odd = loaded.state.beads.filter((b) => b.metadata?.alias).slice(0, 20);
    for (const b of odd) b.metadata!.alias += '\u007f\u0085\u2028\u202e→';
    const p = plan(loaded.state, NOW);
    const rules = { edition: '2026-05' as const, why: 'the default' };
    const file = join(tempDir(), 'plan.json');
    writePlanFile(file, loaded, p, 'sha256:00', rules);
    const text = readFileSync(file, 'utf8');
    const input = { source: { kind: 'store', path: '/city/store.json' }, fingerprint: 'sha256:00' };
    expect(text.length).toBeGreaterThan(4 << 16); // several parts
    expect(text).toBe(escapeJsonText(JSON.stringify({ ...checkObject(p), rules, input }, null, 2)) + '\n');
    expect(text).toContain('\\u007f\\u0085\\u2028\\u202e→');
    expect(text).not.toMatch(/[\u007f\u0085\u2028\u202e]/);
  });
});
