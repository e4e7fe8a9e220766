// Starts the release quincer-server for the bench: demo workspace, temporary database, free port, and rate limits
// high enough that the bench's one client address and one developer key are never throttled.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

export const root = resolve(import.meta.dirname, "../..");

/** Per-minute limits far above anything the bench sends (the limits themselves are tested elsewhere). */
const UNTHROTTLED = {
  QUINCER_RATE_LIMIT_DEV_READS: "100000000",
  QUINCER_RATE_LIMIT_DEV_WRITES: "100000000",
  QUINCER_RATE_LIMIT_PUBLIC_IP: "100000000",
  QUINCER_RATE_LIMIT_CHAT: "100000000",
};

/**
 * Spawns `target/release/quincer-server serve --demo` and waits for its QUINCER_* lines.
 * @param {{replyPaceMs?: number, args?: string[], databaseUrl?: string}} [options] `args`: more `serve` flags (e.g.
 *   the embedding model); `databaseUrl`: serve from that PostgreSQL database (nodes sharing one give it each; the
 *   first seeds the demo, the others reuse its keys)
 * @returns {Promise<{url: string, demoUrl: string, widgetKey: string, widgetId: string, devKey: string,
 *   pid: number, db: string, stop: () => Promise<void>}>}
 */
export async function startServer({ replyPaceMs = 35, args = [], databaseUrl, demoKeysFrom } = {}) {
  const data = mkdtempSync(join(tmpdir(), "quincer-bench-"));
  // A second node on a shared database takes the first one's demo keys rather than seeding a second demo.
  if (demoKeysFrom) copyFileSync(join(demoKeysFrom, "demo-keys.json"), join(data, "demo-keys.json"));
  if (databaseUrl) args = ["--database-url", databaseUrl, ...args];
  const bin = process.env.QUINCER_SERVER_BIN || join(root, "target/release/quincer-server");
  const child = spawn(
    bin,
    ["serve", "--addr", "127.0.0.1:0", "--data", data, "--www", join(root, "www"), "--demo",
      "--reply-pace-ms", String(replyPaceMs), ...args],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...UNTHROTTLED, RUST_LOG: process.env.RUST_LOG || "warn" } },
  );
  const vars = {};
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("quincer-server did not start within 30 s")), 30000);
    child.once("exit", (code) => fail(new Error(`quincer-server exited early with code ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = /^(QUINCER_[A-Z_]+)=(.*)$/.exec(line);
      if (m) vars[m[1]] = m[2];
      if (vars.QUINCER_DEV_KEY) {
        clearTimeout(timer);
        ok();
      }
    });
  });
  return {
    url: vars.QUINCER_URL,
    demoUrl: vars.QUINCER_DEMO_URL,
    widgetKey: vars.QUINCER_WIDGET_KEY,
    widgetId: vars.QUINCER_WIDGET_ID,
    devKey: vars.QUINCER_DEV_KEY,
    pid: child.pid,
    db: join(data, "quincer.db"),
    data,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((ok) => child.once("exit", ok));
        child.kill("SIGTERM");
        // Open streams end at shutdown; SIGKILL only if the server does not exit in time.
        const timer = setTimeout(() => child.kill("SIGKILL"), 10000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}
