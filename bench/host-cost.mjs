// Part 2, cost to the host page: main-thread time and long tasks during the first 2 s of the demo page, under 4x
// CPU throttling and without interaction, with the snippet and without it (the same page, the tag removed).
//
// Whole-page totals differ by ±100 ms between two loads of the same page (IPC, layout and GC timing), far more than
// the widget's share, so the budget is on the time attributable to the widget, read from a DevTools trace of the
// page's main thread: every task in which the widget's code ran or its stylesheet was parsed (only its function's
// own time where it was one listener among the page's, as for the `load` event), and the rendering frame after each
// that may have changed the page (the demo page is static after load, so that frame draws the widget's changes).
// The with/without difference of the totals is still reported, as a cross-check, and a bare launcher measured the
// same way as the floor. Beside the wall time of those tasks, their thread (CPU) time: it leaves out the time the
// thread waited (a synchronous round trip to the browser) or was descheduled by the machine's other work, so it
// moves less between runs and tells a change in the widget from the machine's noise.
import { readFileSync, writeFileSync } from "node:fs";
import { launch, median } from "./lib/browser.mjs";

/** The page view measured: its first 2 s (the launcher is drawn within the first second at 4x throttling; a load
 *  without it fails the run). Shorter windows leave time for more loads, which the spread between loads needs. */
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS) || 2000;
const THROTTLE = 4;
/**
 * Runs per variant, interleaved and each round in another order, so that machine noise hits every variant alike.
 * Thirty: one load's figure ranges over 2x for the same loader, so few loads let two loaders' medians come out
 * either way. Even with thirty, the ratio to the floor moves by about a fifth between runs (docs/PERFORMANCE.md,
 * part 2's fifth step).
 */
const RUNS = Number(process.env.BENCH_RUNS) || 30;
/**
 * The widget may cost the page at most this many times what a bare launcher costs in the same run: absolute
 * milliseconds at 4x throttling are the machine's as much as the widget's (a bare launcher alone measured 15-32 ms
 * on the bench's shared 2-core machine).
 */
const FLOOR_RATIO_BUDGET = 2;
/** Files of the widget, for attributing scripts, stylesheets and long animation frames to it. */
const WIDGET_FILES = /\/(quincer\.(js|css)|dist\/)/;
const TRACE_CATEGORIES = "devtools.timeline,disabled-by-default-devtools.timeline,toplevel";
/** Trace events of the rendering pipeline: a task holding one of these is a frame. */
const RENDERING = new Set(["UpdateLayoutTree", "Layout", "PrePaint", "Paint", "Layerize", "Commit"]);
/**
 * Trace events of the widget that may change the page (its functions running, its stylesheet arriving): the next
 * frame draws what they changed. Not the loader's evaluation, which only registers its API and an idle callback:
 * the frame after it is the page's own (often the page's first, when the script arrives early).
 */
const CHANGES_PAGE = new Set(["FunctionCall", "ParseAuthorStyleSheet"]);
/** A frame this soon after a widget task that changed the page draws its changes. */
const FRAME_AFTER_MS = 200;
const LONG_TASK_MS = 50;

/**
 * The floor: the least any launcher costs, measured the same way. In place of the loader, a script that, once the
 * page has loaded and is idle, draws one button in a shadow root (no stylesheet, no storage, no label).
 */
const BARE_LAUNCHER = `addEventListener("load", function () { requestIdleCallback(function () {
  var host = document.createElement("div"), b = document.createElement("button");
  host.attachShadow({ mode: "open" }).appendChild(b);
  b.style.cssText = "position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%";
  document.body.appendChild(host);
}, { timeout: 1000 }); });`;

/** In the page, from the start: long animation frames with the scripts that ran in them. */
const OBSERVE = () => {
  window.__bench = { frames: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__bench.frames.push({
        start: e.startTime, duration: e.duration,
        scripts: e.scripts.map((s) => ({ url: s.sourceURL, duration: s.duration, invoker: s.invoker })),
      });
    }
  }).observe({ type: "long-animation-frame", buffered: true });
};

/** Records a trace while `during` runs; resolves with its events. */
async function traced(cdp, during) {
  const events = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...e.value));
  const complete = new Promise((ok) => cdp.once("Tracing.tracingComplete", ok));
  await cdp.send("Tracing.start", { categories: TRACE_CATEGORIES, transferMode: "ReportEvents" });
  await during();
  await cdp.send("Tracing.end");
  await complete;
  return events;
}

/** Whether trace event `e` is the widget's: its script running or compiling, or its stylesheet being parsed. */
const isWidget = (e) => {
  const d = e.args?.data || {};
  return WIDGET_FILES.test(d.url || d.scriptName || d.styleSheetUrl || "");
};

/**
 * Main-thread tasks of the page's renderer in `events`: their total, and the share attributable to the widget
 * (tasks running its code or parsing its stylesheet, and the frame after each that may have changed the page).
 */
function mainThread(events, pageUrl) {
  const host = new URL(pageUrl).host;
  const pid = events.find((e) => e.name === "ParseHTML" && (e.args?.beginData?.url || "").includes(host))?.pid;
  const tids = new Set(events.filter((e) => e.pid === pid && e.name === "thread_name" && e.args?.name === "CrRendererMain")
    .map((e) => e.tid));
  const slices = events.filter((e) => e.pid === pid && tids.has(e.tid) && e.ph === "X").sort((a, b) => a.ts - b.ts);
  const tasks = slices.filter((e) => e.name === "ThreadControllerImpl::RunTask");
  const within = (t) => slices.filter((e) => e.ts >= t.ts && e.ts < t.ts + t.dur);
  // Per counted task: [wall time, thread time] in microseconds.
  const widget = new Map();
  const own = (e) => [e.dur, e.tdur ?? e.dur];
  for (const t of tasks) {
    const inside = within(t);
    const ours = inside.filter(isWidget);
    if (!ours.length) continue;
    // A listener of ours among the page's own (the window's `load` event): only our function's time is ours.
    if (inside.some((e) => e.name === "EventDispatch" && ours.some((o) => o.ts >= e.ts && o.ts < e.ts + e.dur))) {
      const calls = ours.filter((e) => e.name === "FunctionCall").map(own);
      widget.set(t, calls.reduce((sum, [wall, cpu]) => [sum[0] + wall, sum[1] + cpu], [0, 0]));
      continue;
    }
    widget.set(t, own(t));
    if (!ours.some((e) => CHANGES_PAGE.has(e.name))) continue;
    const frame = tasks.find((f) => f.ts >= t.ts + t.dur && f.ts < t.ts + t.dur + FRAME_AFTER_MS * 1000 &&
      within(f).some((e) => RENDERING.has(e.name)));
    if (frame) widget.set(frame, own(frame));
  }
  if (process.env.BENCH_DETAIL) {
    const t0 = tasks[0]?.ts || 0;
    for (const [t, [us, cpu]] of widget) {
      const top = within(t).filter((e) => e.dur >= 500 && e !== t).map((e) => `${e.name}${isWidget(e) ? "*" : ""} ${(e.dur / 1000).toFixed(1)}`);
      process.stderr.write(`  task @${((t.ts - t0) / 1000).toFixed(0)} ms: ${(us / 1000).toFixed(1)} ms counted (thread ${(cpu / 1000).toFixed(1)} ms) [${top.slice(0, 12).join(", ")}]\n`);
    }
  }
  const ours = [...widget.values()].map(([us]) => us / 1000);
  return {
    total: tasks.reduce((sum, t) => sum + t.dur / 1000, 0),
    widget: ours.reduce((sum, ms) => sum + ms, 0),
    widgetThread: [...widget.values()].reduce((sum, [, cpu]) => sum + cpu / 1000, 0),
    widgetLongTasks: ours.filter((ms) => ms >= LONG_TASK_MS).length,
    longestWidgetTask: Math.max(0, ...ours),
  };
}

/**
 * Other loaders measured in the same run, for before/after comparisons: BENCH_ALT_LOADER lists their files,
 * comma-separated (BENCH_ALT_CSS: the stylesheet served with them, if any).
 */
const ALT_LOADERS = (process.env.BENCH_ALT_LOADER || "").split(",").filter(Boolean);

/**
 * One page view of `variant`: "without" the snippet, "with" it, with the "floor" in place of the loader, or with
 * "alt<i>", the i-th loader of ALT_LOADERS, in its place.
 */
async function once(browser, url, variant) {
  const withSnippet = variant !== "without";
  const context = await browser.newContext();
  const page = await context.newPage();
  if (variant === "floor") {
    await page.route(/\/quincer\.js$/, (route) => route.fulfill({ contentType: "text/javascript", body: BARE_LAUNCHER }));
  }
  // Another loader (and its stylesheet) in place of ours, measured in the same run: a before/after comparison.
  if (variant.startsWith("alt")) {
    const body = readFileSync(ALT_LOADERS[Number(variant.slice(3))], "utf8");
    await page.route(/\/quincer\.js$/, (route) => route.fulfill({ contentType: "text/javascript", body }));
    if (process.env.BENCH_ALT_CSS) {
      const css = readFileSync(process.env.BENCH_ALT_CSS, "utf8");
      await page.route(/\/dist\/quincer\.css$/, (route) => route.fulfill({ contentType: "text/css", body: css }));
    }
  }
  // Both variants go through the same interception, so that its own cost is not counted as the widget's.
  await page.route(url, async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    const body = withSnippet ? html : html.replace(/<script[^>]*quincer\.js[^>]*><\/script>/, "");
    await route.fulfill({ response, body });
  });
  await page.addInitScript(OBSERVE);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
  const events = await traced(cdp, async () => {
    const start = Date.now();
    await page.goto(url);
    await page.waitForTimeout(Math.max(0, WINDOW_MS - (Date.now() - start)));
  });
  if (process.env.BENCH_DETAIL) process.stderr.write(`${variant}:\n`);
  // The long frames seen, and whether the launcher was drawn: a window that ends before it is drawn would leave
  // the drawing out of the figures.
  const { seen, drawn } = await page.evaluate(() => ({
    seen: window.__bench,
    drawn: [...document.body.children].some((e) => e.shadowRoot),
  }));
  if (withSnippet && !drawn) {
    throw new Error(`part 2: no launcher within the first ${WINDOW_MS} ms of the page (${variant}); raise BENCH_WINDOW_MS`);
  }
  const widgetFrames = seen.frames.filter((f) => f.scripts.some((s) => WIDGET_FILES.test(s.url)));
  await context.close();
  return {
    ...mainThread(events, url),
    widgetFrames: widgetFrames.length,
    longestWidgetFrame: Math.max(0, ...widgetFrames.map((f) => f.duration)),
  };
}

/** @returns {Promise<import("./lib/table.mjs").Row[]>} */
export async function run(server) {
  const browser = await launch();
  // BENCH_NO_WITHOUT=1 leaves out the page without the snippet (a cross-check only): quicker comparisons.
  const runs = { with: [], floor: [], ...(process.env.BENCH_NO_WITHOUT ? {} : { without: [] }) };
  for (let i = 0; i < ALT_LOADERS.length; i++) runs[`alt${i}`] = [];
  try {
    const variants = Object.keys(runs);
    for (let i = 0; i < RUNS; i++) {
      // Round i starts with variant i: none is always the first load after the previous round's.
      for (let j = 0; j < variants.length; j++) {
        const variant = variants[(i + j) % variants.length];
        runs[variant].push(await once(browser, server.demoUrl, variant));
      }
    }
  } finally {
    await browser.close();
  }
  // Every load's figures, for a closer look at the spread (BENCH_RAW=file).
  if (process.env.BENCH_RAW) writeFileSync(process.env.BENCH_RAW, JSON.stringify(runs));
  const m = (variant, k) => median(runs[variant].map((r) => r[k]));
  const spread = (variant) => {
    const totals = runs[variant].map((r) => r.total);
    return Math.max(...totals) - Math.min(...totals);
  };
  const part = "2 host page";
  /** The ratio of `variant`'s median to the floor's, for figure `k`. */
  const toFloor = (variant, k) => m(variant, k) / m("floor", k);
  const alt = ALT_LOADERS.map((file, i) => ({ part, figure: `the same for ${file}`, value: m(`alt${i}`, "widget"),
    unit: "ms", note: `${toFloor(`alt${i}`, "widget").toFixed(2)} x the floor; thread time ` +
      `${m(`alt${i}`, "widgetThread").toFixed(1)} ms, ${toFloor(`alt${i}`, "widgetThread").toFixed(2)} x; ` +
      `${m(`alt${i}`, "widgetFrames")} long frames` }));
  const conditions = `medians of ${RUNS} runs, ${THROTTLE}x CPU throttling, first ${WINDOW_MS / 1000} s`;
  const totals = runs.without ? [
    { part, figure: "main-thread time, no snippet", value: m("without", "total"), unit: "ms",
      note: `runs spread over ${spread("without").toFixed(0)} ms` },
    { part, figure: "main-thread time, with snippet", value: m("with", "total"), unit: "ms",
      note: `runs spread over ${spread("with").toFixed(0)} ms` },
    { part, figure: "difference of the totals", value: m("with", "total") - m("without", "total"), unit: "ms",
      note: "a cross-check only: within the runs' spread" },
  ] : [];
  return [
    ...totals,
    { part, figure: "main-thread time attributable to the widget", value: m("with", "widget"), unit: "ms",
      note: `${conditions}; tasks running its code or parsing its stylesheet, and the frame after each` },
    { part, figure: "the same for a bare launcher (floor)", value: m("floor", "widget"), unit: "ms",
      note: "one unstyled button in a shadow root, drawn at idle time after load: what any launcher costs here" },
    { part, figure: "widget / floor", value: toFloor("with", "widget"), unit: "x",
      limit: FLOOR_RATIO_BUDGET, note: "the medians' ratio, both measured in this run" },
    { part, figure: "thread time of those tasks: widget", value: m("with", "widgetThread"), unit: "ms",
      note: `floor ${m("floor", "widgetThread").toFixed(1)} ms; without waits and descheduling, steadier between runs` },
    { part, figure: "thread time: widget / floor", value: toFloor("with", "widgetThread"), unit: "x",
      note: "the medians' ratio, a cross-check of the budgeted one" },
    ...alt,
    { part, figure: "widget tasks of 50 ms or more", value: m("with", "widgetLongTasks"), unit: "", limit: 0,
      note: `longest widget task ${m("with", "longestWidgetTask").toFixed(1)} ms (median over runs)` },
    { part, figure: "long frames running widget code", value: m("with", "widgetFrames"), unit: "", limit: 0,
      note: `long-animation-frame entries; longest ${m("with", "longestWidgetFrame").toFixed(0)} ms (median over runs)` },
  ];
}
