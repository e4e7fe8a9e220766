// The host page's JavaScript API: window.Quincer(command, ...) with its queue, and the quincer:<event> events.
import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";
import { Agent, conversationId } from "./pages/agent.mjs";

const STUB = `window.Quincer = window.Quincer || function () { (window.Quincer.q = window.Quincer.q || []).push(arguments); };`;

/** A page on the server's origin with `head` before the snippet (`snippets` copies of it). */
async function hostPage(page, { head = "", snippets = 1, key = process.env.QUINCER_WIDGET_KEY } = {}) {
  const url = `${process.env.QUINCER_URL}/e2e/host-${Math.random().toString(36).slice(2)}.html`;
  const tag = `<script async src="/quincer.js" data-widget-key="${key}"></script>`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html><head>${head}</head><body><main><h1>Host page</h1></main>${tag.repeat(snippets)}</body></html>`,
    }),
  );
  await page.goto(url);
}

test("commands queued before the loader runs take effect once the widget is ready, in order", async ({ page }) => {
  await hostPage(page, {
    head: `<script>${STUB}
      window.__events = [];
      for (const name of ["ready", "open", "close", "message", "unread"]) {
        Quincer("on", name, (detail) => __events.push([name, detail]));
      }
      Quincer("open");
      Quincer("sendMessage", "How long does shipping take?");
    </script>`,
  });
  const widget = new Widget(page);
  await expect(widget.panel).toBeVisible();
  await expect(widget.messagesWithRole("user")).toHaveText(["How long does shipping take?"]);
  await expect(widget.messagesWithRole("assistant")).toContainText("business days");
  await expect.poll(() => page.evaluate(() => __events.map(([name]) => name))).toEqual(["ready", "open", "message"]);
  const [ready, , message] = await page.evaluate(() => __events);
  expect(ready[1].widget_id).toMatch(/^wgt_/);
  expect(message[1]).toMatchObject({ role: "assistant" });
  expect(message[1].text).toContain("business days");

  // Closing fires `close`; an answer that arrives while closed counts as unread, and opening clears it.
  await page.evaluate(() => Quincer("close"));
  await expect(widget.panel).toBeHidden();
  await page.evaluate(() => Quincer("sendMessage", "Do you ship to Canada?"));
  await expect
    .poll(() => page.evaluate(() => __events.map(([name]) => name).slice(3)))
    .toEqual(["close", "open", "message"]);
  await page.evaluate(() => Quincer("close"));
  // The same events also go out as window CustomEvents.
  const open = page.evaluate(() => new Promise((r) => addEventListener("quincer:open", (e) => r(e.type), { once: true })));
  await page.evaluate(() => Quincer("toggle"));
  expect(await open).toBe("quincer:open");
});

test("unread counts answers that arrive while the panel is closed", async ({ page }) => {
  await hostPage(page, { head: `<script>${STUB} window.__unread = []; Quincer("on", "unread", (d) => __unread.push(d.count));</script>` });
  const widget = new Widget(page);
  await widget.open();
  await widget.ask("What is your return policy?");
  // Close while the next answer streams: it arrives unread.
  await widget.input.fill("Do you ship to Canada?");
  await widget.send.click();
  await page.evaluate(() => Quincer("close"));
  await expect.poll(() => page.evaluate(() => __unread)).toEqual([1]);
  await page.evaluate(() => Quincer("open"));
  await expect.poll(() => page.evaluate(() => __unread)).toEqual([1, 0]);
});

test("off removes a handler, show/hide toggle the whole widget, unknown commands warn", async ({ page }) => {
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await hostPage(page, { head: `<script>${STUB}</script>` });
  await expect(page.getByTestId("quincer-launcher")).toBeVisible();
  await page.evaluate(() => {
    window.__opens = 0;
    window.__h = () => __opens++;
    Quincer("on", "open", __h);
    Quincer("off", "open", __h);
    Quincer("hide");
  });
  await expect(page.getByTestId("quincer-launcher")).toBeHidden();
  await page.evaluate(() => Quincer("show"));
  await expect(page.getByTestId("quincer-launcher")).toBeVisible();
  await page.evaluate(() => Quincer("open"));
  await expect(page.getByTestId("quincer-panel")).toBeVisible();
  expect(await page.evaluate(() => __opens)).toBe(0);
  await page.evaluate(() => (Quincer("explode"), Quincer("pen"), Quincer("open close")));
  for (const bad of ["explode", "pen", "open close"]) expect(warnings.join("\n")).toContain(`unknown command "${bad}"`);
});

test("identify attaches the visitor's identity to their conversation", async ({ page, request }) => {
  await hostPage(page, { head: `<script>${STUB}</script>` });
  const widget = new Widget(page);
  await widget.open();
  await page.evaluate(() =>
    Quincer("identify", { email: "ada@example.com", name: "Ada Lovelace", external_id: "cust_42", plan: "pro", seats: 3 }),
  );
  await widget.ask("Do you ship to Canada?");
  const conversationId = await page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.endsWith(":conversation_id")).map((k) => localStorage.getItem(k))[0],
  );
  const auth = { Authorization: `Bearer ${process.env.QUINCER_DEV_KEY}` };
  await expect
    .poll(async () => (await (await request.get(`${process.env.QUINCER_URL}/api/v1/conversations/${conversationId}`, { headers: auth })).json()).visitor)
    .toMatchObject({ email: "ada@example.com", name: "Ada Lovelace", external_id: "cust_42", traits: { plan: "pro", seats: 3 } });
  // A bad identity is a console error naming the problem, not a broken widget.
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.evaluate(() => Quincer("identify", { email: "not an email" }));
  await expect.poll(() => errors.join("\n")).toContain("email");
});

test("setLocale formats prices for the visitor's language", async ({ page }) => {
  await hostPage(page, { head: `<script>${STUB} Quincer("setLocale", "de-DE");</script>` });
  const widget = new Widget(page);
  await widget.open();
  await widget.ask("Do you have a waterproof jacket under $150?");
  // Off Shopify, but the cards still show prices: German formatting puts the comma before the cents.
  await expect(page.getByTestId("quincer-product-price").first()).toHaveText(/^\d+,\d{2}\s\$$/);
});

test("shutdown forgets the visitor and starts a fresh, anonymous widget", async ({ page }) => {
  await hostPage(page, { head: `<script>${STUB} window.__ready = 0; Quincer("on", "ready", () => __ready++);</script>` });
  const widget = new Widget(page);
  await widget.open();
  await widget.ask("What is your return policy?");
  const before = await page.evaluate(() => ({ ...localStorage }));
  const token = Object.entries(before).find(([k]) => k.endsWith(":visitor_token"))[1];
  await page.evaluate(() => Quincer("shutdown"));
  await expect.poll(() => page.evaluate(() => __ready)).toBe(2);
  await expect(page.locator("[data-quincer-widget]")).toHaveCount(1);
  await widget.open();
  await expect(widget.messages).toHaveCount(0);
  const after = await page.evaluate(() => ({ ...localStorage }));
  const newToken = Object.entries(after).find(([k]) => k.endsWith(":visitor_token"))?.[1];
  expect(newToken).toBeTruthy();
  expect(newToken).not.toBe(token);
});

test("a page with the snippet twice gets one widget", async ({ page }) => {
  await hostPage(page, { snippets: 2 });
  const widget = new Widget(page);
  await widget.open();
  await widget.ask("Do you ship to Canada?");
  await expect(page.locator("[data-quincer-widget]")).toHaveCount(1);
  await expect(widget.messagesWithRole("assistant")).toHaveCount(1);
});

test("takeover, agent messages and handback reach the host page as events", async ({ page }) => {
  await hostPage(page, {
    head: `<script>${STUB}
      window.__live = [];
      for (const name of ["takeover", "message", "handback", "unread"]) Quincer("on", name, (d) => __live.push([name, d]));
    </script>`,
  });
  const widget = new Widget(page);
  await widget.open();
  await widget.ask("What is your return policy?");
  const id = await conversationId(page);
  const agent = new Agent();
  await agent.takeover(id, "Sam");
  await expect(page.getByTestId("quincer-human-badge")).toBeVisible();
  await page.evaluate(() => Quincer("close"));
  await agent.reply(id, "Hi, Sam here.");
  await agent.handback(id);
  await expect
    .poll(() => page.evaluate(() => __live.map(([name]) => name)))
    .toEqual(["message", "takeover", "message", "unread", "handback"]);
  const live = await page.evaluate(() => __live);
  expect(live[1][1]).toEqual({ agent: { name: "Sam", avatar_url: null } });
  expect(live[2][1]).toMatchObject({ role: "agent", text: "Hi, Sam here.", speaker_name: "Sam" });
  expect(live[3][1]).toEqual({ count: 1 });
  expect(live[4][1].persona).toMatchObject({ name: "Ava" });
});
