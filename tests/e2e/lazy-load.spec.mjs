// No work before it is needed: the loader draws the launcher and loads the WebAssembly widget only on intent (the
// launcher hovered, pressed, focused or clicked), on a command, or for a returning visitor whose conversation must
// be followed while the panel is closed. docs/PERFORMANCE.md, part 2, measures what this saves the host page.
import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";
import { Agent, conversationId } from "./pages/agent.mjs";

const api = (method, path, body) => new Agent().call(method, path, body);

/**
 * Serves a page of our own embedding widget `key` (after `head`), opens it (waiting for the launcher unless `wait`
 * is false), and counts what the widget fetches.
 */
async function embed(page, { key = process.env.QUINCER_WIDGET_KEY, head = "", wait = true } = {}) {
  const url = `${process.env.QUINCER_URL}/e2e/lazy-${Math.random().toString(36).slice(2)}.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html lang="en"><head><title>Shop</title>${head}</head><body><main><h1>Shop</h1>
        <button type="button">A page button</button></main>
        <script async src="/quincer.js" data-widget-key="${key}"></script></body></html>`,
    }),
  );
  const fetched = { wasm: 0, glue: 0, start: 0, session: 0 };
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith("/quincer_widget_bg.wasm")) fetched.wasm++;
    if (path.endsWith("/quincer_widget.js")) fetched.glue++;
    if (path.endsWith("/dist/start.js")) fetched.start++;
    if (path === "/api/widget/session") fetched.session++;
  });
  const widget = new Widget(page);
  if (wait) await widget.goto(url);
  else await page.goto(url, { waitUntil: "domcontentloaded" });
  return { widget, fetched, url };
}

/** Resolves `window.__readyAt` once the widget fires `quincer:ready` (set up before any page script). */
const READY = () => addEventListener("quincer:ready", () => (window.__readyAt = performance.now()));

test("a fresh page without interaction loads nothing but the launcher", async ({ page }) => {
  const { widget, fetched } = await embed(page);
  await page.waitForLoadState("load");
  await page.waitForTimeout(2000);
  expect(fetched).toEqual({ wasm: 0, glue: 0, start: 0, session: 0 });
  // The launcher is there, with its name, and the page's history is as the browser made it.
  await expect(widget.launcher).toHaveAttribute("aria-label", "Open chat");
  expect(await page.evaluate(() => /\[native code\]/.test(String(history.pushState)))).toBe(true);
  // Nothing written to storage either.
  expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
});

test("the launcher is drawn after the page's load, styled in its first frame; the panel's stylesheet waits for the widget", async ({
  page,
}) => {
  // Every frame until the launcher shows, from the page's start: the first that shows it must show it styled (it
  // enters the page with its inline first-paint style), and it comes after the page's load.
  await page.addInitScript(() => {
    window.__unstyled = 0;
    addEventListener("load", () => (window.__loadedAt = performance.now()));
    const check = () => {
      const b = document.querySelector("[data-quincer-widget]")?.shadowRoot?.querySelector(".launcher");
      if (!b) return requestAnimationFrame(check);
      window.__drawnAt = performance.now();
      if (getComputedStyle(b).position !== "fixed") window.__unstyled++;
    };
    requestAnimationFrame(check);
  });
  const stylesheets = [];
  page.on("request", (r) => r.url().endsWith("/dist/quincer.css") && stylesheets.push(r.url()));
  const { widget } = await embed(page, { wait: false });
  await expect(widget.launcher).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.__drawnAt)).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.__unstyled)).toBe(0);
  expect(await page.evaluate(() => window.__drawnAt > window.__loadedAt)).toBe(true);
  const box = await widget.launcher.boundingBox();
  expect([box.width, box.height]).toEqual([56, 56]);
  // No stylesheet at all so far: the widget's, with the launcher's rules, is linked when it loads.
  expect(await widget.launcher.evaluate((b) => [b.getRootNode().adoptedStyleSheets.length, b.getRootNode().styleSheets.length])).toEqual([0, 0]);
  await page.waitForTimeout(300);
  expect(stylesheets).toEqual([]);
  await widget.launcher.hover();
  await expect.poll(() => stylesheets.length).toBe(1);
});

/** What shows of the launcher: its box, its icon's box (the loader's cut element, then the widget's SVG) and the
 *  styles that draw it. */
const look = (launcher) =>
  launcher.evaluate((b) => {
    const s = getComputedStyle(b), r = b.getBoundingClientRect(), icon = b.firstElementChild.getBoundingClientRect();
    return {
      box: [r.left, r.top, r.width, r.height], icon: [icon.left, icon.top, icon.width, icon.height],
      styles: ["position", "z-index", "border-radius", "border-top-width", "box-shadow", "cursor", "display", "color"].map((k) => s[k]),
    };
  });

for (const [name, viewport, side] of [
  ["a desktop, right", { width: 1280, height: 720 }, "right"],
  ["a desktop, left", { width: 1280, height: 720 }, "left"],
  ["a phone, right", { width: 375, height: 667 }, "right"],
  ["a phone, left", { width: 375, height: 667 }, "left"],
]) {
  test(`the launcher the loader draws inline looks as the widget's stylesheet draws it (${name})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const created = await api("POST", "/widgets", { brand: "Side Co", launcher_position: side });
    try {
      // A returning visitor's remembered look puts the loader's launcher on the widget's side.
      await page.addInitScript(([key, side]) => localStorage.setItem(`quincer:${key}:look`, side === "left" ? "left" : ""),
        [created.api_key, side]);
      const { widget } = await embed(page, { key: created.api_key });
      const before = await look(widget.launcher);
      const icons = () => widget.launcher.evaluate((b) => [...b.children].map((c) => c.localName));
      expect(await icons()).toEqual(["i"]);
      // Not a click target: a click under way while the widget swaps the icon still reaches the button.
      expect(await widget.launcher.evaluate((b) => {
        const r = b.getBoundingClientRect();
        return b.getRootNode().elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b;
      })).toBe(true);
      expect(before.styles.slice(0, 2)).toEqual(["fixed", "2147483000"]);
      // The widget loads on a command (no hover to scale the launcher), and its stylesheet takes over.
      await page.evaluate(() => new Promise((ok) => {
        addEventListener("quincer:ready", ok);
        Quincer("close");
      }));
      await expect.poll(() => widget.launcher.evaluate((b) => /position/.test(b.getAttribute("style") || ""))).toBe(false);
      const after = await look(widget.launcher);
      // The widget's SVG (which morphs into a cross) in place of the loader's icon.
      expect(await icons()).toEqual(["svg"]);
      // All but the colour, which the widget paints its own.
      expect({ ...after, styles: after.styles.slice(0, -1) }).toEqual({ ...before, styles: before.styles.slice(0, -1) });
    } finally {
      await api("DELETE", `/widgets/${created.id}`);
    }
  });
}

test("when what loads the widget cannot load, the console names it and the page is left as it was", async ({ page }) => {
  await page.route(/\/dist\/start\.js$/, (route) => route.abort());
  const errors = [];
  page.on("console", (m) => m.type() === "error" && m.text().startsWith("Quincer:") && errors.push(m.text()));
  const { widget } = await embed(page);
  await widget.launcher.hover();
  await expect.poll(() => errors).toEqual([expect.stringMatching(/could not load the widget from .*start\.js/)]);
  await expect(page.locator("[data-quincer-widget]")).toHaveCount(0);
});

test("a page whose load event never comes still gets its launcher, within 5 s", async ({ page }) => {
  // An image that never answers holds the page's `load` back for as long as the test runs.
  await page.route(/\/e2e\/hanging\.png$/, () => {});
  const { widget } = await embed(page, { wait: false, head: '<img src="/e2e/hanging.png" alt="">' });
  const started = Date.now();
  await expect(widget.launcher).toBeVisible({ timeout: 10000 });
  expect(Date.now() - started).toBeLessThan(8000);
  expect(await page.evaluate(() => document.readyState)).not.toBe("complete");
});

const intents = {
  hover: (w) => w.launcher.hover(),
  focus: async (w) => {
    // Keyboard: from the page's own button, Tab reaches the launcher.
    await w.page.getByRole("button", { name: "A page button" }).focus();
    await w.page.keyboard.press("Tab");
  },
  pointerdown: (w) => w.launcher.dispatchEvent("pointerdown"),
  touchstart: (w) => w.launcher.dispatchEvent("touchstart"),
  command: (w) => w.page.evaluate(() => Quincer("identify", { name: "Ada" })),
};
for (const [name, act] of Object.entries(intents)) {
  test(`intent loads the widget: ${name}`, async ({ page }) => {
    await page.addInitScript(READY);
    const { widget, fetched } = await embed(page);
    await page.waitForTimeout(500);
    expect(fetched.wasm).toBe(0);
    await act(widget);
    await expect.poll(() => page.evaluate(() => window.__readyAt !== undefined)).toBe(true);
    expect(fetched).toEqual({ wasm: 1, glue: 1, start: 1, session: 1 });
    // Intent alone does not open the panel.
    await expect(widget.panel).toHaveCount(0);
  });
}

test("a click before the widget has loaded opens it once it is ready", async ({ page }) => {
  const { widget, fetched } = await embed(page);
  await page.waitForTimeout(500);
  expect(fetched.wasm).toBe(0);
  await widget.launcher.click();
  await expect(widget.panel).toBeVisible();
  await expect(widget.input).toBeFocused();
  expect(fetched.wasm).toBe(1);
});

test("a returning visitor with a conversation loads without interaction and sees agent replies as unread", async ({
  page,
}) => {
  const { widget, url } = await embed(page);
  await widget.open();
  await widget.ask("Do you ship to Canada?");
  const id = await conversationId(page);
  expect(id).toBeTruthy();

  // The next page view: nobody touches the widget, yet it boots (once the page is idle) to follow the conversation.
  await page.addInitScript(READY);
  const wasm = page.waitForRequest((r) => r.url().endsWith("/quincer_widget_bg.wasm"));
  await page.goto(url);
  await wasm;
  await expect.poll(() => page.evaluate(() => window.__readyAt !== undefined)).toBe(true);
  await expect(widget.panel).toHaveCount(0);

  const agent = new Agent();
  await agent.takeover(id, "Sam");
  await agent.reply(id, "Sam here: yes, we ship to Canada.");
  await expect(widget.launcher).toHaveAttribute("data-unread", "1");
  await expect(page.getByTestId("quincer-announcer")).toHaveText("1 unread message");
  await widget.launcher.click();
  await expect(widget.messagesWithRole("agent")).toHaveText(["SamSam here: yes, we ship to Canada."]);
  await expect(widget.launcher).not.toHaveAttribute("data-unread");
  await agent.handback(id);
});

test("the launcher keeps the look the widget painted, without loading it, and follows setting changes", async ({
  page,
}) => {
  const created = await api("POST", "/widgets", {
    brand: "Left Co",
    launcher_position: "left",
    primary_color: "#0b6e4f",
    launcher_label: "Ask Left Co",
  });
  try {
    const box = async (widget) => (await widget.launcher.boundingBox()).x;
    const look = (widget) =>
      widget.launcher.evaluate((b) => [b.getRootNode().host.className, getComputedStyle(b).backgroundColor, b.title]);

    // First visit: the stylesheet's launcher (bottom right) until the widget boots and paints its own.
    let { widget } = await embed(page, { key: created.api_key });
    expect(await look(widget)).toEqual(["", "rgb(79, 70, 229)", ""]);
    const right = await box(widget);
    await widget.launcher.hover();
    const painted = ["left", "rgb(11, 110, 79)", "Ask Left Co"];
    await expect.poll(() => look(widget)).toEqual(painted);
    // Well to the left, not just the hover's scale.
    expect(await box(widget)).toBeLessThan(right / 2);

    // The next page, the widget held back: the launcher is already on the left, in the brand's colour.
    await page.route(/\/dist\/quincer_widget(_bg\.wasm|\.js)$/, (route) => route.abort());
    ({ widget } = await embed(page, { key: created.api_key }));
    expect(await look(widget)).toEqual(painted);
    await expect(widget.launcher).toHaveAttribute("aria-label", "Ask Left Co");
    await page.unroute(/\/dist\/quincer_widget(_bg\.wasm|\.js)$/);

    // The setting changes: the remembered look is used until the widget boots, which puts it right.
    await api("PATCH", `/widgets/${created.id}`, { launcher_position: "right" });
    ({ widget } = await embed(page, { key: created.api_key }));
    expect((await look(widget))[0]).toBe("left");
    await widget.launcher.focus();
    await expect.poll(() => look(widget).then((l) => l[0])).toBe("");
  } finally {
    await api("DELETE", `/widgets/${created.id}`);
  }
});
