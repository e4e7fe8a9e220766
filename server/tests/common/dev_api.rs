//! Developer API calls and an answered conversation, shared by the takeover and attribution tests.

use reqwest::{Method, RequestBuilder};
use serde_json::Value;

use super::{chat_body, TestServer, SHIPPING_QUESTION};

impl TestServer {
    /// A developer API request with `key`.
    pub fn dev_with(&self, method: Method, path: &str, key: &str) -> RequestBuilder {
        self.client.request(method, self.url(&format!("/api/v1{path}"))).bearer_auth(key)
    }

    /// A developer API call with the demo key that must succeed; its JSON answer.
    pub async fn dev_ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.dev_with(method.clone(), path, &self.keys.dev_key);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "{method} {path} → {status}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// A visitor with one answered conversation `id`; their token.
    pub async fn answered_conversation(&self, id: &str) -> String {
        let token = self.new_visitor().await;
        self.chat_ok(&token, &chat_body(id, "u1", SHIPPING_QUESTION)).await.assert_complete_answer();
        token
    }
}
