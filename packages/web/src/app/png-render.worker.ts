import { parentPort } from 'node:worker_threads';
// Only the renderer, not the whole package: a thread starts in a fraction of the time.
import { renderPrismaPng } from '@winnow/screening/prisma-png';

/** The thread side of png-renderer.ts: one render at a time, off the server's event loop. */
export interface RenderRequest {
  id: number;
  svg: string;
  width: number;
}
export type RenderReply = { id: number; png: Uint8Array } | { id: number; error: string };

parentPort?.on('message', (m: RenderRequest) => {
  let reply: RenderReply;
  try {
    reply = { id: m.id, png: renderPrismaPng(m.svg, m.width) };
  } catch (e) {
    reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
