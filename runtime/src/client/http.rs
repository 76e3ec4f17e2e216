//! HTTP plumbing shared by the transports: sending, timeouts, error texts, body snippets.

use std::time::Duration;

use crate::error::Error;

/// Sends a request and reads the whole body. Maps reqwest failures onto [`Error::Timeout`] and
/// [`Error::Transport`], naming `shown` (the endpoint without user info), never a secret.
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    shown: &str,
    timeout: Duration,
) -> Result<(u16, bytes::Bytes, Option<String>), Error> {
    let started = std::time::Instant::now();
    let response = request
        .send()
        .await
        .map_err(|e| map_error(e, shown, timeout, false))?;
    let status = response.status().as_u16();
    let location = response
        .status()
        .is_redirection()
        .then(|| response.headers().get(reqwest::header::LOCATION))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response
        .bytes()
        .await
        .map_err(|e| map_error(e, shown, timeout, true))?;
    tracing::debug!(
        url = shown,
        status,
        bytes = body.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "odoo answered"
    );
    Ok((status, body, location))
}

/// The error for an answer with a status that is not an RPC answer. A redirection is not followed
/// (a POST would come back as a GET); its target is named instead, since it usually means the
/// server URL should be the `https://` one.
pub(crate) fn error(shown: String, status: u16, body: &[u8], location: Option<&str>) -> Error {
    let snippet = match location {
        Some(target) => {
            let target = reqwest::Url::parse(target)
                .map(|u| shown_url(&u))
                .unwrap_or_else(|_| mask_unparsed(target));
            format!("redirected to {target}: use that server URL instead")
        }
        None => snippet(body),
    };
    Error::Http {
        url: shown,
        status,
        snippet,
    }
}

fn map_error(err: reqwest::Error, shown: &str, timeout: Duration, reading_body: bool) -> Error {
    if err.is_timeout() || chain_mentions_timeout(&err) {
        return Error::Timeout {
            url: shown.to_owned(),
            after: timeout,
        };
    }
    let mut message = String::new();
    if reading_body {
        message.push_str("connection lost while reading the response body");
    } else if err.is_connect() {
        message.push_str("cannot connect");
    } else if err.is_builder() {
        message.push_str("invalid request");
    } else {
        message.push_str("request failed");
    }
    let err = err.without_url();
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&err);
    let mut last = String::new();
    while let Some(s) = source {
        let text = s.to_string();
        if !text.is_empty() && text != last && !message.ends_with(&text) {
            message.push_str(": ");
            message.push_str(&text);
            last = text;
        }
        source = s.source();
    }
    Error::Transport {
        url: shown.to_owned(),
        message,
    }
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
