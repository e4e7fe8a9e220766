//# allFunctionsCalledOnLoad
/*! Quincer chat widget loader. Embed:
 *  <script async src="https://YOUR-QUINCER-HOST/quincer.js" data-widget-key="cw_live_..."></script>
 * Draws the launcher inside an isolated shadow root once the page has loaded and is idle, and loads the WebAssembly
 * widget only when it is needed: the visitor reaches for the launcher, the page gives a command, or a returning
 * visitor has a conversation to follow. Runs window.Quincer(command, ...) — queued until the widget is ready.
 * API and events: docs/EMBED.md "Host page API", types: quincer.d.ts. */
// Modern syntax (the widget itself needs dynamic import and WebAssembly): every byte here is on every page view.
// The first line is V8's explicit compile hint (kept by build.sh's minifier): it compiles this file's functions
// eagerly while the script streams in, off the page's main thread, instead of each one lazily on its first call
// there (the idle tasks that draw the launcher).
(() => {
  const w = window, d = document;
  if (w.Quincer && w.Quincer.loaded) return; // a second copy of the snippet is a no-op
  const script = d.currentScript || d.querySelector("script[data-widget-key]");
  if (!script) return console.error("Quincer: no <script data-widget-key> tag found.");
  const base = (script.getAttribute("data-api-base") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  const key = (script.getAttribute("data-widget-key") || "").trim();
  // Host pages may have patched Array.prototype: only indexes and plain loops on arrays here (no for-of, no spread).
  let queue = (w.Quincer && w.Quincer.q) || [];
  let started = false, host, root, launcher;
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
    if (!state.ready) {
      queue[queue.length] = arguments;
      return start();
    }
    state.run(command, arg);
  }
  api.loaded = true;
  w.Quincer = api;

  /** Reads a `localStorage` entry of this widget, or writes it when `value` is given; storage may be missing or
   *  throw (sandboxed frames, some private modes), which reads as "nothing stored". */
  const stored = (slot, value) => {
    try {
      const s = w.localStorage;
      return value == null ? s.getItem(prefix + slot) : s.setItem(prefix + slot, value);
    } catch (e) {}
  };

  /** What the loader shares with dist/start.js (www/start.js), the part that loads the widget: the loader's state
   *  and functions it works with; start.js adds `ready` (the widget has booted), `run` (a command for the booted
   *  widget) and `booted` (what the `ready` event does). */
  const state = {
    base,
    key,
    stored,
    api,
    draw,
    root: () => root,
    queue: () => queue,
    locale: queuedLocale,
  };
  // Ready means booted (session accepted): queued commands then run in order, after every `ready` handler. Listened
  // to from the start, as before the loading code moved to start.js (its place among the page's listeners).
  w.addEventListener("quincer:ready", () => state.booted());

  /** The shadow root with the launcher, styled inline; the widget takes the launcher over once it boots. */
  function draw() {
    host = d.createElement("div");
    host.setAttribute("data-quincer-widget", "");
    // !important inline styles win over any page rule (`* { all: unset !important }`, `div { display: none }`).
    // Until the widget mounts (start.js adds `all:initial`, which sets every property), only what could hide,
    // move or disable the launcher: `all` alone is hundreds of declarations for every page view to apply.
    host.style.cssText = "display:block!important;position:fixed!important;width:0!important;height:0!important;" +
      "bottom:0!important;right:0!important;z-index:2147483647!important;visibility:visible!important;" +
      "pointer-events:auto!important;opacity:1!important;filter:none!important;transform:none!important;" +
      "clip-path:none!important";
    root = host.attachShadow({ mode: "open" });
    // Not a public key: no launcher; the widget explains the problem in the console (it knows each case).
    if (key.indexOf("cw_live_")) return attach(), start();
    launcher = d.createElement("button");
    launcher.className = "launcher";
    launcher.type = "button";
    launcher.setAttribute("data-testid", "quincer-launcher");
    launcher.setAttribute("aria-expanded", "false");
    // The speech bubble, as one element cut to the icon's path: an SVG costs a page view about twice as much (its
    // parse, elements, layout and paint; bench part 2). The widget puts in its own SVG, which morphs to a cross:
    // clicks go to the button itself, so that one under way while the widget swaps the icon is not lost.
    const icon = d.createElement("i");
    icon.style.cssText = "width:24px;height:24px;background:currentColor;pointer-events:none;" +
      'clip-path:path("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z")';
    launcher.appendChild(icon);
    // The look the widget last painted on this site, set as properties, never as markup. The widget repaints it
    // when it boots.
    const parts = look.split("\n");
    host.className = parts[0];
    launcher.title = parts[3] || "";
    // No stylesheet at page view: the widget's (quincer.css, with the launcher's rules) comes when it loads, and
    // start.js then drops this inline style.
    launcher.style.cssText = (` ${parts[0]} `.indexOf(" left ") < 0 ? "right:" : "left:") + FIRST_PAINT;
    if (parts[1]) launcher.style.background = parts[1];
    if (parts[2]) launcher.style.color = parts[2];
    // In the language the session will likely start in: the page's setLocale, else the browser's.
    const lang = (queuedLocale() || navigator.language || "").split("-")[0].toLowerCase();
    launcher.setAttribute("aria-label", parts[3] || (typeof labels[lang] === "string" ? labels[lang] : labels.en));
    // Until the widget has booted, a click asks for it (and opens it once ready); afterwards the widget handles it.
    launcher.addEventListener("click", () => state.ready || api("toggle"));
    // The first sign of intent starts loading: the pointer over the launcher or a finger on it (touchstart for
    // browsers without pointer events), keyboard focus. The click itself then waits less, or not at all.
    const intents = ["pointerenter", "pointerdown", "touchstart", "focus"];
    for (let i = 0; i < 4; i++) launcher.addEventListener(intents[i], start, { passive: true });
    root.appendChild(launcher);
    attach();
  }

  /** Puts the host, its shadow tree complete, into the page: one insertion, one style and layout pass. */
  const attach = () => (d.body || d.documentElement).appendChild(host);

  /** Fetches the widget's module and, side by side, start.js, which compiles the widget, links its stylesheet and
   *  mounts it. */
  function start() {
    if (started) return;
    started = true;
    Promise.all([import(base + "/dist/start.js"), import(base + "/dist/quincer_widget.js")])
      .then((m) => m[0].default(state, m[1]))
      .catch((e) => {
        // mount() has already logged a refused key, start.js a stylesheet it could not load (""); anything else is
        // a loading failure. Either way the page is left as it was.
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

  /**
   * The launcher as the rules in quincer.css draw it, as an inline style until the widget has loaded them: a page
   * view where nobody reaches for the chat parses no stylesheet (bench part 2; e2e lazy-load.spec checks that the
   * launcher looks the same before and after). The phones' rules (max-width 479px) without a media query:
   * `(100vw - 479.5px) * 1e4` is a length far below zero on a phone and far above on a wider screen, so clamp()
   * picks 16px or 20px, and min() adds the home indicator's inset on phones only. Hover and keyboard-focus rules
   * need the stylesheet: the first sign of intent loads it with the widget.
   */
  const EDGE = "clamp(16px,(100vw - 479.5px)*1e4,20px)";
  /** Follows "right:" or "left:" (the host's class `left`, as `:host(.left)`). */
  const FIRST_PAINT = `${EDGE};bottom:calc(${EDGE} + min(env(safe-area-inset-bottom,0px),max(0px,(479.5px - 100vw)*1e4)));` +
    "z-index:2147483000;position:fixed;width:56px;height:56px;border:0;border-radius:50%;cursor:pointer;" +
    "display:grid;place-items:center;box-shadow:0 6px 20px rgba(0,0,0,.2);background:#4f46e5;color:#fff;";
  /** Runs `fn` once the browser is idle (at most `ms` later): after the page's own start-up work. */
  const idle = (fn, ms) => (w.requestIdleCallback ? requestIdleCallback(fn, { timeout: ms }) : setTimeout(fn, 0));
  /** The launcher's name in every language (`launcher.open` of i18n/*.json). build.sh writes it in here
   *  (scripts/inline-launcher.mjs): carried by the loader, it costs the page no second module to fetch, compile and
   *  run before the launcher shows. The source has English only. */
  const labels = { en: "Open chat" };
  /** The launcher's remembered look and whether the visitor has a conversation (read once, at idle time). */
  let look = "", resume, waiting = true;
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
      idle(drawn, 500);
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
