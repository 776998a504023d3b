// The node arguments this process was started with, as Node reads them: NODE_OPTIONS's first, then the command
// line's (a later mention of a flag wins). For what a flag set there changes in code that must know it: the warm-up's
// unhandled-rejections mode (src/ui/warm-up.tsx), and the V8 flags set for a moment (v8FlagForAMoment): the plan
// worker's memory reducer (worker/channel.ts) and its compaction's flag (worker/plan-worker-body.ts).
import { setFlagsFromString } from 'node:v8';

/**
 * NODE_OPTIONS as Node splits it into arguments (node_options.cc): at spaces, not inside double quotes, where a
 * backslash takes the next character as it is.
 */
export function nodeOptionsArgs(text: string): string[] {
  const out: string[] = [];
  let arg: string | null = null;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    let c = text[i];
    if (c === '\\' && quoted) c = text[++i] ?? '';
    else if (c === ' ' && !quoted) {
      if (arg !== null) out.push(arg);
      arg = null;
      continue;
    } else if (c === '"') {
      quoted = !quoted;
      continue;
    }
    arg = (arg ?? '') + c;
  }
  if (arg !== null) out.push(arg);
  return out;
}

/** NODE_OPTIONS's arguments, then the command line's node arguments (`process.execArgv`). */
export function nodeStartArgs(): string[] {
  return [...nodeOptionsArgs(process.env.NODE_OPTIONS ?? ''), ...process.execArgv];
}

/**
 * What these node arguments set V8's boolean flag `name` (its words joined by `-`) to: its last mention wins, as V8
 * reads them in order; undefined when none mentions it. V8 takes `_` for `-`, and `--noNAME` and `--no_NAME` for
 * `--no-NAME`.
 */
export function v8FlagSetting(args: readonly string[], name: string): boolean | undefined {
  const flag = new RegExp(`^--(no-?|no_)?${name.replace(/-/g, '[-_]')}$`);
  let on: boolean | undefined;
  for (const a of args) {
    const m = flag.exec(a);
    if (m) on = m[1] === undefined;
  }
  return on;
}

/**
 * Sets V8's boolean flag `name` to `on` until the returned function sets it back to `!on` (once; V8's default for each
 * flag set so). V8's flags are the process's: one the process was started with `on` (these node arguments, NODE_OPTIONS
 * and the command line by default) is left as it is, and setting it back does nothing, or it would undo what the user
 * set. `setFlags`: V8's (a test's records them).
 */
export function v8FlagForAMoment(
  name: string,
  on: boolean,
  args: readonly string[] = nodeStartArgs(),
  setFlags: (flags: string) => void = setFlagsFromString,
): () => void {
  if (v8FlagSetting(args, name) === on) return () => {};
  const set = (value: boolean) => setFlags(`--${value ? '' : 'no-'}${name}`);
  set(on);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    set(!on);
  };
}
