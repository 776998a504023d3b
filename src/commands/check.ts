// `gc-tui check [--json] [--now T] [--out FILE]`: run the engine once and report. With --out the `--json`
// object plus `input` (a saved plan, as `gc-tui plan --out` writes it) goes to FILE. The rule edition
// (--rules, default auto) is said on the second line and as `rules` in the JSON and the saved plan.
import { plan, type DetectedEdition } from '../engine/index.js';
import { sanitize } from '../store/output/sanitize.js';
import { driftExitCode } from '../store/output/plan-view.js';
import { loadSource } from '../store/source.js';
import { formatCheckSummary } from '../store/output/summary.js';
import { out, outJson, paint, parseNow, rulesOf, sourceOf, warnInput, type GlobalOptions } from './common.js';
import { DEFAULT_JSON_LAYOUT, emitJsonText } from '../store/formats/json-text.js';
import { checkObject, savePlan } from './plan.js';

export interface CheckOptions {
  json?: boolean;
  now?: string;
  /** Save the plan (the --json object plus `input`) to this file. */
  out?: string;
}

export async function runCheck(g: GlobalOptions, opts: CheckOptions): Promise<number> {
  const now = parseNow(opts.now);
  if (opts.out !== undefined) {
    // The object goes to the file; with --json nothing else is printed, without it the summary is.
    const { loaded, plan: p, rules } = await savePlan(g, opts.out, now);
    if (!opts.json) out(withRulesLine(formatCheckSummary(loaded, p, now, paint()), rulesLine(rules)));
    else warnInput(loaded);
    return driftExitCode(p);
  }
  const loaded = await loadSource(sourceOf(g));
  // The rule edition (--rules, default auto): said on the last line, and as `rules` in the JSON.
  const rules = rulesOf(g, loaded);
  const p = plan(loaded.state, now, rules.edition);
  // jsonText's text, written a part at a time: at 100 000 beads it is 15 MB, made two-byte by one arrow.
  if (opts.json) {
    // The JSON keeps its contract's keys; what the summary would say of the input goes to stderr.
    warnInput(loaded);
    emitJsonText(outJson, { ...checkObject(p), rules }, DEFAULT_JSON_LAYOUT);
  } else out(withRulesLine(formatCheckSummary(loaded, p, now, paint()), rulesLine(rules)));
  return driftExitCode(p);
}

export function rulesLine(rules: DetectedEdition): string {
  return `rules: ${rules.edition} (${sanitize(rules.why)})`;
}

/** The summary with the rules line second, under its header line (the last line stays the result). */
export function withRulesLine(summary: string, line: string): string {
  const nl = summary.indexOf('\n');
  return nl < 0 ? `${summary}\n${line}\n` : `${summary.slice(0, nl + 1)}${line}\n${summary.slice(nl + 1)}`;
}
