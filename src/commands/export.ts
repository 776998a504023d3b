// `gc-tui export --format json|md|csv [--out FILE] [--now T]`: a snapshot a person reads or a program reopens.
// The snapshot is written either way; the exit code is check's (kubectl diff's): 1 when it shows drift.
import { plan } from '../engine/index.js';
import { writeFileAtomic } from '../store/fs/atomic-file.js';
import { emitCsv, exportJsonDocument, renderCsv, renderMarkdown } from '../store/output/export.js';
import { emitJson } from '../store/formats/json-text.js';
import { writeStoreDocument } from '../store/formats/load-store.js';
import { driftExitCode } from '../store/output/plan-view.js';
import { sanitize } from '../store/output/sanitize.js';
import { loadSource } from '../store/source.js';
import { readMetricsHistory } from '../store/metrics-history.js';
import { out, outJson, parseNow, refuseOwnFiles, rulesOf, sourceOf, warnInput, type GlobalOptions } from './common.js';

export type ExportFormat = 'json' | 'md' | 'csv';

export async function runExport(g: GlobalOptions, opts: { format: ExportFormat; out?: string; now?: string }): Promise<number> {
  const now = parseNow(opts.now);
  const loaded = await loadSource(sourceOf(g));
  if (opts.out !== undefined) refuseOwnFiles(opts.out, loaded, 'export to another file (changes go through apply)');
  warnInput(loaded);
  const rules = rulesOf(g, loaded);
  const p = plan(loaded.state, now, rules.edition);
  if (opts.format === 'json') {
    const doc = exportJsonDocument(loaded, p, now, rules);
    if (opts.out !== undefined) await writeStoreDocument(opts.out, doc);
    // emitJson writes DEL, C1 and bidi controls as \u escapes (escapeJsonText); each part is written as it is
    // made (stdout writes to files and pipes are synchronous), so the whole text is never held.
    else emitJson(outJson, doc);
  } else if (opts.format === 'csv') {
    // csv cells are sanitized as they are built, so the text is safe on a terminal and in a file.
    if (opts.out === undefined) emitCsv(out, loaded, p);
    else writeFileAtomic(opts.out, renderCsv(loaded, p));
  } else {
    // md is sanitized as it is built.
    const text = renderMarkdown(loaded, p, now, readMetricsHistory(loaded.source));
    if (opts.out === undefined) out(text);
    else writeFileAtomic(opts.out, text);
  }
  if (opts.out !== undefined) process.stderr.write(`gc-tui: wrote ${opts.format} snapshot to ${sanitize(opts.out)}\n`);
  return driftExitCode(p);
}
