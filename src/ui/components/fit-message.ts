// A status message fitted to the lines the status area has for it. A message says what was or was not done at its
// end ("…; nothing approved", "wrote /tmp/x.md"): cut at its end to fit, it lost exactly that. So a message too long
// is cut in its middle instead, its last clause kept whole.
import { tailOf, truncateMiddle, wrapText } from '../text.js';

const MORE = '…';

/**
 * Where each trailing clause of `text` begins, the last first: after each `; ` (what was or was not done: `…; nothing
 * recorded; reason kept for the next r on it`), or, with none, after its last `: `.
 */
function clauseStarts(text: string): number[] {
  const starts: number[] = [];
  for (let at = text.lastIndexOf('; '); at > 0; at = text.lastIndexOf('; ', at - 1)) starts.push(at + 2);
  const colon = text.lastIndexOf(': ');
  return starts.length > 0 ? starts : colon > 0 ? [colon + 2] : [];
}

/** The largest n in [0, max] for which `ok(n)` holds (ok is monotone: true up to some n), or -1 when ok(0) fails. */
function largest(max: number, ok: (n: number) => boolean): number {
  if (!ok(0)) return -1;
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Where the words `subject` spells (a blank apart) are among `words`: the first one's index and the one after the last. */
function wordsOf(words: string[], subject: string): [number, number] | null {
  const want = subject.split(' ').filter((w) => w !== '');
  if (want.length === 0) return null;
  for (let i = 0; i + want.length <= words.length; i++) if (want.every((w, j) => words[i + j] === w)) return [i, i + want.length];
  return null;
}

/**
 * `text` (already cleaned) wrapped into at most `lines` lines of `width` cells. When it does not fit whole: as many
 * of its first words as fit, `…`, and its trailing clauses whole, as many as fit (`the change of x is not all on…;
 * nothing approved`; the last one alone when no other fits after a word of the start); a start that says why before a
 * `: ` and is cut within that statement keeps its first words and what it says after its `subject` (`the change of…is
 * not all on screen…; nothing written`, the subject a repair id, cleaned as `text`), or where no first word fits beside
 * those or the statement names no subject, its last words alone (`…not all on screen…; nothing written`). A text with
 * no clause that fits so (`exported md snapshot to <a long path>`) keeps its first lines and, on its last line, its end
 * after `…` (on one line: its start and its end, cut in the middle).
 */
export function fitMessage(text: string, width: number, lines: number, subject?: string): string[] {
  if (lines <= 0) return [];
  const wrap = (t: string) => wrapText(t, width);
  const fits = (t: string) => wrap(t).length <= lines;
  if (fits(text)) return wrap(text);
  // As many trailing clauses as fit after a word or more of the start (the last one after none if need be).
  const starts = clauseStarts(text);
  for (let k = starts.length - 1; k >= 0; k--) {
    const at = starts[k] - 2;
    const words = text
      .slice(0, at)
      .split(' ')
      .filter((w) => w !== '');
    const made = (n: number) => `${words.slice(0, n).join(' ')}${MORE}${text.slice(at)}`;
    const n = largest(words.length - 1, (j) => fits(made(j)));
    // A start that says why before a `: ` (`the change of x is not all on screen: …`), cut within that statement: its
    // last words, what it says of its subject, rather than its first (`the change of…; nothing written` said nothing).
    const colon = text.slice(0, at).indexOf(': ');
    const said = colon > 0 ? text.slice(0, colon).split(' ') : [];
    if (n >= 0 && n < said.length) {
      // Its first words too where they fit beside the words after its subject, what it says of it (`the change
      // of…is not all on screen…; nothing approved`); else its last words alone.
      const both = (f: number, m: number) =>
        `${said.slice(0, f).join(' ')}${MORE}${said.slice(said.length - m).join(' ')}${MORE}${text.slice(at)}`;
      const found = subject === undefined ? null : wordsOf(said, subject);
      const why = found ? said.length - found[1] : 0;
      // As many of its last words as fit after `f` first ones: the subject whole or not at all (a fragment names nothing).
      const more = (f: number): number => {
        const top = said.length - 1 - f;
        const ok = (j: number) => fits(both(f, j));
        if (!found) return largest(top, ok);
        const whole = said.length - found[0];
        const upTo = largest(Math.min(why, top), ok);
        return upTo === why && whole <= top && ok(whole) ? largest(top, (j) => j < whole || ok(j)) : upTo;
      };
      const f = found && why >= 1 ? largest(found[0], (j) => fits(both(j, why))) : -1;
      if (f >= 1) return wrap(both(f, more(f)));
      const last = more(0);
      if (last >= 1) return wrap(both(0, last));
    }
    if (n >= (k > 0 ? 1 : 0)) return wrap(made(n));
  }
  if (lines === 1) return [truncateMiddle(text, width)];
  const head = wrap(text).slice(0, lines - 1);
  // The wrapped lines are the text's words a blank apart, in order: what they hold is a prefix of that.
  let rest = text
    .split(' ')
    .filter((w) => w !== '')
    .join(' ');
  for (const l of head) rest = rest.slice(l.length).replace(/^ /, '');
  return [...head, tailOf(rest, width)];
}
