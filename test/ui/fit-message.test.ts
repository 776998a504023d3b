// A status message cut to fit keeps its first words and what it says of its subject (the repair it names), dropping
// the subject's name: the caller names the subject (Message.subject). It was taken to be the message's longest word,
// which cut the wrong words of a message whose name is short or spelled with a blank.
import { describe, expect, test } from 'vitest';
import { fitMessage } from '../../src/ui/components/fit-message.js';

const changed = (id: string) => `the diff of ${id} changed since you opened it: a or r acknowledges the new one; not marked`;
const notOnScreen = (id: string) =>
  `the change of ${id} is not all on screen: enter opens the full card, or make the terminal taller; nothing approved`;

describe('fitMessage drops the subject it is told of, not the longest word', () => {
  test('a name shorter than a word that says what happened to it: "changed" stays', () => {
    // It was "the diff of gc-1…since you / opened it…; not marked": the longest word, "changed", taken for the name and dropped.
    expect(fitMessage(changed('gc-1'), 28, 2, 'gc-1')).toEqual(['the diff of…changed since', 'you opened it…; not marked']);
    expect(fitMessage(changed('gc-1'), 24, 2, 'gc-1')).toEqual(['the…changed since you', 'opened it…; not marked']);
  });

  test('a name of two words is dropped whole, never a fragment of it shown', () => {
    const id = 'restamp-slot:gc 1';
    // It was "the change of…1 is not all / on screen…; nothing approved": the longest word taken for all of the name.
    expect(fitMessage(notOnScreen(id), 28, 2, id)).toEqual(['the change of…is not all on', 'screen…; nothing approved']);
    expect(fitMessage(notOnScreen(id), 32, 2, id)).toEqual(['the change of…is not all on', 'screen…; nothing approved']);
    // First in its statement, its last words alone: not "…1 changed while you".
    expect(fitMessage(`${id} changed while you chose: nothing written; see the card`, 26, 2, id)).toEqual([
      '…changed while you chose…;',
      'see the card',
    ]);
  });

  test('the name is kept where it fits whole, and a message that fits is whole', () => {
    const id = 'restamp-slot:gc-1';
    expect(fitMessage(notOnScreen(id), 40, 2, id)).toEqual([
      'the change of restamp-slot:gc-1 is not',
      'all on screen: enter…; nothing approved',
    ]);
    expect(fitMessage(changed('gc-1'), 120, 1, 'gc-1')).toEqual([changed('gc-1')]);
  });

  test('with no subject named, a statement cut within keeps its last words (no word of it is guessed to be a name)', () => {
    expect(fitMessage(changed('gc-1'), 28, 2)).toEqual(['…diff of gc-1 changed since', 'you opened it…; not marked']);
  });
});
