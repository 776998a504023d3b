// JSON.parse makes a string of every value it reads, and strings over ten characters are never shared: in a
// store of 100 000 beads, "backend/builder" is 80 000 strings and a creation time a few thousand copies of
// each. The beads of a read are given one string per value of the fields that repeat most (a template, a
// route, a time; an alias that is the agent name takes that string): the same values, a quarter less memory
// for the parsed beads of a generated store. Done batch by batch as the beads are read, the copies die young
// and cost the collector less than keeping them.

/**
 * How many distinct values are kept: a store whose times are all different stops adding them (each new value
 * is then one failed lookup), while its templates and routes, read first, stay shared.
 */
const MAX_VALUES = 4096;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields shared, as indexes into SharedStrings' last values. */
const CREATED = 0;
const UPDATED = 1;
const TEMPLATE = 2;
const ROUTE = 3;

export class SharedStrings {
  private readonly values = new Map<string, string>();
  /**
   * The string each field was last given: beads made together often follow one another in a file with the same
   * values, and comparing with the last one costs less than a lookup (which hashes the whole string).
   */
  private readonly last: string[] = ['', '', '', ''];

  private one(v: string, field: number): string {
    const last = this.last[field];
    if (v === last) return last;
    let had = this.values.get(v);
    if (had === undefined) {
      had = v;
      if (this.values.size < MAX_VALUES) this.values.set(v, v);
    }
    this.last[field] = had;
    return had;
  }

  /** The same beads, their repeated values one string each (a string value is only ever replaced by an equal one). */
  share(beads: readonly unknown[]): void {
    for (let i = 0; i < beads.length; i++) {
      const b = beads[i];
      if (!isObject(b)) continue;
      if (typeof b.created_at === 'string') b.created_at = this.one(b.created_at, CREATED);
      if (typeof b.updated_at === 'string') b.updated_at = this.one(b.updated_at, UPDATED);
      const md = b.metadata;
      if (!isObject(md)) continue;
      if (typeof md.template === 'string') md.template = this.one(md.template, TEMPLATE);
      const route = md['gc.routed_to'];
      if (typeof route === 'string') md['gc.routed_to'] = this.one(route, ROUTE);
      if (typeof md.alias === 'string' && md.alias === md.agent_name) md.alias = md.agent_name;
    }
  }
}
