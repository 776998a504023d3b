// `q` with repairs marked. Marks live in this session only: a quit drops them, and an operator who marked twenty
// repairs and typed `q` for `A` (or out of habit) would lose that work without a word. So `q` and `:quit` ask first,
// as lazygit and k9s do with pending work; ^C never asks (the way out that always works), and the console's last
// word on stderr says what it dropped (console/quit-report.ts).
import type { ActionContext, Handler } from './keymap.js';
import { firstKey } from './keymap.js';

/** Quit, or with repairs marked, ask first. */
export function askQuit(ctx: ActionContext): void {
  const s = ctx.store.getState();
  const marked = s.ui.marks.size;
  if (marked === 0) return ctx.exit();
  s.patchUi({ mode: { kind: 'quit', marked }, message: null });
}

/** `n` or esc: back to where it was asked, the marks kept. */
export const stay: Handler = ({ store }) => {
  const s = store.getState();
  const n = s.ui.marks.size;
  s.patchUi({
    mode: 'normal',
    message: { text: `not quit: ${n} mark${n === 1 ? '' : 's'} kept`, tone: 'info' },
  });
};

/** The question, with its answers' keys as the registry binds them: `3 marked repairs not approved — quit anyway? y/n`. */
export function quitQuestion(marked: number): { what: string; ask: string; keys: string } {
  const keys = `${firstKey('quit', 'quit')}/${firstKey('quit', 'quit-cancel')}`;
  return { what: `${marked} marked repair${marked === 1 ? '' : 's'} not approved`, ask: 'quit anyway?', keys };
}
