// Colours come from the 16-colour ANSI palette only (they follow the user's terminal scheme), and
// NO_COLOR (https://no-color.org) turns them all off. Meaning never rests on colour alone: the
// selected row is inverse, changed rows carry a `*` gutter mark, flags are words.

export type Tone = 'ok' | 'warn' | 'error' | 'dim' | 'accent' | 'changed';

/** Ink `<Text color>` value per tone; undefined means the terminal's default colour. */
export interface Theme {
  color: boolean;
  tone(t: Tone): string | undefined;
}

const PALETTE: Record<Tone, string> = {
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  dim: 'gray',
  accent: 'cyan',
  changed: 'magenta',
};

export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  // The spec: NO_COLOR present and not empty disables colour, whatever its value.
  return !(typeof env.NO_COLOR === 'string' && env.NO_COLOR !== '');
}

export function makeTheme(color: boolean): Theme {
  return { color, tone: (t) => (color ? PALETTE[t] : undefined) };
}
