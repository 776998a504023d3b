// Issue 12, items 5-7: csv cells a spreadsheet would run are neutralised; every text gc-tui makes escapes
// C1, DEL and bidi controls; the md report escapes HTML; nesting beyond the limit is a located error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { MAX_JSON_DEPTH, parseJsonFile, parseJsonText, stringifyJson } from '../../src/store/formats/json-text.js';
import { loadStore, writeStoreDocument } from '../../src/store/formats/load-store.js';
import { csvCell, csvField, exportJsonDocument, renderCsv, renderMarkdown } from '../../src/store/output/export.js';
import { escapeHtml } from '../../src/store/output/markdown-text.js';
import { applyRepairsLocked } from '../../src/store/write.js';
import { driftingBead, NOW, put, repairsOf, storeText, storeWithDrift, tmp } from './hardening-fixtures.js';

describe('csv formula cells (OWASP)', () => {
  it('cells starting with = + - @ tab or CR are prefixed with a quote and quoted; plain numbers stay', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvField('-2+3')).toBe(`"'-2+3"`);
    expect(csvField("=cmd|' /C calc'!A0")).toBe(`"'=cmd|' /C calc'!A0"`);
    expect(csvField('+1')).toBe('+1');
    expect(csvField('-2')).toBe('-2');
    expect(csvField('-1.5')).toBe('-1.5');
    expect(csvField('\tx')).toBe(`"'\tx"`);
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('a,b')).toBe('"a,b"');
    // csvCell sanitizes first: a leading tab becomes the visible `\t`, which no spreadsheet runs.
    expect(csvCell('\t=1')).toBe('\\t=1');
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
  });

  it('renderCsv neutralises data cells', async () => {
    const { file } = storeWithDrift();
    put(file, storeText([driftingBead('=HYPERLINK("http://evil")', { session_name: '@SUM(A1)', state: '-2+3' })]));
    const loaded = await loadStore(file);
    const csv = renderCsv(loaded, plan(loaded.state, NOW));
    const row = csv.split('\n')[1];
    expect(row.startsWith(`"'=HYPERLINK(""http://evil"")"`)).toBe(true);
    expect(row).toContain(`"'@SUM(A1)"`);
    expect(row).toContain(`"'-2+3"`);
  });
});

describe("the md report's verdict", () => {
  it('counts its repairs and action findings in words that agree with the number: "1 repair", "2 repairs"', async () => {
    const loaded = await loadStore(join(process.cwd(), 'fixtures', 'demo-city.json'));
    const p = plan(loaded.state, NOW);
    const actions = p.findings.filter((f) => f.severity === 'action');
    expect(p.repairs.length).toBeGreaterThan(1);
    expect(actions.length).toBeGreaterThan(1);
    const verdict = (repairs: number, findings: number) =>
      renderMarkdown(loaded, { ...p, repairs: p.repairs.slice(0, repairs), findings: actions.slice(0, findings) }, NOW)
        .split('\n')
        .find((l) => l.startsWith('- Verdict: '));
    // It said "1 repairs, 1 action findings".
    expect(verdict(1, 1)).toBe('- Verdict: drift: 1 repair, 1 action finding');
    expect(verdict(2, 0)).toBe('- Verdict: drift: 2 repairs, 0 action findings');
    expect(verdict(0, 2)).toBe('- Verdict: drift: 0 repairs, 2 action findings');
  });
});

describe('controls and HTML in files', () => {
  const nasty = 'x\u009b2Jy\u007fz\u202eevil\u2066<script>alert(1)</script>&';

  it('the md report escapes HTML outside code spans and makes controls visible', async () => {
    const { file } = storeWithDrift();
    put(file, storeText([driftingBead('mc-1', { state: nasty, session_name: '<img src=x onerror=alert(1)>' })]));
    const loaded = await loadStore(file);
    loaded.state.city.workspace = { name: '<b>city</b> & co' };
    const md = renderMarkdown(loaded, plan(loaded.state, NOW), NOW);
    expect(md).toContain('# gc-tui report: &lt;b&gt;city&lt;/b&gt; &amp; co');
    expect(md).not.toMatch(/<script|<img|<b>/);
    expect(md).not.toMatch(/[\u007f-\u009f\u202e\u2066]/);
    expect(escapeHtml('<a href="x">&</a>')).toBe('&lt;a href="x"&gt;&amp;&lt;/a&gt;');
  });

  it("the md report's diff tables spell controls as the rest of it and the console do (\\e, \\x07), not as JSON (\\u001b)", async () => {
    const { file } = storeWithDrift();
    put(file, storeText([driftingBead('mc-1', { alias: 'evil\u001b[2J\u001b]0;pwned\u0007 "q" \\' })]));
    const loaded = await loadStore(file);
    const md = renderMarkdown(loaded, plan(loaded.state, NOW), NOW);
    // The visible escapes' backslashes are escaped for markdown, so a renderer shows `\e[2J`, as the console does.
    expect(md).toContain(String.raw`| metadata.alias | "evil\\e\[2J\\e\]0;pwned\\x07 \\"q\\" \\\\" | "frontend/worker-3" |`);
    expect(md).toContain('`evil\\e[2J\\e]0;pwned\\x07 "q" \\`');
    expect(md).not.toMatch(/\\u00(1b|07)/);
  });

  it("the md report's cells render as their values in a GFM table: backslashes and markdown punctuation escaped", async () => {
    // Checked with cmark-gfm (GitHub's renderer) and markdown-it: the cell renders as the quoted value. Unescaped, the
    // value's `\|` lost its backslash to the table's pipe escape, a closing `x\"` read as an escaped quote, and
    // `*em*`, `[l](u)`, `~~s~~` and `` `c` `` became emphasis, a link, strikethrough and code.
    const { file } = storeWithDrift();
    put(file, storeText([driftingBead('mc-1', { alias: 'a\\|b *em* _u_ [l](u) ~~s~~ `c` pool_slot x\\' })]));
    const loaded = await loadStore(file);
    const md = renderMarkdown(loaded, plan(loaded.state, NOW), NOW);
    expect(md).toContain(
      '| metadata.alias | "a\\\\\\\\\\|b \\*em\\* \\_u\\_ \\[l\\](u) \\~\\~s\\~\\~ \\`c\\` pool_slot x\\\\\\\\" | "frontend/worker-3" |',
    );
  });

  it('a value holding backticks is shown as it is, in a code span with a longer fence (CommonMark)', async () => {
    const { file } = storeWithDrift();
    put(file, storeText([driftingBead('mc-`tick`'), driftingBead('mc-``2')]));
    const loaded = await loadStore(file);
    const md = renderMarkdown(loaded, plan(loaded.state, NOW), NOW);
    expect(md).toContain('Bead `` mc-`tick` ``');
    expect(md).toContain('Bead ```mc-``2```');
    expect(md).not.toContain('ˋ');
  });

  it('export --format json --out (writeStoreDocument) and every value a write makes escape C1, DEL and bidi, value-equal', async () => {
    const { source, file } = storeWithDrift();
    // The note raw, the alias (which the repair moves into alias_history, a value made anew) with a raw override.
    put(file, storeText([driftingBead('mc-poison', { note: nasty, alias: 'backend/worker-4\u202e' })]));
    const loaded = await loadStore(file);
    const out = join(tmp(), 'snapshot.json');
    await writeStoreDocument(out, exportJsonDocument(loaded, plan(loaded.state, NOW), NOW));
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/[\u007f-\u009f\u202e\u2066]/);
    expect(text).toContain('\\u009b2Jy\\u007fz\\u202eevil\\u2066');
    expect(JSON.parse(text).beads[0].metadata.note).toBe(nasty);
    expect(stringifyJson({ a: '\u0085' })).toBe('{\n  "a": "\\u0085"\n}\n');

    await applyRepairsLocked(source, await repairsOf(source), { now: NOW, by: 'op\u202e' });
    expect(readFileSync(`${file}.audit.jsonl`, 'utf8')).not.toMatch(/[\u007f-\u009f\u202e\u2066]/);
    // The apply copies what it does not change as it was, the raw note too (another writer's bytes, kept as found);
    // what it writes anew is escaped: the old alias, now alias_history.
    const after = readFileSync(file, 'utf8');
    expect(after).toContain(`"note": "${nasty}"`);
    expect(after).toContain('"alias_history": "backend/worker-4\\u202e"');
    expect(after).not.toContain('backend/worker-4\u202e');
  });
});

describe('nesting beyond the limit', () => {
  const deep = (n: number) => `{"a": ${'['.repeat(n)}${']'.repeat(n)}}`;

  it('is a located error, on the native path and on the exact-digits path, not a stack overflow', () => {
    expect(() => parseJsonFile(deep(5000), 'f.json')).toThrow(
      `f.json: line 1, column ${6 + MAX_JSON_DEPTH}: nesting deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`,
    );
    const big = `{"n": 12345678901234567890,\n "a": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(() => parseJsonFile(big, 'f.json')).toThrow(
      `f.json: line 2, column ${6 + MAX_JSON_DEPTH}: nesting deeper than ${MAX_JSON_DEPTH} levels`,
    );
    // Unbalanced (JSON.parse fails): our reader still stops at the limit, with the place.
    expect(() => parseJsonFile(`[${'['.repeat(5000)}`, 'f.json')).toThrow(`f.json: line 1, column ${MAX_JSON_DEPTH + 1}: nesting deeper`);
  });

  it('up to the limit reads; brackets inside strings do not count', () => {
    expect(parseJsonText(deep(MAX_JSON_DEPTH - 1))).toBeTruthy();
    expect(parseJsonText(`{"s": "${'['.repeat(5000)}\\"${'{'.repeat(5000)}"}`)).toEqual({ s: `${'['.repeat(5000)}"${'{'.repeat(5000)}` });
  });

  it('a store with deep unknown keys fails check and apply alike, naming the file and the place', async () => {
    const { source, file } = storeWithDrift();
    const repairs = await repairsOf(source);
    put(file, storeText().replace('"decisions": []', `"decisions": [], "deep": ${'['.repeat(5000)}${']'.repeat(5000)}`));
    const where = new RegExp(`^${file}: line \\d+, column \\d+: nesting deeper than ${MAX_JSON_DEPTH} levels`);
    await expect(loadStore(file)).rejects.toThrow(where);
    await expect(applyRepairsLocked(source, repairs, { now: NOW, by: 'op' })).rejects.toThrow(where);
  });
});
