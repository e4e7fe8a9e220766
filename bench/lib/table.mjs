// The bench's result rows: printed as a table and written as JSON.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * One figure. `limit` and `cmp` make a budget (`value <= limit` for "<=", `value >= limit` for ">="); without a
 * limit the row is information only.
 * @typedef {{part: string, figure: string, value: number, unit: string, limit?: number, cmp?: "<="|">=",
 *   note?: string, display?: string}} Row
 */

/** Adds the status of `row` (PASS, FAIL or INFO) and its budget as text. */
export function judge(row) {
  if (row.limit === undefined || row.limit === null) return { ...row, budget: "", status: "INFO" };
  const cmp = row.cmp || "<=";
  const ok = cmp === "<=" ? row.value <= row.limit : row.value >= row.limit;
  return { ...row, budget: `${cmp} ${fmt(row.limit)} ${row.unit}`.trimEnd(), status: ok ? "PASS" : "FAIL" };
}

/** `v` for people: thousands separators, two or three significant decimals. */
export function fmt(v) {
  if (typeof v !== "number") return String(v);
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** Prints the rows as a fixed-width table. */
export function print(rows) {
  const cols = [
    ["part", (r) => r.part],
    ["figure", (r) => r.figure],
    ["value", (r) => (r.display ?? `${fmt(r.value)} ${r.unit}`)],
    ["budget", (r) => r.budget],
    ["status", (r) => r.status],
  ];
  const width = cols.map(([h, f]) => Math.max(h.length, ...rows.map((r) => String(f(r)).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(width[i])).join("  ").trimEnd();
  console.log(line(cols.map(([h]) => h)));
  console.log(line(width.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(cols.map(([, f]) => f(r))));
  for (const r of rows.filter((r) => r.note)) console.log(`  ${r.part} ${r.figure}: ${r.note}`);
}

/** Writes the rows and the run's context to `path`. */
export function write(path, rows, context) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ ...context, rows }, null, 2) + "\n");
}
