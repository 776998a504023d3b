// The console's single input hook: every key goes through the keymap registry (see actions.ts).
// One hook, not one per view, so a key handled by a prompt never also reaches a list.
import { useEffect, useRef } from 'react';
import { useApp as useInkApp, useStdin } from 'ink';
import { actsOnCard, clearMessageFor, dispatchKey, waitsForFrame } from '../actions.js';
import { type KeyName } from '../keymap.js';
import { keysOf, PasteReader } from '../terminal-input.js';
import { pastePrompt } from '../text-edit.js';
import { useAppStoreApi, useServices } from './use-app-store.js';

/** A paste, in the queue of keys where it came: it goes into the prompt open when its turn comes, or nowhere. */
interface Paste {
  pasted: string;
}
type Typed = KeyName | Paste;

/** How long a key waits for the frame it needs before it acts anyway (and is refused, saying why). */
const FRAME_WAIT_MS = 250;

export function useKeys(): void {
  const store = useAppStoreApi();
  const services = useServices();
  const { exit } = useInkApp();
  const { isRawModeSupported, setRawMode, internal_eventEmitter: events } = useStdin();
  // isRawModeSupported is really stdin.isTTY: undefined (not false) for a pipe.
  const active = isRawModeSupported === true;
  // Keys in order: one that acts on the card waits for the frame showing the repair it would act on
  // (waitsForFrame), and every key typed after it waits behind it.
  const queue = useRef<{ keys: Typed[]; waiting: ReturnType<typeof setTimeout> | null; unsubscribe: () => void }>({
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
      const next = q.keys[0];
      if (typeof next !== 'string') {
        q.keys.shift();
        if (!pastePrompt(store, next.pasted))
          store
            .getState()
            .setMessage({ text: 'paste ignored: text is pasted only into a prompt (/ filter, : command, a reason)', tone: 'info' });
        continue;
      }
      if (!force) clearMessageFor(next, store);
      if (!force && waitsForFrame(next, store)) {
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
      const name = q.keys.shift() as KeyName;
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
  // Ink's input events (its parser cuts a chunk into keys, text runs and escape sequences), read here rather than
  // through useInput (terminal-input.ts says why); raw mode as useInput would set it.
  useEffect(() => {
    if (!active) return;
    setRawMode(true);
    const paste = new PasteReader();
    const onInput = (data: string) => {
      const p = paste.take(data);
      if (p === 'inside') return;
      const typed: Typed[] = p === null ? keysOf(data) : [p];
      if (typed.length === 0) return;
      const q = queue.current;
      const idle = q.keys.length === 0;
      q.keys.push(...typed);
      if (idle) drain.current(false);
    };
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
      setRawMode(false);
    };
  }, [active, events, setRawMode]);
}
