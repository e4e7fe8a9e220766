// Part 4, streaming render: a 4,000-token answer in 1,000 deltas, served from the page itself (its `fetch` of
// /api/chat answers a UI message stream built in the page), one delta per task as a network would deliver them.
// The stream pauses at the edges of the first and last 10% of deltas, where the DevTools protocol's cumulative
// main-thread counters are read: script time (and all main-thread time) per delta in each window. In the page we
// also time the widget's synchronous work per chunk, from handing it to the reader until it reads again.
import { READY_PROBE, boot, launch, median } from "./lib/browser.mjs";
import { markdown } from "./lib/markdown.mjs";

const DELTAS = 1000;
/** About four characters per token. */
const CHARS = 4000 * 4;
/** The last 10% of deltas may cost at most this many times the first 10%. */
const GROWTH_BUDGET = 1.5;
/** Pause at each stop before reading the counters, so the last delta's frame is counted. */
const SETTLE_MS = 200;

/** In the page: answers `/api/chat` with the given SSE events, one event per task, timing the reader. */
const FAKE_CHAT = ({ events, stops }) => {
  const real = window.fetch.bind(window);
  // `at`: the event the stream is paused before; `go()` resumes it.
  window.__benchStream = { work: [], done: false, at: -1, go: null };
  window.fetch = function (input, init) {
    const url = typeof input === "string" ? input : input.url;
    if (!new URL(url, location.href).pathname.endsWith("/api/chat")) return real(input, init);
    const encoder = new TextEncoder();
    let i = 0, handedAt = null;
    const body = new ReadableStream({
      // Called when the widget's reader asks for more: it is done with the previous chunk.
      pull(controller) {
        if (handedAt !== null) window.__benchStream.work.push(performance.now() - handedAt);
        handedAt = null;
        if (i === events.length) {
          window.__benchStream.done = true;
          controller.close();
          return;
        }
        const hand = (ok) => setTimeout(() => {
          handedAt = performance.now();
          controller.enqueue(encoder.encode(`data: ${events[i++]}\n\n`));
          ok();
        }, 0);
        if (!stops.includes(i)) return new Promise(hand);
        return new Promise((ok) => {
          window.__benchStream.go = () => hand(ok);
          window.__benchStream.at = i;
        });
      },
    }, { highWaterMark: 0 });
    return Promise.resolve(new Response(body, {
      status: 200, headers: { "content-type": "text/event-stream", "x-vercel-ai-ui-message-stream": "v1" },
    }));
  };
};

/** The UI message stream of an answer cut into `DELTAS` deltas. */
function events() {
  const text = markdown(CHARS, 7);
  const step = text.length / DELTAS;
  const deltas = Array.from({ length: DELTAS }, (_, i) => text.slice(Math.round(i * step), Math.round((i + 1) * step)));
  const chunk = (o) => JSON.stringify(o);
  return {
    text,
    events: [
      chunk({ type: "start", messageId: "msg_benchstreamxxxxxxxxx" }),
      chunk({ type: "text-start", id: "t0" }),
      ...deltas.map((delta) => chunk({ type: "text-delta", id: "t0", delta })),
      chunk({ type: "text-end", id: "t0" }),
      chunk({ type: "finish" }),
      "[DONE]",
    ],
  };
}

/** @returns {Promise<import("./lib/table.mjs").Row[]>} */
export async function run(server) {
  const { text, events: stream } = events();
  const tenth = Math.round(DELTAS / 10);
  const browser = await launch();
  const counters = [];
  let work;
  try {
    const page = await browser.newPage();
    await page.addInitScript(READY_PROBE);
    // Pauses before the first delta (event 2), after the first tenth, before the last tenth, and after the last.
    const stops = [2, 2 + tenth, 2 + DELTAS - tenth, 2 + DELTAS];
    await page.addInitScript(FAKE_CHAT, { events: stream, stops });
    await page.goto(server.demoUrl);
    await boot(page);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    await page.getByTestId("quincer-launcher").click();
    await page.getByTestId("quincer-input").fill("Tell me everything about your jackets.");
    await page.getByTestId("quincer-input").press("Enter");
    for (const stop of stops) {
      await page.waitForFunction((s) => window.__benchStream.at === s, stop, { timeout: 120000 });
      // Let the frame that shows the last delta finish before reading the counters.
      await page.waitForTimeout(SETTLE_MS);
      const m = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((x) => [x.name, x.value]));
      counters.push(m);
      await page.evaluate(() => window.__benchStream.go());
    }
    await page.waitForFunction(() => window.__benchStream.done, null, { timeout: 120000 });
    // The whole answer is on screen (its last words, markdown aside).
    const tail = text.replace(/[*`\[\]()]/g, "").trim().split(/\s+/).slice(-2).join(" ").replace(/[^a-z ]/gi, "");
    const shown = await page.locator('[data-testid="quincer-message"][data-role="assistant"]').last().innerText();
    if (!shown.replace(/[^a-z ]/gi, "").includes(tail)) throw new Error(`the streamed answer did not render (no "${tail}")`);
    work = await page.evaluate(() => window.__benchStream.work);
  } finally {
    await browser.close();
  }
  // work[k] is the widget's time on event k; deltas are events 2 … DELTAS+1.
  const deltas = work.slice(2, 2 + DELTAS);
  // Per delta, in ms, of a cumulative counter (seconds) between two stops.
  const per = (k, a, b) => (1000 * (counters[b][k] - counters[a][k])) / tenth;
  const [first, last] = [per("ScriptDuration", 0, 1), per("ScriptDuration", 2, 3)];
  const [firstTask, lastTask] = [per("TaskDuration", 0, 1), per("TaskDuration", 2, 3)];
  const part = "4 streaming";
  return [
    { part, figure: "script per delta, first 10%", value: first, unit: "ms",
      note: `main thread ${firstTask.toFixed(2)} ms/delta; reader ${median(deltas.slice(0, tenth)).toFixed(2)} ms (median)` },
    { part, figure: "script per delta, last 10%", value: last, unit: "ms",
      note: `main thread ${lastTask.toFixed(2)} ms/delta; reader ${median(deltas.slice(-tenth)).toFixed(2)} ms (median)` },
    { part, figure: "script last / first", value: last / first, unit: "x", limit: GROWTH_BUDGET,
      note: `${DELTAS} deltas, ${text.length} characters, one per task; unthrottled` },
    { part, figure: "main-thread last / first", value: lastTask / firstTask, unit: "x" },
  ];
}
