// A clock for ages on screen ("read 20 s ago"); only the component that shows an age ticks.
import { useEffect, useState } from 'react';

/**
 * `text(now)` for this render, and a tick every `intervalMs` that renders the component again only when the
 * text has changed since the last tick (React drops a state update to an equal string): an idle console does
 * not redraw its frame every second for an age that still reads the same. The text is computed while
 * rendering, so a change of what it reads (a new load, an error) shows in the same frame.
 */
export function useClockText(text: (now: number) => string, intervalMs = 1000): string {
  const [, setTicked] = useState('');
  useEffect(() => {
    const t = setInterval(() => setTicked(text(Date.now())), intervalMs);
    t.unref?.();
    return () => clearInterval(t);
  }, [text, intervalMs]);
  return text(Date.now());
}
