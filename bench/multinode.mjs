// Part 9: several nodes on one PostgreSQL (a throwaway cluster from scripts/throwaway-postgres.sh, release servers
// with --database-url). 10,000 idle event streams spread over two nodes, with each sampled takeover and reply
// written through the other node (cross-node delivery, through PostgreSQL's NOTIFY); then chat throughput with one
// node and with two on the same database. The Rust load client (bench/load) does the work, as for parts 6 and 7.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { root, startServer } from "./lib/server.mjs";

const exec = promisify(execFile);
const STREAMS = 10000;
const SAMPLE = 100;
const LATENCY_P99_BUDGET_MS = 50;
const SCALING_BUDGET = 1.6;
const CHATS = 50;
const ROUNDS = 10;
const script = join(root, "scripts/throwaway-postgres.sh");
const bin = join(root, "target/release/quincer-bench-load");

/** A throwaway cluster and a fresh database on it for each `database()` call. */
async function cluster() {
  const dir = mkdtempSync(join(tmpdir(), "quincer-bench-pg-"));
  const { stdout } = await exec(script, ["start", dir]);
  const admin = stdout.trim();
  let n = 0;
  return {
    async database() {
      const name = `quincer_bench_${process.pid}_${n++}`;
      await exec("psql", [admin, "-qc", `CREATE DATABASE ${name}`]).catch(async () => {
        // Without psql on the PATH, the cluster's own binary.
        const psql = (await exec("bash", ["-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1"])).stdout.trim();
        await exec(join(psql, "psql"), [admin, "-qc", `CREATE DATABASE ${name}`]);
      });
      return admin.replace(/\/[^/]*$/, `/${name}`);
    },
    async stop() {
      await exec(script, ["stop", dir]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Two nodes on `databaseUrl`: the first seeds the demo, the second takes its keys. */
async function nodes(databaseUrl, count) {
  const first = await startServer({ replyPaceMs: 0, databaseUrl });
  const rest = [];
  for (let i = 1; i < count; i++) {
    rest.push(await startServer({ replyPaceMs: 0, databaseUrl, demoKeysFrom: first.data }));
  }
  return [first, ...rest];
}

async function load(command, servers, databaseUrl, extra) {
  const [s] = servers;
  const args = [command, "--url", servers.map((x) => x.url).join(","), "--db", databaseUrl, "--widget-id", s.widgetId,
    "--widget-key", s.widgetKey, "--dev-key", s.devKey, "--server-pid", servers.map((x) => x.pid).join(","), ...extra];
  const { stdout } = await exec(bin, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout);
}

async function withNodes(pg, count, fn) {
  const databaseUrl = await pg.database();
  const servers = await nodes(databaseUrl, count);
  try {
    return await fn(servers, databaseUrl);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** @returns {Promise<import("./lib/table.mjs").Row[]>} */
export async function run() {
  const pg = await cluster();
  try {
    const streams = await withNodes(pg, 2, (servers, db) =>
      load("streams", servers, db, ["--streams", String(STREAMS), "--sample", String(SAMPLE)]));
    const chat = ["--concurrency", String(CHATS), "--rounds", String(ROUNDS)];
    const one = await withNodes(pg, 1, (servers, db) => load("chat", servers, db, chat));
    const two = await withNodes(pg, 2, (servers, db) => load("chat", servers, db, chat));
    const part = "9 multi-node";
    return [
      { part, figure: "idle event streams open on 2 nodes", value: streams.streams_open, unit: "", limit: STREAMS,
        cmp: ">=", note: `${streams.stream_failures} failed; opened in ${streams.open_seconds.toFixed(1)} s` },
      { part, figure: "cross-node event delivery p50", value: streams.event_latency_p50_ms, unit: "ms",
        note: `${streams.events_measured} takeover + reply events written on the other node than the stream's` },
      { part, figure: "cross-node event delivery p99", value: streams.event_latency_p99_ms, unit: "ms",
        limit: LATENCY_P99_BUDGET_MS },
      { part, figure: "RSS per idle stream (both nodes)", value: streams.rss_per_stream_bytes / 1024, unit: "KB",
        note: `RSS ${(streams.rss_before_bytes / 1048576).toFixed(1)} MB -> ${(streams.rss_after_bytes / 1048576).toFixed(1)} MB` },
      { part, figure: "replies per second, 1 node", value: one.replies_per_second, unit: "/s",
        note: `${CHATS} concurrent visitors x ${ROUNDS} chats, offline responder, PostgreSQL on the same machine` },
      { part, figure: "replies per second, 2 nodes", value: two.replies_per_second, unit: "/s" },
      { part, figure: "2 nodes / 1 node", value: two.replies_per_second / one.replies_per_second, unit: "x",
        limit: SCALING_BUDGET, cmp: ">=",
        note: "both nodes, PostgreSQL and the load client share this machine's cores" },
    ];
  } finally {
    await pg.stop();
  }
}
