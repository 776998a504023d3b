// A city's beads (`.gc/beads.json`, a capture) are read as Gas City's Go decoder reads them
// (`internal/beads/beads.go` `Bead`; bd's `bdIssue`): a field whose JSON type its Go type cannot take (a number
// title, a created_at that is not a time) fails that decoder, so the file is refused, naming it and the place; a
// null is the Go zero value (a null status, issue_type or assignee is ""). Real files on disk.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { isGoTime } from '../../src/store/formats/bead-check.js';
import { parseBeadsCapture } from '../../src/store/formats/beads-capture.js';
import { loadCity } from '../../src/store/formats/load-city.js';
import { loadStore, writeStoreDocument } from '../../src/store/formats/load-store.js';
import { exportJsonDocument } from '../../src/store/output/export.js';
import { NOW, sessionRecord, work } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const CITY_TOML = '[beads]\nprovider = "file"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 5\n';

function cityWith(beads: unknown[]): string {
  const dir = tempDir();
  write(join(dir, 'city.toml'), CITY_TOML);
  write(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: beads.length, beads }, null, 2));
  return dir;
}

describe("a field Gas City's decoder cannot take is refused, naming the file and the place", () => {
  const cases: [string, unknown, RegExp][] = [
    ['title', 5, /must be a string, got number 5/],
    ['status', 3, /must be a string, got number 3/],
    ['assignee', true, /must be a string, got boolean true/],
    ['description', ['x'], /must be a string, got an array/],
    ['created_at', 'yesterday', /must be an RFC 3339 time Gas City can read .* or null, got string "yesterday"/],
    ['created_at', 17, /must be an RFC 3339 time Gas City can read .* or null, got number 17/],
    ['created_at', '2026-02-30T00:00:00Z', /must be an RFC 3339 time .*, got string "2026-02-30T00:00:00Z"/],
    ['updated_at', '2026-05-06 02:00:00Z', /must be an RFC 3339 time .*, got string "2026-05-06 02:00:00Z"/],
    ['defer_until', 'tomorrow', /must be an RFC 3339 time .*, got string "tomorrow"/],
    ['labels', 'gc:session', /must be an array, got string "gc:session"/],
    ['needs', [1], /must be a string, got number 1/],
    ['ephemeral', 'yes', /must be a boolean, got string "yes"/],
  ];
  for (const [field, value, message] of cases) {
    it(`${field}: ${JSON.stringify(value)}`, async () => {
      const dir = cityWith([work('w-0'), { ...work('w-1'), [field]: value }]);
      const where = field === 'needs' ? `beads\\[1\\]\\.needs\\[0\\]` : `beads\\[1\\]\\.${field}`;
      await expect(loadCity(dir)).rejects.toThrow(new RegExp(`\\.gc/beads\\.json: ${where}: ${message.source}`));
    });
  }

  it('in a capture too: the capture and the place in it', () => {
    const text = JSON.stringify([{ ...work('w-1'), title: 5 }]);
    expect(() => parseBeadsCapture(text, 'cap.json')).toThrow(/^cap\.json: \[0\]\.title: must be a string, got number 5$/);
    const issues = JSON.stringify({ issues: [work('w-0'), { ...work('w-1'), created_at: 17 }] });
    expect(() => parseBeadsCapture(issues, 'cap.json')).toThrow(/^cap\.json: issues\[1\]\.created_at: must be an RFC 3339 time/);
  });

  it('a capture\'s time text Go cannot parse (the corpus\'s "<TS>") is read as no time, not refused', () => {
    const [b] = parseBeadsCapture(JSON.stringify([{ ...work('w-1'), created_at: '<TS>', updated_at: 'now' }]), 'cap.json');
    expect(b.id).toBe('w-1');
    expect(b).not.toHaveProperty('created_at');
    expect(b).not.toHaveProperty('updated_at');
  });
});

describe("times as Go's time.Parse(time.RFC3339) takes them (what Time.UnmarshalJSON runs)", () => {
  it('accepts its lax forms and refuses what it refuses', () => {
    for (const s of [
      '2026-05-06T02:00:00Z',
      '2026-06-01T10:00:00.123456789-07:00',
      '2026-05-06T2:00:00Z', // a one-digit hour
      '2026-05-06T02:00:00,5Z', // a comma before the fraction
      '2026-05-06T02:00:00+24:00', // Go's range test is > 24
      '2026-05-06T02:00:00+12:60',
      '2024-02-29T23:59:59Z',
      '2000-02-29T00:00:00Z',
    ])
      expect(isGoTime(s), s).toBe(true);
    for (const s of [
      '',
      'yesterday',
      '2026-05-06',
      '2026-05-06T02:00Z',
      '2026-05-06T02:00:00',
      '2026-05-06t02:00:00Z',
      '2026-05-06T02:00:00z',
      '2026-05-06 02:00:00Z',
      '2026-05-06T24:00:00Z',
      '2026-05-06T02:60:00Z',
      '2026-05-06T02:00:60Z',
      '2026-13-06T02:00:00Z',
      '2026-00-06T02:00:00Z',
      '2023-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-05-06T02:00:00+25:00',
      '2026-05-06T02:00:00+00:61',
      '2026-05-06T02:00:00+0000',
      '2026-05-06T02:00:00.Z',
      '2026-05-06T02:00:00Z ',
      '+026-05-06T02:00:00Z',
      '2026-5-06T02:00:00Z',
    ])
      expect(isGoTime(s), s).toBe(false);
  });
});

describe('a null is the Go zero value', () => {
  it('status, issue_type and assignee null read as "", metadata null as no metadata, labels null as none; a snapshot reopens', async () => {
    const s = sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '1', state: 'active' });
    const beads = [
      { ...work('w-1', { route: 'worker' }), assignee: null },
      { ...work('w-2'), status: null, issue_type: null, metadata: null, labels: ['x', null], needs: null, ephemeral: null },
      { ...s, labels: null, created_at: null, defer_until: null, title: null, description: null },
    ];
    const dir = cityWith(beads);
    const loaded = await loadCity(dir);
    expect(loaded.state.beads[0]).toMatchObject({ id: 'w-1', assignee: '' });
    expect(loaded.state.beads[1]).toMatchObject({ id: 'w-2', status: '', issue_type: '', metadata: {}, labels: ['x', ''] });
    expect(loaded.state.beads[2]).not.toHaveProperty('labels');
    // An unassigned work bead: the same plan as with no assignee at all.
    const absent = await loadCity(cityWith([work('w-1', { route: 'worker' }), beads[1], beads[2]]));
    expect(plan(loaded.state, NOW)).toEqual(plan(absent.state, NOW));

    // A snapshot of it reopens as a store file, with the same plan.
    const out = join(tempDir(), 'snap.json');
    const p = plan(loaded.state, NOW);
    await writeStoreDocument(out, exportJsonDocument(loaded, p, NOW));
    expect(plan((await loadStore(out)).state, NOW)).toEqual(p);
  });

  it('a capture\'s null status is mapped as gc maps "": open', () => {
    const [b] = parseBeadsCapture(JSON.stringify([{ ...work('w-1'), status: null }]), 'cap.json');
    expect(b.status).toBe('open');
  });
});
