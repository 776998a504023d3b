// Run by test/store/atomic-signal.test.ts: a streamed atomic write during which the process is sent a signal that
// ends it (as a ^C or a kill lands during a long export), with no listener of its own.
import { writeFileAtomic } from '../../src/store/fs/atomic-file.js';

const [target, signal] = process.argv.slice(2) as [string, NodeJS.Signals];
// tsx, which runs this file, relays signals with listeners of its own; the built CLI has none.
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(s);
writeFileAtomic(target, (write) => {
  write('{"half":');
  process.kill(process.pid, signal);
  write('"whole"}\n');
});
