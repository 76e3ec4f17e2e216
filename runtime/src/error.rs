//! The runtime's one error enum.

use std::fmt;

/// Result with the runtime's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the runtime.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A response body could not be decoded into the requested type.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A request could not be encoded (e.g. a map key that is not a string).
    #[error("cannot encode request: {0}")]
    Encode(String),
    // ---- Client and server errors (issue 3, `client`). ----
    /// Bad credentials: Odoo's `AccessDenied` (XML-RPC fault 3, JSON-RPC
    /// `odoo.exceptions.AccessDenied`, JSON-2 401 / 403 `AccessDenied`), or `authenticate`
    /// answering `false`.
    #[error("access denied: {0}")]
    AccessDenied(Box<ServerError>),
    /// Odoo's `AccessError`: the user may not do this (XML-RPC fault 4, JSON-2 403).
    #[error("access error: {0}")]
    AccessError(Box<ServerError>),
    /// Odoo's `UserError` (XML-RPC fault 2, JSON-2 422). Over XML-RPC a `ValidationError` or a
    /// `MissingError` also arrives here: fault 2 does not tell them apart (see [`Error::is_user_error`]).
    #[error("user error: {0}")]
    UserError(Box<ServerError>),
    /// Odoo's `ValidationError` (a constraint failed), known from JSON-RPC / JSON-2 error names.
    #[error("validation error: {0}")]
    ValidationError(Box<ServerError>),
    /// Odoo's `MissingError` (record deleted or never existed), from JSON-RPC / JSON-2 error names.
    #[error("missing record: {0}")]
    MissingError(Box<ServerError>),
    /// The server does not serve the client's database: it does not exist, or the server's
    /// `dbfilter` leaves it out. Told from what the server answers (see the client's error table):
    /// over XML-RPC and JSON-RPC a `psycopg2.OperationalError` whose message is PostgreSQL's
    /// `database "<db>" does not exist` (in English: a server whose PostgreSQL speaks another
    /// language gives [`Error::Server`]), over JSON-2 Odoo's 404 page "No database is selected".
    #[error("unknown database: {0}")]
    UnknownDatabase(Box<ServerError>),
    /// Any other server-side exception (XML-RPC fault 1, other JSON-RPC names, JSON-2 statuses):
    /// class, message and traceback are in the payload.
    #[error("server error: {0}")]
    Server(Box<ServerError>),
    /// The server answered with an HTTP status and a body that is not an RPC answer (e.g. an HTML
    /// 502 page from a proxy). `snippet` is the start of the body, whitespace collapsed, or what
    /// the client knows the answer means: a redirection's target, or that JSON-2 was asked of a
    /// server before Odoo 19 (a 404 page or a redirection; the client asked the server its
    /// version).
    #[error("HTTP {status} from {url}: {snippet}")]
    Http {
        /// Endpoint called (user info removed).
        url: String,
        /// HTTP status code.
        status: u16,
        /// Start of the body (at most a few hundred characters), or what the answer means.
        snippet: String,
    },
    /// The request could not be sent or the response could not be read (connection refused, reset,
    /// DNS, a TLS handshake that failed for another reason than the certificate: see
    /// [`Error::Certificate`]). `message` starts with what is known of the request: `cannot
    /// connect` (never sent), `connection lost before the answer`, `connection lost while reading
    /// the response body`.
    #[error("cannot talk to {url}: {message}")]
    Transport {
        /// Endpoint called (user info removed).
        url: String,
        /// What went wrong.
        message: String,
    },
    /// No complete answer within the configured timeout.
    #[error("timed out after {}s waiting for {url}", after.as_secs_f64())]
    Timeout {
        /// Endpoint called (user info removed).
        url: String,
        /// The timeout that expired.
        after: std::time::Duration,
    },
    /// A 200 answer that is not what the protocol says (e.g. JSON-RPC without `result` or `error`
    /// when the body is not JSON at all, an XML-RPC body that is not a `methodResponse`).
    #[error("unexpected answer from {url}: {message}")]
    Protocol {
        /// Endpoint called (user info removed).
        url: String,
        /// What was wrong.
        message: String,
    },
    /// The client was misconfigured (missing URL or database, bad URL, API key needed...).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The server's TLS certificate was refused: signed by an authority this client does not
    /// trust, issued for another name, expired... The request was not sent. There is no setting
    /// that turns verification off: trust a company CA with
    /// [`ClientBuilder::ca_cert_file`](crate::client::ClientBuilder::ca_cert_file) (`ODOO_CA_CERT`)
    /// or `SSL_CERT_FILE`.
    #[error("cannot talk to {url}: {}", .problem.describe(.host))]
    Certificate {
        /// Endpoint called (user info removed).
        url: String,
        /// The host whose certificate was refused (the server's, as in the URL).
        host: String,
        /// What was wrong with it.
        problem: CertificateProblem,
    },
    /// The HTTP proxy in the way refused or failed the request: it cannot be reached, it asks for
    /// credentials (407), or it would not open a tunnel to the server (`CONNECT` refused). The
    /// answer is the proxy's, not Odoo's; the request did not reach the server.
    #[error("proxy {proxy} failed the request to {url}: {message}")]
    Proxy {
        /// The proxy (no credentials), with where it was configured, e.g.
        /// `http://proxy:3128 (from HTTPS_PROXY)`.
        proxy: String,
        /// Endpoint called (user info removed).
        url: String,
        /// The proxy's HTTP status, when it answered with one (407).
        status: Option<u16>,
        /// What went wrong, and what fixes it.
        message: String,
    },
    /// A call that is not in the retry policy's read-only list (`create`, `write`, `unlink`,
    /// `action_*`...) failed on the way to or from the server. Such calls are never retried
    /// automatically, since repeating one could apply it twice; `reached` says what is known about
    /// whether it ran. `cause` is the failure itself ([`Error::Http`], [`Error::Transport`],
    /// [`Error::Timeout`], [`Error::Proxy`], [`Error::Certificate`]); [`Error::underlying`] reaches
    /// it.
    #[error("{call} not retried (it may write): {reached}; {cause}")]
    NotRetried {
        /// The call, e.g. `res.partner.create`.
        call: String,
        /// Whether the request reached Odoo, as far as can be known.
        reached: Reached,
        /// The failure.
        cause: Box<Error>,
    },
}

/// Why a server certificate was refused (see [`Error::Certificate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificateProblem {
    /// Not signed by an authority in the built-in roots, the system's trust store, `SSL_CERT_FILE`
    /// or the client's `ca_cert`: typically a company CA (or a self-signed certificate).
    UnknownIssuer,
    /// Valid, but not for the host name of the URL.
    NameMismatch {
        /// The names the certificate holds, as rustls reports them (may be empty when unknown).
        presented: Vec<String>,
    },
    /// Past its end of validity.
    Expired {
        /// The end of validity (an HTTP date, e.g. `Tue, 01 Jan 2019 00:00:00 GMT`), when known.
        not_after: Option<String>,
    },
    /// Before its start of validity (often this machine's clock is wrong).
    NotYetValid {
        /// The start of validity (an HTTP date), when known.
        not_before: Option<String>,
    },
    /// Revoked by its issuer.
    Revoked,
    /// Anything else rustls refused (bad signature, unsupported algorithm, wrong purpose...).
    Other(String),
}

impl CertificateProblem {
    /// A sentence naming `host`, what failed and the setting that fixes it.
    pub fn describe(&self, host: &str) -> String {
        match self {
            CertificateProblem::UnknownIssuer => format!(
                "the TLS certificate of {host} is signed by an unknown issuer (not a certificate \
                 authority of the built-in roots or of this system's trust store); if the server \
                 uses a company CA, trust it with the ca_cert setting (ODOO_CA_CERT, a PEM file) \
                 or SSL_CERT_FILE"
            ),
            CertificateProblem::NameMismatch { presented } if presented.is_empty() => format!(
                "the TLS certificate of {host} does not match that name (name mismatch): use \
                 the host name the certificate was issued for in the server URL"
            ),
            CertificateProblem::NameMismatch { presented } => format!(
                "the TLS certificate of {host} does not match that name (name mismatch: it is \
                 for {}): use one of those names in the server URL",
                presented.join(", ")
            ),
            CertificateProblem::Expired { not_after } => format!(
                "the TLS certificate of {host} has expired{}: the server's certificate must be \
                 renewed (or this machine's clock is wrong)",
                not_after
                    .as_deref()
                    .map(|t| format!(" (valid until {t})"))
                    .unwrap_or_default()
            ),
            CertificateProblem::NotYetValid { not_before } => format!(
                "the TLS certificate of {host} is not valid yet{}: check this machine's clock",
                not_before
                    .as_deref()
                    .map(|t| format!(" (valid from {t})"))
                    .unwrap_or_default()
            ),
            CertificateProblem::Revoked => {
                format!("the TLS certificate of {host} has been revoked by its issuer")
            }
            CertificateProblem::Other(detail) => {
                format!("the TLS certificate of {host} was refused: {detail}")
            }
        }
    }
}

/// Whether a failed request reached Odoo, as far as the client can know (see
/// [`Error::NotRetried`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reached {
    /// The request was never sent (no connection, refused certificate, proxy refusal): it did not
    /// run, and repeating it is safe.
    No,
    /// A gateway or proxy answered 429 (too many requests) or 503 (unavailable). Odoo itself
    /// never answers an RPC call with those statuses, so the request was turned away in front of
    /// it and most likely did not run; HTTP cannot prove it.
    ProbablyNot,
    /// It may have reached Odoo and run: the connection broke before an answer, a gateway
    /// answered 502 or 504, or no answer came in time (Odoo may even still be running it).
    Maybe,
    /// Odoo answered (the status line came) but the rest of the answer was lost: the call ran,
    /// and whether it succeeded is unknown.
    Yes,
}

impl fmt::Display for Reached {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reached::No => "never sent, so it did not run",
            Reached::ProbablyNot => {
                "turned away in front of Odoo (429 or 503), so most likely it did not run"
            }
            Reached::Maybe => "it may have reached Odoo and run: check before repeating it",
            Reached::Yes => "Odoo ran it but the answer was lost: check before repeating it",
        })
    }
}

/// An exception raised by the Odoo server, as far as the transport tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    /// Python class of the exception, e.g. `odoo.exceptions.ValidationError`, `ValueError`,
    /// `psycopg2.OperationalError`. Over XML-RPC faults 2–4 the class is inferred from the code
    /// (`odoo.exceptions.UserError`, `odoo.exceptions.AccessDenied`, `odoo.exceptions.AccessError`).
    pub class: String,
    /// The exception message.
    pub message: String,
    /// The Python traceback when the server sent one.
    pub traceback: Option<String>,
    /// The call that failed, e.g. `res.partner.write` or `common.authenticate`.
    pub call: Option<String>,
    /// XML-RPC fault code, when the error came as a fault.
    pub fault_code: Option<i32>,
    /// HTTP status, when the transport gives one (JSON-2).
    pub http_status: Option<u16>,
}

impl ServerError {
    /// A new error with a class and a message.
    pub fn new(class: impl Into<String>, message: impl Into<String>) -> Self {
        ServerError {
            class: class.into(),
            message: message.into(),
            traceback: None,
            call: None,
            fault_code: None,
            http_status: None,
        }
    }

    /// The class without its module path (`ValidationError` for `odoo.exceptions.ValidationError`).
    pub fn short_class(&self) -> &str {
        self.class.rsplit('.').next().unwrap_or(&self.class)
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(call) = &self.call {
            write!(f, "{call}: ")?;
        }
        write!(f, "{}: {}", self.class, self.message)
    }
}

impl Error {
    /// The server exception behind this error, if it is one.
    pub fn server_error(&self) -> Option<&ServerError> {
        match self {
            Error::AccessDenied(e)
            | Error::AccessError(e)
            | Error::UserError(e)
            | Error::ValidationError(e)
            | Error::MissingError(e)
            | Error::UnknownDatabase(e)
            | Error::Server(e) => Some(e),
            _ => None,
        }
    }

    /// Whether Python would see this exception as a `UserError` (Odoo's `AccessDenied`,
    /// `AccessError`, `ValidationError` and `MissingError` all subclass it).
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::AccessDenied(_)
                | Error::AccessError(_)
                | Error::UserError(_)
                | Error::ValidationError(_)
                | Error::MissingError(_)
        )
    }

    /// Whether the error was raised by the server (as opposed to transport, decode or configuration
    /// problems).
    pub fn is_server_error(&self) -> bool {
        self.server_error().is_some()
    }

    /// The failure itself: the `cause` of an [`Error::NotRetried`], `self` otherwise. Sort errors
    /// by this (a `create` refused by a 503 gateway is an [`Error::Http`] underneath).
    pub fn underlying(&self) -> &Error {
        match self {
            Error::NotRetried { cause, .. } => cause.underlying(),
            other => other,
        }
    }

    /// For a call that was not retried ([`Error::NotRetried`]), whether it reached Odoo.
    pub fn reached(&self) -> Option<Reached> {
        match self {
            Error::NotRetried { reached, .. } => Some(*reached),
            _ => None,
        }
    }

    /// Replaces every occurrence of `secret` in the error's texts by `***` (an occurrence inside a
    /// longer word is kept: the password `admin` does not turn `administrator` into `***istrator`). The client calls this
    /// on every error it returns, so that a server or proxy echoing a password cannot leak it.
    pub fn redact(self, secret: &str) -> Error {
        if secret.is_empty() {
            return self;
        }
        // The secret as a server or proxy may echo it: raw, escaped for XML (ours and Python's
        // escape `&`, `<`, `>`; attributes add quotes) and escaped for JSON.
        let forms = secret_forms(secret);
        let scrub = |s: String| forms.iter().fold(s, |s, form| scrub_secret(s, form));
        let scrub_server = |mut e: Box<ServerError>| {
            e.message = scrub(std::mem::take(&mut e.message));
            e.class = scrub(std::mem::take(&mut e.class));
            e.traceback = e.traceback.take().map(scrub);
            e.call = e.call.take().map(scrub);
            e
        };
        match self {
            Error::Decode(mut d) => {
                d.message = scrub(d.message);
                d.path = scrub(d.path);
                Error::Decode(d)
            }
            Error::Encode(m) => Error::Encode(scrub(m)),
            Error::AccessDenied(e) => Error::AccessDenied(scrub_server(e)),
            Error::AccessError(e) => Error::AccessError(scrub_server(e)),
            Error::UserError(e) => Error::UserError(scrub_server(e)),
            Error::ValidationError(e) => Error::ValidationError(scrub_server(e)),
            Error::MissingError(e) => Error::MissingError(scrub_server(e)),
            Error::UnknownDatabase(e) => Error::UnknownDatabase(scrub_server(e)),
            Error::Server(e) => Error::Server(scrub_server(e)),
            Error::Http {
                url,
                status,
                snippet,
            } => Error::Http {
                url: scrub(url),
                status,
                snippet: scrub(snippet),
            },
            Error::Transport { url, message } => Error::Transport {
                url: scrub(url),
                message: scrub(message),
            },
            Error::Timeout { url, after } => Error::Timeout {
                url: scrub(url),
                after,
            },
            Error::Protocol { url, message } => Error::Protocol {
                url: scrub(url),
                message: scrub(message),
            },
            Error::Config(m) => Error::Config(scrub(m)),
            Error::Certificate { url, host, problem } => Error::Certificate {
                url: scrub(url),
                host: scrub(host),
                problem: match problem {
                    CertificateProblem::Other(detail) => CertificateProblem::Other(scrub(detail)),
                    other => other,
                },
            },
            Error::Proxy {
                proxy,
                url,
                status,
                message,
            } => Error::Proxy {
                proxy: scrub(proxy),
                url: scrub(url),
                status,
                message: scrub(message),
            },
            Error::NotRetried {
                call,
                reached,
                cause,
            } => Error::NotRetried {
                call: scrub(call),
                reached,
                cause: Box::new(cause.redact(secret)),
            },
        }
    }
}

/// A decoding failure: what was wrong, where in the value (path such as `[0].partner_id[1]`) and where
/// in the body (byte offset), plus the call it belongs to when known (`res.partner.read`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What was wrong, e.g. `expected an integer, found <string>`.
    pub message: String,
    /// Path of the value inside the decoded document, e.g. `[3].partner_id`. Empty at top level.
    pub path: String,
    /// Byte offset in the body where the error was detected, when known.
    pub offset: Option<u64>,
    /// The call being decoded, e.g. `res.partner.search_read`, when known.
    pub call: Option<String>,
}

impl DecodeError {
    /// A new error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
            path: String::new(),
            offset: None,
            call: None,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode ")?;
        if let Some(call) = &self.call {
            write!(f, "the response of {call}")?;
        } else {
            write!(f, "the response")?;
        }
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        if let Some(offset) = self.offset {
            write!(f, " (byte {offset})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DecodeError {}

impl serde::de::Error for DecodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DecodeError::new(msg.to_string())
    }
}

/// The spellings of `secret` an echoed request can hold, longest first, without repeats.
fn secret_forms(secret: &str) -> Vec<String> {
    let xml = secret
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let xml_quoted = xml.replace('"', "&quot;").replace('\'', "&apos;");
    let json = serde_json::to_string(secret)
        .map(|quoted| quoted[1..quoted.len() - 1].to_owned())
        .unwrap_or_else(|_| secret.to_owned());
    let mut forms = vec![secret.to_owned(), xml, xml_quoted, json];
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    forms.dedup();
    forms
}

/// `text` with each occurrence of `secret` that is not part of a longer word replaced by `***`.
fn scrub_secret(text: String, secret: &str) -> String {
    if !text.contains(secret) {
        return text;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let starts_word = secret.chars().next().is_some_and(word);
    let ends_word = secret.chars().last().is_some_and(word);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in text.match_indices(secret) {
        if at < last {
            continue;
        }
        let end = at + secret.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        let glued =
            (starts_word && before.is_some_and(word)) || (ends_word && after.is_some_and(word));
        if !glued {
            out.push_str(&text[last..at]);
            out.push_str("***");
            last = end;
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod redact_tests {
    use super::*;

    #[test]
    fn whole_occurrences_only() {
        let s = |t: &str, secret: &str| scrub_secret(t.to_owned(), secret);
        assert_eq!(
            s("Contact your administrator", "admin"),
            "Contact your administrator"
        );
        assert_eq!(s("password admin refused", "admin"), "password *** refused");
        assert_eq!(s("key=s3cr3t!&x=s3cr3t!", "s3cr3t!"), "key=***&x=***");
        assert_eq!(s("'hunter2'", "hunter2"), "'***'");
        let e = Error::Transport {
            url: "http://h".into(),
            message: "echo: hunter2".into(),
        }
        .redact("hunter2");
        assert_eq!(e.to_string(), "cannot talk to http://h: echo: ***");
    }

    /// A request body echoed back holds the secret escaped the way the transport wrote it.
    #[test]
    fn escaped_echoes_are_scrubbed() {
        let http = |snippet: &str| Error::Http {
            url: "http://h".into(),
            status: 400,
            snippet: snippet.into(),
        };
        for (secret, echoed) in [
            // XML-RPC: `&`, `<`, `>` escaped (as our encoder and Python's write them).
            ("p&ss<w0rd>", "<string>p&amp;ss&lt;w0rd&gt;</string>"),
            // In an attribute, quotes too.
            ("a\"b'c&", "value=\"a&quot;b&apos;c&amp;\""),
            // JSON-RPC / JSON-2: quotes and backslashes escaped.
            ("pa\"ss\\w0rd", r#"{"password": "pa\"ss\\w0rd"}"#),
            ("tab\there\u{1}", r#"["tab\there\u0001"]"#),
        ] {
            let text = http(echoed).redact(secret).to_string();
            assert!(text.contains("***"), "{secret:?}: {text}");
            for form in secret_forms(secret) {
                assert!(
                    !text.contains(&form),
                    "{secret:?} as {form:?} left in {text}"
                );
            }
        }
    }
}
