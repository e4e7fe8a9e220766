// The real OpenClaw CLI loads the Quincer skill (integrations/openclaw/quincer/SKILL.md) the way docs/OPENCLAW.md
// says to install it: the file in ~/.openclaw/workspace/skills/quincer/, the key in ~/.openclaw/openclaw.json under
// skills.entries.quincer.env.QUINCER_API_KEY; `openclaw skills info quincer --json` must then call it eligible with
// nothing missing (and not eligible without the key). OpenClaw needs Node >= 24.16: ./build.sh test installs both,
// pinned by tests/openclaw/{node,cli}/package-lock.json, into target/openclaw/ (QUINCER_OPENCLAW_DIR overrides).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const tools = resolve(process.env.QUINCER_OPENCLAW_DIR ?? join(root, "target/openclaw"));
const node = join(tools, "node/node_modules/node/bin/node");
const openclaw = join(tools, "cli/node_modules/openclaw/openclaw.mjs");
const skill = join(root, "integrations/openclaw/quincer/SKILL.md");

/** `openclaw skills info quincer --json` with HOME set to a fresh directory holding the skill and `config`. */
function skillInfo(config) {
  for (const file of [node, openclaw]) {
    assert.ok(existsSync(file), `${file} is missing: ./build.sh test installs OpenClaw (ensure_openclaw)`);
  }
  const home = mkdtempSync(join(tmpdir(), "quincer-openclaw-"));
  try {
    mkdirSync(join(home, ".openclaw/workspace/skills/quincer"), { recursive: true });
    copyFileSync(skill, join(home, ".openclaw/workspace/skills/quincer/SKILL.md"));
    writeFileSync(join(home, ".openclaw/openclaw.json"), JSON.stringify(config, null, 2));
    // Only what the CLI needs from this environment: a key or OpenClaw setting of the caller's must not leak in.
    const env = { HOME: home, PATH: process.env.PATH, LANG: "C.UTF-8", NO_COLOR: "1" };
    const out = execFileSync(node, [openclaw, "skills", "info", "quincer", "--json"], {
      cwd: home,
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    return JSON.parse(out);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const noneMissing = { bins: [], anyBins: [], env: [], config: [], os: [] };

test("OpenClaw finds the skill eligible with the key under skills.entries.quincer.env", () => {
  const info = skillInfo({ skills: { entries: { quincer: { env: { QUINCER_API_KEY: "cw_dev_openclawtest" } } } } });
  assert.equal(info.name, "quincer");
  assert.equal(info.source, "openclaw-workspace");
  assert.equal(info.primaryEnv, "QUINCER_API_KEY");
  assert.deepEqual(info.requirements.env, ["QUINCER_API_KEY"]);
  assert.deepEqual(info.requirements.bins, ["curl"]);
  assert.deepEqual(info.missing, noneMissing);
  assert.equal(info.eligible, true);
  assert.match(info.description, /^[^\n]+$/, "a one-line description");
});

test("without the key OpenClaw says QUINCER_API_KEY is missing", () => {
  const info = skillInfo({});
  assert.equal(info.eligible, false);
  assert.deepEqual(info.missing.env, ["QUINCER_API_KEY"]);
});
