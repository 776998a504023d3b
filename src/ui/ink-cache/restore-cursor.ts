// What cli-cursor (Ink's cursor hide and show) imports as restore-cursor: nothing to do. The package registers, the
// first time Ink hides the cursor, an exit hook that writes `ESC[?25h` to stderr whatever stderr is: with
// `2>err.txt` the file ended in those bytes, after the quit report. The console shows the cursor itself on every
// way out (run.tsx gives the screen back, cursor shown, on quit, on a signal, on a crash and at process exit;
// suspend.ts before a stop), on the terminal it hid it on. The build (scripts/build.mjs) hands this module to
// cli-cursor in place of the package; tests and `npm run dev` run it unchanged.

/** restore-cursor's export: here a no-op (see above). */
export default function restoreCursor(): void {}
