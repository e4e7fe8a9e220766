// Part 3, open to interactive: from the press on the launcher until the composer can take focus and accepts
// typing. Cold: the click comes before the wasm is loaded (a fresh browser context, nothing cached; the glue and
// the module are held back until the click: the pointer moving onto the launcher already starts the loading, and a
// visitor's hover usually comes earlier than Playwright's, so the bench counts the whole load from the press).
// Warm: the widget has booted (and its files are cached) before the click.
import { brotliCompressSync, constants } from "node:zlib";
import { CLICK_CLOCK, READY_PROBE, WHEN, boot, launch, median } from "./lib/browser.mjs";
import { fmt } from "./lib/table.mjs";

const RUNS = 10;
/** Responses that are the widget's: the loader, its files, its API. */
const WIDGET_URL = /\/(quincer\.js|dist\/[^/?]+|api\/widget\/[^?]*)(\?|$)/;

/**
 * Collects the widget's responses on `page` (path, raw and brotli-11 bytes of the body): what a visitor downloads
 * for it, compressed as a host serving brotli would send it.
 */
function downloads(page) {
  const got = [];
  page.on("response", (r) => {
    const path = new URL(r.url()).pathname;
    if (!WIDGET_URL.test(path) || r.request().method() === "OPTIONS") return;
    got.push(r.body().then(
      (body) => ({ path, raw: body.length, brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length }),
      () => ({ path, raw: 0, brotli: 0 }),
    ));
  });
  return got;
}

/** In the page: the composer exists, is enabled, and takes focus. */
const COMPOSER_FOCUSABLE = `(root) => {
  const input = root.querySelector('[data-testid="quincer-input"]');
  if (!input || input.disabled || !input.isConnected) return false;
  input.focus();
  return root.activeElement === input;
}`;

/** One opening on `page`: click, wait until interactive, check that typing lands in the composer. */
async function openOnce(page, clicked = () => {}) {
  const launcher = page.getByTestId("quincer-launcher");
  await launcher.waitFor();
  const interactive = page.evaluate(WHEN, { check: COMPOSER_FOCUSABLE, timeout: 20000 });
  await launcher.click();
  clicked();
  const at = await interactive;
  const pressed = await page.evaluate(() => window.__benchClick);
  await page.keyboard.type("hi");
  const typed = await page.getByTestId("quincer-input").inputValue();
  if (!typed.endsWith("hi")) throw new Error(`typing did not reach the composer (it holds "${typed}")`);
  return at - pressed;
}

/** @returns {Promise<import("./lib/table.mjs").Row[]>} */
export async function run(server) {
  const browser = await launch();
  const times = { cold: [], warm: [] };
  let before = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(CLICK_CLOCK);
      await page.addInitScript(READY_PROBE);
      let release;
      const gate = new Promise((ok) => (release = ok));
      await page.route(/\/dist\/quincer_widget(_bg\.wasm|\.js)$/, async (route) => {
        await gate;
        await route.continue();
      });
      const got = downloads(page);
      await page.goto(server.demoUrl);
      if (await page.evaluate(() => window.__benchReadyAt !== undefined)) throw new Error("booted before the click");
      times.cold.push(await openOnce(page, release));
      // What had arrived by the time the composer was usable (typing "hi" sends nothing).
      if (i === 0) before = await Promise.all([...got]);
      await context.close();
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(CLICK_CLOCK);
    await page.addInitScript(READY_PROBE);
    for (let i = 0; i < RUNS; i++) {
      await page.goto(server.demoUrl);
      await boot(page);
      times.warm.push(await openOnce(page));
    }
    await context.close();
  } finally {
    await browser.close();
  }
  const part = "3 open";
  const sum = (k) => before.reduce((n, f) => n + f[k], 0);
  return [
    ...["cold", "warm"].map((k) => ({
      part, figure: `open to interactive, ${k} (p50 of ${RUNS})`, value: median(times[k]), unit: "ms",
      note: `runs: ${times[k].map((t) => t.toFixed(0)).join(", ")} ms`,
    })),
    { part, figure: "downloaded before the composer is usable, raw/br", value: sum("brotli"), unit: "B",
      display: `${fmt(sum("raw"))} / ${fmt(sum("brotli"))} B`,
      note: `a first visit, cold: ${before.map((f) => `${f.path.split("/").pop()} ${fmt(f.brotli)}`).join(", ")} B brotli` },
  ];
}
