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

/** CSI sequences by final byte (parameters such as ctrl's `1;5` do not change the key). */
const CSI_LETTERS: Record<string, KeyName> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', Z: 'shift-tab' };
/** `ESC [ n ~` by its first parameter. */
const CSI_TILDE: Record<string, KeyName> = { '1': 'home', '7': 'home', '4': 'end', '8': 'end', '5': 'pgup', '6': 'pgdn', '3': 'backspace' };
/** `ESC O x` (application cursor keys). */
const SS3_LETTERS: Record<string, KeyName> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };

/** ESC and BEL as regular-expression source: the expressions are built from text, with no control character in a literal. */
const ESC = '\\u001b';
const BEL = '\\u0007';
const CSI = new RegExp(`^${ESC}{1,2}\\[([0-?]*)([ -/]*)([@-~])$`);
const SS3 = new RegExp(`^${ESC}{1,2}O([@-~])$`);

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
    if (data === '\u001b' || data === '\u001b\u001b') return ['esc'];
    const csi = CSI.exec(data);
    if (csi) {
      const [, params, inter, final] = csi;
      if (inter !== '' || params.startsWith('<') || params.startsWith('?')) return [];
      if (final === '~') {
        const k = CSI_TILDE[params.split(';')[0]];
        return k ? [k] : [];
      }
      const k = CSI_LETTERS[final];
      return k ? [k] : [];
    }
    const ss3 = SS3.exec(data);
    if (ss3) {
      const k = SS3_LETTERS[ss3[1]];
      return k ? [k] : [];
    }
    // ESC and one character (a code point): esc, then that key.
    const rest = data.slice(1);
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

/**
 * Tells pasted text from typing across input events: `take` answers null for an event that is not part of a
 * paste (read it as keys), 'inside' for one that is (its text kept), and the whole text when the paste ends.
 */
export class PasteReader {
  private text: string | null = null;

  take(data: string): null | 'inside' | { pasted: string } {
    if (this.text === null) {
      if (data !== PASTE_START) return null;
      this.text = '';
      return 'inside';
    }
    if (data === PASTE_END) {
      const pasted = this.text;
      this.text = null;
      return { pasted };
    }
    this.text += data;
    return 'inside';
  }
}
