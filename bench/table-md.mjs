// Prints target/bench.json (or the file given) as a markdown table, for docs/PERFORMANCE.md.
// Usage: node bench/table-md.mjs [bench.json]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./lib/server.mjs";
import { fmt } from "./lib/table.mjs";

const run = JSON.parse(readFileSync(process.argv[2] || join(root, "target/bench.json"), "utf8"));
console.log("| Part | Figure | Value | Budget | Status | Notes |");
console.log("|---|---|---|---|---|---|");
for (const r of run.rows) {
  const value = r.display ?? `${fmt(r.value)} ${r.unit}`.trim();
  const cells = [r.part, r.figure, value, r.budget.replace("<=", "≤").replace(">=", "≥"), r.status, r.note || ""];
  console.log(`| ${cells.map((c) => String(c).replaceAll("|", "\\|")).join(" | ")} |`);
}
console.log(`\nRun of ${run.date}, ${run.seconds.toFixed(0)} s for the measurements.`);
