#!/usr/bin/env node
// gc-tui: the interactive console (loaded lazily, only on a TTY) and the headless commands of CONTRACT.md.
// Exit codes follow `kubectl diff`: 0 clean, 1 drift (or a requested repair not applied), 2 error.
// Every failure ends as one `gc-tui: <file>: <place>: <what>` line on stderr, never a stack trace.
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { plan } from './engine/index.js';
import type { Plan, Repair } from './engine/types.js';
import { writeFileAtomic } from './store/atomic-file.js';
import { prepareDemoStore } from './store/demo.js';
import { exportJsonDocument, renderCsv, renderMarkdown, storeDocumentOf } from './store/export.js';
import { stringifyJson } from './store/json-text.js';
import { writeStoreDocument } from './store/load-store.js';
import { defaultOperator } from './store/operator.js';
import { describeSource } from './store/paths.js';
import { driftExitCode, publicPlan } from './store/plan-view.js';
import { escapeJsonControls, sanitize } from './store/sanitize.js';
import { checkSourceReadable, loadSource, resolveSource, UsageError } from './store/source.js';
import { formatCheckSummary } from './store/summary.js';
import { parseRfc3339 } from './store/time.js';
import { InputError, type Loaded, type Source } from './store/types.js';
import { applyRepairsLocked } from './store/write.js';

interface GlobalOptions {
  store?: string;
  city?: string;
  readOnly?: boolean;
  demo?: boolean;
  by?: string;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function out(text: string): void {
  process.stdout.write(text);
}

function err(text: string): void {
  process.stderr.write(`gc-tui: ${text}\n`);
}

function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const d = parseRfc3339(value);
  if (!d) throw new UsageError(`--now: ${JSON.stringify(value)} is not an RFC 3339 time (e.g. 2026-05-06T02:13:00Z)`);
  return d;
}

/** The input options must not contradict each other; checked first on every path, terminal or not. */
function checkInputOptions(g: GlobalOptions): void {
  if (g.demo && (g.store !== undefined || g.city !== undefined)) throw new UsageError('--demo opens the bundled demo city; do not combine it with --store or --city');
  if (g.store !== undefined && g.city !== undefined) throw new UsageError('use either --store FILE or --city DIR, not both');
}

/** The input of a command: --demo's fresh copy, else --store/--city/the default rule. */
function sourceOf(g: GlobalOptions): Source {
  checkInputOptions(g);
  if (g.demo) {
    const copy = prepareDemoStore();
    // A headless command on the demo works on a throwaway copy; do not leave it behind.
    process.once('exit', () => rmSync(dirname(copy), { recursive: true, force: true }));
    return { kind: 'store', path: copy };
  }
  return resolveSource(g);
}

async function runCheck(g: GlobalOptions, opts: { json?: boolean; now?: string }): Promise<number> {
  const now = parseNow(opts.now);
  const loaded = await loadSource(sourceOf(g));
  const p = plan(loaded.state, now);
  if (opts.json) out(escapeJsonControls(JSON.stringify(publicPlan(p), null, 2)) + '\n');
  else out(formatCheckSummary(loaded, p, now));
  return driftExitCode(p);
}

async function runApply(g: GlobalOptions, opts: { repair?: string[]; all?: boolean; now?: string; by?: string; reason?: string }): Promise<number> {
  if (g.readOnly) throw new UsageError('apply is refused in --read-only mode');
  if (opts.all && opts.repair) throw new UsageError('use either --repair ID... or --all, not both');
  if (!opts.all && !opts.repair) throw new UsageError('apply needs --repair ID... or --all');
  const now = parseNow(opts.now);
  const by = opts.by ?? g.by ?? defaultOperator();
  const source = sourceOf(g);
  const loaded = await loadSource(source);
  const p = plan(loaded.state, now);

  let code = 0;
  let selected: Repair[];
  if (opts.all) selected = p.repairs;
  else {
    const byId = new Map(p.repairs.map((r) => [r.id, r]));
    selected = [];
    for (const id of opts.repair ?? []) {
      const r = byId.get(id);
      if (r) selected.push(r);
      else {
        err(`${describeSource(source)}: unknown repair id ${JSON.stringify(sanitize(id))}: not in the current plan (see gc-tui check)`);
        code = 1;
      }
    }
  }
  if (selected.length === 0) {
    out('nothing to apply\n');
    return code;
  }

  const result = await applyRepairsLocked(source, selected, { now, by, note: opts.reason ?? '' });
  for (const r of result.applied) out(`applied ${sanitize(r.id)}: ${sanitize(r.reason)}\n`);
  for (const s of result.stale) out(`stale ${sanitize(s.repair.id)}: ${sanitize(s.why ?? `${s.change.field} changed on disk`)}; not applied\n`);
  const target = describeSource(source);
  out(`${result.applied.length} applied, ${result.stale.length} stale (${sanitize(target)})\n`);
  return result.stale.length > 0 ? 1 : code;
}

async function writeOutput(file: string | undefined, text: string, toTerminal: string): Promise<void> {
  if (file === undefined) out(toTerminal);
  else writeFileAtomic(file, text);
}

async function runExport(g: GlobalOptions, opts: { format: 'json' | 'md' | 'csv'; out?: string; now?: string }): Promise<number> {
  const now = parseNow(opts.now);
  const loaded: Loaded = await loadSource(sourceOf(g));
  const p: Plan = plan(loaded.state, now);
  if (opts.format === 'json') {
    const doc = exportJsonDocument(loaded, p, now);
    if (opts.out !== undefined) await writeStoreDocument(opts.out, doc);
    else out(escapeJsonControls(stringifyJson(doc)));
  } else {
    // md is sanitized as it is built; csv cells are too, so both are safe on a terminal and in a file.
    const text = opts.format === 'md' ? renderMarkdown(loaded, p, now) : renderCsv(loaded, p);
    await writeOutput(opts.out, text, text);
  }
  if (opts.out !== undefined) process.stderr.write(`gc-tui: wrote ${opts.format} snapshot to ${sanitize(opts.out)}\n`);
  return 0;
}

async function runImport(g: GlobalOptions, opts: { out: string }): Promise<number> {
  if (g.store !== undefined) throw new UsageError('import reads a city: use --city DIR (not --store)');
  if (g.city === undefined) throw new UsageError('import needs --city DIR');
  const loaded = await loadSource({ kind: 'city', dir: g.city });
  await writeStoreDocument(opts.out, storeDocumentOf(loaded));
  process.stderr.write(`gc-tui: imported ${sanitize(g.city)} (${loaded.state.beads.length} beads, ${loaded.state.city.agents.length} templates) to ${sanitize(opts.out)}\n`);
  return 0;
}

function sourceOptions(source: Source): { store?: string; city?: string } {
  return source.kind === 'store' ? { store: source.path } : { city: source.dir };
}

type RunInteractive = (o: { store?: string; city?: string; readOnly: boolean; demo: boolean; by: string }) => Promise<number>;
/** Ink may leave stdin referenced after unmount; the interactive path exits explicitly. */
let interactiveRan = false;

async function runDefault(g: GlobalOptions): Promise<number> {
  checkInputOptions(g);
  if (process.stdin.isTTY && process.stdout.isTTY) {
    // --demo: the console makes its own copy and starts the simulated controller on it.
    const source = g.demo ? null : resolveSource(g);
    // Fail fast, before the terminal is taken over, when the input cannot be read at all: a cheap check (no
    // read of the beads; the console's first read, in its worker, is the only full one).
    if (source) checkSourceReadable(source);
    const where = source ? sourceOptions(source) : {};
    let runInteractive: RunInteractive;
    try {
      // A computed specifier: the console is built by another module and must not be loaded on headless paths.
      const uiModule = './ui/run.js';
      ({ runInteractive } = (await import(uiModule)) as { runInteractive: RunInteractive });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
        throw new UsageError('the interactive console is not part of this build; use check, apply, export or import');
      }
      throw e;
    }
    const code = await runInteractive({ ...where, readOnly: !!g.readOnly, demo: !!g.demo, by: g.by ?? defaultOperator() });
    interactiveRan = true;
    return code;
  }
  const source = sourceOf(g);
  // No terminal (a pipe, cron, CI): behave like `check`.
  const now = new Date();
  const loaded = await loadSource(source);
  const p = plan(loaded.state, now);
  out(formatCheckSummary(loaded, p, now));
  return driftExitCode(p);
}

function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('gc-tui');
  program
    .description('Operator console for Gas City pool-session accounting')
    .version(version(), '-V, --version')
    .option('--store <file>', 'a gc-tui store file (default: ./gc-store.json unless the current directory holds city.toml)')
    .option('--city <dir>', 'a Gas City city directory (city.toml + .gc/beads.json)')
    .option('--read-only', 'hide and refuse every write')
    .option('--demo', 'open the bundled demo city (a fresh temporary copy)')
    .option('--by <name>', 'operator name for the audit log (default: the OS user)')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(`gc-tui: ${s.replace(/^error: /, '')}`) })
    .showSuggestionAfterError()
    .allowExcessArguments(true)
    .helpCommand(true)
    .configureHelp({ showGlobalOptions: true })
    .action(async (_opts: unknown, cmd: Command) => {
      const command = cmd.args[0];
      if (command !== undefined) throw new UsageError(`unknown command ${JSON.stringify(sanitize(command))} (see gc-tui --help)`);
      setCode(await runDefault(program.opts<GlobalOptions>()));
    });
  program.addHelpText(
    'after',
    '\nExit codes: 0 no drift, 1 drift (a repair or an action finding; for apply: a requested repair not applied), 2 error.',
  );

  const nowOption = () => new Option('--now <time>', 'the clock for the time rules, RFC 3339 (default: now)');
  program
    .command('check')
    .allowExcessArguments(false)
    .description('run the engine once and report figures, repairs and findings')
    .option('--json', 'print {metrics, repairs, findings, pools} as JSON')
    .addOption(nowOption())
    .action(async (opts: { json?: boolean; now?: string }, cmd: Command) => setCode(await runCheck(cmd.optsWithGlobals<GlobalOptions>(), opts)));

  program
    .command('apply')
    .allowExcessArguments(false)
    .description('apply repairs from a fresh plan in one locked, atomic write')
    .option('--repair <id...>', 'repair ids to apply (see check)')
    .option('--all', 'apply every repair of the fresh plan')
    .addOption(nowOption())
    .option('--reason <text>', 'note for the audit log')
    .action(async (opts: { repair?: string[]; all?: boolean; now?: string; reason?: string }, cmd: Command) =>
      setCode(await runApply(cmd.optsWithGlobals<GlobalOptions>(), opts)),
    );

  program
    .command('export')
    .allowExcessArguments(false)
    .description('write a snapshot: json (a store file plus the plan), md (a report) or csv (one row per session bead)')
    .addOption(new Option('--format <format>', 'json, md or csv').choices(['json', 'md', 'csv']).makeOptionMandatory())
    .option('--out <file>', 'write to FILE instead of stdout')
    .addOption(nowOption())
    .action(async (opts: { format: 'json' | 'md' | 'csv'; out?: string; now?: string }, cmd: Command) =>
      setCode(await runExport(cmd.optsWithGlobals<GlobalOptions>(), opts)),
    );

  program
    .command('import')
    .allowExcessArguments(false)
    .description('turn a city directory (--city DIR) into a gc-tui store file')
    .requiredOption('--out <file>', 'the store file to write')
    .action(async (opts: { out: string }, cmd: Command) => setCode(await runImport(cmd.optsWithGlobals<GlobalOptions>(), opts)));

  return program;
}

async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are not errors; every other parse failure is a bad argument.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version' ? 0 : 2;
    }
    if (e instanceof InputError || e instanceof UsageError) {
      err(sanitize(e.message));
      return 2;
    }
    err(`internal error: ${sanitize(e instanceof Error ? e.message : String(e))}`);
    return 2;
  }
}

// A closed pipe (`gc-tui check | head -1`) is not an error worth a trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    if (interactiveRan) process.exit(code);
  },
  (e: unknown) => {
    err(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  },
);
