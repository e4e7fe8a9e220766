// A hostile host page: global CSS resets with !important, hidden divs, maximal z-indexes, patched built-ins and an
// AMD loader. The widget must still work, and must not change the page's own layout.
import { test, expect } from "@playwright/test";
import { Widget } from "./pages/widget.mjs";

const HOSTILE = `
  <style>
    * { all: unset !important; }
    html, body, main, p, h1, section { display: block !important; }
    main div { display: none; }
    .banner { position: fixed !important; right: 0 !important; bottom: 0 !important; width: 160px !important;
              height: 160px !important; z-index: 2147483647 !important; display: block !important; }
    .wide { width: 1200px !important; margin: 7px !important; padding: 3px !important; display: block !important; }
  </style>
  <script>
    // Prototype.js-era patches, a JSON.stringify that refuses to work, and an AMD loader that must not be used.
    Array.prototype.toJSON = function () { return "hijacked"; };
    Array.prototype.each = function () { throw new Error("each() called on the page's Array.prototype"); };
    Object.defineProperty(Array.prototype, "first", { value: function () { return this[0]; }, enumerable: true });
    JSON.stringify = function () { throw new Error("JSON.stringify was called"); };
    window.define = function () { throw new Error("AMD define was called"); };
    window.define.amd = {};
  </script>`;

const BODY = `
  <main>
    <h1>Hostile shop</h1>
    <div>Hidden content</div>
    <section class="wide"><p>Wide content</p></section>
    <p>Some text</p>
  </main>
  <section class="banner">Cookie banner</section>`;

/** The page (by default the hostile one above), with or without the snippet. */
async function open(page, withWidget, { head = HOSTILE, body = BODY } = {}) {
  const url = `${process.env.QUINCER_URL}/e2e/hostile-${withWidget ? "w" : "n"}${Math.random().toString(36).slice(2)}.html`;
  const snippet = withWidget
    ? `<script async src="/quincer.js" data-widget-key="${process.env.QUINCER_WIDGET_KEY}"></script>`
    : "";
  await page.route(url, (route) =>
    route.fulfill({ contentType: "text/html", body: `<!doctype html><html><head>${head}</head><body>${body}${snippet}</body></html>` }),
  );
  await page.goto(url);
}

/** Boxes and key computed styles of every page element (not scripts, not the widget's host). */
function layout(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("body *:not(script):not([data-quincer-widget])")].map((el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return [el.tagName, r.x, r.y, r.width, r.height, s.display, s.position, s.fontSize, s.color, s.margin, s.zIndex];
    }),
  );
}

test("the widget works on a hostile page and leaves its layout untouched", async ({ page }) => {
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await open(page, false);
  const without = await layout(page);

  await open(page, true);
  const widget = new Widget(page);
  await expect(widget.launcher).toBeVisible();
  // Above the page's own maximal z-index banner, in the same corner: the click reaches the launcher.
  await widget.open();
  await widget.ask("How long does shipping take?");
  await expect(widget.messagesWithRole("assistant")).toContainText("business days");
  await widget.ask("Do you have a waterproof jacket under $150?");
  await expect(page.getByTestId("quincer-product-card").first()).toBeVisible();
  await page.getByTestId("quincer-close").click();

  expect(await layout(page)).toEqual(without);
  expect(errors).toEqual([]);
});

test("page rules can neither hide, move nor disable the launcher, and no inherited page style reaches the panel", async ({ page }) => {
  // Rules a page may have for its own divs (the host is one): some would hide, move or disable the launcher, the
  // others be inherited by the panel (the widget's `:host { all: initial }` loses to a page's !important rule).
  const css = `div { opacity: 0 !important; visibility: hidden !important; pointer-events: none !important;
      transform: translate(-300px, -300px) !important; filter: blur(6px) !important; clip-path: inset(50%) !important;
      letter-spacing: 9px !important; font-style: italic !important; }`;
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, true, { head: `<style>${css}</style>`, body: "<p>Shop</p>" });
  const widget = new Widget(page);
  await expect(widget.launcher).toBeVisible();
  // Before the widget loads (the loader's launcher): in its corner, drawn as is, and the target of a click there.
  const drawn = await page.evaluate(() => {
    const host = document.querySelector("[data-quincer-widget]");
    const r = host.shadowRoot.querySelector(".launcher").getBoundingClientRect();
    const s = getComputedStyle(host);
    return {
      box: [r.right, r.bottom],
      host: [s.opacity, s.visibility, s.pointerEvents, s.transform, s.filter, s.clipPath],
      hit: document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === host,
      loaded: !!host.shadowRoot.querySelector("link[rel=stylesheet]"),
    };
  });
  expect(drawn).toEqual({ box: [1260, 780], host: ["1", "visible", "auto", "none", "none", "none"], hit: true, loaded: false });
  await widget.open();
  // Once loaded: none of the host's page styles is inherited by the panel.
  const text = await widget.panel.evaluate((el) => [getComputedStyle(el).letterSpacing, getComputedStyle(el).fontStyle]);
  expect(text).toEqual(["normal", "normal"]);
});
