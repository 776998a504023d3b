// Re-reading a store file the console already read: Gas City's controller rewrites the whole file when one
// bead changes, and at 100 000 beads parsing it again, then telling the console which beads changed
// (chunked-clone.ts compares every bead), cost more than a second a refresh. So the reader keeps the last
// text it parsed and what each bead's text became, and on the next read parses only the beads whose text
// differs: an unchanged bead is the very object of the last read. The result is what parseJsonText would
// give for the whole text (the test compares them); anything unusual is parsed whole.
import { beadSpans, objectEnd, type BeadSpans, type ItemEnd } from './bead-spans.js';
import { parseJsonText } from './json-text.js';

interface LastRead {
  text: string;
  /** Where each of `beads` is in `text`; found when the next read needs it (a first read has no use for it). */
  spans: BeadSpans | null;
  beads: unknown[];
  /** Where each bead id first is in `beads`, made when a changed bead needs it. */
  byId: Map<string, number> | null;
  /** Whether `beads` passed the store's validation (markValid): a bead taken from them needs no shape check. */
  valid: boolean;
}

/** After this many changed beads, a text with fewer beads kept than changed is parsed whole. */
const MOSTLY_NEW = 1000;

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

  /** `doc`, the document of the last parse, passed the store's validation. */
  markValid(doc: { beads?: unknown }): void {
    if (this.last && this.last.beads === doc.beads) this.last.valid = true;
  }

  parse(text: string): unknown {
    const last = this.last;
    this.last = null; // kept again only when this text parses
    this.reused = 0;
    this.known = null;
    if (last) last.spans ??= beadSpans(last.text);
    const doc = (last?.spans && this.reparse(text, last as LastRead & { spans: BeadSpans })) || this.whole(text);
    return doc;
  }

  /** The whole text parsed, remembered for the next read when its beads are an array. */
  private whole(text: string): unknown {
    const doc = parseJsonText(text);
    const beads = (doc as { beads?: unknown }).beads;
    if (Array.isArray(beads)) this.last = { text, spans: null, beads, byId: null, valid: false };
    return doc;
  }

  /**
   * The text's document with the beads whose text is as last read taken from it, or null when the text is
   * unusual (then the whole text is parsed: its errors name the place in the file).
   */
  private reparse(text: string, last: LastRead & { spans: BeadSpans }): { beads: unknown[] } | null {
    const was = last.spans;
    const beads: unknown[] = [];
    const known: number[] = [];
    let reused = 0;
    let j = 0; // the bead of the last read expected next: the one after the last bead found again
    const itemEnd: ItemEnd = (s, at) => {
      if (j < was.starts.length) {
        // The same text as a bead last read is that bead, and ends where its text ends: no need to read it.
        const len = was.ends[j] - was.starts[j];
        if (s.slice(at, at + len) === last.text.slice(was.starts[j], was.ends[j])) {
          beads.push(last.beads[j++]);
          known.push(last.valid ? 1 : 0);
          reused++;
          return at + len;
        }
      }
      // Mostly new text (laid out anew, another file): one whole parse is cheaper than a parse per bead.
      if (beads.length - reused >= MOSTLY_NEW && beads.length - reused > reused) return -1;
      const end = objectEnd(s, at);
      if (end < 0) return -1;
      let bead: unknown;
      try {
        // Inside an array inside an object, as in the file: the same depth for parseJsonText's nesting limit.
        bead = (parseJsonText(`{"beads":[${s.slice(at, end)}]}`) as { beads: unknown[] }).beads[0];
      } catch {
        return -1;
      }
      beads.push(bead);
      known.push(0);
      // Back in step after an edited, added or removed bead: the next bead is expected after this id's place
      // (most often the place expected: a bead edited where it was).
      const id = idOf(bead);
      if (typeof id === 'string') {
        const found = j < last.beads.length && idOf(last.beads[j]) === id ? j : byIdOf(last).get(id);
        if (found !== undefined) j = found + 1;
      }
      return end;
    };
    const spans = beadSpans(text, itemEnd);
    if (!spans) return null;
    let doc: { beads: unknown[] };
    try {
      doc = parseJsonText(text.slice(0, spans.open + 1) + text.slice(spans.close)) as { beads: unknown[] };
    } catch {
      return null;
    }
    doc.beads = beads;
    this.reused = reused;
    this.known = reused > 0 && last.valid ? Uint8Array.from(known) : null;
    this.last = { text, spans, beads, byId: null, valid: false };
    return doc;
  }
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
    while (this.byFile.size > KEEP_FILES) this.byFile.delete(this.byFile.keys().next().value!);
    return r;
  }
}
