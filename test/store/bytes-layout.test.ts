// A write that splices the bytes it read takes the file's layout from the bytes (bytes-layout.ts), without decoding
// all of them: it must be the layout detectJsonLayout reads in the whole text, whatever the file holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutOfBytes } from '../../src/store/formats/bytes-layout.js';
import { detectJsonLayout } from '../../src/store/formats/json-text.js';
import { PROPERTY_RUNS } from '../support/runs.js';

// Pieces that move what detectJsonLayout looks at: brackets, line breaks, indents, a BOM, multi-byte and broken UTF-8.
const piece = fc.oneof(
  fc.constantFrom('{', '[', '\n', '\r\n', ' ', '  ', '\t', '\ufeff', 'é', '😀', '"a": 1', ',', '}', ']', 'x').map((s) => Buffer.from(s)),
  fc.uint8Array({ minLength: 1, maxLength: 3 }).map((a) => Buffer.from(a.map((x) => x | 0x80))),
);
/** Long stretches, so that files pass the size under which the bytes are simply decoded whole. */
const filler = fc
  .tuple(fc.constantFrom('a', 'é', '😀', ' ', '\n'), fc.integer({ min: 0, max: 3000 }))
  .map(([s, n]) => Buffer.from(s.repeat(n)));

describe('the layout of a file read from its bytes', () => {
  it('is the layout of its whole text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, filler), { maxLength: 12 }), (parts) => {
        const bytes = Buffer.concat(parts);
        expect(layoutOfBytes(bytes)).toEqual(detectJsonLayout(bytes.toString('utf8')));
      }),
      { numRuns: PROPERTY_RUNS * 20 },
    );
  });

  it('of a large store: compact or indented, with or without a final newline, CRLF and a BOM', () => {
    const doc = { schema: 'gc-tui/1', city: {}, beads: Array.from({ length: 400 }, (_, i) => ({ id: `b${i}`, title: 'é😀' })) };
    for (const indent of [0, 2, 4, '\t'])
      for (const bom of ['', '\ufeff'])
        for (const end of ['', '\n'])
          for (const crlf of [false, true]) {
            let text = bom + JSON.stringify(doc, null, indent) + end;
            if (crlf) text = text.replace(/\n/g, '\r\n');
            const bytes = Buffer.from(text, 'utf8');
            expect(bytes.length).toBeGreaterThan(4096);
            expect(layoutOfBytes(bytes)).toEqual(detectJsonLayout(text));
          }
  });
});
