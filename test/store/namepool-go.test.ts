// A namepool file is read as Gas City reads it (`internal/config/namepool.go` LoadNamepool: a bufio.Scanner over
// the bytes, each line strings.TrimSpace'd, blank and `#` lines skipped), not as JavaScript would: a byte order
// mark is no white space to Go, so it stays in the first name; that name is then what slot 1 is called, and
// gc-tui shows the mark escaped wherever it prints the name. Real files on disk.
import { join } from 'node:path';
import { siteToml } from '../support/city-dirs.js';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { loadCity } from '../../src/store/formats/load-city.js';
import { goTrimSpace } from '../../src/store/formats/namepool.js';
import { formatCheckSummary } from '../../src/store/output/summary.js';
import { NOW } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const BOM = '\uFEFF';

/** A file city with one namepool pool, `myproject/polecat`, whose namepool file holds `bytes`; and `beads`. */
function cityWithNamepool(bytes: Uint8Array | string, beads: unknown[] = []): string {
  const dir = tempDir();
  write(
    join(dir, 'city.toml'),
    '[beads]\nprovider = "file"\n\n[[rigs]]\nname = "myproject"\npath = "rig"\n\n[[agent]]\nname = "polecat"\ndir = "myproject"\nnamepool = "namepools/polecats.txt"\n',
  );
  write(join(dir, 'namepools', 'polecats.txt'), bytes);
  write(join(dir, '.gc', 'site.toml'), siteToml({ myproject: 'rig' }));
  write(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: beads.length, beads }, null, 2));
  return dir;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('a namepool file saved with a byte order mark', () => {
  it('keeps the mark in its first name, as Gas City does', async () => {
    const { state } = await loadCity(cityWithNamepool(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('furiosa\nnux\n')])));
    expect(state.city.agents[0].namepool).toEqual([`${BOM}furiosa`, 'nux']);
  });

  it('a first line that is a # comment after the mark is no comment to Gas City: it is the first name', async () => {
    const { state } = await loadCity(cityWithNamepool(utf8(`${BOM}# Mad Max names\nfuriosa\nnux\n`)));
    expect(state.city.agents[0].namepool).toEqual([`${BOM}# Mad Max names`, 'furiosa', 'nux']);
  });

  it('slot 1 is named with the mark, as Gas City names it, and the summary shows the mark escaped', async () => {
    const session = {
      id: 'gc-1',
      title: 'myproject/furiosa',
      status: 'open',
      issue_type: 'session',
      labels: ['gc:session', 'agent:myproject/furiosa'],
      metadata: {
        template: 'myproject/polecat',
        agent_name: 'myproject/furiosa',
        alias: 'myproject/furiosa',
        pool_slot: '1',
        pool_managed: 'true',
        session_name: 'polecat-gc-1',
        state: 'active',
      },
      created_at: '2026-05-06T02:00:00Z',
    };
    const loaded = await loadCity(cityWithNamepool(utf8(`${BOM}furiosa\nnux\n`), [session]));
    const p = plan(loaded.state, NOW);
    const alias = p.repairs.find((r) => r.id === 'repair-alias:gc-1')?.changes.find((c) => c.field === 'metadata.alias');
    expect(alias?.after).toBe(`myproject/${BOM}furiosa`);
    const text = formatCheckSummary(loaded, p, NOW);
    expect(text).toContain('"myproject/furiosa" → "myproject/\\u{feff}furiosa"');
    expect(text).not.toContain(BOM);
  });
});

describe("the rest of Go's reading", () => {
  it('strings.TrimSpace, not String.trim: U+0085 and U+00A0 are trimmed, a U+FEFF anywhere is kept; CRLF lines', async () => {
    const { state } = await loadCity(cityWithNamepool(utf8(`\u0085furiosa\u00a0\r\nnux${BOM}\r\n\u3000slit\t\n`)));
    expect(state.city.agents[0].namepool).toEqual(['furiosa', `nux${BOM}`, 'slit']);
    expect(goTrimSpace(`${BOM} x \u2028`)).toBe(`${BOM} x`);
  });

  it("a line of 64 KiB or more ends the list there (bufio.Scanner's longest line; LoadNamepool ignores the error)", async () => {
    const long = 'x'.repeat(64 * 1024 - 1);
    const { state } = await loadCity(cityWithNamepool(utf8(`furiosa\n${long}\nnux\n${long}x\nslit\n`)));
    expect(state.city.agents[0].namepool).toEqual(['furiosa', long, 'nux']);
  });
});

describe('a namepool file that is not names as UTF-8 text: its lines taken as Gas City takes them, and a warning', () => {
  const session = {
    id: 'gc-1',
    title: 'myproject/polecat-1',
    status: 'open',
    issue_type: 'session',
    labels: ['gc:session'],
    metadata: {
      template: 'myproject/polecat',
      agent_name: 'myproject/polecat-1',
      alias: 'myproject/polecat-1',
      pool_slot: '1',
      pool_managed: 'true',
      session_name: 'polecat-gc-1',
      state: 'active',
    },
    created_at: '2026-05-06T02:00:00Z',
  };
  const file = (dir: string) => join(dir, 'namepools', 'polecats.txt');

  it('UTF-16, with a byte order mark or without, little or big endian: said to look like UTF-16, named as Gas City names them', async () => {
    const little = Buffer.from('rex\nfido\n', 'utf16le');
    for (const bytes of [little, Buffer.concat([Buffer.from([0xff, 0xfe]), little]), Buffer.from(little).swap16()]) {
      const dir = cityWithNamepool(bytes, [session]);
      const loaded = await loadCity(dir);
      // Its names are "r\0e\0x\0", "\0f\0i\0d\0o\0", "\0" (or the like): Gas City names slot 1 with the first.
      const names = loaded.state.city.agents[0].namepool ?? [];
      expect(loaded.state.city.agents[0].namepool_file).toBe('namepools/polecats.txt');
      expect(names.length).toBeGreaterThan(0);
      expect(names.join('')).toContain('\0');
      expect(loaded.warnings?.map((w) => w.text)).toEqual([
        expect.stringMatching(
          new RegExp(
            `: namepool file "namepools/polecats\\.txt" \\(${file(dir).replace(/[.]/g, '\\.')}\\): the file looks like UTF-16 \\(it starts with the bytes [0-9a-f ,]+.*\\), not UTF-8: save it as UTF-8; Gas City takes its lines as they are, so myproject/polecat's sessions are named with what they hold, and this plan does the same \\(escaped where shown\\)$`,
          ),
        ),
      ]);
      expect(loaded.warnings?.[0].brief).toBe(
        'namepool "namepools/polecats.txt" of myproject/polecat: looks like UTF-16, not UTF-8 — save it as UTF-8 names',
      );
      // The plan is the controller's: slot 1's alias is the garbled first name, as Gas City would write it.
      const p = plan(loaded.state, NOW);
      expect(JSON.stringify(p.repairs.find((r) => r.id === 'repair-alias:gc-1'))).toContain('\\u0000');
      expect(formatCheckSummary(loaded, p, NOW)).toContain('looks like UTF-16');
    }
  });

  it('Latin-1 (bytes that are not UTF-8): each read as U+FFFD, the line of the first one named, as loudly as UTF-16', async () => {
    // "furiosa", "café" and "niño" saved in Latin-1: e9 and f1 are no UTF-8.
    const latin1 = Buffer.from('furiosa\ncaf\u00e9\nni\u00f1o\n', 'latin1');
    const dir = cityWithNamepool(latin1, [session]);
    const loaded = await loadCity(dir);
    expect(loaded.state.city.agents[0].namepool).toEqual(['furiosa', 'caf\ufffd', 'ni\ufffdo']);
    expect(loaded.warnings?.map((w) => w.text)).toEqual([
      expect.stringContaining(
        `(${file(dir)}): line 2: byte 0xe9 is not UTF-8 (Latin-1 or another 8-bit encoding?), read as U+FFFD; a namepool is a list of names, as UTF-8 text; Gas City takes its lines as they are`,
      ),
    ]);
    expect(loaded.warnings?.[0].brief).toBe(
      'namepool "namepools/polecats.txt" of myproject/polecat: line 2 is not UTF-8 (byte 0xe9: Latin-1?) — save it as UTF-8 names',
    );
    expect(formatCheckSummary(loaded, plan(loaded.state, NOW), NOW)).toContain('line 2: byte 0xe9 is not UTF-8');
    // A U+FFFD the file holds as UTF-8 (ef bf bd) is a character like any other: no warning.
    const plain = await loadCity(cityWithNamepool(utf8('furiosa\ncaf\ufffd\n')));
    expect(plain.state.city.agents[0].namepool).toEqual(['furiosa', 'caf\ufffd']);
    expect(plain.warnings ?? []).toEqual([]);
    // A Latin-1 byte in a comment names no session: no warning, and the names are read. On a name after it: that line.
    const comment = await loadCity(cityWithNamepool(Buffer.from('# caf\u00e9\nfuriosa\n', 'latin1')));
    expect(comment.state.city.agents[0].namepool).toEqual(['furiosa']);
    expect(comment.warnings ?? []).toEqual([]);
    const later = await loadCity(cityWithNamepool(Buffer.from('# caf\u00e9\nfuriosa\nni\u00f1o\n', 'latin1')));
    expect(later.warnings?.map((w) => w.brief)).toEqual([
      'namepool "namepools/polecats.txt" of myproject/polecat: line 3 is not UTF-8 (byte 0xf1: Latin-1?) — save it as UTF-8 names',
    ]);
  });

  it('a name holding a NUL, an escape or a tab inside it: taken as it is, its line and character named', async () => {
    for (const [text, line, code, names] of [
      ['furiosa\nn\0ux\n', 2, 'U+0000', ['furiosa', 'n\0ux']],
      ['# names\n\nfuriosa\nnux\n\u001b[31mred\n', 5, 'U+001B', ['furiosa', 'nux', '\u001b[31mred']],
      ['fu\triosa\n', 1, 'U+0009', ['fu\triosa']],
    ] as const) {
      const dir = cityWithNamepool(utf8(text), [session]);
      const loaded = await loadCity(dir);
      expect(loaded.state.city.agents[0].namepool, JSON.stringify(text)).toEqual(names);
      expect(loaded.warnings?.[0].text).toContain(
        `(${file(dir)}): line ${line}: the name holds a control character (${code}); a namepool is a list of names, as UTF-8 text; Gas City takes its lines as they are`,
      );
      expect(loaded.warnings?.[0].brief).toBe(
        `namepool "namepools/polecats.txt" of myproject/polecat: line ${line} holds a control character (${code}) — save it as UTF-8 names`,
      );
    }
    // White space Go trims around a name is no part of it; a # line is no name.
    const trimmed = await loadCity(cityWithNamepool(utf8('\tfuriosa\t\r\n# \u0007 bell\nnux\u0085\n')));
    expect(trimmed.state.city.agents[0].namepool).toEqual(['furiosa', 'nux']);
    expect(trimmed.warnings ?? []).toEqual([]);
  });
});
