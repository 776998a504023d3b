// `gc-tui check [--json] [--now T] [--out FILE]`: run the engine once and report. With --out the `--json`
// object plus `input` (a saved plan, as `gc-tui plan --out` writes it) goes to FILE.
import { plan } from '../engine/index.js';
import { driftExitCode } from '../store/output/plan-view.js';
import { loadSource } from '../store/source.js';
import { formatCheckSummary } from '../store/output/summary.js';
import { out, paint, parseNow, sourceOf, type GlobalOptions } from './common.js';
import { checkObject, jsonText, savePlan } from './plan.js';

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
    const { loaded, plan: p } = await savePlan(g, opts.out, now);
    if (!opts.json) out(formatCheckSummary(loaded, p, now, paint()));
    return driftExitCode(p);
  }
  const loaded = await loadSource(sourceOf(g));
  const p = plan(loaded.state, now);
  if (opts.json) out(jsonText(checkObject(p)));
  else out(formatCheckSummary(loaded, p, now, paint()));
  return driftExitCode(p);
}
