// A view's rows exported as a markdown table (E): each cell renders as its text, as the report's cells do.
import { describe, expect, it } from 'vitest';
import { renderRows } from '../../src/console/review.js';
import { NOW } from '../support/builders.js';

describe('renderRows as markdown', () => {
  it('escapes HTML, markdown punctuation and a pipe in a cell, and shows controls as visible escapes', () => {
    const md = renderRows({ view: 'aliases', columns: ['ALIAS', 'HOLDER'], rows: [['<b>*x*</b> a\\|b', 'evil\u001b[2J_tail']] }, 'md', NOW);
    const row = md.split('\n')[4];
    expect(row).toBe('| &lt;b&gt;\\*x\\*&lt;/b&gt; a\\\\\\|b | evil\\\\e\\[2J_tail |');
    expect(md).not.toContain('<b>');
    expect(md).not.toContain('\u001b');
  });
});
