//! Which HTTP proxy, if any, stands between the client and its server.
//!
//! The client talks to one server, so the choice is made once, when the client is built: from
//! the builder ([`super::ClientBuilder::proxy`], [`super::ClientBuilder::no_proxy`]) or, by default,
//! from the environment as curl reads it:
//!
//! - `https_proxy` / `HTTPS_PROXY` for an `https://` server, `http_proxy` / `HTTP_PROXY` for an
//!   `http://` one, else `all_proxy` / `ALL_PROXY` (lower case first; `HTTP_PROXY` in upper case is
//!   ignored when `REQUEST_METHOD` is set, i.e. inside a CGI script, where a request header could
//!   set it);
//! - `no_proxy` / `NO_PROXY`: comma-separated host names (a name covers its subdomains, a leading
//!   dot is optional), IP addresses, CIDR networks, or `*` for every host, matched by hyper-util's
//!   matcher (the one reqwest uses);
//! - a proxy URL may carry credentials (`http://user:password@proxy:3128`): they are sent as
//!   `Proxy-Authorization: Basic` and never shown (errors and `Debug` name the proxy without them).
//!
//! A value that is not a usable proxy URL is a configuration error naming the variable, instead
//! of being silently ignored. SOCKS proxies are not supported.

use hyper_util::client::proxy::matcher::{Intercept, Matcher};

use super::http::mask_unparsed;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// What the builder was told about proxies.
#[derive(Debug, Clone, Default)]
pub(crate) enum ProxySetting {
    /// From the environment (the default).
    #[default]
    Env,
    /// Never a proxy.
    Direct,
    /// This proxy, whatever the environment says (the URL may hold credentials).
    Url(Secret),
}

/// The proxy a client goes through.
#[derive(Clone)]
pub(crate) struct Route {
    /// The proxy URL without credentials, e.g. `http://proxy:3128/`.
    pub(crate) uri: String,
    /// Where it was configured: `HTTPS_PROXY`, `ClientBuilder::proxy`...
    pub(crate) source: String,
    /// `Proxy-Authorization` value, when the URL had credentials.
    pub(crate) auth: Option<reqwest::header::HeaderValue>,
    /// The password of the proxy URL, scrubbed from errors like the Odoo secret.
    pub(crate) password: Option<Secret>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown())
    }
}

impl Route {
    /// `http://proxy:3128 (from HTTPS_PROXY)`.
    pub(crate) fn shown(&self) -> String {
        format!("{} (from {})", self.uri.trim_end_matches('/'), self.source)
    }

    /// The reqwest proxy for this route.
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::Proxy> {
        let proxy = reqwest::Proxy::all(&self.uri)
            .map_err(|e| Error::Config(format!("invalid proxy {} : {e}", self.shown())))?;
        Ok(match &self.auth {
            Some(auth) => proxy.custom_http_auth(auth.clone()),
            None => proxy,
        })
    }
}

/// The proxy for `target` under `setting`, reading variables through `env`.
pub(crate) fn route(
    setting: &ProxySetting,
    target: &reqwest::Url,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Route>> {
    let uri: http::Uri = target
        .as_str()
        .parse()
        .map_err(|e| Error::Config(format!("server URL {target}: {e}")))?;
    match setting {
        ProxySetting::Direct => Ok(None),
        ProxySetting::Url(url) => {
            let matcher = Matcher::builder().all(url.expose()).build();
            match matcher.intercept(&uri) {
                Some(found) => make_route(found, "ClientBuilder::proxy", url.expose()).map(Some),
                None => Err(Error::Config(format!(
                    "invalid proxy URL {} (expected http://host:port)",
                    mask_unparsed(url.expose())
                ))),
            }
        }
        ProxySetting::Env => {
            let https = target.scheme() == "https";
            let cgi = env("REQUEST_METHOD").is_some();
            let names: &[&str] = if https {
                &["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
            } else if cgi {
                &["http_proxy", "all_proxy", "ALL_PROXY"]
            } else {
                &["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
            };
            let Some((name, value)) = names.iter().find_map(|name| {
                env(name)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (*name, v.trim().to_owned()))
            }) else {
                return Ok(None);
            };
            let no_proxy = ["no_proxy", "NO_PROXY"]
                .iter()
                .find_map(|name| env(name))
                .unwrap_or_default();
            let matcher = Matcher::builder()
                .all(value.as_str())
                .no(no_proxy.as_str())
                .build();
            if let Some(found) = matcher.intercept(&uri) {
                return make_route(found, name, &value).map(Some);
            }
            // Either NO_PROXY covers the host, or the value is not a proxy URL.
            if Matcher::builder()
                .all(value.as_str())
                .build()
                .intercept(&uri)
                .is_some()
            {
                tracing::debug!(
                    host = target.host_str().unwrap_or_default(),
                    "NO_PROXY covers the server: no proxy"
                );
                return Ok(None);
            }
            Err(Error::Config(format!(
                "{name}={} is not a proxy URL (expected http://host:port, with user:password@ \
                 before the host if the proxy needs credentials)",
                mask_unparsed(&value)
            )))
        }
    }
}

fn make_route(found: Intercept, source: &str, raw: &str) -> Result<Route> {
    let uri = found.uri().to_string();
    let scheme = found.uri().scheme_str().unwrap_or_default();
    if !matches!(scheme, "http" | "https") {
        return Err(Error::Config(format!(
            "{source}: {scheme} proxies are not supported (only http:// and https:// proxies)"
        )));
    }
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("http://{raw}")
    };
    let password = reqwest::Url::parse(&with_scheme)
        .ok()
        .and_then(|u| u.password().map(str::to_owned))
        .map(|p| Secret::new(percent_encoding::percent_decode_str(&p).decode_utf8_lossy()));
    Ok(Route {
        uri,
        source: source.to_owned(),
        auth: found.basic_auth().cloned(),
        password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn pick(target: &str, vars: &[(&str, &str)]) -> Result<Option<Route>> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        route(
            &ProxySetting::Env,
            &reqwest::Url::parse(target).unwrap(),
            &|name| vars.get(name).cloned(),
        )
    }

    fn shown(target: &str, vars: &[(&str, &str)]) -> Option<String> {
        pick(target, vars).unwrap().map(|r| r.shown())
    }

    #[test]
    fn scheme_picks_the_variable() {
        let vars = [
            ("HTTPS_PROXY", "http://tls-proxy:3128"),
            ("HTTP_PROXY", "http://plain-proxy:8080"),
        ];
        assert_eq!(
            shown("https://odoo.example.com", &vars).as_deref(),
            Some("http://tls-proxy:3128 (from HTTPS_PROXY)")
        );
        assert_eq!(
            shown("http://odoo.example.com", &vars).as_deref(),
            Some("http://plain-proxy:8080 (from HTTP_PROXY)")
        );
        // Lower case first, as curl; ALL_PROXY as the fallback; no scheme means http://.
        assert_eq!(
            shown(
                "https://h",
                &[
                    ("https_proxy", "lower:1"),
                    ("HTTPS_PROXY", "http://upper:2")
                ]
            )
            .as_deref(),
            Some("http://lower:1 (from https_proxy)")
        );
        assert_eq!(
            shown("https://h", &[("ALL_PROXY", "http://all:3")]).as_deref(),
            Some("http://all:3 (from ALL_PROXY)")
        );
        assert_eq!(shown("https://h", &[("HTTP_PROXY", "http://p:1")]), None);
        assert_eq!(shown("https://h", &[]), None);
    }

    #[test]
    fn no_proxy_bypasses() {
        let with = |no: &str| {
            shown(
                "https://erp.corp.example:8069/odoo",
                &[("HTTPS_PROXY", "http://p:3128"), ("NO_PROXY", no)],
            )
        };
        assert_eq!(with("corp.example"), None, "a domain covers its subdomains");
        assert_eq!(with(".corp.example"), None, "a leading dot is optional");
        assert_eq!(with("localhost, erp.corp.example"), None);
        assert_eq!(with("*"), None);
        assert!(with("other.example").is_some());
        assert!(with("example.corp").is_some());
        let ip = |no: &str| {
            shown(
                "http://10.1.2.3:8069",
                &[("http_proxy", "http://p:3128"), ("no_proxy", no)],
            )
        };
        assert_eq!(ip("10.0.0.0/8"), None, "CIDR");
        assert_eq!(ip("10.1.2.3"), None);
        assert!(ip("10.1.2.4").is_some());
    }

    #[test]
    fn credentials_are_kept_out_of_sight() {
        let route = pick(
            "https://h",
            &[("HTTPS_PROXY", "http://bob:s%40cret-pw@proxy.local:3128")],
        )
        .unwrap()
        .unwrap();
        assert_eq!(route.shown(), "http://proxy.local:3128 (from HTTPS_PROXY)");
        assert!(!format!("{route:?}").contains("cret"));
        assert_eq!(route.password.as_ref().unwrap().expose(), "s@cret-pw");
        assert!(route.auth.is_some());
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = pick("https://h", &[("HTTPS_PROXY", "http://bob:pw@ bad host")]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("HTTPS_PROXY="), "{text}");
        assert!(!text.contains("pw@"), "{text}");
        let err = pick("https://h", &[("HTTPS_PROXY", "socks5://p:1080")]).unwrap_err();
        assert!(
            err.to_string().contains("socks5 proxies are not supported"),
            "{err}"
        );
        // Inside CGI, HTTP_PROXY may come from a request header: ignored (httpoxy).
        assert_eq!(
            shown(
                "http://h",
                &[("HTTP_PROXY", "http://evil:1"), ("REQUEST_METHOD", "GET")]
            ),
            None
        );
    }

    #[test]
    fn explicit_and_direct_settings() {
        let target = reqwest::Url::parse("https://h").unwrap();
        let env = |_: &str| Some("http://env-proxy:1".to_owned());
        assert!(
            route(&ProxySetting::Direct, &target, &env)
                .unwrap()
                .is_none()
        );
        let r = route(
            &ProxySetting::Url(Secret::new("http://mine:8080")),
            &target,
            &env,
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.shown(), "http://mine:8080 (from ClientBuilder::proxy)");
    }
}
