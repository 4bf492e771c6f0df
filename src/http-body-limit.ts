/**
 * A request-body cap for pufa's HTTP servers (dashboard, webhook), applied before anything parses a body.
 * A declared Content-Length over the cap is refused at once, without reading a byte; a body of unknown
 * length (chunked) is read only up to the cap. Either way memory stays bounded however large the upload.
 */
import type { MiddlewareHandler } from 'hono';

/** @example app.use('*', bodyLimit(64 * 1024)) */
export function bodyLimit(maxBytes: number, message = '请求内容过大，已拒绝。'): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const tooLarge = () => {
      // Closing the connection stops the client from sending the rest: nothing more is read.
      c.header('Connection', 'close');
      return c.text(message, 413);
    };
    const declared = raw.headers.get('content-length');
    if (declared !== null && !raw.headers.has('transfer-encoding')) {
      // Node's HTTP parser holds the body to exactly this length.
      const n = Number(declared);
      return Number.isSafeInteger(n) && n <= maxBytes ? next() : tooLarge();
    }
    const reader = raw.body.getReader();
    const parts: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        // Not cancelled: cancelling destroys the socket before the refusal is sent. The rest stays unread.
        reader.releaseLock();
        return tooLarge();
      }
      parts.push(value);
    }
    c.req.raw = new Request(raw, { body: Buffer.concat(parts), duplex: 'half' } as RequestInit);
    return next();
  };
}
