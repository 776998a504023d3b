// A small recording `gc` for the tests of writes through Gas City: a node script put first on PATH. Each call
// appends `{cwd, args}` (argv exactly as received, as JSON) to a log; `beads list` prints the captures; the write
// commands answer per a scenario file, a JSON array of `{match, answer}` (the first rule whose `match` is in the
// space-joined argv wins; none: ok). Answers, as upstream gives them (src/store/gc/calls.ts): ok (`swapped`,
// `released`, a closed line), conflict (`conflict`, `skipped`), error (a stderr line, exit 1), hold (ok, when let go).
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tempDir, write, writeJson } from '../support/files.js';

/**
 * `hold`: ok, once the test lets it go (RecordingGc.release), after saying it is held (RecordingGc.held);
 * `unknown`: cobra's answer of a gc without the command.
 */
export type Answer = 'ok' | 'conflict' | 'error' | 'hold' | 'unknown';

const SCRIPT = `
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_GC_LOG, JSON.stringify({ cwd: process.cwd(), args }) + '\\n');
if (args.includes('list')) {
  process.stdout.write(fs.readFileSync(args.includes('gc:session') ? process.env.FAKE_GC_SESSIONS : process.env.FAKE_GC_OPEN));
  process.exit(0);
}
const rules = process.env.FAKE_GC_SCENARIO ? JSON.parse(fs.readFileSync(process.env.FAKE_GC_SCENARIO, 'utf8')) : [];
const rule = rules.find((r) => args.join(' ').includes(r.match));
let answer = rule ? rule.answer : 'ok';
if (answer === 'hold') {
  // Say so (<log>.held), then wait for <log>.release: a test can act while this call is under way.
  fs.writeFileSync(process.env.FAKE_GC_LOG + '.held', '');
  const tick = new Int32Array(new SharedArrayBuffer(4));
  while (!fs.existsSync(process.env.FAKE_GC_LOG + '.release')) Atomics.wait(tick, 0, 0, 10);
  answer = 'ok';
}
if (answer === 'unknown') {
  process.stderr.write('Error: unknown command "' + args[3] + '" for "gc ' + args[2] + '"\\n');
  process.exit(1);
}
if (answer === 'error') {
  process.stderr.write('gc: dolt server not reachable\\n');
  process.exit(1);
}
if (args.includes('metadata-cas')) {
  const flag = (name) => args.find((a) => a.startsWith('--' + name + '=')).slice(name.length + 3);
  const outcome = answer === 'conflict' ? 'conflict' : 'swapped';
  const result = { schema_version: '1', ok: true, bead_id: args[4], store_ref: flag('store-ref'), key: flag('key'), outcome };
  process.stdout.write(JSON.stringify(result) + '\\n');
} else if (args.includes('release-if-current')) {
  process.stdout.write(answer === 'conflict' ? 'skipped\\n' : 'released\\n');
} else {
  process.stdout.write('Session ' + args[args.length - 1] + ' closed.\\n');
}
`;

export interface RecordingGc {
  bin: string;
  log: string;
  /** PATH (this gc first) and the variables the fake reads. */
  env(opts?: { sessions?: string; open?: string; scenario?: { match: string; answer: Answer }[] }): Record<string, string>;
  /** Whether a `hold` call is under way (or was). */
  held(): boolean;
  /** Let a `hold` call answer. */
  release(): void;
  /** Every call so far, in order. */
  calls(): { cwd: string; args: string[] }[];
}

export function recordingGc(): RecordingGc {
  const bin = tempDir('gc-tui-recgc-');
  const log = join(bin, 'calls.jsonl');
  write(join(bin, 'gc'), `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(join(bin, 'gc'), 0o755);
  return {
    bin,
    log,
    env(opts = {}) {
      const scenario = writeJson(join(tempDir(), 'scenario.json'), opts.scenario ?? []);
      return {
        PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
        FAKE_GC_LOG: log,
        FAKE_GC_SESSIONS: opts.sessions ?? '/dev/null',
        FAKE_GC_OPEN: opts.open ?? opts.sessions ?? '/dev/null',
        FAKE_GC_SCENARIO: scenario,
      };
    },
    held: () => existsSync(`${log}.held`),
    release: () => void write(`${log}.release`, ''),
    calls() {
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { cwd: string; args: string[] });
    },
  };
}

/** The argv after `gc` of one metadata-cas call, as gc-tui makes it (src/store/gc/calls.ts). */
export function casArgs(dir: string, id: string, storeRef: string, key: string, expected: string, next: string): string[] {
  return [
    '--city',
    dir,
    'beads',
    'metadata-cas',
    id,
    `--store-ref=${storeRef}`,
    `--key=${key}`,
    `--expected=${expected}`,
    `--next=${next}`,
    '--json',
  ];
}
