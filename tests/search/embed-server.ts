/** A real HTTP server on 127.0.0.1 that speaks POST /v1/embeddings, with scripted failures, for tests. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmbedServer {
  url: string;
  /** Inputs of every request that got an answer, in order. */
  batches: string[][];
  /** Responses still to fail with this status (429, 500…) before answering. */
  failNext: number[];
  /** Fail every request from now on with this status (simulates a dead endpoint). */
  failAlways?: number;
  /** Answer this many more requests, then fail every later one with 503 (an endpoint that dies halfway). */
  failAfter?: number;
  close(): Promise<void>;
}

/** Deterministic 8-dimensional vectors from character codes: similar texts get similar vectors. */
function vectorOf(text: string): number[] {
  const v = new Array(8).fill(0);
  for (const ch of text) v[ch.charCodeAt(0) % 8] += 1;
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

export async function startEmbedServer(): Promise<EmbedServer> {
  const state: EmbedServer = { url: '', batches: [], failNext: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/embeddings')) {
        res.writeHead(404).end();
        return;
      }
      if (state.failAfter !== undefined && state.failAfter-- <= 0) state.failAlways = 503;
      const status = state.failAlways ?? state.failNext.shift();
      if (status) {
        res.writeHead(status, { 'content-type': 'application/json', 'retry-after-ms': '5' });
        res.end(JSON.stringify({ error: { message: 'try later', type: 'rate_limit' } }));
        return;
      }
      const { input, model } = JSON.parse(body) as { input: string[] | string; model: string };
      const inputs = Array.isArray(input) ? input : [input];
      state.batches.push(inputs);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          model,
          data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: vectorOf(t) })),
          usage: { prompt_tokens: 0, total_tokens: 0 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () => new Promise((r) => server.close(() => r()));
  return state;
}
