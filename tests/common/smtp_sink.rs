//! A local SMTP server for tests: speaks enough SMTP for lettre (EHLO, MAIL, RCPT, DATA,
//! RSET, NOOP, QUIT), keeps every accepted message, can refuse chosen recipients for
//! good (550), can answer "try later" (421) while it is "down", and can wait before
//! accepting each message so a test can kill a sender in the middle of a wave.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

/// A message as the sink accepted it.
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The value of a header (first occurrence), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with(' ') || line.starts_with('\t') {
                    v.push(' ');
                    v.push_str(line.trim());
                    continue;
                }
                break;
            }
            if let Some((n, v)) = line.split_once(':')
                && n.eq_ignore_ascii_case(name)
            {
                value = Some(v.trim().to_owned());
            }
        }
        value
    }
}

#[derive(Default)]
struct State {
    received: Mutex<Vec<Received>>,
    reject: Mutex<Vec<String>>,
    down: AtomicBool,
    delay_ms: AtomicU64,
    /// Messages complete but not yet answered ("accepted"), in the delay.
    holding: std::sync::atomic::AtomicUsize,
}

#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    state: Arc<State>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State::default());
        let accept_state = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = accept_state.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, state).await;
                });
            }
        });
        SmtpSink { port, state }
    }

    /// `smtp://127.0.0.1:PORT` (plain SMTP on loopback).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub async fn received(&self) -> Vec<Received> {
        self.state.received.lock().await.clone()
    }

    pub async fn count(&self) -> usize {
        self.state.received.lock().await.len()
    }

    /// Refuse this recipient for good (550).
    pub async fn reject(&self, address: &str) {
        self.state.reject.lock().await.push(address.to_lowercase());
    }

    /// While down, every connection is answered "421 try again later".
    pub fn set_down(&self, down: bool) {
        self.state.down.store(down, Ordering::SeqCst);
    }

    /// Wait this long before accepting each message.
    pub fn set_delay(&self, delay: Duration) {
        self.state
            .delay_ms
            .store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    /// Wait until at least `n` messages arrived, or `timeout` passed; returns the count.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> usize {
        let until = tokio::time::Instant::now() + timeout;
        loop {
            let count = self.count().await;
            if count >= n || tokio::time::Instant::now() >= until {
                return count;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl SmtpSink {
    /// Wait until at least `n` messages arrived and the next one is held in the delay
    /// (its sender waits for "accepted"), or `timeout` passed; returns the count. A
    /// sender killed then has marked every earlier message as sent and has not heard
    /// about this one — no moment where an accepted message is not yet marked.
    pub async fn wait_holding(&self, n: usize, timeout: Duration) -> usize {
        let until = tokio::time::Instant::now() + timeout;
        loop {
            let count = self.count().await;
            let holding = self.state.holding.load(Ordering::SeqCst) > 0;
            if (count >= n && holding) || tokio::time::Instant::now() >= until {
                return count;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
}

fn address(arg: &str) -> String {
    let start = arg.find('<').map_or(0, |i| i + 1);
    let end = arg.rfind('>').unwrap_or(arg.len());
    arg[start..end].trim().to_lowercase()
}

async fn serve(stream: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    if state.down.load(Ordering::SeqCst) {
        write.write_all(b"421 sink down, try later\r\n").await?;
        return Ok(());
    }
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if upper.starts_with("HELO") {
            write.write_all(b"250 sink\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&command[10..]);
            to.clear();
            write.write_all(b"250 ok\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            let rcpt = address(&command[8..]);
            if state.reject.lock().await.contains(&rcpt) {
                write.write_all(b"550 no such user\r\n").await?;
            } else {
                to.push(rcpt);
                write.write_all(b"250 ok\r\n").await?;
            }
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                let l = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(l);
            }
            let delay = state.delay_ms.load(Ordering::SeqCst);
            if delay > 0 {
                state.holding.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(delay)).await;
                state.holding.fetch_sub(1, Ordering::SeqCst);
            }
            // A sender that died meanwhile (its end of the connection closed) never
            // hears "accepted" and must send again: do not count the message.
            if let Ok(Ok(buf)) =
                tokio::time::timeout(Duration::from_millis(2), lines.fill_buf()).await
                && buf.is_empty()
            {
                return Ok(());
            }
            write.write_all(b"250 accepted\r\n").await?;
            write.flush().await?;
            state.received.lock().await.push(Received {
                from: from.clone(),
                to: std::mem::take(&mut to),
                data,
            });
        } else if upper == "RSET" {
            to.clear();
            write.write_all(b"250 ok\r\n").await?;
        } else if upper == "NOOP" {
            write.write_all(b"250 ok\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            write.write_all(b"502 not implemented\r\n").await?;
        }
    }
}
