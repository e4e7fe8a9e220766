// Writes the loader (www/quincer.js) with the launcher's name in every language written into it: `labels`
// (`launcher.open` of i18n/*.json), so that the launcher the loader draws before the widget loads is named in the
// visitor's language. In the loader rather than in a module of its own: a second module costs every page view a
// fetch, a compile and a task (docs/PERFORMANCE.md, part 2). build.sh minifies the result.
// Usage: node scripts/inline-launcher.mjs <loader source> <output>.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const [loader, output] = process.argv.slice(2);
const dir = resolve(import.meta.dirname, "../i18n");
const labels = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  const strings = JSON.parse(readFileSync(`${dir}/${file}`, "utf8"));
  labels[file.slice(0, -5)] = strings["launcher.open"];
}
if (typeof labels.en !== "string") {
  console.error("inline-launcher: i18n/en.json lacks launcher.open");
  process.exit(1);
}
// The source's placeholder: English only (what the server sends when the loader was not built).
const PLACEHOLDER = /const labels = \{ en: "Open chat" \};/;
const source = readFileSync(loader, "utf8");
if (!PLACEHOLDER.test(source)) {
  console.error(`inline-launcher: ${loader} lacks the line ${PLACEHOLDER.source}`);
  process.exit(1);
}
writeFileSync(output, source.replace(PLACEHOLDER, () => `const labels = ${JSON.stringify(labels)};`));
