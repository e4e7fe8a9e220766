/*! Quincer chat widget: what the loader (quincer.js) imports once the widget is needed, side by side with the
 * widget's own files. Links the panel's stylesheet into the shadow root, mounts the widget once both are there,
 * follows the page's history, replays the commands given while it loaded, remembers the launcher's look and handles
 * `shutdown`. Kept out of the loader, which every page view downloads and runs (docs/PERFORMANCE.md, part 2). */
// Modern syntax, like the loader. Host pages may have patched Array.prototype: no for-of, no spread on arrays.

/**
 * @param {object} state what the loader shares: `base`, `key`, `stored`, `api`, `draw`, `root()`, `queue()`,
 *   `locale()`; this module sets `ready` (the widget has booted), `run` (a command for the booted widget) and
 *   `booted` (what the `ready` event does).
 * @param {object} widget the widget's module (dist/quincer_widget.js), whose wasm this compiles
 * @returns {Promise<void>} settles once the widget is mounted, or rejects: with "" when the error is logged already
 */
export default (state, widget) => {
  const base = state.base;
  let sheet, handle, mount;

  /** Single-page apps change the URL without reloading; tells the widget (it re-picks the persona by URL). Done
   *  when the widget loads: until then there is nobody to tell, and the page's history is left untouched. */
  const wrap = (name) => {
    const original = history[name];
    history[name] = function () {
      const result = original.apply(this, arguments);
      dispatchEvent(new Event("quincer:navigate"));
      return result;
    };
  };
  wrap("pushState");
  wrap("replaceState");

  /** Links the widget's whole stylesheet (the panel's rules) into the shadow root, once per root; resolves when it
   *  has loaded. The widget mounts only then, so the panel never shows unstyled. */
  const stylesheet = () =>
    sheet ||
    (sheet = new Promise((loaded, failed) => {
      const css = document.createElement("link"), at = state.root();
      css.rel = "stylesheet";
      css.href = base + "/dist/quincer.css";
      css.onload = loaded;
      // Says what could not load and what to check; "" tells the catch below that the error is already logged.
      css.onerror = () =>
        failed(console.error(`Quincer: could not load ${base}/dist/quincer.css: check data-api-base and the page's CSP (style-src).`) || "");
      at.insertBefore(css, at.firstChild);
    }));

  // Ready means booted (session accepted): queued commands then run in order, after every `ready` handler.
  state.booted = () => {
    state.ready = true;
    // The widget has painted the launcher (side, theme, colour, label): remember that look, so that later pages
    // draw the same launcher without loading the widget. Newline-separated: a page may have patched JSON/toJSON.
    const b = state.root().querySelector(".launcher");
    if (b) {
      state.stored("look", `${state.root().host.className}\n${b.style.background}\n${b.style.color}\n` +
        (b.getAttribute("aria-expanded") === "false" ? b.title : ""));
    }
    Promise.resolve().then(() => {
      const queue = state.queue();
      while (queue.length) state.api.apply(null, Array.prototype.shift.call(queue));
    });
  };

  /** A command for the booted widget; `shutdown` forgets the visitor (stored token and conversation) and starts
   *  over with a fresh widget in a fresh shadow root. */
  state.run = (command, arg) => {
    if (command !== "shutdown") return handle[command](arg);
    handle.shutdown();
    state.ready = false;
    state.root().host.remove();
    state.draw();
    sheet = null;
    stylesheet().then(mount);
  };

  // The glue compiles its wasm from beside itself (base + "/dist/quincer_widget_bg.wasm"). The loader reports a
  // failure (and leaves the page as it was).
  return Promise.all([widget.default(), stylesheet()]).then(() => {
    (mount = () => {
      // The stylesheet has the launcher's rules now: the loader's inline first-paint style gives way to them (the
      // side, the states the widget sets), keeping only the colours until the widget paints its own.
      const b = state.root().querySelector(".launcher"), host = state.root().host;
      // The panel's isolation from the page: no inherited style or page rule reaches the host (the loader set only
      // what keeps the launcher visible and usable, to spare every page view the cost of `all`).
      host.style.cssText = "all:initial!important;" + host.style.cssText;
      if (b) {
        const s = b.style, background = s.background, color = s.color;
        b.removeAttribute("style");
        s.background = background;
        s.color = color;
      }
      handle = widget.mount(state.root(), { widgetKey: state.key, apiBase: base, pageUrl: location.href, locale: state.locale() });
    })();
  });
};
