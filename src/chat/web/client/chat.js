/*
 * 普法助手 web chat: the page script. Renders the chat from the server's event stream (/api/events),
 * sends what is typed (/api/send) and button presses (/api/press). Every text from the server is put in
 * text nodes (never parsed as HTML), so law text with 《》<>& shows as it is. Symbols that would need an
 * emoji font (👍 📖 ✅ …) are drawn as inline SVG icons; other emoji are left out.
 */
(function () {
  'use strict';

  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var log = document.getElementById('log');
  var composer = document.getElementById('composer');
  var input = document.getElementById('text');
  var toast = document.getElementById('toast');
  var typing = document.getElementById('typing');
  var conn = document.getElementById('conn');
  var menuToggle = document.getElementById('menu-toggle');
  var commands = document.getElementById('commands');
  var SVG = 'http://www.w3.org/2000/svg';

  /** Icons on a 24×24 grid: a stroke path, and what a screen reader should hear instead of the symbol. */
  var ICONS = {
    '👍': { d: 'M7 10v11H3V10zM7 10l4-8a3 3 0 0 1 3 3v4h5.4a2 2 0 0 1 2 2.4l-1.5 7.6a2 2 0 0 1-2 1.6H7', cls: 'up' },
    '👎': { d: 'M7 14V3H3v11zM7 14l4 8a3 3 0 0 0 3-3v-4h5.4a2 2 0 0 0 2-2.4l-1.5-7.6a2 2 0 0 0-2-1.6H7', cls: 'down' },
    '📖': { d: 'M3 5h6a3 3 0 0 1 3 3v12a2 2 0 0 0-2-2H3zM21 5h-6a3 3 0 0 0-3 3v12a2 2 0 0 1 2-2h7z' },
    '🔗': { d: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1' },
    '✅': { d: 'M4 12.5l5 5L20 6.5', cls: 'good' },
    '✔': { d: 'M4 12.5l5 5L20 6.5', cls: 'good' },
    '❌': { d: 'M6 6l12 12M18 6L6 18', cls: 'bad' },
    '✘': { d: 'M6 6l12 12M18 6L6 18', cls: 'bad' },
    '📝': { d: 'M5 3h10l4 4v14H5zM9 11h6M9 15h6M9 7h3' },
    '📢': { d: 'M3 10v4h4l8 5V5l-8 5zM18 9a4 4 0 0 1 0 6' },
    '🔔': { d: 'M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 21h4' },
    '📎': { d: 'M20 11l-8 8a5 5 0 0 1-7-7l8.5-8.5a3.5 3.5 0 0 1 5 5L10 17a2 2 0 0 1-3-3l7.5-7.5' },
    '☐': { d: 'M4 4h16v16H4z', label: '未选 ' },
    '☑': { d: 'M4 4h16v16H4zM8 12l3 3 5-6', label: '已选 ' },
    '▶': { d: 'M8 5l11 7-11 7z', cls: 'fill' }
  };
  // The symbols above, and pictographs that only emoji fonts have (U+1F000–U+1FAFF); other symbols
  // (□ ○ △ ※ of ordinary documents) are text that CJK fonts show.
  var SYMBOLS = /[\u{1F000}-\u{1FAFF}✅✔❌✘☐☑▶]/u;
  var SPLIT = /([\u{1F000}-\u{1FAFF}✅✔❌✘☐☑▶]\uFE0F?)/u;

  function icon(ch) {
    var spec = ICONS[ch.replace('\uFE0F', '')];
    if (!spec) return null;
    var frag = document.createDocumentFragment();
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'icon' + (spec.cls ? ' ' + spec.cls : ''));
    var path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', spec.d);
    svg.appendChild(path);
    frag.appendChild(svg);
    if (spec.label) {
      var sr = document.createElement('span');
      sr.className = 'sr-only';
      sr.textContent = spec.label;
      frag.appendChild(sr);
    }
    return frag;
  }

  /** Text with symbols drawn as icons; a symbol without an icon is left out (no emoji font is assumed). */
  function appendText(parent, text) {
    if (!SYMBOLS.test(text)) {
      parent.appendChild(document.createTextNode(text));
      return;
    }
    text.split(SPLIT).forEach(function (piece, i) {
      // The space after a symbol is the icon's own margin.
      if (i % 2 === 0 && i > 0) piece = piece.replace(/^ /, '');
      if (!piece) return;
      if (i % 2 === 0) {
        parent.appendChild(document.createTextNode(piece));
      } else {
        var ic = icon(piece);
        if (ic) parent.appendChild(ic);
      }
    });
  }

  function renderSpan(parent, span) {
    if (typeof span === 'string') return appendText(parent, span);
    var el = parent;
    var wrap = function (tag) {
      var inner = document.createElement(tag);
      el.appendChild(inner);
      el = inner;
    };
    if (span.bold) wrap('strong');
    if (span.italic) wrap('em');
    if (span.code) wrap('code');
    appendText(el, span.text);
  }

  function sizeText(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + ' MB' : Math.max(1, Math.round(bytes / 1024)) + ' KB';
  }

  function renderMessage(m) {
    var li = document.createElement('li');
    li.className = 'msg ' + (m.from === 'me' ? 'me' : 'bot');
    li.setAttribute('data-id', m.id);
    var who = document.createElement('span');
    who.className = 'sr-only';
    who.textContent = m.from === 'me' ? '我：' : '普法助手：';
    li.appendChild(who);
    var bubble = document.createElement('div');
    bubble.className = 'bubble';
    m.blocks.forEach(function (b) {
      var el = document.createElement(b.quote ? 'blockquote' : 'p');
      b.spans.forEach(function (s) {
        renderSpan(el, s);
      });
      bubble.appendChild(el);
    });
    if (m.file) {
      var a = document.createElement('a');
      a.className = 'file';
      a.href = '/api/files/' + encodeURIComponent(m.file.id);
      a.setAttribute('download', m.file.name);
      appendText(a, '📎 ');
      a.appendChild(document.createTextNode('下载 ' + m.file.name + '（' + sizeText(m.file.size) + '）'));
      bubble.appendChild(a);
    }
    li.appendChild(bubble);
    if (m.buttons && m.buttons.length) {
      var group = document.createElement('div');
      group.className = 'buttons';
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', '操作');
      m.buttons.forEach(function (row) {
        var r = document.createElement('div');
        r.className = 'row';
        row.forEach(function (b) {
          var btn = document.createElement('button');
          btn.type = 'button';
          btn.setAttribute('data-data', b.data);
          appendText(btn, b.text);
          r.appendChild(btn);
        });
        group.appendChild(r);
      });
      li.appendChild(group);
    }
    return li;
  }

  var nearBottom = function () {
    var s = document.scrollingElement;
    return s.scrollHeight - s.scrollTop - window.innerHeight < 120;
  };
  var toBottom = function () {
    window.scrollTo(0, document.scrollingElement.scrollHeight);
  };

  function show(m, mine) {
    var stick = mine || nearBottom();
    var old = log.querySelector('li[data-id="' + CSS.escape(m.id) + '"]');
    var li = renderMessage(m);
    if (old) log.replaceChild(li, old);
    else log.appendChild(li);
    if (stick) toBottom();
  }

  var toastTimer = 0;
  function notice(text, alert) {
    clearTimeout(toastTimer);
    toast.textContent = '';
    toast.className = 'toast shown' + (alert ? ' alert' : '');
    toast.setAttribute('role', alert ? 'alert' : 'status');
    appendText(toast, text);
    toastTimer = setTimeout(function () {
      toast.className = 'toast';
      toast.textContent = '';
    }, alert ? 8000 : 3500);
  }

  var typingTimer = 0;
  function handle(e) {
    if (e.t === 'snapshot') {
      log.textContent = '';
      e.messages.forEach(function (m) {
        log.appendChild(renderMessage(m));
      });
      if (!e.messages.length) show(welcome, false);
      toBottom();
      document.body.setAttribute('data-ready', '1');
    } else if (e.t === 'message' || e.t === 'edit') {
      if (e.t === 'message' && e.m.from === 'bot') typing.hidden = true;
      show(e.m, e.m.from === 'me');
    } else if (e.t === 'answer') {
      var pressed = log.querySelectorAll('button[aria-busy="true"]');
      for (var i = 0; i < pressed.length; i++) pressed[i].removeAttribute('aria-busy');
      if (e.text) notice(e.text, e.alert);
    } else if (e.t === 'typing') {
      typing.hidden = false;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () {
        typing.hidden = true;
      }, 5000);
    }
  }

  var welcome = {
    id: 'welcome',
    from: 'bot',
    blocks: [{ spans: ['您好！我是普法助手。直接输入问题即可，例如「预算年度是怎么规定的？」。点右上角的「命令」查看可用功能，发送 /help 查看使用说明。'] }],
    buttons: []
  };

  function newId() {
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) {
      return ('0' + b.toString(16)).slice(-2);
    }).join('');
  }

  /** POST JSON; a lost connection is retried with the same id (the server handles an id once). */
  function post(url, body, attempt) {
    attempt = attempt || 0;
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body)
    }).then(
      function (res) {
        if (res.status === 401) {
          location.href = '/signin';
          return false;
        }
        if (!res.ok) {
          return res.text().then(function (t) {
            notice(t || '请求失败，请刷新页面后重试。', true);
            return false;
          });
        }
        return true;
      },
      function () {
        if (attempt < 3) {
          return new Promise(function (r) {
            setTimeout(r, 800 * (attempt + 1));
          }).then(function () {
            return post(url, body, attempt + 1);
          });
        }
        notice('网络不通，发送失败。请检查网络后重试。', true);
        return false;
      }
    );
  }

  function send(text) {
    text = text.trim();
    if (!text) return;
    post('/api/send', { id: newId(), text: text }).then(function (ok) {
      if (!ok && !input.value) input.value = text;
    });
  }

  composer.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value;
    input.value = '';
    fit();
    send(text);
    input.focus();
  });
  input.addEventListener('keydown', function (e) {
    // Enter sends; Shift+Enter is a new line; Enter while an input method composes belongs to the IME.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      composer.requestSubmit();
    }
  });
  function fit() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 160) + 'px';
  }
  input.addEventListener('input', fit);

  log.addEventListener('click', function (e) {
    var btn = e.target.closest('button[data-data]');
    if (!btn) return;
    // A second tap while the first is on its way is the same tap (the server would refuse it anyway).
    if (btn.getAttribute('aria-busy') === 'true') return;
    var li = btn.closest('li.msg');
    btn.setAttribute('aria-busy', 'true');
    post('/api/press', { id: newId(), message: li.getAttribute('data-id'), data: btn.getAttribute('data-data') }).then(function (ok) {
      if (!ok) btn.removeAttribute('aria-busy');
    });
  });

  function closeMenu() {
    commands.hidden = true;
    menuToggle.setAttribute('aria-expanded', 'false');
  }
  menuToggle.addEventListener('click', function () {
    var open = commands.hidden;
    commands.hidden = !open;
    menuToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) {
      var first = commands.querySelector('button');
      if (first) first.focus();
    }
  });
  commands.addEventListener('click', function (e) {
    var btn = e.target.closest('button[data-command]');
    if (!btn) return;
    var cmd = btn.getAttribute('data-command');
    closeMenu();
    if (btn.getAttribute('data-needs-args')) {
      input.value = cmd + ' ';
      input.focus();
      fit();
    } else {
      send(cmd);
      input.focus();
    }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !commands.hidden) {
      closeMenu();
      menuToggle.focus();
    }
  });

  function connect() {
    var es = new EventSource('/api/events');
    es.onmessage = function (ev) {
      handle(JSON.parse(ev.data));
    };
    es.onopen = function () {
      conn.hidden = true;
    };
    es.onerror = function () {
      conn.hidden = false;
      if (es.readyState !== EventSource.CLOSED) return;
      // The server refused the stream: signed out, or restarting. Ask which, then retry or sign in.
      fetch('/api/ping', { credentials: 'same-origin' }).then(
        function (res) {
          if (res.status === 401) location.href = '/signin';
          else setTimeout(connect, 2000);
        },
        function () {
          setTimeout(connect, 3000);
        }
      );
    };
  }
  connect();
})();
