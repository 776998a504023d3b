/* global process */
// The other writer of scripts/bench-keys.mjs's outside changes, in a process of its own: the console's memory in use
// is a figure of the bench (its keys child's peak RSS), and a writer in the console's process counted its own copy of
// the parsed store (about 190 MiB at 100 000 beads) and the text of each write (37 MB) in it.
//   node scripts/bench-writer.mjs STORE ID
// Reads STORE once; then for each line on stdin (a marker) sets the state of bead ID to it, writes the whole store
// to STORE.tmp and answers `ready` (the console's side renames it over STORE when its clock starts).
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [file, id] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(file, 'utf8'));
const bead = doc.beads.find((b) => b.id === id);
if (!bead) {
  process.stderr.write(`no bead ${id} in ${file}\n`);
  process.exit(2);
}
process.stdout.write('loaded\n');
for await (const marker of createInterface({ input: process.stdin })) {
  bead.metadata.state = marker;
  writeFileSync(`${file}.tmp`, JSON.stringify(doc));
  process.stdout.write('ready\n');
}
