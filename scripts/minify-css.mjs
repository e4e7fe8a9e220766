// Minifies the widget's stylesheet (www/quincer.css) for www/dist/. Usage: node scripts/minify-css.mjs <in> <out>
// Deliberately simple: drops comments, collapses whitespace, and removes spaces next to `{ } ; , :` outside quoted
// strings. The stylesheet is ours, so it avoids the constructs that would need a real CSS parser (a descendant
// combinator before a pseudo-class, such as `.a :hover`).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function minify(css) {
  const plain = css.replace(/\/\*[\s\S]*?(\*\/|$)/g, "");
  const tight = (c) => "{};,:".includes(c);
  let out = "";
  let quote = null;
  let pendingSpace = false;
  for (const c of plain) {
    if (quote) {
      out += c;
      if (c === quote) quote = null;
      continue;
    }
    if (/\s/.test(c)) {
      pendingSpace = true;
      continue;
    }
    if (pendingSpace && out && !tight(c) && !tight(out[out.length - 1])) out += " ";
    pendingSpace = false;
    if (c === '"' || c === "'") quote = c;
    out += c;
  }
  return out.replaceAll(";}", "}");
}

// Run as a script, not when imported (scripts/inline-launcher.mjs imports `minify` with arguments of its own).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  if (input && output) writeFileSync(output, minify(readFileSync(input, "utf8")));
}
