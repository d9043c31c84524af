//! Plain SMTP to a relay (`smtp://host:port`, no TLS, no login: a relay on this machine
//! or network) over one kept connection with Nagle's algorithm off. lettre 0.11 leaves
//! it on, so after each message body its last five bytes wait ~40 ms for the relay's
//! delayed ACK: about 20 messages a second. With it off a message takes a few ms.
//! Other SMTP URLs use lettre's own transport.

use std::time::Duration;

use lettre::Message;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use tokio::net::TcpStream;
use tokio::sync::Mutex;

use super::{MailError, smtp_error};

/// As long as lettre's own transport waits for a connection or a reply.
const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Relay {
    /// `host:port`.
    address: String,
    /// The open connection, if any; one message at a time goes over it.
    connection: Mutex<Option<AsyncSmtpConnection>>,
}

impl Relay {
    /// A relay for `smtp://host[:port]` without user, password or options; `None` for
    /// any other URL.
    pub fn from_url(url: &str) -> Option<Relay> {
        let rest = url.strip_prefix("smtp://")?.trim_end_matches('/');
        if rest.is_empty() || rest.contains(['@', '?', '/']) {
            return None;
        }
        let address = if rest
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
            && !rest.ends_with(']')
        {
            rest.to_owned()
        } else {
            format!("{rest}:25")
        };
        Some(Relay {
            address,
            connection: Mutex::new(None),
        })
    }

    pub async fn send(&self, message: Message) -> Result<(), MailError> {
        let envelope = message.envelope().clone();
        let bytes = message.formatted();
        let mut slot = self.connection.lock().await;
        if slot.as_ref().is_some_and(|c| c.has_broken()) {
            *slot = None;
        }
        if slot.is_none() {
            *slot = Some(self.connect().await?);
        }
        let Some(connection) = slot.as_mut() else {
            return Err(MailError::Transient("no connection".to_owned()));
        };
        let sent = tokio::time::timeout(TIMEOUT, connection.send(&envelope, &bytes)).await;
        match sent {
            Ok(Ok(_)) => Ok(()),
            // After a refusal or a broken exchange the connection is not used again.
            Ok(Err(e)) => {
                *slot = None;
                Err(smtp_error(e))
            }
            Err(_) => {
                *slot = None;
                Err(MailError::Transient("SMTP relay did not answer".to_owned()))
            }
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, MailError> {
        let transient = |e: String| MailError::Transient(e);
        let stream = tokio::time::timeout(TIMEOUT, TcpStream::connect(&self.address))
            .await
            .map_err(|_| transient("SMTP relay did not answer".to_owned()))?
            .map_err(|e| transient(e.to_string()))?;
        stream
            .set_nodelay(true)
            .map_err(|e| transient(e.to_string()))?;
        tokio::time::timeout(
            TIMEOUT,
            AsyncSmtpConnection::connect_with_transport(Box::new(stream), &ClientId::default()),
        )
        .await
        .map_err(|_| transient("SMTP relay did not answer".to_owned()))?
        .map_err(smtp_error)
    }
}

#[cfg(test)]
mod tests {
    use super::Relay;

    #[test]
    fn only_plain_urls_without_login_are_relays() {
        assert_eq!(
            Relay::from_url("smtp://127.0.0.1:2525").map(|r| r.address),
            Some("127.0.0.1:2525".to_owned())
        );
        assert_eq!(
            Relay::from_url("smtp://localhost").map(|r| r.address),
            Some("localhost:25".to_owned())
        );
        for other in [
            "smtp://user:pw@mail.example.org:587?tls=required",
            "smtps://mail.example.org:465",
            "smtp://mail.example.org:587?tls=required",
            "smtp://",
        ] {
            assert!(Relay::from_url(other).is_none(), "{other}");
        }
    }
}
