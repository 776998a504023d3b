// The `check` summary a person reads in a terminal: figures, pools, then one line per repair and finding.
// Every string that came from the data passes through sanitize(): metadata may carry escape sequences. Colour
// (a chalk instance the caller chose for its stream; none by default) only ever wraps sanitized text.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Plan } from '../../engine/types.js';
import { isDemo, sourceWords } from '../fs/paths.js';
import { countActionFindings, driftExitCode, namepoolSizes, poolBoundView, showChange } from './plan-view.js';
import { quote, sanitize } from './sanitize.js';
import { formatZ } from '../time.js';
import type { Loaded } from '../types.js';

const PLAIN = new Chalk({ level: 0 });

export function formatCheckSummary(loaded: Loaded, p: Plan, now: Date, c: ChalkInstance = PLAIN): string {
  const lines: string[] = [];
  const { state } = loaded;
  const sessions = state.beads.filter((b) => b.issue_type === 'session');
  const openSessions = sessions.filter((b) => b.status !== 'closed').length;
  // The demo's own name ("demo-city") would only repeat what its words say.
  const name = isDemo(loaded.source) ? undefined : state.city.workspace?.name;
  lines.push(c.bold(`gc-tui check: ${sanitize(sourceWords(loaded.source))}${name ? ` (${sanitize(name)})` : ''} at ${formatZ(now)}`));
  lines.push(
    `beads: ${sessions.length} session (${openSessions} open), ${state.beads.length - sessions.length} work; templates: ${state.city.agents.length}`,
  );
  const from = loaded.beadsFrom;
  if (from?.from === 'scopes') {
    lines.push(sanitize(`beads read from the city's and its rigs' own stores ${from.detail}; written only through gc (gc-tui apply)`));
  } else if (from && from.from !== 'file') {
    const how = from.from === 'gc' ? `through ${from.detail}` : `from the capture ${from.detail}`;
    lines.push(sanitize(`beads read ${how} (provider ${from.provider.name}: ${from.provider.why}); read-only`));
  }
  // What Gas City reads without a word (a namepool file it cannot read): said here, where the figures it shapes are.
  for (const w of loaded.warnings ?? []) lines.push(c.yellow(`warning: ${sanitize(w.text)}`));
  lines.push(
    `figures: ${Object.entries(p.metrics)
      .map(([k, v]) => (v > 0 ? c.yellow(`${k}=${v}`) : `${k}=${v}`))
      .join(' ')}`,
  );
  lines.push(`pools (${p.pools.length}):`);
  const names = namepoolSizes(p);
  for (const pool of p.pools) {
    // As the console's pools view: a pool its namepool bounds says so, and the most it holds is its names.
    const b = poolBoundView(pool, names.get(pool.template) ?? 0);
    const bound = b.byNames
      ? `bounded by names max=${b.most}${b.max === null ? '' : ` (its own max=${b.max})`}`
      : `${pool.bounded ? 'bounded' : 'unbounded'} max=${pool.max ?? '-'}`;
    const bounds = `${bound} min=${pool.min} desired=${pool.desired}`;
    const slots = pool.slots.map((s) => `${s.slot}:${sanitize(s.beadId)}`).join(' ');
    const dups = pool.duplicates.length ? ` duplicates: ${pool.duplicates.map(sanitize).join(' ')}` : '';
    lines.push(`  ${sanitize(pool.template)}  ${bounds}  slots: ${slots || '(none)'}${dups}`);
  }
  lines.push(`repairs (${p.repairs.length}):`);
  for (const r of p.repairs) {
    lines.push(`  ${c.yellow(sanitize(r.id))}  ${r.changes.map((ch) => sanitize(showChange(ch))).join('; ')}  — ${sanitize(r.reason)}`);
  }
  // Repairs an operator rejected are withheld while their changes stay the same: named, so that none looks lost.
  const withheld = p.detail.rejected;
  if (withheld.length > 0) {
    lines.push(`withheld by a rejection (${withheld.length}; o in the console's repairs view reopens one):`);
    for (const { repair, decision: d } of withheld) {
      const why = d.reason ? `: ${quote(d.reason)}` : '';
      lines.push(`  ${sanitize(repair.id)}  rejected by ${sanitize(String(d.by))} at ${sanitize(String(d.at))}${why}`);
    }
  }
  lines.push(`findings (${p.findings.length}):`);
  for (const f of p.findings) {
    const about = [f.beadId, f.workId, f.template]
      .filter((x): x is string => !!x)
      .map(sanitize)
      .join(' ');
    const tag = f.severity === 'action' ? c.red(`[${f.severity}]`) : c.cyan(`[${f.severity}]`);
    lines.push(`  ${tag} ${f.kind}${about ? ` ${about}` : ''}: ${sanitize(f.message)}`);
  }
  const code = driftExitCode(p);
  lines.push(
    code === 0
      ? c.green.bold('result: clean (no repairs, no action findings)')
      : c.yellow.bold(
          `result: drift (${p.repairs.length} repair${p.repairs.length === 1 ? '' : 's'}, ${countActionFindings(p)} action finding${countActionFindings(p) === 1 ? '' : 's'})`,
        ),
  );
  return lines.join('\n') + '\n';
}
