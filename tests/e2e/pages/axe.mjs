// axe-core (from npm) run on the widget only: its shadow root, launcher and panel, under the WCAG 2.2 AA rules.
import { createRequire } from "node:module";
import { expect } from "@playwright/test";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
/** The rule tags of WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/** Runs axe on the widget's host element (and so its shadow tree); returns the violations, summarised. */
export async function widgetViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: axePath });
  // Colours are measured as drawn: let finite animations (the panel fading in) end first.
  await page.evaluate(() => {
    const root = document.querySelector("[data-quincer-widget]")?.shadowRoot;
    const running = root ? root.getAnimations({ subtree: true }) : [];
    return Promise.all(running.filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished));
  });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(
      { include: [["[data-quincer-widget]"]] },
      { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary.replace(/\s+/g, " ")}`),
    }));
  }, WCAG_AA);
}

/** Asserts axe finds nothing in the widget in its current state (`state` names it in the failure). */
export async function expectAccessible(page, state) {
  expect(await widgetViolations(page), `axe violations in state "${state}"`).toEqual([]);
}
