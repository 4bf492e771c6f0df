/**
 * Markdown rendering for the transports that show Markdown (DingTalk's markdown and cards, Feishu's card
 * markdown). Each service escapes differently, so the transport passes its own escape for plain text.
 */
import type { Block, Button, Span } from './types.ts';

function renderSpan(s: Span, escape: (t: string) => string): string {
  if (typeof s === 'string') return escape(s);
  if (!s.text.trim()) return escape(s.text);
  let md = escape(s.text);
  if (s.code) md = `\`${md}\``;
  if (s.italic) md = `*${md}*`;
  if (s.bold) md = `**${md}**`;
  return md;
}

/**
 * Blocks as Markdown: paragraphs apart, line breaks kept (`lineBreak` is what the service needs for one),
 * quotes as `> ` lines.
 * @example renderMarkdown([{ spans: [bold('《预算法》第十八条'), '\n', '预算年度…'] }], escapeDingTalk, '  \n')
 */
export function renderMarkdown(blocks: Block[], escape: (t: string) => string, lineBreak = '\n'): string {
  return blocks
    .map((b) => {
      const lines = b.spans.map((s) => renderSpan(s, escape)).join('').split('\n');
      return (b.quote ? lines.map((l) => `> ${l}`) : lines).join(lineBreak);
    })
    .join('\n\n');
}

/** Buttons as numbered choices under a message, for services whose buttons cannot call back: the person types the number. */
export function numberedChoices(buttons: Button[][]): string {
  let n = 0;
  return buttons.map((row) => row.map((b) => `[${++n}] ${b.text}`).join('　')).join('\n') + '\n（回复编号选择）';
}
