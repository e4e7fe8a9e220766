// The live inbox at /inbox/ as a signed-in team member sees it, and axe over the whole page.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect } from "@playwright/test";
import { WCAG_AA } from "./axe.mjs";

// Evaluated rather than added as a <script>: /inbox/'s Content-Security-Policy blocks inline scripts.
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export class Inbox {
  constructor(page, baseUrl = process.env.QUINCER_URL) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.form = page.getByTestId("sign-in-form");
    this.email = page.getByLabel("Email");
    this.password = page.getByLabel("Password");
    this.signInError = page.getByTestId("sign-in-error");
    this.list = page.getByRole("listbox", { name: "Conversations" });
    this.me = page.getByTestId("me");
    this.live = page.getByTestId("live");
    this.error = page.getByTestId("error");
    this.notice = page.getByTestId("notice");
    this.holder = page.getByTestId("conversation-holder");
    this.takeOver = page.getByTestId("take-over");
    this.handBack = page.getByTestId("hand-back");
    this.composer = page.getByLabel("Reply to the visitor");
    this.send = page.getByTestId("send");
    this.transcript = page.getByTestId("transcript");
    this.signOut = page.getByTestId("sign-out");
  }

  goto() {
    return this.page.goto(`${this.baseUrl}/inbox/`);
  }

  async signIn(email, password) {
    await this.goto();
    await this.email.fill(email);
    await this.password.fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
    await expect(this.me).toBeVisible();
    await expect(this.live).toHaveText("Live");
  }

  /** The option of conversation `id` in the list. */
  row(id) {
    return this.page.locator(`[role="option"][data-id="${id}"]`);
  }

  /** Messages of the open transcript with role `role` (`user`, `assistant`, `agent`). */
  messages(role) {
    return this.transcript.locator(`[data-role="${role}"] .text`);
  }
}

/** Runs axe (WCAG 2.2 AA) on the whole page and asserts it finds nothing; `state` names it in the failure. */
export async function expectPageAccessible(page, state) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary.replace(/\s+/g, " ")}`),
    }));
  }, WCAG_AA);
  expect(violations, `axe violations in state "${state}"`).toEqual([]);
}
