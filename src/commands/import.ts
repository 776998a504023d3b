// `gc-tui import --city DIR --out FILE [--force]`: a city turned into a gc-tui store file. An existing FILE is
// refused (exit 2, untouched) unless --force.
import { existsSync } from 'node:fs';
import { storeDocumentOf } from '../store/output/export.js';
import { writeStoreDocument } from '../store/formats/load-store.js';
import { sanitize } from '../store/output/sanitize.js';
import { loadSource, UsageError } from '../store/source.js';
import { InputError } from '../store/types.js';
import { refuseOwnFiles, type GlobalOptions } from './common.js';

function refuseExisting(file: string): void {
  if (existsSync(file)) throw new InputError(file, null, 'already exists; not overwritten (add --force to replace it)');
}

export async function runImport(g: GlobalOptions, opts: { out: string; force?: boolean }): Promise<number> {
  if (g.readOnly) throw new UsageError('import is refused in --read-only mode (it writes FILE)');
  if (g.store !== undefined) throw new UsageError('import reads a city: use --city DIR (not --store)');
  if (g.city === undefined) throw new UsageError('import needs --city DIR');
  if (!opts.force) refuseExisting(opts.out);
  const loaded = await loadSource({ kind: 'city', dir: g.city, ...(g.beads?.length ? { beads: g.beads } : {}) });
  // Checked again just before the write: the read of a large city takes a while.
  if (!opts.force) refuseExisting(opts.out);
  refuseOwnFiles(opts.out, loaded, 'import to another file');
  await writeStoreDocument(opts.out, storeDocumentOf(loaded));
  process.stderr.write(
    `gc-tui: imported ${sanitize(g.city)} (${loaded.state.beads.length} beads, ${loaded.state.city.agents.length} templates) to ${sanitize(opts.out)}\n`,
  );
  return 0;
}
