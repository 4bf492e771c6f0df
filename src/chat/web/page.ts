/**
 * The web chat's HTML: the chat page (a shell the page script fills from the event stream) and the
 * sign-in pages. Built with hono/html's `html`, which escapes every interpolated value.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export const CSRF_FIELD = '_csrf';

function frame(title: string, body: Html, opts: { csrf?: string; script?: boolean } = {}): Html {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
${opts.csrf ? html`<meta name="csrf-token" content="${opts.csrf}" />` : ''}
<title>${title}</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
<link rel="stylesheet" href="/assets/chat.css" />
</head>
<body>
${body}
${opts.script ? html`<script src="/assets/chat.js"></script>` : ''}
</body>
</html>`;
}

/** A command in the page's command panel: sent at once, or put in the input box when it needs words after it. */
export interface PanelCommand {
  name: string;
  description: string;
  /** '/law 预算法 18': the command needs more than its name. */
  usage?: string;
}

export function chatPage(opts: { csrf: string; who: string; commands: PanelCommand[] }): Html {
  const body = html`<div class="app">
<header class="bar">
  <h1 class="brand">普法助手</h1>
  <span class="who" data-testid="who">${opts.who}</span>
  <button type="button" id="menu-toggle" class="ghost" aria-expanded="false" aria-controls="commands">命令</button>
  <form method="post" action="/signout" class="signout">
    <input type="hidden" name="${CSRF_FIELD}" value="${opts.csrf}" />
    <button type="submit" class="ghost">退出</button>
  </form>
</header>
<nav id="commands" class="commands" aria-label="命令" hidden>
  <ul>
    ${opts.commands.map(
      (c) => html`<li><button type="button" data-command="/${c.name}" data-needs-args="${c.usage && c.usage.includes(' ') ? '1' : ''}"><span class="cmd">/${c.name}</span> <span class="desc">${c.description}</span></button></li>`,
    )}
  </ul>
</nav>
<main class="chat">
  <noscript><p class="notice">请在浏览器中启用 JavaScript 后使用普法助手。</p></noscript>
  <ol id="log" class="log" role="log" aria-live="polite" aria-label="对话记录"></ol>
  <p id="typing" class="typing" hidden>普法助手正在输入…</p>
</main>
<div id="toast" class="toast" role="status" aria-live="polite"></div>
<p id="conn" class="conn" role="status" hidden>连接已断开，正在重新连接…</p>
<form id="composer" class="composer">
  <label for="text" class="sr-only">输入问题或命令</label>
  <textarea id="text" name="text" rows="1" maxlength="2000" enterkeyhint="send" placeholder="输入问题或命令"></textarea>
  <button type="submit" id="send">发送</button>
</form>
</div>`;
  return frame('普法助手', body, { csrf: opts.csrf, script: true });
}

/** A page of the sign-in flow: a short text, an optional form, a notice. */
function signinFrame(title: string, inner: Html): Html {
  return frame(`${title} · 普法助手`, html`<main class="signin"><h1>${title}</h1>${inner}</main>`);
}

export interface SigninPageOptions {
  /** The nonce of this browser for the sign-in forms. */
  nonce: string;
  failed?: 'code' | 'busy' | 'link' | 'wecom' | 'unregistered';
  /** Offer registration without a link (the policy allows it). */
  visitors: boolean;
  /** Offer signing in through WeCom. */
  wecom: boolean;
}

const FAILED: Record<NonNullable<SigninPageOptions['failed']>, string> = {
  code: '登录码无效、已使用或已过期，请核对后重试，或向管理员重新索取。',
  busy: '登录码输错次数过多，请 15 分钟后再试，或使用管理员发给您的登录链接。',
  link: '登录链接无效、已使用或已过期，请向管理员重新索取（管理员发送 /weblink 您的姓名）。',
  wecom: '企业微信登录没有成功，请从企业微信中重新打开本页面，或使用登录码。',
  unregistered: '您的企业微信账号还没有注册普法助手：请先在企业微信的「普法助手」应用中发送 /start 完成注册，或使用管理员发给您的登录码。',
};

export function signinPage(o: SigninPageOptions): Html {
  return signinFrame(
    '登录普法助手',
    html`<p>请输入管理员发给您的登录码（8 位，字母与数字），或直接打开管理员发给您的登录链接。</p>
    ${o.failed ? html`<p class="error" role="alert">${FAILED[o.failed]}</p>` : ''}
    <form method="post" action="/signin/code" class="stack">
      <input type="hidden" name="_signin" value="${o.nonce}" />
      <label for="code">登录码</label>
      <input id="code" name="code" inputmode="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" maxlength="16" placeholder="例如 ABCD-2345" required />
      <button type="submit">登录</button>
    </form>
    ${o.wecom ? html`<p><a class="button secondary" href="/signin/wecom">用企业微信登录</a></p>` : ''}
    ${o.visitors
      ? html`<form method="post" action="/signin/visitor" class="stack">
          <input type="hidden" name="_signin" value="${o.nonce}" />
          <p class="muted">第一次使用、还没有登录码？可以直接在这里注册，提交后按本单位的规定可能需要管理员审核。</p>
          <button type="submit" class="secondary">我是新用户，去注册</button>
        </form>`
      : html`<p class="muted">没有登录码？请联系管理员：管理员在聊天中发送 /weblink 您的姓名，即可为您生成登录链接和登录码。</p>`}`,
  );
}

/** The page a sign-in link opens: one tap signs in (a link preview or a scanner that only fetches it does not use it up). */
export function linkPage(o: { nonce: string; token: string }): Html {
  return signinFrame(
    '登录普法助手',
    html`<p>这是管理员发给您的一次性登录链接。点击下面的按钮即可登录，登录后本设备会保持登录状态。</p>
    <form method="post" action="/signin/link" class="stack">
      <input type="hidden" name="_signin" value="${o.nonce}" />
      <input type="hidden" name="t" value="${o.token}" />
      <button type="submit" data-testid="use-link">进入普法助手</button>
    </form>
    <p class="muted">请勿把此链接转发给他人：打开它的人会以您的身份登录。</p>`,
  );
}

export function messagePage(title: string, text: string, status: 'error' | 'muted' = 'error'): Html {
  return signinFrame(title, html`<p class="${status}">${text}</p><p><a href="/signin">返回登录页</a></p>`);
}
