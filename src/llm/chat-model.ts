/**
 * The chat model behind LLM answers and scenario questions: any OpenAI-compatible chat-completions endpoint (OpenAI, DeepSeek,
 * Qwen, vLLM, Ollama) through the openai SDK. Timeouts, 429 and 5xx are retried with backoff by the SDK.
 */
import OpenAI from 'openai';
import type { Config } from '../config.ts';
import { PufaError } from '../errors.ts';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ChatModel {
  /** The model's whole reply; `onText` sees the text so far while it streams. */
  complete(messages: ChatMessage[], opts?: { onText?: (textSoFar: string) => void }): Promise<string>;
}

export class LlmUnavailableError extends PufaError {
  constructor(cause: unknown) {
    super('大模型服务暂时不可用。', { cause, detail: `LLM request failed: ${cause instanceof Error ? cause.message : String(cause)}` });
    this.name = 'LlmUnavailableError';
  }
}

/** @example createChatModel(config.llm!).complete([{ role: 'user', content: '你好' }]) */
export function createChatModel(llm: NonNullable<Config['llm']>): ChatModel {
  const client = new OpenAI({
    apiKey: llm.apiKey,
    baseURL: llm.baseURL,
    timeout: llm.timeoutMs,
    maxRetries: llm.maxRetries,
  });
  return {
    async complete(messages, opts = {}) {
      try {
        if (!llm.stream) {
          const res = await client.chat.completions.create({ model: llm.model, messages, temperature: 0 });
          const text = res.choices[0]?.message?.content ?? '';
          opts.onText?.(text);
          return text;
        }
        // A stream that stops sending is as dead as one that never started: abort after the same timeout.
        // Until the response starts, the SDK's own timeout and retries apply.
        const abort = new AbortController();
        let idle: NodeJS.Timeout | undefined;
        try {
          const stream = await client.chat.completions.create(
            { model: llm.model, messages, temperature: 0, stream: true },
            { signal: abort.signal },
          );
          idle = setTimeout(() => abort.abort(), llm.timeoutMs);
          let text = '';
          for await (const chunk of stream) {
            clearTimeout(idle);
            idle = setTimeout(() => abort.abort(), llm.timeoutMs);
            const delta = chunk.choices[0]?.delta?.content;
            if (delta) {
              text += delta;
              opts.onText?.(text);
            }
          }
          return text;
        } finally {
          clearTimeout(idle);
        }
      } catch (err) {
        throw new LlmUnavailableError(err);
      }
    },
  };
}

/** The JSON object in a reply, with or without a ```json fence. */
export function extractJson(reply: string): unknown {
  const fenced = reply.match(/```(?:json)?\s*([\s\S]*?)```/);
  const body = fenced ? fenced[1]! : reply;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) throw new SyntaxError('回复中没有 JSON 对象');
  return JSON.parse(body.slice(start, end + 1));
}
