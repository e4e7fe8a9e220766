// Part 5, long transcript: a 1,000-message conversation (markdown answers, every tenth with a product panel taken
// from a real answer of the demo store) restored from an intercepted transcript endpoint. Timed from the press on
// the launcher until the newest message is in view with the older ones reachable by scrolling; then the JS heap
// after 10 more open/close cycles; then the time to scroll up to the very first message.
import { CLICK_CLOCK, READY_PROBE, WHEN, boot, launch, median } from "./lib/browser.mjs";
import { markdown } from "./lib/markdown.mjs";

const MESSAGES = 1000;
const CYCLES = Number(process.env.BENCH_CYCLES) || 10;
/** Unthrottled, restoring the transcript into the panel may take this long. */
const RENDER_BUDGET_MS = 100;
/** Heap growth after the cycles that still counts as "does not grow" (GC noise). */
const HEAP_GROWTH_BUDGET_PCT = 5;
const CONVERSATION = "conv_bench_long";

/**
 * In the page: the newest message is drawn and inside the scroller's visible area, and the older ones are reachable
 * by scrolling (the scroller overflows; the widget draws a window of the newest messages and the older ones as the
 * visitor scrolls up, see SCROLLED_TO_FIRST).
 */
const NEWEST_IN_VIEW = `(root) => {
  const last = root.querySelector('[data-key="m_${MESSAGES - 1}"]');
  const scroller = root.querySelector(".scroller");
  if (!last || !scroller || scroller.scrollHeight <= scroller.clientHeight) return false;
  const box = last.getBoundingClientRect();
  const view = scroller.getBoundingClientRect();
  return box.bottom <= view.bottom + 1 && box.bottom > view.top;
}`;

/** In the page: scrolls the transcript to its top (again on every check) until the first message is in view. */
const SCROLLED_TO_FIRST = `(root) => {
  const scroller = root.querySelector(".scroller");
  const first = root.querySelector('[data-key="m_0"]');
  if (first) {
    const box = first.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    if (box.top >= view.top - 1 && box.top < view.bottom) return true;
  }
  // A reversed column: the top is the most negative scrollTop.
  scroller.scrollTop = -scroller.scrollHeight;
  return false;
}`;

/** In the page: opens the panel with a click on the launcher, then closes it with its close button, a frame each. */
const CYCLE_IN_PAGE = async () => {
  const root = document.querySelector("[data-quincer-widget]").shadowRoot;
  const frame = () => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
  root.querySelector(".launcher").click();
  await frame();
  if (!root.querySelector('[data-testid="quincer-panel"]')?.checkVisibility()) throw new Error("the panel did not open");
  root.querySelector('[data-testid="quincer-close"]').click();
  await frame();
  if (root.querySelector('[data-testid="quincer-panel"]').checkVisibility()) throw new Error("the panel did not close");
};

/** A real product answer of the demo, for its panel part. */
async function realPanelPart(server) {
  const auth = { Authorization: `Bearer ${server.widgetKey}`, "Content-Type": "application/json" };
  const session = await (await fetch(`${server.url}/api/widget/session`, { method: "POST", headers: auth, body: "{}" })).json();
  const res = await fetch(`${server.url}/api/chat`, {
    method: "POST",
    headers: { ...auth, "Quincer-Visitor-Token": session.visitor_token },
    body: JSON.stringify({ id: "conv_bench_panel", messages: [{ id: "u_panel", role: "user",
      parts: [{ type: "text", text: "Show me waterproof jackets under $150" }] }] }),
  });
  const chunks = (await res.text()).split("\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)));
  const input = chunks.find((c) => c.type === "tool-input-available");
  const output = chunks.find((c) => c.type === "tool-output-available");
  if (!input || !output) throw new Error("the demo answered the product question without a panel");
  return { type: "tool-show_products", toolCallId: input.toolCallId, state: "output-available", input: input.input, output: output.output };
}

function transcript(widgetId, panel) {
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const messages = Array.from({ length: MESSAGES }, (_, i) => {
    const user = i % 2 === 0;
    const text = user ? `Question ${i}: do you have something for wet weather?` : markdown(200 + (i % 7) * 60, i);
    const parts = [{ type: "text", text }];
    if (!user && i % 20 === 1) parts.push({ ...panel, toolCallId: `call_bench${String(i).padStart(15, "0")}` });
    return { object: "message", id: `m_${i}`, role: user ? "user" : "assistant", text, parts, created_at: at };
  });
  return { object: "conversation", id: CONVERSATION, widget_id: widgetId, status: "active", persona_id: null,
    agent: null, last_event_id: 0, created_at: at, updated_at: at, messages };
}

/** @returns {Promise<import("./lib/table.mjs").Row[]>} */
export async function run(server) {
  const body = JSON.stringify(transcript(server.widgetId, await realPanelPart(server)));
  const browser = await launch();
  let first, cycles = [], heap, toFirst;
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(CLICK_CLOCK);
    await page.addInitScript(READY_PROBE);
    await page.route(new RegExp(`/api/widget/conversations/${CONVERSATION}(\\?.*)?$`), (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body }));
    // The live stream of a conversation the server does not have: left pending, as an idle stream would be.
    await page.route(new RegExp(`/api/widget/conversations/${CONVERSATION}/events`), () => {});
    await page.goto(server.demoUrl);
    await boot(page);
    await page.evaluate(([k, id]) => localStorage.setItem(`quincer:${k}:conversation_id`, id), [server.widgetKey, CONVERSATION]);
    await page.reload();
    // A stored conversation: the widget loads without interaction, to follow it.
    await page.evaluate(() => window.__benchReady);
    const launcher = page.getByTestId("quincer-launcher");
    const open = async () => {
      const shown = page.evaluate(WHEN, { check: NEWEST_IN_VIEW, timeout: 30000 });
      await launcher.click();
      const at = await shown;
      return at - (await page.evaluate(() => window.__benchClick));
    };
    const close = async () => {
      await page.getByTestId("quincer-close").click();
      await page.getByTestId("quincer-panel").waitFor({ state: "hidden" });
    };
    const cdp = await context.newCDPSession(page);
    const usedHeap = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      return (await cdp.send("Runtime.getHeapUsage")).usedSize;
    };
    first = await open();
    await close();
    for (let i = 0; i < CYCLES; i++) {
      cycles.push(await open());
      await close();
    }
    // The heap cycles click in the page: each of Playwright's locator actions leaves 1-2 KB of its own state in the
    // page's heap (its injected script), which an in-page click does not (measured over 100 cycles).
    const before = await usedHeap();
    const domBefore = await cdp.send("Memory.getDOMCounters");
    for (let i = 0; i < CYCLES; i++) await page.evaluate(CYCLE_IN_PAGE);
    heap = { before, after: await usedHeap(), domBefore, domAfter: await cdp.send("Memory.getDOMCounters") };
    // Scrolling up from the newest message to the first one, with the panel open.
    await launcher.click();
    await page.evaluate(WHEN, { check: NEWEST_IN_VIEW, timeout: 30000 });
    const start = await page.evaluate(() => performance.now());
    toFirst = (await page.evaluate(WHEN, { check: SCROLLED_TO_FIRST, timeout: 60000 })) - start;
    await context.close();
  } finally {
    await browser.close();
  }
  const growth = heap.after - heap.before;
  const part = "5 transcript";
  return [
    { part, figure: `restore ${MESSAGES} messages: newest in view`, value: first, unit: "ms", limit: RENDER_BUDGET_MS,
      note: "first open after the restore, unthrottled; older messages reachable by scrolling" },
    { part, figure: `reopen, p50 of ${CYCLES}`, value: median(cycles), unit: "ms" },
    { part, figure: "scroll from the newest to message 1", value: toFirst, unit: "ms",
      note: "scrollTop set to the top on every change and frame until the first message is in view" },
    { part, figure: `JS heap growth after ${CYCLES} open/close`, value: (100 * growth) / heap.before, unit: "%",
      limit: HEAP_GROWTH_BUDGET_PCT,
      note: `${(heap.before / 1024).toFixed(0)} KB -> ${(heap.after / 1024).toFixed(0)} KB after GC (${growth >= 0 ? "+" : ""}${(growth / 1024).toFixed(0)} KB; wasm linear memory not included)` },
    { part, figure: `DOM nodes, JS listeners after ${CYCLES} open/close`, value: heap.domAfter.nodes - heap.domBefore.nodes,
      unit: "nodes", display: `${heap.domBefore.nodes} -> ${heap.domAfter.nodes}, ${heap.domBefore.jsEventListeners} -> ${heap.domAfter.jsEventListeners}`,
      note: "Memory.getDOMCounters after GC, before and after the cycles" },
  ];
}
