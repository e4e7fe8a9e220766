// The XSS corpus (tests/xss/payloads.json) and the checks every field it is fed through must pass.
//
// Every payload calls the global `__xss()` if it ever runs; `trap` installs that function (and alert, confirm,
// prompt) as recorders before any page script, and `inspect` reads the record and audits the shadow root.
import { readFileSync } from "node:fs";
import { expect } from "@playwright/test";

/** The payloads: classic HTML/SVG/event-handler vectors, URL schemes, entities, markdown-specific tricks. */
export const PAYLOADS = JSON.parse(readFileSync(new URL("../../xss/payloads.json", import.meta.url), "utf8"));

/** Elements the widget itself creates; anything else in its shadow root came from untrusted text. */
export const ALLOWED_TAGS = [
  "a", "br", "button", "code", "div", "em", "form", "i", "img", "input", "label", "li", "link", "ol", "option",
  "p", "path", "pre", "s", "section", "select", "span", "strong", "svg", "textarea", "ul",
];

/** Records every call of `__xss`, `alert`, `confirm` and `prompt` on `page` (and its reloads). */
export async function trap(page) {
  await page.addInitScript(() => {
    window.__xssCalls = [];
    window.__xss = (...args) => window.__xssCalls.push(["__xss", ...args]);
    for (const name of ["alert", "confirm", "prompt"]) window[name] = (...args) => window.__xssCalls.push([name, ...args]);
  });
}

/** Groups `items` into arrays of `size`. */
export function chunks(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Audits the widget's shadow root: trap calls, elements outside the allow-list, event-handler attributes, links
 * and sources that are not http(s) (links may also be mailto:/tel:), scripted styles. Returns what it found and
 * how many elements it looked at.
 */
export function inspect(page) {
  return page.evaluate((allowed) => {
    const root = document.querySelector("[data-quincer-widget]")?.shadowRoot;
    const problems = [];
    const elements = root ? [...root.querySelectorAll("*")] : [];
    const urlAttributes = ["href", "src", "xlink:href", "action", "formaction", "srcset", "poster", "background", "data"];
    for (const el of elements) {
      const tag = el.localName;
      if (!allowed.includes(tag)) problems.push(`element <${tag}>`);
      for (const name of el.getAttributeNames()) {
        const value = el.getAttribute(name);
        if (name.startsWith("on")) problems.push(`<${tag} ${name}>`);
        if (urlAttributes.includes(name)) {
          let scheme = "unparseable:";
          try {
            scheme = new URL(value, "https://base.invalid/").protocol;
          } catch {}
          const ok = tag === "a" && name === "href" ? ["http:", "https:", "mailto:", "tel:"] : ["http:", "https:"];
          if (!ok.includes(scheme)) problems.push(`<${tag} ${name}="${value}">`);
        }
        if (name === "style" && /url\s*\(|expression\s*\(|javascript:|@import/i.test(value)) {
          problems.push(`<${tag} style="${value}">`);
        }
      }
    }
    return { calls: window.__xssCalls ?? ["trap missing"], problems: [...new Set(problems)], elements: elements.length };
  }, ALLOWED_TAGS);
}

/** Asserts nothing ran and nothing unsafe is in the shadow root; `minElements` guards against auditing nothing. */
export async function expectClean(page, minElements = 10) {
  const found = await inspect(page);
  expect(found.calls, "a payload ran").toEqual([]);
  expect(found.problems, "unsafe markup in the shadow root").toEqual([]);
  expect(found.elements).toBeGreaterThanOrEqual(minElements);
  return found;
}

/** A UI-message-stream body (SSE) from chunks. */
export function streamBody(chunkList) {
  return chunkList.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
}

/** A product panel whose every text field and URL is a payload (urls are mostly javascript:/data:). */
export function hostilePanel(payloads, firstId = 1) {
  return {
    currency: "USD",
    products: payloads.map((p, i) => ({
      id: firstId + i,
      title: p,
      url: i % 2 ? `javascript:__xss(${i})` : `https://example.com/products/${encodeURIComponent(p)}`,
      vendor: p,
      image: { src: i % 3 ? `javascript:__xss(${i})` : `data:image/svg+xml,${encodeURIComponent(p)}`, width: 10, height: 10, alt: p },
      options: [{ name: p, values: [p, `${p} 2`] }],
      variants: [
        { id: 10000 + i, title: p, options: [p], price: "10.00", compare_at_price: "12.00", available: true },
        { id: 20000 + i, title: `${p} 2`, options: [`${p} 2`], price: p, available: i % 2 === 0 },
      ],
    })),
  };
}
