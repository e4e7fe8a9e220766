// The Shopify theme app extension (shopify/extensions/quincer-chat), checked without Shopify: its files have the
// shape Shopify CLI expects, and its app embed block renders exactly the documented embed snippet (README.md,
// docs/EMBED.md) for a cw_live_ key and no <script> at all for anything else, above all a cw_dev_ key. The block is
// rendered by a small Liquid interpreter (tests/support/mini-liquid.mjs) that throws on any Liquid it does not know.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { render, schemaOf } from "../support/mini-liquid.mjs";

const root = resolve(import.meta.dirname, "../..");
const extension = resolve(root, "shopify/extensions/quincer-chat");
const block = readFileSync(resolve(extension, "blocks/quincer-chat.liquid"), "utf8");

const LIVE_KEY = "cw_live_4fQx9TzB2mKd";
const DEV_KEY = "cw_dev_sk9Lw2Qe7Rt1";

/** The embed tag of a document (the first html block of its `section`). */
function documentedTag(file, section) {
  const text = readFileSync(resolve(root, file), "utf8");
  const start = text.indexOf(`\n${section}\n`);
  assert.ok(start >= 0, `${file} has no "${section}" section`);
  const tag = text.slice(start).match(/```html\n(<script[^\n]*><\/script>)\n```/)?.[1];
  assert.ok(tag, `${file}, "${section}": no embed tag`);
  assert.match(tag, /https:\/\/YOUR-HOST\/quincer\.js.*"cw_live_…"/, `${file}: the embed tag changed shape`);
  return tag;
}

/** The embed tag of the README's "## Embed" and docs/EMBED.md's "## The snippet" (the same), filled in. */
function documentedSnippet(host, key) {
  const tag = documentedTag("docs/EMBED.md", "## The snippet");
  assert.equal(documentedTag("README.md", "## Embed"), tag, "README.md and docs/EMBED.md show different tags");
  return tag.replace("https://YOUR-HOST", host).replace("cw_live_…", key);
}

/** Renders the block as Shopify would with these block settings, on a page of the given template. */
function renderBlock(settings, templateName = "index") {
  const withDefaults = schemaOf(block).settings.filter((s) => "default" in s);
  const defaults = Object.fromEntries(withDefaults.map((s) => [s.id, s.default]));
  return render(block, { block: { settings: { ...defaults, ...settings } }, template: { name: templateName } }).trim();
}

test("shopify.extension.toml declares a theme app extension", () => {
  const toml = readFileSync(resolve(extension, "shopify.extension.toml"), "utf8");
  assert.match(toml, /^type = "theme"$/m);
  assert.match(toml, /^name = "[^"]+"$/m);
});

test("the block's schema is an app embed block with the key and host settings", () => {
  const schema = schemaOf(block);
  assert.equal(schema.name, "Quincer chat");
  assert.equal(schema.target, "body", "app embed blocks target the body");
  const byId = Object.fromEntries(schema.settings.map((s) => [s.id, s]));
  for (const setting of schema.settings) {
    assert.ok(setting.id && setting.type && setting.label, `setting ${JSON.stringify(setting)} needs id, type, label`);
  }
  assert.equal(byId.widget_key.type, "text");
  assert.ok(!("default" in byId.widget_key), "no default key: each shop pastes its own");
  assert.match(byId.widget_key.info, /cw_live_/);
  assert.equal(byId.host.type, "text");
  assert.equal(byId.host.default, "https://chat.quincer.com");
  assert.equal(byId.show_on.type, "select");
  assert.deepEqual(byId.show_on.options.map((o) => o.value), ["all", "product"]);
  assert.equal(byId.show_on.default, "all");
});

test("a cw_live_ key renders exactly the documented embed snippet", () => {
  assert.equal(renderBlock({ widget_key: LIVE_KEY }), documentedSnippet("https://chat.quincer.com", LIVE_KEY));
  assert.equal(
    renderBlock({ widget_key: `  ${LIVE_KEY}\n`, host: " https://chat.example.com/ " }),
    documentedSnippet("https://chat.example.com", LIVE_KEY),
    "spaces around the pasted values and one trailing slash on the host are dropped",
  );
  const snippet = documentedSnippet("https://chat.quincer.com", LIVE_KEY);
  assert.equal(renderBlock({ widget_key: LIVE_KEY, host: "" }), snippet);
});

test("a cw_dev_ key is never written into the page", () => {
  for (const key of [DEV_KEY, ` ${DEV_KEY}`]) {
    const out = renderBlock({ widget_key: key });
    assert.doesNotMatch(out, /<script/);
    assert.ok(!out.includes(DEV_KEY.trim()), "not even in the explanatory comment");
    assert.match(out, /^<!-- Quincer chat is off: .*cw_dev_ developer key.* -->$/);
  }
});

test("an empty, missing or malformed key renders only a comment", () => {
  for (const key of ["", "   ", undefined, "live_abc", "cw_live", `x${LIVE_KEY}`, LIVE_KEY.toUpperCase()]) {
    const out = renderBlock({ widget_key: key });
    assert.match(out, /^<!-- Quincer chat is off: .*cw_live_.* -->$/, `key ${JSON.stringify(key)}`);
  }
});

test("a host that is not https:// renders only a comment", () => {
  for (const host of ["http://chat.example.com", "chat.example.com", "//chat.example.com", "javascript:alert(1)//"]) {
    const out = renderBlock({ widget_key: LIVE_KEY, host });
    assert.match(out, /^<!-- Quincer chat is off: .*https:\/\/.* -->$/, `host ${JSON.stringify(host)}`);
  }
});

test("settings are HTML-escaped into the tag", () => {
  const out = renderBlock({
    widget_key: `${LIVE_KEY}"><img src=x onerror=alert(1)>`,
    host: `https://chat.example.com/"'`,
  });
  assert.equal(
    out,
    `<script async src="https://chat.example.com/&quot;&#39;/quincer.js" ` +
      `data-widget-key="${LIVE_KEY}&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"></script>`,
  );
});

test("'Product pages only' renders the tag on product pages alone", () => {
  const settings = { widget_key: LIVE_KEY, show_on: "product" };
  assert.equal(renderBlock(settings, "product"), documentedSnippet("https://chat.quincer.com", LIVE_KEY));
  for (const page of ["index", "collection", "cart", "page"]) {
    assert.equal(renderBlock(settings, page), "<!-- Quincer chat is set to show on product pages only. -->");
  }
  const everywhere = { widget_key: LIVE_KEY, show_on: "all" };
  assert.equal(renderBlock(everywhere, "cart"), documentedSnippet("https://chat.quincer.com", LIVE_KEY));
});

test("the mini Liquid interpreter refuses what it does not know", () => {
  assert.throws(() => render("{{ x | upcase }}", {}), /unsupported filter upcase/);
  assert.throws(() => render("{% for x in y %}{% endfor %}", {}), /unsupported tag/);
  assert.throws(() => render("{% if a > 1 %}{% endif %}", { a: 2 }), /unsupported operator/);
  assert.throws(() => render("{% if a %}", {}), /missing/);
});
