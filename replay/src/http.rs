//! A minimal HTTP/1.1 server: enough for reqwest and curl (keep-alive, `Content-Length` and
//! chunked request bodies).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::recordings::Recordings;
use crate::{Delivery, Handler, Reply, Request};

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 256 * 1024 * 1024;

pub(crate) struct State {
    pub(crate) recordings: Option<Mutex<Recordings>>,
    pub(crate) handlers: Vec<Handler>,
    pub(crate) log: Mutex<Vec<Request>>,
    pub(crate) unmatched: Mutex<Vec<Request>>,
}

pub(crate) async fn serve(
    listener: std::net::TcpListener,
    state: Arc<State>,
    mut shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    // Answers are written in pieces (head, body): without this, Nagle's algorithm and the
                    // client's delayed ACK add ~40 ms to every exchange.
                    let _ = stream.set_nodelay(true);
                    let state = Arc::clone(&state);
                    tokio::spawn(async move {
                        let _ = connection(stream, state).await;
                    });
                }
            }
        }
    }
}

async fn connection(mut stream: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buf).await? else {
            return Ok(());
        };
        let close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        if let Ok(mut log) = state.log.lock() {
            log.push(request.clone());
        }
        let reply = answer(&state, &request);
        if !reply.delay.is_zero() {
            tokio::time::sleep(reply.delay).await;
        }
        match reply.delivery {
            Delivery::Reset => {
                reset(stream);
                return Ok(());
            }
            Delivery::CutAfter(n) => {
                stream.write_all(&head(&reply)).await?;
                stream
                    .write_all(&reply.body[..n.min(reply.body.len())])
                    .await?;
                stream.flush().await?;
                // Give the client a moment to read what was sent, then reset.
                tokio::time::sleep(Duration::from_millis(20)).await;
                reset(stream);
                return Ok(());
            }
            Delivery::Complete => {
                stream.write_all(&head(&reply)).await?;
                stream.write_all(&reply.body).await?;
                stream.flush().await?;
            }
        }
        if close {
            return Ok(());
        }
    }
}

#[allow(deprecated)] // SO_LINGER 0 resets at once; it does not block.
fn reset(stream: TcpStream) {
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

fn answer(state: &State, request: &Request) -> Reply {
    for handler in &state.handlers {
        if let Some(reply) = handler(request) {
            return reply;
        }
    }
    let why = match &state.recordings {
        Some(rec) => match rec.lock() {
            Ok(mut rec) => match rec.answer(request) {
                Ok(reply) => return reply,
                Err(why) => why,
            },
            Err(_) => "the recordings lock is poisoned".to_owned(),
        },
        None => "no handler answered and there are no recordings".to_owned(),
    };
    if let Ok(mut unmatched) = state.unmatched.lock() {
        unmatched.push(request.clone());
    }
    Reply::new(
        404,
        "text/plain; charset=utf-8",
        format!("odoo-replay: {why}\n"),
    )
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn head(reply: &Reply) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", reply.body.len()));
    head.into_bytes()
}

/// Reads one request; `None` at a clean end of stream.
async fn read_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Request>> {
    let head_end = loop {
        if let Some(pos) = find(buf, b"\r\n\r\n") {
            break pos;
        }
        if buf.len() > MAX_HEAD {
            return Err(std::io::Error::other("request head too large"));
        }
        if fill(stream, buf).await? == 0 {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    buf.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let path = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let body =
        if get("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
            read_chunked(stream, buf).await?
        } else {
            let len: usize = get("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if len > MAX_BODY {
                return Err(std::io::Error::other("request body too large"));
            }
            while buf.len() < len {
                if fill(stream, buf).await? == 0 {
                    return Err(std::io::Error::other(
                        "connection closed inside the request body",
                    ));
                }
            }
            buf.drain(..len).collect()
        };
    Ok(Some(Request {
        method,
        path,
        headers,
        body,
    }))
}

async fn read_chunked(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(pos) = find(buf, b"\r\n") {
                break pos;
            }
            if fill(stream, buf).await? == 0 {
                return Err(std::io::Error::other(
                    "connection closed inside a chunk size",
                ));
            }
        };
        let size_text = String::from_utf8_lossy(&buf[..line_end]).into_owned();
        let size_text = size_text
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        let size = usize::from_str_radix(&size_text, 16)
            .map_err(|_| std::io::Error::other("bad chunk size"))?;
        buf.drain(..line_end + 2);
        if body.len() + size > MAX_BODY {
            return Err(std::io::Error::other("request body too large"));
        }
        while buf.len() < size + 2 {
            if fill(stream, buf).await? == 0 {
                return Err(std::io::Error::other("connection closed inside a chunk"));
            }
        }
        body.extend(buf.drain(..size));
        buf.drain(..2);
        if size == 0 {
            return Ok(body);
        }
    }
}

async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
