// The least launcher with the features the loader must keep, for comparison in part 2 (docs/PERFORMANCE.md,
// "Fourth step"): BENCH_ALT_LOADER=bench/reference-launcher.js node bench/run.mjs 2. After `load`, at idle: reads
// the remembered look and conversation from localStorage; at the next idle: a host with the loader's inline styles,
// a shadow root with the launcher's rules as a constructed stylesheet, a named button with the SVG icon. No API,
// no queue, no listeners, no language choice.
addEventListener("load", function () { requestIdleCallback(function () {
  var look = localStorage.getItem("quincer:k:look") || "", resume = localStorage.getItem("quincer:k:conversation_id");
  requestIdleCallback(function () {
  var host = document.createElement("div"), b = document.createElement("button"), root = host.attachShadow({ mode: "open" });
  host.style.cssText = "all:initial!important;display:block!important;position:fixed!important;width:0!important;height:0!important;bottom:0!important;right:0!important;z-index:2147483647!important";
  var s = new CSSStyleSheet(); s.replaceSync("svg{width:24px;height:24px;fill:currentColor}.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border:0;border-radius:50%;cursor:pointer;display:grid;place-items:center;box-shadow:0 6px 20px rgba(0,0,0,.2);transition:transform .15s;background:#4f46e5;color:#fff}:host(.left) .launcher{right:auto;left:20px}.launcher:hover{transform:scale(1.06)}.launcher:focus-visible{outline:3px solid #2563eb;outline-offset:2px}@media (max-width:479px){.launcher{right:16px;bottom:calc(16px + env(safe-area-inset-bottom))}:host(.left) .launcher{left:16px}}@media (prefers-reduced-motion:reduce){.launcher{transition:none}}"); root.adoptedStyleSheets = [s];
  b.className = "launcher"; b.type = "button"; b.setAttribute("aria-label", "Open chat");
  b.innerHTML = "<svg viewBox=\"0 0 24 24\" aria-hidden=\"true\"><path d=\"M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z\"/></svg>";
  root.appendChild(b); document.body.appendChild(host);
  }, { timeout: 500 });
}, { timeout: 1000 }); });