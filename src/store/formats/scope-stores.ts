// A file-store city whose rigs keep their own stores (laid out scope-local-v1, `.gc/file-beads-layout`, or any rig
// with a `.gc/beads.json`: beads-provider.ts rigStoresOf): the city keeps its beads in `.gc/beads.json` and such a
// rig in `<rig path>/.gc/beads.json`, each an ordinary Gas City file store with its own lock. gc-tui reads them all
// and merges them into one list. File-store ids are minted per store (`gc-<n>`), so the same id can name a bead
// in the city's store and another in a rig's: such a rig bead is shown as `rig:<name>/<id>`. The city's copy
// keeps its bare id because that is what Gas City resolves a bare id to (and what an `assignee` names: session
// beads live in the city's store). An id found in one store only is never renamed.
import type { Bead } from '../../engine/types.js';
import { InputError } from '../types.js';
import type { RigStore } from './beads-provider.js';
import type { BeadsFile } from './beads-file.js';

/** Where the beads of a scope-local city were read from: the rig beads by the id the state gives them. */
export interface BeadScopes {
  /** Beads read from a rig's store: the state's id → the rig and the id in that store. Every other bead is the city's. */
  rigBeads: Record<string, { rig: string; id: string }>;
}

/** The name a rig bead is shown under when its id is also in another store. */
export function scopedId(rig: string, id: string): string {
  return `rig:${rig}/${id}`;
}

/**
 * Merge the city's store and its rigs' (read already, each checked on its own: a duplicate inside one file is
 * that file's error). Throws InputError when a scoped name would collide with an id that is really there.
 */
export function mergeScopeStores(
  city: BeadsFile,
  rigs: readonly { store: RigStore; read: BeadsFile }[],
): { beads: Bead[]; scopes: BeadScopes; stored?: Record<string, Record<string, string>>; numbers?: BeadsFile['numbers'] } {
  const stores = new Map<string, number>();
  const count = (beads: readonly Bead[]) => {
    for (const b of beads) stores.set(b.id, (stores.get(b.id) ?? 0) + 1);
  };
  count(city.beads);
  for (const r of rigs) count(r.read.beads);
  const beads: Bead[] = [...city.beads];
  const rigBeads: BeadScopes['rigBeads'] = {};
  // Non-string metadata as stored (BeadsFile.stored), under the id each bead is shown by.
  const stored: Record<string, Record<string, string>> = { ...city.stored };
  // And the numbers JavaScript spells otherwise (BeadsFile.numbers), the same way.
  const numbers: NonNullable<BeadsFile['numbers']> = { ...city.numbers };
  for (const { store, read } of rigs) {
    for (const b of read.beads) {
      const repeats = (stores.get(b.id) ?? 0) > 1;
      const id = repeats ? scopedId(store.rig, b.id) : b.id;
      if (repeats && stores.has(id))
        throw new InputError(store.file, null, `bead id ${JSON.stringify(b.id)} repeats across stores, and ${JSON.stringify(id)} is taken`);
      beads.push(repeats ? { ...b, id } : b);
      rigBeads[id] = { rig: store.rig, id: b.id };
      const values = read.stored?.[b.id];
      if (values) stored[id] = values;
      const spelled = read.numbers?.[b.id];
      if (spelled) numbers[id] = spelled;
    }
  }
  return {
    beads,
    scopes: { rigBeads },
    ...(Object.keys(stored).length > 0 ? { stored } : {}),
    ...(Object.keys(numbers).length > 0 ? { numbers } : {}),
  };
}
