// A file holding a byte that is not UTF-8 is read (the byte shows as U+FFFD), but never rewritten: a write made from
// what was parsed would turn that byte into U+FFFD in a bead it does not change. Built CLI, real files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordDecision } from '../../src/store/decisions.js';
import { NOW_ISO, sessionRecord } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';
import { makeCity, run } from './cli-helpers.js';

/** `text` as bytes, with each `@` made the byte 0xFF (never UTF-8). */
function withBadByte(text: string): Buffer {
  const b = Buffer.from(text, 'utf8');
  for (let i = b.indexOf(0x40); i >= 0; i = b.indexOf(0x40, i + 1)) b[i] = 0xff;
  return b;
}

/** A store with a repair due on mc-1 and a title holding a bad byte on mc-2, which no repair touches. */
function storeWithBadByte(): { file: string; bytes: Buffer } {
  const a = sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '3', state: 'active' });
  const b = sessionRecord('mc-2', { template: 'worker', agent_name: 'worker-2', alias: 'worker-2', pool_slot: '2', state: 'active' });
  b.title = 'caf\u00e9 @ noon';
  const doc = { schema: 'gc-tui/1', city: { agents: [{ name: 'worker', max_active_sessions: 5 }] }, beads: [a, b] };
  const bytes = withBadByte(JSON.stringify(doc, null, 2) + '\n');
  const file = write(join(tempDir(), 's.json'), bytes);
  return { file, bytes };
}

const REFUSAL = /byte 0xff is not UTF-8: a write would replace it with U\+FFFD, so nothing was written; make the file UTF-8 first$/;

describe('a byte that is not UTF-8', () => {
  it('a store: check reads it; apply is exit 2 naming the line and column, and writes nothing', () => {
    const { file, bytes } = storeWithBadByte();
    const check = run(['check', '--store', file, '--now', NOW_ISO]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('restamp-slot:mc-1');
    const line = bytes.subarray(0, bytes.indexOf(0xff)).toString().split('\n').length;
    const r = run(['apply', '--store', file, '--all', '--now', NOW_ISO]);
    expect(r.code).toBe(2);
    // The line of mc-2's title: `      "title": "café ` is 21 characters (é one) before the byte.
    expect(r.stderr).toMatch(
      new RegExp(`^gc-tui: ${file.replace(/[.]/g, '\\.')}: line ${line}, column 22: ${REFUSAL.source.slice(0, -1)}\n$`),
    );
    expect(readFileSync(file).equals(bytes)).toBe(true);
    const audit = `${file}.audit.jsonl`;
    if (existsSync(audit)) expect(readFileSync(audit, 'utf8')).not.toContain('"applied"');
  });

  it("a city's beads.json: apply is refused the same way, the file untouched", () => {
    const { dir, beadsFile } = makeCity(tempDir());
    const text = readFileSync(beadsFile, 'utf8').replace('"beads": [', '"beads": [\n    { "id": "w-odd", "title": "@" },');
    const bytes = withBadByte(text);
    write(beadsFile, bytes);
    const r = run(['apply', '--city', dir, '--all', '--now', NOW_ISO]);
    expect(r.code).toBe(2);
    // `    { "id": "w-odd", "title": "` is 31 characters.
    expect(r.stderr).toMatch(/beads\.json: line 4, column 32: byte 0xff is not UTF-8/);
    expect(readFileSync(beadsFile).equals(bytes)).toBe(true);
  });

  it("a decision recorded in a store (the console's reject) is refused too", async () => {
    const { file, bytes } = storeWithBadByte();
    const decision = { repair: 'restamp-slot:mc-1', decision: 'rejected' as const, changes: [], by: 'ana', at: NOW_ISO, reason: '' };
    await expect(recordDecision({ kind: 'store', path: file }, decision)).rejects.toThrow(REFUSAL);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});
