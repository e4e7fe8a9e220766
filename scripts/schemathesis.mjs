// Checks a live quincer-server against its own OpenAPI document (/api/v1/openapi.json) with schemathesis: every
// documented operation gets generated requests, and every answer must be no server error, a documented status,
// a documented content type, and valid against the documented schema. `./build.sh test` runs it after the Rust
// tests, with the debug server built and schemathesis installed (target/schemathesis-venv).
//
//   node scripts/schemathesis.mjs        # exits non-zero on any failure
//
// Environment: SCHEMATHESIS_BIN (default target/schemathesis-venv/bin/schemathesis), SCHEMATHESIS_MAX_EXAMPLES
// (default 25 test cases per operation and phase), SCHEMATHESIS_SEED (default 1, so a run can be replayed),
// SCHEMATHESIS_WORKERS (default 2: concurrent requests find what one client at a time cannot, such as SQLite
// write conflicts), QUINCER_SERVER_BIN (see tests/support/server.mjs).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startServer } from "../tests/support/server.mjs";

const root = resolve(import.meta.dirname, "..");
const bin = process.env.SCHEMATHESIS_BIN || join(root, "target/schemathesis-venv/bin/schemathesis");
const maxExamples = Number(process.env.SCHEMATHESIS_MAX_EXAMPLES || 25);
const seed = Number(process.env.SCHEMATHESIS_SEED || 1);
const workers = Number(process.env.SCHEMATHESIS_WORKERS || 2);

// schemathesis sends far more requests a minute than the documented limits allow; the limits have their own tests.
for (const name of ["DEV_READS", "DEV_WRITES", "PUBLIC_IP", "CHAT"]) {
  process.env[`QUINCER_RATE_LIMIT_${name}`] ??= "1000000";
}
// Failed deliveries to the receivers generated webhooks name are warnings; server errors are what matters here.
process.env.RUST_LOG ??= "error";

/** A JSON request to the server; throws unless it answers `status`. */
async function call(server, method, path, { auth, visitor, body, status = 200 } = {}) {
  const headers = { Authorization: `Bearer ${auth}` };
  if (visitor) headers["Quincer-Visitor-Token"] = visitor;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return res.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text;
}

/**
 * Real resources for the operations that take an id: without them every generated id is unknown and those
 * operations would only ever answer 404. Another widget than the demo's carries the widget-level operations, so
 * a generated update or key revocation cannot lock the public endpoints out of the demo widget.
 */
async function fixtures(server) {
  const dev = server.devKey;
  const visitor = (await call(server, "POST", "/api/widget/session", { auth: server.widgetKey, body: {} }))
    .visitor_token;
  // Personas with the lead form, so the conversations they speak in accept the form. The developer API's
  // operations change the first persona and conversation; the second pair is for the form only.
  const personas = [];
  for (const name of ["Fixture", "Lead form"]) {
    const body = { name, widget_id: server.widgetId, capture_leads: true };
    personas.push(await call(server, "POST", "/api/v1/personas", { auth: dev, body, status: 201 }));
  }
  const [conversation, formConversation] = ["conv_schemathesis", "conv_schemathesis_form"];
  const question = { id: "msg_1", role: "user", parts: [{ type: "text", text: "How long does shipping take?" }] };
  for (const [id, persona] of [[conversation, personas[0]], [formConversation, personas[1]]]) {
    await call(server, "POST", "/api/chat", {
      auth: server.widgetKey,
      visitor,
      body: { id, messages: [question], persona_id: persona.id },
    });
  }
  const widget = await call(server, "POST", "/api/v1/widgets", { auth: dev, body: { brand: "Fixture" }, status: 201 });
  const knowledge = await call(server, "POST", "/api/v1/knowledge", {
    auth: dev,
    body: { title: "Fixture", content: "A knowledge item.", widget_id: server.widgetId },
    status: 201,
  });
  const lead = await call(server, "POST", "/api/v1/leads", {
    auth: dev,
    body: { widget_id: server.widgetId, email: "ada@example.com", conversation_id: conversation },
    status: 201,
  });
  // A draft of the lead's follow-up email (the server has no SMTP: sending is a documented 409).
  const leadEmail = await call(server, "POST", `/api/v1/leads/${lead.id}/emails/generate`, { auth: dev, status: 201 });
  const task = await call(server, "POST", "/api/v1/tasks", {
    auth: dev,
    body: { widget_id: server.widgetId, type: "qualification", title: "Fixture", lead_id: lead.id },
    status: 201,
  });
  const webhook = await call(server, "POST", "/api/v1/webhooks", {
    auth: dev,
    body: { url: "http://127.0.0.1:9/hook", events: ["lead.created"] },
    status: 201,
  });
  const playbook = await call(server, "POST", "/api/v1/playbook", {
    auth: dev,
    body: { category: "pricing", title: "Fixture", content: "A playbook entry.", widget_id: server.widgetId },
    status: 201,
  });
  const member = await call(server, "POST", "/api/v1/members", {
    auth: dev,
    body: { email: "fixture@example.com", name: "Fixture", role: "agent" },
    status: 201,
  });
  return {
    visitor,
    ids: {
      demo_widget: server.widgetId,
      widget: widget.id,
      widget_key: widget.api_key,
      conversation,
      form_conversation: formConversation,
      persona: personas[0].id,
      knowledge: knowledge.id,
      lead: lead.id,
      webhook: webhook.id,
      lead_email: leadEmail.id,
      task: task.id,
      playbook: playbook.id,
      member: member.id,
    },
  };
}

/** The run's configuration: credentials, checks, and the fixtures' ids for the operations that take one. */
function config(server, { visitor, ids }) {
  // Half of the generated ids are the fixture's, half are schemathesis' own (which exercise the 404s). One entry
  // per operation: schemathesis does not merge the parameters of several entries.
  const bind = (path, params) => {
    const bindings = Object.entries(params).map(([p, d]) => `"path.${p}" = { dictionary = "${d}", probability = 0.5 }`);
    return `[[operations]]\ninclude-path-regex = '${path}'\nparameters = { ${bindings.join(", ")} }\n`;
  };
  return `# Written by scripts/schemathesis.mjs for one run against a fresh demo server.
seed = ${seed}
workers = ${workers}
request-timeout = 10
# Event streams are read to their end, or up to this many events (a chat answer has fewer), or until the request
# times out.
max-stream-events = 200

[generation]
max-examples = ${maxExamples}
database = "none"

# Every other check is enforced: not_a_server_error, status_code_conformance, content_type_conformance,
# response_schema_conformance, response_headers_conformance, the method and auth checks, and the stateful ones.
[checks.positive_data_acceptance]
# Expects every schema-valid request to succeed. The document states types, lengths and required fields, not every
# rule the server checks (email addresses, URL patterns, colours, locales, ids that must exist, states such as
# "take it over first"), and those requests rightly get a 400, 404 or 409 naming the rule.
enabled = false
[checks.negative_data_rejection]
# Expects every schema-violating request to be refused. The server deliberately accepts more than the document
# lists: the legacy camelCase aliases of body fields, a number as \`external_id\`, unknown query parameters, and
# serde's other spellings of a value (an object given as an array).
enabled = false
[checks.use_after_free]
# Expects a 404 from every GET after a DELETE of the same path. A widget key is revoked, not deleted: API.md
# documents reading a revoked key (200 with \`revoked_at\`, for the audit trail), which this check reports. The
# other deletions' 404s are checked by the server's own tests.
enabled = false

[auth.openapi.developer_key]
bearer = "${server.devKey}"
[auth.openapi.widget_key]
bearer = "${server.widgetKey}"
[auth.openapi.visitor_token]
api_key = "${visitor}"

[dictionaries]
demo_widget = { values = ["${ids.demo_widget}"] }
widget = { values = ["${ids.widget}"] }
widget_key = { values = ["${ids.widget_key}"] }
conversation = { values = ["${ids.conversation}"] }
form_conversation = { values = ["${ids.form_conversation}"] }
persona = { values = ["${ids.persona}"] }
knowledge = { values = ["${ids.knowledge}"] }
lead = { values = ["${ids.lead}"] }
webhook = { values = ["${ids.webhook}"] }
lead_email = { values = ["${ids.lead_email}"] }
task = { values = ["${ids.task}"] }
playbook = { values = ["${ids.playbook}"] }
member = { values = ["${ids.member}"] }
user = { values = ["user"] }

# Bodies that name other resources name real ones half of the time, so creations get past "no such widget", and
# chat requests usually carry a visitor message to answer.
[parameters]
"body.widget_id" = { dictionary = "demo_widget", probability = 0.5 }
"body.conversation_id" = { dictionary = "conversation", probability = 0.5 }
"body.persona_id" = { dictionary = "persona", probability = 0.5 }
"body.lead_id" = { dictionary = "lead", probability = 0.5 }
"body.messages[*].role" = { dictionary = "user", probability = 0.8 }

${bind("^/api/v1/widgets/\\{id\\}(/keys)?$", { id: "widget" })}
${bind("^/api/v1/widgets/\\{id\\}/keys/\\{key\\}$", { id: "widget", key: "widget_key" })}
${bind("^/api/v1/conversations/\\{id\\}", { id: "conversation" })}
${bind("^/api/widget/conversations/\\{id\\}$", { id: "conversation" })}
${bind("^/api/v1/personas/\\{id\\}$", { id: "persona" })}
${bind("^/api/v1/knowledge/\\{id\\}$", { id: "knowledge" })}
${bind("^/api/v1/leads/\\{id\\}$", { id: "lead" })}
${bind("^/api/v1/webhooks/\\{id\\}$", { id: "webhook" })}
${bind("^/api/v1/leads/\\{id\\}/emails(/generate)?$", { id: "lead" })}
${bind("^/api/v1/leads/\\{id\\}/emails/\\{email_id\\}", { id: "lead", email_id: "lead_email" })}
${bind("^/api/v1/(tasks|activities)/\\{id\\}$", { id: "task" })}
${bind("^/api/v1/playbook/\\{id\\}$", { id: "playbook" })}
${bind("^/api/v1/members/\\{id\\}$", { id: "member" })}
[[operations]]
# The organisation has several widgets, so creations must name one (without, they are a 400 saying so).
include-operation-id = ["create_knowledge", "create_persona", "create_lead", "create_task", "create_activity", "create_playbook_entry"]
parameters = { "body.widget_id" = "${ids.demo_widget}" }

[[operations]]
# A storefront import fetches the store its body names: always the demo store of this server, never a URL the
# generator invents (that would be any host on the internet). Only the fuzzing phase applies that override, so the
# other phases skip this operation; its errors are covered by tests/storefront_api.rs.
include-operation-id = "import_storefront"
parameters = { "path.id" = { dictionary = "widget", probability = 0.5 }, "body.url" = "${server.url}/shop" }
phases = { examples = { enabled = false }, coverage = { enabled = false }, stateful = { enabled = false } }
generation = { mode = "positive", max-examples = ${Math.min(maxExamples, 5)} }

[[operations]]
# A document upload names the demo widget half of the time, so generated files reach the document reader.
include-operation-id = "generate_playbook"
parameters = { "body.widgetId" = { dictionary = "demo_widget", probability = 0.5 } }

[[operations]]
include-operation-id = "capture_widget_lead"
parameters = { "body.conversation_id" = { dictionary = "form_conversation", probability = 0.5 } }

[[operations]]
# The event stream never ends: a request for a real conversation (schemathesis reuses ids it has seen) waits for
# events until its timeout, so that timeout is short here, and the cases are fewer.
include-operation-id = "stream_conversation_events"
request-timeout = 2
generation = { max-examples = ${Math.min(maxExamples, 10)} }
`;
}

/** Runs schemathesis in `dir` (it keeps its own state there); resolves to its exit code. */
function run(server, dir) {
  const args = [
    "--config-file",
    join(dir, "schemathesis.toml"),
    "run",
    `${server.url}/api/v1/openapi.json`,
  ];
  return new Promise((ok, fail) => {
    const child = spawn(bin, args, { cwd: dir, stdio: "inherit", env: { ...process.env, NO_COLOR: "1" } });
    child.once("error", fail);
    child.once("exit", (code, signal) => ok(code ?? (signal ? 1 : 0)));
  });
}

const server = await startServer({ replyPaceMs: 0 });
const dir = mkdtempSync(join(tmpdir(), "quincer-schemathesis-"));
let code = 1;
try {
  writeFileSync(join(dir, "schemathesis.toml"), config(server, await fixtures(server)));
  code = await run(server, dir);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
