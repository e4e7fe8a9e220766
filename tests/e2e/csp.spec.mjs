// The widget on a page with a strict Content-Security-Policy: the policy documented in docs/EMBED.md, "Strict CSP".
import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";

test("the widget works under a strict CSP, with no violation reported", async ({ page }) => {
  const origin = process.env.QUINCER_URL;
  const nonce = "n0nce" + Math.random().toString(36).slice(2);
  // Exactly the documented policy, with the API base as the widget's host.
  const policy = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' ${origin} 'wasm-unsafe-eval'`,
    `style-src ${origin}`,
    `connect-src ${origin}`,
    `img-src ${origin} data:`,
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
  const url = `${origin}/e2e/csp-${Math.random().toString(36).slice(2)}.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: "text/html",
      headers: { "Content-Security-Policy": policy },
      body: `<!doctype html><html><head>
        <script nonce="${nonce}">window.Quincer = window.Quincer || function () { (window.Quincer.q = window.Quincer.q || []).push(arguments); };</script>
        </head><body><h1>Strict page</h1>
        <script async nonce="${nonce}" src="/quincer.js" data-widget-key="${process.env.QUINCER_WIDGET_KEY}"></script>
        </body></html>`,
    }),
  );
  const violations = [];
  page.on("console", (m) => /Content Security Policy|Refused to/i.test(m.text()) && violations.push(m.text()));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener(
      "securitypolicyviolation",
      (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
      true,
    );
  });
  await page.goto(url);

  const widget = new Widget(page);
  await widget.open();
  // The stylesheet applied (a fixed launcher in the corner), colours set, answers stream, product images load.
  await expect(widget.launcher).toHaveCSS("position", "fixed");
  await expect(page.locator(".header")).not.toHaveCSS("background-color", "rgba(0, 0, 0, 0)");
  await widget.ask("Do you have a waterproof jacket under $150?");
  await expect(page.getByTestId("quincer-product-card").first()).toBeVisible();
  await expect(page.getByTestId("quincer-product-card").first().locator("img")).toHaveJSProperty("complete", true);
  await widget.ask("How long does shipping take?");
  await expect(widget.messagesWithRole("assistant").last()).toContainText("business days");

  expect(await page.evaluate(() => window.__violations)).toEqual([]);
  expect(violations).toEqual([]);
});

test("a policy that blocks the widget's stylesheet gets a console error naming the fix, and no unstyled panel", async ({
  page,
}) => {
  const origin = process.env.QUINCER_URL;
  const url = `${origin}/e2e/csp-nostyle-${Math.random().toString(36).slice(2)}.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: "text/html",
      headers: { "Content-Security-Policy": `script-src ${origin} 'wasm-unsafe-eval'; style-src 'none'` },
      body: `<!doctype html><html><body><h1>Strict page</h1>
        <script async src="/quincer.js" data-widget-key="${process.env.QUINCER_WIDGET_KEY}"></script></body></html>`,
    }),
  );
  const errors = [];
  page.on("console", (m) => m.type() === "error" && m.text().startsWith("Quincer:") && errors.push(m.text()));
  await page.goto(url);
  const widget = new Widget(page);
  // The launcher's own rules are a constructed stylesheet, which style-src does not govern.
  await expect(widget.launcher).toBeVisible();
  // The pointer's arrival starts loading the widget and its stylesheet.
  await widget.launcher.hover();
  await expect.poll(() => errors).toEqual([expect.stringMatching(/could not load .*quincer\.css.*style-src/)]);
  // The panel's stylesheet is refused: the widget leaves the page as it was rather than show an unstyled panel.
  await expect(widget.launcher).not.toBeAttached();
  await expect(page.locator("[data-quincer-widget]")).toHaveCount(0);
});
