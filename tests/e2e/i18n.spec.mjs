// Languages: the interface text comes from i18n/*.json in the visitor's language, chosen by Quincer('setLocale'),
// then the widget's interface_locale setting, then the browser's languages; plural forms; Arabic mirrors the
// layout while each message keeps its own direction; the visitor's language goes with every chat request.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Widget } from "./pages/widget.mjs";
import { Agent, conversationId } from "./pages/agent.mjs";
import { expectAccessible } from "./pages/axe.mjs";

const strings = (code) => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../i18n/${code}.json`), "utf8"));
const api = (method, path, body) => new Agent().call(method, path, body);

/** A page of our own embedding widget `key`, with `head` markup (a stub queueing commands) before the loader. */
async function embed(page, { key = process.env.QUINCER_WIDGET_KEY, head = "", lang = "en" } = {}) {
  const url = `${process.env.QUINCER_URL}/e2e/i18n-${Math.random().toString(36).slice(2)}.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html lang="${lang}"><head><title>Shop</title>${head}</head><body><main><h1>Shop</h1></main>
        <script async src="/quincer.js" data-widget-key="${key}"></script></body></html>`,
    }),
  );
  const widget = new Widget(page);
  await widget.goto(url);
  return widget;
}

const STUB = `window.Quincer = window.Quincer || function () { (window.Quincer.q = window.Quincer.q || []).push(arguments); };`;
const placeholder = (page) => page.getByTestId("quincer-input").getAttribute("placeholder");

test.describe("the browser's language", () => {
  test.use({ locale: "fr-FR" });

  test("picks the interface language, and goes with every chat request", async ({ page }) => {
    const fr = strings("fr");
    let wasm = 0;
    page.on("request", (r) => r.url().endsWith(".wasm") && wasm++);
    const widget = await embed(page);
    // Before the widget loads, the loader's launcher already has its name in the visitor's language.
    await expect(widget.launcher).toHaveAttribute("aria-label", fr["launcher.open"]);
    expect(wasm).toBe(0);
    await widget.open();
    expect(await placeholder(page)).toBe(fr["composer.placeholder"]);
    await expect(page.getByTestId("quincer-close")).toHaveAttribute("aria-label", fr["launcher.close"]);
    await expect(widget.launcher).toHaveAttribute("aria-label", fr["launcher.close"]);
    const request = page.waitForRequest((r) => r.url().endsWith("/api/chat"));
    await widget.ask("What is your return policy?");
    expect(JSON.parse((await request).postData()).locale).toBe("fr-FR");
    await expect(widget.stop).toHaveCount(0);
  });

  test("unread replies are counted with the language's plural forms", async ({ page }) => {
    const fr = strings("fr");
    const widget = await embed(page);
    await widget.open();
    await widget.ask("What is your return policy?");
    const id = await conversationId(page);
    await page.getByTestId("quincer-close").click();
    const agent = new Agent();
    await agent.takeover(id, "Léa");
    await agent.reply(id, "Bonjour !");
    const announcer = page.getByTestId("quincer-announcer");
    await expect(announcer).toHaveText(fr["launcher.unread"].one.replace("{count}", "1"));
    await agent.reply(id, "Je regarde votre commande.");
    await expect(announcer).toHaveText(fr["launcher.unread"].other.replace("{count}", "2"));
    await widget.open();
    await expect(page.getByTestId("quincer-notice").first()).toHaveText(fr["notice.joined"].replace("{name}", "Léa"));
  });
});

test.describe("precedence", () => {
  test.use({ locale: "fr-FR" });

  test("setLocale beats the widget setting, which beats the browser", async ({ page }) => {
    const created = await api("POST", "/widgets", { brand: "Polyglot", interfaceLocale: "de" });
    expect(created.interface_locale).toBe("de");
    try {
      // The setting (German) beats the browser (French).
      let widget = await embed(page, { key: created.api_key });
      await widget.open();
      expect(await placeholder(page)).toBe(strings("de")["composer.placeholder"]);

      // setLocale before the widget loads beats both: the session starts in Japanese.
      widget = await embed(page, { key: created.api_key, head: `<script>${STUB} Quincer("setLocale", "ja");</script>` });
      await widget.open();
      expect(await placeholder(page)).toBe(strings("ja")["composer.placeholder"]);

      // setLocale after it loaded redraws the open panel, keeping what the visitor typed.
      await widget.input.fill("half a sentence");
      await page.evaluate(() => Quincer("setLocale", "es-MX"));
      await expect.poll(() => placeholder(page)).toBe(strings("es")["composer.placeholder"]);
      await expect(widget.input).toHaveValue("half a sentence");
      await expect(widget.launcher).toHaveAttribute("aria-label", strings("es")["launcher.close"]);
      const request = page.waitForRequest((r) => r.url().endsWith("/api/chat"));
      await widget.send.click();
      expect(JSON.parse((await request).postData()).locale).toBe("es-MX");

      // "auto" gives the browser its say again.
      await api("PATCH", `/widgets/${created.id}`, { interfaceLocale: "auto" });
      widget = await embed(page, { key: created.api_key });
      await widget.open();
      expect(await placeholder(page)).toBe(strings("fr")["composer.placeholder"]);
    } finally {
      await api("DELETE", `/widgets/${created.id}`);
    }
  });

  test("a malformed tag is refused with a console error naming the fix, and the language stays", async ({ page }) => {
    const errors = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    const widget = await embed(page);
    await widget.open();
    await page.evaluate(() => Quincer("setLocale", "french please"));
    await expect.poll(() => errors.join("\n")).toContain('setLocale takes a language tag such as "en"');
    expect(await placeholder(page)).toBe(strings("fr")["composer.placeholder"]);
  });
});

test.describe("right to left", () => {
  test.use({ locale: "ar-EG" });

  test("Arabic mirrors the panel; an English message still reads left to right", async ({ page }) => {
    const ar = strings("ar");
    const widget = await embed(page, { lang: "ar" });
    await widget.open();
    const host = page.locator("[data-quincer-widget]");
    await expect(host).toHaveAttribute("dir", "rtl");
    await expect(host).toHaveAttribute("lang", "ar");
    expect(await placeholder(page)).toBe(ar["composer.placeholder"]);
    await widget.ask("What is your return policy?");

    const layout = await page.evaluate(() => {
      const root = document.querySelector("[data-quincer-widget]").shadowRoot;
      const box = (el) => el.getBoundingClientRect();
      const panel = box(root.querySelector(".panel"));
      const user = box(root.querySelector('[data-role="user"] .bubble'));
      const reply = root.querySelector('[data-role="assistant"] .md p');
      const replyBubble = box(reply.closest(".bubble"));
      // Where the reply's first line of text starts.
      const range = document.createRange();
      range.setStart(reply.firstChild, 0);
      range.setEnd(reply.firstChild, 1);
      return {
        panel: [panel.left, panel.right],
        user: [user.left, user.right],
        replyBubble: [replyBubble.left, replyBubble.right],
        firstLetter: range.getBoundingClientRect().left,
        close: box(root.querySelector(".close")).left,
        send: box(root.querySelector(".send")).left,
        input: box(root.querySelector("textarea")).left,
        replyDirection: getComputedStyle(reply).unicodeBidi,
      };
    });
    const middle = (layout.panel[0] + layout.panel[1]) / 2;
    // Mirrored: the visitor's bubble against the left edge, the reply against the right one, the close and send
    // buttons on the left.
    expect(layout.user[0] - layout.panel[0]).toBeLessThan(30);
    expect(layout.panel[1] - layout.replyBubble[1]).toBeLessThan(30);
    expect(layout.replyBubble[0] - layout.panel[0]).toBeGreaterThan(layout.user[0] - layout.panel[0]);
    expect(layout.close).toBeLessThan(middle);
    expect(layout.send).toBeLessThan(layout.input);
    // The English reply is its own left-to-right paragraph: its text starts at the bubble's left edge.
    expect(layout.replyDirection).toBe("plaintext");
    expect(layout.firstLetter - layout.replyBubble[0]).toBeLessThan(20);
    await expectAccessible(page, "Arabic, right to left");
  });
});
