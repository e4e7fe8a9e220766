// Page object for the widget: every locator pierces the shadow root (Playwright's CSS engine does that).
import { expect } from "@playwright/test";

export class Widget {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.launcher = page.getByTestId("quincer-launcher");
    this.panel = page.getByTestId("quincer-panel");
    this.input = page.getByTestId("quincer-input");
    this.send = page.getByTestId("quincer-send");
    this.stop = page.getByTestId("quincer-stop");
    this.messages = page.getByTestId("quincer-message");
    this.error = page.getByTestId("quincer-error");
    this.retry = page.getByTestId("quincer-retry");
  }

  /** Opens the demo page (or `url`). */
  async goto(url = process.env.QUINCER_DEMO_URL) {
    await this.page.goto(url);
    await expect(this.launcher).toBeVisible();
  }

  async open() {
    await this.launcher.click();
    await expect(this.panel).toBeVisible();
  }

  /** Types and sends a message, returning once the reply has finished streaming. */
  async ask(text) {
    await this.input.fill(text);
    await this.send.click();
    await expect(this.send).toBeVisible({ timeout: 15000 });
  }

  messagesWithRole(role) {
    return this.page.locator(`[data-testid="quincer-message"][data-role="${role}"]`);
  }

  /**
   * Has `agent` send one more reply, `last`, to conversation `id`, then expects the agent messages to be exactly
   * `texts` and `last`, each signed by `speaker`. Live events arrive in order: once that later reply is drawn, a
   * replayed or late duplicate of an earlier one would have been drawn before it, so this cannot pass while one is
   * still on its way (a fixed wait could).
   */
  async expectAgentMessagesOnce(agent, id, speaker, texts, last) {
    await agent.reply(id, last);
    await expect(this.messagesWithRole("agent")).toHaveText([...texts, last].map((text) => speaker + text));
  }
}
