// The deploy kit end to end (docs/DEPLOY.md): deploy/cluster.sh starts a throwaway PostgreSQL, migrates it, starts
// two quincer-server nodes on it and HAProxy (deploy/haproxy.cfg) in front; everything below goes through the
// balancer. A visitor chats and holds an event stream; an agent, with a developer key minted by `quincer-server keys
// create --database-url`, takes the conversation over with the developer API, its replies (served by the other
// node) arrive on the stream, and it hands back. A node restarted gracefully sends its streams elsewhere without
// losing an event, and the demo store's carts stick to their node. Then the cluster stops.
//
// Needs what cluster.sh needs (Debian's postgresql and haproxy, installed with apt-get when missing) and a
// quincer-server that serves from PostgreSQL (`serve --database-url`): QUINCER_SERVER_BIN, else the newer of
// target/release and target/debug, as cluster.sh picks it. Without such a binary the tests skip, unless
// QUINCER_REQUIRE_POSTGRES=1 (as `./build.sh test` sets it): then they fail. `./build.sh test` runs
// `node --test tests/deploy/`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const root = resolve(import.meta.dirname, "../..");
const cluster = join(root, "deploy/cluster.sh");
const run = promisify(execFile);

/** The binary cluster.sh will run, and why the tests cannot run (or `false`). */
function serverBinary() {
  if (process.env.QUINCER_SERVER_BIN) return process.env.QUINCER_SERVER_BIN;
  const [release, debug] = ["release", "debug"].map((p) => join(root, "target", p, "quincer-server"));
  if (existsSync(release) && (!existsSync(debug) || statSync(release).mtimeMs > statSync(debug).mtimeMs)) {
    return release;
  }
  return debug;
}
function missing() {
  const bin = serverBinary();
  if (!existsSync(bin)) return `no ${bin}: run \`cargo build -p quincer-server\``;
  const help = execFileSync(bin, ["serve", "--help"], { encoding: "utf8", env: { ...process.env, RUST_LOG: "off" } });
  return help.includes("--database-url") ? false : `${bin} cannot serve from PostgreSQL (no \`serve --database-url\`)`;
}
const skip = missing();
if (skip && process.env.QUINCER_REQUIRE_POSTGRES === "1") {
  throw new Error(`the deploy test cannot run, and QUINCER_REQUIRE_POSTGRES=1 requires it: ${skip}`);
}

let dir;
/** The lines `cluster.sh start` prints: QUINCER_URL (the balancer), the demo's keys, the nodes' URLs. */
let env;
/** A developer key made with `quincer-server keys create --database-url`. */
let agentKey;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), "quincer-cluster-"));
  const { stdout } = await run(cluster, ["start", dir], { timeout: 300_000, maxBuffer: 1 << 20 }).catch((e) => {
    throw new Error(`cluster.sh start failed:\n${e.stderr}`);
  });
  env = Object.fromEntries(
    stdout
      .split("\n")
      .filter((l) => l.startsWith("QUINCER_"))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  for (const key of ["QUINCER_URL", "QUINCER_DATABASE_URL", "QUINCER_ORG_ID", "QUINCER_WIDGET_KEY"]) {
    assert.ok(env[key], `cluster.sh start printed no ${key}:\n${stdout}`);
  }
  // The agent's developer key, minted in the shared database with the CLI and only the scopes a takeover needs.
  const bin = readFileSync(join(dir, "server-bin"), "utf8").trim();
  const scopes = "conversations:read,conversations:takeover,conversations:reply,conversations:handback";
  const minted = await run(
    bin,
    ["keys", "create", "--database-url", env.QUINCER_DATABASE_URL, "--org", env.QUINCER_ORG_ID, "--scopes", scopes],
    { env: { ...process.env, RUST_LOG: "off" } },
  );
  agentKey = minted.stdout.trim();
  assert.match(agentKey, /^cw_dev_\w+$/, `keys create printed: ${minted.stdout}`);
}, { timeout: 320_000 });

after(async () => {
  if (!dir) return;
  try {
    await run(cluster, ["stop", dir], { timeout: 120_000 });
    // Nothing may be left running.
    await assert.rejects(run(cluster, ["status", dir]), "cluster.sh status should fail once the cluster is stopped");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { timeout: 150_000 });

const lb = (path) => `${env.QUINCER_URL}${path}`;
const widgetHeaders = (visitorToken) => ({
  Authorization: `Bearer ${env.QUINCER_WIDGET_KEY}`,
  ...(visitorToken ? { "Quincer-Visitor-Token": visitorToken } : {}),
});
const devHeaders = () => ({ Authorization: `Bearer ${agentKey}`, "Content-Type": "application/json" });

/** A JSON request through the balancer: `{ status, body, node }` (node: which instance answered, from HAProxy). */
async function call(method, path, { headers = {}, body } = {}) {
  const res = await fetch(lb(path), {
    method,
    headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, node: res.headers.get("x-quincer-node") };
}

async function newVisitor() {
  const { status, body } = await call("POST", "/api/widget/session", { headers: widgetHeaders() });
  assert.equal(status, 200, JSON.stringify(body));
  assert.match(body.visitor_token, /^vt_/);
  return body.visitor_token;
}

/** Sends a visitor message and reads the streamed answer to its end: the answer's text. */
async function chat(visitorToken, conversationId, text) {
  const res = await fetch(lb("/api/chat"), {
    method: "POST",
    headers: { ...widgetHeaders(visitorToken), "Content-Type": "application/json" },
    body: JSON.stringify({
      id: conversationId,
      messages: [
        { id: `u_${Date.now()}_${Math.random().toString(36).slice(2)}`, role: "user", parts: [{ type: "text", text }] },
      ],
    }),
  });
  if (res.status !== 200) assert.fail(`chat answered ${res.status}: ${await res.text()}`);
  assert.match(res.headers.get("content-type"), /^text\/event-stream/);
  const raw = await res.text();
  const chunks = raw
    .split("\n")
    .filter((l) => l.startsWith("data: ") && l !== "data: [DONE]")
    .map((l) => JSON.parse(l.slice(6)));
  assert.ok(raw.trimEnd().endsWith("data: [DONE]"), `the answer stream did not finish:\n${raw}`);
  assert.ok(chunks.some((c) => c.type === "finish"), `no finish chunk:\n${raw}`);
  return chunks
    .filter((c) => c.type === "text-delta")
    .map((c) => c.delta)
    .join("");
}

/**
 * A conversation's live event stream through the balancer, read as server-sent events. `next()` resolves with the
 * next event (`{ id, event, data }`), `ended()` with the stream's end; `node` is the instance serving it.
 */
async function openEvents(visitorToken, conversationId, lastEventId) {
  const controller = new AbortController();
  const headers = { ...widgetHeaders(visitorToken), Accept: "text/event-stream" };
  if (lastEventId !== undefined) headers["Last-Event-ID"] = String(lastEventId);
  const res = await fetch(lb(`/api/widget/conversations/${conversationId}/events`), {
    headers,
    signal: controller.signal,
  });
  if (res.status !== 200) assert.fail(`the event stream answered ${res.status}: ${await res.text()}`);
  assert.match(res.headers.get("content-type"), /^text\/event-stream/);
  const events = [];
  const waiters = [];
  let done = false;
  let retry;
  const wake = () => waiters.splice(0).forEach((w) => w());
  (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const bytes of res.body) {
        buffer += decoder.decode(bytes, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = {};
          for (const line of block.split("\n")) {
            const colon = line.indexOf(":");
            if (colon === 0) continue; // a comment (heartbeat, shutdown notice)
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "retry") retry = Number(value);
            else if (field === "data") event.data = JSON.parse(value);
            else event[field] = value;
          }
          if (event.event) events.push(event);
          wake();
        }
      }
    } catch {
      // Aborted by close(), or cut: either way the stream is over.
    }
    done = true;
    wake();
  })();
  const waitFor = async (ready, what, ms) => {
    const deadline = Date.now() + ms;
    while (!ready()) {
      const left = deadline - Date.now();
      const node = res.headers.get("x-quincer-node");
      assert.ok(left > 0, `no ${what} on the event stream within ${ms} ms (served by ${node})`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  return {
    node: res.headers.get("x-quincer-node"),
    /** The next event, within `ms`. */
    async next(ms = 10_000) {
      await waitFor(() => events.length > 0 || done, "event", ms);
      assert.ok(events.length > 0, "the event stream ended before the next event");
      return events.shift();
    },
    /** Resolves with the last `retry:` the server sent once the stream ends (within `ms`). */
    async ended(ms = 30_000) {
      await waitFor(() => done, "end", ms);
      return retry;
    },
    close: () => controller.abort(),
  };
}

const quick = { skip, timeout: 60_000 };
const slow = { skip, timeout: 120_000 };

test("the balancer answers /readyz from both nodes, alternating, and hides /metrics", quick, async () => {
  const nodes = [];
  for (let i = 0; i < 4; i++) {
    const { status, body, node } = await call("GET", "/readyz");
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.status, "ready");
    nodes.push(node);
  }
  assert.deepEqual(new Set(nodes), new Set(["node1", "node2"]), `answered by ${nodes}`);
  for (let i = 1; i < nodes.length; i++) assert.notEqual(nodes[i], nodes[i - 1], `round robin: ${nodes}`);
  // Each node still serves its own metrics to a scraper that reaches it directly.
  assert.equal((await call("GET", "/metrics")).status, 404);
  assert.equal((await fetch(`${env.QUINCER_NODE1_URL}/metrics`)).status, 200);
});

test("a visitor chats, an agent takes over and replies from the other node, then hands back", slow, async () => {
  const token = await newVisitor();
  const conv = `conv_deploy_${Date.now()}`;
  const answer = await chat(token, conv, "How long does shipping take?");
  assert.match(answer, /ship/i, "the offline responder answers from the demo's knowledge");

  const transcript = await call("GET", `/api/widget/conversations/${conv}`, { headers: widgetHeaders(token) });
  assert.equal(transcript.status, 200, JSON.stringify(transcript.body));
  const stream = await openEvents(token, conv, transcript.body.last_event_id);
  try {
    const takeover = await call("POST", `/api/v1/conversations/${conv}/takeover`, {
      headers: devHeaders(),
      body: { actor_name: "Sam", external_label: "deploy-test" },
    });
    assert.equal(takeover.status, 200, JSON.stringify(takeover.body));
    const joined = await stream.next();
    assert.equal(joined.event, "takeover");
    assert.equal(joined.data.agent.name, "Sam");

    // Replies until one is served by the node that does not hold the stream (round robin: at most a few), each
    // arriving on the stream: an event written on one node wakes a stream on the other.
    const servedBy = [];
    for (let i = 0; i < 4 && !servedBy.some((n) => n !== stream.node); i++) {
      const text = `Hi, Sam here (${i}).`;
      const path = `/api/v1/conversations/${conv}/reply`;
      const reply = await call("POST", path, { headers: devHeaders(), body: { text } });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      servedBy.push(reply.node);
      const event = await stream.next(5_000);
      assert.equal(event.event, "message");
      assert.equal(event.data.message.role, "agent");
      assert.equal(event.data.message.text, text);
    }
    assert.ok(
      servedBy.some((n) => n !== stream.node),
      `no reply was served by another node than the stream's (${stream.node}): ${servedBy}`,
    );

    // While the agent holds the conversation, the visitor's message gets no AI answer.
    assert.equal(await chat(token, conv, "Thanks Sam, and returns?"), "");

    const handback = await call("POST", `/api/v1/conversations/${conv}/handback`, { headers: devHeaders() });
    assert.equal(handback.status, 200, JSON.stringify(handback.body));
    const back = await stream.next();
    assert.equal(back.event, "handback");
    assert.ok(back.data.persona.name, "the handback names the persona that answers again");
    assert.match(await chat(token, conv, "What is your return policy?"), /return/i, "the AI answers again");

    const full = await call("GET", `/api/v1/conversations/${conv}`, { headers: devHeaders() });
    assert.equal(full.status, 200);
    const roles = full.body.messages.map((m) => m.role);
    assert.ok(roles.filter((r) => r === "agent").length >= 1 && roles.includes("assistant"), `roles: ${roles}`);
  } finally {
    stream.close();
  }
});

test("a node restarted gracefully sends its streams to the other node, and no event is lost", slow, async () => {
  const token = await newVisitor();
  const conv = `conv_restart_${Date.now()}`;
  await chat(token, conv, "Hello");
  const transcript = await call("GET", `/api/widget/conversations/${conv}`, { headers: widgetHeaders(token) });
  const first = await openEvents(token, conv, transcript.body.last_event_id);
  const restarting = first.node.replace("node", "");
  const restart = spawn(cluster, ["restart-node", dir, restarting], { stdio: ["ignore", "ignore", "pipe"] });
  let restartLog = "";
  restart.stderr.on("data", (d) => (restartLog += d));
  const restarted = new Promise((resolve) => restart.on("exit", resolve));
  try {
    // SIGTERM: the stream ends with a short retry, the client reconnects through the balancer.
    assert.equal(await first.ended(), 250, "a shutting-down node tells its streams to come back in 250 ms");
    // The takeover is written while the node restarts: the balancer sends it to the other one.
    const takeover = await call("POST", `/api/v1/conversations/${conv}/takeover`, {
      headers: devHeaders(),
      body: { actor_name: "Kim" },
    });
    assert.equal(takeover.status, 200, JSON.stringify(takeover.body));
    const second = await openEvents(token, conv, transcript.body.last_event_id);
    try {
      assert.notEqual(second.node, first.node, "the reconnect reached the node that is not restarting");
      const joined = await second.next();
      assert.equal(joined.event, "takeover", "Last-Event-ID replays the event written while reconnecting");
      assert.equal(joined.data.agent.name, "Kim");
    } finally {
      second.close();
    }
  } finally {
    first.close();
    assert.equal(await restarted, 0, `cluster.sh restart-node failed:\n${restartLog}`);
  }
  const { stdout } = await run(cluster, ["status", dir]);
  assert.match(stdout, new RegExp(`node${restarting} +running .*/readyz 200`), stdout);
});

test("the demo store's cart (in one node's memory) sticks to that node through the balancer", quick, async () => {
  const products = await call("GET", "/shop/products.json?limit=5");
  assert.equal(products.status, 200);
  const variant = products.body.products.flatMap((p) => p.variants).find((v) => v.available);
  assert.ok(variant, "an available variant in the demo store");
  const add = await fetch(lb("/shop/cart/add.js"), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ items: [{ id: variant.id, quantity: 2 }] }),
  });
  if (add.status !== 200) assert.fail(`cart/add.js answered ${add.status}: ${await add.text()}`);
  const cookie = add.headers.get("set-cookie")?.split(";")[0];
  assert.match(cookie ?? "", /^cart=\w+$/);
  const cartNode = add.headers.get("x-quincer-node");
  for (let i = 0; i < 4; i++) {
    const res = await fetch(lb("/shop/cart.js"), { headers: { Cookie: cookie } });
    const cart = await res.json();
    assert.equal(res.headers.get("x-quincer-node"), cartNode, "the cart's requests stay on its node");
    assert.equal(cart.item_count, 2, JSON.stringify(cart));
  }
});
