//! A real HTTP server on loopback that replays recorded Odoo exchanges, for tests and examples.
//!
//! ```no_run
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/odoo-18.0");
//! let server = odoo_replay::ReplayServer::from_dir(dir)?;
//! // point a client at server.url(): each recorded request gets its recorded response
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! - [`Recordings`] loads a recording directory (`xmlrpc/`, `jsonrpc/` and `json2/` with
//!   `index.json`, or one of them) and matches requests **semantically**: XML-RPC bodies are
//!   decoded (method + params, `<i8>` and `<int>` alike, an untyped `<value>` is a string),
//!   JSON-RPC bodies by `service`/`method`/`args`; struct member order is ignored. Any other path
//!   (JSON-2's `/json/2/<model>/<method>`, `GET /web/version`) is matched by method, path, the
//!   recorded `Authorization` (scheme in any case), `X-Odoo-Database` and `Content-Type` media
//!   type, and the JSON body with object keys in any order. A request that is not well-formed is
//!   matched byte for byte. When several recordings share one request (a read before and after a
//!   write), they are answered in recorded order and the last one repeats.
//! - Handlers ([`Handler`]) answer any request programmatically; a [`Reply`] can be delayed, cut
//!   in the middle of its body (connection reset), or answered with any status and body.
//! - The server runs on its own thread and runtime, so it works from sync and async tests alike,
//!   and shuts down when the [`ReplayServer`] is dropped.

pub mod fixtures;
mod http;
pub mod json2;
pub mod live;
pub mod net;
mod recordings;

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub use recordings::{Exchange, Recordings};

/// A request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`...
    pub method: String,
    /// The path, e.g. `/xmlrpc/2/object` (query string included when there is one).
    pub path: String,
    /// Headers in the order received (names lower-cased).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as UTF-8 text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON, if it is.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// How the server sends a [`Reply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delivery {
    /// The whole response.
    #[default]
    Complete,
    /// The head (with the full `Content-Length`) and only the first `n` bytes of the body, then a
    /// connection reset.
    CutAfter(usize),
    /// No response at all: the connection is reset as soon as the request is read.
    Reset,
}

/// A response to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Headers (`Content-Length` is added).
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// How to send it.
    pub delivery: Delivery,
}

impl Reply {
    /// A reply with a status, a content type and a body.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.into(),
            delay: Duration::ZERO,
            delivery: Delivery::Complete,
        }
    }

    /// `200 text/xml; charset=utf-8`, as Odoo sends XML-RPC answers (faults included).
    pub fn xml(body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(200, "text/xml; charset=utf-8", body)
    }

    /// A JSON body with a status.
    pub fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply::new(status, "application/json; charset=utf-8", value.to_string())
    }

    /// An HTML page with a status (a proxy's 502 page, a login page...).
    pub fn html(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(status, "text/html; charset=utf-8", body)
    }

    /// Answers after `delay`.
    pub fn with_delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// Sends only the first `n` bytes of the body, then resets the connection.
    pub fn cut_after(mut self, n: usize) -> Reply {
        self.delivery = Delivery::CutAfter(n);
        self
    }

    /// Resets the connection instead of answering.
    pub fn reset() -> Reply {
        Reply {
            delivery: Delivery::Reset,
            ..Reply::new(500, "text/plain", "")
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// Answers a request; return `None` to let the next handler (or the recordings) answer.
pub type Handler = Arc<dyn Fn(&Request) -> Option<Reply> + Send + Sync>;

/// Builds a [`ReplayServer`].
#[derive(Default)]
pub struct Builder {
    recordings: Option<Recordings>,
    handlers: Vec<Handler>,
}

impl Builder {
    /// Answers recorded requests from `recordings`.
    pub fn recordings(mut self, recordings: Recordings) -> Builder {
        self.recordings = Some(recordings);
        self
    }

    /// Adds a handler, asked before the recordings (handlers are asked in the order added).
    pub fn handler(
        mut self,
        handler: impl Fn(&Request) -> Option<Reply> + Send + Sync + 'static,
    ) -> Builder {
        self.handlers.push(Arc::new(handler));
        self
    }

    /// Answers every request to `path` (exact match, query string ignored) with `handler`.
    pub fn route(
        self,
        path: &str,
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Builder {
        let path = path.to_owned();
        self.handler(move |req| {
            let p = req.path.split('?').next().unwrap_or_default();
            (p == path).then(|| handler(req))
        })
    }

    /// Starts the server on `127.0.0.1:0`.
    pub fn start(self) -> io::Result<ReplayServer> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(http::State {
            recordings: self.recordings.map(Mutex::new),
            handlers: self.handlers,
            log: Mutex::new(Vec::new()),
            unmatched: Mutex::new(Vec::new()),
        });
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name(format!("odoo-replay-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(http::serve(listener, thread_state, rx));
            })?;
        Ok(ReplayServer {
            addr,
            url: format!("http://{addr}"),
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }
}

/// The running server. Dropping it stops the server.
pub struct ReplayServer {
    addr: SocketAddr,
    url: String,
    state: Arc<http::State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for ReplayServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplayServer")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl ReplayServer {
    /// A builder (recordings and/or handlers).
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Starts a server answering the recordings of `dir` (see [`Recordings::load`]).
    pub fn from_dir(dir: impl AsRef<std::path::Path>) -> io::Result<ReplayServer> {
        Builder::default()
            .recordings(Recordings::load(dir)?)
            .start()
    }

    /// Starts a server answering every request with `handler`.
    pub fn with_handler(
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> io::Result<ReplayServer> {
        Builder::default()
            .handler(move |r| Some(handler(r)))
            .start()
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.state.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Requests no handler or recording answered (they got a 404 `text/plain` explaining why).
    pub fn unmatched(&self) -> Vec<Request> {
        self.state
            .unmatched
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default()
    }

    /// Panics listing the requests no recording answered, if any (a test's check that its client
    /// sent only what was recorded).
    #[track_caller]
    pub fn assert_every_request_recorded(&self) {
        let unmatched = self.unmatched();
        assert!(
            unmatched.is_empty(),
            "requests that were never recorded:\n{}",
            unmatched
                .iter()
                .map(Request::text)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    /// Restarts every recording sequence from its first answer.
    pub fn rewind(&self) {
        if let Some(rec) = &self.state.recordings
            && let Ok(mut rec) = rec.lock()
        {
            rec.rewind();
        }
    }
}

impl Drop for ReplayServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
