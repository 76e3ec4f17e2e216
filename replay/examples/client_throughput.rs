//! End-to-end client throughput, XML-RPC versus JSON-RPC, over loopback HTTP.
//!
//! Payloads, as the recorded Odoo 18.0 sent them over XML-RPC:
//! - `44-res.partner.search_read-200-all-fields`: every field of the 68 partners of the recorded
//!   database (7.5 MB, mostly base64 images);
//! - `75-ir.model.fields.search_read-all`: the introspection query, 9,774 dense records (21 MB).
//!
//! The JSON-RPC body is the same result (`.expected.json`, i.e. what Python decoded) wrapped as
//! Odoo's `/jsonrpc` answer. Each client call sends the request, reads the whole body and decodes
//! it into typed records; the best of N runs is printed per transport, then their ratio. Run with
//! `cargo run --release -p odoo-replay --example client_throughput [RUNS]`.

use std::time::{Duration, Instant};

use odoo_replay::{Recordings, ReplayServer, Reply};
use odoo_runtime::client::{Client, Transport};
use odoo_runtime::types::{Many2one, OrFalse, X2many};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Partner {
    id: i64,
    name: OrFalse<String>,
    email: OrFalse<String>,
    country_id: OrFalse<Many2one>,
    category_id: Option<X2many>,
    write_date: OrFalse<String>,
    image_128: OrFalse<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct FieldRow {
    id: i64,
    model: String,
    name: String,
    field_description: OrFalse<String>,
    help: OrFalse<String>,
    ttype: String,
    relation: OrFalse<String>,
    required: bool,
    readonly: bool,
    store: bool,
    model_id: OrFalse<Many2one>,
    selection_ids: Option<X2many>,
}

fn bench<T: DeserializeOwned>(
    recordings: &Recordings,
    name: &str,
    model: &str,
    kwargs: Value,
    runs: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let exchange = recordings.get(name).ok_or("recording missing")?;
    let xml = exchange.response()?;
    let expected = exchange.expected()?.ok_or("expected.json is missing")?;
    let records = expected["result"].as_array().map_or(0, Vec::len);
    let body = json!({"jsonrpc": "2.0", "id": 1, "result": expected["result"]}).to_string();
    let (xml_len, json_len) = (xml.len(), body.len());
    let server = ReplayServer::builder()
        .route("/xmlrpc/2/object", move |_| Reply::xml(xml.clone()))
        .route("/jsonrpc", move |_| {
            Reply::new(200, "application/json", body.clone())
        })
        .start()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    println!("{name} ({records} records):");
    let mut best = Vec::new();
    for transport in [Transport::XmlRpc, Transport::JsonRpc] {
        let client = Client::builder()
            .url(server.url())
            .database("odoo18")
            .uid(2)
            .password("admin")
            .transport(transport)
            .build()?;
        let mut fastest = Duration::MAX;
        for _ in 0..runs {
            let started = Instant::now();
            let rows: Vec<T> =
                runtime.block_on(client.execute_kw(model, "search_read", &json!([[]]), &kwargs))?;
            fastest = fastest.min(started.elapsed());
            assert_eq!(rows.len(), records);
        }
        let bytes = if transport == Transport::XmlRpc {
            xml_len
        } else {
            json_len
        };
        println!(
            "  {transport:>8}: {:>9.2} ms  {:>7.1} MB/s  {:>9.0} records/s  ({:.1} MB body, best of {runs})",
            fastest.as_secs_f64() * 1e3,
            bytes as f64 / 1e6 / fastest.as_secs_f64(),
            records as f64 / fastest.as_secs_f64(),
            bytes as f64 / 1e6,
        );
        best.push(fastest);
    }
    println!(
        "  JSON-RPC is {:.1}x faster end to end than XML-RPC ({:.1}x fewer bytes)",
        best[0].as_secs_f64() / best[1].as_secs_f64(),
        xml_len as f64 / json_len as f64
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(7);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/odoo-18.0/xmlrpc");
    let recordings = Recordings::load(dir)?;
    bench::<Partner>(
        &recordings,
        "44-res.partner.search_read-200-all-fields",
        "res.partner",
        json!({"limit": 200}),
        runs,
    )?;
    bench::<FieldRow>(
        &recordings,
        "75-ir.model.fields.search_read-all",
        "ir.model.fields",
        json!({}),
        runs,
    )?;
    Ok(())
}
