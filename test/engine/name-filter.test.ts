// The name index's filter: a shortcut that must never turn away a name it holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameFilter, sampleOf } from '../../src/engine/name-filter.js';

// Names as a store holds them: generated identities and ids, and any text at all (astral characters included).
const nameArb = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom('a', '-', '\u00e9', '\ud83d', '\ude00', '\uffff'), maxLength: 8 }),
  fc.tuple(fc.constantFrom('backend/builder-', 'ops/polecat-', 's-gx-', 'gx-'), fc.nat(999_999)).map(([p, n]) => p + n.toString(36)),
);

describe('name filter', () => {
  it('never turns away a name it holds', () => {
    fc.assert(
      fc.property(fc.array(nameArb, { maxLength: 200 }), (names) => {
        const filter = new NameFilter();
        for (const n of names) filter.add(n);
        // The same text as another string object, as a bead's field is to an assignee.
        for (const n of names) expect(filter.mayHold(n.split('').join(''))).toBe(true);
        // A sample taken before the names were known (the plan's first pass) answers as the string would.
        for (const n of names) expect(filter.mayHoldSample(sampleOf(n.split('').join('')))).toBe(true);
      }),
    );
  });

  it('turns away most generated names it does not hold', () => {
    const filter = new NameFilter();
    for (let s = 1; s <= 5000; s++) filter.add(`s-gx-${(s * 7919).toString(36).padStart(6, '0')}`);
    let passed = 0;
    for (let s = 1; s <= 5000; s++) if (filter.mayHold(`backend/builder-${s}`)) passed++;
    expect(passed).toBeLessThan(1000);
  });

  it('lists the places of the samples it may hold, in order, passing over the places of no name', () => {
    fc.assert(
      fc.property(fc.array(nameArb, { maxLength: 50 }), fc.array(fc.option(nameArb), { maxLength: 80 }), (held, asked) => {
        const filter = new NameFilter();
        for (const n of held) filter.add(n);
        const samples = Int32Array.from(asked, (n) => (n === null ? -1 : sampleOf(n)));
        const places = asked.flatMap((n, k) => (n !== null && filter.mayHold(n) ? [k] : []));
        expect(filter.heldPlaces(samples)).toEqual(places);
      }),
    );
  });

  it('answers by a sample as by the string', () => {
    fc.assert(
      fc.property(fc.array(nameArb, { maxLength: 50 }), fc.array(nameArb, { maxLength: 50 }), (held, asked) => {
        const filter = new NameFilter();
        for (const n of held) filter.add(n);
        for (const n of asked) expect(filter.mayHoldSample(sampleOf(n))).toBe(filter.mayHold(n));
      }),
    );
  });
});
