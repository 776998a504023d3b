// Run by test/ui/warm-up.test.tsx in a process of its own, under the --unhandled-rejections mode its node arguments or
// NODE_OPTIONS give: a promise rejected with no handler while the warm-up runs (`warm`) or once it has ended (`late`),
// by this process's own code (`outside`) or by the scratch console's (`scratch`), or the same rejection with no
// warm-up (`outside bare`): Node's own treatment of it. What the process then does is its stderr, stdout and exit code.
import { useEffect } from 'react';
import type { AppStore } from '../../src/console/state.js';
import { App } from '../../src/ui/App.js';

const [who, how] = process.argv.slice(2);
const failing = new Error('rejected with no handler');
// One line for every run, so that the stacks the runs print agree.
const reject = () => void Promise.reject(failing);
let open = () => {};
const ended = new Promise<void>((res) => (open = res));
// The scratch console's promise that rejects once the warm-up has ended, made in its effect as the other one.
const rejectLate = () =>
  void ended.then(() => {
    throw failing;
  });

function RejectsInEffect({ store }: { store: AppStore }) {
  useEffect(how === 'late' ? rejectLate : reject, []);
  return <App store={store} color={false} />;
}

if (how === 'bare') reject();
else {
  const { warmUp } = await import('../../src/ui/warm-up.js');
  const running = warmUp(
    { rows: 24, columns: 80 },
    () => false,
    who === 'scratch' ? (store) => <RejectsInEffect store={store} /> : undefined,
  );
  if (who === 'outside' && how === 'warm') reject();
  await running;
  if (how === 'late') {
    if (who === 'outside') reject();
    else open();
  }
}
// Past the turn Node handles the rejection in.
await new Promise((res) => setTimeout(res, 20));
process.stdout.write(`ran on, exit code ${process.exitCode ?? 0}\n`);
