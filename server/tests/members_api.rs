//! Team members, against a real server: created with `quincer-server members create`, developer keys bound to
//! them (`keys create --member`) acting as the member, and disabled members' keys refused.

mod common;

use std::process::{Command, Output};

use common::*;
use reqwest::{Method, StatusCode};

/// Runs `quincer-server ARGS… <database args>` on the test server's database.
fn cli(server: &TestServer, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quincer-server"))
        .args(args)
        .args(server.database_args())
        .env_remove("QUINCER_DATA")
        .env_remove("QUINCER_DATABASE_URL")
        .output()
        .expect("run quincer-server")
}

/// Its stdout, asserting it succeeded.
fn cli_ok(server: &TestServer, args: &[&str]) -> String {
    let out = cli(server, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The value of a `NAME=value` line.
fn line_value(stdout: &str, name: &str) -> String {
    let prefix = format!("{name}=");
    stdout.lines().find_map(|l| l.strip_prefix(&prefix)).unwrap_or_else(|| panic!("no {name} in {stdout}")).to_owned()
}

/// Creates a member with the CLI; returns (id, one-time password).
fn create_member(server: &TestServer, email: &str, name: &str, role: &str) -> (String, String) {
    let org = server.keys.org_id.clone();
    let out = cli_ok(server, &["members", "create", "--org", &org, "--email", email, "--name", name, "--role", role]);
    (line_value(&out, "QUINCER_MEMBER_ID"), line_value(&out, "QUINCER_MEMBER_PASSWORD"))
}

#[tokio::test]
async fn the_cli_creates_lists_and_disables_members_and_binds_keys_to_them() {
    let server = TestServer::start().await;
    let org = server.keys.org_id.clone();
    let (id, password) = create_member(&server, "Sam@Example.com", "Sam Agent", "agent");
    assert!(id.starts_with("mem_"), "{id}");
    assert_eq!(password.len(), 20, "a generated one-time password: {password}");

    // Emails are unique per organisation, whatever their case; roles are checked.
    let dup = cli(
        &server,
        &["members", "create", "--org", &org, "--email", "sam@example.COM", "--name", "S", "--role", "agent"],
    );
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already has a team member"), "{dup:?}");
    let bad = cli(
        &server,
        &["members", "create", "--org", &org, "--email", "x@example.com", "--name", "X", "--role", "boss"],
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("owner, admin, agent"), "{bad:?}");

    let listed = cli_ok(&server, &["members", "list", "--org", &org]);
    let row: Vec<&str> = listed.lines().next().unwrap().split('\t').collect();
    assert_eq!(row[..5], [id.as_str(), "agent", "Sam@Example.com", "Sam Agent", "active"]);

    // The stored password is an Argon2id hash, never the password.
    let db = server.db().await;
    let hash = quincer_server::store::members::password_hash(&db, &id).await.unwrap().unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains(&password), "{hash}");

    // A key bound to the member acts as the member: a takeover without `actor_name` shows the member's name.
    let scopes = "conversations:read,conversations:takeover";
    let key =
        cli_ok(&server, &["keys", "create", "--org", &org, "--scopes", scopes, "--member", &id]).trim().to_owned();
    let token = server.new_visitor().await;
    server.chat_ok(&token, &chat_body("conv_m", "u1", SHIPPING_QUESTION)).await.assert_complete_answer();
    let url = server.url("/api/v1/conversations/conv_m/takeover");
    let resp = server.client.post(&url).bearer_auth(&key).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let taken: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(taken["takeover"]["actor_name"], "Sam Agent");

    // Scopes beyond the member's role, and members of nowhere, are refused.
    let over = cli(&server, &["keys", "create", "--org", &org, "--scopes", "members:write", "--member", &id]);
    assert!(String::from_utf8_lossy(&over.stderr).contains("role agent"), "{over:?}");
    let nobody = cli(&server, &["keys", "create", "--org", &org, "--scopes", scopes, "--member", "mem_nobody"]);
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("no team member"), "{nobody:?}");

    // Disabled: the member's key is refused, naming why.
    let out = cli_ok(&server, &["members", "disable", "--id", &id]);
    assert!(out.contains("disabled"), "{out}");
    let resp = server.client.get(server.url("/api/v1/conversations")).bearer_auth(&key).send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["Sam Agent", "disabled"]).await;
    let listed = cli_ok(&server, &["members", "list", "--org", &org]);
    assert!(listed.contains("\tdisabled\t"), "{listed}");
    let out = cli_ok(&server, &["members", "sessions", "revoke", "--id", &id]);
    assert!(out.contains("0 sessions"), "{out}");

    // An unbound key is unchanged: it is nobody's.
    let resp = server
        .client
        .request(Method::GET, server.url("/api/v1/conversations"))
        .bearer_auth(&server.keys.dev_key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}
