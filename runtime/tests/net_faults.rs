//! A busy Odoo.sh, offline: a gateway in front of the replay server that answers 503 and 429
//! (with `Retry-After`), loses answers (502, 504), resets connections or cuts answers, or is slow.
//! Reads are retried and succeed; writes are never retried and say whether they reached Odoo.

mod client_support;
use odoo_replay::net as net_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use client_support::testdata;
use futures::StreamExt as _;
use net_support::{
    Action, FaultProxy, LogCapture, Seen, by_method, count_companies, fast_retries, one_in_ten,
    recorded_admin as builder, replay_xmlrpc as replay,
};
use odoo_replay::{ReplayServer, Reply};
use odoo_runtime::client::{Client, READ_ONLY_METHODS, RetryPolicy, SearchOptions, Transport};
use odoo_runtime::{Error, Reached};
use serde_json::{Value, json};

/// The recorded `create({"name": "New Partner"})` (answers 77).
async fn create_partner(client: &Client) -> odoo_runtime::Result<i64> {
    client
        .create("res.partner", &json!({"name": "New Partner"}))
        .await
}

#[tokio::test(flavor = "current_thread")]
async fn reads_get_through_503_then_429_with_retry_after() {
    let server = replay();
    let gateway = FaultProxy::start(
        server.url(),
        by_method(vec![(
            "search_count",
            vec![Action::gateway(503, None), Action::gateway(429, Some("1"))],
        )]),
    );
    let client = builder(&gateway.url()).build().unwrap();
    let logs = LogCapture::new();
    let _guard = logs.install();
    let started = Instant::now();
    assert_eq!(count_companies(&client).await.unwrap(), 13);
    // Retry-After: 1 was honoured (a lower bound: it cannot fail on a slow machine).
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(gateway.seen_calls("search_count"), 3);
    assert_eq!(gateway.forwarded_calls("search_count"), 1);
    // Each retry is logged at info level with its reason.
    let text = logs.text();
    let retries: Vec<&str> = text.lines().filter(|l| l.contains("retrying in")).collect();
    assert_eq!(retries.len(), 2, "{text}");
    assert!(
        retries[0].contains("INFO") && retries[0].contains("HTTP 503"),
        "{text}"
    );
    assert!(
        retries[1].contains("HTTP 429") && retries[1].contains("Retry-After 1s"),
        "{text}"
    );
    assert!(retries[0].contains("res.partner.search_count"), "{text}");
    assert!(!text.contains("admin\""), "no secret in the logs: {text}");
}

#[tokio::test]
async fn a_create_turned_away_is_not_retried_and_most_likely_did_not_run() {
    for status in [503, 429] {
        let server = replay();
        let gateway = FaultProxy::start(server.url(), move |seen: &Seen| {
            match seen.odoo_method().as_deref() {
                Some("create") => Action::gateway(status, Some("0")),
                _ => Action::Pass,
            }
        });
        let client = builder(&gateway.url()).build().unwrap();
        let err = create_partner(&client).await.unwrap_err();
        let Error::NotRetried {
            call,
            reached,
            cause,
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(call, "res.partner.create");
        assert_eq!(*reached, Reached::ProbablyNot);
        assert!(
            matches!(**cause, Error::Http { status: s, .. } if s == status),
            "{cause:?}"
        );
        let text = err.to_string();
        assert!(
            text.starts_with("res.partner.create not retried (it may write)"),
            "{text}"
        );
        assert!(text.contains("most likely it did not run"), "{text}");
        assert!(text.contains(&format!("HTTP {status}")), "{text}");
        // Tried once, and indeed never passed on to the server.
        assert_eq!(gateway.seen_calls("create"), 1);
        assert_eq!(gateway.forwarded_calls("create"), 0);
        // Reads through the same gateway still work.
        assert_eq!(count_companies(&client).await.unwrap(), 13);
    }
}

#[tokio::test]
async fn a_create_whose_answer_the_gateway_lost_may_have_run() {
    for status in [502, 504] {
        let server = replay();
        let gateway = FaultProxy::start(
            server.url(),
            by_method(vec![(
                "create",
                vec![Action::ForwardThenAnswer {
                    status,
                    body: "<html><body>upstream went away</body></html>".to_owned(),
                }],
            )]),
        );
        let client = builder(&gateway.url()).build().unwrap();
        let err = create_partner(&client).await.unwrap_err();
        assert_eq!(err.reached(), Some(Reached::Maybe), "{err}");
        assert!(
            matches!(err.underlying(), Error::Http { status: s, .. } if *s == status),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("check before repeating it"),
            "{err}"
        );
        // It did reach the server: that is why the error cannot say it did not run.
        assert_eq!(gateway.seen_calls("create"), 1);
        assert_eq!(gateway.forwarded_calls("create"), 1);
        let created = server
            .requests()
            .iter()
            .filter(|r| r.text().contains("<string>create</string>"))
            .count();
        assert_eq!(created, 1);
    }
}

#[tokio::test]
async fn a_connection_reset_mid_answer_retries_a_read_but_not_a_write() {
    let server = replay();
    let gateway = FaultProxy::start(
        server.url(),
        by_method(vec![
            ("search_count", vec![Action::CutAfter(60)]),
            ("create", vec![Action::CutAfter(60)]),
        ]),
    );
    let client = builder(&gateway.url()).build().unwrap();
    assert_eq!(count_companies(&client).await.unwrap(), 13);
    assert_eq!(gateway.seen_calls("search_count"), 2);

    let err = create_partner(&client).await.unwrap_err();
    assert_eq!(err.reached(), Some(Reached::Yes), "{err}");
    let Error::Transport { message, .. } = err.underlying() else {
        panic!("{err:?}")
    };
    assert!(
        message.starts_with("connection lost while reading the response body"),
        "{message}"
    );
    assert!(
        err.to_string()
            .contains("Odoo ran it but the answer was lost"),
        "{err}"
    );
    assert_eq!(gateway.seen_calls("create"), 1);
}

#[tokio::test]
async fn a_connection_reset_before_the_answer() {
    let server = replay();
    let resets = || vec![Action::Reset, Action::ForwardThenReset];
    let gateway = FaultProxy::start(
        server.url(),
        by_method(vec![("search_count", resets()), ("create", resets())]),
    );
    let client = builder(&gateway.url()).build().unwrap();
    assert_eq!(count_companies(&client).await.unwrap(), 13);
    assert_eq!(gateway.seen_calls("search_count"), 3);

    // Whether the gateway dropped the connection before or after passing the call on, the client
    // cannot tell: both are "may have run".
    for forwarded in [0, 1] {
        let err = create_partner(&client).await.unwrap_err();
        assert_eq!(err.reached(), Some(Reached::Maybe), "{err}");
        let Error::Transport { message, .. } = err.underlying() else {
            panic!("{err:?}")
        };
        assert!(
            message.starts_with("connection lost before the answer"),
            "{message}"
        );
        assert_eq!(gateway.forwarded_calls("create"), forwarded);
    }
    assert_eq!(gateway.seen_calls("create"), 2);
}

#[tokio::test]
async fn a_slow_gateway_times_out() {
    let server = replay();
    let gateway = FaultProxy::start(server.url(), |_: &Seen| {
        Action::Delay(Duration::from_secs(3))
    });
    let client = builder(&gateway.url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = count_companies(&client).await.unwrap_err();
    let Error::Timeout { after, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*after, Duration::from_millis(300));
    // A timeout is not retried, even for a read: the call would likely run out of time again.
    assert_eq!(gateway.seen_calls("search_count"), 1);

    let err = create_partner(&client).await.unwrap_err();
    assert_eq!(err.reached(), Some(Reached::Maybe), "{err}");
    assert!(matches!(err.underlying(), Error::Timeout { .. }), "{err:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn retries_end_with_the_policy() {
    let server = replay();
    let gateway = FaultProxy::start(server.url(), |_: &Seen| Action::gateway(503, None));
    let client = builder(&gateway.url())
        .retry(fast_retries().max_tries(3))
        .build()
        .unwrap();
    let logs = LogCapture::new();
    let _guard = logs.install();
    let err = count_companies(&client).await.unwrap_err();
    // The last failure, as it is.
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(gateway.seen_calls("search_count"), 3);
    let text = logs.text();
    assert!(text.contains("giving up after 3 tries"), "{text}");

    // A Retry-After beyond the time budget ends the retries at once.
    let server = replay();
    let gateway = FaultProxy::start(server.url(), |_: &Seen| Action::gateway(503, Some("120")));
    let client = builder(&gateway.url())
        .retry(fast_retries().max_elapsed(Duration::from_secs(5)))
        .build()
        .unwrap();
    let err = count_companies(&client).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(gateway.seen_calls("search_count"), 1);

    // RetryPolicy::none(): one try.
    let client = builder(&gateway.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    count_companies(&client).await.unwrap_err();
    assert_eq!(gateway.seen_calls("search_count"), 2);

    // A method named read-only by the caller is retried too.
    let server = ReplayServer::builder()
        .route("/jsonrpc", |_| {
            Reply::json(200, &json!({"jsonrpc": "2.0", "id": 1, "result": 7}))
        })
        .start()
        .unwrap();
    let gateway = FaultProxy::start(
        server.url(),
        by_method(vec![("x_stats", vec![Action::gateway(503, None)])]),
    );
    let client = builder(&gateway.url())
        .transport(Transport::JsonRpc)
        .retry(fast_retries().read_only_method("x_stats"))
        .build()
        .unwrap();
    let n: i64 = client
        .execute_kw("res.partner", "x_stats", &json!([]), &())
        .await
        .unwrap();
    assert_eq!(n, 7);
    assert_eq!(gateway.seen_calls("x_stats"), 2);
}

/// Every recorded read, four rounds, eight at a time, through a gateway that fails one request
/// in ten (503, 502, a reset, a cut answer in turn): all succeed, with the recorded answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_complete_through_a_gateway_failing_one_call_in_ten() {
    let recordings = client_support::recordings("xmlrpc");
    let server = replay();
    let faults = vec![
        Action::gateway(503, None),
        Action::ForwardThenAnswer {
            status: 502,
            body: "bad gateway".to_owned(),
        },
        Action::Reset,
        Action::CutAfter(30),
    ];
    let failed = Arc::new(AtomicUsize::new(0));
    let gateway = FaultProxy::start(server.url(), one_in_ten(faults, Arc::clone(&failed)));
    let client = builder(&gateway.url()).build().unwrap();
    // Requests recorded once (a request recorded twice, as a read before and after a write, is
    // answered in recorded order: its answer depends on the order of the calls).
    let requests: Vec<Value> = recordings
        .exchanges()
        .iter()
        .filter_map(|e| e.decoded_request())
        .collect();
    let once = |r: &Value| requests.iter().filter(|other| *other == r).count() == 1;
    let reads: Vec<_> = recordings
        .exchanges()
        .iter()
        .filter_map(|exchange| {
            let decoded = exchange.decoded_request()?;
            // Small answers keep the test short (the 1 MB search_read of 200 partners takes a
            // tenth of a second to decode in a debug build).
            if !once(&decoded) || exchange.response().ok()?.len() > 100_000 {
                return None;
            }
            let params = decoded[1].as_array()?;
            if decoded[0] != "execute_kw" || params[1] != 2 || params[2] != "admin" {
                return None;
            }
            let call = client_support::execute_kw_params(params);
            let expected = exchange.expected().ok()??;
            (READ_ONLY_METHODS.contains(&call.method.as_str()) && expected.get("result").is_some())
                .then_some((exchange.name.clone(), call, expected["result"].clone()))
        })
        .collect();
    assert!(reads.len() >= 10, "{}", reads.len());
    let started = Instant::now();
    let jobs: Vec<_> = (0..4).flat_map(|_| reads.iter().cloned()).collect();
    let total = jobs.len();
    let outcomes = futures::stream::iter(jobs.into_iter().map(|(name, call, expected)| {
        let client = client.clone();
        async move {
            let got: Value = client
                .execute_kw(&call.model, &call.method, &call.args, &call.kwargs)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, got, expected)
        }
    }))
    .buffer_unordered(8)
    .collect::<Vec<_>>()
    .await;
    for (name, got, expected) in &outcomes {
        assert_eq!(got, expected, "{name}");
    }
    assert_eq!(outcomes.len(), total);
    let seen = gateway.seen().len();
    assert!(
        failed.load(Ordering::SeqCst) >= total / 10,
        "{} of {seen}",
        failed.load(Ordering::SeqCst)
    );
    assert_eq!(seen, total + failed.load(Ordering::SeqCst));
    eprintln!("{total} reads, {seen} requests, in {:?}", started.elapsed());
}

#[tokio::test]
async fn json_rpc_and_json2_are_retried_alike() {
    // JSON-RPC: the recorded search_read behind a 503.
    let server = ReplayServer::from_dir(testdata("jsonrpc")).unwrap();
    let gateway = FaultProxy::start(
        server.url(),
        by_method(vec![("search_read", vec![Action::gateway(503, None)])]),
    );
    let client = Client::builder()
        .url(gateway.url())
        .database("odoo18")
        .login("admin")
        .password("admin")
        .uid(2)
        .transport(Transport::JsonRpc)
        .retry(fast_retries())
        .no_proxy()
        .build()
        .unwrap();
    let rows: Vec<Value> = client
        .search_read(
            "res.partner",
            &json!([["is_company", "=", true]]),
            &["name", "country_id", "comment"],
            SearchOptions::new().limit(3),
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(gateway.seen_calls("search_read"), 2);

    // JSON-2: Odoo 19's routes, answered by a handler.
    let server = ReplayServer::builder()
        .route("/json/2/res.partner/search_count", |_| {
            odoo_replay::json2::ok(&json!(13))
        })
        .route("/json/2/res.partner/create", |_| {
            odoo_replay::json2::ok(&json!([78]))
        })
        .start()
        .unwrap();
    let gateway = FaultProxy::start(server.url(), |seen: &Seen| {
        if seen.index == 0 || seen.odoo_method().as_deref() == Some("create") {
            Action::gateway(503, None)
        } else {
            Action::Pass
        }
    });
    let client = Client::builder()
        .url(gateway.url())
        .database("odoo19")
        .api_key("0123456789abcdef0123456789abcdef01234567")
        .transport(Transport::Json2)
        .retry(fast_retries())
        .no_proxy()
        .build()
        .unwrap();
    assert_eq!(count_companies(&client).await.unwrap(), 13);
    assert_eq!(gateway.seen_calls("search_count"), 2);
    let err = create_partner(&client).await.unwrap_err();
    assert_eq!(err.reached(), Some(Reached::ProbablyNot), "{err}");
    assert_eq!(gateway.seen_calls("create"), 1);
    assert!(
        !format!("{err} {err:?}").contains("0123456789abcdef"),
        "{err:?}"
    );
}

#[tokio::test]
async fn max_rate_paces_the_client_and_its_clones() {
    let server = replay();
    let rate = 20.0;
    let client = builder(server.url()).max_rate(rate).build().unwrap();
    let clone = client.clone();
    let with_context = client.with_context(serde_json::Map::new());
    let n = 12;
    let started = Instant::now();
    let calls = (0..n).map(|i| {
        let c = match i % 3 {
            0 => client.clone(),
            1 => clone.clone(),
            _ => with_context.clone(),
        };
        async move { count_companies(&c).await.unwrap() }
    });
    let counts = futures::future::join_all(calls).await;
    let elapsed = started.elapsed();
    assert!(counts.iter().all(|&c| c == 13));
    assert_eq!(server.requests().len(), n);
    // n requests at `rate` per second take at least (n - 1) / rate seconds, however fast the
    // machine (a lower bound: it cannot fail for being slow).
    let floor = Duration::from_secs_f64((n - 1) as f64 / rate);
    assert!(elapsed >= floor, "{elapsed:?} < {floor:?}");
    // Without a limit, the same calls are not held back to that pace.
    let free = builder(server.url()).build().unwrap();
    let started = Instant::now();
    futures::future::join_all((0..n).map(|_| count_companies(&free))).await;
    let unpaced = started.elapsed();
    eprintln!("{n} calls: paced at {rate}/s {elapsed:?}, unpaced {unpaced:?}");

    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-300] {
        let err = builder(server.url()).max_rate(bad).build().unwrap_err();
        assert!(err.to_string().contains("max_rate"), "{err}");
    }
}
