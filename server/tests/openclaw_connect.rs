//! Connecting OpenClaw (docs/OPENCLAW.md), against a real server: `quincer-server openclaw connect` and
//! `POST /api/v1/integrations/openclaw/connect` create (then reuse) the "OpenClaw" team member with its avatar and
//! issue keys bound to it with exactly the skill's scopes; `GET /api/v1/integrations/openclaw` then shows it
//! connected, and the key's takeovers carry OpenClaw's name.

mod common;

use std::process::Command;

use common::*;
use quincer_server::openclaw;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Runs `quincer-server openclaw connect --org ORG` on the test server's database; returns (member id, key).
fn connect_cli(server: &TestServer, org: &str) -> Result<(String, String), String> {
    let out = Command::new(env!("CARGO_BIN_EXE_quincer-server"))
        .args(["openclaw", "connect", "--org", org])
        .args(server.database_args())
        .env_remove("QUINCER_DATA")
        .env_remove("QUINCER_DATABASE_URL")
        .output()
        .expect("run quincer-server");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let stdout = String::from_utf8(out.stdout).unwrap();
    let value = |name: &str| {
        let prefix = format!("{name}=");
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("no {name} in {stdout}"))
            .to_owned()
    };
    Ok((value("QUINCER_MEMBER_ID"), value("QUINCER_API_KEY")))
}

impl TestServer {
    async fn call(&self, method: Method, path: &str, key: &str) -> (StatusCode, Value) {
        let resp = self.client.request(method, self.url(&format!("/api/v1{path}"))).bearer_auth(key).send().await;
        let resp = resp.unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn the_cli_creates_the_member_once_and_its_keys_act_as_openclaw() {
    let server = TestServer::start().await;
    let org = server.keys.org_id.clone();
    let reader = server.mint_key(&["integrations:read"]).await;
    let (status, before) = server.call(Method::GET, "/integrations/openclaw", &reader).await;
    assert_eq!((status, &before["connected"]), (StatusCode::OK, &Value::Bool(false)), "{before}");

    let (member, key) = connect_cli(&server, &org).expect("connect");
    assert!(member.starts_with("mem_") && key.starts_with("cw_dev_"), "{member} {key}");
    let (again, second_key) = connect_cli(&server, &org).expect("connect again");
    assert_eq!(again, member, "the member is reused");
    assert_ne!(second_key, key, "each connect issues a new key");

    let (status, after) = server.call(Method::GET, "/integrations/openclaw", &reader).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after["connected"], true, "{after}");
    let details = &after["details"]["openclaw"];
    assert_eq!(details["member"]["id"], member.as_str());
    assert_eq!(details["member"]["name"], "OpenClaw");
    assert_eq!(details["member"]["role"], "agent");
    assert_eq!(details["member"]["avatar_url"], openclaw::AVATAR_PATH);
    assert_eq!(details["member"]["has_password"], false, "OpenClaw cannot sign in");
    assert_eq!(details["active_keys"], 2);

    // The key does what the skill needs, as OpenClaw, and nothing else.
    let token = server.new_visitor().await;
    server.chat_ok(&token, &chat_body("conv_cli", "u1", SHIPPING_QUESTION)).await.assert_complete_answer();
    let (status, taken) = server.call(Method::POST, "/conversations/conv_cli/takeover", &key).await;
    assert_eq!(status, StatusCode::OK, "{taken}");
    assert_eq!(taken["takeover"]["actor_name"], "OpenClaw", "{taken}");
    let (status, _) = server.call(Method::GET, "/knowledge", &key).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no scope beyond the skill's");

    let err = connect_cli(&server, "org_missing").unwrap_err();
    assert!(err.contains("no organisation `org_missing`"), "{err}");
}

#[tokio::test]
async fn the_api_connects_with_members_write_and_the_skill_scopes() {
    let server = TestServer::start().await;
    let path = "/integrations/openclaw/connect";
    let without = server.mint_key(openclaw::SCOPES).await;
    let (status, body) = server.call(Method::POST, path, &without).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body["error"].as_str().unwrap().contains("members:write"), "{body}");
    // A key cannot hand out scopes it does not have.
    let narrow = server.mint_key(&["members:write", "conversations:read"]).await;
    let (status, body) = server.call(Method::POST, path, &narrow).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    let mut scopes = openclaw::SCOPES.to_vec();
    scopes.push("members:write");
    let admin = server.mint_key(&scopes).await;
    let (status, connected) = server.call(Method::POST, path, &admin).await;
    assert_eq!(status, StatusCode::CREATED, "{connected}");
    assert_eq!(connected["object"], "openclaw_connection");
    assert_eq!(connected["created"], true);
    assert_eq!(connected["member"]["name"], "OpenClaw");
    assert_eq!(connected["scopes"], serde_json::json!(openclaw::SCOPES));
    assert_eq!(connected["skill_url"], format!("{}{}", server.base, openclaw::SKILL_PATH));
    let key = connected["key"].as_str().unwrap();
    let (status, list) = server.call(Method::GET, "/conversations?engaged=true&status=active", key).await;
    assert_eq!(status, StatusCode::OK, "{list}");

    let (status, again) = server.call(Method::POST, path, &admin).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!((&again["created"], &again["member"]["id"]), (&Value::Bool(false), &connected["member"]["id"]));

    // The avatar the member points at is served, as an image that can run nothing.
    let resp = server.client.get(server.url(openclaw::AVATAR_PATH)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(resp.headers(), "content-type"), "image/svg+xml");
    assert!(header(resp.headers(), "content-security-policy").starts_with("default-src 'none'"));
    assert!(resp.text().await.unwrap().starts_with("<svg"));
}
