// The retrieval eval: does the shopping assistant find what the store sells?
//
// Runs tests/eval/cases.json against real quincer-server processes, one per retrieval mode, with two stores: the
// demo's outdoor store (seeded by --demo) and Hearth & Haven, a home & kitchen store imported through the developer
// API from a loopback fake Shopify storefront. See tests/eval/README.md.
//
//   node tests/eval/run.mjs [--modes hybrid,lexical,semantic] [--server target/debug/quincer-server] [--model DIR]
//                           [--bar] [--cases tests/eval/cases.json] [--only <id substring>] [--concurrency 4]
//
// `--modes baseline` runs the server without `--retrieval` (and without `--embedding-model`): today's server.
// Writes target/eval.json. Exit status: 0, or 1 when `--bar` is not met, or 2 on an infrastructure error (a server
// that does not start, an import that fails, a chat request that keeps failing): those never count as wrong answers.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dirname, "../..");

const BAR_OVERALL = 0.9;
const BAR_CATEGORY = 0.75;
const PANEL_MAX = 8;
const CATEGORIES = [
  "single",
  "follow_up",
  "typo",
  "colour",
  "size",
  "capacity",
  "price",
  "cheapest",
  "sale",
  "not_sold",
  "knowledge",
  "multilingual",
];

const { values: args } = parseArgs({
  options: {
    modes: { type: "string", default: "hybrid,lexical,semantic" },
    server: { type: "string", default: process.env.QUINCER_SERVER_BIN || "target/debug/quincer-server" },
    model: { type: "string" },
    bar: { type: "boolean", default: false },
    cases: { type: "string", default: "tests/eval/cases.json" },
    only: { type: "string" },
    concurrency: { type: "string", default: "4" },
    out: { type: "string", default: "target/eval.json" },
  },
});

/** An infrastructure failure: the eval stops instead of scoring it. */
class InfraError extends Error {}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const norm = (s) => s.normalize("NFC").trim();

// ------------------------------------------------------------------------------------------------- Cases and stores

function loadJson(path) {
  try {
    return JSON.parse(readFileSync(resolve(root, path), "utf8"));
  } catch (e) {
    throw new InfraError(`cannot read ${path}: ${e.message}`);
  }
}

const stores = {
  outdoor: { catalog: loadJson("www/shop/catalog.json").products },
  home: {
    catalog: loadJson("tests/eval/stores/home.json").products,
    knowledge: loadJson("tests/eval/stores/home-knowledge.json"),
  },
};

/** Checks every case against the catalogs, so a typo in a title is a loud error, not a silent wrong answer. */
function loadCases(path) {
  const cases = loadJson(path);
  if (!Array.isArray(cases)) throw new InfraError(`${path}: expected an array of cases`);
  const problems = [];
  const ids = new Set();
  for (const c of cases) {
    const where = `case ${c.id ?? JSON.stringify(c).slice(0, 60)}`;
    if (!c.id || ids.has(c.id)) problems.push(`${where}: missing or duplicate id`);
    ids.add(c.id);
    if (!stores[c.store]) problems.push(`${where}: unknown store ${c.store}`);
    if (!CATEGORIES.includes(c.category)) problems.push(`${where}: unknown category ${c.category}`);
    if (!Array.isArray(c.turns) || !c.turns.length || c.turns.some((t) => typeof t !== "string" || !t.trim()))
      problems.push(`${where}: turns must be non-empty strings`);
    const e = c.expect ?? {};
    if (e.kind === "products") {
      const titles = new Set((stores[c.store]?.catalog ?? []).map((p) => norm(p.title)));
      const relevant = e.relevant ?? [];
      if (!relevant.length) problems.push(`${where}: products without relevant titles`);
      for (const t of [...relevant, ...(e.must ?? []), ...(e.first ? [e.first] : [])])
        if (!titles.has(norm(t))) problems.push(`${where}: "${t}" is not a product of the ${c.store} store`);
      for (const t of [...(e.must ?? []), ...(e.first ? [e.first] : [])])
        if (!relevant.map(norm).includes(norm(t))) problems.push(`${where}: "${t}" is in must/first but not relevant`);
      if (!e.must && relevant.length > PANEL_MAX)
        problems.push(`${where}: ${relevant.length} relevant titles and no must: give must (and min_shown)`);
    } else if (e.kind === "knowledge") {
      if (!e.title || !e.contains) problems.push(`${where}: knowledge needs title and contains`);
    } else if (e.kind !== "none") {
      problems.push(`${where}: unknown expect.kind ${e.kind}`);
    }
  }
  if (problems.length) throw new InfraError(`${path} has problems:\n  ${problems.join("\n  ")}`);
  return cases;
}

// ------------------------------------------------------------------------------------------------------ The server

async function startServer(mode) {
  const bin = resolve(root, args.server);
  if (!existsSync(bin)) throw new InfraError(`no server binary at ${bin}: build it with cargo build -p quincer-server`);
  const data = mkdtempSync(join(tmpdir(), `quincer-eval-${mode}-`));
  const flags = [
    "serve",
    "--addr",
    "127.0.0.1:0",
    "--data",
    data,
    "--www",
    join(root, "www"),
    "--demo",
    "--allow-private-network",
    "true",
    "--reply-pace-ms",
    "0",
    // One client address and one developer key drive the whole eval: lift the abuse limits (429s are still retried).
    "--rate-limit-chat",
    "100000",
    "--rate-limit-public-ip",
    "1000000",
    "--rate-limit-dev-reads",
    "100000",
    "--rate-limit-dev-writes",
    "100000",
  ];
  if (mode !== "baseline") {
    flags.push("--retrieval", mode);
    if (args.model) flags.push("--embedding-model", resolve(args.model));
  }
  const stderr = [];
  const child = spawn(bin, flags, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || "warn" },
  });
  child.stderr.on("data", (chunk) => {
    if (process.env.EVAL_SERVER_LOG) process.stderr.write(chunk);
    stderr.push(chunk.toString());
    if (stderr.length > 400) stderr.splice(0, stderr.length - 400);
  });
  const tail = () => stderr.join("").split("\n").slice(-25).join("\n");
  const vars = {};
  const lines = createInterface({ input: child.stdout });
  try {
    await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new InfraError(`quincer-server (${mode}) did not start within 180 s`)), 180000);
      child.once("error", (e) => fail(new InfraError(`cannot run ${bin}: ${e.message}`)));
      child.once("exit", (code, signal) =>
        fail(new InfraError(`quincer-server (${mode}) exited during start-up (${signal ?? `code ${code}`})`)),
      );
      lines.on("line", (line) => {
        const m = /^(QUINCER_[A-Z_]+)=(.*)$/.exec(line);
        if (m) vars[m[1]] = m[2];
        if (vars.QUINCER_URL && vars.QUINCER_DEV_KEY) {
          clearTimeout(timer);
          ok();
        }
      });
    });
  } catch (e) {
    child.kill("SIGKILL");
    rmSync(data, { recursive: true, force: true });
    throw new InfraError(`${e.message}\n  command: ${bin} ${flags.join(" ")}\n  stderr:\n${tail()}`);
  }
  let keys;
  try {
    keys = JSON.parse(readFileSync(join(data, "demo-keys.json"), "utf8"));
  } catch (e) {
    child.kill("SIGKILL");
    throw new InfraError(`cannot read ${join(data, "demo-keys.json")}: ${e.message}`);
  }
  let exited = null;
  child.on("exit", (code, signal) => (exited = signal ?? `code ${code}`));
  return {
    url: vars.QUINCER_URL,
    keys,
    tail,
    alive: () => exited === null,
    exitReason: () => exited,
    stop: async () => {
      if (exited === null) {
        const done = new Promise((ok) => child.once("exit", ok));
        child.kill("SIGTERM");
        await Promise.race([done, sleep(10000)]);
        if (exited === null) child.kill("SIGKILL");
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** A fake Shopify storefront on loopback serving the home catalog as `/products.json?page=N&limit=L`. */
async function startStorefront(products) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://store.invalid");
    const send = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/products.json") {
      const limit = Math.min(Math.max(Number(url.searchParams.get("limit")) || 30, 1), 250);
      const page = Math.max(Number(url.searchParams.get("page")) || 1, 1);
      return send(200, { products: products.slice((page - 1) * limit, page * limit) });
    }
    if (url.pathname === "/meta.json") return send(200, { name: "Hearth & Haven", currency: "USD" });
    send(404, { errors: "Not Found" });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** A developer API call; 429s wait and retry, anything else that is not 2xx is an infrastructure error. */
async function api(server, method, path, body) {
  for (let attempt = 0; ; attempt++) {
    let res;
    try {
      res = await fetch(server.url + path, {
        method,
        headers: { authorization: `Bearer ${server.keys.dev_key}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new InfraError(`${method} ${path}: ${e.cause?.message ?? e.message}`);
    }
    if (res.status === 429 && attempt < 5) {
      await sleep(retryAfter(res));
      continue;
    }
    const text = await res.text();
    if (!res.ok) throw new InfraError(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text);
  }
}

function retryAfter(res) {
  const s = Number(res.headers.get("retry-after"));
  return (Number.isFinite(s) && s > 0 ? Math.min(s, 90) : 2) * 1000;
}

/** Creates the home store's widget, its knowledge, and imports its catalog. */
async function setUpHome(server) {
  const store = await startStorefront(stores.home.catalog);
  try {
    const widget = await api(server, "POST", "/api/v1/widgets", { brand: "Hearth & Haven", website_url: store.url });
    const key = widget.api_key;
    if (!widget.id || !key) throw new InfraError(`widget creation gave no id or api_key: ${JSON.stringify(widget)}`);
    for (const item of stores.home.knowledge)
      await api(server, "POST", "/api/v1/knowledge", { ...item, widget_id: widget.id });
    const imported = await api(server, "POST", `/api/v1/widgets/${widget.id}/import-storefront`, { url: store.url });
    const expected = stores.home.catalog.length;
    if (imported.products !== expected)
      throw new InfraError(`the home import gave ${imported.products} products, not ${expected}: ${JSON.stringify(imported)}`);
    return { widgetId: widget.id, widgetKey: key };
  } finally {
    await store.close();
  }
}

/** Fails loudly when a store lacks its catalog or knowledge, which would otherwise score as wrong answers. */
async function checkStore(server, name, widgetId, cases) {
  const shopify = await api(server, "GET", `/api/v1/integrations/shopify?widget_id=${widgetId}`);
  const imported = (shopify.details?.storefronts ?? []).find((s) => s.widget_id === widgetId)?.products ?? 0;
  const expected = stores[name].catalog.length;
  if (imported !== expected)
    throw new InfraError(`the ${name} widget has ${imported} imported products, not ${expected}: was its catalog imported?`);
  const manual = await api(server, "GET", `/api/v1/knowledge?widget_id=${widgetId}&source_type=manual&limit=200`);
  const titles = new Set(manual.data.map((k) => k.title.toLowerCase()));
  for (const c of cases)
    if (c.store === name && c.expect.kind === "knowledge" && !titles.has(c.expect.title.toLowerCase()))
      throw new InfraError(`case ${c.id}: the ${name} store has no knowledge item titled "${c.expect.title}"`);
}

/** When the server lists an embedding model, waits until every vector is computed. */
async function waitForVectors(server) {
  const started = Date.now();
  let last = "";
  for (;;) {
    const models = await api(server, "GET", "/api/v1/models");
    const embedding = (models.data ?? []).find((m) => m.purpose === "embedding");
    if (!embedding) return null;
    const pending = Number(embedding.vectors_pending ?? 0);
    if (pending === 0) {
      if (last) console.log(`  embeddings ready (${embedding.id}) after ${((Date.now() - started) / 1000).toFixed(0)} s`);
      return embedding.id;
    }
    if (Date.now() - started > 300000)
      throw new InfraError(`embedding model ${embedding.id} still has ${pending} vectors pending after 300 s`);
    const line = `  waiting for embeddings (${embedding.id}): ${pending} vectors pending`;
    if (line !== last) console.log(line);
    last = line;
    await sleep(2000);
  }
}

// ------------------------------------------------------------------------------------------------------------ Chat

/** Sends one visitor message and reads the UI message stream to its end. */
async function chat(server, widgetKey, token, conversationId, messageId, text) {
  const body = JSON.stringify({
    id: conversationId,
    messages: [{ id: messageId, role: "user", parts: [{ type: "text", text }] }],
    trigger: "submit-message",
  });
  for (let attempt = 0; ; attempt++) {
    let res;
    let raw;
    try {
      res = await fetch(`${server.url}/api/chat`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${widgetKey}`,
          "quincer-visitor-token": token,
          "content-type": "application/json",
        },
        body,
        signal: AbortSignal.timeout(120000),
      });
      raw = await res.text();
    } catch (e) {
      if (attempt < 2 && server.alive()) {
        await sleep(1000);
        continue;
      }
      throw new InfraError(`POST /api/chat failed: ${e.cause?.message ?? e.message}${server.alive() ? "" : ` (server ${server.exitReason()})`}`);
    }
    if (res.status === 429 && attempt < 10) {
      // The same message id again is safe: the server stores it once.
      await sleep(retryAfter(res));
      continue;
    }
    if (res.status >= 500 && attempt < 2) {
      await sleep(1000);
      continue;
    }
    if (!res.ok) throw new InfraError(`POST /api/chat answered ${res.status}: ${raw.slice(0, 300)}`);
    let text = "";
    let panel = null;
    const errors = [];
    let done = false;
    for (const line of raw.split("\n")) {
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") {
        done = true;
        continue;
      }
      let chunk;
      try {
        chunk = JSON.parse(data);
      } catch {
        throw new InfraError(`POST /api/chat streamed a chunk that is not JSON: ${data.slice(0, 200)}`);
      }
      if (chunk.type === "text-delta") text += chunk.delta ?? "";
      else if (chunk.type === "tool-output-available" && Array.isArray(chunk.output?.products))
        panel = chunk.output.products.map((p) => norm(String(p.title ?? "")));
      else if (chunk.type === "error") errors.push(chunk.errorText);
    }
    if (!done) throw new InfraError(`POST /api/chat: the stream ended without [DONE]`);
    return { text, panel, errors };
  }
}

async function runCase(server, store, c) {
  const session = await fetch(`${server.url}/api/widget/session`, {
    method: "POST",
    headers: { authorization: `Bearer ${store.widgetKey}`, "content-type": "application/json" },
    body: "{}",
  }).catch((e) => {
    throw new InfraError(`POST /api/widget/session failed: ${e.cause?.message ?? e.message}${server.alive() ? "" : ` (server ${server.exitReason()})`}`);
  });
  if (!session.ok) throw new InfraError(`POST /api/widget/session answered ${session.status}: ${await session.text()}`);
  const { visitor_token: token } = await session.json();
  const conversationId = `conv_eval_${randomBytes(8).toString("hex")}`;
  let last;
  const started = Date.now();
  for (const [i, turn] of c.turns.entries()) last = await chat(server, store.widgetKey, token, conversationId, `u_${i + 1}`, turn);
  return { ...last, ms: Date.now() - started };
}

// --------------------------------------------------------------------------------------------------------- Grading

/** Grades the last turn's answer: precision, recall and fully right, per the README's rules. */
function grade(expect, { text, panel }) {
  const shown = [...new Set(panel ?? [])];
  if (expect.kind === "none") {
    const ok = shown.length === 0;
    return { precision: ok ? 1 : 0, recall: ok ? 1 : 0, right: ok, why: ok ? "" : "a panel was shown" };
  }
  if (expect.kind === "knowledge") {
    const lower = (text ?? "").toLowerCase();
    const titled = lower.includes(expect.title.toLowerCase());
    const fact = lower.includes(expect.contains.toLowerCase());
    const ok = shown.length === 0 && titled && fact;
    const why = [shown.length ? "a panel was shown" : "", titled ? "" : `no "${expect.title}"`, fact ? "" : `no "${expect.contains}"`]
      .filter(Boolean)
      .join("; ");
    return { precision: ok ? 1 : 0, recall: ok ? 1 : 0, right: ok, why };
  }
  const relevant = new Set(expect.relevant.map(norm));
  const must = (expect.must ?? expect.relevant).map(norm);
  const minShown = expect.min_shown ?? 1;
  const good = shown.filter((t) => relevant.has(t));
  const precision = shown.length ? good.length / shown.length : 0;
  const mustHit = must.filter((t) => shown.includes(t)).length;
  const mustNeed = Math.min(must.length, PANEL_MAX);
  const recall = mustNeed ? mustHit / mustNeed : Math.min(1, good.length / minShown);
  const firstOk = !expect.first || shown[0] === norm(expect.first);
  const right = shown.length > 0 && good.length === shown.length && mustHit >= mustNeed && shown.length >= minShown && firstOk;
  const why = [];
  if (!shown.length) why.push("no panel");
  const wrong = shown.filter((t) => !relevant.has(t));
  if (wrong.length) why.push(`not relevant: ${wrong.join(", ")}`);
  const missing = must.filter((t) => !shown.includes(t));
  if (mustHit < mustNeed) why.push(`missing: ${missing.join(", ")}`);
  if (shown.length && shown.length < minShown) why.push(`${shown.length} shown, at least ${minShown} expected`);
  if (!firstOk && shown.length) why.push(`first should be ${expect.first}`);
  return { precision, recall, right, why: why.join("; ") };
}

function summarize(results) {
  const group = (rows) => ({
    n: rows.length,
    precision: rows.length ? rows.reduce((s, r) => s + r.precision, 0) / rows.length : 0,
    recall: rows.length ? rows.reduce((s, r) => s + r.recall, 0) / rows.length : 0,
    right: rows.length ? rows.filter((r) => r.right).length / rows.length : 0,
  });
  const categories = {};
  for (const cat of CATEGORIES) {
    const rows = results.filter((r) => r.category === cat);
    if (rows.length) categories[cat] = group(rows);
  }
  const storesSummary = {};
  for (const s of Object.keys(stores)) storesSummary[s] = group(results.filter((r) => r.store === s));
  return { overall: group(results), categories, stores: storesSummary };
}

const pct = (x) => `${(x * 100).toFixed(1)} %`.padStart(8);
const num = (x) => x.toFixed(2).padStart(9);

function printSummary(mode, summary, results, seconds) {
  console.log(`\n=== mode ${mode}: ${summary.overall.n} cases in ${seconds.toFixed(0)} s, ${pct(summary.overall.right).trim()} fully right`);
  console.log(`${"category".padEnd(14)}${"n".padStart(4)}${"precision".padStart(11)}${"recall".padStart(9)}${"fully right".padStart(13)}`);
  const row = (name, g) => console.log(`${name.padEnd(14)}${String(g.n).padStart(4)}  ${num(g.precision)}${num(g.recall).slice(2).padStart(9)}${pct(g.right).padStart(13)}`);
  for (const [cat, g] of Object.entries(summary.categories)) row(cat, g);
  console.log("-".repeat(51));
  for (const [s, g] of Object.entries(summary.stores)) row(`store ${s}`, g);
  row("overall", summary.overall);
  const failing = results.filter((r) => !r.right);
  if (failing.length) {
    console.log(`\nfailing (${failing.length}):`);
    for (const r of failing) {
      const shown = r.panel?.length ? `shown [${r.panel.join(" | ")}]` : `no panel, text "${r.text.replace(/\s+/g, " ").slice(0, 90)}"`;
      console.log(`  ${r.id} (${r.category}): ${r.why}\n      ${shown}`);
    }
  }
}

async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  let failed = null;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (failed) throw failed;
  return out;
}

// ------------------------------------------------------------------------------------------------------------ Main

async function runMode(mode, cases) {
  const t0 = Date.now();
  console.log(`\n--- ${mode}: starting ${args.server}${mode === "baseline" ? " (no --retrieval)" : ` --retrieval ${mode}`}`);
  const server = await startServer(mode);
  try {
    const outdoor = { widgetId: server.keys.widget_id, widgetKey: server.keys.widget_key };
    const home = await setUpHome(server);
    await checkStore(server, "outdoor", outdoor.widgetId, cases);
    await checkStore(server, "home", home.widgetId, cases);
    const embedding = await waitForVectors(server);
    console.log(`  ready in ${((Date.now() - t0) / 1000).toFixed(0)} s; running ${cases.length} cases`);
    const byStore = { outdoor, home };
    const t1 = Date.now();
    let doneCount = 0;
    const results = await pool(cases, Number(args.concurrency) || 4, async (c) => {
      let answer;
      try {
        answer = await runCase(server, byStore[c.store], c);
      } catch (e) {
        if (e instanceof InfraError) e.message = `case ${c.id}: ${e.message}\n  server stderr:\n${server.tail()}`;
        throw e;
      }
      if (++doneCount % 20 === 0) console.log(`  ${doneCount}/${cases.length} cases`);
      const g = grade(c.expect, answer);
      return {
        id: c.id,
        store: c.store,
        category: c.category,
        turns: c.turns,
        expect: c.expect,
        text: answer.text,
        panel: answer.panel ?? [],
        errors: answer.errors,
        ms: answer.ms,
        ...g,
      };
    });
    const summary = summarize(results);
    const seconds = (Date.now() - t1) / 1000;
    printSummary(mode, summary, results, seconds);
    return { mode, embedding_model: embedding, seconds, summary, results };
  } finally {
    await server.stop();
  }
}

function checkBar(runs) {
  const hybrid = runs.find((r) => r.mode === "hybrid");
  if (!hybrid) return ["the hybrid mode was not run (--bar grades hybrid)"];
  const failures = [];
  const s = hybrid.summary;
  if (s.overall.right < BAR_OVERALL)
    failures.push(`hybrid is ${pct(s.overall.right).trim()} fully right overall; the bar is ${BAR_OVERALL * 100} %`);
  for (const [cat, g] of Object.entries(s.categories))
    if (g.right < BAR_CATEGORY)
      failures.push(`hybrid category ${cat} is ${pct(g.right).trim()} fully right; the bar is ${BAR_CATEGORY * 100} % per category`);
  return failures;
}

async function main() {
  const modes = args.modes.split(",").map((m) => m.trim()).filter(Boolean);
  let cases = loadCases(args.cases);
  if (args.only) cases = cases.filter((c) => c.id.includes(args.only));
  if (!cases.length) throw new InfraError(`no cases match --only ${args.only}`);
  const runs = [];
  for (const mode of modes) runs.push(await runMode(mode, cases));
  const out = resolve(root, args.out);
  mkdirSync(resolve(out, ".."), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), server: args.server, model: args.model ?? null, runs }, null, 1) + "\n");
  if (runs.length > 1) {
    console.log(`\n${"mode".padEnd(10)}${"overall".padStart(10)}${"outdoor".padStart(10)}${"home".padStart(10)}`);
    for (const r of runs)
      console.log(`${r.mode.padEnd(10)}${pct(r.summary.overall.right).padStart(10)}${pct(r.summary.stores.outdoor.right).padStart(10)}${pct(r.summary.stores.home.right).padStart(10)}`);
  }
  console.log(`\nwrote ${out}`);
  if (args.bar) {
    const failures = checkBar(runs);
    if (failures.length) {
      console.log(`\nEVAL BAR FAILED:\n  ${failures.join("\n  ")}`);
      process.exit(1);
    }
    console.log(`\nEVAL BAR MET: hybrid ≥ ${BAR_OVERALL * 100} % overall and every category ≥ ${BAR_CATEGORY * 100} %`);
  }
}

main().catch((e) => {
  if (e instanceof InfraError) {
    console.error(`\nEVAL INFRASTRUCTURE ERROR (nothing was scored):\n${e.message}`);
  } else {
    console.error(`\nEVAL CRASHED:\n${e.stack ?? e}`);
  }
  process.exit(2);
});
