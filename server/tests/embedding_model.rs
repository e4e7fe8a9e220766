//! The Rust embedding model against sentence-transformers: the vectors of a few texts must match reference vectors
//! computed once with the Python package (tests/fixtures/make-minilm-reference.py) to a cosine of 0.999 or more.
//!
//! The model comes from `QUINCER_TEST_EMBEDDING_MODEL` (`./build.sh test` sets it), else from the cache
//! `./build.sh` fills (`target/models/all-MiniLM-L6-v2`).

use std::path::PathBuf;

use quincer_server::embedding::vector::dot;
use quincer_server::embedding::Embedder;
use serde_json::Value;

/// The model folder, or a failure naming how to get it.
pub fn model_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("QUINCER_TEST_EMBEDDING_MODEL") {
        return dir.into();
    }
    let cached = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/models/all-MiniLM-L6-v2");
    assert!(
        cached.join("model.safetensors").exists(),
        "no embedding model: run `./build.sh eval` (or `./build.sh test`) once to fetch it into target/models, or set \
         QUINCER_TEST_EMBEDDING_MODEL to a sentence-transformers folder"
    );
    cached
}

#[tokio::test]
async fn embeddings_match_sentence_transformers() {
    let reference: Value =
        serde_json::from_str(include_str!("fixtures/minilm-reference.json")).expect("the reference fixture is JSON");
    let embedder = Embedder::load(&model_dir()).expect("the model loads");
    assert!(embedder.name().starts_with("all-MiniLM-L6-v2@"), "{}", embedder.name());
    assert_eq!(embedder.dimensions(), 384);
    let texts: Vec<String> =
        reference["texts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_owned()).collect();
    let got = embedder.embed(texts.clone()).await.expect("embedding works");
    for ((text, want), got) in texts.iter().zip(reference["vectors"].as_array().unwrap()).zip(&got) {
        let want: Vec<f32> = want.as_array().unwrap().iter().map(|x| x.as_f64().unwrap() as f32).collect();
        let norm = dot(got, got).sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{text:?}: not unit length ({norm})");
        let cosine = dot(got, &want);
        assert!(cosine >= 0.999, "{text:?}: cosine {cosine} with the sentence-transformers vector");
    }
    // One at a time (no padding) gives the same vector as in a batch.
    let alone = embedder.embed_query(&texts[0]).await.unwrap();
    assert!(dot(&alone, &got[0]) > 0.9999);
}

#[tokio::test]
async fn meaning_ranks_as_a_shopper_would() {
    let embedder = Embedder::load(&model_dir()).expect("the model loads");
    let v = embedder
        .embed(vec![
            "warm jacket for winter".into(),
            "Ember Synthetic Insulated Jacket. Insulated Jackets. insulated, synthetic. Stays warm when wet.".into(),
            "Trail Cap. Hats. cap, sun, hiking".into(),
        ])
        .await
        .unwrap();
    assert!(dot(&v[0], &v[1]) > dot(&v[0], &v[2]) + 0.2, "{} vs {}", dot(&v[0], &v[1]), dot(&v[0], &v[2]));
}

#[test]
fn a_folder_without_a_model_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = Embedder::load(dir.path()).unwrap_err().to_string();
    assert!(e.contains("config.json"), "{e}");
}
