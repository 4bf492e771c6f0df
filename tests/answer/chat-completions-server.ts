/**
 * A local HTTP server speaking the OpenAI chat-completions API (JSON and SSE streaming), for driving the
 * real openai client in tests. Each test sets how the "model" behaves; every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: { role: string; content: string }[];
}

export type Behaviour =
  /** `pieceDelayMs`: a pause between streamed pieces, so a reader sees the answer grow. */
  | { kind: 'reply'; text: string | ((req: ChatRequest) => string); pieceDelayMs?: number }
  | { kind: 'status'; status: number; retryAfterMs?: number }
  | { kind: 'hang' };

export interface ChatServer {
  url: string;
  requests: ChatRequest[];
  /** Behaviours for the next requests in order; the last one repeats. */
  respond(...b: Behaviour[]): void;
  close(): Promise<void>;
}

async function sendReply(req: ChatRequest, res: ServerResponse, text: string, pieceDelayMs = 0) {
  if (!req.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      id: 'cmpl-1', object: 'chat.completion', created: 0, model: req.model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  // Several small deltas so that streaming is observable.
  const pieces = text.match(/[\s\S]{1,6}/g) ?? [];
  for (const p of pieces) {
    if (pieceDelayMs) await new Promise((r) => setTimeout(r, pieceDelayMs));
    res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: req.model, choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })}\n\n`);
  }
  res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: req.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
  res.end('data: [DONE]\n\n');
}

export async function startChatServer(): Promise<ChatServer> {
  let queue: Behaviour[] = [{ kind: 'reply', text: '' }];
  const requests: ChatRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const parsed = JSON.parse(body) as ChatRequest;
      requests.push(parsed);
      const b = queue.length > 1 ? queue.shift()! : queue[0]!;
      if (b.kind === 'hang') {
        hanging.push(res);
        return;
      }
      if (b.kind === 'status') {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (b.retryAfterMs !== undefined) headers['retry-after-ms'] = String(b.retryAfterMs);
        res.writeHead(b.status, headers);
        res.end(JSON.stringify({ error: { message: `status ${b.status}`, type: 'test' } }));
        return;
      }
      void sendReply(parsed, res, typeof b.text === 'function' ? b.text(parsed) : b.text, b.pieceDelayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    respond: (...b) => {
      queue = b;
    },
    close: async () => {
      for (const h of hanging) h.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The number of the source whose citation line contains `label` in a recorded request (0 when none). */
export function sourceNumber(req: ChatRequest, label: string): number {
  const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
  for (const m of user.matchAll(/<source id="(\d+)" cite="([^"]*)">/g)) if (m[2]!.includes(label)) return Number(m[1]);
  return 0;
}
