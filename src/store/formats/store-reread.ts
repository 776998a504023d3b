// Re-reading a store file the console already read: Gas City's controller rewrites the whole file when one
// bead changes, and at 100 000 beads parsing it again, then telling the console which beads changed
// (chunked-clone.ts compares every bead), cost more than a second a refresh. So the reader keeps the last
// text it parsed and what each bead's text became, and on the next read parses only the beads whose text
// differs: an unchanged bead is the very object of the last read. The result is what parseJsonText would
// give for the whole text (the test compares them); anything unusual is parsed whole. Between reads the text is
// held as the file's bytes, in a private file (kept-bytes.ts), once the reader is done with it (release). Those bytes are read
// back for the next read, and, when both texts are ASCII (as Gas City writes them), compared as bytes: decoding them
// back into a text cost an outside change at 100 000 beads about 0.1 s of the plan worker's time, for a text whose
// characters are its bytes.
import { isAscii } from 'node:buffer';
import { beadSpans, objectEnd, skipSpace, type BeadSpans, type ItemEnd } from './bead-spans.js';
import { parseJsonDocument, parseJsonText } from './json-text.js';
import { duplicateTopKey, firstDuplicateKey } from './duplicate-keys.js';
import { inexactToken } from './token-maps.js';
import { freeBytes } from './free-bytes.js';
import { KeptBytes, keptCopyOf, keptInFile, letPiecesGo, sharedLength } from './kept-bytes.js';
import type { BeadsAt } from './splice-beads.js';

interface LastRead {
  /** The text parsed; null once released, when `bytes` holds it. */
  text: string | null;
  /** The bytes `text` was decoded from (UTF-8), when its reader gave them: in a file of their own once written. */
  bytes: KeptBytes | null;
  /** Where the beads array is in those bytes, from their ends: found with the spans while the text is held. */
  at?: BeadsAt;
  /**
   * Where each of `beads` is in `text` (null: the text is unusual); after a whole parse, found once the read is
   * answered (see whole), or by the next read if it comes first.
   */
  spans: BeadSpans | null | undefined;
  beads: unknown[];
  /** Where each bead id first is in `beads`, made when a changed bead needs it. */
  byId: Map<string, number> | null;
  /** `text` is ASCII: its offsets are those of its `bytes`, which a re-read compares instead (see heldFor). */
  ascii: boolean;
  /** Whether `beads` passed the store's validation (markValid): a bead taken from them needs no shape check. */
  valid: boolean;
  /** The document of `text` that passed the store's validation (markValid), when one did. */
  doc?: object;
  /**
   * `text` is known to name no key twice in any object (markUnique; or it is a text read from one that was, with its
   * changed beads and the text around the beads searched): a write need not search it again.
   */
  unique?: boolean;
}

/** After this many changed beads, a text with fewer beads kept than changed is parsed whole. */
const MOSTLY_NEW = 1000;

const COMMA = 44;
const RBRACK = 93;

const idOf = (b: unknown): unknown => (b !== null && typeof b === 'object' ? (b as { id?: unknown }).id : undefined);

/**
 * One store file's reader across reads (the console's: its beads are never changed in place, every change
 * makes new objects). `parse` returns the document of a text; the beads whose text is the same as at the
 * last parse are the objects returned then.
 */
export class StoreReread {
  private last: LastRead | null = null;

  /** How many beads the last parse took from the one before (for tests and the bench). */
  reused = 0;

  /**
   * Per bead of the last parse, 1 when it is a bead of a read that passed validation (its shape needs no
   * second check; the ids are still all checked for duplicates); null when none is.
   */
  known: Uint8Array | null = null;

  /** Whether the last parse parsed the whole text (its token maps are then the caller's to check: token-maps.ts). */
  parsedWhole = false;

  /** The last parse was given bytes it frees once they are in their file (`parse`'s `given`, on a re-read). */
  private freesGiven = false;

  /**
   * Once the bytes the last parse was given are freed (in their file: KeptBytes.settled), or null when it was given none
   * to free: a caller that goes on to other work in one go (a plan) waits for it, so as not to hold them through it.
   */
  givenFreed(): Promise<void> | null {
    return this.freesGiven ? KeptBytes.settled() : null;
  }

  /** `doc`, the document of the last parse, passed the store's validation. */
  markValid(doc: { beads?: unknown }): void {
    if (this.last && this.last.beads === doc.beads) {
      this.last.valid = true;
      this.last.doc = doc;
    }
  }

  /**
   * The last parse (`read`: what markUnique and beadsAt know it by), its bytes (or its text, when its reader gave no
   * bytes) and its document, when that passed the store's validation (markValid): what a write compares the file with
   * (write.ts keptReadBasis), without a copy of either. Null when there is none.
   */
  lastValid(): { read: object; text: string | KeptBytes; doc: object; unique: boolean } | null {
    const last = this.last;
    if (!last?.doc) return null;
    return { read: last, text: last.bytes ?? last.text!, doc: last.doc, unique: last.unique === true };
  }

  /** `read` (lastValid's), when it is still the last, names no key twice in any object (a write searched all of it). */
  markUnique(read: object): void {
    if (this.last === read) this.last.unique = true;
  }

  /**
   * Where the beads array of `read` (lastValid's) is in its bytes, when it is still the last read and the array was
   * already found (after the read, or by the next one); nothing is scanned here.
   */
  beadsAt(read: object): BeadsAt | null {
    const last = this.last;
    if (last !== read || !last.doc || !last.spans) return null;
    if (last.at === undefined && last.text !== null) last.at = bytesAround(last.text, last.spans);
    return last.at ?? null;
  }

  /**
   * The reader is done with the last text: what the next read and write need of it is found now (where its beads
   * are), and the text is let go when its bytes are kept (the next read reads them back).
   */
  release(): void {
    const last = this.last;
    if (!last || last.text === null || !last.bytes) return;
    if (last.spans === undefined) last.spans = beadSpans(last.text);
    if (last.spans && last.at === undefined) last.at = bytesAround(last.text, last.spans);
    last.text = null;
  }

  /**
   * The document of `text` (or of what `text()` gives: decoded only if needed); `bytes`, when given, are what it was
   * decoded from (UTF-8), kept for the next read. `given`: the caller gives `bytes` up with this call (nothing reads
   * them after it returns), and their memory is freed once they are kept in their file (kept-bytes.ts): on a re-read
   * only. A first read's freed so raised the console's launch peak at 100 000 beads by about 17 MiB, 273 -> 291
   * (docs/speed.md, h3's entry of 2026-12-06's third round); its bytes go at the collection after it (plan-worker-body.ts).
   */
  parse(text: string | (() => string), bytes?: Buffer, given = false): unknown {
    const last = this.begin();
    try {
      const frees = given && last !== null;
      const kept = bytes && keptInFile(bytes.length) ? new KeptBytes(bytes, { given: frees }) : null;
      this.freesGiven = kept !== null && frees;
      return this.parseAfter(last, once(text), bytes, kept, false);
    } finally {
      // The last read's bytes are not compared with again (a write's basis is the new read from now on: jobs.ts).
      last?.bytes?.drop();
    }
  }

  /**
   * Whether the next read can be a copy of the file (KeptBytes.copyOf) compared with this one's kept file (parseKept):
   * the last read is released, ASCII, its beads found and its bytes in their file.
   */
  comparesInFiles(): boolean {
    return inFilesOf(this.last);
  }

  /** The file `file` copied for parseKept (kept-bytes.ts keptCopyOf): its caller reads it without importing that module. */
  copy(file: string): KeptBytes | null | 'missing' {
    return keptCopyOf(file);
  }

  /**
   * The document of the bytes copied into `kept` (KeptBytes.copyOf, from the file as one read of it: what is compared,
   * parsed and kept is that copy, whatever happens to the file meanwhile), which the next read compares with. While they
   * are the last read's (comparesInFiles) but where they changed, and ASCII there, only the parts that changed and the
   * text around the beads are read back (the whole file's bytes are never in this process); anything else is read back
   * whole and parsed as `parse` parses it; `decoded` is then given the text decoded from them.
   */
  parseKept(kept: KeptBytes, decoded?: (text: string) => void): unknown {
    const last = this.begin();
    try {
      const tried = inFilesOf(last);
      const doc = tried && this.inFiles(last, kept);
      if (doc) return doc;
      const bytes = kept.bytes();
      if (!bytes) throw new Error('the copy of the file read cannot be read back');
      try {
        const text = once(() => bytes.toString('utf8'));
        return this.parseAfter(last, () => (decoded?.(text()), text()), bytes, kept, tried);
      } finally {
        freeBytes(bytes); // read back for this parse only: its text (or the parts of it) are strings of their own
      }
    } finally {
      last?.bytes?.drop();
      if (this.last?.bytes !== kept) kept.drop(); // not kept (a text that does not parse): its file closed now
      letPiecesGo(); // compared: not held through the plan and the packing that follow
    }
  }

  /** The last read, forgotten until this parse keeps another (only a text that parses is kept). */
  private begin(): LastRead | null {
    const last = this.last;
    this.last = null;
    this.reused = 0;
    this.known = null;
    this.parsedWhole = false;
    this.freesGiven = false;
    return last;
  }

  /** parseKept's common case: `kept` compared with `last`'s kept file, read back only where it changed; null otherwise. */
  private inFiles(last: InFiles, kept: KeptBytes): unknown {
    const now = keptText(kept);
    const had: Held = { ...last, old: filesOld(last.bytes, now) };
    try {
      const found = around(now, had);
      return found && this.keep(now, kept, had, found, true);
    } catch (e) {
      if (e === UNREAD) return null; // not ASCII where it changed, or not read back: read whole
      throw e;
    }
  }

  /**
   * The document of the text `full()` gives, decoded from `bytes` (kept in `kept` when they are kept in a file). `tried`:
   * the bytes were compared already (parseKept), and what they share with the last read is no use to the bytes' path.
   */
  private parseAfter(
    last: LastRead | null,
    full: () => string,
    bytes: Buffer | undefined,
    kept: KeptBytes | null,
    tried: boolean,
  ): unknown {
    const ascii = bytes !== undefined && isAscii(bytes);
    const had = last && heldFor(last, ascii ? bytes : undefined);
    if (!had) return this.whole(full(), kept, ascii);
    // An ASCII text whose bytes are kept, compared as bytes, is decoded only where it changed and around its beads
    // (the whole of it was 0.1-0.2 s of the plan worker's time at 100 000 beads); anything unusual, whole.
    if (kept && had.old.asBytes && !tried) {
      const part = asciiText(bytes!);
      const found = around(part, had);
      const doc = found && this.keep(part, kept, had, found, ascii);
      if (doc) return doc;
    }
    const t = wholeText(full());
    const found = around(t, had) ?? walkAll(t.text, had);
    return (found && this.keep(t, kept, had, found, ascii)) || this.whole(t.text, kept, ascii);
  }

  /** No read follows (the file is no longer among the last few read): the last read's bytes are let go now. */
  forget(): void {
    this.last?.bytes?.drop();
    this.last = null;
  }

  /** The whole text parsed, remembered for the next read when its beads are an array. */
  private whole(text: string, bytes: KeptBytes | null, ascii: boolean): unknown {
    const doc = parseJsonDocument(text);
    this.parsedWhole = true;
    // A text of `null` is a document too (lowdb's read then finds no data, as without a re-read).
    const beads = doc !== null && typeof doc === 'object' ? (doc as { beads?: unknown }).beads : undefined;
    if (Array.isArray(beads)) {
      const kept: LastRead = (this.last = { text, bytes, ascii, spans: undefined, beads, byId: null, valid: false });
      // Not on the way of this read's answer (the console's first frame): a moment later, unless released first.
      setTimeout(() => {
        if (kept.spans === undefined && kept.text !== null) kept.spans = beadSpans(kept.text);
      }, 0).unref();
    }
    return doc;
  }

  /**
   * The document of `text` whose beads `walk` found, remembered; null when the rest of the text does not parse. A text
   * read as a part (asciiText) is remembered as its bytes only, as a released one is.
   */
  private keep(text: NewText, bytes: KeptBytes | null, last: LastRead, { walk, spans }: Found, ascii: boolean): unknown {
    let doc: { beads: unknown[] };
    const rest = charsOf(text, 0, spans.open + 1) + charsOf(text, spans.close, text.length);
    try {
      doc = parseJsonText(rest) as { beads: unknown[] };
      // A key named twice, or a token Go's int64 does not take: the whole parse words the error.
      if (duplicateTopKey(rest) || inexactToken(doc, rest)) return null;
    } catch {
      return null; // the whole parse words the error
    }
    const beads = walk.beads;
    doc.beads = beads;
    this.reused = walk.reused;
    this.known = walk.reused > 0 && last.valid ? walk.known() : null;
    // Known to name no key twice when the last text was and neither the beads parsed anew nor the text around them do.
    const unique = last.unique === true && walk.unique && !firstDuplicateKey(rest);
    const held = text.text ?? null;
    const at = held === null ? { head: spans.open, tail: text.length - spans.close - 1 } : undefined;
    this.last = {
      text: held,
      bytes,
      ascii,
      spans,
      ...(at ? { at } : {}),
      beads,
      byId: null,
      valid: false,
      ...(unique ? { unique } : {}),
    };
    return doc;
  }
}

/**
 * The beads of a new text as they are found, in order: taken from the last read, or parsed. Kept as the stretches of
 * the last read's beads taken and the beads parsed, and made one list of the exact length once the walk is done
 * (`beads`): a list grown a bead at a time (100 000 at 100 000 beads, a copy each time it grew) made about three times
 * its own size of garbage at every outside change, most of it in the old generation, and so did a flag per bead.
 */
class Walk {
  /** What was found, in order: a stretch [from, to) of the last read's beads (a number pair), or a bead parsed. */
  private readonly found: (Taken | { bead: unknown })[] = [];
  /** Where each bead parsed anew is in the new list. */
  private readonly parsed: number[] = [];
  private made: unknown[] | null = null;
  /** How many beads were found. */
  count = 0;
  reused = 0;
  /** No bead parsed anew names a key twice (searched only while the last text is known to name none). */
  unique = true;
  /** The bead of the last read expected next: the one after the last bead found again. */
  j = 0;
  /** Where the text `item` is given starts in the whole new text (a part of it: NewText). */
  base = 0;

  constructor(private readonly last: Held) {}

  /** Beads `from` to `to` of the last read, as they were. */
  take(from: number, to: number): void {
    this.j = to;
    if (to <= from) return;
    const top = this.found[this.found.length - 1];
    if (top !== undefined && 'to' in top && top.to === from) top.to = to;
    else this.found.push({ from, to });
    this.count += to - from;
    this.reused += to - from;
  }

  /**
   * The beads found, as one list of their number: the last read's copied whole when it is as long (the common case, a
   * bead edited in place: one copy, then the beads parsed written where they go); else as long as both share.
   */
  get beads(): unknown[] {
    if (this.made) return this.made;
    const was = this.last.beads;
    const n = this.count;
    const out = was.slice(0, Math.min(n, was.length));
    let at = 0;
    for (const f of this.found) {
      if ('bead' in f) {
        if (at < out.length) out[at] = f.bead;
        else out.push(f.bead);
        at++;
        continue;
      }
      if (f.from === at && f.to <= out.length) {
        at = f.to; // already where the copy put it
        continue;
      }
      for (let k = f.from; k < f.to; k++, at++) {
        if (at < out.length) out[at] = was[k];
        else out.push(was[k]);
      }
    }
    return (this.made = out);
  }

  /** Per bead found, 1 when it was taken from a last read that passed validation (see StoreReread.known). */
  known(): Uint8Array {
    const known = new Uint8Array(this.count);
    if (this.last.valid) known.fill(1);
    for (const at of this.parsed) known[at] = 0;
    return known;
  }

  /** The bead whose text starts at `at`: where its text ends, or -1 when it is unusual (see ItemEnd). */
  readonly item: ItemEnd = (s, at) => {
    const { last } = this;
    const was = last.spans;
    const j = this.j;
    if (j < was.starts.length) {
      // The same text as a bead last read is that bead, and ends where its text ends: no need to read it.
      if (last.old.same(s, at, at + this.base, was.starts[j], was.ends[j])) {
        this.take(j, j + 1);
        return at + was.ends[j] - was.starts[j];
      }
    }
    // Mostly new text (laid out anew, another file): one whole parse is cheaper than a parse per bead.
    const changed = this.count - this.reused;
    if (changed >= MOSTLY_NEW && changed > this.reused) return -1;
    const end = objectEnd(s, at);
    if (end < 0) return -1;
    let bead: unknown;
    try {
      // Inside an array inside an object, as in the file: the same depth for parseJsonText's nesting limit.
      bead = (parseJsonText(`{"beads":[${s.slice(at, end)}]}`) as { beads: unknown[] }).beads[0];
    } catch {
      return -1;
    }
    this.found.push({ bead });
    this.parsed.push(this.count++);
    if (this.unique && last.unique && firstDuplicateKey(s, at, end)) this.unique = false;
    // Back in step after an edited, added or removed bead: the next bead is expected after this id's place
    // (most often the place expected: a bead edited where it was).
    const id = idOf(bead);
    if (typeof id === 'string') {
      const found = j < last.beads.length && idOf(last.beads[j]) === id ? j : byIdOf(last).get(id);
      if (found !== undefined) this.j = found + 1;
    }
    return end;
  };
}

/** A stretch of the last read's beads a walk took. */
interface Taken {
  from: number;
  to: number;
}

type Found = { walk: Walk; spans: BeadSpans };
/** A last read being compared with: its text back (as a text, or as the bytes of an ASCII text), its spans found. */
type Held = LastRead & { spans: BeadSpans; old: OldText };

/** The last text as a comparison with a new one reads it. */
interface OldText {
  readonly length: number;
  /** It is compared as bytes (keptOld). */
  readonly asBytes?: true;
  /** Whether the new text from `at` in `s` (from `abs` in the whole new text) is this text's `from` to `to`. */
  same(s: string, at: number, abs: number, from: number, to: number): boolean;
  /** How long a start the new text and this one share. */
  prefix(now: NewText): number;
  /** How long an end, at most `max`, they share. */
  suffix(now: NewText, max: number): number;
}

/** A new text as a re-read reads it: whole (`text`), or, an ASCII text read from its bytes, the parts it asks for. */
interface NewText {
  readonly length: number;
  readonly text?: string;
  /** Its characters `lo` to `hi` (a whole text gives all of them), and where `s` starts in it. */
  part(lo: number, hi: number): { s: string; from: number };
}

/** Characters `lo` to `hi` of `text`. */
function charsOf(text: NewText, lo: number, hi: number): string {
  const { s, from } = text.part(lo, hi);
  return s.slice(lo - from, hi - from);
}

function wholeText(text: string): NewText & { text: string } {
  const all = { s: text, from: 0 };
  return { length: text.length, text, part: () => all };
}

/** The ASCII text of `bytes`, decoded a part at a time (an ASCII byte is the character of that code). */
function asciiText(bytes: Buffer): NewText {
  const n = bytes.length;
  return { length: n, part: (lo, hi) => ({ s: bytes.toString('latin1', lo, Math.max(lo, Math.min(hi, n))), from: lo }) };
}

/** Thrown by keptText when a part it is asked for is not ASCII (its offsets would not be its bytes'), or not read back. */
const UNREAD = new Error('not read as ASCII');

/** A new text whose bytes are kept in a file of their own (a re-read's copy), read back a part at a time. */
interface KeptText extends NewText {
  /** The bytes. */
  readonly kept: KeptBytes;
  /** Its bytes `at` to `at + n`: of the last part read when they are in it, else read back; null when they cannot be. */
  bytesAt(at: number, n: number): Uint8Array | null;
}

/**
 * The text of the bytes in `kept`, read back a part at a time and decoded as ASCII (each part checked: one that is not
 * throws UNREAD). The last part's bytes stay for `bytesAt` (the walk compares a bead's text with the last read's).
 */
function keptText(kept: KeptBytes): KeptText {
  let held: { from: number; bytes: Buffer } | null = null;
  return {
    kept,
    length: kept.length,
    part: (lo, hi) => {
      const bytes = kept.range(lo, hi);
      if (!bytes || !isAscii(bytes)) throw UNREAD;
      held = { from: lo, bytes };
      return { s: bytes.toString('latin1'), from: lo };
    },
    bytesAt: (at, n) => {
      if (held && at >= held.from && at + n <= held.from + held.bytes.length)
        return held.bytes.subarray(at - held.from, at - held.from + n);
      const bytes = kept.range(at, at + n);
      return bytes && bytes.length === n ? bytes : null;
    },
  };
}

/** A last read whose kept file a re-read's copy is compared with (comparesInFiles). */
type InFiles = LastRead & { spans: BeadSpans; bytes: KeptBytes };

function inFilesOf(last: LastRead | null): last is InFiles {
  return last !== null && last.text === null && last.ascii && !!last.spans && last.bytes?.inFile === true;
}

/**
 * The kept bytes `old` of an ASCII text, compared with a new text whose bytes are kept too (`now`, a re-read's copy):
 * both files read back a piece at a time, from the page cache. What the two share at their ends is ASCII, as `old` is;
 * the new text's parts between are read back and checked (keptText).
 */
function filesOld(old: KeptBytes, now: KeptText): OldText {
  return {
    length: old.length,
    asBytes: true,
    same: (_s, _at, at, from, to) => {
      const bytes = now.bytesAt(at, to - from);
      return bytes !== null && old.same(bytes, 0, from, to);
    },
    prefix: () => old.sharedStart(now.kept),
    suffix: (_, max) => old.sharedEnd(now.kept, max),
  };
}

/** `text`, or what `text()` gives, made once. */
function once(text: string | (() => string)): () => string {
  if (typeof text === 'string') return () => text;
  let made: string | undefined;
  return () => (made ??= text());
}

/**
 * `last` to compare a new text with, or null when its spans are not known (the text is unusual) or its bytes cannot be
 * read back. Released and ASCII, its kept bytes, compared with `bytes` (the new text's, when ASCII too) as bytes where
 * they are kept (kept-bytes.ts); otherwise its text (back from its bytes when released, for this comparison only).
 */
function heldFor(last: LastRead, bytes: Buffer | undefined): Held | null {
  if (last.text === null && last.ascii && bytes && last.spans) return { ...last, spans: last.spans, old: keptOld(last.bytes!, bytes) };
  const text = last.text ?? last.bytes!.text();
  if (text === null) return null;
  const spans = last.spans === undefined ? beadSpans(text) : last.spans;
  return spans ? { ...last, spans, old: textOld(text) } : null;
}

function textOld(old: string): OldText {
  const textOf = (now: NewText) => now.part(0, now.length).s;
  return {
    length: old.length,
    same: (s, at, _, from, to) => s.slice(at, at + to - from) === old.slice(from, to),
    prefix: (now) => {
      const text = textOf(now);
      return sharedLength(Math.min(text.length, old.length), (lo, mid) => text.slice(lo, mid) === old.slice(lo, mid));
    },
    suffix: (now, max) => {
      const text = textOf(now);
      return sharedLength(
        max,
        (lo, mid) => text.slice(text.length - mid, text.length - lo) === old.slice(old.length - mid, old.length - lo),
      );
    },
  };
}

/**
 * The kept bytes `old` of an ASCII text, compared with the new text through its bytes `now` (ASCII too: its offsets are
 * theirs). Bytes that can no longer be read back compare as different: the new text is then parsed, never guessed.
 */
function keptOld(old: KeptBytes, now: Buffer): OldText {
  return {
    length: old.length,
    asBytes: true,
    same: (_s, _at, at, from, to) => old.same(now, at, from, to),
    prefix: () => old.sharedStart(now),
    suffix: (_, max) => old.sharedEnd(now, max),
  };
}

/** Every item of the new text's beads array walked (see Walk); null when the text is unusual. */
function walkAll(text: string, last: Held): Found | null {
  const walk = new Walk(last);
  const spans = beadSpans(text, walk.item);
  return spans && { walk, spans };
}

/**
 * The common case, a few beads changed in place: the text before and after the change is the last text's,
 * byte for byte (found by comparing halves, natively), so the beads there are taken as they were and only the
 * stretch between is walked. Null when the change reaches the array's brackets or beyond (walkAll then).
 */
function around(now: NewText, last: Held): Found | null {
  const old = last.old;
  const was = last.spans;
  const n = was.starts.length;
  const P = old.prefix(now);
  const S = old.suffix(now, Math.min(now.length, old.length) - P);
  const delta = now.length - old.length;
  const oldTail = old.length - S; // from here on the last text is the new one's end
  if (P <= was.open || was.close < oldTail) return null;
  const walk = new Walk(last);
  const a = countAtMost(was.ends, P); // the beads wholly in the common start
  walk.take(0, a);
  // The spans of the beads walked (between the two common parts), apart: the new spans are made once, at their length.
  const starts: number[] = [];
  const ends: number[] = [];
  const spansWith = (k: number, close: number): BeadSpans => {
    const m = starts.length;
    const all = { open: was.open, close, starts: new Int32Array(a + m + n - k), ends: new Int32Array(a + m + n - k) };
    all.starts.set(was.starts.subarray(0, a));
    all.ends.set(was.ends.subarray(0, a));
    all.starts.set(starts, a);
    all.ends.set(ends, a);
    for (let i = k; i < n; i++) {
      all.starts[a + m + i - k] = was.starts[i] + delta;
      all.ends[a + m + i - k] = was.ends[i] + delta;
    }
    return all;
  };
  let i = a > 0 ? was.ends[a - 1] : was.open + 1;
  // What is walked, from there to the first item of the last text in the common end: a part of a text read as one
  // (NewText). A walk that reads past it finds no character there, and gives up (the whole text is then read).
  const b = countAtMost(was.starts, oldTail);
  const { s, from } = now.part(i, (b < n ? was.starts[b] : was.close) + delta + 1);
  walk.base = from;
  let after = a > 0;
  for (;;) {
    i = skipSpace(s, i - from) + from;
    const c = s.charCodeAt(i - from);
    if (c === RBRACK) {
      // The array ends where it did (in the common end), or the text is unusual.
      return i - delta === was.close && i - delta >= oldTail ? { walk, spans: spansWith(n, i) } : null;
    }
    if (after) {
      if (c !== COMMA) return null;
      i = skipSpace(s, i + 1 - from) + from;
    }
    if (i - delta >= oldTail) {
      // Back where the last text had an item, in the common end: the rest is the last read's.
      const k = indexOf(was.starts, i - delta);
      if (k >= 0) {
        walk.take(k, n);
        return { walk, spans: spansWith(k, was.close + delta) };
      }
    }
    const end = walk.item(s, i - from);
    if (end < 0) return null;
    starts.push(i);
    ends.push(end + from);
    i = end + from;
    after = true;
  }
}

/** Where the array `spans` found in `text` is in its UTF-8 bytes: how many bytes come before its `[` and after its `]`. */
function bytesAround(text: string, spans: BeadSpans): BeadsAt {
  return { head: Buffer.byteLength(text.slice(0, spans.open), 'utf8'), tail: Buffer.byteLength(text.slice(spans.close + 1), 'utf8') };
}

/** How many of the ascending `xs` are at most `v`. */
function countAtMost(xs: Int32Array, v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where `v` is in the ascending `xs`, or -1. */
function indexOf(xs: Int32Array, v: number): number {
  const at = countAtMost(xs, v) - 1;
  return at >= 0 && xs[at] === v ? at : -1;
}

function byIdOf(last: LastRead): Map<string, number> {
  if (!last.byId) {
    const byId = new Map<string, number>();
    last.beads.forEach((b, i) => {
      const id = idOf(b);
      if (typeof id === 'string' && !byId.has(id)) byId.set(id, i);
    });
    last.byId = byId;
  }
  return last.byId;
}

/** How many files' last reads are kept: a console reads one; the plan worker serves a few (tests). */
const KEEP_FILES = 2;

/** The readers of the last few store files read, by path. */
export class StoreRereads {
  private readonly byFile = new Map<string, StoreReread>();

  for(file: string): StoreReread {
    let r = this.byFile.get(file);
    if (r) this.byFile.delete(file);
    else r = new StoreReread();
    this.byFile.set(file, r); // the most recent last
    while (this.byFile.size > KEEP_FILES) {
      const [oldest, reader] = this.byFile.entries().next().value!;
      this.byFile.delete(oldest);
      reader.forget();
    }
    return r;
  }

  /** The reader of `file`, when it has one (nothing is made or reordered). */
  peek(file: string): StoreReread | undefined {
    return this.byFile.get(file);
  }
}
