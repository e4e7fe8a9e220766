import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";

test("the widget lives in an open shadow root and adds no styles to the page", async ({ page }) => {
  const widget = new Widget(page);
  await widget.goto();
  const placement = await page.evaluate(() => {
    const host = document.querySelector("[data-quincer-widget]");
    const root = host && host.shadowRoot;
    return {
      hasShadow: !!root,
      launcherInShadow: !!(root && root.querySelector('[data-testid="quincer-launcher"]')),
      launcherInLightDom: !!document.querySelector('[data-testid="quincer-launcher"]'),
      styleInShadow: !!(root && root.querySelector("link[rel=stylesheet]")?.sheet),
      pageStyleSheets: document.styleSheets.length,
    };
  });
  expect(placement).toEqual({
    hasShadow: true,
    launcherInShadow: true,
    launcherInLightDom: false,
    styleInShadow: true,
    pageStyleSheets: 1, // the demo page's own <style>, nothing added
  });
  // Until the widget loads, the stylesheet's default colour; once it has (on intent), the persona's.
  await expect(widget.launcher).toHaveCSS("background-color", "rgb(79, 70, 229)");
  await widget.launcher.hover();
  await expect(widget.launcher).toHaveCSS("background-color", "rgb(15, 118, 110)");
});
