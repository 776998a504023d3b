// The numbers of a city's beads outside their metadata as the file spells them (number-spellings.ts): what the
// console's `y` shows instead of JavaScript's spelling, read from real files by the city reader.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadCity } from '../../src/store/formats/load-city.js';
import { withSpellings } from '../../src/store/formats/number-spellings.js';
import { stringifyJson } from '../../src/store/formats/json-text.js';
import { tempDir, write } from '../support/files.js';

async function cityOf(beadsText: string) {
  const dir = tempDir('gc-tui-spellings-');
  writeFileSync(join(dir, 'city.toml'), '[workspace]\nname = "n"\n\n[beads]\nprovider = "file"\n');
  write(join(dir, '.gc', 'beads.json'), beadsText);
  return (await loadCity(dir)).state;
}

const bead = (id: string, more: string) =>
  `{"id": "${id}", "title": "t", "status": "open", "issue_type": "task", "created_at": "2026-05-06T01:00:00Z"${more}}`;

describe('the city reader keeps the spelling of numbers outside metadata', () => {
  test('in unknown fields, nested objects and lists, by bead; metadata and numbers JavaScript spells the same are left out', async () => {
    const state = await cityOf(
      `{"seq": 2, "beads": [${bead('a-1', ', "priority": 2, "extra": {"n": 2.50, "m": [1.0, 7, {"e": 1E+2}], "z": -0}, "r": 5e-1, "metadata": {"w": 1.0}')},` +
        ` ${bead('a-2', ', "priority": 1, "score": 3')}], "custom": 1.0}\n`,
    );
    expect(state.storedNumbers).toEqual({
      'a-1': [
        [['extra', 'n'], '2.50'],
        [['extra', 'm', 0], '1.0'],
        [['extra', 'm', 2, 'e'], '1E+2'],
        [['extra', 'z'], '-0'],
        [['r'], '5e-1'],
      ],
    });
    // What the pane writes of the bead: the file's spellings, and valid JSON of the same values.
    const shown = stringifyJson(withSpellings(state.beads[0], state.storedNumbers!['a-1']), { indent: '', finalNewline: false });
    expect(shown).toContain('"extra":{"n":2.50,"m":[1.0,7,{"e":1E+2}],"z":-0},"r":5e-1');
    expect(JSON.parse(shown)).toEqual(state.beads[0]);
    expect(state.beads[0]).toMatchObject({ extra: { n: 2.5 }, r: 0.5 }); // the bead itself as JSON.parse made it
  });

  test('none in a file whose numbers JavaScript spells the same, look-alikes in strings and times beside them', async () => {
    const state = await cityOf(
      `{"seq": 1, "beads": [${bead('b-1', ', "updated_at": "2026-05-06T01:00:00.5Z", "description": "a, 1.5 and [2.0]", "priority": 0')}]}`,
    );
    expect(state.storedNumbers).toBeUndefined();
  });

  test('a key named twice: the spelling of the value JSON.parse keeps, the last', async () => {
    const state = await cityOf(`{"seq": 1, "beads": [${bead('c-1', ', "x": 1.0, "x": 2.50')}]}`);
    expect(state.storedNumbers).toEqual({ 'c-1': [[['x'], '2.50']] });
  });
});
