import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";

/** Opens the demo's widget and asks one question, answered from the knowledge base. */
async function askedAboutTheWarranty(page) {
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await widget.ask("Do you have a warranty?");
  await expect(widget.messagesWithRole("assistant")).toContainText("lifetime warranty");
  return widget;
}

test("a reload restores the transcript", async ({ page }) => {
  const widget = await askedAboutTheWarranty(page);

  await page.reload();
  await expect(widget.launcher).toBeVisible();
  await widget.open();
  await expect(widget.messagesWithRole("user")).toHaveText(["Do you have a warranty?"]);
  await expect(widget.messagesWithRole("assistant")).toContainText("lifetime warranty");
  await expect(page.getByTestId("quincer-greeting")).toBeHidden();

  // The conversation continues in the same thread.
  await widget.ask("And repairs?");
  await expect(widget.messages).toHaveCount(4);
});

test("a streamed answer renders exactly as its restored copy", async ({ page }) => {
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await widget.ask("What is your return policy?");
  const md = widget.messagesWithRole("assistant").last().locator(".md");
  const streamed = await md.innerHTML();
  expect(streamed).toContain("<p>");
  await page.reload();
  await widget.open();
  await expect(md).toHaveJSProperty("innerHTML", streamed);
});

test("a long restored conversation shows its newest messages, and scrolling up reaches the first", async ({ page }) => {
  const widget = await askedAboutTheWarranty(page);

  // The stored transcript, stretched to 300 messages (markdown answers, some long) by rewriting its response.
  const COUNT = 300;
  await page.route(/\/api\/widget\/conversations\/[^/?]+(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    const at = body.messages[0].created_at;
    body.messages = Array.from({ length: COUNT }, (_, i) => {
      const user = i % 2 === 0;
      const text = user ? `Question ${i}` : `Answer **${i}**:\n\n- one\n- two\n\n${"More words. ".repeat(i % 5 * 8)}`;
      return { object: "message", id: `m_${i}`, role: user ? "user" : "assistant", text, parts: [{ type: "text", text }], created_at: at };
    });
    await route.fulfill({ response, json: body });
  });
  await page.reload();
  await widget.open();
  const message = (i) => page.locator(`[data-key="m_${i}"]`);
  await expect(message(COUNT - 1)).toBeInViewport();
  await expect(message(COUNT - 1)).toContainText("Answer 299");
  // Only the newest are drawn at first.
  await expect(message(0)).toHaveCount(0);
  expect(await widget.messages.count()).toBeLessThan(COUNT);

  // Scrolling to the top draws older messages until the first one shows.
  const scroller = page.locator(".scroller");
  await expect(async () => {
    await scroller.evaluate((el) => { el.scrollTop = -el.scrollHeight; });
    await expect(message(0)).toBeInViewport({ timeout: 200 });
  }).toPass({ timeout: 20000 });
  await expect(message(0)).toHaveText("Question 0");
  await expect(widget.messages).toHaveCount(COUNT);

  // Still a polite log once the history is drawn, and the keyboard works as before: Escape closes the panel and
  // hands focus to the launcher, which opens it again, as it was, with focus in the composer.
  const log = page.getByTestId("quincer-messages");
  await expect(log).toHaveAttribute("role", "log");
  await expect(log).toHaveAttribute("aria-live", "polite");
  await widget.input.focus();
  await page.keyboard.press("Escape");
  await expect(widget.panel).toBeHidden();
  await expect(widget.launcher).toBeFocused();
  await expect(widget.launcher).toHaveAttribute("aria-expanded", "false");
  await page.keyboard.press("Enter");
  await expect(widget.panel).toBeVisible();
  await expect(widget.launcher).toHaveAttribute("aria-expanded", "true");
  await expect(widget.input).toBeFocused();
  await expect(widget.messages).toHaveCount(COUNT);
});
