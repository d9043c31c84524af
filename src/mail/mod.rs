//! Email: messages are composed from templates (`compose`), queued in the outbox table
//! (`store::outbox`) together with the change that causes them, and sent by a worker
//! over SMTP, or written as `.eml` files to a folder when no SMTP server is configured.

pub mod compose;
mod relay;
mod worker;

use std::path::PathBuf;
use std::sync::Arc;

use lettre::message::{Mailbox, MultiPart, header::HeaderName, header::HeaderValue};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

pub use worker::{DEFAULT_LEASE, run_worker, send_due, send_due_leased};

use crate::config::Config;
use crate::store::entities::outbox;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address or message: {0}")]
    Build(String),
    /// The server refused for good (unknown recipient, …): do not retry.
    #[error("permanent: {0}")]
    Permanent(String),
    /// Worth another try later (server down, …).
    #[error("transient: {0}")]
    Transient(String),
    #[error("configuration: {0}")]
    Config(String),
}

/// Where mail goes.
#[derive(Clone)]
pub enum Transport {
    File(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Plain SMTP without login to a relay (`smtp://host:port`), over one kept
    /// connection with Nagle's algorithm off.
    Relay(Arc<relay::Relay>),
}

impl Transport {
    pub fn from_config(config: &Config) -> Result<Self, MailError> {
        match &config.smtp_url {
            Some(url) => {
                warn_if_plain(url.expose());
                if let Some(relay) = relay::Relay::from_url(url.expose()) {
                    return Ok(Transport::Relay(Arc::new(relay)));
                }
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map(|b| Transport::Smtp(b.build()))
                    .map_err(|e| MailError::Config(e.to_string()))
            }
            None => Ok(Transport::File(config.outbox_dir.clone())),
        }
    }

    pub async fn send(&self, message: Message) -> Result<(), MailError> {
        match self {
            Transport::File(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| MailError::Transient(e.to_string()))?;
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| MailError::Transient(e.to_string()))
            }
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(smtp_error),
            Transport::Relay(relay) => relay.send(message).await,
        }
    }
}

fn smtp_error(e: lettre::transport::smtp::Error) -> MailError {
    if e.is_permanent() {
        MailError::Permanent(e.to_string())
    } else {
        MailError::Transient(e.to_string())
    }
}

/// Plain SMTP (no `tls=` and not `smtps://`) is only fine to a relay on this machine.
fn warn_if_plain(url: &str) {
    let plain = url.starts_with("smtp://") && !url.contains("tls=");
    let host = url
        .split("://")
        .nth(1)
        .map(|rest| rest.rsplit('@').next().unwrap_or(rest))
        .and_then(|rest| rest.split([':', '/', '?']).next())
        .unwrap_or("");
    if plain && !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
        tracing::warn!(host, "SMTP without TLS; use ?tls=required or smtps://");
    }
}

/// Build the MIME message for an outbox row: multipart text and HTML.
pub fn build_message(from: &str, row: &outbox::Model) -> Result<Message, MailError> {
    let from: Mailbox = from
        .parse()
        .map_err(|e: lettre::address::AddressError| MailError::Build(e.to_string()))?;
    let to: Mailbox = row
        .recipient
        .parse()
        .map_err(|e: lettre::address::AddressError| MailError::Permanent(e.to_string()))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .date_now()
        .message_id(Some(format!(
            "<{}@klankbord>",
            row.idempotency_key.replace([':', '/', ' '], ".")
        )));
    if let Some(headers) = &row.headers {
        let pairs: Vec<(String, String)> =
            serde_json::from_str(headers).map_err(|e| MailError::Build(e.to_string()))?;
        for (name, value) in pairs {
            let name =
                HeaderName::new_from_ascii(name).map_err(|e| MailError::Build(e.to_string()))?;
            builder = builder.raw_header(HeaderValue::new(name, value));
        }
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            row.body_text.clone(),
            row.body_html.clone(),
        ))
        .map_err(|e| MailError::Build(e.to_string()))
}
