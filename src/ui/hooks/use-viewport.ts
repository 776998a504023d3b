// Follow the terminal's size: the store's viewport drives the layout (and page size for keys).
// Test stdouts have no `rows`; then the viewport the store was created with stays.
import { useStdout } from 'ink';
import { useEffect } from 'react';
import { useAppStoreApi } from './use-app-store.js';

export function useViewport(): void {
  const { stdout } = useStdout();
  const store = useAppStoreApi();
  useEffect(() => {
    const update = () => {
      const rows = stdout.rows;
      const columns = stdout.columns;
      if (typeof rows === 'number' && rows > 0 && typeof columns === 'number' && columns > 0) {
        store.getState().setViewport(rows, columns);
      }
    };
    update();
    stdout.on('resize', update);
    return () => {
      stdout.off('resize', update);
    };
  }, [stdout, store]);
}
