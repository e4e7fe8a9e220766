// Fills the loader's table of launcher names (`var OPEN_LABELS = { en: "Open chat" };` in www/quincer.js) with every
// language's `launcher.open` from i18n/*.json, so the launcher the loader draws before the widget loads is named in
// the visitor's language. Usage: node scripts/loader-labels.mjs <loader source> <output>.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const [source, output] = process.argv.slice(2);
const dir = resolve(import.meta.dirname, "../i18n");
const labels = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  const strings = JSON.parse(readFileSync(`${dir}/${file}`, "utf8"));
  labels[file.slice(0, -5)] = strings["launcher.open"];
}
const marker = 'var OPEN_LABELS = { en: "Open chat" };';
const text = readFileSync(source, "utf8");
if (!text.includes(marker) || typeof labels.en !== "string") {
  console.error(`loader-labels: ${source} lacks \`${marker}\` or i18n/en.json lacks launcher.open`);
  process.exit(1);
}
writeFileSync(output, text.replace(marker, `var OPEN_LABELS = ${JSON.stringify(labels)};`));
