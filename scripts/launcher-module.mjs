// Writes dist/launcher.js, the small ES module the loader (www/quincer.js) imports at idle time to draw the
// launcher: `css`, its few rules (www/launcher.css, minified), adopted as a constructed stylesheet, and `labels`, its
// name in every language (`launcher.open` of i18n/*.json), so the launcher the loader draws before the widget loads
// is named in the visitor's language. Kept out of the loader, which has a 2 KB brotli budget (docs/PERFORMANCE.md).
// Usage: node scripts/launcher-module.mjs <launcher stylesheet> <output>.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { minify } from "./minify-css.mjs";

const [stylesheet, output] = process.argv.slice(2);
const dir = resolve(import.meta.dirname, "../i18n");
const labels = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  const strings = JSON.parse(readFileSync(`${dir}/${file}`, "utf8"));
  labels[file.slice(0, -5)] = strings["launcher.open"];
}
if (typeof labels.en !== "string") {
  console.error("launcher-module: i18n/en.json lacks launcher.open");
  process.exit(1);
}
writeFileSync(output, `export const css=${JSON.stringify(minify(readFileSync(stylesheet, "utf8")))},labels=${JSON.stringify(labels)};\n`);
