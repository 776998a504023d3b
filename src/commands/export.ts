// `gc-tui export --format json|md|csv [--out FILE] [--now T]`: a snapshot a person reads or a program reopens.
import { plan } from '../engine/index.js';
import { writeFileAtomic } from '../store/fs/atomic-file.js';
import { exportJsonDocument, renderCsv, renderMarkdown } from '../store/output/export.js';
import { stringifyJson } from '../store/formats/json-text.js';
import { writeStoreDocument } from '../store/formats/load-store.js';
import { escapeJsonControls, sanitize } from '../store/output/sanitize.js';
import { loadSource } from '../store/source.js';
import { out, parseNow, sourceOf, type GlobalOptions } from './common.js';

export type ExportFormat = 'json' | 'md' | 'csv';

export async function runExport(g: GlobalOptions, opts: { format: ExportFormat; out?: string; now?: string }): Promise<number> {
  const now = parseNow(opts.now);
  const loaded = await loadSource(sourceOf(g));
  const p = plan(loaded.state, now);
  if (opts.format === 'json') {
    const doc = exportJsonDocument(loaded, p, now);
    if (opts.out !== undefined) await writeStoreDocument(opts.out, doc);
    else out(escapeJsonControls(stringifyJson(doc)));
  } else {
    // md is sanitized as it is built; csv cells are too, so both are safe on a terminal and in a file.
    const text = opts.format === 'md' ? renderMarkdown(loaded, p, now) : renderCsv(loaded, p);
    if (opts.out === undefined) out(text);
    else writeFileAtomic(opts.out, text);
  }
  if (opts.out !== undefined) process.stderr.write(`gc-tui: wrote ${opts.format} snapshot to ${sanitize(opts.out)}\n`);
  return 0;
}
