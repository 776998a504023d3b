#!/usr/bin/env node
// gc-tui: the interactive console (loaded lazily, only on a TTY) and the headless commands of CONTRACT.md,
// each in src/commands/<name>.ts; this file only wires commander to them. Only `check` (also what a run without a
// terminal does) is imported up front: the others are loaded when they run, so `check` does not compile apply's
// write path, its gc calls and node:readline before it reads its input.
// Exit codes follow `kubectl diff`: 0 clean, 1 drift (or a requested repair not applied), 2 error.
// Every failure ends as one `gc-tui: <file>: <place>: <what>` line on stderr, never a stack trace.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import leven, { closestMatch } from 'leven';
import type { ApplyCommandOptions } from './commands/apply.js';
import { runCheck, type CheckOptions } from './commands/check.js';
import { checkInputOptions, err, operatorOf, type GlobalOptions } from './commands/common.js';
import type { ExportFormat } from './commands/export.js';
import { quote, sanitize } from './store/output/sanitize.js';
import { parseRulesChoice } from './store/rules.js';
import type { RunOptions } from './ui/run.js';
import { resolveSource, UsageError } from './store/source.js';

/**
 * Commander's message for a bad argument, as one of ours: without its `error: `, and with what was typed on the
 * command line (an option, a value, a command) shown as visible escapes: it can hold escape sequences and line
 * breaks as well as bead data can.
 */
function argumentError(message: string): string {
  const body = message.replace(/^error: /, '').replace(/\n$/, '');
  // Commander's own second line, a suggestion, is the only line break kept: one typed in a value is shown as `\n`.
  const at = body.lastIndexOf('\n(Did you mean ');
  return at < 0 ? `${sanitize(body)}\n` : `${sanitize(body.slice(0, at))}\n${sanitize(body.slice(at + 1))}\n`;
}
import { InputError, type Source } from './store/types.js';
import { describeFsError } from './store/fs/fs-errors.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function sourceOptions(source: Source): { store?: string; city?: string; beads?: string[] } {
  return source.kind === 'store' ? { store: source.path } : { city: source.dir, ...(source.beads ? { beads: source.beads } : {}) };
}

// A type-only import: erased from the build, so headless paths still never load src/ui.
type RunInteractive = (o: RunOptions) => Promise<number>;

/**
 * A file or directory option's value: an empty one (`--city "$CITY"` with the variable unset) is refused as a bad
 * argument that says so, not read as a file named "" (`gc-tui: : no such directory`).
 */
function pathValue(value: string): string {
  if (value === '') throw new InvalidArgumentError('An empty path names no file (is a shell variable unset?)');
  return value;
}

/**
 * The refusal of a command gc-tui does not have, with the one it most likely meant (`chek`: check), as commander
 * suggests a mistyped option (`--jsn`: --json) and git a mistyped command. Commander's own suggestion for a command
 * never runs here: the program's own action (the console) takes the word as an argument, and commander suggests a
 * command only for a program without one (its suggestSimilar is not exported). Within two edits, and fewer than
 * the word has (`pl` is no typo of plan).
 */
function unknownCommand(asked: string, program: Command): UsageError {
  const meant = closestMatch(
    asked,
    program.commands.map((c) => c.name()),
    { maxDistance: 2 },
  );
  const hint = meant !== undefined && leven(asked, meant) < asked.length ? `did you mean ${meant}? see gc-tui --help` : 'see gc-tui --help';
  return new UsageError(`unknown command ${quote(asked)} (${hint})`);
}

/** `--beads` may be given more than once: each capture is read, in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), pathValue(value)];
}

/** Ink may leave stdin referenced after unmount; the interactive path exits explicitly. */
let interactiveRan = false;

async function runDefault(g: GlobalOptions): Promise<number> {
  checkInputOptions(g);
  if (process.stdin.isTTY && process.stdout.isTTY) {
    // --demo: the console makes its own copy and starts the simulated controller on it.
    const source = g.demo ? null : resolveSource(g);
    // Fail fast, before the terminal is taken over, when the input cannot be read at all: a cheap check (no
    // read of the beads; the console's first read, in its worker, is the only full one).
    if (source) (await import('./store/source-files.js')).checkSourceReadable(source);
    if (g.beads?.includes('-'))
      throw new UsageError('--beads -: the console reads its keys from the terminal; save the capture to a file and pass --beads FILE');
    const where = source ? sourceOptions(source) : {};
    let runInteractive: RunInteractive;
    try {
      // Loaded here only: the headless commands never pay for Ink and React (the build splits it off).
      ({ runInteractive } = (await import('./ui/run.js')) as { runInteractive: RunInteractive });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
        throw new UsageError('the interactive console is not part of this build; use check, apply, export or import');
      }
      throw e;
    }
    // A city read from captures is read-only (writes through gc are not part of this version).
    const readOnly = !!g.readOnly || !!g.beads?.length;
    const code = await runInteractive({
      ...where,
      readOnly,
      demo: !!g.demo,
      by: operatorOf(g),
      rules: parseRulesChoice(g.rules),
    });
    interactiveRan = true;
    return code;
  }
  // No terminal (a pipe, cron, CI): behave like `check`.
  return runCheck(g, {});
}

function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('gc-tui');
  program
    .description('Operator console for Gas City pool-session accounting')
    .version(version(), '-V, --version')
    .option('--store <file>', 'a gc-tui store file (default: ./gc-store.json unless the current directory holds city.toml)', pathValue)
    .option('--city <dir>', 'a Gas City city directory (city.toml + .gc/beads.json, or its bd beads through gc)', pathValue)
    .option(
      '--beads <file>',
      "with a city: read its beads from FILE (- for stdin), a capture of `gc beads list --label gc:session --all --format=json` or bd's `bd list --json`; repeatable. The console is then read-only; apply writes through gc when gc is on PATH, else writes the gc commands to the script ./gc-tui-apply-<time>.sh in the current directory and applies nothing",
      collect,
    )
    .option('--read-only', 'hide and refuse every write')
    .option('--demo', 'open the bundled demo city (a fresh temporary copy)')
    .option('--by <name>', 'operator name for the audit log (default: the OS user)')
    .addOption(
      new Option(
        '--rules <edition>',
        "which Gas City's rules the plans follow (check, plan, apply, export and the console): 2026-05 (PR #2076), 2026-08, or auto (2026-08 when the input shows a newer build)",
      )
        .choices(['2026-05', '2026-08', 'auto'])
        .default('auto'),
    )
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(`gc-tui: ${argumentError(s)}`) })
    .showSuggestionAfterError()
    .allowExcessArguments(true)
    .helpCommand(true)
    .configureHelp({ showGlobalOptions: true })
    .action(async (_opts: unknown, cmd: Command) => {
      const command = cmd.args[0];
      if (command !== undefined) throw unknownCommand(command, program);
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
    .option('--json', 'print {metrics, repairs, findings, pools, rules} as JSON')
    .option('--out <file>', 'save the plan (the --json object plus input) to FILE, as plan --out does', pathValue)
    .addOption(nowOption())
    .action(async (opts: CheckOptions, cmd: Command) => setCode(await runCheck(cmd.optsWithGlobals<GlobalOptions>(), opts)));

  program
    .command('plan')
    .allowExcessArguments(false)
    .description('save the check --json object plus input {source, fingerprint} to FILE, for apply --plan')
    .requiredOption('--out <file>', 'the plan file to write (atomically)', pathValue)
    .addOption(nowOption())
    .action(async (opts: { out: string; now?: string }, cmd: Command) =>
      setCode(await (await import('./commands/plan.js')).runPlan(cmd.optsWithGlobals<GlobalOptions>(), opts)),
    );

  program
    .command('apply')
    .allowExcessArguments(false)
    .description(
      "apply repairs from a fresh plan (or a saved one): one locked, atomic write of a store or a city's .gc/beads.json, or Gas City's own conditional commands for a city whose beads Gas City keeps (bd, or read from --beads): run through gc when it is on PATH, else written to the script ./gc-tui-apply-<time>.sh in the current directory (named on stderr), nothing applied",
    )
    .option('--repair <id...>', "repair ids to apply (see check); with --plan, a choice among the plan's")
    .option('--all', 'apply every repair of the fresh plan')
    .option('--plan <file>', 'apply exactly the repairs of a plan saved by plan --out, each re-checked on disk', pathValue)
    .option('--dry-run', 'show the diff of what would be written, write nothing')
    .option('--yes', 'on a terminal, apply without asking')
    .addOption(nowOption())
    .option('--reason <text>', 'note for the audit log')
    .option(
      '--emit-script <file>',
      'a city: write the reviewed repairs to FILE as a bash script of gc commands and apply nothing (done anyway when its beads are not its file store and gc is not on PATH); an existing FILE is refused unless --force',
      pathValue,
    )
    .option('--force', 'replace an existing --emit-script FILE')
    .action(async (opts: ApplyCommandOptions, cmd: Command) => {
      setCode(await (await import('./commands/apply.js')).runApply(cmd.optsWithGlobals<GlobalOptions>(), opts));
    });

  program
    .command('export')
    .allowExcessArguments(false)
    .description('write a snapshot: json (a store file plus the plan), md (a report) or csv (one row per session bead)')
    .addOption(new Option('--format <format>', 'json, md or csv').choices(['json', 'md', 'csv']).makeOptionMandatory())
    .option('--out <file>', 'write to FILE instead of stdout', pathValue)
    .addOption(nowOption())
    .action(async (opts: { format: ExportFormat; out?: string; now?: string }, cmd: Command) =>
      setCode(await (await import('./commands/export.js')).runExport(cmd.optsWithGlobals<GlobalOptions>(), opts)),
    );

  program
    .command('import')
    .allowExcessArguments(false)
    .description('turn a city directory (--city DIR) into a gc-tui store file')
    .requiredOption('--out <file>', 'the store file to write (an existing file is refused unless --force)', pathValue)
    .option('--force', 'replace an existing --out file')
    .action(async (opts: { out: string; force?: boolean }, cmd: Command) =>
      setCode(await (await import('./commands/import.js')).runImport(cmd.optsWithGlobals<GlobalOptions>(), opts)),
    );

  return program;
}

async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    // `help NAME` of no command: commander shows the whole help as an error; one line, as for `gc-tui NAME`.
    const asked = argv[2] === 'help' ? argv[3] : undefined;
    if (asked !== undefined && !asked.startsWith('-') && !program.commands.some((c) => c.name() === asked || c.aliases().includes(asked)))
      throw unknownCommand(asked, program);
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

// A closed pipe (`gc-tui check | head -1`) is not an error worth a trace. Any other failed write to stdout (a full
// disk, `> /dev/full`) is: what was asked for was not delivered, and a script must not take a cut-off report. A
// terminal that fails a write has hung up: the console ends on the SIGHUP that comes with it (129).
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  if (process.stdout.isTTY) return;
  err(`standard output: cannot write: ${describeFsError(e)}`);
  process.exit(2);
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
