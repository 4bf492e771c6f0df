/** Transport-neutral rich text: building blocks, plain rendering, and splitting into size-limited parts. */
import type { Block, OutMessage, OutputAbilities, Span } from './types.ts';

const BLOCK_GAP = '\n\n';

export const bold = (text: string): Span => ({ text, bold: true });
export const italic = (text: string): Span => ({ text, italic: true });
export const para = (...spans: Span[]): Block => ({ spans });

/** A message of plain paragraphs (one per line group). */
export function textMessage(text: string): OutMessage {
  return { blocks: text.split(/\n{2,}/).map((p) => para(p)) };
}

export const spanText = (s: Span): string => (typeof s === 'string' ? s : s.text);
export const blockText = (b: Block): string => b.spans.map(spanText).join('');

/** Plain text of a message, as a terminal shows it. */
export function plainText(blocks: Block[]): string {
  return blocks
    .map((b) => {
      const t = blockText(b);
      return b.quote ? t.split('\n').map((l) => `│ ${l}`).join('\n') : t;
    })
    .join(BLOCK_GAP);
}

/** How a service measures a message: UTF-16 code units (Telegram) or UTF-8 bytes (WeCom). */
export type Measure = (s: string) => number;
export const utf16Length: Measure = (s) => s.length;
export const utf8Length: Measure = (s) => Buffer.byteLength(s, 'utf8');

/** The measure a transport's maxMessageLength is in. */
export const measureOf = (abilities: Pick<OutputAbilities, 'lengthUnit'>): Measure => (abilities.lengthUnit === 'utf8' ? utf8Length : utf16Length);

/** How many UTF-16 units of `text` fit in `max` by `measure` (never splitting a surrogate pair). */
function unitsFitting(text: string, max: number, measure: Measure): number {
  if (measure === utf16Length || measure(text) <= max) return Math.min(text.length, max);
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(text.slice(0, mid)) <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function sliceSpans(spans: Span[], start: number, end: number): Span[] {
  const out: Span[] = [];
  let pos = 0;
  for (const s of spans) {
    const t = spanText(s);
    const a = Math.max(start, pos);
    const b = Math.min(end, pos + t.length);
    if (a < b) {
      const piece = t.slice(a - pos, b - pos);
      out.push(typeof s === 'string' ? piece : { ...s, text: piece });
    }
    pos += t.length;
  }
  return out;
}

/**
 * Where to cut `text` so the first piece has at most `max` units: the last line break, else the last
 * sentence end, else the last comma; never inside a surrogate pair or a 《…》 title.
 */
export function findCut(text: string, max: number): number {
  if (text.length <= max) return text.length;
  const window = text.slice(0, max);
  const floor = Math.floor(max / 2);
  let cut = -1;
  for (const re of [/\n/g, /[。；！？!?;]/g, /[，、,：:]/g]) {
    let m: RegExpExecArray | null;
    let last = -1;
    while ((m = re.exec(window))) last = m.index + m[0].length;
    if (last >= floor) {
      cut = last;
      break;
    }
  }
  if (cut < 0) cut = max;
  // Keep a 《title》 whole: if the cut lands inside one, cut before its opening bracket.
  const open = text.lastIndexOf('《', cut - 1);
  const close = text.lastIndexOf('》', cut - 1);
  if (open > close && open > 0) cut = open;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return Math.max(1, cut);
}

/** Cut one oversized block into blocks that each fit, repeating its `keep` label on continuations. */
function splitBlock(block: Block, limit: number, len: Measure): Block[] {
  const text = blockText(block);
  const pieces: Block[] = [];
  let start = 0;
  let first = true;
  while (start < text.length) {
    const prefix: Span[] = !first && block.keep ? [bold(`${block.keep}（续）`), '\n'] : [];
    const room = limit - prefix.reduce((n, s) => n + len(spanText(s)), 0);
    // A trailing newline at the cut belongs to the piece before it, so continuations start cleanly.
    const rest = text.slice(start);
    const cut = findCut(rest, unitsFitting(rest, room, len));
    pieces.push({ ...block, spans: [...prefix, ...sliceSpans(block.spans, start, start + cut)] });
    start += cut;
    while (text[start] === '\n') start++;
    first = false;
  }
  return pieces;
}

/**
 * Pack blocks into parts of at most `limit` units of plain text (by `len`: UTF-16 units unless the service
 * counts bytes), whole blocks where possible.
 * @example splitMessage(msg.blocks, output.abilities.maxMessageLength).length // 1 for a short answer
 */
export function splitMessage(blocks: Block[], limit: number, len: Measure = utf16Length): Block[][] {
  const parts: Block[][] = [];
  let current: Block[] = [];
  let size = 0;
  const flush = () => {
    if (current.length) parts.push(current);
    current = [];
    size = 0;
  };
  for (const block of blocks) {
    const pieces = len(blockText(block)) > limit ? splitBlock(block, limit, len) : [block];
    for (const piece of pieces) {
      const n = len(blockText(piece));
      const extra = current.length ? len(BLOCK_GAP) : 0;
      if (size + extra + n > limit) flush();
      size += (current.length ? len(BLOCK_GAP) : 0) + n;
      current.push(piece);
    }
  }
  flush();
  return parts.length ? parts : [[para('')]];
}
