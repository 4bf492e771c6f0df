/** Starting the HTTP servers pufa runs (admin dashboard, Telegram webhook), with errors an operator can act on. */
import { serve } from '@hono/node-server';
import { PufaError } from './errors.ts';

export type HttpServer = ReturnType<typeof serve>;

/**
 * Listen on host:port (port 0 picks a free one). A port that is taken or not allowed fails with a Chinese
 * message naming the setting to change.
 * @example await listenHttp(app.fetch, { host: '127.0.0.1', port: 8080, setting: 'ADMIN_WEB_PORT' })
 */
export function listenHttp(
  fetch: (req: Request, env?: unknown) => Response | Promise<Response>,
  opts: { host: string; port: number; setting: string },
): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: opts.host, port: opts.port }, () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${opts.host}:${opts.port}`;
      if (err.code === 'EADDRINUSE') {
        reject(new PufaError(`端口 ${opts.port} 已被占用（${where}）：请换一个 ${opts.setting}，或先停止占用该端口的程序。`, { cause: err }));
      } else if (err.code === 'EACCES') {
        reject(new PufaError(`没有权限监听端口 ${opts.port}（${where}）：请把 ${opts.setting} 设为 1024 以上的端口。`, { cause: err }));
      } else if (err.code === 'EADDRNOTAVAIL') {
        reject(new PufaError(`本机没有地址 ${opts.host}：请检查监听地址的设置。`, { cause: err }));
      } else {
        reject(new PufaError(`无法在 ${where} 启动服务：${err.message}`, { cause: err }));
      }
    });
  });
}

/**
 * Stop accepting and close the server. Idle keep-alive connections (Telegram's, WeCom's) would hold close()
 * open forever and are ended; `all` ends busy ones too (the web chat's open event streams, which never end).
 */
export function closeHttp(server: HttpServer, opts: { all?: boolean } = {}): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  if (opts.all && 'closeAllConnections' in server) server.closeAllConnections();
  else if ('closeIdleConnections' in server) server.closeIdleConnections();
  return closed;
}
