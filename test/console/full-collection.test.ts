import { describe, expect, it } from 'vitest';
import { compactingCollection } from '../../src/console/full-collection.js';

describe('compactingCollection', () => {
  it('collects under --optimize-for-size and sets it back off after, even when the collection throws', () => {
    const seen: string[] = [];
    const run = compactingCollection(
      () => seen.push('collect'),
      (f) => seen.push(f),
    );
    run!();
    expect(seen).toEqual(['--optimize-for-size', 'collect', '--no-optimize-for-size']);
    seen.length = 0;
    const failing = compactingCollection(
      () => {
        throw new Error('no');
      },
      (f) => seen.push(f),
    );
    expect(() => failing!()).toThrow('no');
    expect(seen).toEqual(['--optimize-for-size', '--no-optimize-for-size']);
  });

  it('is null when V8’s collection cannot be had', () => {
    expect(compactingCollection(null)).toBeNull();
  });
});
