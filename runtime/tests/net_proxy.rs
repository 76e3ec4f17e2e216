//! HTTP proxies: a forward proxy (absolute-form requests for `http://`, `CONNECT` tunnels for
//! `https://`) in front of the replay server, chosen by the builder or by `HTTPS_PROXY`,
//! `HTTP_PROXY` and `NO_PROXY`; a proxy's own refusals are reported as the proxy's.

use odoo_replay::net as net_support;

use net_support::{
    Action, FaultProxy, ForwardProxy, Pki, Seen, TlsProxy, count_companies,
    recorded_admin as builder, replay_xmlrpc as replay, run_child,
};
use odoo_runtime::client::{Client, Transport};
use odoo_runtime::{Error, Reached};
use serde_json::json;

const PROXY_PASSWORD: &str = "pr0xy-S3cret-never-shown";

fn assert_no_password(err: &Error, client: &Client) {
    let text = format!("{err} {err:?} {client:?}");
    assert!(
        !text.contains(PROXY_PASSWORD),
        "the proxy password leaked: {text}"
    );
}

#[tokio::test]
async fn an_http_server_through_a_forward_proxy() {
    let server = replay();
    let proxy = ForwardProxy::start();
    let client = builder(server.url()).proxy(proxy.url()).build().unwrap();
    assert_eq!(count_companies(&client).await.unwrap(), 13);
    assert_eq!(
        proxy.log(),
        vec![format!("POST {}/xmlrpc/2/object", server.url())]
    );
    assert!(format!("{client:?}").contains("ClientBuilder::proxy"));
}

#[tokio::test]
async fn an_https_server_through_a_connect_tunnel() {
    let server = replay();
    let pki = Pki::new();
    let front = TlsProxy::start(server.addr(), &pki.leaf(&["localhost"]));
    let proxy = ForwardProxy::start();
    let client = builder(&front.url())
        .proxy(proxy.url())
        .ca_cert_pem(pki.ca_pem().as_bytes())
        .build()
        .unwrap();
    assert_eq!(count_companies(&client).await.unwrap(), 13);
    assert_eq!(
        proxy.log(),
        vec![format!("CONNECT localhost:{}", front.port())]
    );
    // Through the tunnel, certificate errors stay the server's, not the proxy's.
    let refused = builder(&front.url()).proxy(proxy.url()).build().unwrap();
    let err = count_companies(&refused).await.unwrap_err();
    assert!(matches!(err, Error::Certificate { .. }), "{err:?}");
}

#[tokio::test]
async fn a_proxy_asking_for_credentials_is_reported_as_the_proxys() {
    let server = replay();
    let pki = Pki::new();
    let front = TlsProxy::start(server.addr(), &pki.leaf(&["localhost"]));
    let proxy = ForwardProxy::with_credentials("bob", PROXY_PASSWORD);
    let host_port = proxy.url().trim_start_matches("http://").to_owned();

    // Without credentials: an http:// server gets the proxy's 407 page, an https:// one a refused
    // CONNECT. Both are the proxy's errors, and neither is retried (search_count is a read).
    for url in [server.url().to_owned(), front.url()] {
        let client = builder(&url)
            .proxy(proxy.url())
            .ca_cert_pem(pki.ca_pem().as_bytes())
            .build()
            .unwrap();
        let refused_before = proxy.refused();
        let err = count_companies(&client).await.unwrap_err();
        let Error::Proxy {
            proxy: shown,
            status,
            message,
            ..
        } = &err
        else {
            panic!("{url}: {err:?}")
        };
        assert_eq!(*status, Some(407), "{url}");
        assert_eq!(
            shown,
            &format!("{} (from ClientBuilder::proxy)", proxy.url())
        );
        assert!(message.contains("asks for credentials"), "{message}");
        assert!(err.to_string().starts_with("proxy http://"), "{err}");
        assert_eq!(proxy.refused(), refused_before + 1, "{url}: not retried");

        // A write says it never reached Odoo.
        let err = client
            .create("res.partner", &json!({"name": "New Partner"}))
            .await
            .unwrap_err();
        assert_eq!(err.reached(), Some(Reached::No), "{err}");
        assert!(
            matches!(
                err.underlying(),
                Error::Proxy {
                    status: Some(407),
                    ..
                }
            ),
            "{err:?}"
        );
    }
    assert!(server.requests().is_empty());

    // The right credentials in the proxy URL: through, both ways.
    for url in [server.url().to_owned(), front.url()] {
        let client = builder(&url)
            .proxy(format!("http://bob:{PROXY_PASSWORD}@{host_port}"))
            .ca_cert_pem(pki.ca_pem().as_bytes())
            .build()
            .unwrap();
        assert_eq!(count_companies(&client).await.unwrap(), 13, "{url}");
        assert!(!format!("{client:?}").contains(PROXY_PASSWORD));
    }

    // Wrong credentials: refused, and the password is named nowhere.
    let client = builder(server.url())
        .proxy(format!("http://bob:{PROXY_PASSWORD}-old@{host_port}"))
        .build()
        .unwrap();
    let err = count_companies(&client).await.unwrap_err();
    let Error::Proxy { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("refused the credentials"), "{message}");
    assert_no_password(&err, &client);
}

#[tokio::test]
async fn an_unreachable_proxy_is_the_proxys() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let client = builder("http://odoo.invalid:8069")
        .proxy(format!("http://{closed}"))
        .build()
        .unwrap();
    let err = count_companies(&client).await.unwrap_err();
    let Error::Proxy {
        status, message, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, None);
    assert!(
        message.starts_with("cannot connect to the proxy"),
        "{message}"
    );
    assert!(message.contains("NO_PROXY"), "{message}");
}

#[tokio::test]
async fn a_proxy_refusing_the_tunnel_is_the_proxys() {
    // A proxy whose policy forbids the server: 403 to CONNECT, with its own HTML page.
    let upstream = replay();
    let proxy = FaultProxy::start(upstream.url(), |seen: &Seen| {
        assert_eq!(seen.method, "CONNECT");
        Action::gateway(403, None)
    });
    let client = builder("https://odoo.example.com")
        .proxy(proxy.url())
        .build()
        .unwrap();
    let err = count_companies(&client).await.unwrap_err();
    let Error::Proxy { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        message.contains("would not open a tunnel to odoo.example.com"),
        "{message}"
    );
    assert_eq!(proxy.seen().len(), 1, "not retried");
}

#[test]
fn proxy_settings_are_checked_at_build() {
    let err = builder("https://h")
        .proxy("socks5://p:1080")
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("socks5 proxies are not supported"),
        "{err}"
    );
    let err = builder("https://h")
        .proxy(format!("http://bob:{PROXY_PASSWORD}@ bad"))
        .build()
        .unwrap_err();
    assert!(!err.to_string().contains(PROXY_PASSWORD), "{err}");
    // no_proxy() wins over the environment (checked in the child below) and over nothing.
    builder("https://h").no_proxy().build().unwrap();
}

// ---- the environment, in a child process (the environment is the process's) --------------------

const CHILD_URL: &str = "NET_PROXY_CHILD_URL";
const CHILD_EXPECT: &str = "NET_PROXY_CHILD_EXPECT";

/// Run by [`proxy_variables_are_honoured`] in a child process: builds the client from the
/// environment (`Client::from_env()`, which also reads `ODOO_CA_CERT`) and checks what
/// `NET_PROXY_CHILD_EXPECT` says.
#[tokio::test]
#[ignore = "run by proxy_variables_are_honoured in a child process with proxy variables set"]
async fn child_with_proxy_variables() {
    let url = std::env::var(CHILD_URL).expect("NET_PROXY_CHILD_URL");
    let expect = std::env::var(CHILD_EXPECT).expect("NET_PROXY_CHILD_EXPECT");
    let from_env = || {
        Client::from_env()
            .url(&url)
            .database("odoo18")
            .login("admin")
            .password("admin")
            .uid(2)
            .transport(Transport::XmlRpc)
    };
    match expect.as_str() {
        "through" => {
            let client = from_env().build().unwrap();
            assert!(format!("{client:?}").contains("(from "), "{client:?}");
            assert_eq!(count_companies(&client).await.unwrap(), 13);
        }
        "direct" => {
            let client = from_env().build().unwrap();
            assert!(format!("{client:?}").contains("proxy: None"), "{client:?}");
            assert_eq!(count_companies(&client).await.unwrap(), 13);
            // no_proxy() ignores the variables whatever they say.
            let client = from_env().no_proxy().build().unwrap();
            assert_eq!(count_companies(&client).await.unwrap(), 13);
        }
        "bad-value" => {
            let err = from_env().build().unwrap_err();
            assert!(err.to_string().contains("HTTPS_PROXY="), "{err}");
            assert!(!err.to_string().contains(PROXY_PASSWORD), "{err}");
        }
        other => panic!("unknown expectation {other}"),
    }
}

#[test]
fn proxy_variables_are_honoured() {
    let server = replay();
    let pki = Pki::new();
    let front = TlsProxy::start(server.addr(), &pki.leaf(&["localhost"]));
    let proxy = ForwardProxy::start();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, pki.ca_pem()).unwrap();
    let (plain, tls, via) = (server.url().to_owned(), front.url(), proxy.url());

    // HTTP_PROXY for an http:// server.
    run_child(
        "child_with_proxy_variables",
        &[
            (CHILD_URL, &plain),
            (CHILD_EXPECT, "through"),
            ("HTTP_PROXY", &via),
        ],
    );
    assert_eq!(proxy.log().len(), 1);
    assert!(
        proxy.log()[0].starts_with("POST http://127.0.0.1:"),
        "{:?}",
        proxy.log()
    );
    // ... bypassed for a host NO_PROXY names (an address, a network, a name).
    for no_proxy in ["127.0.0.1", "127.0.0.0/8", "localhost,127.0.0.1"] {
        run_child(
            "child_with_proxy_variables",
            &[
                (CHILD_URL, &plain),
                (CHILD_EXPECT, "direct"),
                ("HTTP_PROXY", &via),
                ("NO_PROXY", no_proxy),
            ],
        );
    }
    assert_eq!(proxy.log().len(), 1);
    // HTTPS_PROXY for an https:// server (a CONNECT tunnel), the CA from ODOO_CA_CERT; HTTP_PROXY
    // alone does not apply to it.
    let ca_path = ca.to_str().unwrap();
    run_child(
        "child_with_proxy_variables",
        &[
            (CHILD_URL, &tls),
            (CHILD_EXPECT, "through"),
            ("HTTPS_PROXY", &via),
            ("ODOO_CA_CERT", ca_path),
        ],
    );
    assert_eq!(
        proxy.log()[1],
        format!("CONNECT localhost:{}", front.port())
    );
    run_child(
        "child_with_proxy_variables",
        &[
            (CHILD_URL, &tls),
            (CHILD_EXPECT, "direct"),
            ("HTTP_PROXY", &via),
            ("ODOO_CA_CERT", ca_path),
        ],
    );
    run_child(
        "child_with_proxy_variables",
        &[
            (CHILD_URL, &tls),
            (CHILD_EXPECT, "direct"),
            ("https_proxy", &via),
            ("no_proxy", "localhost"),
            ("ODOO_CA_CERT", ca_path),
        ],
    );
    assert_eq!(proxy.log().len(), 2);
    // A value that is not a proxy URL is an error naming the variable, not ignored.
    let bad = format!("http://bob:{PROXY_PASSWORD}@ no good");
    run_child(
        "child_with_proxy_variables",
        &[
            (CHILD_URL, &tls),
            (CHILD_EXPECT, "bad-value"),
            ("HTTPS_PROXY", &bad),
        ],
    );
}
