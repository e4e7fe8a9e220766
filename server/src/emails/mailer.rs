//! SMTP sending with `lettre`: the transport `--smtp-url` describes, and the MIME message of a lead email (a
//! `multipart/alternative` with a plain-text part and an HTML part made from it).
//!
//! URL forms (lettre's): `smtp://host:port` plain SMTP without TLS (local relays), `smtp://…?tls=required`
//! STARTTLS (refusing servers without it), `smtp://…?tls=opportunistic` STARTTLS when offered, `smtps://…`
//! implicit TLS (port 465 by default). `user:password@` before the host logs in (percent-encode special
//! characters); a path (`/client.example`) is the name said in `EHLO`.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};

/// The SMTP settings of `serve`.
#[derive(Debug, Clone, Default)]
pub struct MailConfig {
    /// `--smtp-url`: where emails go; `None` turns sending off (`send` answers 409).
    pub smtp_url: Option<String>,
    /// `--mail-from`: the `From` of every email (`Name <address>` or an address).
    pub mail_from: Option<String>,
    /// How sends are retried.
    pub policy: SendPolicy,
}

/// A configuration that cannot send.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    /// `--smtp-url` without `--mail-from`.
    #[error("--smtp-url needs --mail-from (QUINCER_MAIL_FROM), the address lead emails are sent from")]
    NoFrom,
    /// `--mail-from` is not an address.
    #[error("--mail-from `{0}` is not an email address (`Name <sales@example.com>` or `sales@example.com`)")]
    BadFrom(String),
    /// `--smtp-url` is not a URL lettre reads.
    #[error("--smtp-url is not usable: {0} (forms: smtp://host:25, smtp://user:pass@host:587?tls=required, smtps://user:pass@host:465)")]
    BadUrl(String),
}

/// Sends lead emails through the configured SMTP server. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The host of the `From` address, for Message-IDs.
    domain: String,
    /// `host:port` for logs (no credentials).
    server: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("server", &self.server).field("from", &self.from.to_string()).finish()
    }
}

/// One email to send.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// Email id (the Message-ID's left part: the same on every attempt).
    pub id: &'a str,
    /// Recipient address.
    pub to: &'a str,
    /// Recipient name, if known.
    pub to_name: Option<&'a str>,
    /// Subject.
    pub subject: &'a str,
    /// Plain-text body.
    pub body: &'a str,
}

impl Mailer {
    /// The mailer `config` describes; `None` when no SMTP server is configured.
    ///
    /// # Errors
    /// [`MailerError`] for a missing or bad `From`, or an unusable URL.
    pub fn new(config: &MailConfig) -> Result<Option<Mailer>, MailerError> {
        let Some(url) = config.smtp_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) else { return Ok(None) };
        let from = config.mail_from.as_deref().map(str::trim).filter(|f| !f.is_empty()).ok_or(MailerError::NoFrom)?;
        let from: Mailbox = from.parse().map_err(|_| MailerError::BadFrom(from.to_owned()))?;
        let parsed = url::Url::parse(url).map_err(|e| MailerError::BadUrl(e.to_string()))?;
        let server = format!(
            "{}:{}",
            parsed.host_str().unwrap_or_default(),
            parsed.port().map_or("default".into(), |p| p.to_string())
        );
        if parsed.scheme() == "smtp"
            && !parsed.query().unwrap_or_default().contains("tls=")
            && !parsed.username().is_empty()
        {
            tracing::warn!(%server, "--smtp-url logs in over plain SMTP: the password crosses the network unencrypted (add ?tls=required or use smtps://)");
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailerError::BadUrl(e.to_string()))?
            .timeout(Some(config.policy.timeout))
            .build();
        let domain = from.email.domain().to_owned();
        Ok(Some(Mailer { transport, from, domain, server }))
    }

    /// The `Message-ID` email `id` is sent with (the same on every attempt, so a retry after a lost answer can be
    /// recognised by the receiver).
    pub fn message_id(&self, id: &str) -> String {
        format!("<{id}@{}>", self.domain)
    }

    /// Sends `email`; returns its Message-ID.
    ///
    /// # Errors
    /// A bad recipient, or the SMTP server's refusal or absence, as text.
    pub async fn send(&self, email: Outgoing<'_>) -> Result<String, String> {
        let to = match email.to_name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => format!("{} <{}>", quote_name(name), email.to),
            None => email.to.to_owned(),
        };
        let to: Mailbox = to.parse().map_err(|e| format!("bad recipient `{}`: {e}", email.to))?;
        let message_id = self.message_id(email.id);
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject)
            .message_id(Some(message_id.clone()))
            .date_now()
            .multipart(MultiPart::alternative_plain_html(email.body.to_owned(), html(email.body)))
            .map_err(|e| format!("the message could not be built: {e}"))?;
        self.transport.send(message).await.map_err(|e| format!("{} ({})", innermost(&e), self.server))?;
        Ok(message_id)
    }
}

/// A display name quoted for a header when it has characters that need it.
fn quote_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !matches!(c, '"' | '\\' | '\r' | '\n' | '<' | '>')).collect();
    format!("\"{clean}\"")
}

/// The innermost cause says the most (connection refused, a server's reply).
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text = format!("{e}: {c}");
        cause = c.source();
    }
    text
}

/// The HTML part: the plain text escaped, paragraphs as `<p>`, line breaks kept, links clickable.
pub fn html(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(link_line).collect();
            format!("<p>{}</p>", lines.join("<br>\n"))
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"font-family: sans-serif; \
         line-height: 1.5\">\n{}\n</body></html>\n",
        paragraphs.join("\n")
    )
}

/// One line escaped, with `http(s)://` words made links.
fn link_line(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let bare = word.trim_end_matches(['.', ',', ')']);
            if bare.starts_with("https://") || bare.starts_with("http://") {
                let rest = &word[bare.len()..];
                format!("<a href=\"{0}\">{0}</a>{1}", escape(bare), escape(rest))
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// How long the SMTP exchange may take at most (lettre's own default is a minute).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How sends are retried.
#[derive(Debug, Clone, Copy)]
pub struct SendPolicy {
    /// Wait before the first retry; doubles with every further attempt.
    pub base: Duration,
    /// Longest wait between attempts.
    pub max_backoff: Duration,
    /// Attempts before an email is given up (`failed`).
    pub max_attempts: u32,
    /// How long one SMTP exchange may take.
    pub timeout: Duration,
}

impl Default for SendPolicy {
    /// 6 attempts over about 15 minutes.
    fn default() -> Self {
        SendPolicy {
            base: Duration::from_secs(30),
            max_backoff: Duration::from_secs(600),
            max_attempts: 6,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl SendPolicy {
    /// The wait after the `attempts`-th failed attempt.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 1u32.checked_shl(attempts.saturating_sub(1)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max_backoff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_part_is_escaped_with_links() {
        let h = html("Hi <Ada> & co,\n\n- Storm Shell: https://shop.example/storm?a=1&b=2.\nBest");
        assert!(h.contains("<p>Hi &lt;Ada&gt; &amp; co,</p>"), "{h}");
        assert!(
            h.contains(
                "<a href=\"https://shop.example/storm?a=1&amp;b=2\">https://shop.example/storm?a=1&amp;b=2</a>.<br>"
            ),
            "{h}"
        );
    }

    #[tokio::test]
    async fn configurations_are_checked() {
        let none = MailConfig::default();
        assert!(Mailer::new(&none).unwrap().is_none());
        let no_from = MailConfig { smtp_url: Some("smtp://127.0.0.1:2525".into()), ..MailConfig::default() };
        assert!(matches!(Mailer::new(&no_from), Err(MailerError::NoFrom)));
        let bad = MailConfig {
            smtp_url: Some("imap://x".into()),
            mail_from: Some("a@b.example".into()),
            ..MailConfig::default()
        };
        assert!(matches!(Mailer::new(&bad), Err(MailerError::BadUrl(_))));
    }
}
