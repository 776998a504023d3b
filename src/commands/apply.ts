// `gc-tui apply (--repair ID... | --all | --plan FILE [--repair ID...]) [--dry-run] [--yes] [--now T] [--reason TEXT]`:
// repairs from a fresh plan (or exactly those of a saved plan) in one locked, atomic write, each re-checked
// on disk under the lock (src/store/write.ts). --dry-run shows the diff and writes nothing; on a terminal,
// without --yes, the same diff is shown and only `yes` goes on.
import { createInterface } from 'node:readline';
import { plan } from '../engine/index.js';
import type { Plan, Repair } from '../engine/types.js';
import { newBatchId } from '../store/audit.js';
import { describeSource, shownSource } from '../store/fs/paths.js';
import { quote, sanitize } from '../store/output/sanitize.js';
import { loadSource, resolveSource, sameSource, UsageError } from '../store/source.js';
import { fingerprintFiles, fingerprintOf } from '../store/source-files.js';
import { InputError, type Loaded, type Source } from '../store/types.js';
import { applyRepairsLocked, keptCityBasis, readForWrite, type WriteBasis } from '../store/write.js';
import type { CityBeadsRead } from '../store/formats/load-city.js';
import { findGc } from '../store/formats/beads-capture.js';
import { callsForAll, gcTargetOf } from '../store/gc/calls.js';
import { callsListing, scriptFor } from '../store/gc/script.js';
import { writeFileAtomic } from '../store/fs/atomic-file.js';
import { claimFreshName } from '../store/fs/safe-file.js';
import { formatZ } from '../store/time.js';
import { applyCityThroughGc } from './apply-gc.js';
import {
  err,
  namesInput,
  operatorOf,
  out,
  paint,
  parseNow,
  refuseExisting,
  refuseOwnFiles,
  rulesOf,
  sourceOf,
  warnInput,
  type GlobalOptions,
} from './common.js';
import { readPlanFile, type SavedPlan } from './plan.js';
import { previewAgainst, renderPreview } from './preview.js';

export interface ApplyCommandOptions {
  repair?: string[];
  all?: boolean;
  plan?: string;
  dryRun?: boolean;
  yes?: boolean;
  now?: string;
  reason?: string;
  /** Write the reviewed repairs to FILE as gc commands (a city only) and apply nothing. */
  emitScript?: string;
  /** Replace an existing --emit-script FILE. */
  force?: boolean;
}

function checkOptions(g: GlobalOptions, opts: ApplyCommandOptions): void {
  // Only the script is forced: a stale or refused repair never is.
  if (opts.force && opts.emitScript === undefined)
    throw new UsageError('--force replaces an existing --emit-script FILE, and forces nothing else; drop it');
  if (opts.emitScript !== undefined && opts.dryRun)
    throw new UsageError('--emit-script applies nothing already (it writes the gc commands to a file); drop --dry-run');
  // A script changes nothing in the city: allowed under --read-only, like --dry-run.
  if (g.readOnly && !opts.dryRun && opts.emitScript === undefined) throw readOnlyRefusal(g, opts);
  if (opts.all && opts.repair) throw new UsageError('use either --repair ID... or --all, not both');
  if (opts.all && opts.plan !== undefined)
    throw new UsageError('--plan FILE applies every repair of the plan (or those named with --repair); drop --all');
  if (!opts.all && !opts.repair && opts.plan === undefined) throw new UsageError('apply needs --repair ID..., --all or --plan FILE');
  // The copy would be written, reported by its path, and removed as the command exits.
  if (g.demo && !opts.dryRun && opts.plan === undefined)
    throw new UsageError(
      '--demo works on a throwaway copy of the demo city, removed as the command ends: add --dry-run to see what would be written, or apply to a --store FILE',
    );
}

/**
 * apply's refusal under --read-only, naming what it would have written to, as given (the input named, else the plan's
 * file, else the default input), and the ways that write nothing to it, so that the operator need not look them up:
 * --dry-run, and on a city (--city, or the current directory's) --emit-script.
 */
function readOnlyRefusal(g: GlobalOptions, opts: ApplyCommandOptions): InputError {
  const fromPlan = !g.demo && !namesInput(g) && opts.plan !== undefined;
  const source = g.demo || fromPlan ? null : resolveSource(g);
  const target = g.demo ? '--demo' : fromPlan ? opts.plan! : describeSource(source!);
  const script = source?.kind === 'city' ? '; --emit-script FILE writes the gc commands instead' : '';
  return new InputError(target, null, `apply is refused in --read-only mode (--dry-run shows what it would change${script})`);
}

/** The input of `apply --plan`: the plan's own, or the one named on the command line when it is the same. */
function planSource(g: GlobalOptions, saved: SavedPlan, file: string): Source {
  const planned = saved.input.source;
  if (!namesInput(g)) return planned;
  const what = `${planned.kind} ${describeSource(planned)}`;
  if (g.demo) throw new UsageError(`--demo is not the input of the plan ${file} (${what}); omit --demo to apply it`);
  const given = sourceOf(g);
  if (!sameSource(given, planned)) {
    throw new UsageError(
      `${given.kind === 'store' ? '--store' : '--city'} ${describeSource(given)} is not the input of the plan ${file} (${what}); omit --store/--city to use the plan's input`,
    );
  }
  return given;
}

/**
 * The input, read once: for this command, and when it is written, for the write under the lock too (`basis`, see
 * src/store/write.ts: what is on disk still as read there is neither parsed nor planned again). A store file is read as
 * the write reads it (raw document, bytes). A city is read as every command reads it (its beads may come from
 * elsewhere); when it is to be written and its beads are its `.gc/beads.json` alone (not a --beads capture, not read
 * through gc, no rig stores of its own: loadCity keeps only that read), the SHA-256 of the bytes parsed and what they
 * parsed to are kept, as the console keeps them: under the lock the digest, city.toml and the decisions must match.
 */
async function readInput(source: Source, writes: boolean): Promise<{ loaded: Loaded | WriteBasis; basis?: WriteBasis }> {
  if (source.kind === 'store') {
    const basis = await readForWrite(source);
    return { loaded: basis, basis };
  }
  const kept: { read?: CityBeadsRead } = {};
  const loaded = await loadSource(source, undefined, writes ? (read) => (kept.read = read) : undefined);
  const read = kept.read;
  if (read === undefined || source.beads?.length || read.file.beads !== loaded.state.beads) return { loaded };
  return { loaded, basis: keptCityBasis(source, read, loaded.state) };
}

/** The ids asked for, in the order given; an id not among `available` is reported on stderr. */
function pick(available: Repair[], ids: string[] | undefined, unknown: (id: string) => void): Repair[] {
  if (ids === undefined) return available;
  const byId = new Map(available.map((r) => [r.id, r]));
  const picked: Repair[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (r) picked.push(r);
    else unknown(id);
  }
  return picked;
}

/** One line from the terminal, or null on end of input or Ctrl-C. */
function ask(prompt: string): Promise<string | null> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  return new Promise<string | null>((resolve) => {
    rl.once('close', () => resolve(null));
    rl.once('SIGINT', () => {
      process.stdout.write('\n');
      rl.close();
    });
    rl.question(prompt, (answer) => {
      resolve(answer);
      rl.close();
    });
  });
}

export async function runApply(g: GlobalOptions, opts: ApplyCommandOptions): Promise<number> {
  checkOptions(g, opts);
  const now = parseNow(opts.now);
  const by = operatorOf(g);
  let code = 0;
  const unknownId = (line: string) => {
    err(line);
    code = 1;
  };

  const saved = opts.plan !== undefined ? readPlanFile(opts.plan) : null;
  const source = saved ? planSource(g, saved, opts.plan!) : sourceOf(g);
  const { loaded, basis } = await readInput(source, !opts.dryRun && opts.emitScript === undefined);
  if ('files' in loaded) warnInput(loaded);
  let planned: Plan | undefined;
  let selected: Repair[];
  // The rule edition every judgment of this apply follows: a saved plan's own (its repairs were planned under
  // it), else --rules (default auto) on what was read. The write's re-check under the lock uses the same.
  const rules = saved ? saved.rules : rulesOf(g, loaded);
  if (saved && g.rules !== undefined && g.rules !== 'auto' && g.rules !== rules.edition) {
    throw new UsageError(
      `--rules ${sanitize(g.rules)}: the plan ${sanitize(opts.plan!)} was made under ${rules.edition}; omit --rules to apply it`,
    );
  }
  if (saved) {
    const file = sanitize(opts.plan!);
    selected = pick(saved.repairs, opts.repair, (id) => unknownId(`${file}: unknown repair id ${quote(id)}: not in this plan`));
    if (fingerprintOf(source) !== saved.input.fingerprint) {
      err(`${sanitize(describeSource(source))}: the input changed since the plan was made; each repair is re-checked`);
    }
  } else {
    planned = plan(loaded.state, now, rules.edition);
    const fresh = planned.repairs;
    const where = sanitize(describeSource(source));
    // A repair an operator rejected is withheld from the plan while its changes stay the same: say so, not "unknown".
    const rejected = new Map(planned.detail.rejected.map((w) => [w.repair.id, w.decision]));
    selected = pick(fresh, opts.all ? undefined : opts.repair, (id) => {
      const d = rejected.get(id);
      unknownId(
        d
          ? `${where}: repair ${quote(id)} was rejected by ${sanitize(String(d.by))} at ${sanitize(String(d.at))}${d.reason ? ` (${quote(d.reason)})` : ''}: withheld while its changes stay the same; reopen it in the console (o in the repairs view) to apply it`
          : `${where}: unknown repair id ${quote(id)}: not in the current plan (see gc-tui check)`,
      );
    });
  }

  if (source.kind === 'store' && opts.emitScript !== undefined)
    throw new UsageError(
      `--emit-script writes Gas City commands for a city (--city DIR); ${sanitize(describeSource(source))} is a gc-tui store file, which apply writes itself`,
    );
  // A city whose beads are not its file store is written only through Gas City: gc when it is on PATH, else a
  // script of the same calls (as with --emit-script), and nothing applied.
  const throughGc =
    source.kind === 'city' && (opts.emitScript !== undefined || !('beadsFrom' in loaded) || loaded.beadsFrom?.from !== 'file');
  const gc = throughGc && opts.emitScript === undefined ? findGc() : null;
  const scopes = 'scopes' in loaded ? loaded.scopes : undefined;
  if (throughGc && gc === null && !opts.dryRun) {
    // A saved plan's repairs are judged against the input as it is now, as a dry run and a write judge them: a
    // stale one is not written into the script (it would fail there, or change what no one reviewed).
    if (saved) {
      const judged = previewAgainst(selected, loaded.state, now, planned, rules.edition);
      for (const j of judged) if (j.stale) out(`stale ${sanitize(j.repair.id)}: ${sanitize(j.stale)}; not written\n`);
      if (judged.some((j) => j.stale)) code = 1;
      selected = judged.filter((j) => !j.stale).map((j) => j.repair);
    }
    if (selected.length === 0) {
      out('nothing to apply\n');
      return code;
    }
    const stem = `gc-tui-apply-${formatZ(now).replace(/[-:]/g, '')}`;
    refuseOwnFiles(
      opts.emitScript ?? `${stem}.sh`,
      { source, files: 'files' in loaded ? loaded.files : fingerprintFiles(source) },
      'write the script to another file',
      opts.emitScript === undefined ? 'the script' : '--emit-script',
    );
    // After the files it may never replace, even with --force (city.toml is refused as the city's, not as existing).
    if (opts.emitScript !== undefined && !opts.force) refuseExisting(opts.emitScript);
    // A name of its own: two runs in one second (or with one --now) must not replace a script someone reviewed.
    const file = opts.emitScript ?? claimFreshName(stem, 'sh');
    const target = gcTargetOf(source.dir, loaded.state.city, scopes);
    const items = callsForAll(selected, target);
    writeFileAtomic(
      file,
      scriptFor(items, {
        dir: target.dir,
        cityName: target.cityName,
        edition: rules.edition,
        editionWhy: rules.why,
        time: formatZ(now),
        by,
      }),
    );
    const refused = items.filter((i) => 'refused' in i);
    for (const i of refused) out(`not written ${sanitize(i.repair.id)}: ${sanitize('refused' in i ? i.refused : '')}\n`);
    const n = items.length - refused.length;
    const what = `${n} repair${n === 1 ? '' : 's'} as gc commands`;
    if (opts.emitScript === undefined) {
      err(
        `${sanitize(source.dir)}: gc is not on PATH: nothing applied; ${what} written to ${sanitize(file)}: review it, then run \`bash ${sanitize(file)}\` where gc is`,
      );
      return 1;
    }
    out(`wrote ${sanitize(file)}: ${what}; nothing applied: review it, then run \`bash ${sanitize(file)}\` where gc is\n`);
    return refused.length > 0 ? 1 : code;
  }

  const confirm = !opts.dryRun && !opts.yes && !!process.stdin.isTTY && !!process.stdout.isTTY;
  if (opts.dryRun || (confirm && selected.length > 0)) {
    const items = previewAgainst(selected, loaded.state, now, planned, rules.edition);
    out(renderPreview(items, paint()));
    // Through gc, what is shown is what will run: the exact calls of the repairs that would be applied.
    let impossible = 0;
    if (throughGc && source.kind === 'city') {
      const would = items.filter((i) => !i.stale).map((i) => i.repair);
      const calls = callsForAll(would, gcTargetOf(source.dir, loaded.state.city, scopes));
      impossible = calls.filter((i) => 'refused' in i).length;
      if (would.length > 0) out(callsListing(calls));
    }
    const n = items.filter((i) => !i.stale).length;
    if (opts.dryRun) {
      out('dry run: nothing written\n');
      // As the apply would answer: 1 when a repair asked for would not be applied (stale, or not possible through gc).
      return n - impossible < items.length ? 1 : code;
    }
    if (n === 0) {
      out('nothing to apply\n');
      return 1;
    }
    const answer = await ask(`Apply ${n === 1 ? 'this repair' : `these ${n} repairs`}? Only 'yes' is accepted: `);
    if (answer?.trim() !== 'yes') {
      err('cancelled: nothing written');
      return 1;
    }
  }
  if (selected.length === 0) {
    out('nothing to apply\n');
    return code;
  }

  // The audit lines of one bulk approval share a batch id.
  const batch = selected.length > 1 ? newBatchId() : undefined;
  if (gc !== null && source.kind === 'city') {
    const fresh = planned ?? plan(loaded.state, now, rules.edition);
    return applyCityThroughGc({
      source,
      gc,
      state: loaded.state,
      selected,
      fresh: fresh.repairs,
      // Without --now, the audit lines' time is read here, after the operator's `yes` (gc's writes take no lock of ours).
      now: opts.now === undefined ? new Date() : now,
      by,
      note: opts.reason ?? '',
      batch,
      code,
      scopes,
    });
  }
  const result = await applyRepairsLocked(source, selected, {
    // Without --now, the time of the write: the clock once the lock is held (after the operator's `yes`, and however
    // long another writer held the lock), as `updated_at` and the audit lines say.
    now: opts.now === undefined ? () => new Date() : now,
    by,
    note: opts.reason ?? '',
    batch,
    edition: rules.edition,
    ...(basis ? { basis: { read: basis, plan: planned, now, edition: rules.edition } } : {}),
  });
  // One write for the report: `--all` on a big city applies thousands of repairs, a write (a system call) each.
  const lines = result.applied.map((r) => `applied ${sanitize(r.id)}: ${sanitize(r.reason)}\n`);
  for (const s of result.stale)
    lines.push(`stale ${sanitize(s.repair.id)}: ${sanitize(s.why ?? `${s.change.field} changed on disk`)}; not applied\n`);
  lines.push(`${result.applied.length} applied, ${result.stale.length} stale (${sanitize(shownSource(source))})\n`);
  out(lines.join(''));
  // The write is done; only its audit lines wait (the next write appends them): say so, keep the exit code.
  if (result.auditWarning) err(`warning: ${sanitize(result.auditWarning)}`);
  return result.stale.length > 0 ? 1 : code;
}
