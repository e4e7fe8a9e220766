// Widget settings enforced in the browser: allowed origins, and key rotation / revocation.
import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";

const api = (request, method, path, data) =>
  request.fetch(`${process.env.QUINCER_URL}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${process.env.QUINCER_DEV_KEY}` },
    data,
  });

/** A page on the server's origin embedding the widget with `key`, the pointer moved over its launcher (which loads
 *  the widget, and so sends the key to the server); collects console errors. */
async function embed(page, key) {
  const url = `${process.env.QUINCER_URL}/e2e/keys-${Math.random().toString(36).slice(2)}.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html><body><h1>Shop</h1><script async src="/quincer.js" data-widget-key="${key}"></script></body></html>`,
    }),
  );
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  await page.getByTestId("quincer-launcher").hover();
  return errors;
}

/** Opens the widget and gets an answer (on top of any restored ones). */
async function chats(page) {
  const widget = new Widget(page);
  await widget.open();
  const before = await widget.messagesWithRole("assistant").count();
  await widget.ask("hi");
  await expect(widget.messagesWithRole("assistant")).toHaveCount(before + 1);
}

test("a page whose origin the widget does not allow gets no widget; allowing it fixes that", async ({ page, request }) => {
  const created = await api(request, "POST", "/widgets", {
    brand: "Origin Test",
    websiteUrl: "https://shop.example",
    allowed_origins: ["https://shop.example"],
  });
  expect(created.status()).toBe(201);
  const widget = await created.json();
  const errors = await embed(page, widget.api_key);
  await expect.poll(() => errors.join("\n")).toContain("does not allow requests from");
  await expect(page.getByTestId("quincer-launcher")).toHaveCount(0);

  const updated = await api(request, "POST", `/widgets/${widget.id}`, {
    allowed_origins: ["https://shop.example", new URL(process.env.QUINCER_URL).origin],
  });
  expect(updated.status()).toBe(200);
  await embed(page, widget.api_key);
  await chats(page);
});

test("a rotated key works at once; a revoked key stops working at once", async ({ page, request }) => {
  const widget = await (await api(request, "POST", "/widgets", { brand: "Rotation Test" })).json();
  const old = widget.api_key;
  const minted = await api(request, "POST", `/widgets/${widget.id}/keys`);
  expect(minted.status()).toBe(201);
  const fresh = (await minted.json()).key;
  expect(fresh).toMatch(/^cw_live_/);

  await embed(page, fresh);
  await chats(page);

  expect((await api(request, "DELETE", `/widgets/${widget.id}/keys/${old}`)).status()).toBe(200);
  const errors = await embed(page, old);
  await expect.poll(() => errors.join("\n")).toContain("revoked");
  await expect(page.getByTestId("quincer-launcher")).toHaveCount(0);

  await embed(page, fresh);
  await chats(page);
});
