// The plan worker's thread runs below the console's own from the first read's first look on
// (worker/thread-priority.ts), so the kernel runs the console's keys and frames first while the worker packs the
// read: on Linux, where a nice value is a thread's own, read from the kernel's list of this process's threads.
import { copyFileSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { WorkerJobs, createJobs } from '../../src/console/worker/worker-client.js';
import { NOW } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';

const DEMO = fileURLToPath(new URL('../../fixtures/demo-city.json', import.meta.url));

/** A thread's nice value (/proc/PID/task/TID/stat: the 19th field, the 17th after the command's closing paren). */
const niceOf = (tid: string): number => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);

const threads = () => readdirSync('/proc/self/task');

test.runIf(process.platform === 'linux')(
  "from the first look on, the plan worker's thread runs ten steps below the console's, which keeps its own",
  async () => {
    const file = join(tempDir('gc-tui-priority-'), 'demo.json');
    copyFileSync(DEMO, file);
    const own = readlinkSync('/proc/thread-self').split('/').pop()!;
    const base = niceOf(own);
    const before = new Set(threads());
    // A worker of its own (one per script URL in a process): another test file's may be running already.
    const jobs = createJobs({ worker: new URL(`${pathToFileURL(built('plan-worker.js')).href}?priority`) });
    expect(jobs).toBeInstanceOf(WorkerJobs);
    try {
      // As the console reads: the first look, then the rest.
      const lowered = () => threads().filter((t) => !before.has(t) && niceOf(t) === Math.min(19, base + 10)).length;
      let atFirstLook = -1;
      await jobs.load({ kind: 'store', path: file }, () => NOW, { glance: () => void (atFirstLook = lowered()) });
      expect((jobs as WorkerJobs).usingWorker).toBe(true);
      expect(atFirstLook).toBe(1);
      expect(lowered()).toBe(1);
      expect(niceOf(own)).toBe(base);
    } finally {
      await jobs.close();
    }
  },
);
