//! The network cases of `net_tls.rs`, `net_faults.rs` and `net_proxy.rs` against a REAL Odoo:
//! the same test-only TLS front, fault gateway and forward proxy, in front of the server named by
//! `ODOO_URL`, `ODOO_DB`, `ODOO_USER` and `ODOO_PASSWORD` (`ODOO_API_KEY` too, for the transport
//! test). Part of the live tier (`tests/live.rs`: `ODOO_LIVE=1`).
//!
//! The writes create partners named `net-test ...` and unlink them; a test that stops halfway may
//! leave one behind, which no test depends on.

use odoo_replay::live::{self as harness, LiveTest, Server};
use odoo_replay::net as net_support;

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use net_support::{Action, FaultProxy, ForwardProxy, Pki, Seen, TlsProxy, by_method, one_in_ten};
use odoo_runtime::client::{Client, ClientBuilder, RetryPolicy, SearchOptions, Transport};
use odoo_runtime::{CertificateProblem, Error, Reached};
use serde_json::{Value, json};

struct Live {
    url: String,
    db: String,
    user: String,
    password: String,
    api_key: Option<String>,
}

impl From<&Server> for Live {
    fn from(server: &Server) -> Live {
        Live {
            url: server.url.clone(),
            db: server.db.clone(),
            user: server.user.clone(),
            password: server.password().to_owned(),
            api_key: server.api_key().map(str::to_owned),
        }
    }
}

impl Live {
    /// The server's socket address (for the TLS front, which forwards bytes).
    fn addr(&self) -> SocketAddr {
        let url = reqwest::Url::parse(&self.url).unwrap();
        let host = url.host_str().unwrap();
        let port = url.port_or_known_default().unwrap();
        (host, port).to_socket_addrs().unwrap().next().unwrap()
    }

    /// A client of the server at `url` (the server itself, or a middleman in front of it), over
    /// JSON-RPC, with short retry waits.
    fn builder(&self, url: &str) -> ClientBuilder {
        Client::builder()
            .url(url)
            .database(&self.db)
            .login(&self.user)
            .password(self.password.as_str())
            .transport(Transport::JsonRpc)
            .timeout(Duration::from_secs(120))
            .no_proxy()
            .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(50)))
    }

    fn direct(&self) -> Client {
        self.builder(&self.url).build().unwrap()
    }
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("net-test {nanos}")
}

/// The ids of partners named `name`, asked directly (not through the middleman).
async fn partners_named(direct: &Client, name: &str) -> Vec<i64> {
    direct
        .search(
            "res.partner",
            &json!([["name", "=", name]]),
            SearchOptions::new(),
        )
        .await
        .unwrap()
}

async fn cleanup(direct: &Client, name: &str) {
    let ids = partners_named(direct, name).await;
    if !ids.is_empty() {
        direct.unlink("res.partner", &ids).await.unwrap();
    }
}

async fn companies(client: &Client) -> odoo_runtime::Result<i64> {
    client
        .search_count("res.partner", &json!([["is_company", "=", true]]))
        .await
}

async fn tls_front_with_a_private_ca(live: &Live) {
    let expected = companies(&live.direct()).await.unwrap();
    let pki = Pki::new();
    let front = TlsProxy::start(live.addr(), &pki.leaf(&["localhost"]));

    let err = companies(&live.builder(&front.url()).build().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Certificate {
                problem: CertificateProblem::UnknownIssuer,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(front.handshakes(), 0);

    let trusted = live
        .builder(&front.url())
        .ca_cert_pem(pki.ca_pem().as_bytes())
        .build()
        .unwrap();
    assert!(trusted.version().await.unwrap().major().is_some());
    assert!(trusted.authenticate().await.unwrap() > 0);
    assert_eq!(companies(&trusted).await.unwrap(), expected);

    // A name the certificate does not hold, and a certificate past its end.
    for (leaf, expect) in [
        (pki.leaf(&["odoo.internal"]), "name mismatch"),
        (pki.expired_leaf(&["localhost"]), "has expired"),
    ] {
        let front = TlsProxy::start(live.addr(), &leaf);
        let client = live
            .builder(&front.url())
            .ca_cert_pem(pki.ca_pem().as_bytes())
            .build()
            .unwrap();
        let err = companies(&client).await.unwrap_err();
        assert!(matches!(err, Error::Certificate { .. }), "{err:?}");
        assert!(err.to_string().contains(expect), "{err}");
    }
}

async fn gateway_503_then_429_then_through(live: &Live) {
    let direct = live.direct();
    let expected = companies(&direct).await.unwrap();
    let name = unique_name();
    let gateway = FaultProxy::start(
        &live.url,
        by_method(vec![
            (
                "search_count",
                vec![Action::gateway(503, None), Action::gateway(429, Some("1"))],
            ),
            ("create", vec![Action::gateway(503, Some("0"))]),
        ]),
    );
    let client = live.builder(&gateway.url()).build().unwrap();
    let started = Instant::now();
    assert_eq!(companies(&client).await.unwrap(), expected);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(gateway.seen_calls("search_count"), 3);

    let err = client
        .create("res.partner", &json!({"name": name}))
        .await
        .unwrap_err();
    assert_eq!(err.reached(), Some(Reached::ProbablyNot), "{err}");
    assert_eq!(gateway.seen_calls("create"), 1);
    // The real server confirms: it never ran.
    assert!(partners_named(&direct, &name).await.is_empty());
}

async fn gateway_losing_the_answer_of_a_create(live: &Live) {
    let direct = live.direct();
    let name = unique_name();
    let gateway = FaultProxy::start(
        &live.url,
        by_method(vec![(
            "create",
            vec![Action::ForwardThenAnswer {
                status: 502,
                body: "<html><body>502 Bad Gateway</body></html>".to_owned(),
            }],
        )]),
    );
    let client = live.builder(&gateway.url()).build().unwrap();
    let err = client
        .create("res.partner", &json!({"name": name}))
        .await
        .unwrap_err();
    assert_eq!(err.reached(), Some(Reached::Maybe), "{err}");
    assert_eq!(gateway.seen_calls("create"), 1, "not retried");
    // It did run: that is why the error says "check before repeating it".
    assert_eq!(partners_named(&direct, &name).await.len(), 1);
    cleanup(&direct, &name).await;
}

async fn connection_reset_mid_answer(live: &Live) {
    let direct = live.direct();
    let expected = companies(&direct).await.unwrap();
    let name = unique_name();
    let gateway = FaultProxy::start(
        &live.url,
        by_method(vec![
            ("search_count", vec![Action::CutAfter(20), Action::Reset]),
            ("create", vec![Action::CutAfter(20)]),
        ]),
    );
    let client = live.builder(&gateway.url()).build().unwrap();
    assert_eq!(companies(&client).await.unwrap(), expected);
    assert_eq!(gateway.seen_calls("search_count"), 3);

    let err = client
        .create("res.partner", &json!({"name": name}))
        .await
        .unwrap_err();
    assert_eq!(err.reached(), Some(Reached::Yes), "{err}");
    assert_eq!(gateway.seen_calls("create"), 1, "not retried");
    assert_eq!(partners_named(&direct, &name).await.len(), 1, "Odoo ran it");
    cleanup(&direct, &name).await;
}

async fn slow_gateway_times_out(live: &Live) {
    let gateway = FaultProxy::start(&live.url, |_: &Seen| Action::Delay(Duration::from_secs(3)));
    let client = live
        .builder(&gateway.url())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let err = companies(&client).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // The first request (the login, authenticate) timed out and was not retried.
    assert_eq!(gateway.seen().len(), 1);
    assert_eq!(gateway.seen_calls("authenticate"), 1);
}

/// What introspection reads (the models, then `fields_get` of each, 8 at a time), through a
/// gateway failing one request in ten: every answer equals the direct one.
async fn every_model_read_through_a_gateway_failing_one_call_in_ten(live: &Live) {
    let direct = live.direct();
    #[derive(serde::Deserialize)]
    struct Model {
        model: String,
    }
    let models: Vec<Model> = direct
        .search_read(
            "ir.model",
            &json!([]),
            &["model"],
            SearchOptions::new().order("model"),
        )
        .await
        .unwrap();
    let faults = vec![
        Action::gateway(503, Some("0")),
        Action::gateway(502, None),
        Action::Reset,
        Action::CutAfter(100),
    ];
    let failed = Arc::new(AtomicUsize::new(0));
    let gateway = FaultProxy::start(&live.url, one_in_ten(faults, Arc::clone(&failed)));
    let client = live.builder(&gateway.url()).build().unwrap();
    let attributes = ["type", "string", "required", "readonly", "relation"];
    let started = Instant::now();
    let through: Vec<(String, Value)> = futures::stream::iter(models.iter().map(|m| {
        let client = client.clone();
        let model = m.model.clone();
        async move {
            let fields: Value = client.fields_get(&model, &attributes).await.unwrap();
            (model, fields)
        }
    }))
    .buffer_unordered(8)
    .collect()
    .await;
    let elapsed = started.elapsed();
    assert_eq!(through.len(), models.len());
    for (model, fields) in through.iter().step_by(25) {
        let again: Value = direct.fields_get(model, &attributes).await.unwrap();
        assert_eq!(fields, &again, "{model}");
    }
    let failed = failed.load(Ordering::SeqCst);
    assert!(failed >= models.len() / 10, "{failed}");
    // One request per model, the login, and one more per failure.
    assert_eq!(gateway.seen().len(), models.len() + 1 + failed);
    eprintln!(
        "{} models, {} requests, {failed} failed by the gateway and retried, in {elapsed:?}",
        models.len(),
        gateway.seen().len()
    );
}

async fn forward_proxy(live: &Live) {
    let expected = companies(&live.direct()).await.unwrap();
    let proxy = ForwardProxy::start();
    let client = live.builder(&live.url).proxy(proxy.url()).build().unwrap();
    assert_eq!(companies(&client).await.unwrap(), expected);
    assert!(
        proxy.log().iter().all(|l| l.starts_with("POST http://")),
        "{:?}",
        proxy.log()
    );
    assert!(!proxy.log().is_empty());

    let pki = Pki::new();
    let front = TlsProxy::start(live.addr(), &pki.leaf(&["localhost"]));
    let client = live
        .builder(&front.url())
        .proxy(proxy.url())
        .ca_cert_pem(pki.ca_pem().as_bytes())
        .build()
        .unwrap();
    assert_eq!(companies(&client).await.unwrap(), expected);
    assert!(
        proxy
            .log()
            .iter()
            .any(|l| l.starts_with("CONNECT localhost:"))
    );

    let guarded = ForwardProxy::with_credentials("bob", "pw");
    let client = live
        .builder(&live.url)
        .proxy(guarded.url())
        .build()
        .unwrap();
    let err = companies(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Proxy {
                status: Some(407),
                ..
            }
        ),
        "{err:?}"
    );
}

async fn pacing(live: &Live) {
    let rate = 5.0;
    let client = live.builder(&live.url).max_rate(rate).build().unwrap();
    client.authenticate().await.unwrap();
    let n = 6;
    let started = Instant::now();
    let clone = client.clone();
    futures::future::join_all((0..n).map(|i| {
        let c = if i % 2 == 0 {
            client.clone()
        } else {
            clone.clone()
        };
        async move { companies(&c).await.unwrap() }
    }))
    .await;
    let floor = Duration::from_secs_f64((n - 1) as f64 / rate);
    assert!(started.elapsed() >= floor, "{:?}", started.elapsed());
}

/// The transport `auto` picks (JSON-2 on Odoo 19 with an API key, JSON-RPC before), through a
/// gateway: reads retried, a create refused and not retried.
async fn auto_transport_through_a_gateway(live: &Live) {
    let key = live.api_key.clone().expect("this test needs ODOO_API_KEY");
    let direct = live.direct();
    let expected = companies(&direct).await.unwrap();
    let name = unique_name();
    let gateway = FaultProxy::start(
        &live.url,
        by_method(vec![
            ("search_count", vec![Action::gateway(503, None)]),
            ("create", vec![Action::gateway(429, Some("0"))]),
        ]),
    );
    let client = live
        .builder(&gateway.url())
        .api_key(key.as_str())
        .transport(Transport::Auto)
        .build()
        .unwrap();
    let transport = client.transport().await.unwrap();
    assert_eq!(companies(&client).await.unwrap(), expected);
    assert_eq!(gateway.seen_calls("search_count"), 2);
    let err = client
        .create("res.partner", &json!({"name": name}))
        .await
        .unwrap_err();
    assert_eq!(err.reached(), Some(Reached::ProbablyNot), "{err}");
    assert!(partners_named(&direct, &name).await.is_empty());
    assert!(!format!("{err:?}").contains(&key));
    eprintln!("auto picked {transport}");
}

/// The network cases, for the live tier's `main`.
pub fn tests() -> Vec<LiveTest> {
    fn case<F, Fut>(name: &str, body: F) -> LiveTest
    where
        F: FnOnce(Live) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()>,
    {
        harness::test(format!("network_{name}"), move |server: &Server| {
            harness::block_on(body(Live::from(server)))
        })
    }
    vec![
        case("tls_front_with_a_private_ca", |live| async move {
            tls_front_with_a_private_ca(&live).await
        }),
        case("gateway_503_then_429_then_through", |live| async move {
            gateway_503_then_429_then_through(&live).await
        }),
        case("gateway_losing_the_answer_of_a_create", |live| async move {
            gateway_losing_the_answer_of_a_create(&live).await
        }),
        case("connection_reset_mid_answer", |live| async move {
            connection_reset_mid_answer(&live).await
        }),
        case("slow_gateway_times_out", |live| async move {
            slow_gateway_times_out(&live).await
        }),
        case(
            "every_model_read_through_a_gateway_failing_one_call_in_ten",
            |live| async move {
                every_model_read_through_a_gateway_failing_one_call_in_ten(&live).await
            },
        ),
        case(
            "forward_proxy",
            |live| async move { forward_proxy(&live).await },
        ),
        case("pacing", |live| async move { pacing(&live).await }),
        case("auto_transport_through_a_gateway", |live| async move {
            auto_transport_through_a_gateway(&live).await
        }),
    ]
}
