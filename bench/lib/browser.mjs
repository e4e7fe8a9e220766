// Debian's Chromium through Playwright (never a downloaded browser), and small helpers shared by the browser parts.
import { chromium } from "@playwright/test";

/** Launches Chromium headless with the same flags as the e2e suite. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

/** The median of `values` (0 when empty). */
export function median(values) {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Resolves once the widget on `page` has booted (`quincer:ready`), listening from the start of the page. */
export const READY_PROBE = () => {
  window.__benchReady = new Promise((ok) => window.addEventListener("quincer:ready", () => {
    window.__benchReadyAt = performance.now();
    ok(window.__benchReadyAt);
  }));
};

/**
 * Loads the widget on `page` without opening it, the way a visitor's pointer over the launcher does (the loader
 * loads it only when needed), and resolves once it has booted. Needs READY_PROBE.
 */
export async function boot(page) {
  await page.getByTestId("quincer-launcher").hover();
  await page.evaluate(() => window.__benchReady);
  // Off the launcher again: a hover is not what the parts measure.
  await page.mouse.move(0, 0);
}

/** Runs in the page: the widget's shadow root. */
export const shadowRoot = () => document.querySelector("[data-quincer-widget]")?.shadowRoot;

/**
 * Runs in the page from its start: remembers when the visitor last pressed a pointer (the click's start, as the
 * browser stamped it), for measuring what a click costs until something is ready.
 */
export const CLICK_CLOCK = () => {
  window.addEventListener("pointerdown", (e) => { window.__benchClick = e.timeStamp; }, { capture: true });
};

/**
 * Runs in the page: resolves with `performance.now()` at the first moment `check(root)` holds, checking on every
 * change in the widget's shadow root and every frame (the check may force layout, which is part of the cost).
 * `check` is a function's source, evaluated in the page.
 */
export const WHEN = async ({ check, timeout }) => {
  const test = new Function("root", `return (${check})(root);`);
  const root = document.querySelector("[data-quincer-widget]").shadowRoot;
  return new Promise((ok, fail) => {
    let done = false;
    const finish = () => {
      if (done || !test(root)) return;
      done = true;
      observer.disconnect();
      // The time-out's closure holds this check: left pending, it would count in the page's heap (part 5).
      clearTimeout(timer);
      ok(performance.now());
    };
    const observer = new MutationObserver(finish);
    observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    const frame = () => { if (!done) { finish(); requestAnimationFrame(frame); } };
    requestAnimationFrame(frame);
    const timer = setTimeout(() => { if (!done) { done = true; observer.disconnect(); fail(new Error("timed out")); } }, timeout);
  });
};
