// A console on a real store file in a temp dir, with the real store API and the live reader (no watcher:
// tests change the file behind the console's back on purpose).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Decision, State } from '../../src/engine/types.js';
import { createAppStore, type AppStore } from '../../src/console/state.js';
import type { AuditEntry, StoreDocument } from '../../src/store/types.js';
import { startLive, type Live } from '../../src/console/watch.js';
import type { Keymap } from '../../src/ui/keymap.js';
import { NOW } from '../support/builders.js';
import { tempDir } from '../support/files.js';
import { KEYS, renderApp, type Harness } from './render.js';

export interface OnDisk {
  dir: string;
  file: string;
  store: AppStore;
  live: Live;
  doc(): StoreDocument;
  bead(id: string): StoreDocument['beads'][number];
  decisions(): Decision[];
  audit(): AuditEntry[];
  raw(): string;
  write(mutate: (doc: StoreDocument) => void): void;
  close(): Promise<void>;
}

export function writeStoreFile(file: string, s: State): void {
  writeFileSync(`${file}.tmp`, JSON.stringify({ schema: 'gc-tui/1', seq: 1, ...s, decisions: s.decisions ?? [] }, null, 1));
  renameSync(`${file}.tmp`, file);
}

export async function onDisk(
  state: State,
  opts: { readOnly?: boolean; rows?: number; columns?: number; operator?: string; now?: () => Date } = {},
): Promise<OnDisk> {
  const dir = tempDir('gc-tui-review-');
  const file = join(dir, 'city.json');
  writeStoreFile(file, state);
  const store = createAppStore({
    readOnly: opts.readOnly,
    operator: opts.operator ?? 'tester',
    viewport: { rows: opts.rows ?? 40, columns: opts.columns ?? 140 },
  });
  const live = startLive({ store, source: { kind: 'store', path: file }, watch: false, patrolMs: 3_600_000, now: opts.now ?? (() => NOW) });
  await live.ready;
  const doc = () => JSON.parse(readFileSync(file, 'utf8')) as StoreDocument;
  const auditFile = `${file}.audit.jsonl`;
  return {
    dir,
    file,
    store,
    live,
    doc,
    bead: (id) => doc().beads.find((b) => b.id === id)!,
    decisions: () => doc().decisions ?? [],
    audit: () => {
      try {
        return readFileSync(auditFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as AuditEntry);
      } catch {
        return [];
      }
    },
    raw: () => readFileSync(file, 'utf8'),
    write: (mutate) => {
      const d = doc();
      mutate(d);
      writeFileSync(`${file}.tmp`, JSON.stringify(d, null, 1));
      renameSync(`${file}.tmp`, file);
    },
    close: () => live.stop(),
  };
}

/** The console on a store file of `state`, in the repairs view with its queue on screen. */
export async function openRepairs(
  state: State,
  opts: Parameters<typeof onDisk>[1] & { keymap?: Keymap } = {},
): Promise<{ h: Harness; disk: OnDisk }> {
  const disk = await onDisk(state, opts);
  const h = renderApp(disk.store, { services: disk.live.services, keymap: opts.keymap });
  await h.press('6');
  await h.waitForFrame((f) => f.includes('REASON') && f.includes('undecided'), 'the repairs view');
  return { h, disk };
}

/** Narrow the queue to one repair with the filter (every word must match its row): the frame with it selected. */
export async function pickRepair(h: Harness, words: string): Promise<string> {
  await h.press('/', ...words, KEYS.enter);
  const first = words.split(' ')[0];
  const selected = (f: string) => f.split('\n').find((l) => l.startsWith('>')) ?? '';
  return h.waitForFrame((f) => selected(f).includes(first) && !f.includes(`/${words}`), `the row ${words}`);
}
