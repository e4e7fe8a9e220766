import { test, expect } from "@playwright/test";

/** Serves a page on the server's origin that embeds the loader with `key`, and records console errors and API calls. */
async function embed(page, key) {
  const url = `${process.env.QUINCER_URL}/e2e/embed-${Math.random().toString(36).slice(2)}.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html><body><h1>Host page</h1><script async src="/quincer.js" data-widget-key="${key}"></script></body></html>`,
    }),
  );
  const errors = [];
  const apiCalls = [];
  page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
  page.on("request", (req) => req.url().includes("/api/") && apiCalls.push(req.url()));
  await page.goto(url);
  return { errors, apiCalls };
}

test("a developer key is refused before any request, with a console error", async ({ page }) => {
  const { errors, apiCalls } = await embed(page, process.env.QUINCER_DEV_KEY);
  await expect.poll(() => errors.join("\n")).toContain("developer key");
  expect(errors.join("\n")).toContain("server-side");
  // The loader removes the widget once the wasm's mount has refused the key; a session request from a boot that
  // mount had started anyway would have been sent before (its first step runs before the loader hears of the
  // refusal).
  await expect(page.locator("[data-quincer-widget]")).toHaveCount(0);
  expect(apiCalls).toEqual([]);
  await expect(page.getByTestId("quincer-launcher")).toHaveCount(0);
});

test("a key that is not a widget key is refused", async ({ page }) => {
  const { errors, apiCalls } = await embed(page, "pk_test_123");
  await expect.poll(() => errors.join("\n")).toContain('must start with "cw_live_"');
  expect(apiCalls).toEqual([]);
  await expect(page.getByTestId("quincer-launcher")).toHaveCount(0);
});

test("an unknown widget key shows no widget and says why", async ({ page }) => {
  const { errors } = await embed(page, "cw_live_doesnotexist0000000000000000");
  // The key goes to the server when the widget loads: when the visitor reaches for the launcher.
  await page.getByTestId("quincer-launcher").hover();
  await expect.poll(() => errors.join("\n")).toContain("unknown widget key");
  await expect(page.getByTestId("quincer-launcher")).toHaveCount(0);
});
