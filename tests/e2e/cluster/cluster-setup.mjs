// Starts deploy/cluster.sh (a throwaway PostgreSQL, two nodes, HAProxy) and hands its balancer address and the demo's
// keys to the tests through the environment, as the main suite's setup does for its one server; stops it after.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const cluster = resolve(import.meta.dirname, "../../../deploy/cluster.sh");

export default async function clusterSetup() {
  const dir = mkdtempSync(join(tmpdir(), "quincer-e2e-cluster-"));
  const { stdout } = await run(cluster, ["start", dir], { timeout: 300_000, maxBuffer: 1 << 20 }).catch((e) => {
    throw new Error(`cluster.sh start failed:\n${e.stderr}`);
  });
  for (const line of stdout.split("\n")) {
    const [name, ...value] = line.split("=");
    if (name.startsWith("QUINCER_")) process.env[name] = value.join("=");
  }
  return async () => {
    await run(cluster, ["stop", dir], { timeout: 60_000 }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
}
