/*! Quincer chat widget loader. Embed:
 *  <script async src="https://YOUR-QUINCER-HOST/quincer.js" data-widget-key="cw_live_..."></script>
 * Draws the launcher inside an isolated shadow root once the page has loaded and is idle, and loads the WebAssembly
 * widget only when it is needed: the visitor reaches for the launcher, the page gives a command, or a returning
 * visitor has a conversation to follow. Runs window.Quincer(command, ...) — queued until the widget is ready.
 * API and events: docs/EMBED.md "Host page API", types: quincer.d.ts. */
(function () {
  "use strict";
  var w = window, d = document;
  if (w.Quincer && w.Quincer.loaded) return; // a second copy of the snippet is a no-op
  var script = d.currentScript || d.querySelector("script[data-widget-key]");
  if (!script) return console.error("Quincer: cannot find the <script data-widget-key> tag that loaded the widget.");
  var base = (script.getAttribute("data-api-base") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var key = (script.getAttribute("data-widget-key") || "").trim();
  // Host pages may have patched Array.prototype: only indexes and plain loops on arrays here.
  var queue = (w.Quincer && w.Quincer.q) || [];
  var handle = null, ready = false, started = false, host, root, launcher, handlers = [];
  var prefix = "quincer:" + key + ":";
  // The launcher's name before the widget (and its strings) loads, by language. Source: English only; build.sh
  // writes every language's `launcher.open` from i18n/*.json here (scripts/loader-labels.mjs).
  var OPEN_LABELS = { en: "Open chat" };
  var COMMANDS = "open close toggle identify sendMessage setLocale shutdown";
  /** The longest the launcher waits for the page's `load` event. */
  var LOAD_WAIT_MS = 5000;

  function api(command, arg, fn) {
    if (command === "on" || command === "off") {
      if (typeof fn !== "function") return console.warn("Quincer: " + command + " takes an event name and a function.");
      for (var i = 0; i < handlers.length; i++) {
        var h = handlers[i];
        if (h && h[0] === arg && h[1] === fn) {
          w.removeEventListener("quincer:" + arg, h[2]);
          handlers[i] = null;
        }
      }
      if (command === "off") return;
      var relay = function (e) { fn(e.detail); };
      handlers[handlers.length] = [arg, fn, relay];
      return w.addEventListener("quincer:" + arg, relay);
    }
    if (!host) return void (queue[queue.length] = arguments); // before the launcher exists: replayed then
    if (command === "show" || command === "hide") return void host.style.setProperty("display", command === "hide" ? "none" : "block", "important");
    if (typeof command !== "string" || /\s/.test(command) || (" " + COMMANDS + " ").indexOf(" " + command + " ") < 0) {
      return console.warn("Quincer: unknown command \"" + command + "\"; use one of: " + COMMANDS + " show hide on off.");
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
  function followHistory() {
    var names = ["pushState", "replaceState"];
    for (var n = 0; n < 2; n++) (function (name) {
      var original = history[name];
      history[name] = function () {
        var result = original.apply(this, arguments);
        w.dispatchEvent(new Event("quincer:navigate"));
        return result;
      };
    })(names[n]);
  }

  /** Reads a `localStorage` entry of this widget, or writes it when `value` is given; storage may be missing or
   *  throw (sandboxed frames, some private modes), which reads as "nothing stored". */
  function stored(slot, value) {
    try {
      var s = w.localStorage;
      return value == null ? s.getItem(prefix + slot) : s.setItem(prefix + slot, value);
    } catch (e) {}
  }

  // Ready means booted (session accepted): queued commands then run in order, after every `ready` handler.
  w.addEventListener("quincer:ready", function () {
    ready = true;
    // The widget has painted the launcher (side, theme, colour, label): remember that look, so that later pages
    // draw the same launcher without loading the widget. Newline-separated: a page may have patched JSON/toJSON.
    var b = root.querySelector(".launcher");
    if (b) {
      stored("look", host.className + "\n" + b.style.background + "\n" + b.style.color + "\n" +
        (b.getAttribute("aria-expanded") === "false" ? b.title : ""));
    }
    Promise.resolve().then(function () {
      while (queue.length) api.apply(null, Array.prototype.shift.call(queue));
    });
  });

  /** The shadow root with the stylesheet and the launcher; the widget takes the launcher over once it boots. */
  function draw() {
    host = d.createElement("div");
    host.setAttribute("data-quincer-widget", "");
    // !important inline styles win over any page rule (`* { all: unset !important }`, `div { display: none }`).
    host.style.cssText = "all:initial!important;display:block!important;position:fixed!important;width:0!important;" +
      "height:0!important;bottom:0!important;right:0!important;z-index:2147483647!important";
    root = host.attachShadow({ mode: "open" });
    var css = d.createElement("link");
    css.rel = "stylesheet";
    css.href = base + "/dist/quincer.css";
    root.appendChild(css);
    // Not a public key: no launcher; the widget explains the problem in the console (it knows each case).
    if (key.indexOf("cw_live_") !== 0) return attach(), start();
    launcher = d.createElement("button");
    launcher.className = "launcher";
    launcher.type = "button";
    launcher.setAttribute("data-testid", "quincer-launcher");
    launcher.setAttribute("aria-expanded", "false");
    // Hidden until its stylesheet has loaded (a shadow root's stylesheet does not hold back rendering): no frame
    // draws an unstyled button, and the first frame with the launcher is the only one that lays it out.
    launcher.hidden = true;
    css.onload = function () { launcher.hidden = false; };
    css.onerror = function () {
      console.error("Quincer: could not load " + css.href + "; check data-api-base, and that the page's " +
        "Content-Security-Policy allows stylesheets from it (style-src).");
    };
    // A constant: no page or server text goes through innerHTML.
    launcher.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
    // The look the widget last painted on this site (first visit: the stylesheet's), set as properties, never as
    // markup. The widget repaints it when it boots.
    var parts = look.split("\n");
    host.className = parts[0];
    launcher.style.background = parts[1] || "";
    launcher.style.color = parts[2] || "";
    launcher.title = parts[3] || "";
    // In the language the session will likely start in: the page's setLocale, else the browser's.
    var lang = (queuedLocale() || navigator.language || "").split("-")[0].toLowerCase();
    launcher.setAttribute("aria-label", parts[3] || (typeof OPEN_LABELS[lang] === "string" ? OPEN_LABELS[lang] : OPEN_LABELS.en));
    // Until the widget has booted, a click asks for it (and opens it once ready); afterwards the widget handles it.
    launcher.addEventListener("click", function () { if (!ready) api("toggle"); });
    // The first sign of intent starts loading: the pointer over the launcher or a finger on it (touchstart for
    // browsers without pointer events), keyboard focus. The click itself then waits less, or not at all.
    var intents = ["pointerenter", "pointerdown", "touchstart", "focus"];
    for (var i = 0; i < 4; i++) launcher.addEventListener(intents[i], start, { passive: true });
    root.appendChild(launcher);
    attach();
  }

  /** Puts the host, its shadow tree complete, into the page: one insertion, one style and layout pass. */
  function attach() {
    (d.body || d.documentElement).appendChild(host);
  }

  /** Fetches and compiles the widget (once), then mounts it. */
  function start() {
    if (started) return;
    started = true;
    followHistory();
    import(base + "/dist/quincer_widget.js")
      .then(function (m) {
        return m.default({ module_or_path: base + "/dist/quincer_widget_bg.wasm" }).then(function () {
          mount = function () {
            handle = m.mount(root, { widgetKey: key, apiBase: base, pageUrl: location.href, locale: queuedLocale() });
          };
          mount();
        });
      })
      .catch(function (e) {
        // mount() has already logged a refused key; anything else is a loading failure. Either way the page is
        // left as it was.
        if (typeof e !== "string") console.error("Quincer: could not load the widget from " + base + ": " + e);
        host.remove();
      });
  }
  var mount;

  /** The language of the last `setLocale` waiting in the queue: the session starts in it (no redraw on ready). */
  function queuedLocale() {
    var tag;
    for (var i = 0; i < queue.length; i++) if (queue[i][0] === "setLocale") tag = queue[i][1];
    // A malformed tag is the widget's to report (when the command is replayed); the session starts without it.
    return typeof tag === "string" && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(tag) ? tag : undefined;
  }

  /** Forgets the visitor (stored token and conversation) and starts over with a fresh widget. */
  function shutdown() {
    handle.shutdown();
    ready = false;
    host.remove();
    draw();
    mount();
  }

  /** Runs `fn` once the browser is idle (at most `ms` later): after the page's own start-up work. */
  function idle(fn, ms) {
    if (w.requestIdleCallback) w.requestIdleCallback(fn, { timeout: ms });
    else setTimeout(fn, 0);
  }
  /** The launcher's remembered look, and whether the visitor has a conversation: read once, at idle time. */
  var look = "", resume, waiting = true;
  function whenLoaded() {
    if (!waiting) return;
    waiting = false;
    // Nothing during the page's start-up: reading localStorage the first time is a synchronous round trip to the
    // browser (measured: 4-30 ms at 4x throttling) and drawing costs about as much again, so both wait until the
    // page has loaded and the browser is idle, each in a task of its own (in one, with the frame that draws the
    // launcher, they made a long animation frame: 50-75 ms at 4x throttling).
    idle(function () {
      look = stored("look") || "";
      resume = stored("conversation_id");
      idle(drawn, 500);
    }, 1000);
  }
  function drawn() {
    draw();
    // Commands given before the loader ran (the stub's queue) or before the launcher existed: listeners and
    // show/hide take effect now, the others wait for the widget (and start loading it).
    var early = queue;
    queue = [];
    for (var i = 0; i < early.length; i++) api.apply(null, early[i]);
    // Otherwise nothing loads before it is needed (a page view where nobody opens the chat costs the launcher
    // only), except for a returning visitor with a conversation: it is followed live while the panel is closed
    // (an agent may reply, and the launcher shows the unread count), so the widget loads once the page is idle.
    if (resume) idle(start, 3000);
  }
  if (d.readyState === "complete") whenLoaded();
  else {
    w.addEventListener("load", whenLoaded, { once: true });
    // A page whose `load` never comes (a request that hangs) still gets its launcher.
    setTimeout(whenLoaded, LOAD_WAIT_MS);
  }
})();
