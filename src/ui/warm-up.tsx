// The console's key-to-frame path run once, off screen, while the main thread waits for the first read: the first
// key an operator types after the first frame otherwise runs React's update, Ink's frame writer, the input parser and
// the key handlers for the first time, in the interpreter (docs/speed.md).
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { plan } from '../engine/index.js';
import type { Bead, State } from '../engine/types.js';
import { createAppStore } from '../console/state.js';
import { App } from './App.js';
import { MAX_FPS } from './mount.js';

/** Typed into the scratch console: the pools view's cursor moves, a view switch there and back. */
const KEYS = ['j', 'j', 'k', '2', 'j', '1', 'j', 'k'];
/** Past Ink's frame throttle at MAX_FPS, so each key's frame is made as an operator's would be. */
const KEY_GAP_MS = 20;
const AT = Date.parse('2026-01-01T00:00:00Z');

function sampleBead(i: number): Bead {
  const agent = `warm/worker-${i}`;
  return {
    id: `warm-${i}`,
    title: agent,
    status: 'open',
    issue_type: 'session',
    labels: ['gc:session', `agent:${agent}`],
    metadata: {
      template: 'warm/worker',
      pool_managed: 'true',
      session_origin: 'ephemeral',
      session_name: `s-warm-${i}`,
      state: i % 2 ? 'active' : 'asleep',
      agent_name: agent,
      alias: agent,
      pool_slot: String(i),
    },
    created_at: '2026-01-01T00:00:00Z',
  };
}

/** A small city of one pool, its own: nothing of the operator's. */
export function sampleState(): State {
  const beads: Bead[] = [];
  for (let i = 1; i <= 6; i++) beads.push(sampleBead(i));
  return {
    city: { workspace: { name: 'warm-up' }, agents: [{ name: 'worker', dir: 'warm', max_active_sessions: 8 }] },
    beads,
  };
}

class ScratchOutput extends EventEmitter {
  readonly isTTY = true;
  readonly rows: number;
  readonly columns: number;
  constructor(size: { rows: number; columns: number }) {
    super();
    this.rows = size.rows;
    this.columns = size.columns;
  }
  write(): boolean {
    return true;
  }
}

class ScratchInput extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  type(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read(): string | null {
    const d = this.data;
    this.data = null;
    return d;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

/**
 * Mount the console on a sample city of its own into a scratch Ink instance (its frames go nowhere), type a few keys
 * into it and unmount it, stopping early once `stop()` says the real first look is here. Returns the frames Ink made.
 */
export async function warmUp(size: { rows: number; columns: number }, stop: () => boolean): Promise<number> {
  if (stop()) return 0;
  const state = sampleState();
  const store = createAppStore({ readOnly: true, operator: 'warm-up', viewport: size });
  store.getState().loaded(state, plan(state, new Date(AT)), AT);
  const stdin = new ScratchInput();
  const stdout = new ScratchOutput(size);
  let frames = 0;
  const instance = render(<App store={store} color={false} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: new ScratchOutput(size) as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: MAX_FPS,
    onRender: () => void frames++,
  });
  try {
    for (const key of KEYS) {
      await sleep(KEY_GAP_MS);
      if (stop()) break;
      stdin.type(key);
    }
  } finally {
    instance.unmount();
    instance.cleanup();
  }
  return frames;
}
