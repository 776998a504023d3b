// Run by test/ui/warm-up.test.tsx in a process of its own (`node --import tsx`): the warm-up alone, then the process
// ends, so whatever it leaves to be written at exit reaches this process's stdout or stderr, which the test reads.
import { warmUp } from '../../src/ui/warm-up.js';

const frames = await warmUp({ rows: 24, columns: 80 }, () => false);
if (frames < 2) process.exitCode = 3;
