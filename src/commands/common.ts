// What every headless command shares: the global options, the input they read, the clock, and where their
// words go (stdout for results, stderr for one-line notes and errors). No Ink here: headless paths never load it.
import { fstatSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Chalk, supportsColor, type ChalkInstance, type ColorSupportLevel } from 'chalk';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { DetectedEdition } from '../engine/index.js';
import { cityPaths } from '../store/formats/city-paths.js';
import { prepareDemoStore } from '../store/demo.js';
import { defaultOperator } from '../store/operator.js';
import { auditPathOf, decisionLockFile, lockPathOf, metricsPathOf, pendingAuditPath } from '../store/fs/paths.js';
import { quote, sanitize } from '../store/output/sanitize.js';
import { editionOf, parseRulesChoice } from '../store/rules.js';
import { resolveSource, UsageError } from '../store/source.js';
import { parseRfc3339 } from '../store/time.js';
import { InputError, type Loaded, type Source } from '../store/types.js';
import { lstatOrNull } from '../store/fs/safe-file.js';
import { writeText } from '../store/fs/atomic-file.js';

export interface GlobalOptions {
  store?: string;
  city?: string;
  readOnly?: boolean;
  demo?: boolean;
  by?: string;
  /** `--beads FILE|-` (repeatable): a city's beads from captures instead of its own store. */
  beads?: string[];
  /** `--rules 2026-05|2026-08|auto`: which Gas City's rules the plan follows (src/engine/editions.ts). */
  rules?: string;
}

/**
 * The rule edition of a command and why: as chosen with --rules, or for `auto` (the default) as the input
 * shows it (detectEdition; a sealed bead file is a marker the engine learns from the file's top level).
 */
export function rulesOf(g: GlobalOptions, loaded: Pick<Loaded, 'source' | 'state' | 'extra'>): DetectedEdition {
  return editionOf(parseRulesChoice(g.rules), loaded);
}

/** The real path of `file` (of its directory when it does not exist yet), for comparing two names of one file. */
function realName(file: string): string {
  const abs = resolve(file);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

const CITY = cityPaths('.');
const GC = basename(dirname(CITY.gcTuiDir));
const GC_TUI = basename(CITY.gcTuiDir);
/** The names of gc-tui's own files in a city's `.gc/gc-tui/`: the audit log, its journal, the metrics, the decisions and their lock. */
const GC_TUI_NAMES = new Set(
  [CITY.audit, `${CITY.audit}.pending`, CITY.metrics, CITY.decisions, `${CITY.decisions}.lock`].map((f) => basename(f)),
);

/**
 * What the real path `target` is as to the directories named `.gc` on its way (any city's or rig store's, not only
 * the input's): `gc` inside one (Gas City's), or named `.gc` itself where it is not strictly inside a `.gc/gc-tui/` (a
 * file there takes the place of a city's or rig's `.gc/`); `ours` one of gc-tui's own file names directly in a
 * `.gc/gc-tui/`; or null. The innermost `.gc` decides: strictly inside its `gc-tui` is gc-tui's (a city kept under some
 * other `.gc` keeps its own `.gc/gc-tui/`). The names are the real path's, each directory resolved as it is: a
 * `.gc/gc-tui` that is a link back into `.gc` leaves the target in `.gc` and not under that name, so Gas City's files
 * never become gc-tui's; and `.gc/gc-tui` itself is not inside it (a file there would take the place of gc-tui's
 * directory). On a case-insensitive filesystem (macOS, Windows) `.GC` is a `.gc` and `AUDIT.JSONL` gc-tui's audit log,
 * and the real path keeps the case typed: `.gc` and gc-tui's file names are matched in any case, `gc-tui` only as
 * spelled (a `.gc/GC-TUI/` is refused, as any other directory of a `.gc`, wherever it may be gc-tui's).
 */
function inGcNotOurs(target: string): 'gc' | 'ours' | null {
  const parts = target.split(sep);
  const folded = parts.map((p) => p.toLowerCase());
  const at = folded.lastIndexOf(GC, parts.length - 2);
  const named = folded[parts.length - 1] === GC;
  if (at < 0) return named ? 'gc' : null;
  if (parts[at + 1] !== GC_TUI || parts.length - at < 3) return 'gc';
  return parts.length - at === 3 && GC_TUI_NAMES.has(folded[at + 2]) ? 'ours' : null;
}

/** The names gc-tui keeps beside a store file `<store>`, longest first: what each one is, for the refusal. */
const BESIDE_A_STORE: ReadonlyArray<readonly [string, string]> = [
  ['.audit.jsonl.pending', "audit log's journal"],
  ['.metrics.jsonl', 'metrics history'],
  ['.audit.jsonl', 'audit log'],
  ['.lock', 'lock'],
];

/**
 * `target` as one of the files gc-tui keeps beside some file that exists (not only the input's): written over, a lock
 * would be replaced under its holder (two writers at once) and an audit log lose its history. Any existing file counts,
 * not only one that parses as a store: refusing a name that is only ever gc-tui's costs nothing. Matched in any case,
 * as a case-insensitive filesystem would.
 */
function besideAStore(target: string): { what: string; store: string } | null {
  const folded = target.toLowerCase();
  for (const [suffix, what] of BESIDE_A_STORE) {
    if (!folded.endsWith(suffix) || folded.length === suffix.length) continue;
    const store = target.slice(0, target.length - suffix.length);
    try {
      if (statSync(store).isFile()) return { what, store };
    } catch {
      // no store there: a file of that name is the operator's own
    }
  }
  return null;
}

/** The device and inode of `file` (links followed), or null when it cannot be stat'ed: one file under two names. */
function inodeOf(file: string): string | null {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/**
 * A file a command writes (`export`, `plan`, `check --out`, `import`) goes into a directory that exists, and never lands on the input or the files kept
 * beside it: written over the live store or a city's beads it would bypass their lock, compare-and-set and audit
 * log (changes go through apply); over the audit log, its journal, the metrics history, the decisions or a lock it
 * would replace a file others append to or lock. Nor in any directory named `.gc` (any city's or rig's: Gas City's)
 * but strictly inside a `.gc/gc-tui/`, gc-tui's own, where the console's exports go too, and there never over
 * gc-tui's own file names, of any city. `instead` says what to do.
 */
export function refuseOwnFiles(outFile: string, loaded: Pick<Loaded, 'files' | 'source'>, instead: string, flag = '--out'): void {
  const target = realName(outFile);
  const { source } = loaded;
  const own = [
    ...loaded.files,
    auditPathOf(source),
    pendingAuditPath(source),
    metricsPathOf(source),
    lockPathOf(source),
    decisionLockFile(source),
  ].map(realName);
  // By name, and by inode for one that exists: another spelling of the same file (`City.toml` on a case-insensitive
  // filesystem, a hard link) is that file too.
  const inode = inodeOf(target);
  if (own.includes(target) || (inode !== null && own.some((f) => inodeOf(f) === inode)))
    throw new UsageError(`${flag} ${sanitize(outFile)}: that is the input or one of its own files; ${instead}`);
  const inGc = inGcNotOurs(target);
  if (inGc === 'gc')
    throw new UsageError(
      `${flag} ${sanitize(outFile)}: ${flag} never writes inside a .gc/ (Gas City's own directory, of any city or rig) but in a .gc/gc-tui/ (gc-tui's, with its audit log, decisions and console exports); ${instead}`,
    );
  if (inGc === 'ours')
    throw new UsageError(
      `${flag} ${sanitize(outFile)}: that is one of gc-tui's own files in a city's .gc/gc-tui/ (its audit log, the log's journal, the metrics history, the decisions or their lock); ${instead}`,
    );
  const beside = besideAStore(target);
  if (beside !== null)
    throw new UsageError(
      `${flag} ${sanitize(outFile)}: that is the name of the ${beside.what} gc-tui keeps beside ${sanitize(beside.store)}, which gc-tui and others lock or append to; ${instead}`,
    );
  // A mistyped directory is an error, not a new folder tree (the writer would create it).
  const dir = dirname(resolve(outFile));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // missing or unreadable: said below
  }
  if (!isDir) throw new UsageError(`${flag} ${sanitize(outFile)}: no directory ${sanitize(dir)}; create it first`);
}

/** A file a command makes (`import --out`, `apply --emit-script`) is not written over one that exists without --force. */
export function refuseExisting(file: string): void {
  // lstat: a link there (even one to nothing) is a name taken, which the write's rename would replace.
  if (lstatOrNull(file) !== null) throw new InputError(file, null, 'already exists; not overwritten (add --force to replace it)');
}

/** Whether stdout is a file or a device that is not a terminal (`> FILE`, `> /dev/null`); asked once. */
let stdoutIsFile: boolean | undefined;

function toFile(): boolean {
  if (stdoutIsFile === undefined) {
    try {
      const st = fstatSync(1);
      stdoutIsFile = (st.isFile() || st.isCharacterDevice()) && !isatty(1);
    } catch {
      stdoutIsFile = false;
    }
  }
  return stdoutIsFile;
}

/**
 * Results on stdout. To a file, Node's stdout writes synchronously anyway (fs.writeSync), but first copies each part
 * into a new Buffer: written here directly, the text is encoded natively without one (at 100 000 beads the json export
 * writes about 1 100 parts of 64 K characters, 72 MB of Buffers for the collector). Pipes and terminals go through
 * process.stdout as before (a pipe may be non-blocking).
 */
export function out(text: string): void {
  writeOut(text, false);
}

/** out() for emitJsonText's parts (a JsonPartSink): one it says is ASCII is written without encoding (writeAscii). */
export function outJson(part: string, ascii?: boolean): void {
  writeOut(part, ascii === true);
}

function writeOut(text: string, ascii: boolean): void {
  if (!toFile()) {
    process.stdout.write(text);
    return;
  }
  try {
    if (ascii) writeAscii(1, text);
    else writeText(1, text);
  } catch (e) {
    // As Node's stdout fails a write it cannot make: the stream is destroyed with the error, which its listener (cli.tsx)
    // hears on the next tick; later parts go to the destroyed stream, as they would have.
    stdoutIsFile = false;
    process.stdout.destroy(e as Error);
  }
}

/**
 * ASCII `text` (the caller knows it: emitJsonText's parts say so) written as Latin-1, which copies its characters
 * as they are instead of encoding them and measuring the UTF-8 again: byte i is character i, so a short write's rest
 * is the text from the count written (at 100 000 beads the json export writes 72 MB of such parts).
 */
function writeAscii(fd: number, text: string): void {
  const n = writeSync(fd, text, null, 'latin1');
  if (n < text.length) writeText(fd, text.slice(n));
}

/** One `gc-tui: ...` line on stderr. */
export function err(text: string): void {
  process.stderr.write(`gc-tui: ${text}\n`);
}

/** The input's warnings (Loaded.warnings), one `gc-tui: warning: ...` line each on stderr, for the commands that print no summary. */
export function warnInput(loaded: Pick<Loaded, 'warnings'>): void {
  for (const w of loaded.warnings ?? []) err(`warning: ${sanitize(w.text)}`);
}

/** The operator the audit log names: `--by`, else the OS user. An empty `--by` would log no one: refused. */
export function operatorOf(g: { by?: string }): string {
  if (g.by === undefined) return defaultOperator();
  if (g.by.trim() === '') throw new UsageError('--by: the operator name the audit log records must not be empty');
  return g.by;
}

export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  // RFC 3339 allows a lower-case `t` and `z` (its section 5.6); the bead times Gas City writes are read as strictly
  // as Go reads them (upper case only), but this is the operator's own clock.
  const d = parseRfc3339(value.replace(/^(\d{4}-\d{2}-\d{2})t/, '$1T').replace(/z$/, 'Z'));
  if (!d) throw new UsageError(`--now: ${quote(value)} is not an RFC 3339 time (e.g. 2026-05-06T02:13:00Z)`);
  return d;
}

/** The input options must not contradict each other; checked first on every path, terminal or not. */
export function checkInputOptions(g: GlobalOptions): void {
  if (g.demo && (g.store !== undefined || g.city !== undefined))
    throw new UsageError('--demo opens the bundled demo city; do not combine it with --store or --city');
  if (g.demo && g.beads?.length) throw new UsageError('--demo opens the bundled demo city; --beads reads the beads of a --city');
  if (g.store !== undefined && g.city !== undefined) throw new UsageError('use either --store FILE or --city DIR, not both');
}

/** The input of a command: --demo's fresh copy, else --store/--city/the default rule. */
export function sourceOf(g: GlobalOptions): Source {
  checkInputOptions(g);
  if (g.demo) {
    const copy = prepareDemoStore();
    // A headless command on the demo works on a throwaway copy; do not leave it behind.
    process.once('exit', () => rmSync(dirname(copy), { recursive: true, force: true }));
    return { kind: 'store', path: copy, demo: true };
  }
  return resolveSource(g);
}

/** Whether the command names its input itself (otherwise the default rule, or a plan file's input, applies). */
export function namesInput(g: GlobalOptions): boolean {
  return g.store !== undefined || g.city !== undefined || !!g.demo;
}

/**
 * How many colours headless output on stdout may use: FORCE_COLOR decides when set (chalk's reading of it:
 * `0`/`false` none, `1`..`3` that level), else NO_COLOR (non-empty) means none, else none unless stdout is a
 * terminal, else what chalk detects for it (`TERM=dumb`, CI... mean none).
 */
export function colourLevel(env: NodeJS.ProcessEnv = process.env, isTTY = !!process.stdout.isTTY): ColorSupportLevel {
  const detected = supportsColor ? supportsColor.level : 0;
  if (env.FORCE_COLOR !== undefined) return detected;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  return isTTY ? detected : 0;
}

let colours: ChalkInstance | null = null;

/** The chalk instance for headless output on stdout. Wrap only sanitized text in it. */
export function paint(): ChalkInstance {
  colours ??= new Chalk({ level: colourLevel() });
  return colours;
}
