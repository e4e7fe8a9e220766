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
      // Until the widget loads, no stylesheet at all: the loader draws the launcher inline.
      stylesheetsInShadow: root ? root.adoptedStyleSheets.length + root.styleSheets.length : -1,
      panelStylesheet: !!(root && root.querySelector("link[rel=stylesheet]")),
      pageStyleSheets: document.styleSheets.length + document.adoptedStyleSheets.length,
    };
  });
  expect(placement).toEqual({
    hasShadow: true,
    launcherInShadow: true,
    launcherInLightDom: false,
    stylesheetsInShadow: 0,
    panelStylesheet: false,
    pageStyleSheets: 1, // the demo page's own <style>, nothing added
  });
  // Until the widget loads, the default colour; once it has (on intent), the persona's.
  await expect(widget.launcher).toHaveCSS("background-color", "rgb(79, 70, 229)");
  await widget.launcher.hover();
  await expect(widget.launcher).toHaveCSS("background-color", "rgb(15, 118, 110)");
  // The panel's stylesheet came with the widget, into the shadow root; the page still has only its own.
  expect(
    await page.evaluate(() => {
      const root = document.querySelector("[data-quincer-widget]").shadowRoot;
      return [!!root.querySelector("link[rel=stylesheet]")?.sheet, document.styleSheets.length];
    }),
  ).toEqual([true, 1]);
});
