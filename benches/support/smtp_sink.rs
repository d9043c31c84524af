//! A loopback SMTP sink for the benchmarks: speaks enough SMTP for lettre (EHLO, MAIL,
//! RCPT, DATA, RSET, NOOP, QUIT) on several connections at once, accepts every message
//! at once and only counts them, so the figure is the sender's and not the sink's.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    received: Arc<AtomicU64>,
    connections: Arc<AtomicU64>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
        let port = listener.local_addr().expect("sink address").port();
        let received = Arc::new(AtomicU64::new(0));
        let connections = Arc::new(AtomicU64::new(0));
        let (count, conns) = (received.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                conns.fetch_add(1, Ordering::Relaxed);
                let count = count.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, count).await;
                });
            }
        });
        SmtpSink {
            port,
            received,
            connections,
        }
    }

    /// Plain SMTP on loopback, as `KLANKBORD_SMTP_URL` takes it.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn count(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    /// How many SMTP connections the sender opened.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::Relaxed)
    }
}

async fn serve(stream: TcpStream, received: Arc<AtomicU64>) -> std::io::Result<()> {
    let (read, write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut write = BufWriter::new(write);
    write.write_all(b"220 sink ESMTP\r\n").await?;
    write.flush().await?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let upper = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if ["HELO", "MAIL FROM:", "RCPT TO:", "RSET", "NOOP"]
            .iter()
            .any(|c| upper.starts_with(c))
        {
            b"250 ok\r\n"
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            write.flush().await?;
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
            }
            received.fetch_add(1, Ordering::Relaxed);
            b"250 accepted\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            write.flush().await?;
            return Ok(());
        } else {
            b"502 not implemented\r\n"
        };
        write.write_all(reply).await?;
        // Pipelined commands arrive together: answer them together.
        if lines.buffer().is_empty() {
            write.flush().await?;
        }
    }
}
