import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";

test("a reload restores the transcript", async ({ page }) => {
  const widget = new Widget(page);
  await widget.goto();
  await widget.open();
  await widget.ask("Do you have a warranty?");
  await expect(widget.messagesWithRole("assistant")).toContainText("lifetime warranty");

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
