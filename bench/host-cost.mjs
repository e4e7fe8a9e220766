// Part 2, cost to the host page: main-thread time and long tasks during the first 5 s of the demo page, under 4x
// CPU throttling and without interaction, with the snippet and without it (the same page, the tag removed).
import { launch, median } from "./lib/browser.mjs";

const WINDOW_MS = 5000;
const THROTTLE = 4;
/** Runs per variant, interleaved so that machine noise hits both alike. */
const RUNS = Number(process.env.BENCH_RUNS) || 5;
/** The widget may add this much main-thread time to the page's first 5 s. */
const EXTRA_BUDGET_MS = 5;
/** Files of the widget, for attributing long animation frames to it. */
const WIDGET_FILES = /\/(quincer\.js|dist\/)/;

/** In the page, from the start: long tasks, and long animation frames with the scripts that ran in them. */
const OBSERVE = () => {
  window.__bench = { longTasks: [], frames: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__bench.frames.push({
        start: e.startTime, duration: e.duration,
        scripts: e.scripts.map((s) => ({ url: s.sourceURL, duration: s.duration, invoker: s.invoker })),
      });
    }
  }).observe({ type: "long-animation-frame", buffered: true });
};

async function once(browser, url, withSnippet) {
  const context = await browser.newContext();
  const page = await context.newPage();
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
  await cdp.send("Performance.enable");
  const metric = async () => Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
  const before = await metric();
  const start = Date.now();
  await page.goto(url);
  await page.waitForTimeout(Math.max(0, WINDOW_MS - (Date.now() - start)));
  const after = await metric();
  const seen = await page.evaluate(() => window.__bench);
  // A cross-process navigation starts the counters afresh; otherwise subtract about:blank's share.
  const delta = (k) => 1000 * (after[k] >= before[k] ? after[k] - before[k] : after[k]);
  const widgetFrames = seen.frames.filter((f) => f.scripts.some((s) => WIDGET_FILES.test(s.url)));
  await context.close();
  return {
    task: delta("TaskDuration"),
    script: delta("ScriptDuration"),
    longTasks: seen.longTasks.length,
    longestTask: Math.max(0, ...seen.longTasks.map((t) => t.duration)),
    widgetFrames: widgetFrames.length,
    longestWidgetFrame: Math.max(0, ...widgetFrames.map((f) => f.duration)),
  };
}

/** @returns {Promise<import("./lib/table.mjs").Row[]>} */
export async function run(server) {
  const browser = await launch();
  const runs = { with: [], without: [] };
  try {
    for (let i = 0; i < RUNS; i++) {
      runs.without.push(await once(browser, server.demoUrl, false));
      runs.with.push(await once(browser, server.demoUrl, true));
    }
  } finally {
    await browser.close();
  }
  const m = (variant, k) => median(runs[variant].map((r) => r[k]));
  const part = "2 host page";
  return [
    { part, figure: "main-thread time, no snippet", value: m("without", "task"), unit: "ms" },
    { part, figure: "main-thread time, with snippet", value: m("with", "task"), unit: "ms" },
    { part, figure: "extra main-thread time", value: m("with", "task") - m("without", "task"), unit: "ms",
      limit: EXTRA_BUDGET_MS, note: `medians of ${RUNS} runs each, ${THROTTLE}x CPU throttling, first ${WINDOW_MS / 1000} s` },
    { part, figure: "extra script time", value: m("with", "script") - m("without", "script"), unit: "ms" },
    { part, figure: "extra long tasks (count)", value: m("with", "longTasks") - m("without", "longTasks"), unit: "" },
    { part, figure: "long frames running widget code", value: m("with", "widgetFrames"), unit: "", limit: 0,
      note: `longest ${median(runs.with.map((r) => r.longestWidgetFrame)).toFixed(0)} ms (median over runs)` },
  ];
}
