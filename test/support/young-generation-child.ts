// Run by test/store/young-generation.test.ts in a process of its own (`node --import tsx`), where V8's young
// generation starts small: a command's read of the store file named by argv[2], then the size of the new space.
import { getHeapSpaceStatistics } from 'node:v8';
import { loadStore } from '../../src/store/formats/load-store.js';

const loaded = await loadStore(process.argv[2]);
const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
process.stdout.write(JSON.stringify({ beads: loaded.state.beads.length, newSpaceBytes: newSpace?.space_size ?? -1 }));
