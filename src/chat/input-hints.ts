/**
 * Messages that are not questions: a bare number (a button that is not there) and messages with nothing to
 * read (emoji, zero-width characters, punctuation). Taken as questions they would re-answer the previous
 * topic as a follow-up; a short hint says what to type instead.
 */

// Zero-width and joiner characters, variation selectors, emoji and other pictographs, punctuation, symbols.
const NOTHING_TO_READ = /[\s\u200B-\u200F\u2060-\u2064\uFEFF\uFE00-\uFE0F\p{Extended_Pictographic}\p{Emoji_Component}\p{P}\p{S}]/gu;

/** The hint for a message that is not a question, or undefined when it should be answered. */
export function inputHint(text: string): string | undefined {
  const digits = text.trim().replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10));
  if (/^\d{1,6}$/.test(digits)) {
    const n = Number(digits);
    return `没有编号为 ${n} 的按钮。查看条文请写「预算法第${n}条」或 /law 预算法 ${n}；提问请写出完整的问题。`;
  }
  if (text.replace(NOTHING_TO_READ, '') === '') {
    return '没有看到文字。请直接输入问题，例如「预算年度是怎么规定的？」，或发送 /help 查看用法。';
  }
  return undefined;
}
