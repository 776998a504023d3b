// `gc-tui import --city DIR --out FILE [--force]`: a city turned into a gc-tui store file. An existing FILE is
// refused (exit 2, untouched) unless --force.
import { existsSync } from 'node:fs';
import { shownSource } from '../store/fs/paths.js';
import { storeDocumentOf } from '../store/output/export.js';
import { writeStoreDocument } from '../store/formats/load-store.js';
import { sanitize } from '../store/output/sanitize.js';
import { loadSource, UsageError } from '../store/source.js';
import { InputError } from '../store/types.js';
import { refuseExisting, refuseOwnFiles, rulesOf, warnInput, type GlobalOptions } from './common.js';

export async function runImport(g: GlobalOptions, opts: { out: string; force?: boolean }): Promise<number> {
  if (g.readOnly) throw new InputError(opts.out, null, 'import is refused in --read-only mode (it would write this file)');
  if (g.store !== undefined) throw new UsageError('import reads a city: use --city DIR (not --store)');
  // As every command: without --city, the current directory when it holds city.toml.
  const dir = g.city ?? (existsSync('city.toml') ? '.' : undefined);
  if (dir === undefined) throw new UsageError('import needs a city: --city DIR, or run it in a directory holding city.toml');
  if (!opts.force) refuseExisting(opts.out);
  const loaded = await loadSource({ kind: 'city', dir, ...(g.beads?.length ? { beads: g.beads } : {}) });
  // Checked again just before the write: the read of a large city takes a while.
  if (!opts.force) refuseExisting(opts.out);
  refuseOwnFiles(opts.out, loaded, 'import to another file');
  warnInput(loaded);
  // An edition chosen with --rules goes with the store, which then reopens under it (auto would read the city's).
  const chosen = g.rules !== undefined && g.rules !== 'auto' ? { rules: rulesOf(g, loaded).edition } : {};
  await writeStoreDocument(opts.out, { ...storeDocumentOf(loaded), ...chosen });
  process.stderr.write(
    `gc-tui: imported ${sanitize(shownSource({ kind: 'city', dir }))} (${loaded.state.beads.length} beads, ${loaded.state.city.agents.length} templates) to ${sanitize(opts.out)}\n`,
  );
  return 0;
}
