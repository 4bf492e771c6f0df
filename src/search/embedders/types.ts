/** What the index needs of an embedder beyond @langchain/core's contract: a stable id for the manifest. */
import { Embeddings } from '@langchain/core/embeddings';

export abstract class IndexEmbeddings extends Embeddings {
  /** Changes whenever vectors would change (model, dimension, feature design): the index is rebuilt then. */
  abstract readonly id: string;
  /** Vector length; undefined until known (remote models report it with their first answer). */
  abstract readonly dimension: number | undefined;
  /** Texts per call that suit the model (a remote endpoint's request size); ingest embeds and journals this many at a time. */
  readonly batchSize?: number;
}
