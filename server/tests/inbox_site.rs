//! `/inbox/`: the built inbox page is served uncached with its CSP, its hashed assets cacheable for a year, and an
//! unbuilt inbox answers 503 saying how to build it.

mod common;

use std::path::Path;

use common::{repo_path, TestServer};

/// A `--www` folder with the demo's files (the demo needs them) and, when `built`, an inbox build.
fn www(built: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for sub in ["demo", "shop"] {
        std::os::unix::fs::symlink(repo_path("www").join(sub), dir.path().join(sub)).expect("symlink");
    }
    if built {
        let assets = dir.path().join("dist/inbox/assets");
        std::fs::create_dir_all(&assets).expect("mkdir");
        std::fs::write(dir.path().join("dist/inbox/index.html"), "<!doctype html><title>Inbox</title>").expect("page");
        std::fs::write(assets.join("boot-0123456789abcdef.js"), "export {};").expect("asset");
    }
    dir
}

async fn server(www: &Path) -> TestServer {
    let www = www.to_owned();
    TestServer::start_configured(tempfile::tempdir().expect("temp dir"), TestServer::policy(), move |c| {
        c.www_dir = www;
    })
    .await
}

#[tokio::test]
async fn the_page_is_never_cached_and_its_hashed_assets_are() {
    let www = www(true);
    let s = server(www.path()).await;
    let page = s.client.get(format!("{}/inbox/", s.base)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-cache");
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(page.text().await.unwrap(), "<!doctype html><title>Inbox</title>");

    let asset = s.client.get(format!("{}/inbox/assets/boot-0123456789abcdef.js", s.base)).send().await.unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.headers()["cache-control"], "public, max-age=31536000, immutable");

    // A missing asset is a plain 404, never cached for a year.
    let missing = s.client.get(format!("{}/inbox/assets/nope-0000.js", s.base)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get("cache-control").is_none());
}

#[tokio::test]
async fn inbox_without_a_slash_redirects() {
    let www = www(true);
    let s = server(www.path()).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for path in ["/inbox", "/inbox/index.html"] {
        let r = client.get(format!("{}{path}", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 308, "{path}");
        assert_eq!(r.headers()["location"], "/inbox/", "{path}");
    }
}

#[tokio::test]
async fn an_unbuilt_inbox_says_how_to_build_it() {
    let www = www(false);
    let s = server(www.path()).await;
    let r = s.client.get(format!("{}/inbox/", s.base)).send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert!(r.text().await.unwrap().contains("./build.sh"));
}
