/**
 * A web chat client in Node, speaking to a running pufa web chat over HTTP exactly as the page does: the
 * sign-in forms (with their nonce cookie), the session cookie, the page's CSRF token, the event stream
 * (/api/events) and /api/send, /api/press. It keeps the chat as the page would show it, and the time
 * (performance.now()) each event arrived. For tests and the benchmark.
 *
 * @example const c = new WebChatClient(url); await c.signInWithLink(link); await c.connect(); await c.send('预算年度是怎么规定的？');
 */
import { randomBytes } from 'node:crypto';
import type { WebEvent, WebMessage } from '../../src/chat/web/hub.ts';

export interface SeenEvent {
  event: WebEvent;
  at: number;
}

export const messageText = (m: Pick<WebMessage, 'blocks'>) =>
  m.blocks.map((b) => b.spans.map((s) => (typeof s === 'string' ? s : s.text)).join('')).join('\n\n');

export class WebChatClient {
  readonly cookies = new Map<string, string>();
  csrf = '';
  /** The chat as the page shows it, in order. */
  readonly messages: WebMessage[] = [];
  readonly events: SeenEvent[] = [];
  private abort?: AbortController;
  private waiters: { pred: (e: SeenEvent) => boolean; resolve: (e: SeenEvent) => void }[] = [];

  constructor(readonly base: string) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** fetch with this client's cookies; redirects are not followed (the tests look at them). */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const url = new URL(path, this.base);
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers, redirect: 'manual' });
    } catch (err) {
      // Like a browser: a GET on a kept-alive connection the server has closed since (a restart) is sent again.
      if ((init.method ?? 'GET') !== 'GET') throw err;
      res = await fetch(url, { ...init, headers, redirect: 'manual' });
    }
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (!value || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Post a sign-in form of the page at `pagePath` (its nonce field) with these fields. */
  async submitSigninForm(pagePath: string, action: string, fields: Record<string, string>): Promise<Response> {
    const page = await (await this.request(pagePath)).text();
    const nonce = /name="_signin" value="([^"]+)"/.exec(page)?.[1] ?? '';
    return this.request(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(this.base).origin },
      body: new URLSearchParams({ _signin: nonce, ...fields }),
    });
  }

  /** Open a sign-in link and press its button, as a person does. Resolves with the final response. */
  async signInWithLink(link: string): Promise<Response> {
    const url = new URL(link);
    return this.submitSigninForm(`${url.pathname}${url.search}`, '/signin/link', { t: url.searchParams.get('t') ?? '' });
  }

  async signInWithCode(code: string): Promise<Response> {
    return this.submitSigninForm('/signin', '/signin/code', { code });
  }

  /** Load the chat page and take its CSRF token. */
  async openPage(): Promise<string> {
    const res = await this.request('/');
    const html = await res.text();
    this.csrf = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? '';
    if (!this.csrf) throw new Error(`no chat page (HTTP ${res.status})`);
    return html;
  }

  /** Open the event stream; resolves once the snapshot arrived. */
  async connect(): Promise<void> {
    if (!this.csrf) await this.openPage();
    this.abort = new AbortController();
    const res = await fetch(new URL('/api/events', this.base), { headers: { cookie: this.cookieHeader(), accept: 'text/event-stream' }, signal: this.abort.signal });
    if (res.status !== 200 || !res.body) throw new Error(`event stream refused: HTTP ${res.status}`);
    const snapshot = this.next((e) => e.event.t === 'snapshot', 10_000);
    void this.read(res.body);
    await snapshot;
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trimStart())
            .join('\n');
          if (data) this.take(JSON.parse(data) as WebEvent);
        }
      }
    } catch {
      // closed by disconnect() or by the server stopping
    }
  }

  private take(event: WebEvent) {
    const seen = { event, at: performance.now() };
    this.events.push(seen);
    if (event.t === 'snapshot') this.messages.splice(0, this.messages.length, ...event.messages);
    if (event.t === 'message' || event.t === 'edit') {
      const i = this.messages.findIndex((m) => m.id === event.m.id);
      if (i >= 0) this.messages[i] = event.m;
      else this.messages.push(event.m);
    }
    for (const w of [...this.waiters]) {
      if (w.pred(seen)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(seen);
      }
    }
  }

  /** The next event (from now on) that matches. */
  next(pred: (e: SeenEvent) => boolean, timeoutMs = 30_000): Promise<SeenEvent> {
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (e: SeenEvent) => {
          clearTimeout(t);
          resolve(e);
        },
      };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no matching web chat event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** The next message or edit from pufa whose text matches. */
  async nextBotMessage(pred: (m: WebMessage) => boolean = () => true, timeoutMs?: number): Promise<SeenEvent & { m: WebMessage }> {
    const shown = (e: SeenEvent) => (e.event.t === 'message' || e.event.t === 'edit' ? e.event.m : undefined);
    const e = await this.next((x) => {
      const m = shown(x);
      return Boolean(m && m.from === 'bot' && pred(m));
    }, timeoutMs);
    return { ...e, m: shown(e)! };
  }

  /** Resolves once a message from pufa whose text contains `text` is on screen (already, or next). */
  async seen(text: string, timeoutMs?: number): Promise<WebMessage> {
    const has = (m: WebMessage) => m.from === 'bot' && messageText(m).includes(text);
    return this.messages.find(has) ?? (await this.nextBotMessage(has, timeoutMs)).m;
  }

  private post(path: string, body: unknown): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.csrf, origin: new URL(this.base).origin },
      body: JSON.stringify(body),
    });
  }

  send(text: string, id = randomBytes(8).toString('hex')): Promise<Response> {
    return this.post('/api/send', { id, text });
  }

  press(message: string, data: string, id = randomBytes(8).toString('hex')): Promise<Response> {
    return this.post('/api/press', { id, message, data });
  }

  disconnect() {
    this.abort?.abort();
    this.abort = undefined;
  }
}
