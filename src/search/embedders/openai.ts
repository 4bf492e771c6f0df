/**
 * Embeddings from any OpenAI-compatible endpoint (OpenAI, DeepSeek-compatible gateways, vLLM, Ollama…)
 * through the openai SDK: batched requests, retries with exponential backoff on 429 and 5xx (the SDK's,
 * honouring Retry-After), and a typed error naming the endpoint when it keeps failing.
 */
import OpenAI from 'openai';
import { PufaError } from '../../errors.ts';
import { IndexEmbeddings } from './types.ts';

export interface OpenAIEmbeddingsOptions {
  model: string;
  baseURL?: string;
  apiKey?: string;
  /** Texts per request (default 64). */
  batchSize?: number;
  timeoutMs?: number;
  /** Retries per request after the first try (default 2). */
  maxRetries?: number;
  /** Called once per HTTP request batch (progress, tests). */
  onBatch?: (size: number) => void;
}

export class OpenAICompatibleEmbeddings extends IndexEmbeddings {
  readonly id: string;
  dimension: number | undefined;
  private readonly client: OpenAI;
  private readonly model: string;
  override readonly batchSize: number;
  private readonly onBatch?: (size: number) => void;

  constructor(opts: OpenAIEmbeddingsOptions) {
    super({});
    this.model = opts.model;
    this.batchSize = opts.batchSize ?? 64;
    this.onBatch = opts.onBatch;
    this.client = new OpenAI({
      // Local servers accept any key; the SDK insists on one.
      apiKey: opts.apiKey ?? 'no-key',
      baseURL: opts.baseURL,
      timeout: opts.timeoutMs ?? 30_000,
      maxRetries: opts.maxRetries ?? 2,
    });
    this.id = `openai:${opts.model}@${(opts.baseURL ?? 'https://api.openai.com/v1').replace(/\/+$/, '')}`;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < documents.length; i += this.batchSize) {
      const batch = documents.slice(i, i + this.batchSize).map((d) => d || ' ');
      this.onBatch?.(batch.length);
      let res;
      try {
        res = await this.client.embeddings.create({ model: this.model, input: batch, encoding_format: 'float' });
      } catch (cause) {
        throw new PufaError(`向量服务调用失败（${this.id}），请检查 EMBEDDING_BASE_URL、EMBEDDING_API_KEY 与网络`, {
          cause,
          detail: `embeddings request failed: ${(cause as Error).message}`,
        });
      }
      const rows = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      if (rows.length !== batch.length) {
        throw new PufaError(`向量服务返回的结果数量不对（${this.id}）`, { detail: `expected ${batch.length}, got ${rows.length}` });
      }
      this.dimension ??= rows[0]?.length;
      out.push(...rows);
    }
    return out;
  }

  async embedQuery(document: string): Promise<number[]> {
    const [v] = await this.embedDocuments([document]);
    return v!;
  }
}
