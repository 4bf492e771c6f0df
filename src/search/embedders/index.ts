/** Picks the embedder the configuration asks for. */
import type { Config } from '../../config.ts';
import { LocalEmbeddings } from './local.ts';
import { OpenAICompatibleEmbeddings } from './openai.ts';
import type { IndexEmbeddings } from './types.ts';

export { IndexEmbeddings } from './types.ts';
export { LocalEmbeddings } from './local.ts';
export { OpenAICompatibleEmbeddings } from './openai.ts';

/** @example createEmbedder(loadConfig({ EMBEDDER: 'openai', EMBEDDING_BASE_URL: 'http://127.0.0.1:11434/v1' })) */
export function createEmbedder(config: Pick<Config, 'embedder'>): IndexEmbeddings {
  const e = config.embedder;
  if (e.kind === 'openai') {
    return new OpenAICompatibleEmbeddings({
      model: e.model,
      baseURL: e.baseURL,
      apiKey: e.apiKey,
      batchSize: e.batchSize,
      timeoutMs: e.timeoutMs,
      maxRetries: e.maxRetries,
    });
  }
  return new LocalEmbeddings();
}
