// What the terminal sends, as the console's key names: one input event of Ink's (a key, a run of typed text, or
// one escape sequence, as Ink's input parser splits a chunk) to the keys it stands for, and a bracketed paste
// told apart from typing. The console reads these itself instead of through Ink's useInput: Ink 6.8's throws on
// a modified function key (ctrl-F1 sends `ESC[1;5P`) or a pasted colour code (`ESC[31m`), vadimdemedes/ink#901,
// and a paste reaches it as typed keys, each of which could approve, reject or export.
import type { KeyName } from './keymap.js';

/** Asks the terminal to mark what is pasted (xterm's bracketed paste), and stops it. */
export const BRACKETED_PASTE_ON = '\u001b[?2004h';
export const BRACKETED_PASTE_OFF = '\u001b[?2004l';
const PASTE_START = '\u001b[200~';
const PASTE_END = '\u001b[201~';

/**
 * The arrows and home/end by the final byte of `ESC [ x` or `ESC O x` (parameters such as ctrl's `1;5` do not
 * change the key); lower case: rxvt's shift- (CSI) and ctrl-arrows (SS3).
 */
const CURSOR_KEYS: Record<string, KeyName> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  a: 'up',
  b: 'down',
  c: 'right',
  d: 'left',
};
/** CSI sequences by final byte. */
const CSI_LETTERS: Record<string, KeyName> = { ...CURSOR_KEYS, Z: 'shift-tab' };
/** The final bytes of `ESC [ n x` whose first parameter names the key: xterm's `~`, rxvt's ctrl `^`. */
const NUMBERED = new Set(['~', '^']);
/** `ESC [ n ~` (or `^`) by its first parameter. */
const CSI_TILDE: Record<string, KeyName> = { '1': 'home', '7': 'home', '4': 'end', '8': 'end', '5': 'pgup', '6': 'pgdn', '3': 'delete' };
/**
 * ESC then backspace: alt-backspace, read as backspace (as Ink read it; esc would cancel the reason being typed).
 * ESC then enter or tab stays esc, then the key: read together (tmux's escape time), an esc that cancels a dialog
 * must never become the enter that submits it.
 */
const ALT_EDITING: Record<string, KeyName> = { '\u007f': 'backspace', '\b': 'backspace' };

/** ESC and BEL as regular-expression source: the expressions are built from text, with no control character in a literal. */
const ESC = '\\u001b';
const BEL = '\\u0007';
const CSI = new RegExp(`^${ESC}\\[(\\[?)([0-?]*)([ -/]*)([@-~])$`);
const SS3 = new RegExp(`^${ESC}O([@-~])$`);

/** One character typed: a control character by its key (enter, tab, ⌫, ctrl-letter), else itself; null: no key. */
function charKey(ch: string): KeyName | null {
  const c = ch.codePointAt(0)!;
  if (ch === '\r' || ch === '\n') return 'enter';
  if (ch === '\t') return 'tab';
  if (c === 0x7f || c === 0x08) return 'backspace';
  if (c === 0x1b) return 'esc';
  if (c >= 0x01 && c <= 0x1a) return `ctrl-${String.fromCharCode(c + 0x60)}`;
  if (c < 0x20 || (c >= 0x80 && c <= 0x9f)) return null;
  return ch === ' ' ? 'space' : ch;
}

/**
 * The keys one input event stands for, in order; none for a sequence no key of the console is (a function key, a
 * mouse report, a colour code). An escape followed by one character is esc, then that key: no binding is an alt
 * chord, and tmux sends esc and the next key typed within its escape time as one.
 */
export function keysOf(data: string): KeyName[] {
  if (data === '') return [];
  if (data.charCodeAt(0) === 0x1b) {
    if (data === '\u001b') return ['esc'];
    // Esc typed, then a key whose own sequence starts with ESC (an arrow, PgDn) within the terminal's escape time.
    if (data.charCodeAt(1) === 0x1b) return ['esc', ...keysOf(data.slice(1))];
    const csi = CSI.exec(data);
    if (csi) {
      const [, legacy, params, inter, final] = csi;
      if (inter !== '' || params.startsWith('<') || params.startsWith('?')) return [];
      // Cygwin's and PuTTY's `ESC [ [`: a page key with `~` (`ESC [ [ 5 ~`), else a function key (`ESC [ [ A` is F1).
      if (legacy !== '' && !NUMBERED.has(final)) return [];
      if (NUMBERED.has(final)) {
        const k = CSI_TILDE[params.split(';')[0]];
        return k ? [k] : [];
      }
      const k = CSI_LETTERS[final];
      return k ? [k] : [];
    }
    const ss3 = SS3.exec(data);
    if (ss3) {
      const k = CURSOR_KEYS[ss3[1]];
      return k ? [k] : [];
    }
    // ESC and one character (a code point): esc, then that key; an editing key is the key alone (as Ink read it).
    const rest = data.slice(1);
    if (ALT_EDITING[rest]) return [ALT_EDITING[rest]];
    if ([...rest].length === 1) {
      const k = charKey(rest);
      return k ? ['esc', k] : ['esc'];
    }
    return [];
  }
  const out: KeyName[] = [];
  for (const ch of data) {
    const k = charKey(ch);
    if (k) out.push(k);
  }
  return out;
}

/** Escape sequences (CSI, OSC, a two-byte ESC x) and the other control characters of pasted text. */
const PASTED_CONTROLS = new RegExp(
  `${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)?|${ESC}[^[\\]]?|[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]`,
  'g',
);

/** Pasted text as a prompt takes it: one line (line breaks and tabs are spaces), no escape sequences or controls. */
export function pastedLine(text: string): string {
  return text.replace(/\r\n|[\r\n\t]/g, ' ').replace(PASTED_CONTROLS, '');
}

/** The most of one paste kept: a paste beyond this is cut (and the status line says so). */
export const MAX_PASTE = 1 << 20;

/** What was typed: a key by name, or a paste (its text, and whether it was cut at MAX_PASTE). */
export type Typed = KeyName | { pasted: string; cut: boolean };

/** The input events that open a terminal string (OSC, DCS, APC, PM, SOS): no key, up to its BEL or ST. */
const STRING_STARTS: ReadonlySet<string> = new Set(['\u001b]', '\u001bP', '\u001b_', '\u001b^', '\u001bX']);
const BEL_CHAR = '\u0007';
const ST = '\u001b\\';
/** How soon after a lone ESC the rest of its sequence may come in an event of its own. */
const ESC_REST_MS = 30;
/** What may follow a lone ESC as the rest of its sequence, read apart from it: CSI or SS3. */
const SEQUENCE_REST = /^[[O]/;
/** The sequence at the start of a text: CSI (rxvt's `ESC [ [ 5 ~` too), SS3, or ESC and one character. */
const LEADING_SEQUENCE = new RegExp(`^${ESC}(?:\\[\\[?[0-?]*[ -/]*[@-~]|O[@-~])`);
/** A sequence cut short: what Ink hands on when the rest has not come in the same read (`ESC [ 2 0`). */
const INCOMPLETE = new RegExp(`^${ESC}(?:\\[\\[?[0-?]*[ -/]*|O)$`);
/** The longest terminal string skipped: past it, what comes is read again. */
const MAX_STRING = 4096;
/** An X10 mouse report: `ESC [ M` and three bytes (button, column, row), which a text event carries. */
const X10_MOUSE = '\u001b[M';

/**
 * What the input events of Ink's stand for, across events: keys (keysOf); a bracketed paste, kept whole until its
 * end marker; and what no key is, dropped whole even when it spans events: an X10 mouse report (its three bytes
 * after `ESC [ M` would otherwise be keys: a wheel report's `a` approved), and a terminal string (`ESC ] 52;…`,
 * whose digits would switch views).
 */
export class InputReader {
  private paste: string | null = null;
  private cut = false;
  private skip = 0;
  /** Inside a terminal string: the characters skipped so far and when the last part came (null: not inside one). */
  private string: { chars: number; at: number } | null = null;
  /** When a lone ESC was read (ms, the caller's clock), for the rest of a sequence read apart from it. */
  private loneEscAt = -Infinity;
  /** A sequence cut short, held for the rest of it (and when). */
  private partial: { text: string; at: number } | null = null;
  /**
   * A paste ended in what the terminal sent in this read: the rest of the read is pasted text too, never keys. A
   * paste can hold an end marker of its own (tmux passes one through: `hello ESC[201~a`), and what follows it would
   * otherwise act as typed (its `a` approved). A key a person types comes in a read of its own.
   */
  private pasteEndedInRead = false;

  /** Whether a paste has begun and its end has not come. */
  get pasting(): boolean {
    return this.paste !== null;
  }

  /** The keys and pastes of one input event of Ink's, read at `now` (ms). */
  read(data: string, now = 0): Typed[] {
    if (this.paste !== null) return this.inPaste(data, now);
    if (this.pasteEndedInRead && data !== PASTE_START && data !== '\u0003') return [{ pasted: data, cut: false }];
    if (this.string !== null) {
      const s = this.string;
      this.string = null;
      // A terminal string comes in one burst: a later event (or ^C, or one past its cap) is read as typed.
      if (data !== '\u0003' && now - s.at <= ESC_REST_MS && s.chars + data.length <= MAX_STRING) {
        if (data === ST) return [];
        const bel = data.indexOf(BEL_CHAR);
        if (bel >= 0) return this.read(data.slice(bel + 1), now);
        this.string = { chars: s.chars + data.length, at: now };
        return [];
      }
    }
    // The rest of a sequence read apart from its start: a slow link, or a busy console (Ink hands on what it holds
    // of a sequence at once). Joined when it comes at once: never its letters as keys (`[A` would be approve-all).
    const held = this.partial !== null && now - this.partial.at <= ESC_REST_MS ? this.partial.text : null;
    const afterEsc = held === null && now - this.loneEscAt <= ESC_REST_MS && SEQUENCE_REST.test(data);
    this.partial = null;
    this.loneEscAt = -Infinity;
    if (held !== null || afterEsc) {
      // After a lone ESC, the esc has counted already: only the sequence is left to read.
      const whole = held !== null ? held + data : `\u001b${data}`;
      if (INCOMPLETE.test(whole)) {
        this.partial = { text: whole, at: now };
        return [];
      }
      const head = LEADING_SEQUENCE.exec(whole)?.[0];
      if (head) return [...this.read(head, now), ...(whole.length > head.length ? this.read(whole.slice(head.length), now) : [])];
      // No sequence after all: what came is typing (a held part is dropped; an esc is not counted twice).
      return this.read(data, now);
    }
    if (data === '\u001b') {
      this.loneEscAt = now;
      return ['esc'];
    }
    if (INCOMPLETE.test(data)) {
      this.partial = { text: data, at: now };
      return [];
    }
    if (this.skip > 0) {
      const cps = [...data];
      const n = Math.min(this.skip, cps.length);
      this.skip -= n;
      data = cps.slice(n).join('');
      if (data === '') return [];
    }
    if (data === PASTE_START) {
      this.paste = '';
      this.cut = false;
      return [];
    }
    if (data === X10_MOUSE) {
      this.skip = 3;
      return [];
    }
    if (STRING_STARTS.has(data)) {
      this.string = { chars: 0, at: now };
      return [];
    }
    return keysOf(data);
  }

  /**
   * The pasted text so far with `data`: the paste when its end marker is in it (even split across events), and
   * what follows the marker in the same read as pasted text (see pasteEndedInRead).
   */
  private inPaste(data: string, now: number): Typed[] {
    // ^C on its own while a paste is open (its end never came): the paste ends there, and ^C counts.
    if (data === '\u0003') return [this.endPaste(), 'ctrl-c'];
    const from = Math.max(0, this.paste!.length - PASTE_END.length);
    const text = this.paste! + data;
    const end = text.indexOf(PASTE_END, from);
    if (end >= 0) {
      this.paste = text.slice(0, end);
      this.pasteEndedInRead = true;
      const rest = text.slice(end + PASTE_END.length);
      return [this.endPaste(), ...(rest === '' ? [] : this.read(rest, now))];
    }
    if (text.length > MAX_PASTE + PASTE_END.length) {
      // Kept to the cap, with room for an end marker split across the events to come.
      this.paste = text.slice(0, MAX_PASTE) + text.slice(-PASTE_END.length);
      this.cut = true;
    } else this.paste = text;
    return [];
  }

  /** The terminal's read whose input events were handed to `read` is over: what comes next is typed again. */
  endOfRead(): void {
    this.pasteEndedInRead = false;
  }

  /**
   * A paste whose end marker has not come, after a quiet moment: what it holds so far, the paste still open (the
   * rest of a stalled paste must not arrive as keys, which could approve); when nothing came since the last time,
   * the paste ends (a terminal that dropped its end marker). Null when there is nothing to hand on.
   */
  flush(): Typed | null {
    if (this.paste === null) return null;
    if (this.paste === '') {
      this.paste = null;
      this.cut = false;
      return null;
    }
    const p = this.endPaste();
    this.paste = '';
    return p;
  }

  private endPaste(): Typed {
    const text = this.paste ?? '';
    const pasted = { pasted: text.length > MAX_PASTE ? text.slice(0, MAX_PASTE) : text, cut: this.cut || text.length > MAX_PASTE };
    this.paste = null;
    this.cut = false;
    return pasted;
  }
}
