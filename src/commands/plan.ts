// Saved plans. `gc-tui plan --out FILE [--now T]` (and `check --out FILE`) write the `check --json` object plus
// `rules: { edition, why }` and `input: { source, fingerprint }`; `gc-tui apply --plan FILE` reads one back (see apply.ts)
// and re-checks each repair under the same rule edition. The plan names
// its input with an absolute path, so it can be applied from any directory, and fingerprints the bytes read.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_EDITION, EDITIONS, KIND_ORDER, plan, type DetectedEdition, type Edition } from '../engine/index.js';
import type { Plan, Repair } from '../engine/types.js';
import { writeFileAtomic } from '../store/fs/atomic-file.js';
import { assertReadableFile, inputErrorFromFs } from '../store/fs/fs-errors.js';
import { DEFAULT_JSON_LAYOUT, emitJsonText, parseJsonFile } from '../store/formats/json-text.js';
import { countActionFindings, driftExitCode, plural, publicPlan } from '../store/output/plan-view.js';
import { quote, sanitize } from '../store/output/sanitize.js';
import { absoluteSource, UsageError } from '../store/source.js';
import { describeIssues, loadZod, summarizeProblems } from '../store/formats/schema.js';
import { InputError, type Loaded, type Source } from '../store/types.js';
import { parseNow, refuseOwnFiles, rulesOf, sourceOf, warnInput, type GlobalOptions } from './common.js';

/**
 * The `check --json` object; `withheld` (only when there are some) the repairs an operator rejected, each with
 * its rejection: a script reading `repairs: []` and a figure above 0 then sees why.
 */
export function checkObject(p: Plan): Record<string, unknown> {
  const withheld = p.detail.rejected.map(({ repair, decision: d }) => ({
    ...repair,
    rejected: { by: d.by ?? '', at: d.at ?? '', reason: d.reason ?? '' },
  }));
  return { ...publicPlan(p), ...(withheld.length > 0 ? { withheld } : {}) };
}

export interface PlanInput {
  source: Source;
  /** `sha256:<hex>` of the data files' bytes (fingerprintOf). */
  fingerprint: string;
}

export interface SavedPlan {
  repairs: Repair[];
  input: PlanInput;
  /** The rule edition it was planned under; `2026-05` for a plan written before editions. */
  rules: DetectedEdition;
}

/** Refuse to write a plan over the very file it describes (`inputFiles`: its data files), and a plan of --demo's throwaway copy. */
function checkPlanTarget(g: GlobalOptions, inputFiles: () => string[], file: string): void {
  if (g.demo)
    throw new UsageError(
      '--demo works on a throwaway copy of the demo city, which no saved plan could be applied to; save a plan of --store or --city',
    );
  if (inputFiles().some((f) => resolve(f) === resolve(file))) {
    throw new UsageError(`--out ${quote(file)} is the input itself; write the plan to another file`);
  }
}

/**
 * Write `check --json` plus `input` to `file`, atomically, a part at a time as it is made (emitJsonText, the
 * text `check --json` prints): at 100 000 beads the whole text would be 15 MB held at once.
 */
export function writePlanFile(file: string, loaded: Loaded, p: Plan, fingerprint: string, rules: DetectedEdition): void {
  const input: PlanInput = { source: absoluteSource(loaded.source), fingerprint };
  writeFileAtomic(file, (write) => emitJsonText(write, { ...checkObject(p), rules, input }, DEFAULT_JSON_LAYOUT));
}

/** Plan the input once, save it to `file` (a one-line note on stderr), and return the plan with what was loaded. */
export async function savePlan(g: GlobalOptions, file: string, now: Date): Promise<{ loaded: Loaded; plan: Plan; rules: DetectedEdition }> {
  const source = sourceOf(g);
  // Loaded here, not with `check`: for a city it reads the configuration (source-files.ts).
  const { fingerprintFiles, loadSourceWithFingerprint } = await import('../store/source-files.js');
  checkPlanTarget(g, () => fingerprintFiles(source), file);
  const { loaded, fingerprint } = await loadSourceWithFingerprint(source);
  refuseOwnFiles(file, loaded, 'write the plan to another file');
  const rules = rulesOf(g, loaded);
  const p = plan(loaded.state, now, rules.edition);
  writePlanFile(file, loaded, p, fingerprint, rules);
  process.stderr.write(
    `gc-tui: wrote plan (${plural(p.repairs.length, 'repair')}, ${plural(countActionFindings(p), 'action finding')}) to ${sanitize(file)}\n`,
  );
  return { loaded, plan: p, rules };
}

/** `gc-tui plan --out FILE [--now T]`: exit code as check. */
export async function runPlan(g: GlobalOptions, opts: { out: string; now?: string }): Promise<number> {
  const { loaded, plan: p } = await savePlan(g, opts.out, parseNow(opts.now));
  warnInput(loaded);
  return driftExitCode(p);
}

// ---------------------------------------------------------------- reading a plan file back

const FIELD = /^(metadata\..+|assignee|status)$/;

/** The saved plan's schema; zod is loaded only when a plan file is read (apply --plan). */
function planFileSchema() {
  const z = loadZod();
  const changeSchema = z.object({
    field: z.string().regex(FIELD, 'must be "metadata.<key>", "assignee" or "status"'),
    before: z.string().nullable(),
    after: z.string().nullable(),
  });

  const repairSchema = z.looseObject({
    id: z.string().min(1),
    kind: z.enum(KIND_ORDER as readonly [Repair['kind'], ...Repair['kind'][]]),
    beadId: z.string().min(1),
    template: z.string().nullable().optional(),
    changes: z.array(changeSchema).min(1),
    reason: z.string(),
  });

  const sourceSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('store'), path: z.string().min(1) }),
    z.object({ kind: z.literal('city'), dir: z.string().min(1), beads: z.array(z.string().min(1)).optional() }),
  ]);

  return z
    .looseObject({
      metrics: z.record(z.string(), z.unknown()).optional(),
      repairs: z.array(repairSchema),
      findings: z.array(z.unknown()).optional(),
      pools: z.array(z.unknown()).optional(),
      input: z.object({ source: sourceSchema, fingerprint: z.string().min(1) }),
      rules: z.looseObject({ edition: z.enum(EDITIONS as readonly [Edition, ...Edition[]]), why: z.string().optional() }).optional(),
    })
    .superRefine((doc, ctx) => {
      const seen = new Map<string, number>();
      doc.repairs.forEach((r, i) => {
        if (r.id !== `${r.kind}:${r.beadId}`) {
          ctx.addIssue({
            code: 'custom',
            path: ['repairs', i, 'id'],
            // The value found is added as for every schema problem (", got string ...").
            message: `must be "<kind>:<beadId>" (${quote(`${r.kind}:${r.beadId}`)})`,
          });
        }
        const first = seen.get(r.id);
        if (first !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['repairs', i, 'id'],
            message: `duplicate repair id ${quote(r.id)} (first at repairs[${first}])`,
          });
        else seen.set(r.id, i);
      });
    });
}

/** Read and validate a saved plan. Exit 2 material: an InputError naming the file and the place. */
export function readPlanFile(file: string): SavedPlan {
  assertReadableFile(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw inputErrorFromFs(file, e);
  }
  const data = parseJsonFile(text, file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(file, '(top level)', 'must be a JSON object with "repairs" and "input" (a file written by gc-tui plan --out)');
  }
  const result = planFileSchema().safeParse(data);
  if (!result.success) {
    const { place, detail } = summarizeProblems(describeIssues(data, result.error.issues));
    throw new InputError(file, place, detail);
  }
  const { repairs, input, rules } = result.data;
  return {
    repairs: repairs.map((r) => ({
      id: r.id,
      kind: r.kind,
      beadId: r.beadId,
      template: r.template ?? null,
      changes: r.changes,
      reason: r.reason,
    })),
    input,
    rules: rules
      ? { edition: rules.edition, why: rules.why ?? 'as the plan file says' }
      : { edition: DEFAULT_EDITION, why: 'the plan file names no edition (written before editions): 2026-05' },
  };
}
