// Product panels on the demo storefront: cards from the store's catalog, variants, add to cart.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { ProductCard, ProductPanel } from "./pages/product-panel.mjs";
import { Widget } from "./pages/widget.mjs";

const catalog = JSON.parse(readFileSync(new URL("../../www/shop/catalog.json", import.meta.url))).products;
const product = (title) => catalog.find((p) => p.title === title);
const storeUrl = () => `${process.env.QUINCER_URL}/shop/`;

/** Opens the store, asks `question` and returns the answer's cards. */
async function askStore(page, question, url = storeUrl()) {
  const widget = new Widget(page);
  await widget.goto(url);
  await widget.open();
  await widget.ask(question);
  const cards = new ProductPanel(widget.messagesWithRole("assistant").last()).cards;
  return { widget, cards };
}

test("a product question answers with a panel of real product cards", async ({ page }) => {
  const { widget, cards } = await askStore(page, "Do you have a waterproof jacket under $150?");
  const reply = widget.messagesWithRole("assistant").last();
  await expect(reply).toContainText("under $150");
  await expect(cards.first()).toBeVisible();
  const titles = await cards.locator(".title").allTextContents();
  expect(titles.length).toBeGreaterThan(1);
  for (const title of titles) {
    const p = product(title);
    expect(p, title).toBeTruthy();
    expect(p.tags).toContain("waterproof");
    // The shown price is the preselected variant's, at most $150.
  }
  for (const price of await new ProductCard(cards).price.allTextContents()) {
    expect(Number(price.replace(/[^0-9.]/g, ""))).toBeLessThanOrEqual(150);
  }
  // Images are lazy, sized and described; links go to the product page in a new tab.
  const img = cards.first().locator("img");
  await expect(img).toHaveAttribute("loading", "lazy");
  await expect(img).toHaveAttribute("width", /\d+/);
  await expect(img).toHaveAttribute("alt", /.+/);
  const view = new ProductCard(cards.first()).view;
  await expect(view).toHaveAttribute("href", /^http:\/\/127\.0\.0\.1:\d+\/shop\/products\//);
  await expect(view).toHaveAttribute("rel", "noopener noreferrer");
});

test("switching a variant changes the price; a restored panel shows the same cards", async ({ page }) => {
  const stormline = product("Stormline 3L Jacket");
  const cheap = stormline.variants.find((v) => v.price === "289.00" && v.available);
  const dear = stormline.variants.find((v) => v.price === "299.00" && v.available);
  const { widget, cards } = await askStore(page, "Show me the Stormline 3L Jacket");
  const card = new ProductCard(cards.filter({ hasText: "Stormline 3L Jacket" }).first());
  await expect(card.root).toBeVisible();
  const selects = card.options;
  await selects.nth(0).selectOption(cheap.option1);
  await selects.nth(1).selectOption(cheap.option2);
  await expect(card.price).toHaveText("$289.00");
  await selects.nth(0).selectOption(dear.option1);
  await selects.nth(1).selectOption(dear.option2);
  await expect(card.price).toHaveText("$299.00");
  await expect(card.addToCart).toHaveAttribute("data-variant", String(dear.id));

  // Reload: the transcript comes back with its panel.
  await page.reload();
  await widget.open();
  await expect(new ProductPanel(widget.messagesWithRole("assistant").last()).cards.first()).toBeVisible();
});

test("add to cart posts the chosen variant to the store's cart and says so", async ({ page }) => {
  const drizzle = product("Drizzle Packable Rain Jacket");
  const variant = drizzle.variants.filter((v) => v.available)[1];
  const { cards } = await askStore(page, "Do you have the Drizzle Packable Rain Jacket?");
  const card = new ProductCard(cards.filter({ hasText: "Drizzle Packable Rain Jacket" }).first());
  const selects = card.options;
  await selects.nth(0).selectOption(variant.option1);
  await selects.nth(1).selectOption(variant.option2);

  const event = page.evaluate(
    () => new Promise((resolve) => addEventListener("quincer:add_to_cart", (e) => resolve(e.detail), { once: true })),
  );
  const request = page.waitForRequest((r) => r.url().endsWith("/shop/cart/add.js") && r.method() === "POST");
  await card.addToCart.click();
  expect(JSON.parse((await request).postData())).toEqual({ items: [{ id: variant.id, quantity: 1 }] });
  await expect(card.cartStatus).toHaveText("Added to cart ✓");
  expect(await event).toEqual({ product_id: String(drizzle.id), variant_id: String(variant.id), quantity: 1 });
  // The store's own cart has it, and the page's cart count followed the event.
  const cart = await page.evaluate(() => fetch("/shop/cart.js").then((r) => r.json()));
  expect(cart.items.map((i) => i.variant_id)).toContain(variant.id);
  await expect(page.getByTestId("cart-count")).toHaveText(String(cart.item_count));
});

test("a sold-out product cannot be added; the store's 422 message is shown", async ({ page }) => {
  const { cards } = await askStore(page, "Do you have any down parkas?");
  const parka = new ProductCard(cards.filter({ hasText: "Polar Expedition Parka" }).first());
  await expect(parka.addToCart).toBeDisabled();
  await expect(parka.addToCart).toHaveText("Sold out");

  // Stock can run out between the answer and the click: the store then answers 422 with a description.
  await page.route("**/shop/cart/add.js", (route) =>
    route.fulfill({
      status: 422,
      contentType: "application/json",
      body: JSON.stringify({ status: 422, message: "Cart Error", description: "Only 0 items left of this size." }),
    }),
  );
  const available = new ProductCard(cards.filter({ has: page.locator("[data-testid=quincer-add-to-cart]:enabled") }).first());
  await available.addToCart.click();
  await expect(available.cartStatus).toHaveText("Only 0 items left of this size.");
});

test("a theme's standard actions are used when it has them", async ({ page }) => {
  await page.addInitScript(() => {
    window.__calls = [];
    // What a Shopify theme exposes (Shopify.actions); defined once the page's own Shopify object exists.
    addEventListener("DOMContentLoaded", () => {
      window.Shopify.actions = {
        updateCart: async (request) => (window.__calls.push(["updateCart", request]), { cart: {}, userErrors: [] }),
        openCart: async () => window.__calls.push(["openCart"]),
      };
    });
  });
  const { cards } = await askStore(page, "Do you have the Skagen Rain Anorak?");
  const card = new ProductCard(cards.filter({ hasText: "Skagen Rain Anorak" }).first());
  const variant = await card.addToCart.getAttribute("data-variant");
  await card.addToCart.click();
  await expect(card.cartStatus).toHaveText("Added to cart ✓");
  expect(await page.evaluate(() => window.__calls)).toEqual([
    ["updateCart", { lines: [{ merchandiseId: `gid://shopify/ProductVariant/${variant}`, quantity: 1 }] }],
    ["openCart"],
  ]);
});

test("off Shopify the card links to the product instead of adding to a cart", async ({ page }) => {
  const { cards } = await askStore(page, "Do you have a waterproof jacket under $150?", process.env.QUINCER_DEMO_URL);
  await expect(cards.first()).toBeVisible();
  await expect(new ProductCard(cards).addToCart).toHaveCount(0);
  await expect(new ProductCard(cards.first()).view).toHaveText("View product");
});

test("the carousel is usable from the keyboard", async ({ page }) => {
  const { cards } = await askStore(page, "Do you have a waterproof jacket under $150?");
  await expect(cards.first()).toBeVisible();
  const next = page.getByRole("button", { name: "Next products" });
  await expect(next).toBeVisible();
  const list = cards.first().locator("xpath=..");
  const before = await list.evaluate((el) => el.scrollLeft);
  await next.focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => list.evaluate((el) => el.scrollLeft)).toBeGreaterThan(before);
  // Each card is labelled with its product and position.
  await expect(cards.first()).toHaveAttribute("aria-label", /\(1 of \d+\)$/);
});

test("product data is untrusted: text stays text, only http(s) URLs are used", async ({ page }) => {
  const evil = `<img src=x onerror="window.__xss=1">`;
  const panel = {
    currency: "USD",
    products: [
      {
        id: 1,
        title: evil,
        url: "javascript:window.__xss=2",
        vendor: evil,
        image: { src: "javascript:window.__xss=3", width: 10, height: 10, alt: evil },
        options: [{ name: evil, values: [evil] }],
        variants: [{ id: 2, title: evil, options: [evil], price: "10.00", available: true }],
      },
    ],
  };
  const chunks = [
    { type: "start", messageId: "msg_evil" },
    { type: "text-start", id: "t" },
    { type: "text-delta", id: "t", delta: "Here you go:" },
    { type: "text-end", id: "t" },
    { type: "tool-input-available", toolCallId: "call_x", toolName: "show_products", input: { query: "x" } },
    { type: "tool-output-available", toolCallId: "call_x", output: panel },
    { type: "finish" },
  ];
  await page.route("**/api/chat", (route) =>
    route.fulfill({
      status: 200,
      headers: { "content-type": "text/event-stream", "x-vercel-ai-ui-message-stream": "v1" },
      body: chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n",
    }),
  );
  const { cards } = await askStore(page, "anything");
  const card = new ProductCard(cards.first());
  await expect(card.root.locator(".title")).toHaveText(evil);
  await expect(card.root.locator("img")).toHaveCount(0); // the javascript: image is dropped, a placeholder shows
  await expect(card.view).toHaveCount(0); // no javascript: link
  await expect(card.options).toContainText(evil);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
});
