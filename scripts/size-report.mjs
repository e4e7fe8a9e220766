// Prints raw / gzip / brotli sizes of the widget's artifacts and their total, and fails if a budget is exceeded.
// Usage: node scripts/size-report.mjs <file>... (every file a visitor downloads for the widget); budgets come from
// the environment (bytes).
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

// Raw budget for the optimised wasm (the Foundation's), brotli budget for the loader (it is on every page).
const budgets = { ".wasm": Number(process.env.WASM_BUDGET_RAW || 300000) };
const brotliBudgets = { "quincer.js": Number(process.env.LOADER_BUDGET_BROTLI || 2048) };
// Brotli budget for all of them together (docs/PERFORMANCE.md, part 1).
const totalBrotliBudget = Number(process.env.WIDGET_BUDGET_BROTLI || 100000);
let failed = false;
const rows = process.argv.slice(2).map((file) => {
  const raw = readFileSync(file);
  const gzip = gzipSync(raw, { level: 9 }).length;
  const brotli = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const ext = file.slice(file.lastIndexOf("."));
  const budget = budgets[ext];
  const brotliBudget = brotliBudgets[basename(file)];
  const over = (budget !== undefined && raw.length > budget) || (brotliBudget !== undefined && brotli > brotliBudget);
  failed ||= over;
  const shown = budget ?? (brotliBudget !== undefined ? `${brotliBudget} br` : "");
  return { file: basename(file), raw: raw.length, gzip, brotli, budget: shown, status: over ? "OVER BUDGET" : "ok" };
});
const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
const totalOver = sum("brotli") > totalBrotliBudget;
failed ||= totalOver;
rows.push({ file: "total", raw: sum("raw"), gzip: sum("gzip"), brotli: sum("brotli"), budget: `${totalBrotliBudget} br`,
  status: totalOver ? "OVER BUDGET" : "ok" });
const pad = (s, n) => String(s).padStart(n);
console.log(`${"artifact".padEnd(26)}${pad("raw", 10)}${pad("gzip", 10)}${pad("brotli", 10)}${pad("budget", 10)}  status`);
for (const r of rows) {
  console.log(`${r.file.padEnd(26)}${pad(r.raw, 10)}${pad(r.gzip, 10)}${pad(r.brotli, 10)}${pad(r.budget, 10)}  ${r.status}`);
}
if (failed) {
  console.error("size budget exceeded: the wasm must stay under its raw budget, the loader and the total under their " +
    "brotli budgets");
  process.exit(1);
}
