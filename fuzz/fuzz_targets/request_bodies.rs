//! The server's request bodies on arbitrary bytes, read through the same extractors as the handlers
//! (`ApiJson`, `optional_json`, identify's own reader): any input must become a value or a client error (4xx),
//! never a panic or a server error.
#![no_main]

use axum::body::{Body, Bytes};
use axum::extract::FromRequest;
use axum::http::Request;
use libfuzzer_sys::fuzz_target;
use quincer_protocol::chat::ChatRequest;
use quincer_protocol::leads::LeadCaptureRequest;
use quincer_protocol::session::SessionRequest;
use quincer_server::api::bodies::*;
use quincer_server::error::{optional_json, ApiJson, JsonBytes};
use quincer_server::ApiError;

/// Reads `body` as `T` like a handler taking `ApiJson<T>` does.
fn via_api_json<T: serde::de::DeserializeOwned>(rt: &tokio::runtime::Runtime, body: &[u8]) {
    let req = Request::builder()
        .method("POST")
        .header("content-type", "application/json")
        .body(Body::from(body.to_vec()))
        .expect("a request");
    check(rt.block_on(ApiJson::<T>::from_request(req, &())).map(|_| ()));
}

/// Reads `body` as `T` like a handler calling `optional_json` does.
fn via_optional<T: serde::de::DeserializeOwned + Default>(body: &[u8]) {
    check(optional_json::<T>(JsonBytes(Bytes::copy_from_slice(body))).map(|_| ()));
}

/// A failure must be the client's: a 4xx with a message.
fn check(result: Result<(), ApiError>) {
    if let Err(e) = result {
        assert!(e.status_code().is_client_error(), "{e:?} for a client's body");
        assert!(!e.to_string().is_empty());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else { return };
    // One runtime for every input: building one per input would dominate the run.
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    let rt = RT.get_or_init(|| tokio::runtime::Builder::new_current_thread().build().expect("a runtime"));
    match which % 16 {
        0 => via_api_json::<ChatRequest>(rt, body),
        1 => via_api_json::<LeadCaptureRequest>(rt, body),
        2 => via_optional::<SessionRequest>(body),
        3 => check(quincer_server::public::parse_identify_body(body).map(|_| ())),
        4 => via_optional::<TakeoverBody>(body),
        5 => via_api_json::<ReplyBody>(rt, body),
        6 => via_api_json::<HandoffBody>(rt, body),
        7 => via_api_json::<KnowledgeBody>(rt, body),
        8 => via_api_json::<LeadBody>(rt, body),
        9 => via_api_json::<PersonaBody>(rt, body),
        10 => via_optional::<ImportBody>(body),
        11 => via_api_json::<WebhookCreateBody>(rt, body),
        12 => via_api_json::<WebhookUpdateBody>(rt, body),
        13 => via_api_json::<WidgetBody>(rt, body),
        _ => via_api_json::<serde_json::Value>(rt, body),
    }
});
