//! Random ids, keys and tokens.
//!
//! Everything is drawn from the OS-seeded CSPRNG: ids are not secrets, but keys and visitor tokens are credentials
//! and need ≥ 128 bits of entropy (22 alphanumeric characters ≈ 131 bits).

use rand::distr::{Alphanumeric, SampleString};
use sha2::{Digest, Sha256};

/// `len` random alphanumeric characters.
pub fn random_string(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

/// A new resource id: `prefix` + `_` + 20 random characters (`conv_…`, `msg_…`).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_string(20))
}

/// A new public widget key (`cw_live_` + 32 characters, ≈ 190 bits).
pub fn new_widget_key() -> String {
    format!("{}{}", quincer_protocol::keys::WIDGET_KEY_PREFIX, random_string(32))
}

/// A new developer key (`cw_dev_` + 40 characters, ≈ 238 bits).
pub fn new_dev_key() -> String {
    format!("{}{}", quincer_protocol::keys::DEV_KEY_PREFIX, random_string(40))
}

/// A new visitor token (`vt_` + 40 characters).
pub fn new_visitor_token() -> String {
    format!("vt_{}", random_string(40))
}

/// SHA-256 of a secret, hex: what the database stores instead of developer keys and visitor tokens.
///
/// A plain hash (no salt, no stretching) is enough because the secrets are long random strings, not passwords.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_their_prefix_and_entropy() {
        let k = new_widget_key();
        assert!(quincer_protocol::keys::validate_widget_key(&k).is_ok());
        assert_eq!(k.len(), "cw_live_".len() + 32);
        assert_ne!(new_widget_key(), k);
        assert!(new_dev_key().starts_with("cw_dev_"));
        assert_eq!(hash_secret("a").len(), 64);
    }
}
