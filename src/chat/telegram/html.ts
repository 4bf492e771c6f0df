/** Telegram HTML rendering: every dynamic string escaped, so law text (《》<>&…) never breaks markup. */
import type { Block, Span } from '../types.ts';

/** Telegram's HTML mode needs exactly these three escaped (plus quotes inside attributes, which we never emit). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function renderSpan(s: Span): string {
  if (typeof s === 'string') return escapeHtml(s);
  let html = escapeHtml(s.text);
  if (s.code) html = `<code>${html}</code>`;
  if (s.italic) html = `<i>${html}</i>`;
  if (s.bold) html = `<b>${html}</b>`;
  return html;
}

export function renderHtml(blocks: Block[]): string {
  return blocks
    .map((b) => {
      const inner = b.spans.map(renderSpan).join('');
      return b.quote ? `<blockquote>${inner}</blockquote>` : inner;
    })
    .join('\n\n');
}
