// The console's single input hook: every key goes through the keymap registry (see actions.ts).
// One hook, not one per view, so a key handled by a prompt never also reaches a list.
import { useEffect, useRef } from 'react';
import { useApp as useInkApp, useInput, useStdin } from 'ink';
import { dispatchKey } from '../actions.js';
import { keyNames } from '../keymap.js';
import { useAppStoreApi, useServices } from './use-app-store.js';

/**
 * Esc and a punctuation key sent as one chunk (tmux, within its escape time): Ink strips the escape and hands the
 * key alone with `meta` false (its alt-chord pattern is letters and digits only), so the esc would be lost. The raw
 * chunk, seen just before Ink's own listener, tells them apart.
 */
function escapeChunkKey(raw: string | null, input: string, meta: boolean): boolean {
  return !meta && input.length === 1 && raw === `\u001b${input}`;
}

export function useKeys(): void {
  const store = useAppStoreApi();
  const services = useServices();
  const { exit } = useInkApp();
  const { isRawModeSupported, internal_eventEmitter: events } = useStdin();
  const active = isRawModeSupported === true;
  // The last raw chunk from the terminal. Registered before useInput's listener (effects run in order), so it is
  // up to date when that listener calls the handler below for the same chunk.
  const raw = useRef<string | null>(null);
  useEffect(() => {
    if (!active) return;
    const seen = (data: string) => (raw.current = data);
    events.on('input', seen);
    return () => void events.off('input', seen);
  }, [active, events]);
  useInput(
    (input, key) => {
      const names = keyNames(input, key);
      if (escapeChunkKey(raw.current, input, key.meta)) names.unshift('esc');
      raw.current = null; // read once: a chunk never counts for a later key
      for (const name of names) dispatchKey(name, { store, services, exit: () => exit() });
    },
    // isRawModeSupported is really stdin.isTTY: undefined (not false) for a pipe.
    { isActive: active },
  );
}
