import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";

test("a question streams a knowledge-based answer, delta by delta", async ({ page }) => {
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await expect(page.getByTestId("quincer-persona-name")).toHaveText("Ava");
  await expect(page.getByTestId("quincer-greeting")).toContainText("Ava from Northwind Outfitters");

  await widget.input.fill("How long does shipping take?");
  await widget.send.click();
  // The visitor's message shows at once, before any reply.
  await expect(widget.messagesWithRole("user")).toHaveText(["How long does shipping take?"]);
  await expect(widget.stop).toBeVisible();

  // Record the reply's length every animation frame: streaming means we see it grow in several steps.
  const lengths = await page.evaluate(async () => {
    const root = document.querySelector("[data-quincer-widget]").shadowRoot;
    const seen = [];
    const t0 = performance.now();
    while (performance.now() - t0 < 10000) {
      const reply = root.querySelector('[data-role="assistant"] .bubble');
      const len = reply ? reply.textContent.length : 0;
      if (seen[seen.length - 1] !== len) seen.push(len);
      if (root.querySelector('[data-testid="quincer-send"]')) break;
      await new Promise(requestAnimationFrame);
    }
    return seen;
  });
  expect(lengths.filter((n) => n > 0).length).toBeGreaterThan(3);

  const reply = widget.messagesWithRole("assistant");
  await expect(reply).toHaveCount(1);
  await expect(reply).toContainText("3 to 5 business days");
  // Markdown became elements, not literal asterisks.
  await expect(reply.locator("strong").first()).toHaveText("Shipping times and costs");
  await expect(reply).not.toContainText("**");
});

test("streaming a reply does not re-render earlier messages", async ({ page }) => {
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await widget.ask("What is your return policy?");
  // Tag the existing bubbles' DOM nodes, stream another answer, and check the very same nodes are still there.
  await page.evaluate(() => {
    const root = document.querySelector("[data-quincer-widget]").shadowRoot;
    root.querySelectorAll('[data-testid="quincer-message"]').forEach((el, i) => (el.__quincerTag = `m${i}`));
  });
  await widget.ask("Do you ship to Canada?");
  const tags = await page.evaluate(() => {
    const root = document.querySelector("[data-quincer-widget]").shadowRoot;
    return [...root.querySelectorAll('[data-testid="quincer-message"]')].map((el) => el.__quincerTag || null);
  });
  expect(tags).toEqual(["m0", "m1", null, null]);
  await expect(widget.messagesWithRole("assistant").last()).toContainText("Canada");
});

test("the visitor's own HTML is shown as text, never parsed", async ({ page }) => {
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
  await widget.ask(payload);
  await expect(widget.messagesWithRole("user")).toHaveText([payload]);
  const state = await page.evaluate(() => ({
    xss: window.__xss ?? null,
    imgs: document.querySelector("[data-quincer-widget]").shadowRoot.querySelectorAll("img").length,
  }));
  expect(state).toEqual({ xss: null, imgs: 0 });
});

test("the stop button ends the stream and keeps what arrived", async ({ page }) => {
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await widget.input.fill("How do I wash my down jacket?");
  await widget.send.click();
  const reply = widget.messagesWithRole("assistant");
  await expect(reply).toContainText("here", { timeout: 5000 });
  // The browser reports the stopped request failed (aborted): nothing more of its stream can come.
  const aborted = page.waitForEvent("requestfailed", (r) => r.url().endsWith("/api/chat"));
  await widget.stop.click();
  await aborted;
  await expect(widget.send).toBeVisible();
  const partial = await reply.innerText();
  expect(partial).not.toContain("tennis balls"); // the end of the answer never came
  await expect(widget.error).toHaveCount(0);
  // A whole answer to the next question later, the stopped one is still as it was.
  await widget.ask("Do you ship to Canada?");
  await expect(reply.last()).toContainText("Canada");
  expect(await reply.first().innerText()).toBe(partial);
});

test("a refused connection says it is reconnecting; Retry recovers at once without duplicating the message", async ({
  page,
}) => {
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await page.route("**/api/chat", (route) => route.abort("connectionrefused"));
  await widget.input.fill("Which payment methods do you accept?");
  await widget.send.click();
  await expect(widget.error).toBeVisible();
  await expect(widget.error).toContainText("Reconnecting");
  await expect(widget.messagesWithRole("user")).toHaveCount(1);

  await page.unroute("**/api/chat");
  await widget.retry.click();
  await expect(widget.error).toHaveCount(0);
  await expect(widget.messagesWithRole("assistant")).toContainText("PayPal");
  await expect(widget.messagesWithRole("user")).toHaveCount(1);
});
