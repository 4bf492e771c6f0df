/** The web chat's static files (page script, stylesheet, icon), read once from ./client and served by pufa itself. */
import { readFileSync } from 'node:fs';

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#102a43"/><path d="M4 6h5a3 3 0 0 1 3 3v10a2 2 0 0 0-2-2H4zM20 6h-5a3 3 0 0 0-3 3v10a2 2 0 0 1 2-2h6z" fill="none" stroke="#fff" stroke-width="1.6" stroke-linejoin="round"/></svg>`;

export interface Asset {
  type: string;
  body: string;
}

let cached: Record<string, Asset> | undefined;

/** Path → asset. */
export function webChatAssets(): Record<string, Asset> {
  cached ??= {
    '/assets/chat.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./client/chat.js', import.meta.url), 'utf8') },
    '/assets/chat.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./client/chat.css', import.meta.url), 'utf8') },
    '/assets/icon.svg': { type: 'image/svg+xml', body: ICON_SVG },
  };
  return cached;
}
