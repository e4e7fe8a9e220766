// Starts a real quincer-server for Node and Playwright tests: free port, temporary database, demo workspace.
// Resolves once the server has printed its URL and keys.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const root = resolve(import.meta.dirname, "../..");

/** @returns {Promise<{url: string, demoUrl: string, widgetKey: string, devKey: string, widgetId: string, stop: () => Promise<void>}>} */
export async function startServer({ replyPaceMs = 15 } = {}) {
  const data = mkdtempSync(join(tmpdir(), "quincer-test-"));
  const bin = process.env.QUINCER_SERVER_BIN || join(root, "target/debug/quincer-server");
  const child = spawn(
    bin,
    ["serve", "--addr", "127.0.0.1:0", "--data", data, "--www", join(root, "www"), "--demo", "--reply-pace-ms", String(replyPaceMs)],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, RUST_LOG: process.env.RUST_LOG || "warn" } },
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
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((ok) => child.once("exit", ok));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(data, { recursive: true, force: true });
  };
  return {
    url: vars.QUINCER_URL,
    demoUrl: vars.QUINCER_DEMO_URL,
    widgetKey: vars.QUINCER_WIDGET_KEY,
    widgetId: vars.QUINCER_WIDGET_ID,
    devKey: vars.QUINCER_DEV_KEY,
    stop,
  };
}
