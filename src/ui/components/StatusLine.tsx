// The status area above the footer: the dialog or prompt being answered (`/filter`, `:command`, a review
// dialog; see status-lines.ts, which wraps one that does not fit over more lines), a message, or quiet
// context; on the right of its last line, the work in progress ("applying rollback-stale-create:x…",
// "reading…"), so a slow read or write of a big store never looks like a hung console.
import { Box, Text } from 'ink';
import { memo } from 'react';
import stringWidth from 'string-width';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../hooks/use-app-store.js';
import { bannerShown, layout, type Layout } from '../layout.js';
import { clean, truncateEnd, wrapText } from '../text.js';
import { menuOf } from '../text-edit.js';
import type { Theme } from '../theme.js';
import type { AppState } from '../../console/state.js';
import { dialogOf, type Message, type Mode, type UiState } from '../../console/ui-state.js';
import { confirmShown, promptLines, type Line } from './status-lines.js';
import { fitMessage } from './fit-message.js';
import { radiusChange, radiusRoom } from '../review/confirm-radius.js';

/** What is running, as the status line shows it (null when nothing is). */
export function workText(busy: string | null, activity: string | null): string | null {
  const parts = [busy ? `${busy}…` : null, activity].filter((x): x is string => x !== null && x !== '');
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** At most this many lines for a dialog or prompt that does not fit on one. */
export const MAX_STATUS_LINES = 4;

/**
 * A message too long for the line wraps over at most this many (the list gives them up while it shows): a refusal
 * ends with what it did not do ("…; nothing approved"), and an outcome with the file it went to, which a cut line
 * would hide.
 */
export const MAX_MESSAGE_LINES = 2;

/**
 * Columns a message always leaves at the end of its line, for the work indicator (` …` at least): a slow read or
 * write beside a long message still shows, and the message never changes its lines as work starts and stops.
 */
const WORK_MIN = 2;

/**
 * A message in at most `lines` lines (and MAX_MESSAGE_LINES): whole when it fits, else cut in its middle, its last
 * clause kept (fit-message.ts).
 */
function messageLines({ text, subject }: Message, width: number, lines = MAX_MESSAGE_LINES): string[] {
  const t = clean(text);
  const most = Math.max(1, Math.min(lines, MAX_MESSAGE_LINES));
  const room = wrapText(t, Math.max(1, width - WORK_MIN), Infinity);
  if (room.length <= most) return room;
  // A message that is whole only at the full width takes it: what it says comes before the indicator.
  const full = wrapText(t, width, Infinity);
  return full.length <= most
    ? full
    : fitMessage(t, Math.max(1, width - WORK_MIN), most, subject === undefined ? undefined : clean(subject));
}

/**
 * The lines a message takes above the dialog or prompt open in `mode` (given `lines` for both; `prompt(n)`: that prompt
 * in n lines): the prompt keeps the status line, and a message said meanwhile (ctrl-z where it cannot suspend, a count
 * prompt's marks that left the plan and who changed the store) must still be read, as it is outside a prompt. One line,
 * or two for a message longer than one where the prompt needs no more than the lines left: what happened is at the
 * start of such a message and who changed the store at its end, and one line cut either.
 */
export function messageAbove(
  mode: Mode,
  message: Message | null,
  lines: number,
  width: number,
  prompt: (lines: number) => Line[] | null,
): 0 | 1 | 2 {
  const open = dialogOf(mode) !== null || mode === 'filter' || mode === 'command';
  if (!open || message === null || lines <= 1) return 0;
  if (lines < 3 || wrapText(clean(message.text), Math.max(1, width), Infinity).length < 2) return 1;
  // The prompt's wording given all but one line, if it fits in all but two, is what it shows in those.
  const own = prompt(lines - 1);
  return own !== null && own.length <= lines - 2 ? 2 : 1;
}

/**
 * A message in the `over` lines above an open prompt (messageAbove; no work indicator beside them). On two lines, one
 * too long for them keeps its start (what happened) on the first and its last clause (who changed the store) on the
 * second, each cut at its end: the clauses between repeat what the prompt under them says.
 */
function noteLines({ text }: Message, width: number, over: number): string[] {
  const t = clean(text);
  const w = Math.max(1, width);
  if (over <= 1) return [truncateEnd(t, w)];
  const whole = wrapText(t, w, Infinity);
  if (whole.length <= over) return whole;
  const last = t.lastIndexOf('; ');
  if (last < 0) return [truncateEnd(t, w), truncateEnd(`…${t.slice(t.length - w + 1)}`, w)];
  return [truncateEnd(t.slice(0, last + 1), w), truncateEnd(`…${t.slice(last + 1)}`, w)];
}

/** The prompt open in `ui` in a given number of lines, as the status area draws it (promptLines). */
export function promptIn(ui: UiState, width: number, radius: string | null): (lines: number) => Line[] | null {
  return (lines) =>
    promptLines(ui.mode, ui.filters[ui.view], ui.command, width, lines, menuOf(ui), ui.caret, confirmShown(ui), radius, radiusRoom(ui));
}

/**
 * The frame's layout for `ui` (App draws it; a key handler sizes a pane before it opens with it, review/bulk-room.ts).
 * The status area asks for the lines its dialog, prompt or message needs (1 unless one wraps), taken from the list down
 * to `keep` rows of it (statusKeepOf). Given fewer than it asked for, a dialog may take fewer still where a shorter
 * wording fits (the count prompt of `A` at 40×9 asked for 3, was given 2 and took 1): those go back to the list, so
 * the frame never ends a line short with the footer off the bottom.
 */
export function frameLayout(s: AppState, ui: UiState = s.ui): Layout {
  const { rows, columns } = ui.viewport;
  const width = Math.max(1, columns);
  const radius = radiusChange(s, ui.mode)?.what ?? null;
  const banner = bannerShown(s);
  const keep = statusKeepOf(ui);
  const asked = layout(rows, columns, banner, statusLinesOf(ui, width, MAX_STATUS_LINES, radius), keep);
  const used = statusLinesOf(ui, width, asked.status, radius);
  return used < asked.status && !asked.tooSmall ? layout(rows, columns, banner, used, keep) : asked;
}

/** frameLayout of the store's state, for a component (a fresh object each time: compared field by field). */
export function useFrameLayout(): Layout {
  return useApp(useShallow((s: AppState) => frameLayout(s)));
}

/** The lines the status area takes for `ui` in at most `maxLines` (frameLayout). */
export function statusLinesOf(ui: UiState, width: number, maxLines: number, radius: string | null = null): number {
  const promptOf = promptIn(ui, width, radius);
  const over = messageAbove(ui.mode, ui.message, maxLines, width, promptOf);
  const prompt = promptOf(maxLines - over);
  if (prompt) return prompt.length + over;
  return ui.message ? Math.min(maxLines, messageLines(ui.message, width).length) : 1;
}

/**
 * The fewest list rows the status area leaves when it takes lines from the list (layout's `keep`): a dialog and a
 * message leave 1, as what they say comes first (a 40×10 terminal cut a message's second line to keep 3 rows); a
 * prompt typed over the list leaves 3.
 */
export function statusKeepOf(ui: UiState): number {
  return ui.mode === 'filter' || ui.mode === 'command' ? 3 : 1;
}

function LineText({ line, theme }: { line: Line; theme: Theme }) {
  return (
    <Text wrap="truncate-end">
      {line.map((s, i) => (
        <Text key={i} bold={s.bold} inverse={s.inverse} color={s.tone ? theme.tone(s.tone) : undefined}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

// Memo: the view over it renders again at every key (j, PgDn), which mostly changes nothing here.
export const StatusLine = memo(function StatusLine({
  theme,
  width,
  context,
  height = 1,
  contextTone = 'dim',
}: {
  theme: Theme;
  width: number;
  context: string | null;
  /** Lines the layout gave the status area (frameLayout). */
  height?: number;
  /** The context's tone: quiet, or a warning that stays while it holds (the slots of a pool that is gone). */
  contextTone?: 'dim' | 'warn';
}) {
  const mode = useApp((s) => s.ui.mode);
  const filter = useApp((s) => s.ui.filters[s.ui.view]);
  const command = useApp((s) => s.ui.command);
  const message = useApp((s) => s.ui.message);
  const busy = useApp((s) => s.ui.busy);
  const activity = useApp((s) => s.ui.activity);
  const work = workText(busy, activity);
  const menu = useApp((s) => menuOf(s.ui));
  const caret = useApp((s) => s.ui.caret);
  const diffShown = useApp((s) => confirmShown(s.ui));
  const radius = useApp((s) => radiusChange(s)?.what ?? null);
  const aboveRoom = useApp((s) => radiusRoom(s.ui));
  const promptOf = (lines: number) => promptLines(mode, filter, command, width, lines, menu, caret, diffShown, radius, aboveRoom);
  const over = messageAbove(mode, message, height, width, promptOf);
  const prompt = promptOf(height - over);
  // A message over the lines the layout gave it (frameLayout): all but its last above, as a prompt's are.
  const wrapped = !prompt && message && height > 1 ? messageLines(message, width, height) : null;
  // A message on one line: cut in its middle too, never at its end.
  const one = !prompt && message && !wrapped ? messageLines(message, width, 1)[0] : null;
  const tone = message?.tone === 'error' ? 'error' : 'accent';
  // Above an open prompt, a message takes the lines messageAbove gives it (the prompt keeps the rest, and says what its
  // keys do now): one cut by the cells it takes, or two cut as a message is, in its middle.
  const note: Line[] = prompt && over && message ? noteLines(message, width, over).map((text) => [{ text, tone }]) : [];
  const above: Line[] = prompt ? [...note, ...prompt.slice(0, -1)] : wrapped ? wrapped.slice(0, -1).map((text) => [{ text, tone }]) : [];
  const last = prompt ? prompt[prompt.length - 1] : null;
  // The work indicator takes only the room the line leaves: beside a dialog or prompt, the focused button and the
  // typed text come first; beside a message, the message (its end says what was or was not done) comes first.
  // Beside the quiet context, it keeps its room (all but 30 columns, at least half the line).
  const label = work ? ` ${clean(work)}` : '';
  const used = last
    ? last.reduce((n, s) => n + stringWidth(s.text), 0)
    : wrapped
      ? stringWidth(wrapped[wrapped.length - 1])
      : one !== null
        ? stringWidth(one)
        : null;
  const workWidth =
    used !== null ? Math.max(0, Math.min(label.length, width - used)) : Math.min(label.length, Math.max(width - 30, Math.floor(width / 2)));
  const shownWork = work !== null && workWidth >= (last ? 4 : WORK_MIN);
  // A message or the context is cut here by the cells it takes (as Detail's lines: Ink's cut can lose its `…`).
  const room = Math.max(0, width - (shownWork ? workWidth : 0));
  let body;
  if (last) body = <LineText line={last} theme={theme} />;
  else if (wrapped) body = <Text color={theme.tone(tone)}>{wrapped[wrapped.length - 1]}</Text>;
  else if (one !== null) body = <Text color={theme.tone(tone)}>{truncateEnd(one, room)}</Text>;
  else body = <Text color={theme.tone(contextTone)}>{truncateEnd(context ?? '', room)}</Text>;
  return (
    <Box flexDirection="column" height={Math.max(1, above.length + 1)} width={width} flexShrink={0} overflow="hidden">
      {above.map((l, i) => (
        <Box key={i} height={1} width={width} overflow="hidden">
          <LineText line={l} theme={theme} />
        </Box>
      ))}
      <Box height={1} width={width} flexShrink={0} overflow="hidden" flexDirection="row">
        <Box flexGrow={1} flexShrink={1} height={1} overflow="hidden">
          <Text wrap="truncate-end">{body}</Text>
        </Box>
        {shownWork ? (
          <Box width={workWidth} flexShrink={0} height={1} overflow="hidden">
            <Text wrap="truncate-end" bold color={theme.tone('accent')}>
              {label}
            </Text>
          </Box>
        ) : null}
      </Box>
    </Box>
  );
});
