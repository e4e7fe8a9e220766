// Starts a real quincer-server for Node and Playwright tests: free port, temporary database, demo workspace.
// Resolves once the server has printed its URL and keys.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const root = resolve(import.meta.dirname, "../..");

// Every spec of a run shares this server, its developer key and its one client address, so the documented
// per-key limits would throttle the suite itself. The limits are tested by the Rust integration tests.
const SHARED_SERVER_LIMITS = {
  QUINCER_RATE_LIMIT_DEV_READS: "100000",
  QUINCER_RATE_LIMIT_DEV_WRITES: "100000",
  QUINCER_RATE_LIMIT_PUBLIC_IP: "100000",
  QUINCER_RATE_LIMIT_CHAT: "1000",
  // Explicit, not left to --demo: the specs' webhook receivers and fake storefronts run on 127.0.0.1.
  QUINCER_ALLOW_PRIVATE_NETWORK: "true",
};

/** Spawns the server and waits for its QUINCER_* lines. */
async function launch({ data, addr, replyPaceMs }) {
  const bin = process.env.QUINCER_SERVER_BIN || join(root, "target/debug/quincer-server");
  const child = spawn(
    bin,
    ["serve", "--addr", addr, "--data", data, "--www", join(root, "www"), "--demo", "--reply-pace-ms", String(replyPaceMs)],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...SHARED_SERVER_LIMITS, ...process.env, RUST_LOG: process.env.RUST_LOG || "warn" } },
  );
  const vars = {};
  const lines = createInterface({ input: child.stdout });
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("quincer-server did not start within 20 s")), 20000);
    child.once("exit", (code) => fail(new Error(`quincer-server exited early with code ${code}`)));
    lines.on("line", (line) => {
      const m = /^(QUINCER_[A-Z_]+)=(.*)$/.exec(line);
      if (m) vars[m[1]] = m[2];
      if (vars.QUINCER_DEV_KEY) {
        clearTimeout(timer);
        ok();
      }
    });
  });
  return { child, vars };
}

/** `signal` (SIGTERM: the server shuts down gracefully; SIGKILL: a crash), then wait for the process to exit. */
async function halt(child, signal = "SIGTERM") {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((ok) => child.once("exit", ok));
    child.kill(signal);
    await exited;
  }
}

/**
 * @param {{replyPaceMs?: number}} [options]
 * @returns {Promise<{url: string, demoUrl: string, widgetKey: string, devKey: string, widgetId: string, orgId: string,
 *   data: string,
 *   stop: () => Promise<void>, restart: () => Promise<void>, kill: () => Promise<void>, resume: () => Promise<void>}>}
 */
export async function startServer({ replyPaceMs = 15 } = {}) {
  const data = mkdtempSync(join(tmpdir(), "quincer-test-"));
  let { child, vars } = await launch({ data, addr: "127.0.0.1:0", replyPaceMs });
  const url = vars.QUINCER_URL;
  return {
    url,
    demoUrl: vars.QUINCER_DEMO_URL,
    widgetKey: vars.QUINCER_WIDGET_KEY,
    widgetId: vars.QUINCER_WIDGET_ID,
    devKey: vars.QUINCER_DEV_KEY,
    orgId: vars.QUINCER_ORG_ID,
    /** The data directory (`--data`), for CLI commands on the same database (e.g. `members create`). */
    data,
    /** Stops the server and deletes its temporary database. */
    stop: async () => {
      await halt(child);
      rmSync(data, { recursive: true, force: true });
    },
    /** Stops the server and starts it again on the same address and database, as a deploy would. */
    restart: async () => {
      await halt(child);
      ({ child } = await launch({ data, addr: new URL(url).host, replyPaceMs }));
    },
    /** Kills the server at once (SIGKILL, as a crash would), keeping its database for {@link resume}. */
    kill: () => halt(child, "SIGKILL"),
    /** Starts a killed server again on the same address and database. */
    resume: async () => {
      ({ child } = await launch({ data, addr: new URL(url).host, replyPaceMs }));
    },
  };
}
