//! Members' passwords: Argon2id hashes (the `argon2` crate's defaults: 19 MiB, 2 passes, 1 lane, OWASP's
//! recommendation) stored as PHC strings, checked off the async runtime because a hash costs tens of
//! milliseconds of CPU by design.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use std::sync::LazyLock;

use crate::error::{ApiError, ApiResult};

/// Characters a new password needs at least.
pub const MIN_CHARS: usize = 12;
/// Characters a password may have at most (a bound on what a request makes the server hash).
pub const MAX_CHARS: usize = 256;
/// Characters of a generated one-time password (alphanumeric: about 119 bits).
pub const GENERATED_CHARS: usize = 20;

/// A hash no password matches, checked when the email is unknown so that answering "wrong email or password"
/// takes as long as for a known email with a wrong password.
static DUMMY: LazyLock<String> =
    LazyLock::new(|| hash_now(&crate::ids::random_string(GENERATED_CHARS)).unwrap_or_default());

/// A new password: [`MIN_CHARS`] to [`MAX_CHARS`] characters.
///
/// # Errors
/// A 400 naming the rule.
pub fn check_new(password: &str) -> ApiResult<()> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        return Err(ApiError::bad_request(format!("the new password must have at least {MIN_CHARS} characters")));
    }
    if n > MAX_CHARS {
        return Err(ApiError::bad_request(format!("the new password must have at most {MAX_CHARS} characters")));
    }
    Ok(())
}

/// A random password to hand out once (`members create`, `POST /api/v1/members`).
pub fn generate() -> String {
    crate::ids::random_string(GENERATED_CHARS)
}

/// The Argon2id PHC string of `password`, with a random salt.
fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// Whether `password` matches the PHC string `hash` (false for a hash that does not parse).
fn verify_now(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Hashes `password` (off the async runtime).
///
/// # Errors
/// 500 if hashing fails (it does not for passwords within [`MAX_CHARS`]).
pub async fn hash(password: &str) -> ApiResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| ApiError::Internal(format!("password hashing task: {e}")))?
        .map_err(|e| ApiError::Internal(format!("password hashing: {e}")))
}

/// Whether `password` matches `hash`; with no hash (an unknown email, or a member without a password) a dummy
/// hash is checked, so the answer takes as long, and is `false`.
pub async fn verify(hash: Option<String>, password: &str) -> bool {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_now(&hash, &password),
        None => {
            verify_now(&DUMMY, &password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify_only_their_password() {
        let hash = super::hash("correct horse battery").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert_ne!(super::hash("correct horse battery").await.unwrap(), hash, "salted");
        assert!(verify(Some(hash.clone()), "correct horse battery").await);
        assert!(!verify(Some(hash), "correct horse batterY").await);
        assert!(!verify(None, "anything at all").await);
        assert!(!verify(Some("not a phc string".into()), "x").await);
    }

    #[test]
    fn new_passwords_have_a_length_rule_and_generated_ones_pass_it() {
        assert!(check_new("short").unwrap_err().to_string().contains("at least 12"));
        assert!(check_new(&"x".repeat(12)).is_ok());
        assert!(check_new(&"x".repeat(257)).is_err());
        let generated = generate();
        assert!(check_new(&generated).is_ok());
        assert_ne!(generate(), generated);
    }
}
