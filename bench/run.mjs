// `./build.sh bench`: runs every part of the performance bench in one go (build.sh has built what it needs),
// prints one table (figure, budget, PASS/FAIL) and writes it to target/bench.json. See docs/PERFORMANCE.md.
// Usage: node bench/run.mjs [part numbers...]   (default: all)
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import * as hostCost from "./host-cost.mjs";
import * as load from "./load.mjs";
import * as multinode from "./multinode.mjs";
import * as open from "./open.mjs";
import * as retrieval from "./retrieval.mjs";
import * as sizes from "./sizes.mjs";
import * as streaming from "./streaming.mjs";
import * as transcript from "./transcript.mjs";
import { root, startServer } from "./lib/server.mjs";
import { judge, print, write } from "./lib/table.mjs";

/** The parts in order; browser parts share one demo server (no pause between streamed deltas). */
const PARTS = [
  ["1", "bytes over the wire", () => sizes.run()],
  ["2", "cost to the host page", (s) => hostCost.run(s)],
  ["3", "open to interactive", (s) => open.run(s)],
  ["4", "streaming render", (s) => streaming.run(s)],
  ["5", "long transcript", (s) => transcript.run(s)],
  ["6", "live connections", () => load.streams()],
  ["7", "chat endpoint", () => load.chat()],
  ["8", "retrieval", () => retrieval.run()],
  ["9", "multi-node", () => multinode.run()],
];

const wanted = process.argv.slice(2);
const parts = PARTS.filter(([n]) => !wanted.length || wanted.includes(n));
const started = Date.now();
const rows = [];
const server = parts.some(([n]) => "2345".includes(n)) ? await startServer({ replyPaceMs: 0 }) : null;
try {
  for (const [n, name, fn] of parts) {
    const t = Date.now();
    process.stderr.write(`bench: part ${n}, ${name}…\n`);
    try {
      rows.push(...(await fn(server)));
    } catch (e) {
      // One broken part must not hide the others' figures.
      console.error(`bench: part ${n} failed: ${e.stack || e}`);
      rows.push({ part: `${n} ${name}`, figure: "(part failed)", value: NaN, unit: "", display: "error", limit: 0,
        note: String(e.message || e).split("\n")[0] });
    }
    process.stderr.write(`bench: part ${n} took ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
  }
} finally {
  await server?.stop();
}
const judged = rows.map(judge);
console.log();
print(judged);
const seconds = (Date.now() - started) / 1000;
const failed = judged.filter((r) => r.status === "FAIL").length;
console.log(`\n${judged.length} figures, ${failed} over budget, ${seconds.toFixed(0)} s; written to target/bench.json`);
write(join(root, "target/bench.json"), judged, {
  date: new Date().toISOString(),
  seconds,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_bytes: totalmem() },
});
