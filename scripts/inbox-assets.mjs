// The inbox's files as quincer-server serves them at /inbox/: every asset named by a hash of its content (so the
// server may let browsers cache /inbox/assets/* for a year), and index.html, which names them (never cached).
// Prints raw / gzip / brotli sizes and fails when the wasm's brotli size exceeds INBOX_BUDGET_BROTLI.
// Usage: node scripts/inbox-assets.mjs <wasm-bindgen out dir> <inbox source dir> <out dir>
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const [built, source, out] = process.argv.slice(2);
if (!built || !source || !out) {
  console.error("usage: node scripts/inbox-assets.mjs <wasm-bindgen out dir> <inbox source dir> <out dir>");
  process.exit(2);
}
const budget = Number(process.env.INBOX_BUDGET_BROTLI || 600000);

/** `name-<hash>.ext` for `bytes`: 16 hex digits of their SHA-256. */
function hashed(name, bytes) {
  const dot = name.lastIndexOf(".");
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  return `${name.slice(0, dot)}-${hash}${name.slice(dot)}`;
}

const assets = join(out, "assets");
rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });
const names = {};
function emit(key, name, bytes) {
  names[key] = hashed(name, bytes);
  writeFileSync(join(assets, names[key]), bytes);
  return names[key];
}

const wasm = readFileSync(join(built, "quincer_inbox_bg.wasm"));
emit("wasm", "quincer_inbox_bg.wasm", wasm);
emit("glue", "quincer_inbox.js", readFileSync(join(built, "quincer_inbox.js")));
emit("css", "inbox.css", readFileSync(join(source, "inbox.css")));
// The entry module: a file, not an inline script, so /inbox/ runs under a CSP without 'unsafe-inline'. The wasm's
// `start` function mounts the app once instantiated.
const boot = `import init from "./${names.glue}";\ninit({ module_or_path: new URL("./${names.wasm}", import.meta.url) });\n`;
emit("boot", "boot.js", Buffer.from(boot));

let html = readFileSync(join(source, "index.html"), "utf8");
for (const [key, name] of Object.entries(names)) html = html.replaceAll(`{{${key}}}`, name);
if (/\{\{\w+\}\}/.test(html)) {
  console.error(`inbox-assets: index.html names an unknown asset: ${html.match(/\{\{\w+\}\}/)[0]}`);
  process.exit(1);
}
writeFileSync(join(out, "index.html"), html);

let failed = false;
const rows = Object.entries(names).map(([key, name]) => {
  const raw = readFileSync(join(assets, name));
  const brotli = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const over = key === "wasm" && brotli > budget;
  failed ||= over;
  return {
    file: name, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length, brotli,
    budget: key === "wasm" ? `${budget} br` : "", status: over ? "OVER BUDGET" : "ok",
  };
});
console.table(rows);
if (failed) {
  console.error(`inbox-assets: the inbox's wasm is over its budget of ${budget} bytes brotli (INBOX_BUDGET_BROTLI)`);
  process.exit(1);
}
