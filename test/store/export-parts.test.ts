// Issue 9: export writes a big csv or json snapshot a part at a time, and the csv reads the few detail fields
// it needs from the plan's session table; the text stays what it was.
import { describe, expect, it } from 'vitest';
import { plan, type State } from '../../src/engine/index.js';
import { emitJson, stringifyJson } from '../../src/store/formats/json-text.js';
import { emitCsv, exportJsonDocument, renderCsv } from '../../src/store/output/export.js';
import type { Loaded } from '../../src/store/types.js';
// @ts-expect-error -- a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';

const NOW = new Date('2026-05-06T02:13:00Z');

function generated(beads: number, seed: number): Loaded {
  const doc = generateStore({ beads, seed }) as { city: State['city']; beads: State['beads']; seq?: number };
  return { source: { kind: 'store', path: '/city/store.json' }, state: { city: doc.city, beads: doc.beads, decisions: [] }, files: [] };
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
