//! Redirects of outbound requests: a few hops at most, each one checked like the first URL. A hop to a name is
//! checked when connecting (by [`super::resolver::GuardedResolver`]); a hop to an IP literal never reaches the
//! resolver, so it is checked here.

use reqwest::redirect::{Attempt, Policy};
use std::sync::Arc;

use super::OutboundPolicy;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 3;

/// A redirect policy following at most [`MAX_REDIRECTS`] hops, refusing any hop `policy` would refuse.
pub fn policy(outbound: Arc<OutboundPolicy>) -> Policy {
    Policy::custom(move |attempt: Attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
        }
        match outbound.check_url(attempt.url()) {
            Ok(()) => attempt.follow(),
            Err(reason) => {
                let message = format!("refused a redirect to {}: {reason}", attempt.url());
                attempt.error(message)
            }
        }
    })
}
