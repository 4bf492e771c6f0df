/** What the local service stand-ins share: waiting until their state shows something, and closing down. */
import type { Server } from 'node:http';
import type { WebSocketServer } from 'ws';

/** Listeners told on every change of a stand-in's state, and a wait for a condition over it. */
export function changeWaiter(recent: () => string = () => '') {
  const listeners = new Set<() => void>();
  return {
    changed() {
      for (const l of [...listeners]) l();
    },
    /** Resolves once `check` holds (checked now and after each change); rejects after `timeoutMs`. */
    async waitUntil(check: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
      if (check()) return;
      await new Promise<void>((resolve, reject) => {
        const l = () => {
          if (!check()) return;
          listeners.delete(l);
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(() => {
          listeners.delete(l);
          const tail = recent();
          reject(new Error(`waited ${timeoutMs} ms for ${what}${tail ? `; ${tail}` : ''}`));
        }, timeoutMs);
        listeners.add(l);
      });
    },
  };
}

/** Close a stand-in: its WebSocket server, then the HTTP server with every connection still open. */
export async function closeStandIn(server: Server, wss: WebSocketServer): Promise<void> {
  for (const c of wss.clients) c.terminate();
  wss.close();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
