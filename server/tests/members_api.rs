//! Team members, against a real server: created with `quincer-server members create` and `POST /api/v1/members`,
//! developer keys bound to them (`keys create --member`) acting as the member, disabled members refused; signing
//! in at `/inbox/api/sign-in` (cookie attributes, wrong passwords, rate limits), the session on the developer API
//! (role scopes, CSRF), signing out, revoked and expired sessions, and changing the password.

mod common;

use std::process::{Command, Output};

use common::*;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};

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

/// A signed-in browser: the two cookies sign-in set.
struct Browser {
    session: String,
    csrf: String,
}

impl Browser {
    /// A request with the session cookie (and the CSRF cookie, as a browser sends both), without the header.
    fn request(&self, server: &TestServer, method: Method, path: &str) -> RequestBuilder {
        let cookie = format!("quincer_csrf={}; quincer_session={}", self.csrf, self.session);
        server.client.request(method, server.url(path)).header("cookie", cookie)
    }

    /// [`Browser::request`] with the `X-CSRF-Token` header.
    fn csrf_request(&self, server: &TestServer, method: Method, path: &str) -> RequestBuilder {
        self.request(server, method, path).header("x-csrf-token", &self.csrf)
    }
}

/// `POST /inbox/api/sign-in`.
async fn sign_in(server: &TestServer, email: &str, password: &str) -> Response {
    let body = json!({"email": email, "password": password});
    server.client.post(server.url("/inbox/api/sign-in")).json(&body).send().await.unwrap()
}

/// Signs in, asserting it worked and the cookies' attributes; returns the browser and the answer.
async fn signed_in(server: &TestServer, email: &str, password: &str) -> (Browser, Value) {
    let resp = sign_in(server, email, password).await;
    let status = resp.status();
    let cookies: Vec<String> =
        resp.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    assert_eq!(header(resp.headers(), "cache-control"), "no-store");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = |name: &str| {
        let c = cookies.iter().find(|c| c.starts_with(&format!("{name}="))).unwrap_or_else(|| panic!("{cookies:?}"));
        let attributes: Vec<String> = c.split(';').map(|a| a.trim().to_lowercase()).collect();
        let value = c.split(';').next().unwrap()[name.len() + 1..].to_owned();
        (value, attributes)
    };
    let (session, attributes) = cookie("quincer_session");
    for a in ["httponly", "secure", "samesite=lax", "path=/"] {
        assert!(attributes.iter().any(|x| x == a), "session cookie has {a}: {attributes:?}");
    }
    let (csrf, attributes) = cookie("quincer_csrf");
    assert!(!attributes.iter().any(|x| x == "httponly"), "the inbox's script reads the CSRF cookie");
    assert!(attributes.iter().any(|x| x == "secure") && attributes.iter().any(|x| x == "samesite=lax"));
    assert_eq!(body["csrf_token"], csrf.as_str());
    assert!(!session.is_empty() && session != csrf);
    (Browser { session, csrf }, body)
}

/// A server whose sign-in limits are `per_ip` and `per_email` attempts a minute.
async fn limited_server(per_ip: u32, per_email: u32) -> TestServer {
    fresh_rate_window().await;
    TestServer::start_configured(tempfile::tempdir().unwrap(), TestServer::policy(), |c| {
        c.rate_limits.sign_in_per_ip = per_ip;
        c.rate_limits.sign_in_per_email = per_email;
    })
    .await
}

#[tokio::test]
async fn a_member_signs_in_uses_the_api_with_csrf_and_signs_out() {
    let server = TestServer::start().await;
    let (id, password) = create_member(&server, "Ava@Example.com", "Ava", "agent");

    // Wrong password and unknown email: the same 401.
    assert_error(
        sign_in(&server, "ava@example.com", "not the password").await,
        StatusCode::UNAUTHORIZED,
        &["wrong email or password"],
    )
    .await;
    assert_error(
        sign_in(&server, "nobody@example.com", &password).await,
        StatusCode::UNAUTHORIZED,
        &["wrong email or password"],
    )
    .await;

    // The email's case does not matter.
    let (browser, body) = signed_in(&server, "ava@EXAMPLE.com", &password).await;
    assert_eq!(body["member"]["id"], id.as_str());
    assert_eq!(body["member"]["name"], "Ava");
    assert_eq!(body["member"]["role"], "agent");
    assert_eq!(body["member"]["org_id"], server.keys.org_id.as_str());
    assert!(body["member"]["avatar_url"].is_null());
    assert!(body["member"].get("password_hash").is_none());

    let me = browser.request(&server, Method::GET, "/inbox/api/me").send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(me.json::<Value>().await.unwrap(), body);

    // The developer API with the cookie: reads need no CSRF header; the role's scopes apply.
    let resp = browser.request(&server, Method::GET, "/api/v1/conversations").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = browser.request(&server, Method::GET, "/api/v1/members").send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["agent", "members:read"]).await;

    // A takeover without the CSRF header is refused; with it, it is the member's.
    let token = server.new_visitor().await;
    server.chat_ok(&token, &chat_body("conv_s", "u1", SHIPPING_QUESTION)).await.assert_complete_answer();
    let path = "/api/v1/conversations/conv_s/takeover";
    let resp = browser.request(&server, Method::POST, path).send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["X-CSRF-Token"]).await;
    let resp = browser.request(&server, Method::POST, path).header("x-csrf-token", "wrong").send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["X-CSRF-Token"]).await;
    let resp = browser.csrf_request(&server, Method::POST, path).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let taken: Value = resp.json().await.unwrap();
    assert_eq!(taken["takeover"]["actor_name"], "Ava");

    // An Authorization header wins over the cookie.
    let resp = browser.request(&server, Method::GET, "/api/v1/members").bearer_auth(&server.keys.dev_key).send();
    assert_eq!(resp.await.unwrap().status(), StatusCode::OK);

    // Sign-out needs the CSRF header, then ends access and clears the cookies.
    let resp = browser.request(&server, Method::POST, "/inbox/api/sign-out").send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["X-CSRF-Token"]).await;
    let resp = browser.csrf_request(&server, Method::POST, "/inbox/api/sign-out").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cleared: Vec<&str> = resp.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
    assert_eq!(cleared.len(), 2, "{cleared:?}");
    assert!(cleared.iter().all(|c| c.contains("Max-Age=0")), "{cleared:?}");
    let resp = browser.request(&server, Method::GET, "/inbox/api/me").send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["signed out"]).await;
    let resp = browser.request(&server, Method::GET, "/api/v1/conversations").send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["sign in again"]).await;
    let resp = server.client.get(server.url("/inbox/api/me")).send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["not signed in"]).await;
    let resp = server.client.get(server.url("/inbox/api/nope")).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["no such endpoint"]).await;
    let resp = server.client.get(server.url("/inbox/api/sign-in")).send().await.unwrap();
    assert_error(resp, StatusCode::METHOD_NOT_ALLOWED, &["method"]).await;
}

#[tokio::test]
async fn revoked_expired_and_disabled_sessions_are_refused() {
    let server = TestServer::start().await;
    let (id, password) = create_member(&server, "ben@example.com", "Ben", "admin");
    let (a, _) = signed_in(&server, "ben@example.com", &password).await;
    let (b, _) = signed_in(&server, "ben@example.com", &password).await;
    let me = |browser: &Browser| browser.request(&server, Method::GET, "/inbox/api/me").send();

    // Revoked from the command line: every session of the member.
    let out = cli_ok(&server, &["members", "sessions", "revoke", "--id", &id]);
    assert!(out.starts_with("2 sessions"), "{out}");
    assert_error(me(&a).await.unwrap(), StatusCode::UNAUTHORIZED, &["revoked"]).await;
    assert_error(me(&b).await.unwrap(), StatusCode::UNAUTHORIZED, &["revoked"]).await;

    // Idle too long, or past the absolute lifetime.
    let db = server.db().await;
    let (idle, _) = signed_in(&server, "ben@example.com", &password).await;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM member_sessions WHERE member_id = $1")
        .bind(&id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(rows, 1, "signing in deleted the member's revoked sessions");
    sqlx::query("UPDATE member_sessions SET last_seen_at = '2020-01-01T00:00:00.000Z' WHERE token_hash = $1")
        .bind(quincer_server::ids::hash_secret(&idle.session))
        .execute(&db)
        .await
        .unwrap();
    assert_error(me(&idle).await.unwrap(), StatusCode::UNAUTHORIZED, &["expired"]).await;
    let (old, _) = signed_in(&server, "ben@example.com", &password).await;
    sqlx::query("UPDATE member_sessions SET expires_at = '2020-01-01T00:00:00.000Z' WHERE token_hash = $1")
        .bind(quincer_server::ids::hash_secret(&old.session))
        .execute(&db)
        .await
        .unwrap();
    assert_error(me(&old).await.unwrap(), StatusCode::UNAUTHORIZED, &["expired"]).await;

    // Disabled: the live session ends and signing in again is refused, naming why.
    let (live, _) = signed_in(&server, "ben@example.com", &password).await;
    assert_eq!(me(&live).await.unwrap().status(), StatusCode::OK);
    cli_ok(&server, &["members", "disable", "--id", &id]);
    assert_error(me(&live).await.unwrap(), StatusCode::UNAUTHORIZED, &["sign in again"]).await;
    assert_error(sign_in(&server, "ben@example.com", &password).await, StatusCode::UNAUTHORIZED, &["disabled"]).await;
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_email_and_per_address() {
    let server = limited_server(1000, 3).await;
    let (_, password) = create_member(&server, "cy@example.com", "Cy", "agent");
    for _ in 0..3 {
        assert_eq!(sign_in(&server, "CY@example.com", "guess guess guess").await.status(), StatusCode::UNAUTHORIZED);
    }
    // The fourth attempt of the minute is refused, even with the right password.
    let resp = sign_in(&server, "cy@example.com", &password).await;
    let retry: u64 = header(resp.headers(), "retry-after").parse().expect("Retry-After");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_error(resp, StatusCode::TOO_MANY_REQUESTS, &["too many sign-in attempts"]).await;

    let server = limited_server(2, 1000).await;
    for email in ["a@example.com", "b@example.com"] {
        assert_eq!(sign_in(&server, email, "guess guess guess").await.status(), StatusCode::UNAUTHORIZED);
    }
    let resp = sign_in(&server, "c@example.com", "guess guess guess").await;
    assert!(!header(resp.headers(), "retry-after").is_empty());
    assert_error(resp, StatusCode::TOO_MANY_REQUESTS, &["retry after"]).await;
}

#[tokio::test]
async fn a_member_changes_their_password_and_other_sessions_end() {
    let server = TestServer::start().await;
    let (_, password) = create_member(&server, "dee@example.com", "Dee", "agent");
    let (here, _) = signed_in(&server, "dee@example.com", &password).await;
    let (elsewhere, _) = signed_in(&server, "dee@example.com", &password).await;
    let change = |current: &str, new: &str| {
        let body = json!({"current_password": current, "new_password": new});
        here.csrf_request(&server, Method::POST, "/inbox/api/password").json(&body).send()
    };
    let resp = here.request(&server, Method::POST, "/inbox/api/password").json(&json!({})).send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["X-CSRF-Token"]).await;
    assert_error(change(&password, "short").await.unwrap(), StatusCode::BAD_REQUEST, &["at least 12"]).await;
    let new = "a much longer passphrase";
    assert_error(change("not it at all", new).await.unwrap(), StatusCode::FORBIDDEN, &["current_password"]).await;
    let resp = change(&password, new).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.json::<Value>().await.unwrap()["other_sessions_ended"], 1);

    let me = |b: &Browser| b.request(&server, Method::GET, "/inbox/api/me").send();
    assert_eq!(me(&here).await.unwrap().status(), StatusCode::OK, "the session that changed it goes on");
    assert_eq!(me(&elsewhere).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&server, "dee@example.com", &password).await.status(), StatusCode::UNAUTHORIZED);
    signed_in(&server, "dee@example.com", new).await;
}

/// A developer API request with `key`.
fn dev(server: &TestServer, method: Method, path: &str, key: &str) -> RequestBuilder {
    server.client.request(method, server.url(&format!("/api/v1{path}"))).bearer_auth(key)
}

/// Its JSON answer, asserting `status`.
async fn expect(resp: Response, status: StatusCode) -> Value {
    let got = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn the_developer_api_manages_members() {
    let server = TestServer::start().await;
    let key = server.mint_key(&["members:read", "members:write"]).await;

    // Create: 201 with a one-time password that signs in.
    let body = json!({"email": "Eve@Example.com", "name": "Eve", "role": "owner", "avatarUrl": "https://cdn.example.com/eve.png"});
    let eve =
        expect(dev(&server, Method::POST, "/members", &key).json(&body).send().await.unwrap(), StatusCode::CREATED)
            .await;
    assert_eq!(eve["object"], "member");
    assert_eq!(eve["role"], "owner");
    assert_eq!(eve["avatar_url"], "https://cdn.example.com/eve.png");
    assert_eq!(eve["has_password"], true);
    let eve_id = eve["id"].as_str().unwrap().to_owned();
    let eve_password = eve["password"].as_str().unwrap().to_owned();
    let (owner, _) = signed_in(&server, "eve@example.com", &eve_password).await;
    let got =
        expect(dev(&server, Method::GET, &format!("/members/{eve_id}"), &key).send().await.unwrap(), StatusCode::OK)
            .await;
    assert!(got.get("password").is_none(), "the password is shown once: {got}");

    // Bad input and duplicates.
    let dup = json!({"email": "eve@example.com", "name": "Eve 2", "role": "agent"});
    let resp = dev(&server, Method::POST, "/members", &key).json(&dup).send().await.unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["already has a team member"]).await;
    let bad = json!({"email": "x@example.com", "name": "X", "role": "root"});
    let resp = dev(&server, Method::POST, "/members", &key).json(&bad).send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["owner"]).await;
    let bad = json!({"email": "x@example", "name": "X", "role": "agent"});
    let resp = dev(&server, Method::POST, "/members", &key).json(&bad).send().await.unwrap();
    assert_error(resp, StatusCode::BAD_REQUEST, &["email"]).await;

    // An owner's session creates an admin; the admin cannot create or touch owners.
    let body = json!({"email": "fay@example.com", "name": "Fay", "role": "admin"});
    let resp = owner.csrf_request(&server, Method::POST, "/api/v1/members").json(&body).send().await.unwrap();
    let fay = expect(resp, StatusCode::CREATED).await;
    let (admin, _) = signed_in(&server, "fay@example.com", fay["password"].as_str().unwrap()).await;
    let body = json!({"email": "gus@example.com", "name": "Gus", "role": "owner"});
    let resp = admin.csrf_request(&server, Method::POST, "/api/v1/members").json(&body).send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["only an owner"]).await;
    let resp = admin.csrf_request(&server, Method::DELETE, &format!("/api/v1/members/{eve_id}")).send().await.unwrap();
    assert_error(resp, StatusCode::FORBIDDEN, &["only an owner"]).await;
    let body = json!({"email": "gus@example.com", "name": "Gus", "role": "agent"});
    let resp = admin.csrf_request(&server, Method::POST, "/api/v1/members").json(&body).send().await.unwrap();
    let gus = expect(resp, StatusCode::CREATED).await;
    let gus_id = gus["id"].as_str().unwrap().to_owned();

    // The demo's own owner steps down, so Eve is the last owner; she cannot be demoted, disabled or removed.
    let list =
        expect(dev(&server, Method::GET, "/members?limit=100", &key).send().await.unwrap(), StatusCode::OK).await;
    let sam = list["data"].as_array().unwrap().iter().find(|m| m["email"] == "sam@northwind.example").unwrap();
    let step_down = json!({"role": "admin"});
    let path = format!("/members/{}", sam["id"].as_str().unwrap());
    expect(dev(&server, Method::PATCH, &path, &key).json(&step_down).send().await.unwrap(), StatusCode::OK).await;
    for change in [json!({"role": "admin"}), json!({"disabled": true})] {
        let resp = dev(&server, Method::PATCH, &format!("/members/{eve_id}"), &key).json(&change).send().await.unwrap();
        assert_error(resp, StatusCode::CONFLICT, &["last owner"]).await;
    }
    let resp = dev(&server, Method::DELETE, &format!("/members/{eve_id}"), &key).send().await.unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["last owner"]).await;

    // Update: profile, then disable (the member's sessions end), enable, reset the password.
    let (gus_browser, _) = signed_in(&server, "gus@example.com", gus["password"].as_str().unwrap()).await;
    let path = format!("/members/{gus_id}");
    let change = json!({"name": "Gus B", "avatar_url": "/integrations/openclaw/avatar.svg", "role": "admin"});
    let updated =
        expect(dev(&server, Method::POST, &path, &key).json(&change).send().await.unwrap(), StatusCode::OK).await;
    assert_eq!((updated["name"].as_str(), updated["role"].as_str()), (Some("Gus B"), Some("admin")));
    let resp =
        dev(&server, Method::PATCH, &path, &key).json(&json!({"email": "EVE@example.com"})).send().await.unwrap();
    assert_error(resp, StatusCode::CONFLICT, &["already has"]).await;
    let disabled = expect(
        dev(&server, Method::PATCH, &path, &key).json(&json!({"disabled": true})).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(disabled["disabled_at"].is_string());
    let resp = gus_browser.request(&server, Method::GET, "/inbox/api/me").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let change = json!({"disabled": false, "resetPassword": true, "avatar_url": null});
    let enabled =
        expect(dev(&server, Method::PATCH, &path, &key).json(&change).send().await.unwrap(), StatusCode::OK).await;
    assert!(enabled["disabled_at"].is_null() && enabled["avatar_url"].is_null());
    signed_in(&server, "gus@example.com", enabled["password"].as_str().unwrap()).await;

    // List: newest first, cursor-paginated.
    let page = expect(dev(&server, Method::GET, "/members?limit=2", &key).send().await.unwrap(), StatusCode::OK).await;
    let ids: Vec<&str> = page["data"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [gus_id.as_str(), fay["id"].as_str().unwrap()]);
    assert_eq!(
        (page["has_more"].as_bool(), page["total"].as_i64()),
        (Some(true), Some(4)),
        "Eve, Fay, Gus and the demo's Sam"
    );
    let next = format!("/members?limit=2&starting_after={}", ids[1]);
    let page = expect(dev(&server, Method::GET, &next, &key).send().await.unwrap(), StatusCode::OK).await;
    assert_eq!(page["members"][0]["id"], eve_id.as_str());

    // Remove: the member's bound keys are revoked with them.
    let db = server.db().await;
    let org = server.keys.org_id.clone();
    let gus_key =
        quincer_server::provision::create_member_key(&db, &org, &gus_id, "gus", &["conversations:read"]).await.unwrap();
    assert_eq!(dev(&server, Method::GET, "/conversations", &gus_key).send().await.unwrap().status(), StatusCode::OK);
    let gone = expect(dev(&server, Method::DELETE, &path, &key).send().await.unwrap(), StatusCode::OK).await;
    assert_eq!(gone, json!({"object": "member", "id": gus_id, "deleted": true}));
    let resp = dev(&server, Method::GET, "/conversations", &gus_key).send().await.unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, &["revoked"]).await;
    let resp = dev(&server, Method::GET, &path, &key).send().await.unwrap();
    assert_error(resp, StatusCode::NOT_FOUND, &["no team member"]).await;
}

#[tokio::test]
async fn the_demo_has_an_owner_who_can_sign_in_to_the_inbox() {
    let server = TestServer::start().await;
    let agent = server.keys.agent.clone().expect("the demo seeds a team member");
    let resp = sign_in(&server, &agent.email, &agent.password).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let me: Value = resp.json().await.unwrap();
    assert_eq!((me["member"]["name"].as_str(), me["member"]["role"].as_str()), (Some("Sam Rivera"), Some("owner")));
    assert_eq!(me["member"]["org_id"], server.keys.org_id.as_str());
}
