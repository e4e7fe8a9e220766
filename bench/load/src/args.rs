//! `--name value` flags, all required unless a default is given.

use std::collections::HashMap;
use std::str::FromStr;

use crate::BoxError;

/// Parsed flags.
pub struct Args(HashMap<String, String>);

impl Args {
    /// Reads `--name value` pairs.
    pub fn parse(mut argv: impl Iterator<Item = String>) -> Self {
        let mut map = HashMap::new();
        while let Some(flag) = argv.next() {
            if let (Some(name), Some(value)) = (flag.strip_prefix("--"), argv.next()) {
                map.insert(name.to_owned(), value);
            }
        }
        Args(map)
    }

    /// A required string flag.
    pub fn get(&self, name: &str) -> Result<&str, BoxError> {
        self.0.get(name).map(String::as_str).ok_or_else(|| format!("--{name} is required").into())
    }

    /// A number flag, or `default`.
    pub fn num<T: FromStr>(&self, name: &str, default: T) -> Result<T, BoxError> {
        match self.0.get(name) {
            Some(v) => v.parse().map_err(|_| format!("--{name} must be a number").into()),
            None => Ok(default),
        }
    }
}
