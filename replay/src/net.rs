//! Test-only network middlemen for the client's network tests: a TLS terminator with a private
//! CA, a fault-injecting HTTP proxy and an HTTP forward proxy (absolute-form requests and
//! `CONNECT`). Each runs on its own thread and runtime on 127.0.0.1 and stops when dropped. They
//! sit in front of any HTTP server: the replay server offline, a real Odoo in the live tests.
//!
//! HTTP is hyper's, TLS tokio-rustls', certificates rcgen's: the only HTTP handled here by hand
//! is deciding, per request, what the proxy does.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt as _;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    date_time_ymd,
};
use tokio::net::{TcpListener, TcpStream};

type Body = BoxBody<Bytes, std::io::Error>;
type ConnFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;
type OnConnection = Arc<dyn Fn(TcpStream) -> ConnFuture + Send + Sync>;

/// A server on 127.0.0.1 running `on_connection` for each accepted connection, on its own thread.
pub struct Running {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Running {
    fn start(name: &str, on_connection: OnConnection) -> Running {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let thread = std::thread::Builder::new()
            .name(format!("{name}-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).unwrap();
                    loop {
                        tokio::select! {
                            _ = &mut rx => break,
                            accepted = listener.accept() => {
                                if let Ok((stream, _)) = accepted {
                                    let _ = stream.set_nodelay(true);
                                    tokio::spawn(on_connection(stream));
                                }
                            }
                        }
                    }
                });
            })
            .unwrap();
        Running {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

// ---- clients of the recordings ---------------------------------------------------------------------

/// The replay server of the XML-RPC recordings (`testdata/odoo-18.0/xmlrpc`).
pub fn replay_xmlrpc() -> crate::ReplayServer {
    crate::ReplayServer::from_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/odoo-18.0/xmlrpc"
    ))
    .unwrap()
}

/// The default retry policy with waits short enough for tests (`Retry-After` still honoured).
pub fn fast_retries() -> odoo_runtime::client::RetryPolicy {
    odoo_runtime::client::RetryPolicy::default().initial_backoff(Duration::from_millis(10))
}

/// A client of the recordings' admin (database `odoo18`, uid 2, password `admin`) at `url`, over
/// XML-RPC, with [`fast_retries`] and no proxy from the environment.
pub fn recorded_admin(url: &str) -> odoo_runtime::client::ClientBuilder {
    odoo_runtime::client::Client::builder()
        .url(url)
        .database("odoo18")
        .login("admin")
        .password("admin")
        .uid(2)
        .transport(odoo_runtime::client::Transport::XmlRpc)
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .retry(fast_retries())
}

/// `search_count([["is_company", "=", true]])` (13 in the recordings).
pub async fn count_companies(client: &odoo_runtime::client::Client) -> odoo_runtime::Result<i64> {
    client
        .search_count(
            "res.partner",
            &serde_json::json!([["is_company", "=", true]]),
        )
        .await
}

/// Runs the ignored test `test` of this test binary in a child process with `vars` set (and the
/// proxy, CA and Odoo variables of this process removed), and checks that it passed.
pub fn run_child(test: &str, vars: &[(&str, &str)]) {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command.args(["--exact", test, "--ignored", "--nocapture"]);
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "REQUEST_METHOD",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "ODOO_CA_CERT",
        "ODOO_URL",
        "ODOO_API_KEY",
        "ODOO_PASSWORD",
        "ODOO_TRANSPORT",
    ] {
        command.env_remove(var);
    }
    command.envs(vars.iter().copied());
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{test} with {vars:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A fault script: the `n`-th request calling the Odoo method `method` (0-based) gets
/// `plan[n]`, for each `(method, plan)`; every other request passes.
pub fn by_method(
    plans: Vec<(&'static str, Vec<Action>)>,
) -> impl Fn(&Seen) -> Action + Send + Sync + 'static {
    let counts: Vec<AtomicUsize> = plans.iter().map(|_| AtomicUsize::new(0)).collect();
    move |seen: &Seen| {
        let method = seen.odoo_method();
        for ((name, plan), count) in plans.iter().zip(&counts) {
            if method.as_deref() == Some(*name) {
                let n = count.fetch_add(1, Ordering::SeqCst);
                return plan.get(n).cloned().unwrap_or(Action::Pass);
            }
        }
        Action::Pass
    }
}

/// A fault script failing every tenth request (indexes 9, 19...) with `faults` in turn, counting
/// them in `failed`.
pub fn one_in_ten(
    faults: Vec<Action>,
    failed: Arc<AtomicUsize>,
) -> impl Fn(&Seen) -> Action + Send + Sync + 'static {
    move |seen: &Seen| {
        if seen.index % 10 == 9 {
            faults[failed.fetch_add(1, Ordering::SeqCst) % faults.len()].clone()
        } else {
            Action::Pass
        }
    }
}

// ---- certificates --------------------------------------------------------------------------------

/// A private certificate authority ("Test Company CA") issuing server certificates.
pub struct Pki {
    ca_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

/// A server certificate and its key.
#[derive(Clone)]
pub struct Leaf {
    pub cert_der: Vec<u8>,
    pub cert_pem: String,
    pub key_der: Vec<u8>,
}

impl Default for Pki {
    fn default() -> Pki {
        Pki::new()
    }
}

impl Pki {
    /// A CA named "Test Company CA".
    pub fn new() -> Pki {
        Pki::named("Test Company CA")
    }

    /// A CA with this common name.
    pub fn named(name: &str) -> Pki {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca = params.self_signed(&key).unwrap();
        Pki {
            ca_pem: ca.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// The CA certificate, PEM.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// A certificate for `names`, valid from 2000 to 4000.
    pub fn leaf(&self, names: &[&str]) -> Leaf {
        self.leaf_valid(names, 2000, 4000)
    }

    /// A certificate for `names` that expired at the start of 2021.
    pub fn expired_leaf(&self, names: &[&str]) -> Leaf {
        self.leaf_valid(names, 2020, 2021)
    }

    /// Valid from the start of `from` to the start of `until`.
    fn leaf_valid(&self, names: &[&str], from: i32, until: i32) -> Leaf {
        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
                .unwrap();
        params.distinguished_name.push(DnType::CommonName, names[0]);
        params.not_before = date_time_ymd(from, 1, 1);
        params.not_after = date_time_ymd(until, 1, 1);
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Leaf {
            cert_der: cert.der().to_vec(),
            cert_pem: cert.pem(),
            key_der: key.serialize_der(),
        }
    }
}

/// A self-signed certificate for `names` (no CA): what a small self-hosted server often has.
pub fn self_signed_leaf(names: &[&str]) -> Leaf {
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
    let cert = params.self_signed(&key).unwrap();
    Leaf {
        cert_der: cert.der().to_vec(),
        cert_pem: cert.pem(),
        key_der: key.serialize_der(),
    }
}

// ---- TLS terminator ------------------------------------------------------------------------------

/// Terminates TLS with `leaf` and pipes the bytes to `upstream` (an HTTP server): an `https://`
/// front for any test server. The URL to use is `https://localhost:<port>`.
pub struct TlsProxy {
    running: Running,
    accepted: Arc<AtomicUsize>,
    handshakes: Arc<AtomicUsize>,
}

impl TlsProxy {
    pub fn start(upstream: SocketAddr, leaf: &Leaf) -> TlsProxy {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(leaf.cert_der.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf.key_der.clone())),
            )
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let accepted = Arc::new(AtomicUsize::new(0));
        let handshakes = Arc::new(AtomicUsize::new(0));
        let (accepts, counted) = (Arc::clone(&accepted), Arc::clone(&handshakes));
        let running = Running::start(
            "tls-proxy",
            Arc::new(move |stream| {
                let acceptor = acceptor.clone();
                let counted = Arc::clone(&counted);
                accepts.fetch_add(1, Ordering::SeqCst);
                Box::pin(async move {
                    // A client that refuses the certificate ends the handshake with an alert.
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    counted.fetch_add(1, Ordering::SeqCst);
                    let Ok(mut up) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut up).await;
                })
            }),
        );
        TlsProxy {
            running,
            accepted,
            handshakes,
        }
    }

    pub fn port(&self) -> u16 {
        self.running.addr().port()
    }

    pub fn addr(&self) -> SocketAddr {
        self.running.addr()
    }

    /// `https://localhost:<port>`.
    pub fn url(&self) -> String {
        format!("https://localhost:{}", self.port())
    }

    /// TCP connections accepted.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Handshakes that completed (the client accepted the certificate).
    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }
}

// ---- fault proxy -----------------------------------------------------------------------------------

/// A request the fault proxy received.
#[derive(Debug, Clone)]
pub struct Seen {
    /// 0 for the first request the proxy received, 1 for the next...
    pub index: usize,
    pub method: String,
    pub path: String,
    pub body: Bytes,
}

impl Seen {
    /// The Odoo method an `execute_kw` body calls (`search_read`, `create`...), or the service
    /// method (`version`, `authenticate`), over XML-RPC, JSON-RPC or JSON-2.
    pub fn odoo_method(&self) -> Option<String> {
        if let Some(rest) = self.path.strip_prefix("/json/2/") {
            return rest.rsplit('/').next().map(str::to_owned);
        }
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(&self.body) {
            let params = &json["params"];
            let method = params["method"].as_str()?;
            if method == "execute_kw" {
                return params["args"][4].as_str().map(str::to_owned);
            }
            return Some(method.to_owned());
        }
        let (method, params): (std::borrow::Cow<'_, str>, Vec<odoo_runtime::Value>) =
            odoo_runtime::xmlrpc::decode_call(&self.body).ok()?;
        if method == "execute_kw" {
            return match params.get(4)? {
                odoo_runtime::Value::String(s) => Some(s.clone()),
                _ => None,
            };
        }
        Some(method.into_owned())
    }
}

/// What the fault proxy does with a request.
#[derive(Debug, Clone)]
pub enum Action {
    /// Forwards it and relays the answer.
    Pass,
    /// Answers without forwarding (a gateway turning the request away).
    Answer {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Forwards it (the server runs it), then answers this status instead of the server's answer
    /// (a gateway losing the answer: 502, 504).
    ForwardThenAnswer { status: u16, body: String },
    /// Closes the connection without an answer, before forwarding.
    Reset,
    /// Forwards it, then closes the connection without an answer.
    ForwardThenReset,
    /// Forwards it and relays the head and the first `n` bytes of the body (fewer when the body
    /// is not longer than that: never all of it), then breaks the connection.
    CutAfter(usize),
    /// Waits, then forwards.
    Delay(Duration),
}

impl Action {
    /// An HTML error page of a gateway, with its status, optionally with `Retry-After`.
    pub fn gateway(status: u16, retry_after: Option<&str>) -> Action {
        let reason = StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Error");
        Action::Answer {
            status,
            headers: retry_after
                .map(|r| vec![("retry-after", r.to_owned())])
                .unwrap_or_default(),
            body: format!(
                "<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1><hr>test-gateway</body></html>"
            ),
        }
    }
}

type Script = Arc<dyn Fn(&Seen) -> Action + Send + Sync>;

struct FaultState {
    upstream: String,
    script: Script,
    client: reqwest::Client,
    seen: Mutex<Vec<Seen>>,
    forwarded: Mutex<Vec<Seen>>,
    next: AtomicUsize,
}

/// An HTTP proxy in front of `upstream` (a base URL) that does what `script` says with each
/// request: the gateway of a busy Odoo.sh, offline.
pub struct FaultProxy {
    running: Running,
    state: Arc<FaultState>,
}

impl FaultProxy {
    pub fn start(
        upstream: &str,
        script: impl Fn(&Seen) -> Action + Send + Sync + 'static,
    ) -> FaultProxy {
        let state = Arc::new(FaultState {
            upstream: upstream.trim_end_matches('/').to_owned(),
            script: Arc::new(script),
            client: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(300))
                .build()
                .unwrap(),
            seen: Mutex::new(Vec::new()),
            forwarded: Mutex::new(Vec::new()),
            next: AtomicUsize::new(0),
        });
        let shared = Arc::clone(&state);
        let running = Running::start(
            "fault-proxy",
            Arc::new(move |stream| {
                let state = Arc::clone(&shared);
                Box::pin(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let state = Arc::clone(&state);
                        async move { fault(state, req).await }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                })
            }),
        );
        FaultProxy { running, state }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.running.addr())
    }

    pub fn addr(&self) -> SocketAddr {
        self.running.addr()
    }

    /// Every request received, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    /// The requests passed on to the upstream server.
    pub fn forwarded(&self) -> Vec<Seen> {
        self.state.forwarded.lock().unwrap().clone()
    }

    /// How many received requests call the Odoo method `method`.
    pub fn seen_calls(&self, method: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.odoo_method().as_deref() == Some(method))
            .count()
    }

    /// How many forwarded requests call the Odoo method `method`.
    pub fn forwarded_calls(&self, method: &str) -> usize {
        self.forwarded()
            .iter()
            .filter(|s| s.odoo_method().as_deref() == Some(method))
            .count()
    }
}

fn full(status: u16, headers: &[(&str, String)], body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, value);
    }
    response
        .body(
            Full::new(body.into())
                .map_err(|never: Infallible| match never {})
                .boxed(),
        )
        .unwrap()
}

/// The error that makes hyper drop the connection without an answer.
#[derive(Debug)]
struct Drop_;

impl std::fmt::Display for Drop_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Drop_ {}

/// Sends `body` to `url` with the headers an Odoo call needs, and returns the answer's status,
/// content type and body (any failure drops the connection of the client being served).
async fn relay(
    client: &reqwest::Client,
    method: &str,
    url: &str,
    headers: &hyper::HeaderMap,
    body: Bytes,
) -> Result<(u16, Vec<(&'static str, String)>, Bytes), Drop_> {
    let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|_| Drop_)?;
    let mut request = client.request(method, url).body(body);
    for name in ["content-type", "authorization", "x-odoo-database"] {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value.as_bytes());
        }
    }
    let answer = request.send().await.map_err(|_| Drop_)?;
    let status = answer.status().as_u16();
    let mut kept = Vec::new();
    if let Some(ct) = answer.headers().get("content-type") {
        kept.push(("content-type", ct.to_str().unwrap_or_default().to_owned()));
    }
    let body = answer.bytes().await.map_err(|_| Drop_)?;
    Ok((status, kept, body))
}

async fn forward(
    state: &FaultState,
    seen: &Seen,
    headers: &hyper::HeaderMap,
) -> Result<(u16, Vec<(&'static str, String)>, Bytes), Drop_> {
    state.forwarded.lock().unwrap().push(seen.clone());
    let url = format!("{}{}", state.upstream, seen.path);
    relay(
        &state.client,
        &seen.method,
        &url,
        headers,
        seen.body.clone(),
    )
    .await
}

async fn fault(state: Arc<FaultState>, req: Request<Incoming>) -> Result<Response<Body>, Drop_> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map_err(|_| Drop_)?.to_bytes();
    let seen = Seen {
        index: state.next.fetch_add(1, Ordering::SeqCst),
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned()),
        body,
    };
    state.seen.lock().unwrap().push(seen.clone());
    let action = (state.script)(&seen);
    match action {
        Action::Pass => {
            let (status, headers, body) = forward(&state, &seen, &parts.headers).await?;
            Ok(full(status, &headers, body))
        }
        Action::Delay(wait) => {
            tokio::time::sleep(wait).await;
            let (status, headers, body) = forward(&state, &seen, &parts.headers).await?;
            Ok(full(status, &headers, body))
        }
        Action::Answer {
            status,
            headers,
            body,
        } => {
            let mut headers = headers;
            headers.push(("content-type", "text/html; charset=utf-8".to_owned()));
            Ok(full(status, &headers, body))
        }
        Action::ForwardThenAnswer { status, body } => {
            forward(&state, &seen, &parts.headers).await?;
            Ok(full(
                status,
                &[("content-type", "text/html; charset=utf-8".to_owned())],
                body,
            ))
        }
        Action::Reset => Err(Drop_),
        Action::ForwardThenReset => {
            forward(&state, &seen, &parts.headers).await?;
            Err(Drop_)
        }
        Action::CutAfter(n) => {
            let (status, headers, body) = forward(&state, &seen, &parts.headers).await?;
            // Always short of the whole body (at least one byte is missing).
            let head = body.slice(..n.min(body.len().saturating_sub(1)));
            // The head and the first bytes go out (the pause lets hyper flush them), then the
            // body fails and hyper drops the connection.
            let frames = futures::stream::iter(vec![Ok(Frame::data(head))]).chain(
                futures::stream::once(async {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Err(std::io::Error::other("cut on purpose"))
                }),
            );
            let mut response = Response::builder()
                .status(status)
                .header("content-length", body.len().to_string());
            for (name, value) in &headers {
                response = response.header(*name, value);
            }
            Ok(response
                .body(BodyExt::boxed(StreamBody::new(frames)))
                .unwrap())
        }
    }
}

// ---- forward proxy ---------------------------------------------------------------------------------

struct ForwardState {
    /// The `Proxy-Authorization` value required, if any.
    credentials: Option<String>,
    client: reqwest::Client,
    /// `CONNECT host:port` or `METHOD absolute-uri`, for each request that went through.
    log: Mutex<Vec<String>>,
    refused: AtomicUsize,
}

/// An HTTP forward proxy: absolute-form requests (`POST http://host/path`) for `http://`
/// servers, `CONNECT host:port` tunnels for `https://` ones. With credentials set, a request
/// without the right `Proxy-Authorization: Basic ...` gets a 407 page.
pub struct ForwardProxy {
    running: Running,
    state: Arc<ForwardState>,
}

impl ForwardProxy {
    pub fn start() -> ForwardProxy {
        ForwardProxy::start_with(None)
    }

    /// A proxy requiring `user:password` (Basic).
    pub fn with_credentials(user: &str, password: &str) -> ForwardProxy {
        use base64::Engine as _;
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        ForwardProxy::start_with(Some(format!("Basic {token}")))
    }

    fn start_with(credentials: Option<String>) -> ForwardProxy {
        let state = Arc::new(ForwardState {
            credentials,
            client: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(300))
                .build()
                .unwrap(),
            log: Mutex::new(Vec::new()),
            refused: AtomicUsize::new(0),
        });
        let shared = Arc::clone(&state);
        let running = Running::start(
            "forward-proxy",
            Arc::new(move |stream| {
                let state = Arc::clone(&shared);
                Box::pin(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let state = Arc::clone(&state);
                        async move { forward_proxy(state, req).await }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .with_upgrades()
                        .await;
                })
            }),
        );
        ForwardProxy { running, state }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.running.addr())
    }

    /// What went through: `CONNECT host:port` or `POST http://host/path`.
    pub fn log(&self) -> Vec<String> {
        self.state.log.lock().unwrap().clone()
    }

    /// Requests answered 407.
    pub fn refused(&self) -> usize {
        self.state.refused.load(Ordering::SeqCst)
    }
}

async fn forward_proxy(
    state: Arc<ForwardState>,
    req: Request<Incoming>,
) -> Result<Response<Body>, Drop_> {
    if let Some(expected) = &state.credentials {
        let given = req
            .headers()
            .get("proxy-authorization")
            .and_then(|v| v.to_str().ok());
        if given != Some(expected.as_str()) {
            state.refused.fetch_add(1, Ordering::SeqCst);
            return Ok(full(
                407,
                &[
                    (
                        "proxy-authenticate",
                        "Basic realm=\"test proxy\"".to_owned(),
                    ),
                    ("content-type", "text/html".to_owned()),
                ],
                "<html><head><title>407 Proxy Authentication Required</title></head><body><h1>Proxy Authentication Required</h1><p>test-proxy</p></body></html>",
            ));
        }
    }
    if req.method() == hyper::Method::CONNECT {
        let target = req.uri().authority().map(|a| a.to_string()).ok_or(Drop_)?;
        state.log.lock().unwrap().push(format!("CONNECT {target}"));
        tokio::spawn(async move {
            let Ok(upgraded) = hyper::upgrade::on(req).await else {
                return;
            };
            let Ok(mut server) = TcpStream::connect(&target).await else {
                return;
            };
            let _ = tokio::io::copy_bidirectional(&mut TokioIo::new(upgraded), &mut server).await;
        });
        return Ok(full(200, &[], Bytes::new()));
    }
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map_err(|_| Drop_)?.to_bytes();
    let uri = parts.uri.to_string();
    state
        .log
        .lock()
        .unwrap()
        .push(format!("{} {uri}", parts.method));
    let (status, mut headers, body) = relay(
        &state.client,
        parts.method.as_str(),
        &uri,
        &parts.headers,
        body,
    )
    .await?;
    headers.push(("via", "1.1 test-proxy".to_owned()));
    Ok(full(status, &headers, body))
}

// ---- logs --------------------------------------------------------------------------------------------

/// Captures the `tracing` output of the current thread (info and above) while `f` runs.
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl Default for LogCapture {
    fn default() -> LogCapture {
        LogCapture::new()
    }
}

impl LogCapture {
    pub fn new() -> LogCapture {
        LogCapture(Arc::new(Mutex::new(Vec::new())))
    }

    /// A guard installing the capture as the thread's default subscriber.
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let sink = Arc::clone(&self.0);
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_writer(move || Sink(Arc::clone(&sink)))
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
