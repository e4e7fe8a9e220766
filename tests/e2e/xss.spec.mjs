// The XSS corpus through every untrusted field the widget shows: AI text (streamed and restored), agent replies
// and names (live and restored), persona names and greetings, branding, product data (from the stream, from a
// restored transcript and from a real storefront import), the visitor's own words. Nothing may run, and the
// shadow root may hold only the widget's own elements with safe URLs. See pages/xss.mjs for the audit.
import http from "node:http";
import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";
import { Agent, conversationId } from "./pages/agent.mjs";
import { PAYLOADS, chunks, expectClean, hostilePanel, inspect, streamBody, trap } from "./pages/xss.mjs";

test("the corpus holds at least 100 payloads", () => {
  expect(PAYLOADS.length).toBeGreaterThanOrEqual(100);
});

test("the audit catches script runs, foreign elements, handlers and unsafe URLs", async ({ page }) => {
  // A control for the checks below: markup no payload should ever produce, put there by hand.
  await trap(page);
  const widget = new Widget(page);
  await widget.goto();
  await page.evaluate(() => {
    const root = document.querySelector("[data-quincer-widget]").shadowRoot;
    const bad = document.createElement("div");
    bad.innerHTML = '<iframe></iframe><a href="javascript:void 0">x</a><span onclick="x()"></span><img src="data:,">';
    root.append(bad);
    window.__xss(1);
  });
  const found = await inspect(page);
  expect(found.calls).toEqual([["__xss", 1]]);
  expect(found.problems).toEqual([
    "element <iframe>",
    '<a href="javascript:void 0">',
    "<span onclick>",
    '<img src="data:,">',
  ]);
});

test("AI text and product panels streamed into the widget", async ({ page }) => {
  await trap(page);
  // Deltas cut at odd places, so a tag or a link is split across chunks as a real stream would split it.
  const text = PAYLOADS.join("\n\n");
  const deltas = [];
  for (let i = 0, n = 1; i < text.length; i += n, n = (n % 7) + 1) deltas.push(text.slice(i, i + n));
  const body = streamBody([
    { type: "start", messageId: "msg_xss" },
    { type: "text-start", id: "t" },
    ...deltas.map((delta) => ({ type: "text-delta", id: "t", delta })),
    { type: "text-end", id: "t" },
    { type: "tool-input-available", toolCallId: "call_xss", toolName: "show_products", input: { query: "x" } },
    { type: "tool-output-available", toolCallId: "call_xss", output: hostilePanel(PAYLOADS) },
    { type: "finish" },
  ]);
  await page.route("**/api/chat", (route) =>
    route.fulfill({ status: 200, headers: { "content-type": "text/event-stream", "x-vercel-ai-ui-message-stream": "v1" }, body }),
  );
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await widget.ask(PAYLOADS.join("\n")); // the visitor's own words too
  await expect(page.getByTestId("quincer-product-card")).not.toHaveCount(0);
  // Walk the carousel and pick variants: interactions re-render parts of cards.
  const cards = page.getByTestId("quincer-product-card");
  for (const i of [0, 1, 2]) {
    const option = cards.nth(i).getByTestId("quincer-product-option").first();
    if (await option.count()) await option.selectOption({ index: 1 });
  }
  const found = await expectClean(page, 200);
  expect(found.elements).toBeGreaterThan(PAYLOADS.length);
});

test("a restored transcript: visitor, AI and agent messages, speaker names, panels, the agent holding it", async ({
  page,
}) => {
  await trap(page);
  const key = process.env.QUINCER_WIDGET_KEY;
  const id = "conv_xss_restore";
  await page.addInitScript(([k, c]) => localStorage.setItem(`quincer:${k}:conversation_id`, c), [key, id]);
  const at = "2026-01-01T00:00:00Z";
  const messages = PAYLOADS.flatMap((p, i) => [
    { object: "message", id: `u${i}`, role: "user", text: p, parts: [{ type: "text", text: p }], created_at: at },
    {
      object: "message",
      id: `a${i}`,
      role: "assistant",
      text: p,
      parts: [
        { type: "text", text: p },
        {
          type: "tool-show_products",
          toolCallId: `call_${i}`,
          state: "output-available",
          input: { query: p },
          output: hostilePanel([p, PAYLOADS[(i + 1) % PAYLOADS.length]], i * 10 + 1),
        },
      ],
      created_at: at,
    },
    { object: "message", id: `g${i}`, role: "agent", text: p, parts: [{ type: "text", text: p }], speaker_name: p, created_at: at },
  ]);
  const transcript = {
    object: "conversation",
    id,
    widget_id: "wgt_x",
    status: "human_active",
    persona_id: null,
    agent: { name: PAYLOADS[3], avatar_url: "javascript:__xss()" },
    last_event_id: 0,
    created_at: at,
    updated_at: at,
    messages,
  };
  await page.route(`**/api/widget/conversations/${id}`, (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(transcript) }),
  );
  await page.route(`**/api/widget/conversations/${id}/events`, (route) =>
    route.fulfill({ status: 404, contentType: "application/json", body: '{"error":"no such conversation"}' }),
  );
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  // A long transcript draws its newest messages first and older ones as the visitor scrolls up: scroll to the top
  // until every message is drawn, so the audit covers them all.
  await expect(async () => {
    await page.locator(".scroller").evaluate((el) => { el.scrollTop = -el.scrollHeight; });
    await expect(widget.messages).toHaveCount(PAYLOADS.length * 3, { timeout: 200 });
  }).toPass({ timeout: 20000 });
  await expectClean(page, PAYLOADS.length * 6);
});

test("live agent replies, agent names and speaker names pushed over the event stream", async ({ page }) => {
  await trap(page);
  const widget = new Widget(page);
  const agent = new Agent();
  await widget.goto();
  await widget.open();
  await widget.ask("Hello");
  const id = await conversationId(page);
  // Names are at most 80 characters: the longer payloads go in as text only.
  const names = PAYLOADS.filter((p) => [...p.trim()].length <= 80 && p.trim());
  for (const [i, p] of PAYLOADS.entries()) {
    if (i % 10 === 0) {
      if (i) await agent.handback(id);
      await agent.takeover(id, names[(i / 10) % names.length]);
    }
    const speaker = names[i % names.length];
    await agent.call("POST", `/conversations/${id}/reply`, { text: p, speaker_name: speaker });
  }
  await expect(widget.messagesWithRole("agent")).toHaveCount(PAYLOADS.length, { timeout: 20000 });
  await expectClean(page, PAYLOADS.length * 2);
});

for (const [n, group] of chunks(PAYLOADS, 14).entries()) {
  test(`persona names, greetings and branding (group ${n + 1})`, async ({ page }) => {
    await trap(page);
    // The server's real session answer, with every display field replaced by payloads.
    await page.route("**/api/widget/session", async (route) => {
      const response = await route.fetch();
      const session = await response.json();
      session.widget.brand = group.join(" ");
      session.widget.greeting = group.join("\n\n");
      session.widget.launcher_label = group[0].slice(0, 40);
      session.widget.colors = { primary: `red;background:url(javascript:__xss())`, on_primary: group[1] };
      session.personas = session.personas.map((persona, i) => ({
        ...persona,
        name: group[i % group.length],
        greeting: group.join("\n\n"),
        avatar_url: `javascript:__xss(${i})`,
        bubble_color: `#000;background-image:url("javascript:__xss()")`,
        on_bubble_color: group[2],
      }));
      await route.fulfill({ response, json: session });
    });
    const widget = new Widget(page);
    await widget.goto();
    await widget.open();
    await expect(page.getByTestId("quincer-greeting")).toBeVisible();
    await expectClean(page, 15);
  });
}

test("personas created through the API with hostile names and greetings", async ({ page }) => {
  await trap(page);
  const agent = new Agent();
  const path = `/xss-persona-${Date.now()}`;
  const created = await agent.call("POST", "/personas", {
    widget_id: process.env.QUINCER_WIDGET_ID, // the demo widget (other specs create widgets of their own)
    name: PAYLOADS[3].slice(0, 60),
    greeting: PAYLOADS.slice(0, 8).join("\n\n").slice(0, 500),
    system_prompt: "You are a test persona.",
    url_patterns: [`${path}*`],
    bubble_color: "#123456",
  });
  try {
    const url = process.env.QUINCER_URL + path;
    await page.route(url, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html><body><h1>Page</h1><script async src="/quincer.js" data-widget-key="${process.env.QUINCER_WIDGET_KEY}"></script></body></html>`,
      }),
    );
    const widget = new Widget(page);
    await widget.goto(url);
    await widget.open();
    await expect(page.getByTestId("quincer-persona-name")).toHaveText(PAYLOADS[3].slice(0, 60).trim());
    await expectClean(page, 15);
  } finally {
    await agent.call("DELETE", `/personas/${created.id}`);
  }
});

test("a storefront whose catalog is hostile, imported for real and shown by the offline AI", async ({ page }) => {
  await trap(page);
  // The store: Shopify's public products feed, every text field and URL a payload.
  const products = PAYLOADS.map((p, i) => ({
    id: 9000 + i,
    title: `Xssproduct ${p}`,
    handle: p,
    body_html: p,
    vendor: p,
    product_type: p,
    tags: [p],
    options: [{ name: p, position: 1, values: [p] }],
    variants: [{ id: 19000 + i, title: p, option1: p, price: "10.00", compare_at_price: null, available: true }],
    images: [{ src: i % 2 ? `javascript:__xss(${i})` : `https://cdn.example/${encodeURIComponent(p)}.png`, width: 10, height: 10, alt: p, variant_ids: [] }],
  }));
  const store = http.createServer((req, res) => {
    const page = Number(new URL(req.url, "http://x").searchParams.get("page") || 1);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ products: page === 1 ? products : [] }));
  });
  await new Promise((ok) => store.listen(0, "127.0.0.1", ok));
  const agent = new Agent();
  const widgetRes = await agent.call("POST", "/widgets", { brand: PAYLOADS[3].slice(0, 60), website_url: "https://xss-store.example" });
  try {
    await agent.call("POST", `/widgets/${widgetRes.id}/import-storefront`, { url: `http://127.0.0.1:${store.address().port}` });
    const key = widgetRes.api_key;
    const url = `${process.env.QUINCER_URL}/e2e/xss-store-${Date.now()}.html`;
    await page.route(url, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html><body><h1>Store</h1><script async src="/quincer.js" data-widget-key="${key}"></script></body></html>`,
      }),
    );
    const widget = new Widget(page);
    await widget.goto(url);
    await widget.open();
    await widget.ask("Do you have any xssproduct?");
    await expect(page.getByTestId("quincer-product-card")).not.toHaveCount(0);
    await widget.ask("Show me more xssproduct please");
    await expectClean(page, 40);
  } finally {
    store.close();
    await agent.call("DELETE", `/widgets/${widgetRes.id}`);
  }
});

test("the visitor's own messages and identity, sent for real and restored from the server", async ({ page }) => {
  await trap(page);
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await page.evaluate((name) => Quincer("identify", { name, email: "xss@example.com", company: name }), PAYLOADS[3]);
  for (const group of chunks(PAYLOADS, 35)) await widget.ask(group.join("\n"));
  await expectClean(page, 20);
  await page.reload();
  await widget.open();
  await expect(widget.messagesWithRole("user")).toHaveCount(4);
  await expect(widget.messagesWithRole("user").first()).toHaveText(PAYLOADS.slice(0, 35).join("\n"));
  await expectClean(page, 20);
});
