// The console's single input hook: every key goes through the keymap registry (see actions.ts).
// One hook, not one per view, so a key handled by a prompt never also reaches a list.
import { useEffect, useRef } from 'react';
import { useApp as useInkApp, useInput, useStdin } from 'ink';
import { actsOnCard, clearMessageFor, dispatchKey, waitsForFrame } from '../actions.js';
import { keyNames, type KeyName } from '../keymap.js';
import { useAppStoreApi, useServices } from './use-app-store.js';

/**
 * Esc and a punctuation key sent as one chunk (tmux, within its escape time): Ink strips the escape and hands the
 * key alone with `meta` false (its alt-chord pattern is letters and digits only), so the esc would be lost. The raw
 * chunk, seen just before Ink's own listener, tells them apart.
 */
function escapeChunkKey(raw: string | null, input: string, meta: boolean): boolean {
  return !meta && input.length === 1 && raw === `\u001b${input}`;
}

/** How long a key waits for the frame it needs before it acts anyway (and is refused, saying why). */
const FRAME_WAIT_MS = 250;

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
  // Keys in order: one that acts on the card waits for the frame showing the repair it would act on
  // (waitsForFrame), and every key typed after it waits behind it.
  const queue = useRef<{ keys: KeyName[]; waiting: ReturnType<typeof setTimeout> | null; unsubscribe: () => void }>({
    keys: [],
    waiting: null,
    unsubscribe: () => undefined,
  });
  const drain = useRef((force: boolean) => {
    const q = queue.current;
    if (q.waiting) clearTimeout(q.waiting);
    q.waiting = null;
    q.unsubscribe();
    q.unsubscribe = () => undefined;
    while (q.keys.length > 0) {
      if (!force) clearMessageFor(q.keys[0], store);
      if (!force && waitsForFrame(q.keys[0], store)) {
        // The frame's last record is the card it shows; then the key acts (a timer if that frame never comes).
        const shown = store.getState().ui.cardShown;
        const wake = () => drain.current(true);
        const stop = store.subscribe((s) => {
          if (s.ui.cardShown === shown) return;
          stop();
          setImmediate(wake);
        });
        q.unsubscribe = stop;
        q.waiting = setTimeout(wake, FRAME_WAIT_MS);
        return;
      }
      force = false;
      const name = q.keys.shift()!;
      const onCard = actsOnCard(name, store);
      const before = store.getState().ui.message;
      dispatchKey(name, { store, services, exit: () => exit() });
      // A decision refused (not on screen, not decidable): the keys typed with it were meant for what it would
      // have opened (a reason after `r`), never for the view, where they would skip, export or decide.
      const s = store.getState();
      if (onCard && q.keys.length > 0 && s.ui.mode === 'normal' && s.ui.message !== before && s.ui.message?.tone === 'error') {
        const dropped = q.keys.length;
        q.keys = [];
        s.setMessage({ ...s.ui.message, text: `${s.ui.message.text} (${dropped} key${dropped === 1 ? '' : 's'} typed after it ignored)` });
      }
    }
  });
  useEffect(
    () => () => {
      const q = queue.current;
      if (q.waiting) clearTimeout(q.waiting);
      q.unsubscribe();
    },
    [],
  );
  useInput(
    (input, key) => {
      const names = keyNames(input, key);
      if (escapeChunkKey(raw.current, input, key.meta)) names.unshift('esc');
      raw.current = null; // read once: a chunk never counts for a later key
      const q = queue.current;
      const idle = q.keys.length === 0;
      q.keys.push(...names);
      if (idle) drain.current(false);
    },
    // isRawModeSupported is really stdin.isTTY: undefined (not false) for a pipe.
    { isActive: active },
  );
}
