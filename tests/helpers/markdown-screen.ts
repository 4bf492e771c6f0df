/**
 * What a person reads from a Markdown message (DingTalk markdown, Feishu card markdown): marks removed,
 * escapes and entities resolved, quote markers dropped. The stand-in servers use it to show the chat.
 */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ' };

export function visibleMarkdown(md: string): string {
  return md
    .replace(/ {2}\n/g, '\n')
    .replace(/^> ?/gm, '')
    .replace(/\*\*|(?<!\\)[*`]/g, '')
    .replace(/\\([\\*_`#[\]])/g, '$1')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&([a-z]+);/g, (m, name: string) => ENTITIES[name] ?? m);
}
