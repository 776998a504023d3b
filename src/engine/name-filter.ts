// A filter for the name index (model.ts buildNameIndex): which strings are surely not among a set of names.
// The index is asked about a few thousand names, and looks at four names of every open session bead (70 000 at
// 100 000 beads), most of them not among those. A Map probe first computes the probed string's hash, and a string
// fresh from JSON.parse has none yet: computing them was the larger part of the index. A sample of a few of its
// characters needs no hash, and turns most of them away. The plan's first pass takes each session's samples as it
// reads the bead (model.ts nameSamples), and the index tests those: only a name that may be asked about is read again.

/**
 * 2^20 bits (128 KiB). At 100 000 beads a plan asks about some 7 000 names and tests about 216 000 samples: with
 * 2^16 bits about 21 000 names not asked about passed (each then a Map probe that hashes the string), with 2^20
 * about 1 800.
 */
const SAMPLE_BITS = 20;

/**
 * A number made of a string's length and a few of its characters: the first, the middle one and the last four,
 * where generated names (slot numbers, bead ids) differ. Equal strings sample equal, which is all the filter needs.
 */
export function sampleOf(text: string): number {
  const n = text.length;
  let h = n;
  if (n > 0) h = Math.imul(h ^ text.charCodeAt(0), 0x01000193);
  if (n > 2) h = Math.imul(h ^ text.charCodeAt(n >> 1), 0x01000193);
  for (let k = n > 4 ? n - 4 : 1; k < n; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & ((1 << SAMPLE_BITS) - 1);
}

/** The samples of a set of names, as bits: `mayHold(x)` is false for a string that is surely not among them. */
export class NameFilter {
  private readonly bits = new Int32Array(1 << (SAMPLE_BITS - 5));

  add(name: string): void {
    const s = sampleOf(name);
    this.bits[s >>> 5] |= 1 << (s & 31);
  }

  mayHold(text: string): boolean {
    return this.mayHoldSample(sampleOf(text));
  }

  /** `mayHold` of a string by its sample (`sampleOf`), taken before the names were known. */
  mayHoldSample(s: number): boolean {
    return (this.bits[s >>> 5] & (1 << (s & 31))) !== 0;
  }

  /** The places of `samples` (negative: no name) that `mayHoldSample`, in order. */
  heldPlaces(samples: Int32Array): number[] {
    return heldPlaces(this.bits, samples);
  }
}

/**
 * NameFilter.heldPlaces. Some 290 000 samples at 100 000 beads, and a loop that reads numbers only: no object of a
 * plan (a bead, the filter) whose hidden class dies with it, so its compiled code is kept from one plan to the
 * next, where a loop that also reads the beads is compiled again for each.
 */
function heldPlaces(bits: Int32Array, samples: Int32Array): number[] {
  const out: number[] = [];
  for (let k = 0; k < samples.length; k++) {
    const s = samples[k];
    if (s >= 0 && (bits[s >>> 5] & (1 << (s & 31))) !== 0) out.push(k);
  }
  return out;
}
