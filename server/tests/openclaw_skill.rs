//! The OpenClaw skill (`integrations/openclaw/quincer/SKILL.md`, docs/OPENCLAW.md) against a real server: every
//! request its `curl` recipes make is a documented operation whose scope the OpenClaw key has, and every recipe,
//! parsed out of the served file and run with the real `curl`, does what the skill says on a demo conversation.
//! (tests/node/openclaw-skill.test.mjs checks the real OpenClaw CLI loads the file.)

mod common;

use std::collections::BTreeSet;

use common::*;
use quincer_server::openclaw;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// One ```bash block of the skill.
#[derive(Debug, Clone)]
struct Recipe {
    /// The `## ` heading it is under.
    section: String,
    /// The script, as written.
    script: String,
    /// The HTTP method it sends: `-X`, else POST with `--json`, else GET.
    method: String,
    /// The URL's path (no query), variables (`$CONVERSATION_ID`) left in.
    path: String,
    /// The query string, or "".
    query: String,
}

impl Recipe {
    /// `METHOD /path` with each `$VARIABLE` segment as `{}`: what the recipe calls, compared to the document.
    fn shape(&self) -> String {
        let segments: Vec<&str> = self.path.split('/').map(|s| if s.starts_with('$') { "{}" } else { s }).collect();
        format!("{} {}", self.method, segments.join("/"))
    }
}

/// Every ```bash block of `skill`, in order, with the request it makes to `base`.
fn recipes(skill: &str, base: &str) -> Vec<Recipe> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = skill.lines();
    while let Some(line) = lines.next() {
        if let Some(title) = line.strip_prefix("## ") {
            section = title.trim().to_owned();
        }
        if line.trim() != "```bash" {
            continue;
        }
        let script: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        let script = script.join("\n") + "\n";
        let url_start =
            script.find(&format!("\"{base}/")).unwrap_or_else(|| panic!("no \"{base}/…\" URL in:\n{script}"));
        let url = &script[url_start + 1..];
        let url = &url[..url.find('"').expect("closing quote")];
        let target = url.strip_prefix(base).expect("the URL is the server's");
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let words: Vec<&str> = script.split_whitespace().collect();
        let method = match words.iter().position(|w| *w == "-X") {
            Some(i) => words[i + 1].to_owned(),
            None if words.contains(&"--json") => "POST".to_owned(),
            None => "GET".to_owned(),
        };
        let (path, query) = (path.to_owned(), query.to_owned());
        out.push(Recipe { section: section.clone(), script, method, path, query });
    }
    out
}

/// The scope an operation's description names ("Scope `leads:read`. …").
fn scope_of(operation: &Value) -> Option<String> {
    let description = operation["description"].as_str()?;
    let rest = description.strip_prefix("Scope `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

/// The operation of the OpenAPI document `doc` that serves `recipe`, matching `{param}` segments to variables.
fn operation<'a>(doc: &'a Value, recipe: &Recipe) -> Option<&'a Value> {
    let want: Vec<&str> = recipe.path.split('/').collect();
    let (_, item) = doc["paths"].as_object()?.iter().find(|(template, _)| {
        let have: Vec<&str> = template.split('/').collect();
        have.len() == want.len()
            && have.iter().zip(&want).all(|(h, w)| h == w || (h.starts_with('{') && w.starts_with('$')))
    })?;
    item.get(recipe.method.to_lowercase())
}

#[tokio::test]
async fn every_recipe_is_a_documented_operation_the_openclaw_key_may_call() {
    let server = TestServer::start().await;
    let doc: Value = server.client.get(server.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let all = recipes(openclaw::SKILL, openclaw::SKILL_BASE_URL);
    assert!(all.len() >= 8, "the skill has {} recipes", all.len());
    let mut used = BTreeSet::new();
    for recipe in &all {
        let op = operation(&doc, recipe)
            .unwrap_or_else(|| panic!("{} (\"{}\") is not in the OpenAPI document", recipe.shape(), recipe.section));
        let scope = scope_of(op).unwrap_or_else(|| panic!("{} documents no scope", recipe.shape()));
        assert!(
            openclaw::SCOPES.contains(&scope.as_str()),
            "{} needs `{scope}`, which the OpenClaw key lacks ({:?})",
            recipe.shape(),
            openclaw::SCOPES
        );
        // The filters a recipe passes are the operation's documented parameters.
        let params: Vec<&str> =
            op["parameters"].as_array().into_iter().flatten().filter_map(|p| p["name"].as_str()).collect();
        for pair in recipe.query.split('&').filter(|p| !p.is_empty()) {
            let name = pair.split('=').next().unwrap();
            assert!(params.contains(&name), "{} has no query parameter `{name}` ({params:?})", recipe.shape());
        }
        used.insert(scope);
    }
    // The key gets nothing the skill does not use.
    let granted: BTreeSet<String> = openclaw::SCOPES.iter().map(|s| s.to_string()).collect();
    assert_eq!(used, granted, "scopes the recipes use vs the scopes the OpenClaw key gets");
}

/// What one run of a recipe printed, parsed.
async fn run(recipe: &Recipe, env: &[(&str, &str)]) -> Value {
    let mut command = std::process::Command::new("bash");
    command.args(["-euo", "pipefail", "-c", &recipe.script]).env_remove("CURL_HOME");
    for (name, value) in env {
        command.env(name, value);
    }
    // Off the runtime's thread: the server answering curl runs on it.
    let out = tokio::task::spawn_blocking(move || command.output()).await.unwrap().expect("bash and curl run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{} (\"{}\") failed: {}\n{stdout}\n{}",
        recipe.shape(),
        recipe.section,
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{}: not JSON ({e}): {stdout}", recipe.shape()))
}

/// The ids of a list answer's items.
fn ids(list: &Value) -> Vec<&str> {
    list["data"].as_array().expect("a list").iter().filter_map(|item| item["id"].as_str()).collect()
}

#[tokio::test]
async fn every_recipe_runs_with_curl_against_a_live_server() {
    let server = TestServer::start().await;
    // The file the server hands out, naming the server itself.
    let resp = server.client.get(server.url(openclaw::SKILL_PATH)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(resp.headers(), "content-type"), "text/markdown; charset=utf-8");
    let skill = resp.text().await.unwrap();
    assert!(skill.starts_with("---\nname: quincer\n"), "{skill}");
    if server.base != openclaw::SKILL_BASE_URL {
        assert!(!skill.contains(openclaw::SKILL_BASE_URL), "the served skill still names the repository's URL");
    }
    let all = recipes(&skill, &server.base);
    // Behind a TLS-terminating proxy that passes the public `Host` through, the skill names the public address.
    let proxied = server
        .client
        .get(server.url(openclaw::SKILL_PATH))
        .header("Host", "chat.example.com")
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(recipes(&proxied, "https://chat.example.com").len(), all.len());
    assert_eq!(all.len(), recipes(openclaw::SKILL, openclaw::SKILL_BASE_URL).len());

    // A visitor asked something; a lead came out of it. Checks read through a key of their own.
    let conversation = "conv_openclaw";
    server.conversation(conversation).await;
    let admin = server.mint_key(&["conversations:read", "leads:read", "leads:write", "tasks:read"]).await;
    let lead = server
        .dev_json(
            Method::POST,
            "/leads",
            &admin,
            json!({"widget_id": server.keys.widget_id, "conversation_id": conversation, "email": "ada@example.com"}),
        )
        .await;
    let lead = lead["id"].as_str().unwrap().to_owned();
    // The key "Connect OpenClaw" issues, bound to the OpenClaw member.
    let mut scopes = openclaw::SCOPES.to_vec();
    scopes.push("members:write");
    let owner = server.mint_key(&scopes).await;
    let connected = server.dev_json(Method::POST, "/integrations/openclaw/connect", &owner, json!(null)).await;
    let key = connected["key"].as_str().expect("a key").to_owned();
    let env = [
        ("QUINCER_API_KEY", key.as_str()),
        ("CONVERSATION_ID", conversation),
        ("LEAD_ID", lead.as_str()),
        ("WIDGET_ID", server.keys.widget_id.as_str()),
    ];
    let find = |shape: &str, query: &str| {
        all.iter()
            .find(|r| r.shape() == shape && r.query.contains(query))
            .unwrap_or_else(|| panic!("no recipe for {shape} ?{query}"))
    };
    let conversation_path = format!("/conversations/{conversation}");

    let waiting = run(find("GET /api/v1/conversations", "status=active"), &env).await;
    assert!(ids(&waiting).contains(&conversation), "{waiting}");
    assert!(waiting["data"].as_array().unwrap().iter().all(|c| c["status"] == "active"), "{waiting}");
    let held = find("GET /api/v1/conversations", "status=human_active");
    assert!(!ids(&run(held, &env).await).contains(&conversation));

    let read = run(find("GET /api/v1/conversations/{}", ""), &env).await;
    assert_eq!(read["id"], conversation);
    assert!(read["messages"].to_string().contains(SHIPPING_QUESTION), "{read}");

    let taken = run(find("POST /api/v1/conversations/{}/takeover", ""), &env).await;
    assert_eq!(taken["status"], "human_active", "{taken}");
    assert_eq!(taken["takeover"]["actor_name"], "OpenClaw", "{taken}");
    assert_eq!(server.dev_get(&conversation_path, &admin).await["status"], "human_active");
    assert!(ids(&run(held, &env).await).contains(&conversation));

    let reply = run(find("POST /api/v1/conversations/{}/reply", ""), &env).await;
    assert_eq!(reply["role"], "agent", "{reply}");
    let text = reply["text"].as_str().unwrap().to_owned();
    assert!(text.contains("order number"), "{reply}");
    let transcript = server.dev_get(&conversation_path, &admin).await;
    let last = transcript["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["role"].as_str(), last["text"].as_str()), (Some("agent"), Some(text.as_str())));

    let back = run(find("POST /api/v1/conversations/{}/handback", ""), &env).await;
    assert_eq!(back["status"], "active", "{back}");
    assert_eq!(server.dev_get(&conversation_path, &admin).await["status"], "active");

    let leads = run(find("GET /api/v1/leads", "widget_id"), &env).await;
    assert!(ids(&leads).contains(&lead.as_str()), "{leads}");
    let one = run(find("GET /api/v1/leads/{}", ""), &env).await;
    assert_eq!((one["id"].as_str(), one["email"].as_str()), (Some(lead.as_str()), Some("ada@example.com")));
    let updated = run(find("POST /api/v1/leads/{}", ""), &env).await;
    assert_eq!(updated["stage"], "qualified", "{updated}");
    let seen = server.dev_get(&format!("/leads/{lead}"), &admin).await;
    assert_eq!((seen["stage"].as_str(), seen["temperature"].as_str()), (Some("qualified"), Some("hot")), "{seen}");
    assert_eq!(seen["tags"], json!(["openclaw"]));

    let task = run(find("POST /api/v1/tasks", ""), &env).await;
    let task_id = task["id"].as_str().expect("a task id").to_owned();
    let stored = server.dev_get(&format!("/tasks/{task_id}"), &admin).await;
    assert_eq!(
        (stored["type"].as_str(), stored["lead_id"].as_str(), stored["conversation_id"].as_str()),
        (Some("follow_up"), Some(lead.as_str()), Some(conversation)),
        "{stored}"
    );
    let tasks = run(find("GET /api/v1/tasks", "lead_id"), &env).await;
    assert_eq!(ids(&tasks), vec![task_id.as_str()]);
}

impl TestServer {
    /// A visitor with one answered conversation `id`.
    async fn conversation(&self, id: &str) {
        let token = self.new_visitor().await;
        self.chat_ok(&token, &chat_body(id, "u1", SHIPPING_QUESTION)).await.assert_complete_answer();
    }

    /// A developer API request with `key` and a JSON body, asserting success.
    async fn dev_json(&self, method: Method, path: &str, key: &str, body: Value) -> Value {
        let resp = self.client.request(method, self.url(&format!("/api/v1{path}"))).bearer_auth(key).json(&body);
        let resp = resp.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "{path} → {status}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// `GET /api/v1{path}` with `key`, asserting success.
    async fn dev_get(&self, path: &str, key: &str) -> Value {
        let resp = self.client.get(self.url(&format!("/api/v1{path}"))).bearer_auth(key).send().await.unwrap();
        assert!(resp.status().is_success(), "{path} → {}", resp.status());
        resp.json().await.unwrap()
    }
}
