// Memory outside the heap let go at once. A Buffer or an ArrayBuffer's memory is freed only when a collection finds
// its ArrayBuffer dead, and one that lived a few turns is in the old generation by then: freed at the thread's next
// full collection, which big external buffers do little to bring on. The plan worker's re-read of a 100 000-bead store
// left its 37 MB read buffer so, a change after another (its external memory 5 → 42 → 90 → 138 MB over three changes:
// docs/speed.md), and the console's thread the slices it had unpacked (up to 70 MB).
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/**
 * A port whose other end is closed: what is transferred to it is dropped with the message (see freeBytes). Made as this
 * module is loaded: the other end's close takes effect a few turns of the event loop later, and a message posted before
 * that waited in its queue until then, its memory with it (made at the first free, the plan worker's first re-read's
 * 37 MB at 100 000 beads stayed through its plan: docs/speed.md).
 */
const sink: MessagePort = closedPort();

function closedPort(): MessagePort {
  const { port1, port2 } = new MessageChannel();
  port2.close();
  port1.unref();
  return port1;
}

/**
 * Free the memory of `bytes` now: transferred to a port nobody listens on, its ArrayBuffer is detached here (every view
 * of it then has length 0) and freed as the message is dropped. Only for bytes nothing reads any more, and no write or
 * read of the thread pool still uses: their memory goes at once, under whatever still points at it. A view of part of
 * a buffer, and a Buffer of Node's pool (not transferable), are left to the collector. Whether it was freed.
 */
export function freeBytes(bytes: Uint8Array): boolean {
  const buf = bytes.buffer;
  if (!(buf instanceof ArrayBuffer) || bytes.byteOffset !== 0 || bytes.byteLength !== buf.byteLength) return false;
  try {
    sink.postMessage(null, [buf]);
    return true;
  } catch {
    return false;
  }
}
