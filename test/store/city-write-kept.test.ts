// A city's approval hands its caller what a read of the bytes it wrote gives (write.ts CityWritten), so the console keeps
// its own write as the next basis instead of reading and planning the city again under the lock. That is only true when
// it is exactly what the city reader makes of those bytes: checked here against a real read of the file written, on
// files holding what a reader keeps apart (numbers spelled as JavaScript does not, nested objects, big integers, unknown
// fields, Gas City's token maps), and the state written carries the metadata as stored (the `y` pane's).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { parseBeadsText } from '../../src/store/formats/beads-file.js';
import { bytesDigest, loadCity } from '../../src/store/formats/load-city.js';
import type { Source } from '../../src/store/types.js';
import { applyRepairsLocked, type CityWritten } from '../../src/store/write.js';
import { NOW, sessionRecord } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const CITY_TOML = '[workspace]\nname = "kept-city"\n\n[beads]\nprovider = "file"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 6\n';

/** mc-1 and mc-3 stamped with another slot than their names say: restamp-slot proposes "2" and "3". */
const stamped = (id: string, slot: string, name: string, extra: Record<string, unknown> = {}) =>
  sessionRecord(id, { template: 'worker', agent_name: name, alias: name, pool_slot: slot, state: 'asleep' }, extra);

/** `"@@1.0@@"` in JSON text as the literal 1.0: the spellings JSON.stringify never writes. */
const literal = (text: string) => text.replace(/"@@(.*?)@@"/g, '$1');

/** Each file: what it holds that a read keeps apart from the value JSON.parse makes. */
const FILES: [string, (indent: string) => string][] = [
  [
    'numbers spelled otherwise, nested objects and a big integer in the changed bead’s metadata and unknown fields',
    (indent) => {
      const mc1 = stamped('mc-1', '4', 'worker-2', { extra: { score: '@@2.50@@', list: ['@@1.0@@', '@@-0@@', { deep: '@@1e2@@' }] } });
      const md = mc1.metadata as Record<string, unknown>;
      Object.assign(md, { weight: '@@1.0@@', ratio: '@@1e2@@', neg: '@@-0@@', nested: { a: '@@1.50@@', b: ['@@1E0@@', { c: true }] } });
      Object.assign(md, { flag: false, nothing: null, big: '@@12345678901234567890@@' });
      const mc3 = stamped('mc-3', '5', 'worker-3', { labels: null, big_field: '@@98765432109876543210@@' });
      const doc = { seq: 9, beads: [mc1, stamped('mc-5', '1', 'worker-1'), mc3], custom: { x: '@@1.0@@', keep: [1, '@@2.0@@'] } };
      return literal(JSON.stringify(doc, null, indent)) + '\n';
    },
  ],
  [
    'sealed token maps with a revision past 2^53 (bumped digit for digit) and a bd-written number in an unchanged bead',
    (indent) => {
      const mc5 = stamped('mc-5', '1', 'worker-1');
      Object.assign(mc5.metadata as Record<string, unknown>, { pool_slot: '@@1.0@@', attached: true });
      const doc = {
        seq: 9,
        beads: [stamped('mc-1', '4', 'worker-2'), mc5, stamped('mc-3', '5', 'worker-3')],
        revisions: { 'mc-1': '@@9007199254740993@@', 'mc-5': 3 },
        revisions_sealed: true,
        fences: { 'mc-3': '@@12@@' },
      };
      return literal(JSON.stringify(doc, null, indent)) + '\n';
    },
  ],
];

function cityWith(text: string): Source & { kind: 'city' } {
  const dir = tempDir('gc-tui-kept-city-');
  writeFileSync(join(dir, 'city.toml'), CITY_TOML);
  write(join(dir, '.gc', 'beads.json'), text);
  return { kind: 'city', dir };
}

describe.each(FILES)('a city approval on a file with %s', (_, make) => {
  test.each([
    ['indented', '  '],
    ['compact', ''],
  ])('hands back what a read of the bytes written gives (%s)', async (_layout, indent) => {
    const src = cityWith(make(indent));
    const file = join(src.dir, '.gc', 'beads.json');
    const read = await loadCity(src.dir);
    const repairs = plan(read.state, NOW).repairs.filter((r) => r.id === 'restamp-slot:mc-1' || r.id === 'restamp-slot:mc-3');
    expect(repairs.map((r) => r.id).sort()).toEqual(['restamp-slot:mc-1', 'restamp-slot:mc-3']);
    let got: CityWritten | null = null;
    const done = await applyRepairsLocked(src, repairs, { now: NOW, by: 'op', wroteCity: (w) => (got = w) });
    expect(done.applied).toHaveLength(2);
    const bytes = readFileSync(file);
    const w = got as CityWritten | null;
    expect(w).not.toBeNull();
    expect(bytesDigest(w!.bytes)).toBe(bytesDigest(bytes));
    // The file a read of those bytes parses, member for member (the document, the decoded beads, the stored values).
    expect(w!.file).toStrictEqual(parseBeadsText(bytes.toString('utf8'), file));
    // And the state: the one the city reader makes of the city now, the metadata as stored included.
    const fresh = await loadCity(src.dir);
    expect(w!.state).toBe(done.state);
    expect(done.state.beads).toStrictEqual(fresh.state.beads);
    expect(done.state.storedMetadata).toStrictEqual(fresh.state.storedMetadata);
    expect(done.state.storedMetadata).toBeDefined();
    expect(done.state.storedNumbers).toStrictEqual(fresh.state.storedNumbers);
  });
});

test('the metadata as stored is in the state of an approval whose caller keeps nothing (the y pane after an approval)', async () => {
  const src = cityWith(FILES[0][1]('  '));
  const read = await loadCity(src.dir);
  const r = plan(read.state, NOW).repairs.find((x) => x.id === 'restamp-slot:mc-1')!;
  const done = await applyRepairsLocked(src, [r], { now: NOW, by: 'op' });
  expect(done.state.storedMetadata?.['mc-1']).toMatchObject({ weight: '1.0', ratio: '1e2', neg: '-0', big: '12345678901234567890' });
  expect(done.state.storedMetadata).toStrictEqual((await loadCity(src.dir)).state.storedMetadata);
  expect(done.state.storedNumbers?.['mc-1']).toEqual([
    [['extra', 'score'], '2.50'],
    [['extra', 'list', 0], '1.0'],
    [['extra', 'list', 1], '-0'],
    [['extra', 'list', 2, 'deep'], '1e2'],
  ]);
});
