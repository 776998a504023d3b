// The console's single input hook: every key goes through the keymap registry (see actions.ts).
// One hook, not one per view, so a key handled by a prompt never also reaches a list.
import { useApp as useInkApp, useInput, useStdin } from 'ink';
import { dispatchKey } from '../actions.js';
import { keyNames } from '../keymap.js';
import { useAppStoreApi, useServices } from './use-app-store.js';

export function useKeys(): void {
  const store = useAppStoreApi();
  const services = useServices();
  const { exit } = useInkApp();
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      for (const name of keyNames(input, key)) dispatchKey(name, { store, services, exit: () => exit() });
    },
    // isRawModeSupported is really stdin.isTTY: undefined (not false) for a pipe.
    { isActive: isRawModeSupported === true },
  );
}
