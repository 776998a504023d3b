// A decision (reject, reopen) recorded in a store file whose `seq` or a bead's `priority` is beyond 2^53: the
// write keeps every byte it does not change, those integers digit for digit. It used to check the new document
// through JSON.parse, which rounds such a seq, so the schema refused it and nothing was recorded.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/engine/types.js';
import { recordDecision } from '../../src/store/decisions.js';
import { JsonNumberText, parseJsonText } from '../../src/store/formats/json-text.js';
import { loadSource } from '../../src/store/source.js';
import { tempDir, write } from '../support/files.js';

const DEMO = resolve(import.meta.dirname, '../../fixtures/demo-city.json');
const BIG = '12345678901234567890';

/** The demo's alias clear on dc-f4d, rejected. */
const ALIAS = { field: 'metadata.alias', before: 'fw-scratch', after: '' };
const REJECT: Decision = {
  repair: 'clear-conflicting-alias:dc-f4d',
  decision: 'rejected',
  changes: [ALIAS],
  by: 'op',
  at: '2026-11-24T09:00:00Z',
  reason: 'why',
};

/** The demo store with its seq and its first bead's priority beyond 2^53. */
function bigDemo(edit: (text: string) => string = (t) => t): string {
  const text = readFileSync(DEMO, 'utf8')
    .replace(/("seq": )[0-9]+/, `$1${BIG}`)
    .replace(/("priority": )[0-9]+/, `$1${BIG}`);
  expect(text.match(new RegExp(BIG, 'g'))).toHaveLength(2);
  return edit(text);
}

describe('a decision in a store with integers beyond 2^53', () => {
  it('is recorded; only the decisions change, the seq and the priority keep every digit', async () => {
    const before = bigDemo();
    const path = write(join(tempDir(), 's.json'), before);
    const decisions = await recordDecision({ kind: 'store', path }, REJECT);
    expect(decisions).toEqual([REJECT]);
    const after = readFileSync(path, 'utf8');
    // Every byte before and after the decisions array is as read.
    const at = before.indexOf('"decisions": []');
    expect(at).toBeGreaterThan(0);
    expect(after.slice(0, at)).toBe(before.slice(0, at));
    expect(after.endsWith(before.slice(at + '"decisions": []'.length))).toBe(true);
    expect(after).toContain(`"seq": ${BIG},`);
    expect(after).toContain(`"priority": ${BIG},`);
    // And it reads back: the decision withholds its repair; the integers are the file's.
    const loaded = await loadSource({ kind: 'store', path });
    expect(loaded.state.decisions).toEqual([REJECT]);
    expect(loaded.extra?.seq).toEqual(new JsonNumberText(BIG));
    expect(loaded.state.beads[0].priority).toEqual(new JsonNumberText(BIG));
  });

  it('a second decision, and one into a file without a decisions key, keep them too', async () => {
    const path = write(
      join(tempDir(), 's.json'),
      bigDemo((t) => t.replace(/,\n {2}"decisions": \[\]/, '')),
    );
    expect(readFileSync(path, 'utf8')).not.toContain('"decisions"');
    await recordDecision({ kind: 'store', path }, REJECT);
    const reopen: Decision = { ...REJECT, decision: 'reopened', reason: '', at: '2026-11-24T09:01:00Z' };
    expect(await recordDecision({ kind: 'store', path }, reopen)).toEqual([REJECT, reopen]);
    const after = readFileSync(path, 'utf8');
    expect(after).toContain(`"seq": ${BIG},`);
    expect(after).toContain(`"priority": ${BIG},`);
    const doc = parseJsonText(after) as { seq: unknown; decisions: Decision[] };
    expect(doc.seq).toEqual(new JsonNumberText(BIG));
    expect(doc.decisions).toEqual([REJECT, reopen]);
  });
});

describe('a decision in a store whose beads hold raw controls', () => {
  it('writes only its entry: a raw U+2028, U+2029, U+202E or U+0085 in the beads stays as found, its own text is escaped', async () => {
    // Another writer's bytes (JSON allows them raw in a string): the decision copies them as read.
    const raw = '\u2028 \u2029 \u202e \u0085';
    const before = bigDemo((t) => t.replace('"fw-scratch"', `"fw-scratch${raw}"`));
    expect(before).toContain(raw);
    const path = write(join(tempDir(), 's.json'), before);
    const decision: Decision = { ...REJECT, reason: `why${raw}` };
    await recordDecision({ kind: 'store', path }, decision);
    const after = readFileSync(path, 'utf8');
    const at = before.indexOf('"decisions": []');
    expect(after.slice(0, at)).toBe(before.slice(0, at));
    expect(after.endsWith(before.slice(at + '"decisions": []'.length))).toBe(true);
    // The entry it makes is gc-tui's text: escaped, value-equal.
    expect(after.slice(at)).not.toMatch(/[\u2028\u2029\u202e\u0085]/);
    expect(after.slice(at)).toContain('"reason": "why\\u2028 \\u2029 \\u202e \\u0085"');
    expect((parseJsonText(after) as { decisions: Decision[] }).decisions).toEqual([decision]);
  });
});
