// Screenshots of the widget's main states for the README: `node scripts/screenshots.mjs` (after `./build.sh build`
// and `cargo build -p quincer-server`) writes docs/screenshots/*.png from a real server and Chromium.
import { chromium } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { startServer } from "../tests/support/server.mjs";

const out = resolve(import.meta.dirname, "../docs/screenshots");
mkdirSync(out, { recursive: true });
const server = await startServer({ replyPaceMs: 5 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

async function dev(method, path, body) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${server.devKey}`, "Content-Type": "application/json" },
    body: body && JSON.stringify(body),
  });
  return res.json();
}

/** A fresh page on the demo site; returns the page once the launcher shows. */
async function open({ scheme = "light", locale = "en-US", viewport = { width: 1000, height: 760 }, mobile = false } = {}) {
  const context = await browser.newContext({ colorScheme: scheme, locale, viewport, isMobile: mobile, hasTouch: mobile });
  const page = await context.newPage();
  await page.goto(server.demoUrl);
  await page.getByTestId("quincer-launcher").waitFor();
  return page;
}

async function ask(page, text) {
  await page.getByTestId("quincer-input").fill(text);
  await page.getByTestId("quincer-send").click();
  await page.getByTestId("quincer-send").waitFor({ timeout: 15000 });
}

const shot = (page, name) => page.screenshot({ path: `${out}/${name}.png` });

try {
  let page = await open();
  await shot(page, "1-closed");
  await page.getByTestId("quincer-launcher").click();
  await page.getByTestId("quincer-panel").waitFor();
  await shot(page, "2-open");
  await ask(page, "Do you have a waterproof jacket under $150?");
  await page.getByTestId("quincer-product-card").first().waitFor();
  await shot(page, "3-product-panel");
  const id = await page.evaluate((key) => localStorage.getItem(`quincer:${key}:conversation_id`), server.widgetKey);
  await dev("POST", `/conversations/${id}/takeover`, { actor_name: "Priya" });
  await dev("POST", `/conversations/${id}/reply`, { text: "Hi, Priya here! The **Storm Shell** is back in stock in M." });
  await page.getByText("Priya here").waitFor();
  await shot(page, "4-human-takeover");
  await page.context().close();

  page = await open({ scheme: "dark" });
  await page.getByTestId("quincer-launcher").click();
  await ask(page, "What is your return policy?");
  await shot(page, "5-dark");
  await page.context().close();

  page = await open({ locale: "ar-EG" });
  await page.getByTestId("quincer-launcher").click();
  await ask(page, "What is your return policy?");
  await shot(page, "6-arabic-rtl");
  await page.context().close();

  page = await open({ viewport: { width: 390, height: 760 }, mobile: true });
  await page.getByTestId("quincer-launcher").tap();
  await ask(page, "What is your return policy?");
  await shot(page, "7-phone");
  await page.context().close();
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
