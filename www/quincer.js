/*! Quincer chat widget loader. Embed:
 *  <script async src="https://YOUR-QUINCER-HOST/quincer.js" data-widget-key="cw_live_..."></script>
 * Draws the launcher inside an isolated shadow root once the page has loaded and is idle, and loads the WebAssembly
 * widget only when it is needed: the visitor reaches for the launcher, the page gives a command, or a returning
 * visitor has a conversation to follow. Runs window.Quincer(command, ...) — queued until the widget is ready.
 * API and events: docs/EMBED.md "Host page API", types: quincer.d.ts. */
// Modern syntax (the widget itself needs dynamic import and WebAssembly): every byte here is on every page view.
(() => {
  const w = window, d = document;
  if (w.Quincer && w.Quincer.loaded) return; // a second copy of the snippet is a no-op
  const script = d.currentScript || d.querySelector("script[data-widget-key]");
  if (!script) return console.error("Quincer: no <script data-widget-key> tag found.");
  const base = (script.getAttribute("data-api-base") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  const key = (script.getAttribute("data-widget-key") || "").trim();
  // Host pages may have patched Array.prototype: only indexes and plain loops on arrays here (no for-of, no spread).
  let queue = (w.Quincer && w.Quincer.q) || [];
  let handle = null, ready = false, started = false, host, root, launcher, sheet, mount;
  const handlers = [];
  const prefix = `quincer:${key}:`;
  const COMMANDS = "open close toggle identify sendMessage setLocale shutdown";
  /** The longest the launcher waits for the page's `load` event. */
  const LOAD_WAIT_MS = 5000;

  function api(command, arg, fn) {
    if (command === "on" || command === "off") {
      if (typeof fn !== "function") return console.warn(`Quincer: ${command} takes an event name and a function.`);
      for (let i = 0; i < handlers.length; i++) {
        const h = handlers[i];
        if (h && h[0] === arg && h[1] === fn) {
          w.removeEventListener("quincer:" + arg, h[2]);
          handlers[i] = null;
        }
      }
      if (command === "off") return;
      const relay = (e) => fn(e.detail);
      handlers[handlers.length] = [arg, fn, relay];
      return w.addEventListener("quincer:" + arg, relay);
    }
    if (!host) return void (queue[queue.length] = arguments); // before the launcher exists: replayed then
    if (command === "show" || command === "hide") return void host.style.setProperty("display", command === "hide" ? "none" : "block", "important");
    if (typeof command !== "string" || /\s/.test(command) || ` ${COMMANDS} `.indexOf(` ${command} `) < 0) {
      return console.warn(`Quincer: unknown command "${command}"; use one of: ${COMMANDS} show hide on off.`);
    }
    if (!ready) {
      queue[queue.length] = arguments;
      return start();
    }
    if (command === "shutdown") return shutdown();
    handle[command](arg);
  }
  api.loaded = true;
  w.Quincer = api;

  /** Single-page apps change the URL without reloading; tells the widget (it re-picks the persona by URL). Done
   *  when the widget loads: until then there is nobody to tell, and the page's history is left untouched. */
  const followHistory = () => {
    const wrap = (name) => {
      const original = history[name];
      history[name] = function () {
        const result = original.apply(this, arguments);
        w.dispatchEvent(new Event("quincer:navigate"));
        return result;
      };
    };
    wrap("pushState");
    wrap("replaceState");
  };

  /** Reads a `localStorage` entry of this widget, or writes it when `value` is given; storage may be missing or
   *  throw (sandboxed frames, some private modes), which reads as "nothing stored". */
  const stored = (slot, value) => {
    try {
      const s = w.localStorage;
      return value == null ? s.getItem(prefix + slot) : s.setItem(prefix + slot, value);
    } catch (e) {}
  };

  // Ready means booted (session accepted): queued commands then run in order, after every `ready` handler.
  w.addEventListener("quincer:ready", () => {
    ready = true;
    // The widget has painted the launcher (side, theme, colour, label): remember that look, so that later pages
    // draw the same launcher without loading the widget. Newline-separated: a page may have patched JSON/toJSON.
    const b = root.querySelector(".launcher");
    if (b) {
      stored("look", `${host.className}\n${b.style.background}\n${b.style.color}\n` +
        (b.getAttribute("aria-expanded") === "false" ? b.title : ""));
    }
    Promise.resolve().then(() => {
      while (queue.length) api.apply(null, Array.prototype.shift.call(queue));
    });
  });

  /** The shadow root with the launcher and its few rules; the widget takes the launcher over once it boots. */
  function draw() {
    host = d.createElement("div");
    host.setAttribute("data-quincer-widget", "");
    // !important inline styles win over any page rule (`* { all: unset !important }`, `div { display: none }`).
    host.style.cssText = "all:initial!important;display:block!important;position:fixed!important;width:0!important;" +
      "height:0!important;bottom:0!important;right:0!important;z-index:2147483647!important";
    root = host.attachShadow({ mode: "open" });
    sheet = null;
    // Not a public key: no launcher; the widget explains the problem in the console (it knows each case).
    if (key.indexOf("cw_live_")) return attach(), start();
    launcher = d.createElement("button");
    // Only the launcher's few rules, as a constructed stylesheet: no other rule in the page's style pass, and the
    // launcher is styled in its first frame. A browser without constructed stylesheets gets them in a <style>.
    try {
      const rules = new CSSStyleSheet();
      rules.replaceSync(drawing.css);
      root.adoptedStyleSheets = [rules];
    } catch (e) {
      root.appendChild(d.createElement("style")).textContent = drawing.css;
    }
    launcher.className = "launcher";
    launcher.type = "button";
    launcher.setAttribute("data-testid", "quincer-launcher");
    launcher.setAttribute("aria-expanded", "false");
    // A constant: no page or server text goes through innerHTML.
    launcher.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
    // The look the widget last painted on this site (first visit: the stylesheet's), set as properties, never as
    // markup. The widget repaints it when it boots.
    const parts = look.split("\n");
    host.className = parts[0];
    launcher.style.background = parts[1] || "";
    launcher.style.color = parts[2] || "";
    launcher.title = parts[3] || "";
    // In the language the session will likely start in: the page's setLocale, else the browser's.
    const lang = (queuedLocale() || navigator.language || "").split("-")[0].toLowerCase(), labels = drawing.labels;
    launcher.setAttribute("aria-label", parts[3] || (typeof labels[lang] === "string" ? labels[lang] : labels.en));
    // Until the widget has booted, a click asks for it (and opens it once ready); afterwards the widget handles it.
    launcher.addEventListener("click", () => ready || api("toggle"));
    // The first sign of intent starts loading: the pointer over the launcher or a finger on it (touchstart for
    // browsers without pointer events), keyboard focus. The click itself then waits less, or not at all.
    const intents = ["pointerenter", "pointerdown", "touchstart", "focus"];
    for (let i = 0; i < 4; i++) launcher.addEventListener(intents[i], start, { passive: true });
    root.appendChild(launcher);
    attach();
  }

  /** Links the widget's whole stylesheet (the panel's rules) into the shadow root, once per root; resolves when it
   *  has loaded. The widget mounts only then, so the panel never shows unstyled. */
  const stylesheet = () =>
    sheet ||
    (sheet = new Promise((loaded, failed) => {
      const css = d.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "/dist/quincer.css";
      css.onload = loaded;
      css.onerror = () => failed(unreachable("quincer.css", "style"));
      root.insertBefore(css, root.firstChild);
    }));

  /** Says which of the widget's files could not load, and what to check; returns "" (an error already told). */
  const unreachable = (file, kind) =>
    console.error(`Quincer: could not load ${base}/dist/${file}: check data-api-base and the page's CSP (${kind}-src).`) || "";

  /** Puts the host, its shadow tree complete, into the page: one insertion, one style and layout pass. */
  const attach = () => (d.body || d.documentElement).appendChild(host);

  /** Fetches and compiles the widget and its stylesheet (once, side by side), then mounts it. */
  function start() {
    if (started) return;
    started = true;
    followHistory();
    const widget = import(base + "/dist/quincer_widget.js").then((m) =>
      m.default({ module_or_path: base + "/dist/quincer_widget_bg.wasm" }).then(() => m));
    Promise.all([widget, stylesheet()])
      .then((loaded) => {
        (mount = () => {
          handle = loaded[0].mount(root, { widgetKey: key, apiBase: base, pageUrl: location.href, locale: queuedLocale() });
        })();
      })
      .catch((e) => {
        // mount() has already logged a refused key, stylesheet() a stylesheet it could not load; anything else is a
        // loading failure. Either way the page is left as it was.
        if (typeof e !== "string") console.error(`Quincer: could not load the widget from ${base}: ${e}`);
        host.remove();
      });
  }

  /** The language of the last `setLocale` waiting in the queue: the session starts in it (no redraw on ready). */
  function queuedLocale() {
    let tag;
    for (let i = 0; i < queue.length; i++) if (queue[i][0] === "setLocale") tag = queue[i][1];
    // A malformed tag is the widget's to report (when the command is replayed); the session starts without it.
    return typeof tag === "string" && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(tag) ? tag : undefined;
  }

  /** Forgets the visitor (stored token and conversation) and starts over with a fresh widget. */
  function shutdown() {
    handle.shutdown();
    ready = false;
    host.remove();
    draw();
    stylesheet().then(mount);
  }

  /** Runs `fn` once the browser is idle (at most `ms` later): after the page's own start-up work. */
  const idle = (fn, ms) => (w.requestIdleCallback ? requestIdleCallback(fn, { timeout: ms }) : setTimeout(fn, 0));
  /** The launcher's remembered look and whether the visitor has a conversation (read once, at idle time); what
   *  draws the launcher: its rules (www/launcher.css) and its name in every language (i18n/*.json), the module
   *  dist/launcher.js (scripts/launcher-module.mjs), imported rather than carried in this loader (2 KB budget). */
  let look = "", resume, drawing, waiting = true;
  const whenLoaded = () => {
    if (!waiting) return;
    waiting = false;
    // Nothing during the page's start-up: reading localStorage the first time is a synchronous round trip to the
    // browser (measured: 4-30 ms at 4x throttling) and drawing costs about as much again, so both wait until the
    // page has loaded and the browser is idle, each in a task of its own (in one, with the frame that draws the
    // launcher, they made a long animation frame: 50-75 ms at 4x throttling).
    idle(() => {
      look = stored("look") || "";
      resume = stored("conversation_id");
      import(base + "/dist/launcher.js").then(
        (m) => {
          drawing = m;
          idle(drawn, 500);
        },
        () => unreachable("launcher.js", "script"),
      );
    }, 1000);
  };
  const drawn = () => {
    draw();
    // Commands given before the loader ran (the stub's queue) or before the launcher existed: listeners and
    // show/hide take effect now, the others wait for the widget (and start loading it).
    const early = queue;
    queue = [];
    for (let i = 0; i < early.length; i++) api.apply(null, early[i]);
    // Otherwise nothing loads before it is needed (a page view where nobody opens the chat costs the launcher
    // only), except for a returning visitor with a conversation: it is followed live while the panel is closed
    // (an agent may reply, and the launcher shows the unread count), so the widget loads once the page is idle.
    if (resume) idle(start, 3000);
  };
  if (d.readyState === "complete") whenLoaded();
  else {
    w.addEventListener("load", whenLoaded, { once: true });
    // A page whose `load` never comes (a request that hangs) still gets its launcher.
    setTimeout(whenLoaded, LOAD_WAIT_MS);
  }
})();
