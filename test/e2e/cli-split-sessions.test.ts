// A split city (issue 10 item 3): `[beads.classes.sessions] backend = "sqlite"` keeps the session beads in a
// store of their own that gc-tui cannot read. Such a city is never "clean": exit 2 with what to do, gc on PATH or
// not (gc is not even asked to read); with a capture it is read, and a write of a `gcs-` bead is refused rather
// than guessed at. Built CLI, real files, the recording fake gc.
import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO } from '../support/builders.js';
import { readJson, tempDir, write, writeJson } from '../support/files.js';
import { ROOT, run } from './cli-helpers.js';
import { recordingGc } from './recording-gc.js';

/** The bd fixture city with its sessions relocated. */
function splitCity(): string {
  const dir = join(tempDir(), 'split-city');
  cpSync(resolve(ROOT, 'fixtures', 'bd-city'), dir, { recursive: true });
  const toml = readFileSync(join(dir, 'city.toml'), 'utf8');
  write(join(dir, 'city.toml'), `${toml}\n[beads.classes.sessions]\nbackend = "sqlite"\n`);
  return dir;
}

/** The fixture's session capture, as the split session store mints ids (gcs-<n>). */
function gcsCapture(): string {
  const beads = readJson<Record<string, unknown>[]>(resolve(ROOT, 'fixtures', 'bd-captures', 'sessions.json'));
  beads.forEach((b, i) => (b.id = `gcs-${i + 1}`));
  return writeJson(join(tempDir(), 'sessions.json'), beads);
}

describe('a city whose session beads live in a store of their own', () => {
  it('exits 2 with what to do, gc on PATH or not, and never asks gc to read', () => {
    const dir = splitCity();
    const gc = recordingGc();
    for (const env of [gc.env(), { PATH: tempDir('gc-tui-nogc-') }]) {
      const r = run(['check', '--city', dir, '--now', NOW_ISO], { env });
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `gc-tui: ${dir}: city.toml [beads.classes.sessions] backend = "sqlite" keeps this city's session beads in a store of their own ` +
          "(Gas City's split session store, e.g. .gc/store/sessions.db, ids gcs-…), which gc-tui cannot read and `gc beads list` is not known to include: " +
          'capture the session beads (and the open work) in a JSON bead shape and pass them with --beads FILE\n',
      );
      expect(r.code).toBe(2);
    }
    expect(gc.calls()).toEqual([]);
  });

  it('with a capture: read and planned; a write of a gcs- bead is refused, not sent to a guessed store', () => {
    const dir = splitCity();
    const capture = gcsCapture();
    const check = run(['check', '--city', dir, '--beads', capture, '--now', NOW_ISO]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('repair-alias:gcs-1');
    const script = join(tempDir(), 'apply.sh');
    const r = run(['apply', '--all', '--city', dir, '--beads', capture, '--now', NOW_ISO, '--emit-script', script]);
    expect(r.stdout).toContain(
      'not written repair-alias:gcs-1: gcs-1 is in the split session store ([beads.classes.sessions] backend = "sqlite"), which has no store reference gc-tui knows\n',
    );
    expect(r.code).toBe(1);
    expect(readFileSync(script, 'utf8')).not.toContain("'metadata-cas' 'gcs-1'");
  });
});
