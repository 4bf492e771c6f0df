/**
 * Chinese word segmentation for search: jieba (search mode) plus light normalisation, shared by the
 * BM25 index, the offline embedder and query analysis so that both sides of a match see the same terms.
 */
import { Jieba } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict.js';
import { bigramsOf } from './bigrams.ts';

/** An IDF lookup: the parsed Map, or the binary table read from a build (prebuilt.ts). */
export interface IdfTable {
  get(word: string): number | undefined;
}

let jieba: Jieba | undefined;
let idfTable: IdfTable | undefined;
let idfMap: Map<string, number> | undefined;

/** The shared jieba instance, created on first use (loading the dictionary takes ~0.2 s). */
export function getJieba(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** jieba's IDF table parsed into a Map (~0.15 s): what ingest embeds with and writes into the build. */
export function generalIdfMap(): Map<string, number> {
  if (!idfMap) {
    idfMap = new Map();
    for (const line of Buffer.from(idf).toString('utf8').split('\n')) {
      const i = line.lastIndexOf(' ');
      if (i > 0) idfMap.set(line.slice(0, i), Number(line.slice(i + 1)));
    }
  }
  return idfMap;
}

/** jieba's general-Chinese IDF table: corpus-independent term weights (the prebuilt one once an index is open). */
export function generalIdf(): IdfTable {
  return (idfTable ??= generalIdfMap());
}

/** Use the same table read from a build (prebuilt.ts) instead of parsing it again in this process. */
export function useGeneralIdf(table: IdfTable): void {
  idfTable ??= table;
}

/** Function words and question words that carry no legal meaning; dropping them keeps postings short. */
export const STOP_WORDS = new Set(
  (
    '的 了 是 在 和 与 及 或 等 也 就 都 而 又 还 把 被 对 从 向 以 于 之 其 该 这 那 这个 那个 这样 那样 ' +
    '吗 呢 吧 啊 呀 么 嘛 哦 什么 怎么 怎样 怎么办 如何 为何 为什么 哪 哪些 哪个 哪里 谁 多少 几 ' +
    '我 我们 你 你们 他 他们 她 它 咱们 自己 有 没有 要 会 能 可 可以 能不能 能否 是否 是不是 有没有 ' +
    '一个 一些 个 些 得 着 过 上 下 里 中 时 后 前 又 再 才 吗 一 让 给 请问 问 想 需要 应该 该怎么 ' +
    '按 按照 根据 规定 法律 有关'
  ).split(/\s+/),
);

const PUNCT = /^[\s\p{P}\p{S}]+$/u;

/** Full-width digits and letters to ASCII, lower case: 第１８条 and 第18条 index alike. */
export function normalizeText(text: string): string {
  return text
    .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toLowerCase();
}

const isTerm = (t: string) => !PUNCT.test(t) && !STOP_WORDS.has(t);

/** Search-mode terms of a text (long words also yield their sub-words), without stop words or punctuation. */
export function searchTerms(text: string): string[] {
  return getJieba().cutForSearch(normalizeText(text), true).filter(isTerm);
}

/** Precise-mode words (no overlapping sub-words), without stop words or punctuation. */
export function words(text: string): string[] {
  return getJieba().cut(normalizeText(text), true).filter(isTerm);
}

/** Overlapping character bigrams of each run of Chinese characters: robust to segmentation mismatches. */
export function charBigrams(text: string): string[] {
  return (text.match(/[\u4e00-\u9fff]+/g) ?? []).flatMap(bigramsOf);
}

/** Prefix that keeps bigram terms apart from two-character words in one BM25 vocabulary. */
export const BIGRAM_PREFIX = '~';

/** What a chunk is indexed by in BM25: its search-mode words plus its character bigrams. */
export function indexTerms(text: string): string[] {
  const norm = normalizeText(text);
  return [...searchTerms(norm), ...charBigrams(norm).map((b) => BIGRAM_PREFIX + b)];
}
