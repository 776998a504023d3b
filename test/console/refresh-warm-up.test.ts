// The plan worker's warm-up after the first read (plan-worker-body.ts, refresh-warm-up.ts): it runs to its end, and
// the outside changes after it come back exactly as a fresh read of the file gives them: what it read, planned and
// packed was its own, not the console's memo, the worker's last read or its kept states.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { inProcessJobs } from '../../src/console/jobs.js';
import { channelFor } from '../../src/console/worker/channel.js';
import { createJobs } from '../../src/console/worker/worker-client.js';
import type { Bead } from '../../src/engine/types.js';
import type { Source } from '../../src/store/types.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { NOW } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';
import { within } from '../support/wait.js';

// A worker of this file's own (the same script under another URL): its warm-up runs once, after its first read.
const WORKER = new URL(`${pathToFileURL(built('plan-worker.js')).href}?refresh-warm-up`);

test('the warm-up after the first read runs to its end; the outside changes after it come back exact', async () => {
  const file = join(tempDir('gc-tui-warm-refresh-'), 'store.json');
  // More beads than the warm-up takes (its last 2 000).
  const doc = generateStore({ beads: 3000, order: 'created', seed: 5 }) as { beads: Bead[] };
  const write = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(doc));
    renameSync(`${file}.tmp`, file);
  };
  write();
  const source: Source = { kind: 'store', path: file };
  const jobs = createJobs({ worker: WORKER });
  try {
    const first = jobs.load(source, () => NOW);
    const warmed = new Promise<void>((res) =>
      channelFor(WORKER).worker!.on('message', (m: { warmedUp?: boolean }) => {
        if (m.warmedUp) res();
      }),
    );
    await first;
    await within(warmed, 50_000, "the worker's warm-up to end");
    const sessions = doc.beads.filter((b) => typeof b.metadata?.state === 'string');
    // One the warm-up changed (a session's from the middle of its last 2 000), one it never saw.
    const changed = [sessions.find((b) => doc.beads.indexOf(b) >= 2000)!, sessions[0]];
    for (const [k, bead] of changed.entries()) {
      bead.metadata!.state = k === 0 ? 'quarantined' : 'asleep';
      write();
      const r = await jobs.load(source, () => NOW);
      const fresh = await inProcessJobs().load(source, () => NOW);
      expect(JSON.stringify(r.loaded.state)).toBe(JSON.stringify(fresh.loaded.state));
      expect(JSON.stringify(r.plan)).toBe(JSON.stringify(fresh.plan));
      expect(r.loaded.state.beads.find((b) => b.id === bead.id)?.metadata?.state).toBe(bead.metadata!.state);
    }
  } finally {
    await jobs.close();
  }
});
