// The console's single input hook: every key goes through the keymap registry (see actions.ts).
// One hook, not one per view, so a key handled by a prompt never also reaches a list.
import { useEffect, useRef } from 'react';
import { useApp as useInkApp, useStdin, useStdout } from 'ink';
import {
  actsOnCard,
  clearMessageFor,
  dispatchKey,
  movedOnUnseen,
  scopeOf,
  tooSoonAfterMovedOn,
  waitsForBeads,
  waitsForFrame,
} from '../actions.js';
import { selectedKey } from '../review/handlers.js';
import { firstKey, keyLabel, keyNames, type KeyName } from '../keymap.js';
import { InputReader, MAX_PASTE, type Typed } from '../terminal-input.js';
import { pastePrompt } from '../text-edit.js';
import { CLEAR_SCREEN, enterScreen, HIDE_CURSOR, leaveScreen } from '../screen.js';
import { holdWrites, refreshSize, suspendToShell, suspendUnavailable } from '../suspend.js';
import { useAppStoreApi, useServices } from './use-app-store.js';
import { useNow } from './use-now.js';
import type { AppStore } from '../../console/state.js';
import { groupDigits } from '../text.js';

/** How long a paste may go without its end marker before what it holds is taken as the whole paste. */
const PASTE_END_WAIT_MS = 1000;

/** A paste, when its turn in the queue comes: into the prompt open then, or nowhere (never as keys). */
function deliverPaste(store: AppStore, p: Exclude<Typed, KeyName>): void {
  // The too-small line hides any prompt: nothing is typed into one blind, and nothing said over the line.
  if (scopeOf(store.getState()) === 'small') return;
  const into = pastePrompt(store, p.pasted);
  if ('ignored' in into) {
    store.getState().setMessage({ text: into.ignored, tone: 'info' });
    return;
  }
  if (into.cut || p.cut)
    store.getState().setMessage({
      text: `pasted text cut to ${p.cut ? `${MAX_PASTE} characters` : `this prompt's ${into.max} characters`}`,
      tone: 'error',
    });
}

/** How long a key waits for the frame it needs before it acts anyway (and is refused, saying why). */
const FRAME_WAIT_MS = 250;

/** The status line while keys typed on the first look wait for its beads (they go when the beads land). */
function sayHeld(store: AppStore, count: number): void {
  const s = store.getState();
  const beads = groupDigits(s.glance?.beads ?? 0);
  const keys = count === 1 ? '1 key typed waits' : `${count} keys typed wait`;
  s.setMessage({
    text: `the ${beads} beads of the first read are still arriving: ${keys} for them (${firstKey('global', 'clear-filter')} drops them, ${firstKey('global', 'quit-ask')} quits)`,
    tone: 'info',
    until: 'beads',
  });
}

/**
 * The keys that act at once while keys wait for the first read's beads, on the view on screen (they are typed after
 * the operator saw it wait, or the status line saying so), as the registry binds them: ^C and q quit and ^Z suspends,
 * the keys waiting dropped (a decision among them never acts unseen, the console stopped or gone), and esc (the key
 * that clears) drops them, saying how many. `opens`: keys that may open a prompt for text (a reject's reason, the
 * filter, the `:` line): the keys waiting behind one are its text (`r` then "quick fix" holds a q), so only what quits a
 * prompt (^C) acts at once past it.
 */
function waitKeys() {
  // `q` asks only with repairs marked, and none can be while the first read's beads arrive: it quits.
  const quit = [...keyNames('global', 'quit'), ...keyNames('global', 'quit-ask')];
  const suspend = keyNames('global', 'suspend');
  const drop = keyNames('global', 'clear-filter');
  return {
    quit: new Set(quit),
    drop: new Set(drop),
    past: new Set([...quit, ...suspend, ...drop]),
    inPrompt: new Set(keyNames('prompt', 'quit')),
    opens: new Set([...keyNames('repairs', 'reject'), ...keyNames('global', 'filter'), ...keyNames('global', 'command')]),
  };
}

/** The place of the first key waiting in `keys` that acts at once (waitKeys), or -1. */
function pastTheWaitAt(keys: readonly Queued[], w: ReturnType<typeof waitKeys>): number {
  let prompt = false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i].typed;
    if (typeof k !== 'string') continue;
    if (w.inPrompt.has(k) || (!prompt && w.past.has(k))) return i;
    if (w.opens.has(k)) prompt = true;
  }
  return -1;
}

/** A key (or paste) waiting its turn, and when it was typed (the console's monotonic clock, ms: use-now.ts). */
interface Queued {
  typed: Typed;
  at: number;
}

/**
 * A decision key on the repair the selection moved on to by itself (`id`) refused, `when` saying why: it and the keys
 * typed after it are dropped, and the status line says so and what to do.
 */
function refuseMovedOn(store: AppStore, q: { keys: Queued[] }, id: string, when: string): void {
  q.keys.shift();
  const dropped = q.keys.length;
  q.keys = [];
  const after = dropped === 0 ? '' : ` (${dropped} key${dropped === 1 ? '' : 's'} typed after it ignored)`;
  store.getState().setMessage({
    text: `${id}: the selection moved on to it after the last decision, ${when}: nothing done${after}; read its card, then decide`,
    tone: 'error',
    subject: id,
  });
}

/** What esc (or ^Z) says of the keys it dropped while they waited for the first read's beads. */
function sayDropped(store: AppStore, count: number, by: string): void {
  const keys = count === 1 ? '1 key typed' : `${count} keys typed`;
  store.getState().setMessage({ text: `${by}: ${keys} while the first read's beads arrived dropped`, tone: 'info' });
}

export function useKeys(): void {
  const store = useAppStoreApi();
  const services = useServices();
  // A ref: the input handlers below are made once, and read the clock given now.
  const clock = useNow();
  const now = useRef(clock);
  now.current = clock;
  const { exit } = useInkApp();
  const { stdin, isRawModeSupported, setRawMode, internal_eventEmitter: events } = useStdin();
  const { stdout, write } = useStdout();
  // isRawModeSupported is really stdin.isTTY: undefined (not false) for a pipe.
  const active = isRawModeSupported === true;
  // Keys in order: one that acts on the card waits for the frame showing the repair it would act on
  // (waitsForFrame), and every key typed after it waits behind it.
  // A key that needs the first read's beads (waitsForBeads) holds the queue until they land (`beads`).
  // `waitedOn`: the repair selected when the key at the head began to wait for a frame (movedOnUnseen).
  const queue = useRef<{
    keys: Queued[];
    waiting: ReturnType<typeof setTimeout> | null;
    unsubscribe: () => void;
    beads: boolean;
    waitedOn?: string | null;
  }>({
    keys: [],
    waiting: null,
    unsubscribe: () => undefined,
    beads: false,
  });
  // ctrl-z (suspend.ts): the terminal as Ink drives it; what cancels a suspend waiting for `fg` (null: none).
  const suspended = useRef<(() => void) | null>(null);
  const suspend = useRef(() => {
    if (suspended.current) return;
    let release = () => undefined as void;
    const term = {
      leave: () => {
        leaveScreen(stdin, stdout);
        release = holdWrites(stdout);
      },
      enter: () => {
        release();
        enterScreen(stdin, stdout);
        stdout.write(HIDE_CURSOR);
        refreshSize(stdout);
      },
      // Ink's write: it erases its frame, writes this, then draws its last frame whole (the same frame, so
      // nothing of what it shows is lost: the cursor row, a filter, a reason half typed).
      redraw: () => write(CLEAR_SCREEN),
    };
    suspended.current = suspendToShell(services.jobControl ?? null, term, (outcome) => {
      suspended.current = null;
      if (outcome === 'unavailable') store.getState().setMessage({ text: suspendUnavailable(), tone: 'info' });
    });
  });
  // Keys waiting for the beads, and behind them one that acts at once (PAST_THE_WAIT): the keys before it are
  // dropped, then it acts (esc only drops them); the keys typed after it are judged anew. False when there is none.
  const pastTheWait = useRef((): boolean => {
    const q = queue.current;
    if (!q.beads) return false;
    const w = waitKeys();
    const at = pastTheWaitAt(q.keys, w);
    if (at < 0) return false;
    const head = q.keys[at];
    const key = head.typed as KeyName;
    // The keys typed after it are judged anew (a quit takes none of them).
    const after = w.quit.has(key) ? [] : q.keys.slice(at + 1);
    q.keys = w.drop.has(key) ? [] : [head];
    q.unsubscribe();
    q.unsubscribe = () => undefined;
    q.beads = false;
    // The wait's word goes with the wait (it would stay until the beads land).
    store.getState().setMessage(null);
    drain.current(true);
    // After ^Z has acted (it clears the status line): said on the frame drawn again at `fg`.
    if (!w.quit.has(key)) sayDropped(store, at, keyLabel(key));
    if (after.length === 0) return true;
    q.keys.push(...after);
    drain.current(false);
    return true;
  });
  const drain = useRef((force: boolean) => {
    const q = queue.current;
    if (q.waiting) clearTimeout(q.waiting);
    q.waiting = null;
    q.unsubscribe();
    q.unsubscribe = () => undefined;
    q.beads = false;
    let waitedOn = force ? q.waitedOn : undefined;
    q.waitedOn = undefined;
    while (q.keys.length > 0) {
      const { typed: next, at: typedAt } = q.keys[0];
      if (typeof next !== 'string') {
        q.keys.shift();
        deliverPaste(store, next);
        continue;
      }
      if (!force) clearMessageFor(next, store);
      if (!force && waitsForBeads(next, store)) {
        // Keys typed on the first look that need its beads (a move in the repairs view, a decision): they and the
        // keys after them act in order once the beads land, on the rows they bring; a read that fails instead
        // drops them, saying so.
        const failed = store.getState().error;
        const stop = store.subscribe((s) => {
          if (!s.current && s.error === failed) return;
          stop();
          setImmediate(() => {
            const now = store.getState();
            if (!now.current && q.beads) {
              const n = q.keys.length;
              q.keys = [];
              now.setMessage({
                text: `the first read failed before its beads arrived: ${n} key${n === 1 ? '' : 's'} typed ignored`,
                tone: 'error',
              });
            }
            drain.current(false);
          });
        });
        q.unsubscribe = stop;
        q.beads = true;
        if (pastTheWait.current()) return;
        sayHeld(store, q.keys.length);
        return;
      }
      // A decision typed on one card never acts on another the selection moved on to by itself meanwhile (after the
      // last decision): it and the keys typed after it are dropped, saying so.
      const unseen = movedOnUnseen(next, store, waitedOn);
      waitedOn = undefined;
      if (unseen !== null) return refuseMovedOn(store, q, unseen, 'before its card was on screen');
      // Nor one typed a moment after that card was drawn (a double tap): the card must have been read first. The wait
      // starts again from the key refused, so a held key never gets through on its repeats.
      const soon = tooSoonAfterMovedOn(next, store, typedAt);
      if (soon !== null) {
        const shown = store.getState().ui.movedOnShown!;
        store.getState().patchUi({ movedOnShown: { ...shown, refused: Math.max(typedAt, shown.refused ?? typedAt) } });
        return refuseMovedOn(store, q, soon.id, soon.why);
      }
      if (!force && waitsForFrame(next, store)) {
        // The frame's last records are the card it shows and its size; then the key acts (a timer if that frame never comes).
        const { cardShown: shown, frameShown: drawn } = store.getState().ui;
        q.waitedOn = selectedKey(store);
        const wake = () => drain.current(true);
        const stop = store.subscribe((s) => {
          if (s.ui.cardShown === shown && s.ui.frameShown === drawn) return;
          stop();
          setImmediate(wake);
        });
        q.unsubscribe = stop;
        q.waiting = setTimeout(wake, FRAME_WAIT_MS);
        return;
      }
      force = false;
      const name = q.keys.shift()!.typed as KeyName;
      // A decision key (read-only included, where it is refused): what is typed after it is meant for what it opens.
      const onCard = actsOnCard(name, store, true);
      const before = store.getState().ui.message;
      const placed = store.getState().ui.movedOnTo === null ? null : selectedKey(store);
      const full = store.getState().ui.card;
      dispatchKey(name, { store, services, exit: () => exit(), suspend: () => suspend.current(), now: now.current });
      // A move of the operator's own (typed ahead of a decision): where the selection is now is theirs. A key that
      // moves nothing (a scroll of the full card, help) leaves the moved-on selection unseen.
      if (!onCard && store.getState().ui.movedOnTo !== null && selectedKey(store) !== placed) store.getState().patchUi({ movedOnTo: null });
      // Nor does the moved-on card wait out its moment once the operator moved away from it, or opened or closed it.
      const dwell = store.getState().ui.movedOnShown;
      if (!onCard && dwell !== null && (selectedKey(store) !== dwell.id || store.getState().ui.card !== full))
        store.getState().patchUi({ movedOnShown: null });
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
      suspended.current?.();
    },
    [],
  );
  // Ink's input events (its parser cuts a chunk into keys, text runs and escape sequences), read here rather than
  // through useInput (terminal-input.ts says why); raw mode as useInput would set it.
  useEffect(() => {
    if (!active) return;
    setRawMode(true);
    const reader = new InputReader();
    let unended: ReturnType<typeof setTimeout> | null = null;
    const take = (typed: Typed[]) => {
      if (typed.length === 0) return;
      const q = queue.current;
      const idle = q.keys.length === 0;
      const at = now.current();
      q.keys.push(...typed.map((t) => ({ typed: t, at })));
      // While keys wait for the first read's beads (which can take seconds): ^C, q, ^Z and esc act at once.
      if (pastTheWait.current()) return;
      if (q.beads) sayHeld(store, q.keys.length);
      if (idle) drain.current(false);
    };
    // A paste whose end marker has not come: what it holds is handed on after a quiet moment, and the paste stays
    // open for a moment more (the rest of a stalled paste must not arrive as keys); quiet again, it ends.
    const waitForPasteEnd = () => {
      if (unended) clearTimeout(unended);
      unended = reader.pasting
        ? setTimeout(() => {
            const p = reader.flush();
            if (p) take([p]);
            else store.getState().setMessage({ text: 'a paste ended without its end marker: keys are read again', tone: 'info' });
            waitForPasteEnd();
          }, PASTE_END_WAIT_MS)
        : null;
    };
    // Ink hands on the input events of one read of the terminal one after another, at once: the read is over when
    // they have all run (what follows a paste's end in it is pasted, see InputReader).
    let readOpen = false;
    const onInput = (data: string) => {
      take(reader.read(data, performance.now()));
      waitForPasteEnd();
      if (readOpen) return;
      readOpen = true;
      queueMicrotask(() => {
        readOpen = false;
        reader.endOfRead();
      });
    };
    events.on('input', onInput);
    return () => {
      if (unended) clearTimeout(unended);
      events.off('input', onInput);
      setRawMode(false);
    };
  }, [active, events, setRawMode, store]);
}
