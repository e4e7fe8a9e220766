// Parts 6 and 7, against fresh release servers: idle takeover streams (bench/load `streams`) and concurrent
// chats with the offline responder (bench/load `chat`). The Rust load client does the work; this starts the
// servers, hands it their details and turns its JSON into rows.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { root, startServer } from "./lib/server.mjs";

const STREAMS = 10000;
const SAMPLE = 100;
const LATENCY_P99_BUDGET_MS = 50;
const PER_STREAM_BUDGET_BYTES = 32 * 1024;
const CHATS = 50;
/** Chats each of the concurrent visitors sends, one after the other. */
const ROUNDS = 10;

const bin = join(root, "target/release/quincer-bench-load");

async function load(command, server, extra) {
  const args = [command, "--url", server.url, "--db", server.db, "--widget-id", server.widgetId,
    "--widget-key", server.widgetKey, "--dev-key", server.devKey, "--server-pid", String(server.pid), ...extra];
  const { stdout } = await promisify(execFile)(bin, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout);
}

/** @returns {Promise<import("./lib/table.mjs").Row[]>} */
export async function streams() {
  const server = await startServer();
  let r;
  try {
    r = await load("streams", server, ["--streams", String(STREAMS), "--sample", String(SAMPLE)]);
  } finally {
    await server.stop();
  }
  const part = "6 live streams";
  return [
    { part, figure: "idle event streams open", value: r.streams_open, unit: "", limit: STREAMS, cmp: ">=",
      note: `${r.stream_failures} failed; opened in ${r.open_seconds.toFixed(1)} s` },
    { part, figure: "event delivery p50", value: r.event_latency_p50_ms, unit: "ms",
      note: `${r.events_measured} takeover + reply events on ${SAMPLE} conversations, from the API call` },
    { part, figure: "event delivery p99", value: r.event_latency_p99_ms, unit: "ms", limit: LATENCY_P99_BUDGET_MS },
    { part, figure: "server RSS per idle stream", value: r.rss_per_stream_bytes / 1024, unit: "KB",
      limit: PER_STREAM_BUDGET_BYTES / 1024,
      note: `RSS ${(r.rss_before_bytes / 1048576).toFixed(1)} MB -> ${(r.rss_after_bytes / 1048576).toFixed(1)} MB` },
  ];
}

/** @returns {Promise<import("./lib/table.mjs").Row[]>} */
export async function chat() {
  // No pause between deltas: the figure is the server's, not the demo's reading pace.
  const server = await startServer({ replyPaceMs: 0 });
  let r;
  try {
    r = await load("chat", server, ["--concurrency", String(CHATS), "--rounds", String(ROUNDS)]);
  } finally {
    await server.stop();
  }
  const part = "7 chat";
  const note = `${r.concurrency} concurrent visitors x ${ROUNDS} chats, offline responder, --reply-pace-ms 0`;
  return [
    { part, figure: "time to first delta p50", value: r.first_delta_p50_ms, unit: "ms", note },
    { part, figure: "time to first delta p99", value: r.first_delta_p99_ms, unit: "ms" },
    { part, figure: "replies per second", value: r.replies_per_second, unit: "/s" },
  ];
}
