// The contract's outputs keep their own order (CONTRACT.md: byte order of ids), not the file's: the same city written
// in id order, in Gas City's creation order (ids gc-1 … gc-N, gc-9 before gc-10) and shuffled gives the same bytes of
// `check --json`, csv and md, and the same json snapshot but for its beads, which are the store's own, as it lists them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO } from '../support/builders.js';
import { readJson, tempDir, write } from '../support/files.js';
import { shuffled } from '../engine/arbitraries.js';
import { run } from './cli-helpers.js';
// @ts-expect-error -- a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';

type Doc = { beads: { id: string }[] } & Record<string, unknown>;

describe('one city in three orders', () => {
  // Creation order as Gas City's file store keeps it; the other two are the same beads rearranged.
  const created = generateStore({ beads: 3000, seed: 5, order: 'created' }) as Doc;
  const orders: Record<string, Doc> = {
    created,
    id: { ...created, beads: [...created.beads].sort((a, b) => (a.id < b.id ? -1 : 1)) },
    shuffled: { ...created, beads: shuffled(created.beads, 7) },
  };
  // Each in a directory of its own under one name: the md report names the store as given.
  const dirs = Object.fromEntries(
    Object.entries(orders).map(([order, doc]) => {
      const dir = tempDir();
      write(join(dir, 'store.json'), JSON.stringify(doc));
      return [order, dir];
    }),
  );
  // The md report names the store by its path: the same for each, the directory aside.
  const output = (order: string, args: string[]) => {
    const r = run([...args, '--store', 'store.json', '--now', NOW_ISO], { cwd: dirs[order] });
    expect(r.code).toBe(1); // the generated city drifts
    return r.stdout.split(dirs[order]).join('DIR');
  };

  it.each([
    ['check --json', ['check', '--json']],
    ['export --format csv', ['export', '--format', 'csv']],
    ['export --format md', ['export', '--format', 'md']],
  ])('%s: the same bytes in id, creation and shuffled order', (_, args) => {
    const inId = output('id', args);
    expect(inId.length).toBeGreaterThan(10_000);
    expect(output('created', args)).toBe(inId);
    expect(output('shuffled', args)).toBe(inId);
  });

  it('the csv rows are in id order whatever the file order (gc-10 before gc-9)', () => {
    const ids = output('created', ['export', '--format', 'csv'])
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((row) => row.slice(0, row.indexOf(',')));
    expect(ids.length).toBe(2400);
    expect(ids.indexOf('gc-10')).toBeLessThan(ids.indexOf('gc-9'));
    expect(ids).toEqual([...ids].sort());
  });

  it('export --format json: the same snapshot, its beads in the order the store lists them', () => {
    // To a file: the snapshot is more than a pipe's buffer here.
    const snaps = Object.keys(orders).map((order) => {
      output(order, ['export', '--format', 'json', '--out', 'snap.json']);
      return { order, doc: readJson<Doc>(join(dirs[order], 'snap.json')) };
    });
    for (const { order, doc } of snaps) expect(doc.beads.map((b) => b.id)).toEqual(orders[order].beads.map((b) => b.id));
    const [first, ...rest] = snaps.map(({ doc }) => ({ ...doc, beads: null, snapshot: null }));
    for (const other of rest) expect(other).toEqual(first);
  });
});
