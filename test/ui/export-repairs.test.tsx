// `E` in the repairs view exports the repairs as the queue and their cards show them: id, status, mark, pool, kind,
// rule, bead, each change (field: before → after), reason and where it stands (applied by whom, rejected and why), in
// both formats it offers, under the view's filter. The other views keep exporting their cells.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { demoState } from './fixture.js';
import { KEYS, type Harness } from './render.js';
import { openRepairs, pickRepair, type OnDisk } from './review-harness.js';
import { endAfterEach } from '../support/teardown.js';
import { lines, status } from '../support/frame-lines.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
endAfterEach(() => [h, disk]);

const bar = (f: string) => lines(f).find((l) => / of \d/.test(l)) ?? '';

/** The one export of the repairs view in `ext` written so far. */
function exported(disk: OnDisk, ext: 'csv' | 'md'): string {
  const names = readdirSync(disk.dir).filter((n) => n.includes('.repairs-') && n.endsWith(`.${ext}`));
  expect(names).toHaveLength(1);
  return readFileSync(join(disk.dir, names[0]), 'utf8');
}

describe('E in the repairs view', () => {
  test('exports each repair with its id, changes and decision, as csv and as md', async () => {
    ({ h, disk } = await openRepairs(demoState(), { rows: 40, columns: 160 }));
    // One applied in this session, one rejected with a reason, one marked, all under a filter on fe-poison's bead.
    await pickRepair(h, 'restamp-slot fe-poison');
    await h.waitForFrame((x) => x.includes('~ metadata.pool_slot: "3" → "2"'), 'its diff');
    await h.press('a');
    await h.waitForFrame((x) => status(x).includes('applied restamp-slot:fe-poison'), 'applied');
    await h.press(KEYS.esc);
    await pickRepair(h, 'repair-alias fe-poison');
    await h.press('r');
    await h.waitForFrame((x) => status(x).includes('Reject repair-alias:fe-poison'), 'the reason prompt');
    await h.press(...'not now', KEYS.enter);
    await h.waitForFrame((x) => status(x).includes('rejected repair-alias:fe-poison'), 'rejected');
    await h.press(KEYS.esc);
    await pickRepair(h, 'repair-alias be-evil');
    await h.press(' ');
    await h.waitForFrame((x) => bar(x).includes('1 marked'), 'marked');
    await h.press(KEYS.esc);
    // The whole queue: E exports every row it shows.
    await h.waitForFrame((x) => h!.store.getState().ui.filters.repairs === '' && bar(x).includes('1 marked'), 'no filter');

    await h.press('E', KEYS.enter);
    const f = await h.waitForFrame((x) => /exported \d+ rows of the repairs view \(csv\)/.test(x), 'the csv export');
    const csv = exported(disk, 'csv').trim().split('\n');
    // One line per repair the view shows, under the header.
    expect(csv).toHaveLength(1 + Number(/exported (\d+) rows/.exec(f)![1]));
    expect(csv[0]).toBe('ID,STATUS,MARKED,POOL,KIND,RULE,BEAD,CHANGES,REASON,DECISION');
    const row = (id: string) => csv.find((l) => l.startsWith(`${id},`)) ?? '';
    expect(row('restamp-slot:fe-poison')).toMatch(
      /^restamp-slot:fe-poison,applied,,frontend\/worker,restamp-slot,R\d+,fe-poison,"metadata\.pool_slot: ""3"" → ""2""",.*,applied by tester at 2026-05-06T02:13:00Z$/,
    );
    expect(row('repair-alias:fe-poison')).toMatch(
      /^repair-alias:fe-poison,rejected,,frontend\/worker,repair-alias,R\d+,fe-poison,"metadata\.alias: /,
    );
    expect(row('repair-alias:fe-poison')).toMatch(/,rejected by tester: not now; withheld until its facts change$/);
    expect(row('repair-alias:be-evil')).toMatch(/^repair-alias:be-evil,undecided,yes,backend\/worker,repair-alias,/);

    await h.press('E', KEYS.tab, KEYS.enter);
    await h.waitForFrame((x) => /exported \d+ rows of the repairs view \(md\)/.test(x), 'the md export');
    const md = exported(disk, 'md');
    expect(md).toContain('| ID | STATUS | MARKED | POOL | KIND | RULE | BEAD | CHANGES | REASON | DECISION |');
    const mdRow = md.split('\n').find((l) => l.startsWith('| restamp-slot:fe-poison |')) ?? '';
    expect(mdRow).toContain('| applied |');
    expect(mdRow).toContain('| metadata.pool_slot: "3" → "2" |');
    expect(mdRow).toContain('applied by tester at 2026-05-06T02:13:00Z');
  });

  test('under a filter, exports only the repairs it shows', async () => {
    ({ h, disk } = await openRepairs(demoState(), { rows: 40, columns: 160 }));
    await pickRepair(h, 'restamp-slot fe-poison');
    await h.press('E', KEYS.enter);
    await h.waitForFrame((x) => x.includes('exported 1 row of the repairs view (csv)'), 'the csv export');
    const csv = exported(disk, 'csv').trim().split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toMatch(
      /^restamp-slot:fe-poison,undecided,,frontend\/worker,restamp-slot,R\d+,fe-poison,"metadata\.pool_slot: ""3"" → ""2""",/,
    );
  });
});
