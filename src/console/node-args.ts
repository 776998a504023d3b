// The node arguments this process was started with, as Node reads them: NODE_OPTIONS's first, then the command
// line's (a later mention of a flag wins). For what a flag set there changes in code that must know it: the warm-up's
// unhandled-rejections mode (src/ui/warm-up.tsx), the plan worker's memory reducer (worker/channel.ts).

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
