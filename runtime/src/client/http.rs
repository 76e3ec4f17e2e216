//! HTTP plumbing shared by the transports: sending, timeouts, error texts, body snippets, and
//! what a failure says about the request's fate.

use std::time::Duration;

use super::proxy::Route;
use crate::error::{Error, Reached};

/// What a request needs besides itself: how to name the endpoint, the timeout, the proxy in the
/// way and the server's host (for certificate errors).
pub(crate) struct Wire<'a> {
    /// The endpoint without user info.
    pub(crate) shown: &'a str,
    /// The client's timeout (for [`Error::Timeout`]).
    pub(crate) timeout: Duration,
    /// The proxy the request goes through.
    pub(crate) proxy: Option<&'a Route>,
    /// The server's host name.
    pub(crate) host: &'a str,
}

/// An HTTP answer, whatever its status.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: bytes::Bytes,
    /// `Location` of a redirection.
    pub(crate) location: Option<String>,
    /// `Retry-After`, parsed.
    pub(crate) retry_after: Option<Duration>,
    /// Whether the answer carries `Proxy-Authenticate` (a proxy asks for credentials).
    pub(crate) proxy_authenticate: bool,
}

/// A failed exchange: the error, whether the request reached the server, and whether a
/// read-only call may be retried after it.
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) reached: Reached,
    pub(crate) retryable: bool,
    pub(crate) retry_after: Option<Duration>,
}

/// Sends a request and reads the whole body. Maps reqwest failures onto [`Error::Timeout`],
/// [`Error::Certificate`], [`Error::Proxy`] and [`Error::Transport`], naming the endpoint (never a
/// secret), and tells what is known of the request's fate.
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    wire: &Wire<'_>,
) -> Result<Answer, Failure> {
    let started = std::time::Instant::now();
    let response = request
        .send()
        .await
        .map_err(|e| map_error(e, wire, false))?;
    let status = response.status().as_u16();
    let headers = response.headers();
    let location = response
        .status()
        .is_redirection()
        .then(|| headers.get(reqwest::header::LOCATION))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let retry_after = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(super::retry::parse_retry_after);
    let proxy_authenticate = headers.contains_key(reqwest::header::PROXY_AUTHENTICATE);
    let body = response
        .bytes()
        .await
        .map_err(|e| map_error(e, wire, true))?;
    tracing::debug!(
        url = wire.shown,
        status,
        bytes = body.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "odoo answered"
    );
    Ok(Answer {
        status,
        body,
        location,
        retry_after,
        proxy_authenticate,
    })
}

/// What the snippet of a redirection's error says after its target.
pub(crate) const REDIRECT_ADVICE: &str = ": use that server URL instead";

/// The error for an answer with a status that is not an RPC answer. A redirection is not followed
/// (a POST would come back as a GET); its target is named instead, since it usually means the
/// server URL should be the `https://` one.
pub(crate) fn error(shown: String, status: u16, body: &[u8], location: Option<&str>) -> Error {
    let snippet = match location {
        Some(target) => {
            let target = reqwest::Url::parse(target)
                .map(|u| shown_url(&u))
                .unwrap_or_else(|_| mask_unparsed(target));
            format!("redirected to {target}{REDIRECT_ADVICE}")
        }
        None => snippet(body),
    };
    Error::Http {
        url: shown,
        status,
        snippet,
    }
}

/// The failure an answer stands for before any transport looks at it: a transient status from a
/// gateway (429, 502, 503, 504: retryable), or a proxy asking for credentials (407). `None` for
/// every other answer.
pub(crate) fn failed_answer(answer: &Answer, wire: &Wire<'_>) -> Option<Failure> {
    if answer.status == 407 || answer.proxy_authenticate {
        return Some(Failure {
            error: proxy_auth_error(wire, Some(answer.status)),
            reached: Reached::No,
            retryable: false,
            retry_after: None,
        });
    }
    let reached = match answer.status {
        429 | 503 => Reached::ProbablyNot,
        502 | 504 => Reached::Maybe,
        _ => return None,
    };
    Some(Failure {
        error: error(wire.shown.to_owned(), answer.status, &answer.body, None),
        reached,
        retryable: true,
        retry_after: answer.retry_after,
    })
}

fn proxy_auth_error(wire: &Wire<'_>, status: Option<u16>) -> Error {
    let (proxy, message) = match wire.proxy {
        Some(route) if route.auth.is_some() => (
            route.shown(),
            format!(
                "the proxy refused the credentials of {} (407 Proxy Authentication Required)",
                route.source
            ),
        ),
        Some(route) => (
            route.shown(),
            format!(
                "the proxy asks for credentials (407 Proxy Authentication Required): put them in \
                 the proxy URL ({}), as http://user:password@host:port",
                route.source
            ),
        ),
        None => (
            "(not configured)".to_owned(),
            "a proxy on the way asks for credentials (407 Proxy Authentication Required): set \
             HTTPS_PROXY or HTTP_PROXY to http://user:password@host:port"
                .to_owned(),
        ),
    };
    Error::Proxy {
        proxy,
        url: wire.shown.to_owned(),
        status,
        message,
    }
}

fn map_error(err: reqwest::Error, wire: &Wire<'_>, reading_body: bool) -> Failure {
    let connecting = err.is_connect();
    let not_sent = |error| Failure {
        error,
        reached: Reached::No,
        retryable: false,
        retry_after: None,
    };
    if err.is_timeout() || chain_mentions_timeout(&err) {
        return Failure {
            error: Error::Timeout {
                url: wire.shown.to_owned(),
                after: wire.timeout,
            },
            reached: if connecting {
                Reached::No
            } else if reading_body {
                Reached::Yes
            } else {
                Reached::Maybe
            },
            retryable: false,
            retry_after: None,
        };
    }
    if let Some(problem) = super::tls::certificate_problem(&err) {
        return not_sent(Error::Certificate {
            url: wire.shown.to_owned(),
            host: wire.host.to_owned(),
            problem,
        });
    }
    let chain = chain_text(&err);
    if let Some(route) = wire.proxy
        && connecting
        && !super::tls::is_tls_failure(&err)
    {
        if chain.contains("tunnel error: proxy authorization required") {
            return not_sent(proxy_auth_error(wire, Some(407)));
        }
        let message = if chain.contains("tunnel error: unsuccessful") {
            format!(
                "the proxy would not open a tunnel to {} (it answered CONNECT with an error \
                 status: it may block that host or fail to reach it); if the server must be \
                 reached directly, add its host to NO_PROXY",
                wire.host
            )
        } else if chain.contains("tunnel error") {
            format!("the tunnel through the proxy failed: {chain}")
        } else {
            format!(
                "cannot connect to the proxy: {chain}; check {} (or add the server's host to \
                 NO_PROXY)",
                route.source
            )
        };
        return not_sent(Error::Proxy {
            proxy: route.shown(),
            url: wire.shown.to_owned(),
            status: None,
            message,
        });
    }
    let (prefix, reached, retryable) = if reading_body {
        (
            "connection lost while reading the response body",
            Reached::Yes,
            true,
        )
    } else if connecting {
        ("cannot connect", Reached::No, false)
    } else if err.is_builder() {
        ("invalid request", Reached::No, false)
    } else {
        ("connection lost before the answer", Reached::Maybe, true)
    };
    let mut message = prefix.to_owned();
    if !chain.is_empty() && !prefix.ends_with(&chain) {
        message.push_str(": ");
        message.push_str(&chain);
    }
    Failure {
        error: Error::Transport {
            url: wire.shown.to_owned(),
            message,
        },
        reached,
        retryable,
        retry_after: None,
    }
}

/// The texts of the error's sources, joined by `: ` (repeats dropped; the URL left out).
fn chain_text(err: &reqwest::Error) -> String {
    let mut message = String::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(err);
    let mut last = String::new();
    while let Some(s) = source {
        let text = s.to_string();
        if !text.is_empty() && text != last && !message.ends_with(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
            last = text;
        }
        source = s.source();
    }
    message
}

fn chain_mentions_timeout(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(err);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            return true;
        }
        source = s.source();
    }
    false
}

/// The start of a body that is not an RPC answer, for error messages: HTML tags removed (the
/// `<title>` kept), whitespace collapsed, at most 200 characters.
pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX: usize = 200;
    let head = &body[..body.len().min(8192)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    let mut in_tag = false;
    let mut skipping = false; // inside <script> or <style>
    let lower = text.to_ascii_lowercase();
    for (i, c) in text.char_indices() {
        if in_tag {
            if c == '>' {
                in_tag = false;
                out.push(' ');
            }
            continue;
        }
        if c == '<' {
            let rest = &lower[i..];
            if rest.starts_with("<script") || rest.starts_with("<style") {
                skipping = true;
            } else if rest.starts_with("</script") || rest.starts_with("</style") {
                skipping = false;
            }
            in_tag = true;
            continue;
        }
        if skipping {
            continue;
        }
        out.push(c);
    }
    let mut collapsed = String::new();
    for word in out.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
        if collapsed.chars().count() > MAX {
            break;
        }
    }
    if collapsed.is_empty() {
        return if body.is_empty() {
            "(empty body)".to_owned()
        } else {
            "(no text in the body)".to_owned()
        };
    }
    if collapsed.chars().count() > MAX || body.len() > head.len() {
        let cut: String = collapsed.chars().take(MAX).collect();
        return format!("{cut}…");
    }
    collapsed
}

/// `url` without user info (`https://user:pass@host` → `https://host`), for errors and `Debug`.
pub(crate) fn shown_url(url: &reqwest::Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

/// A URL that failed to parse, with anything that looks like user info masked.
pub(crate) fn mask_unparsed(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_of_an_html_page() {
        let page = b"<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
        assert_eq!(snippet(page), "502 Bad Gateway 502 Bad Gateway nginx");
        assert_eq!(snippet(b""), "(empty body)");
        let long = "x ".repeat(500);
        assert!(snippet(long.as_bytes()).ends_with('…'));
    }

    #[test]
    fn user_info_is_hidden() {
        let url = reqwest::Url::parse("https://bob:pw@example.com/odoo?token=1").unwrap();
        assert_eq!(shown_url(&url), "https://example.com/odoo");
        assert_eq!(mask_unparsed("ht tp://bob:pw@x"), "ht tp://***@x");
    }
}
