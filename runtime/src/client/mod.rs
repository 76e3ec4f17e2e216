//! The client: `execute_kw` over XML-RPC, JSON-RPC or JSON-2, with typed helpers.
//!
//! ```no_run
//! # async fn demo() -> odoo_runtime::Result<()> {
//! use odoo_runtime::client::{Client, SearchOptions};
//! let client = Client::builder()
//!     .url("https://odoo.example.com")
//!     .database("prod")
//!     .login("admin")
//!     .password_env("ODOO_PASSWORD")
//!     .context("lang", "fr_FR")
//!     .build()?;
//! let ids = client
//!     .search("res.partner", &serde_json::json!([["is_company", "=", true]]), SearchOptions::new().limit(5))
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! # Transports
//! - [`Transport::XmlRpc`]: `POST /xmlrpc/2/common` and `/xmlrpc/2/object` (the historical API).
//! - [`Transport::JsonRpc`]: `POST /jsonrpc` with `{"service", "method", "args"}` (Odoo 8 → 21).
//! - [`Transport::Json2`]: `POST /json/2/<model>/<method>` (Odoo 19+), `Authorization: bearer
//!   <api key>`, `X-Odoo-Database`, named arguments only (see [`crate::json2`] for the table that
//!   names the positional arguments of the ORM methods). Before Odoo 19, which answers JSON-2
//!   requests with a 404 page (17.0) or a redirection to its login page (18.0), a call (and
//!   `version()`) fails with [`Error::Http`] saying "Odoo 17.0 has no JSON-2 ...": on such an
//!   answer the client asks the server its version over JSON-RPC.
//! - [`Transport::Auto`] (default): with an API key, asks `version()` over JSON-RPC (falling back to
//!   `GET /web/version` when `/jsonrpc` is gone) and uses JSON-2 on Odoo ≥ 19; otherwise JSON-RPC,
//!   which is 4x smaller and 5–10x faster to decode than XML-RPC.
//!
//! # Context
//! Every call carries a context: the client's default (builder [`ClientBuilder::context`], or
//! [`Client::with_context`]) merged key by key with a `context` given in `kwargs` (the per-call
//! value wins). An empty context is not sent.
//!
//! # Errors
//! One enum, [`crate::Error`]:
//!
//! What Odoo 17.0, 18.0 and 19.0 answer (checked on each transport by the live tier,
//! `runtime/tests/live/errors.rs`), and the variant the client makes of it:
//!
//! | server says | XML-RPC (`/xmlrpc/2`) | JSON-RPC (`error.data.name`) | JSON-2 (status + `name`) | variant |
//! |---|---|---|---|---|
//! | wrong password, unknown or revoked API key | `authenticate` → `false`; a call with a known uid: fault 3 | `authenticate` → `false`; `odoo.exceptions.AccessDenied` | 401 `werkzeug.exceptions.Unauthorized` (no password taken) | [`Error::AccessDenied`] |
//! | unknown database | fault 1, `psycopg2.OperationalError` (`database "x" does not exist`) | `psycopg2.OperationalError` | 404 HTML page "No database is selected" | [`Error::UnknownDatabase`] |
//! | no right (ACL, record rule); private method (`_x`) | fault 4 | `odoo.exceptions.AccessError` | 403 `AccessError` | [`Error::AccessError`] |
//! | user error | fault 2 | `odoo.exceptions.UserError` | 422 `UserError` | [`Error::UserError`] |
//! | constraint | fault 2 (→ `UserError`) | `odoo.exceptions.ValidationError` | 422 `ValidationError` | [`Error::ValidationError`] |
//! | missing record (`write`, `unlink`; `read` leaves it out) | fault 2 (→ `UserError`) | `odoo.exceptions.MissingError` | 404 `MissingError` | [`Error::MissingError`] |
//! | unknown model | fault 2 `Object x doesn't exist` (→ `UserError`) | `odoo.exceptions.UserError` | 404 `werkzeug.exceptions.NotFound` (→ `Server`) | [`Error::UserError`], [`Error::Server`] |
//! | unknown method | fault 1 `AttributeError` | `builtins.AttributeError` | 404 `werkzeug.exceptions.NotFound` | [`Error::Server`] |
//! | anything else | fault 1 (class and message from the traceback's last line) | other names | other statuses (422 for arguments that do not bind, 500) | [`Error::Server`] |
//!
//! JSON-RPC's `error.code` is 200 on Odoo 17.0 and 18.0 and 0 on 19.0; it is not read. A revoked
//! API key is refused at the next login, but Odoo caches the pair (uid, secret) it last accepted
//! (`res.users.check`), so a client that logged in before the revocation keeps being served over
//! XML-RPC and JSON-RPC until the server's cache is cleared (seen on the three servers; JSON-2
//! refuses it at once).
//!
//! XML-RPC fault 2 does not say which `UserError` subclass was raised; telling them apart by
//! message text would break with the server's language, so fault 2 is always
//! [`Error::UserError`] — never wrong, since in Python every one of them *is* a `UserError`
//! ([`Error::is_user_error`] is true for all of them). Use JSON-RPC or JSON-2 for the precise
//! class. A non-RPC answer with an error status is [`Error::Http`] (status + a short text snippet,
//! e.g. of a proxy's HTML 502 page); a 200 that is not the protocol is [`Error::Protocol`];
//! [`Error::Timeout`], [`Error::Transport`] (refused, reset, a failed TLS handshake),
//! [`Error::Certificate`], [`Error::Proxy`], [`Error::NotRetried`] and [`Error::Decode`]
//! (naming the call, e.g. `res.partner.read`, and the value path, e.g. `[3].partner_id`) complete
//! it. The secret is never put in an error: every error goes through [`crate::Error::redact`]
//! before it is returned, and only a user-info-free URL is ever shown.
//!
//! # Real deployments: trust, proxies, busy servers
//! - **Trust.** The server's certificate is checked against webpki's built-in roots, the
//!   system's trust store (`SSL_CERT_FILE` / `SSL_CERT_DIR` replace it, as with OpenSSL) and
//!   the CA certificates given with [`ClientBuilder::ca_cert_file`] /
//!   [`ClientBuilder::ca_cert_pem`] (`ODOO_CA_CERT` in [`Client::from_env`]): a company CA, or
//!   a self-signed server certificate itself. Nothing turns verification off. A refused
//!   certificate is [`Error::Certificate`], naming the host, the problem
//!   ([`crate::CertificateProblem`]: unknown issuer, name mismatch, expired...) and the setting
//!   that fixes it.
//! - **Proxies.** Chosen once at build: [`ClientBuilder::proxy`], [`ClientBuilder::no_proxy`],
//!   or by default `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY` (lower case
//!   first, as curl; credentials in the proxy URL are sent, never shown). A proxy's own refusal
//!   (unreachable, 407, `CONNECT` refused) is [`Error::Proxy`], not an answer of Odoo's.
//! - **Retries.** Read-only calls ([`READ_ONLY_METHODS`], plus
//!   [`RetryPolicy::read_only_method`], and the `/doc-bearer` GETs of [`Client::doc_index`] and
//!   [`Client::doc_model`]) are retried on 429, 502, 503, 504 and lost connections,
//!   with exponential backoff and jitter, honouring `Retry-After`, within
//!   [`RetryPolicy::max_tries`] and [`RetryPolicy::max_elapsed`] ([`ClientBuilder::retry`]);
//!   each retry is logged at info level with its reason. Other calls are never retried: their
//!   transport failures come back as [`Error::NotRetried`], whose [`crate::Reached`] says
//!   whether the request may have reached Odoo.
//! - **Pacing.** [`ClientBuilder::max_rate`]: at most so many requests per second, for the
//!   client and its clones together. Off by default.

pub mod blocking;
pub mod demo;
mod doc;
mod http;
mod proxy;
mod refine;
mod retry;
mod tls;
mod xmlrpc;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::OnceCell;

use crate::error::{Error, Result, ServerError};
pub use crate::secret::Secret;
pub use retry::{
    DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_ELAPSED, DEFAULT_MAX_TRIES,
    READ_ONLY_METHODS, RetryPolicy,
};

/// Default time allowed for one whole call (connect, send, wait, read the body).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Which wire protocol the client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Transport {
    /// JSON-2 on Odoo ≥ 19 when an API key is given, JSON-RPC otherwise.
    #[default]
    Auto,
    /// `/xmlrpc/2/common`, `/xmlrpc/2/object`.
    XmlRpc,
    /// `/jsonrpc`.
    JsonRpc,
    /// `/json/2/<model>/<method>` (Odoo 19+, API key only).
    Json2,
}

impl Transport {
    /// The name used on command lines: `auto`, `xmlrpc`, `jsonrpc`, `json2`.
    pub fn name(self) -> &'static str {
        match self {
            Transport::Auto => "auto",
            Transport::XmlRpc => "xmlrpc",
            Transport::JsonRpc => "jsonrpc",
            Transport::Json2 => "json2",
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Transport {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "auto" => Ok(Transport::Auto),
            "xmlrpc" | "xml" => Ok(Transport::XmlRpc),
            "jsonrpc" => Ok(Transport::JsonRpc),
            "json2" => Ok(Transport::Json2),
            _ => Err(Error::Config(format!(
                "unknown transport {s:?} (expected auto, xmlrpc, jsonrpc or json2)"
            ))),
        }
    }
}

/// The secret the client authenticates with.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A password (accepted by XML-RPC and JSON-RPC).
    Password(Secret),
    /// An API key: accepted in place of the password by XML-RPC and JSON-RPC, required by JSON-2.
    ApiKey(Secret),
}

impl Credential {
    fn secret(&self) -> &Secret {
        match self {
            Credential::Password(s) | Credential::ApiKey(s) => s,
        }
    }
}

/// `common.version()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// e.g. `18.0`, `saas~18.2`, `19.0+e`.
    pub server_version: String,
    /// e.g. `[18, 0, 0, "final", 0, ""]`.
    #[serde(default)]
    pub server_version_info: Vec<Value>,
    /// e.g. `18.0`.
    #[serde(default)]
    pub server_serie: String,
    /// `1` on every recent Odoo; `0` when the server did not say (`/web/version`).
    #[serde(default)]
    pub protocol_version: i64,
}

impl Version {
    /// The major version (`18` for `18.0`, `saas~18.2` and `[18, 0, ...]`).
    pub fn major(&self) -> Option<u32> {
        if let Some(n) = self.server_version_info.first().and_then(Value::as_u64) {
            return u32::try_from(n).ok();
        }
        for text in [&self.server_serie, &self.server_version] {
            let t = text.trim_start_matches("saas~").trim_start_matches("saas-");
            let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse() {
                return Some(n);
            }
        }
        None
    }
}

/// Options of `search` and `search_read`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchOptions {
    /// Records to skip.
    pub offset: Option<u64>,
    /// Maximum number of records.
    pub limit: Option<u64>,
    /// Sort order, e.g. `name asc, id desc`.
    pub order: Option<String>,
}

impl SearchOptions {
    /// No offset, no limit, the model's default order.
    pub fn new() -> Self {
        Self::default()
    }
    /// Skips `offset` records.
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }
    /// Returns at most `limit` records.
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }
    /// Sorts by `order`.
    pub fn order(mut self, order: impl Into<String>) -> Self {
        self.order = Some(order.into());
        self
    }
    fn put(&self, kwargs: &mut Map<String, Value>) {
        if let Some(offset) = self.offset {
            kwargs.insert("offset".into(), offset.into());
        }
        if let Some(limit) = self.limit {
            kwargs.insert("limit".into(), limit.into());
        }
        if let Some(order) = &self.order {
            kwargs.insert("order".into(), order.clone().into());
        }
    }
}

/// Options of `read_group`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadGroupOptions {
    /// Groups to skip.
    pub offset: Option<u64>,
    /// Maximum number of groups.
    pub limit: Option<u64>,
    /// Sort order of the groups.
    pub orderby: Option<String>,
    /// `lazy` (Odoo's default `true` groups by the first groupby only).
    pub lazy: Option<bool>,
}

/// Options of `name_search`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NameSearchOptions {
    /// Extra domain (sent positionally: Odoo 18 names it `args`, 19 `domain`).
    pub domain: Option<Value>,
    /// Comparison operator (Odoo's default `ilike`).
    pub operator: Option<String>,
    /// Maximum number of results (Odoo's default 100).
    pub limit: Option<u64>,
}

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    url: Option<String>,
    database: Option<String>,
    login: Option<String>,
    credential: Option<Credential>,
    deferred: Option<Error>,
    transport: Transport,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    context: Map<String, Value>,
    uid: Option<i64>,
    ca_certs: Vec<tls::CaSource>,
    proxy: proxy::ProxySetting,
    retry: RetryPolicy,
    max_rate: Option<f64>,
}

impl ClientBuilder {
    /// Base URL of the Odoo server, e.g. `https://odoo.example.com` (a path prefix is kept).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }
    /// Database name (needed by XML-RPC and JSON-RPC; sent as `X-Odoo-Database` by JSON-2).
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.database = Some(database.into());
        self
    }
    /// Login of the user (needed by XML-RPC and JSON-RPC to authenticate).
    pub fn login(mut self, login: impl Into<String>) -> Self {
        self.login = Some(login.into());
        self
    }
    /// Authenticates with a password.
    pub fn password(mut self, password: impl Into<Secret>) -> Self {
        self.credential = Some(Credential::Password(password.into()));
        self
    }
    /// Authenticates with the password held by environment variable `var`.
    pub fn password_env(mut self, var: &str) -> Self {
        match Secret::from_env(var) {
            Ok(s) => self.credential = Some(Credential::Password(s)),
            Err(e) => self.deferred = Some(e),
        }
        self
    }
    /// Authenticates with an API key (in place of the password; required by JSON-2).
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.credential = Some(Credential::ApiKey(key.into()));
        self
    }
    /// Authenticates with the API key held by environment variable `var`.
    pub fn api_key_env(mut self, var: &str) -> Self {
        match Secret::from_env(var) {
            Ok(s) => self.credential = Some(Credential::ApiKey(s)),
            Err(e) => self.deferred = Some(e),
        }
        self
    }
    /// Chooses the transport (default [`Transport::Auto`]).
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }
    /// Time allowed for one whole call (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// Time allowed to connect (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }
    /// Adds `key: value` to the default context of every call (`lang`, `tz`,
    /// `allowed_company_ids`, `active_test`...).
    pub fn context(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.context.insert(key.into(), value.into());
        self
    }
    /// Adds every entry of `context` to the default context.
    pub fn contexts(mut self, context: Map<String, Value>) -> Self {
        self.context.extend(context);
        self
    }
    /// Uses this uid instead of calling `authenticate` (XML-RPC and JSON-RPC).
    pub fn uid(mut self, uid: i64) -> Self {
        self.uid = Some(uid);
        self
    }
    /// Also trusts the certificate authorities of this file (PEM, one or more
    /// `-----BEGIN CERTIFICATE-----` blocks, or one DER certificate): a company CA that signed
    /// the server's certificate. Added to the built-in roots and the system's trust store, never
    /// instead of them. Read by [`ClientBuilder::build`]; can be called more than once.
    pub fn ca_cert_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.ca_certs.push(tls::CaSource::File(path.into()));
        self
    }
    /// Same as [`ClientBuilder::ca_cert_file`], with the certificates in memory (PEM or DER).
    pub fn ca_cert_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_certs.push(tls::CaSource::Pem(pem.into()));
        self
    }
    /// Goes through this HTTP proxy, whatever the environment says
    /// (`http://[user:password@]host:port`; the credentials are never shown). By default the
    /// proxy comes from `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY`.
    pub fn proxy(mut self, url: impl Into<Secret>) -> Self {
        self.proxy = proxy::ProxySetting::Url(url.into());
        self
    }
    /// Never uses a proxy, whatever the environment says.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = proxy::ProxySetting::Direct;
        self
    }
    /// When read-only calls are retried (default [`RetryPolicy::default`]; [`RetryPolicy::none`]
    /// turns retries off). Calls that may write are never retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }
    /// Sends at most `requests_per_second` requests per second, for this client and all its
    /// clones together (retries included). Off by default. A value that is not a positive number
    /// fails at [`ClientBuilder::build`].
    pub fn max_rate(mut self, requests_per_second: f64) -> Self {
        self.max_rate = Some(requests_per_second);
        self
    }

    /// Builds the async client. Fails on a missing or invalid URL, an unreadable secret, or a
    /// JSON-2 transport without an API key. Nothing is sent yet.
    pub fn build(self) -> Result<Client> {
        if let Some(e) = self.deferred {
            return Err(e);
        }
        let raw = self
            .url
            .ok_or_else(|| Error::Config("no server URL given".to_owned()))?;
        let raw = raw.trim();
        let no_scheme = !raw.contains("://");
        let hint = if no_scheme {
            format!("; did you mean http://{}?", http::mask_unparsed(raw))
        } else {
            String::new()
        };
        let mut base = reqwest::Url::parse(raw).map_err(|e| {
            Error::Config(format!(
                "invalid server URL {}: {e}{hint}",
                http::mask_unparsed(raw)
            ))
        })?;
        if !matches!(base.scheme(), "http" | "https") {
            let shown = if no_scheme {
                http::mask_unparsed(raw)
            } else {
                http::shown_url(&base)
            };
            return Err(Error::Config(format!(
                "unsupported URL scheme {:?} in {shown} (expected http or https){hint}",
                base.scheme(),
            )));
        }
        if base.host_str().is_none_or(str::is_empty) {
            return Err(Error::Config(format!(
                "server URL {} has no host",
                http::shown_url(&base)
            )));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        base.set_query(None);
        base.set_fragment(None);
        if self.transport == Transport::Json2
            && !matches!(self.credential, Some(Credential::ApiKey(_)))
        {
            return Err(Error::Config(
                "the JSON-2 transport needs an API key (api_key), not a password".to_owned(),
            ));
        }
        let pacer = match self.max_rate {
            None => None,
            Some(rate) => Some(retry::Pacer::new(rate).ok_or_else(|| {
                Error::Config(format!(
                    "max_rate must be a positive number of requests per second, got {rate}"
                ))
            })?),
        };
        let route = proxy::route(&self.proxy, &base, &|name| std::env::var(name).ok())?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let mut http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            .user_agent(concat!("odoo-runtime/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .use_preconfigured_tls(tls::client_config(&self.ca_certs)?)
            // The proxy is chosen above (from the builder or the environment), once.
            .no_proxy();
        if let Some(route) = &route {
            tracing::debug!(proxy = %route.shown(), "going through a proxy");
            http = http.proxy(route.to_reqwest()?);
        }
        let http = http
            .build()
            .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?;
        let uid = OnceCell::new();
        if let Some(u) = self.uid {
            let _ = uid.set(u);
        }
        let shown = http::shown_url(&base);
        let host = base.host_str().unwrap_or_default().to_owned();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                shown,
                host,
                proxy: route,
                retry: self.retry,
                pacer,
                database: self.database,
                login: self.login,
                credential: self.credential,
                requested: self.transport,
                resolved: OnceCell::new(),
                uid,
                timeout,
                next_id: AtomicU64::new(1),
            }),
            context: Arc::new(self.context),
        })
    }

    /// Builds the blocking client (it owns a small tokio runtime).
    pub fn build_blocking(self) -> Result<blocking::Client> {
        blocking::Client::from_async(self.build()?)
    }
}

struct Inner {
    http: reqwest::Client,
    base: reqwest::Url,
    shown: String,
    host: String,
    proxy: Option<proxy::Route>,
    retry: RetryPolicy,
    pacer: Option<retry::Pacer>,
    database: Option<String>,
    login: Option<String>,
    credential: Option<Credential>,
    requested: Transport,
    resolved: OnceCell<Transport>,
    uid: OnceCell<i64>,
    timeout: Duration,
    next_id: AtomicU64,
}

/// An Odoo client (cheap to clone: clones share connections and the cached uid).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    context: Arc<Map<String, Value>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.inner.shown)
            .field("database", &self.inner.database)
            .field("login", &self.inner.login)
            .field("credential", &self.inner.credential)
            .field("transport", &self.inner.requested)
            .field("context", &self.context)
            .field("proxy", &self.inner.proxy)
            .field("retry", &self.inner.retry)
            .field(
                "max_rate",
                &self.inner.pacer.as_ref().map(retry::Pacer::rate),
            )
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts a builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A builder filled from the environment: `ODOO_URL`, `ODOO_DB`, `ODOO_USER`, the secret from
    /// `ODOO_API_KEY` (preferred) or `ODOO_PASSWORD`, `ODOO_TRANSPORT` (`auto` when unset) and
    /// `ODOO_CA_CERT` (a CA certificate file, see [`ClientBuilder::ca_cert_file`]). Unset
    /// variables leave the option unset; an invalid `ODOO_TRANSPORT` fails at `build()`. Proxies
    /// (`HTTPS_PROXY`, `NO_PROXY`...) and `SSL_CERT_FILE` are read by every builder.
    pub fn from_env() -> ClientBuilder {
        let get = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut builder = ClientBuilder::default();
        if let Some(url) = get("ODOO_URL") {
            builder = builder.url(url);
        }
        if let Some(db) = get("ODOO_DB") {
            builder = builder.database(db);
        }
        if let Some(user) = get("ODOO_USER") {
            builder = builder.login(user);
        }
        if get("ODOO_API_KEY").is_some() {
            builder = builder.api_key_env("ODOO_API_KEY");
        } else if get("ODOO_PASSWORD").is_some() {
            builder = builder.password_env("ODOO_PASSWORD");
        }
        if let Some(path) = get("ODOO_CA_CERT") {
            builder = builder.ca_cert_file(path);
        }
        if let Some(transport) = get("ODOO_TRANSPORT") {
            match transport.parse() {
                Ok(t) => builder = builder.transport(t),
                Err(e) => builder.deferred = Some(e),
            }
        }
        builder
    }

    /// The base URL (without user info).
    pub fn url(&self) -> &str {
        &self.inner.shown
    }

    /// The default context of this client.
    pub fn default_context(&self) -> &Map<String, Value> {
        &self.context
    }

    /// A client sharing this one's connections and uid, whose default context is this one's with
    /// `context`'s entries added (or replaced).
    pub fn with_context(&self, context: Map<String, Value>) -> Client {
        let mut merged = (*self.context).clone();
        merged.extend(context);
        Client {
            inner: Arc::clone(&self.inner),
            context: Arc::new(merged),
        }
    }

    /// The transport calls use (resolving [`Transport::Auto`] on first use).
    pub async fn transport(&self) -> Result<Transport> {
        self.resolve_transport().await.map_err(|e| self.redact(e))
    }

    /// `common.version()` (over JSON-2: `GET /web/version`; with [`Transport::Auto`], JSON-RPC and
    /// then `GET /web/version` if `/jsonrpc` answers 404). Needs no credentials.
    pub async fn version(&self) -> Result<Version> {
        let answer = match self.inner.requested {
            // `/jsonrpc` first; when it is gone (removed in Odoo 22), `GET /web/version`.
            Transport::Auto => match self.version_over(Transport::JsonRpc).await {
                Err(Error::Http { status: 404, .. }) => self.version_over(Transport::Json2).await,
                other => other,
            },
            Transport::Json2 => match self.version_over(Transport::Json2).await {
                Err(e) => Err(self.json2_error(e).await),
                ok => ok,
            },
            t => self.version_over(t).await,
        };
        answer.map_err(|e| self.redact(e))
    }

    /// Authenticates and returns the uid (cached: the server is asked once per client).
    ///
    /// Over XML-RPC / JSON-RPC this is `common.authenticate(db, login, secret, {})`; Odoo answers
    /// `false` for a wrong login, password or key, which becomes [`Error::AccessDenied`]. Over
    /// JSON-2 the uid comes from `res.users/context_get`.
    pub async fn authenticate(&self) -> Result<i64> {
        self.uid().await.map_err(|e| self.redact(e))
    }

    /// Calls `model.method(*args, **kwargs)` and decodes the result into `R`.
    ///
    /// `args` must serialize as a list, `kwargs` as a map (or `()` / `None` for none). A `context`
    /// in `kwargs` is merged over the client's default context.
    pub async fn execute_kw<R, A, K>(
        &self,
        model: &str,
        method: &str,
        args: &A,
        kwargs: &K,
    ) -> Result<R>
    where
        R: DeserializeOwned,
        A: Serialize + ?Sized,
        K: Serialize + ?Sized,
    {
        let call = format!("{model}.{method}");
        let kwargs = match serde_json::to_value(kwargs) {
            Ok(Value::Object(map)) => map,
            Ok(Value::Null) => Map::new(),
            Ok(other) => {
                return Err(self.redact(Error::Encode(format!(
                    "{call}: keyword arguments must be a map, got {}",
                    json_kind(&other)
                ))));
            }
            Err(e) => {
                return Err(self.redact(Error::Encode(format!("{call}: keyword arguments: {e}"))));
            }
        };
        self.call_with(model, method, args, kwargs)
            .await
            .map_err(|e| self.redact(e))
    }

    /// Same as [`Client::execute_kw`]: calls any public method by name. Odoo refuses names
    /// starting with `_` with an `AccessError`; the client sends them anyway and maps the answer.
    pub async fn call<R, A, K>(&self, model: &str, method: &str, args: &A, kwargs: &K) -> Result<R>
    where
        R: DeserializeOwned,
        A: Serialize + ?Sized,
        K: Serialize + ?Sized,
    {
        self.execute_kw(model, method, args, kwargs).await
    }

    /// `search(domain, offset, limit, order)` → ids.
    pub async fn search<D: Serialize + ?Sized>(
        &self,
        model: &str,
        domain: &D,
        options: SearchOptions,
    ) -> Result<Vec<i64>> {
        let mut kwargs = Map::new();
        options.put(&mut kwargs);
        self.execute_kw(model, "search", &(domain,), &kwargs).await
    }

    /// `search_count(domain)`.
    pub async fn search_count<D: Serialize + ?Sized>(
        &self,
        model: &str,
        domain: &D,
    ) -> Result<i64> {
        self.execute_kw(model, "search_count", &(domain,), &())
            .await
    }

    /// `read(ids, fields)`; an empty `fields` reads every field (expensive: name them).
    pub async fn read<R: DeserializeOwned>(
        &self,
        model: &str,
        ids: &[i64],
        fields: &[&str],
    ) -> Result<Vec<R>> {
        let mut kwargs = Map::new();
        if !fields.is_empty() {
            kwargs.insert("fields".into(), fields.into());
        }
        self.execute_kw(model, "read", &(ids,), &kwargs).await
    }

    /// `search_read(domain, fields, offset, limit, order)`; an empty `fields` reads every field.
    pub async fn search_read<R: DeserializeOwned, D: Serialize + ?Sized>(
        &self,
        model: &str,
        domain: &D,
        fields: &[&str],
        options: SearchOptions,
    ) -> Result<Vec<R>> {
        let mut kwargs = Map::new();
        if !fields.is_empty() {
            kwargs.insert("fields".into(), fields.into());
        }
        options.put(&mut kwargs);
        self.execute_kw(model, "search_read", &(domain,), &kwargs)
            .await
    }

    /// `create(vals)` for one record → its id.
    pub async fn create<V: Serialize + ?Sized>(&self, model: &str, values: &V) -> Result<i64> {
        let id: OneId<i64> = self.execute_kw(model, "create", &(values,), &()).await?;
        Ok(id.0)
    }

    /// `create([vals, ...])` → the new ids, in order.
    pub async fn create_many<V: Serialize>(&self, model: &str, values: &[V]) -> Result<Vec<i64>> {
        self.execute_kw(model, "create", &(values,), &()).await
    }

    /// `write(ids, vals)`.
    pub async fn write<V: Serialize + ?Sized>(
        &self,
        model: &str,
        ids: &[i64],
        values: &V,
    ) -> Result<bool> {
        self.execute_kw(model, "write", &(ids, values), &()).await
    }

    /// `unlink(ids)`.
    pub async fn unlink(&self, model: &str, ids: &[i64]) -> Result<bool> {
        self.execute_kw(model, "unlink", &(ids,), &()).await
    }

    /// `name_search(name, domain, operator, limit)` → `(id, display name)` pairs.
    pub async fn name_search(
        &self,
        model: &str,
        name: &str,
        options: NameSearchOptions,
    ) -> Result<Vec<(i64, String)>> {
        let mut kwargs = Map::new();
        if let Some(operator) = options.operator {
            kwargs.insert("operator".into(), operator.into());
        }
        if let Some(limit) = options.limit {
            kwargs.insert("limit".into(), limit.into());
        }
        let hits: Vec<NameHit> = match &options.domain {
            Some(domain) => {
                self.execute_kw(model, "name_search", &(name, domain), &kwargs)
                    .await?
            }
            None => {
                self.execute_kw(model, "name_search", &(name,), &kwargs)
                    .await?
            }
        };
        Ok(hits.into_iter().map(|h| (h.0, h.1.0)).collect())
    }

    /// `fields_get(attributes=...)`; an empty `attributes` asks for all of them.
    pub async fn fields_get<R: DeserializeOwned>(
        &self,
        model: &str,
        attributes: &[&str],
    ) -> Result<R> {
        let mut kwargs = Map::new();
        if !attributes.is_empty() {
            kwargs.insert("attributes".into(), attributes.into());
        }
        self.execute_kw(model, "fields_get", &[(); 0], &kwargs)
            .await
    }

    /// `read_group(domain, fields, groupby, offset, limit, orderby, lazy)`.
    pub async fn read_group<R: DeserializeOwned, D: Serialize + ?Sized>(
        &self,
        model: &str,
        domain: &D,
        fields: &[&str],
        groupby: &[&str],
        options: ReadGroupOptions,
    ) -> Result<Vec<R>> {
        let mut kwargs = Map::new();
        if let Some(offset) = options.offset {
            kwargs.insert("offset".into(), offset.into());
        }
        if let Some(limit) = options.limit {
            kwargs.insert("limit".into(), limit.into());
        }
        if let Some(orderby) = options.orderby {
            kwargs.insert("orderby".into(), orderby.into());
        }
        if let Some(lazy) = options.lazy {
            kwargs.insert("lazy".into(), lazy.into());
        }
        self.execute_kw(model, "read_group", &(domain, fields, groupby), &kwargs)
            .await
    }

    /// `check_access_rights(operation, raise_exception)`: `read`, `write`, `create` or `unlink`.
    pub async fn check_access_rights(
        &self,
        model: &str,
        operation: &str,
        raise_exception: bool,
    ) -> Result<bool> {
        let mut kwargs = Map::new();
        kwargs.insert("raise_exception".into(), raise_exception.into());
        self.execute_kw(model, "check_access_rights", &(operation,), &kwargs)
            .await
    }

    // ---- internals ----

    /// Every error returned goes through here: an unknown database is told apart
    /// ([`refine`]), and the secret is scrubbed from every text.
    fn redact(&self, e: Error) -> Error {
        let e = refine::unknown_database(e, self.inner.database.as_deref());
        let e = match &self.inner.credential {
            Some(c) => e.redact(c.secret().expose()),
            None => e,
        };
        match self.inner.proxy.as_ref().and_then(|r| r.password.as_ref()) {
            Some(password) => e.redact(password.expose()),
            None => e,
        }
    }

    /// Sends the request `build` makes, pacing it, and retrying it when `call` is read-only and
    /// the failure is transient (see [`RetryPolicy`]). A failed exchange of any other call comes
    /// back as [`Error::NotRetried`], saying whether the request reached the server. Answers with
    /// other statuses are returned for the transport to read.
    async fn exchange<F>(&self, call: &str, shown: &str, build: F) -> Result<http::Answer>
    where
        F: Fn() -> reqwest::RequestBuilder,
    {
        let read_only = self.inner.retry.retries(call);
        self.exchange_as(call, read_only, shown, build).await
    }

    /// [`Client::exchange`] of a request whose caller knows whether it only reads (`read_only`),
    /// such as the GETs of `/doc-bearer`: `call` only names it in logs and errors.
    async fn exchange_as<F>(
        &self,
        call: &str,
        read_only: bool,
        shown: &str,
        build: F,
    ) -> Result<http::Answer>
    where
        F: Fn() -> reqwest::RequestBuilder,
    {
        let policy = &self.inner.retry;
        let wire = http::Wire {
            shown,
            timeout: self.inner.timeout,
            proxy: self.inner.proxy.as_ref(),
            host: &self.inner.host,
        };
        let started = std::time::Instant::now();
        let mut tries = 0u32;
        loop {
            if let Some(pacer) = &self.inner.pacer {
                pacer.wait().await;
            }
            tries += 1;
            let failure = match http::send(build(), &wire).await {
                Ok(answer) => match http::failed_answer(&answer, &wire) {
                    None => return Ok(answer),
                    Some(failure) => failure,
                },
                Err(failure) => failure,
            };
            if !read_only {
                return Err(Error::NotRetried {
                    call: call.to_owned(),
                    reached: failure.reached,
                    cause: Box::new(failure.error),
                });
            }
            let error = self.redact(failure.error);
            if !failure.retryable {
                return Err(error);
            }
            let elapsed = started.elapsed();
            match policy.next_wait(tries, elapsed, failure.retry_after) {
                Some(wait) => {
                    let asked = failure
                        .retry_after
                        .map(|r| format!(", Retry-After {}s", r.as_secs()))
                        .unwrap_or_default();
                    tracing::info!(
                        call,
                        tries,
                        wait_ms = wait.as_millis() as u64,
                        "{call}: {error}; retrying in {:.1}s{asked} (try {} of {})",
                        wait.as_secs_f64(),
                        tries + 1,
                        policy.tries(),
                    );
                    tokio::time::sleep(wait).await;
                }
                None => {
                    if tries > 1 || policy.tries() > 1 {
                        // The error itself goes back to the caller: info, not warn.
                        tracing::info!(
                            call,
                            tries,
                            "{call}: giving up after {tries} tries in {:.1}s: {error}",
                            elapsed.as_secs_f64()
                        );
                    }
                    return Err(error);
                }
            }
        }
    }

    fn endpoint(&self, path: &str) -> Result<(reqwest::Url, String)> {
        let url = self.inner.base.join(path).map_err(|e| {
            Error::Config(format!(
                "cannot build the URL of {path} from {}: {e}",
                self.inner.shown
            ))
        })?;
        let shown = http::shown_url(&url);
        Ok((url, shown))
    }

    fn database(&self) -> Result<&str> {
        self.inner
            .database
            .as_deref()
            .ok_or_else(|| Error::Config("no database given".to_owned()))
    }

    fn login(&self) -> Result<&str> {
        self.inner
            .login
            .as_deref()
            .ok_or_else(|| Error::Config("no login given".to_owned()))
    }

    fn secret(&self) -> Result<&Secret> {
        self.inner
            .credential
            .as_ref()
            .map(Credential::secret)
            .ok_or_else(|| Error::Config("no password or API key given".to_owned()))
    }

    fn api_key(&self) -> Result<&Secret> {
        match &self.inner.credential {
            Some(Credential::ApiKey(s)) => Ok(s),
            _ => Err(Error::Config(
                "the JSON-2 transport needs an API key (api_key), not a password".to_owned(),
            )),
        }
    }

    async fn resolve_transport(&self) -> Result<Transport> {
        if self.inner.requested != Transport::Auto {
            return Ok(self.inner.requested);
        }
        self.inner
            .resolved
            .get_or_try_init(|| async {
                if !matches!(self.inner.credential, Some(Credential::ApiKey(_))) {
                    return Ok(Transport::JsonRpc);
                }
                let version = match self.version_over(Transport::JsonRpc).await {
                    Ok(v) => v,
                    Err(Error::Http { status: 404, .. }) => {
                        self.version_over(Transport::Json2).await?
                    }
                    Err(e) => return Err(e),
                };
                Ok(if version.major().is_some_and(|m| m >= 19) {
                    Transport::Json2
                } else {
                    Transport::JsonRpc
                })
            })
            .await
            .copied()
    }

    async fn version_over(&self, transport: Transport) -> Result<Version> {
        match transport {
            Transport::XmlRpc => {
                self.rpc_xml::<Version, _>("common", "version", &[(); 0], "common.version")
                    .await
            }
            Transport::Json2 => {
                let (url, shown) = self.endpoint("web/version")?;
                let http::Answer {
                    status,
                    body,
                    location,
                    ..
                } = self
                    .exchange("web.version", &shown, || self.inner.http.get(url.clone()))
                    .await?;
                if status != 200 {
                    return Err(http::error(shown, status, &body, location.as_deref()));
                }
                #[derive(Deserialize)]
                struct WebVersion {
                    version: String,
                    #[serde(default)]
                    version_info: Vec<Value>,
                }
                let v: WebVersion = crate::jsonrpc::decode_bare(&body, Some("web/version"))?;
                Ok(Version {
                    server_serie: v.version.clone(),
                    server_version: v.version,
                    server_version_info: v.version_info,
                    protocol_version: 0,
                })
            }
            Transport::JsonRpc | Transport::Auto => {
                self.rpc_json::<Version, _>("common", "version", &[(); 0], "common.version")
                    .await
            }
        }
    }

    async fn uid(&self) -> Result<i64> {
        self.inner
            .uid
            .get_or_try_init(|| async {
                let transport = self.resolve_transport().await?;
                if transport == Transport::Json2 {
                    #[derive(Deserialize)]
                    struct Ctx {
                        uid: i64,
                    }
                    let ctx: Ctx = self.call_json2("res.users", "context_get", Value::Array(Vec::new()), Map::new()).await?;
                    return Ok(ctx.uid);
                }
                let database = self.database()?;
                let login = self.login()?;
                let secret = self.secret()?.expose();
                let empty = Map::new();
                let params = (database, login, secret, &empty);
                let answer: Value = if transport == Transport::XmlRpc {
                    self.rpc_xml("common", "authenticate", &params, "common.authenticate").await?
                } else {
                    self.rpc_json("common", "authenticate", &params, "common.authenticate").await?
                };
                match answer {
                    Value::Number(n) if n.as_i64().is_some_and(|u| u > 0) => Ok(n.as_i64().unwrap_or_default()),
                    Value::Bool(false) | Value::Null => {
                        let mut e = ServerError::new(
                            "odoo.exceptions.AccessDenied",
                            format!("wrong login, password or API key for login {login:?} on database {database:?}"),
                        );
                        e.call = Some("common.authenticate".to_owned());
                        Err(Error::AccessDenied(Box::new(e)))
                    }
                    other => Err(Error::Decode(crate::DecodeError {
                        message: format!("expected a uid or false, found {}", json_kind(&other)),
                        path: String::new(),
                        offset: None,
                        call: Some("common.authenticate".to_owned()),
                    })),
                }
            })
            .await
            .copied()
    }

    async fn call_with<R, A>(
        &self,
        model: &str,
        method: &str,
        args: &A,
        mut kwargs: Map<String, Value>,
    ) -> Result<R>
    where
        R: DeserializeOwned,
        A: Serialize + ?Sized,
    {
        let call = format!("{model}.{method}");
        merge_context(&self.context, &mut kwargs, &call)?;
        let transport = self.resolve_transport().await?;
        if transport == Transport::Json2 {
            let args = serde_json::to_value(args)
                .map_err(|e| Error::Encode(format!("{call}: arguments: {e}")))?;
            return self.call_json2(model, method, args, kwargs).await;
        }
        let uid = self.uid().await?;
        let database = self.database()?;
        let secret = self.secret()?.expose();
        if transport == Transport::XmlRpc {
            if kwargs.is_empty() {
                self.rpc_xml(
                    "object",
                    "execute_kw",
                    &(database, uid, secret, model, method, args),
                    &call,
                )
                .await
            } else {
                self.rpc_xml(
                    "object",
                    "execute_kw",
                    &(database, uid, secret, model, method, args, &kwargs),
                    &call,
                )
                .await
            }
        } else if kwargs.is_empty() {
            self.rpc_json(
                "object",
                "execute_kw",
                &(database, uid, secret, model, method, args),
                &call,
            )
            .await
        } else {
            self.rpc_json(
                "object",
                "execute_kw",
                &(database, uid, secret, model, method, args, &kwargs),
                &call,
            )
            .await
        }
    }

    async fn rpc_json<R, P>(&self, service: &str, method: &str, params: &P, call: &str) -> Result<R>
    where
        R: DeserializeOwned,
        P: Serialize + ?Sized,
    {
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let body = crate::jsonrpc::encode_call(service, method, params, id)?;
        let (body, shown) = self
            .post_rpc(call, "jsonrpc", "application/json", body)
            .await?;
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(Error::Protocol {
                url: shown,
                message: format!("not a JSON-RPC answer: {}", http::snippet(&body)),
            });
        }
        match crate::jsonrpc::decode_response::<R>(&body, Some(call))? {
            crate::jsonrpc::Response::Success(r) => Ok(r),
            crate::jsonrpc::Response::Error(e) => Err(e.into_error(Some(call.to_owned()))),
        }
    }

    async fn rpc_xml<R, P>(&self, service: &str, method: &str, params: &P, call: &str) -> Result<R>
    where
        R: DeserializeOwned,
        P: Serialize + ?Sized,
    {
        let body = xmlrpc::encode(method, params, call)?;
        let path = format!("xmlrpc/2/{service}");
        let (body, shown) = self.post_rpc(call, &path, "text/xml", body).await?;
        xmlrpc::decode(&body, call, &shown)
    }

    /// POSTs an XML-RPC or JSON-RPC body to `path` and returns the body of the 200 answer, with
    /// the endpoint as shown in errors (any other status is an [`Error::Http`]).
    async fn post_rpc(
        &self,
        call: &str,
        path: &str,
        content_type: &'static str,
        body: Vec<u8>,
    ) -> Result<(bytes::Bytes, String)> {
        let body = bytes::Bytes::from(body);
        let (url, shown) = self.endpoint(path)?;
        let answer = self
            .exchange(call, &shown, || {
                self.inner
                    .http
                    .post(url.clone())
                    .header(reqwest::header::CONTENT_TYPE, content_type)
                    .body(body.clone())
            })
            .await?;
        if answer.status != 200 {
            return Err(http::error(
                shown,
                answer.status,
                &answer.body,
                answer.location.as_deref(),
            ));
        }
        Ok((answer.body, shown))
    }

    async fn call_json2<R: DeserializeOwned>(
        &self,
        model: &str,
        method: &str,
        args: Value,
        kwargs: Map<String, Value>,
    ) -> Result<R> {
        let call = format!("{model}.{method}");
        let body = crate::json2::named_args(model, method, args, kwargs)?;
        let body = serde_json::to_vec(&body).map_err(|e| Error::Encode(format!("{call}: {e}")))?;
        let body = bytes::Bytes::from(body);
        let path = crate::json2::path(model, method)?;
        let (url, shown) = self.endpoint(path.trim_start_matches('/'))?;
        let key = self.api_key()?;
        let http::Answer {
            status,
            body,
            location,
            ..
        } = self
            .exchange(&call, &shown, || {
                let request = self
                    .inner
                    .http
                    .post(url.clone())
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/json; charset=utf-8",
                    )
                    .header(
                        reqwest::header::AUTHORIZATION,
                        format!("bearer {}", key.expose()),
                    )
                    .body(body.clone());
                match &self.inner.database {
                    Some(db) => request.header("X-Odoo-Database", db),
                    None => request,
                }
            })
            .await?;
        match crate::json2::decode_response::<R>(status, &body, &call)? {
            crate::json2::Outcome::Success(r) => Ok(r),
            crate::json2::Outcome::Error(e) => Err(e),
            crate::json2::Outcome::NotJson2 => Err(self
                .json2_error(http::error(shown, status, &body, location.as_deref()))
                .await),
        }
    }

    /// `error`, answered where JSON-2 was asked for: a 404 page or a redirection from a server
    /// whose version (asked over JSON-RPC) is before Odoo 19 becomes an error saying that it has
    /// no JSON-2 (see [`refine::json2_absent`]). Any other error, or a version that cannot be read, leaves it as
    /// it was.
    async fn json2_error(&self, error: Error) -> Error {
        if !refine::json2_may_be_absent(&error) {
            return error;
        }
        match self.version_over(Transport::JsonRpc).await {
            Ok(version) => refine::json2_absent(error, &version),
            Err(_) => error,
        }
    }
}

/// Merges the default context under `kwargs["context"]` (per-call keys win). An empty result is
/// not sent; an explicit `null` is kept when there is no default.
fn merge_context(
    default: &Map<String, Value>,
    kwargs: &mut Map<String, Value>,
    call: &str,
) -> Result<()> {
    match kwargs.get_mut("context") {
        None => {
            if !default.is_empty() {
                kwargs.insert("context".into(), Value::Object(default.clone()));
            }
        }
        Some(Value::Null) => {
            if !default.is_empty() {
                kwargs.insert("context".into(), Value::Object(default.clone()));
            }
        }
        Some(Value::Object(per_call)) => {
            if !default.is_empty() {
                let mut merged = default.clone();
                merged.extend(std::mem::take(per_call));
                *per_call = merged;
            }
        }
        Some(other) => {
            return Err(Error::Encode(format!(
                "{call}: the context must be a map, got {}",
                json_kind(other)
            )));
        }
    }
    Ok(())
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// An id, or a list holding one id: what `create(values)` answers (JSON-2 answers with the new
/// recordset's ids). `T` is the id's type: `i64` here, `Id<M>` in the typed API.
pub(crate) struct OneId<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneId<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        use serde::de::IntoDeserializer;
        struct V<T>(std::marker::PhantomData<fn() -> T>);
        impl<'de, T: Deserialize<'de>> de::Visitor<'de> for V<T> {
            type Value = OneId<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a record id or a list holding one id")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<OneId<T>, E> {
                T::deserialize(v.into_deserializer()).map(OneId)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<OneId<T>, E> {
                T::deserialize(v.into_deserializer()).map(OneId)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<OneId<T>, E> {
                T::deserialize(v.into_deserializer()).map(OneId)
            }
            fn visit_seq<S: de::SeqAccess<'de>>(
                self,
                mut seq: S,
            ) -> std::result::Result<OneId<T>, S::Error> {
                let first: T = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(2, &self));
                }
                Ok(OneId(first))
            }
        }
        deserializer.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `[id, name]` from `name_search` (`name` may be `false`, read as empty).
struct NameHit(i64, StringOrFalse);

impl<'de> Deserialize<'de> for NameHit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let (id, name) = <(i64, StringOrFalse)>::deserialize(deserializer)?;
        Ok(NameHit(id, name))
    }
}

struct StringOrFalse(String);

impl<'de> Deserialize<'de> for StringOrFalse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = StringOrFalse;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or false")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<StringOrFalse, E> {
                Ok(StringOrFalse(v.to_owned()))
            }
            fn visit_string<E: de::Error>(
                self,
                v: String,
            ) -> std::result::Result<StringOrFalse, E> {
                Ok(StringOrFalse(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<StringOrFalse, E> {
                if v {
                    Err(E::invalid_value(de::Unexpected::Bool(true), &self))
                } else {
                    Ok(StringOrFalse(String::new()))
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn context_merge_rules() {
        let default = json!({"lang": "fr_FR", "tz": "Europe/Brussels"});
        let Value::Object(default) = default else {
            unreachable!()
        };
        let mut kwargs = Map::new();
        merge_context(&default, &mut kwargs, "m.x").unwrap();
        assert_eq!(
            kwargs["context"],
            json!({"lang": "fr_FR", "tz": "Europe/Brussels"})
        );
        let Value::Object(mut kwargs) = json!({"context": {"lang": "en_US", "active_test": false}})
        else {
            unreachable!()
        };
        merge_context(&default, &mut kwargs, "m.x").unwrap();
        assert_eq!(
            kwargs["context"],
            json!({"lang": "en_US", "tz": "Europe/Brussels", "active_test": false})
        );
        let mut kwargs = Map::new();
        merge_context(&Map::new(), &mut kwargs, "m.x").unwrap();
        assert!(kwargs.is_empty());
        let Value::Object(mut kwargs) = json!({"context": 3}) else {
            unreachable!()
        };
        assert!(merge_context(&default, &mut kwargs, "m.x").is_err());
    }

    #[test]
    fn version_major() {
        let v: Version = serde_json::from_str(
            r#"{"server_version": "18.0", "server_version_info": [18, 0, 0, "final", 0, ""], "server_serie": "18.0", "protocol_version": 1}"#,
        )
        .unwrap();
        assert_eq!(v.major(), Some(18));
        let v = Version {
            server_version: "saas~17.4".into(),
            server_version_info: vec![],
            server_serie: String::new(),
            protocol_version: 1,
        };
        assert_eq!(v.major(), Some(17));
    }

    #[test]
    fn futures_are_send() {
        fn send<T: Send>(_: &T) {}
        let client = Client::builder()
            .url("http://127.0.0.1:9")
            .password("p")
            .build()
            .unwrap();
        let args = serde_json::json!([[]]);
        send(&client);
        send(&client.execute_kw::<Value, _, _>("res.partner", "search", &args, &()));
        send(&client.search_read::<Value, _>(
            "res.partner",
            &args,
            &["name"],
            SearchOptions::new(),
        ));
        send(&client.authenticate());
        send(&client.version());
    }

    #[test]
    fn builder_checks() {
        assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
        let err = Client::builder().url("ftp://x").build().unwrap_err();
        assert!(err.to_string().contains("ftp"), "{err}");
        let err = Client::builder().url("localhost:8069").build().unwrap_err();
        assert!(
            err.to_string()
                .ends_with("did you mean http://localhost:8069?"),
            "{err}"
        );
        let err = Client::builder()
            .url("odoo.example.com")
            .build()
            .unwrap_err();
        assert!(
            err.to_string()
                .ends_with("did you mean http://odoo.example.com?"),
            "{err}"
        );
        let err = Client::builder()
            .url("http://h")
            .password("pw")
            .transport(Transport::Json2)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("API key"), "{err}");
        let c = Client::builder()
            .url("https://bob:topsecret@h.example/odoo")
            .password("pw-123456")
            .build()
            .unwrap();
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains("topsecret") && !dbg.contains("pw-123456"),
            "{dbg}"
        );
        assert_eq!(c.url(), "https://h.example/odoo/");
        assert_eq!("JSON2".parse::<Transport>().unwrap(), Transport::Json2);
        assert_eq!("xml-rpc".parse::<Transport>().unwrap(), Transport::XmlRpc);
    }
}
