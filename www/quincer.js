/*! Quincer chat widget loader. Embed:
 *  <script async src="https://YOUR-QUINCER-HOST/quincer.js" data-widget-key="cw_live_..."></script>
 * Creates an isolated Shadow DOM host, loads the WebAssembly widget when the page is idle, and exposes
 * window.Quincer(command) — "open", "close", "toggle" — queueing commands given before the widget is ready. */
(function () {
  "use strict";
  var w = window, d = document;
  if (w.Quincer && w.Quincer.loaded) return; // a second copy of the snippet is a no-op
  var script = d.currentScript || d.querySelector("script[data-widget-key]");
  if (!script) return console.error("Quincer: cannot find the <script data-widget-key> tag that loaded the widget.");
  var base = (script.getAttribute("data-api-base") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var key = (script.getAttribute("data-widget-key") || "").trim();
  var queue = (w.Quincer && w.Quincer.q) || [];
  var handle = null;
  var api = function (command) {
    if (!handle) return void queue.push(arguments);
    if (typeof handle[command] === "function" && /^(open|close|toggle)$/.test(command)) return handle[command]();
    console.warn("Quincer: unknown command " + JSON.stringify(command) + ' (use "open", "close" or "toggle").');
  };
  api.loaded = true;
  w.Quincer = api;

  // Single-page apps change the URL without reloading; tell the widget (it re-picks the persona by URL).
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      w.dispatchEvent(new Event("quincer:navigate"));
      return result;
    };
  });

  var host = d.createElement("div");
  host.setAttribute("data-quincer-widget", "");
  host.style.cssText = "all:initial;position:fixed;width:0;height:0;bottom:0;right:0;z-index:2147483000;";
  var root = host.attachShadow({ mode: "open" });

  function boot() {
    (d.body || d.documentElement).appendChild(host);
    // The stylesheet loads alongside the code, and the widget is drawn only once it is there (no unstyled flash).
    var css = d.createElement("link");
    css.rel = "stylesheet";
    css.href = base + "/dist/quincer.css";
    var styled = new Promise(function (done) { css.onload = css.onerror = done; });
    root.appendChild(css);
    import(base + "/dist/quincer_widget.js")
      .then(function (m) {
        return Promise.all([m.default({ module_or_path: base + "/dist/quincer_widget_bg.wasm" }), styled]).then(function () {
          handle = m.mount(root, { widgetKey: key, apiBase: base, pageUrl: location.href });
          while (queue.length) api.apply(null, queue.shift());
        });
      })
      .catch(function (e) {
        // mount() has already logged a refused key; anything else is a loading failure.
        if (typeof e !== "string") console.error("Quincer: could not load the widget from " + base + ": " + e);
      });
  }
  function whenIdle() {
    if (w.requestIdleCallback) w.requestIdleCallback(boot, { timeout: 2000 });
    else setTimeout(boot, 200);
  }
  if (d.readyState === "complete") whenIdle();
  else w.addEventListener("load", whenIdle, { once: true });
})();
