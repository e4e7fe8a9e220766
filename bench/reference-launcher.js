// The least launcher with the features the loader must keep, for comparison in part 2 (docs/PERFORMANCE.md,
// "Fourth step" to "Sixth step"): BENCH_ALT_LOADER=bench/reference-launcher.js node bench/run.mjs 2. After `load`,
// at idle: reads the remembered look and conversation from localStorage; at the next idle: a host with the loader's
// inline styles, a shadow root, a named button styled inline as the loader does, with the icon cut from one element.
// No API, no queue, no listeners, no language choice, no remembered look applied.
addEventListener("load", function () { requestIdleCallback(function () {
  var look = localStorage.getItem("quincer:k:look") || "", resume = localStorage.getItem("quincer:k:conversation_id");
  requestIdleCallback(function () {
  var host = document.createElement("div"), b = document.createElement("button"), i = document.createElement("i");
  host.style.cssText = "display:block!important;position:fixed!important;width:0!important;height:0!important;" +
    "bottom:0!important;right:0!important;z-index:2147483647!important;visibility:visible!important;" +
    "pointer-events:auto!important;opacity:1!important;filter:none!important;transform:none!important;" +
    "clip-path:none!important";
  b.className = "launcher"; b.type = "button"; b.setAttribute("aria-label", "Open chat");
  b.style.cssText = "right:20px;bottom:20px;z-index:2147483000;position:fixed;width:56px;height:56px;border:0;" +
    "border-radius:50%;cursor:pointer;display:grid;place-items:center;box-shadow:0 6px 20px rgba(0,0,0,.2);" +
    "background:#4f46e5;color:#fff";
  i.style.cssText = "width:24px;height:24px;background:currentColor;pointer-events:none;" +
    'clip-path:path("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z")';
  b.appendChild(i); host.attachShadow({ mode: "open" }).appendChild(b); document.body.appendChild(host);
  }, { timeout: 500 });
}, { timeout: 1000 }); });
