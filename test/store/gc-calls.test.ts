// A repair as Gas City's conditional commands (src/store/gc/calls.ts), the shell words of the emitted script
// (script.ts) and what each gc answer means (writer.ts judge).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Repair } from '../../src/engine/types.js';
import { callsFor, derivePrefix, gcTargetOf, storeRefOf } from '../../src/store/gc/calls.js';
import { shellQuote } from '../../src/store/gc/script.js';
import { judge } from '../../src/store/gc/writer.js';
import { city } from '../support/builders.js';
import { tempDir } from '../support/files.js';

const target = gcTargetOf('/c', city([], { rigs: [{ name: 'tributary', prefix: 'tr' }, { name: 'my-app' }] }));

function repair(kind: Repair['kind'], beadId: string, changes: Repair['changes']): Repair {
  return { id: `${kind}:${beadId}`, kind, beadId, template: null, changes, reason: 'r' };
}

describe('the store a bead is written in', () => {
  it("a rig's by its id prefix ([[rigs]] prefix, else derived as Gas City derives it), else the city's", () => {
    expect(storeRefOf('tr-abc', target)).toBe('rig:tributary');
    expect(storeRefOf('ma-1x.2', target)).toBe('rig:my-app');
    expect(storeRefOf('tc-9', target)).toBe('city:test-city');
    expect(storeRefOf('nodash', target)).toBe('city:test-city');
    expect([derivePrefix('my-city'), derivePrefix('gastown'), derivePrefix('api-go'), derivePrefix('ops'), derivePrefix('myApp')]).toEqual([
      'mc',
      'ga',
      'api',
      'ops',
      'ma',
    ]);
    expect(gcTargetOf('/x/here', city([], { workspace: {} })).cityName).toBe('here');
  });

  it("names the city as Gas City does: .gc/site.toml's workspace_name (what gc init writes), else [workspace] name, else the directory", () => {
    const dir = join(tempDir(), 'dir-name');
    mkdirSync(join(dir, '.gc'), { recursive: true });
    const named = city([], { workspace: { name: 'declared' } });
    expect(gcTargetOf(dir, named).cityName).toBe('declared');
    writeFileSync(join(dir, '.gc', 'site.toml'), 'workspace_name = " real-name "\n');
    expect(gcTargetOf(dir, named).cityName).toBe('real-name');
    expect(storeRefOf('nodash', gcTargetOf(dir, city([], { workspace: {} })))).toBe('city:real-name');
    writeFileSync(join(dir, '.gc', 'site.toml'), 'workspace_name = \n');
    expect(() => gcTargetOf(dir, named)).toThrow(/site\.toml.*line 1, column \d+: invalid TOML/);
  });
});

describe('the store of a bead gc-tui read from the stores themselves (scope-local-v1)', () => {
  const scoped = gcTargetOf('/c', city([], { rigs: [{ name: 'tributary', prefix: 'tr' }] }), {
    rigBeads: { 'rig:tributary/gc-1': { rig: 'tributary', id: 'gc-1' }, 'gc-2': { rig: 'tributary', id: 'gc-2' } },
  });
  const fields = (r: ReturnType<typeof callsFor>) => ('calls' in r ? r.calls.map((c) => c.args) : r.refused);

  it("metadata-cas names the store it was read from and the id inside it; a bead not read from a rig is the city's, whatever its prefix", () => {
    const cas = (id: string) =>
      fields(callsFor(repair('restamp-slot', id, [{ field: 'metadata.pool_slot', before: '4', after: '3' }]), scoped));
    expect(cas('rig:tributary/gc-1')).toEqual([
      [
        '--city',
        '/c',
        'beads',
        'metadata-cas',
        'gc-1',
        '--store-ref=rig:tributary',
        '--key=pool_slot',
        '--expected=4',
        '--next=3',
        '--json',
      ],
    ]);
    expect(cas('gc-2')[0]).toContain('--store-ref=rig:tributary');
    expect(cas('tr-9')[0]).toContain('--store-ref=city:test-city'); // read from the city's store: no guess by prefix
    expect(cas('gc-1')[0]).toEqual(expect.arrayContaining(['gc-1', '--store-ref=city:test-city']));
    expect(cas('rig:tributary/gc-9')).toBe(
      'rig:tributary/gc-9 names no bead read now (its id no longer repeats across stores): plan again',
    );
  });

  it('a release is made in the rig it was read from (gc bd --rig); a close of an id that is in two stores is refused', () => {
    const unassign = (id: string) =>
      fields(
        callsFor(
          repair('unassign-cross-template-work', id, [
            { field: 'assignee', before: 's-1', after: '' },
            { field: 'status', before: 'in_progress', after: 'open' },
          ]),
          scoped,
        ),
      );
    expect(unassign('rig:tributary/gc-1')).toEqual([['bd', '--city', '/c', '--rig', 'tributary', 'release-if-current', 'gc-1', 's-1']]);
    expect(unassign('gc-1')).toEqual([['bd', '--city', '/c', 'release-if-current', 'gc-1', 's-1']]);
    const close = (id: string) =>
      fields(callsFor(repair('close-duplicate', id, [{ field: 'status', before: 'open', after: 'closed' }]), scoped));
    expect(close('rig:tributary/gc-1')).toBe('gc session close names a bead by its id alone, and "gc-1" is in more than one store');
    expect(close('gc-2')).toEqual([['--city', '/c', 'session', 'close', 'gc-2']]);
  });
});

describe('callsFor', () => {
  it('one metadata-cas per key, in order, expected/next explicit (absent = empty), then the close last', () => {
    const r = repair('rollback-stale-create', 'tr-1', [
      { field: 'status', before: 'open', after: 'closed' },
      { field: 'metadata.state', before: 'creating', after: 'failed-create' },
      { field: 'metadata.close_reason', before: null, after: 'failed-create' },
    ]);
    const out = callsFor(r, target);
    expect('calls' in out && out.calls.map((c) => c.args)).toEqual([
      [
        '--city',
        '/c',
        'beads',
        'metadata-cas',
        'tr-1',
        '--store-ref=rig:tributary',
        '--key=state',
        '--expected=creating',
        '--next=failed-create',
        '--json',
      ],
      [
        '--city',
        '/c',
        'beads',
        'metadata-cas',
        'tr-1',
        '--store-ref=rig:tributary',
        '--key=close_reason',
        '--expected=',
        '--next=failed-create',
        '--json',
      ],
      ['--city', '/c', 'session', 'close', 'tr-1'],
    ]);
  });

  it('an unassign of in_progress work is one release-if-current naming the assignee', () => {
    const r = repair('unassign-cross-template-work', 'w-1', [
      { field: 'assignee', before: 's-1', after: '' },
      { field: 'status', before: 'in_progress', after: 'open' },
    ]);
    const out = callsFor(r, target);
    expect('calls' in out && out.calls.map((c) => [c.kind, c.args])).toEqual([
      ['release-if-current', ['bd', '--city', '/c', 'release-if-current', 'w-1', 's-1']],
    ]);
  });

  it('a release that also empties the session affinity (2026-08) releases first, then one metadata-cas per key', () => {
    const r = repair('release-orphaned-work', 'w-1', [
      { field: 'assignee', before: 's-1', after: '' },
      { field: 'status', before: 'in_progress', after: 'open' },
      { field: 'metadata.gc.session_affinity', before: 's-1', after: '' },
      { field: 'metadata.gc.continuation_group', before: 'g1', after: '' },
    ]);
    const out = callsFor(r, target);
    expect('calls' in out && out.calls.map((c) => [c.kind, c.args.slice(3)])).toEqual([
      ['release-if-current', ['release-if-current', 'w-1', 's-1']],
      [
        'metadata-cas',
        ['metadata-cas', 'w-1', '--store-ref=city:test-city', '--key=gc.session_affinity', '--expected=s-1', '--next=', '--json'],
      ],
      [
        'metadata-cas',
        ['metadata-cas', 'w-1', '--store-ref=city:test-city', '--key=gc.continuation_group', '--expected=g1', '--next=', '--json'],
      ],
    ]);
  });

  it('refuses what no conditional gc command makes, or what gc would refuse', () => {
    const refused = (r: Repair) => {
      const out = callsFor(r, target);
      return 'refused' in out ? out.refused : null;
    };
    expect(refused(repair('release-orphaned-work', 'w-1', [{ field: 'status', before: 'in_progress', after: 'open' }]))).toBe(
      'no conditional gc command sets status "open" ("in_progress" before) without an assignee to release',
    );
    expect(refused(repair('release-orphaned-work', 'w-1', [{ field: 'assignee', before: 's-1', after: '' }]))).toContain(
      'releases only in_progress work',
    );
    expect(
      refused(
        repair('unassign-cross-template-work', 'w-1', [
          { field: 'assignee', before: 'two words', after: '' },
          { field: 'status', before: 'in_progress', after: 'open' },
        ]),
      ),
    ).toBe('gc bd release-if-current cannot name the assignee "two words"');
    expect(refused(repair('restamp-slot', 'w-1', [{ field: 'metadata.bad key', before: null, after: '1' }]))).toContain(
      'is not one gc beads metadata-cas accepts',
    );
    expect(refused(repair('restamp-slot', 'w 1', [{ field: 'metadata.pool_slot', before: null, after: '1' }]))).toContain('bead id');
    expect(refused(repair('restamp-slot', 'w-1', [{ field: 'metadata.k', before: null, after: 'x'.repeat(65 * 1024) }]))).toContain(
      "longer than gc's 64 KiB",
    );
    expect(refused(repair('restamp-slot', 'w-1', [{ field: 'title', before: 'a', after: 'b' }]))).toBe('no gc command writes "title"');
  });

  it('never closes a duplicate session_name through gc session close: that would stop the runtime the kept bead shares', () => {
    const out = callsFor(
      repair('close-duplicate-session-name', 'tc-2', [
        { field: 'status', before: 'open', after: 'closed' },
        { field: 'metadata.state', before: 'asleep', after: 'duplicate' },
        { field: 'metadata.close_reason', before: null, after: 'duplicate' },
      ]),
      target,
    );
    expect('refused' in out && out.refused).toMatch(/^gc session close also stops the runtime named by the session_name/);
    // A close of any other kind still goes through it.
    const other = callsFor(repair('close-duplicate', 'tc-2', [{ field: 'status', before: 'open', after: 'closed' }]), target);
    expect('calls' in other && other.calls.map((c) => c.kind)).toEqual(['session-close']);
  });
});

describe('shellQuote', () => {
  it('stands for exactly the string in bash, and holds no raw control character', () => {
    const values = ['', 'plain', "it's", '-n', '"$(id)" `id` $HOME \\ !', 'two\nlines\r\t', '\u001b[2J\u0007', 'é \u202e ü', "a'\u0001'b"];
    for (const v of values) {
      const word = shellQuote(v);
      // eslint-disable-next-line no-control-regex -- the point
      expect(word).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
      const r = spawnSync('bash', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' });
      expect(r.stdout, JSON.stringify(v)).toBe(v);
    }
  });
});

describe('judge', () => {
  const ok = { code: 0, stopped: null, error: null };
  it("reads upstream's answers: outcomes, released/skipped, exit codes", () => {
    expect(judge({ kind: 'metadata-cas' }, { ...ok, stdout: 'warning\n{"outcome":"swapped"}\n' }).answer).toBe('ok');
    expect(judge({ kind: 'metadata-cas' }, { ...ok, stdout: '{"outcome":"already_next"}' }).answer).toBe('ok');
    expect(judge({ kind: 'metadata-cas' }, { ...ok, stdout: '{"outcome":"conflict"}' }).answer).toBe('conflict');
    expect(judge({ kind: 'metadata-cas' }, { ...ok, stdout: 'bead=x outcome=swapped' }).answer).toBe('error');
    expect(judge({ kind: 'metadata-cas' }, { ...ok, code: 1, stdout: '{"outcome":"swapped"}' }).answer).toBe('error');
    expect(judge({ kind: 'release-if-current' }, { ...ok, stdout: 'released\n' }).answer).toBe('ok');
    expect(judge({ kind: 'release-if-current' }, { ...ok, stdout: 'skipped\n' }).answer).toBe('conflict');
    expect(judge({ kind: 'release-if-current' }, { ...ok, code: 4, stdout: '' }).answer).toBe('error');
    expect(judge({ kind: 'session-close' }, { ...ok, stdout: '' }).answer).toBe('ok');
    expect(judge({ kind: 'session-close' }, { ...ok, code: null, stopped: 'timeout', stdout: '' }).answer).toBe('error');
  });
});
