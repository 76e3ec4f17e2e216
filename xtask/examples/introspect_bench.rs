//! Live benchmark: `xtask introspect` against the loop every peer runs, side by side on the same
//! server in one run.
//!
//! ```sh
//! ODOO_URL=... ODOO_DB=... ODOO_USER=... ODOO_PASSWORD=... [ODOO_API_KEY=...] \
//!     cargo run --release -p xtask --example introspect_bench [-- ROUNDS]
//! ```
//!
//! Each round runs, in an order that rotates from round to round, as separate processes (start
//! included): `xtask introspect` with the transport `auto` picks (JSON-2 on Odoo 19 with an API
//! key, JSON-RPC otherwise) and over XML-RPC, and the Python loop (`ir.model` `search_read`, then
//! `fields_get()` of each model, one after the other, as OdooRPC, Odooly or a hand-written script
//! do) over XML-RPC (`xmlrpc.client`) and over JSON-RPC (`urllib` + `json`). It prints the median
//! of each, the ratios (goal: introspect ≤ 0.2× the Python loop), then one more introspection with
//! its requests one by one (start, time the server took, answer) and where the time went.

mod bench_support;

use bench_support::{Settings, machine, median, python, timed, write, xtask_binary};

/// The Python loop; argument `xmlrpc` or `jsonrpc`. Prints a JSON summary.
const PYTHON_LOOP: &str = r#"
import json, os, sys, time, urllib.request, xmlrpc.client
url = os.environ["ODOO_URL"].rstrip("/")
db, user, secret = os.environ["ODOO_DB"], os.environ["ODOO_USER"], os.environ["ODOO_PASSWORD"]
if sys.argv[1] == "xmlrpc":
    common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
    objects = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)
    def login():
        return common.authenticate(db, user, secret, {})
    def kw(model, method, args, kwargs):
        return objects.execute_kw(db, uid, secret, model, method, args, kwargs)
else:
    def rpc(service, method, args):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                           "params": {"service": service, "method": method, "args": args}})
        request = urllib.request.Request(url + "/jsonrpc", body.encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            answer = json.load(response)
        if "error" in answer:
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer.get("result")
    def login():
        return rpc("common", "authenticate", [db, user, secret, {}])
    def kw(model, method, args, kwargs):
        return rpc("object", "execute_kw", [db, uid, secret, model, method, args, kwargs])
started = time.perf_counter()
uid = login()
models = kw("ir.model", "search_read", [[]], {"fields": ["model"]})
schema, failed, times = {}, [], []
for row in models:
    t = time.perf_counter()
    try:
        schema[row["model"]] = kw(row["model"], "fields_get", [], {})
    except Exception as e:
        failed.append(row["model"])
    times.append((time.perf_counter() - t, row["model"]))
times.sort(reverse=True)
print(json.dumps({"models": len(models), "fields": sum(len(f) for f in schema.values()),
                  "failed": failed, "requests": 2 + len(models),
                  "fields_get_s": sum(t for t, _ in times),
                  "slowest": [[m, round(t * 1000)] for t, m in times[:5]]}))
"#;

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map(|r| r.parse().expect("ROUNDS is a number"))
        .unwrap_or(3);
    let settings = Settings::from_env("introspect_bench");
    let python = python();
    let xtask = xtask_binary();
    let tmp = tempfile::tempdir().unwrap();
    let script = write(tmp.path(), "loop.py", PYTHON_LOOP);
    let version = std::process::Command::new(&xtask)
        .args(["--version"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    println!(
        "introspect_bench: {} (database {}), {rounds} rounds, {}; {version}",
        settings.url,
        settings.db,
        machine()
    );

    let names = [
        "xtask introspect (auto)",
        "xtask introspect (xmlrpc)",
        "python loop (xmlrpc)",
        "python loop (jsonrpc)",
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let mut python_summary = vec![String::new(); 2];
    for round in 0..rounds {
        for k in 0..names.len() {
            let which = (k + round) % names.len();
            let out = tmp.path().join(format!("snapshot-{which}"));
            let cmd = match which {
                0 | 1 => {
                    let mut cmd = settings.command(&xtask, true);
                    cmd.args(["introspect", "--quiet", "--out"]).arg(&out);
                    cmd.env("ODOO_TRANSPORT", if which == 0 { "auto" } else { "xmlrpc" });
                    cmd
                }
                _ => {
                    let mut cmd = settings.command(python, false);
                    cmd.arg(&script)
                        .arg(if which == 2 { "xmlrpc" } else { "jsonrpc" });
                    cmd
                }
            };
            let (elapsed, output) = timed(cmd, names[which]);
            times[which].push(elapsed.as_secs_f64());
            if which >= 2 {
                python_summary[which - 2] =
                    String::from_utf8_lossy(&output.stdout).trim().to_owned();
            }
            println!(
                "  round {}: {:<28} {:>7.2} s",
                round + 1,
                names[which],
                elapsed.as_secs_f64()
            );
        }
    }
    let auto_snapshot = odoo_replay::fixtures::read_tree(&tmp.path().join("snapshot-0")).unwrap();
    let xml_snapshot = odoo_replay::fixtures::read_tree(&tmp.path().join("snapshot-1")).unwrap();
    println!(
        "\nsnapshots: {} files; auto and xmlrpc wrote {}",
        auto_snapshot.len(),
        if auto_snapshot == xml_snapshot {
            "the same bytes"
        } else {
            "DIFFERENT bytes"
        }
    );
    for (name, summary) in names[2..].iter().zip(&python_summary) {
        println!("{name}: {summary}");
    }
    let medians: Vec<f64> = times.iter().map(|t| median(t)).collect();
    println!("\nmedian of {rounds} (process start included):");
    for (name, m) in names.iter().zip(&medians) {
        println!("  {name:<28} {m:>7.2} s");
    }
    println!("ratios (goal ≤ 0.20):");
    for (ours, theirs) in [(0, 2), (0, 3), (1, 2)] {
        println!(
            "  {} / {}: {:.3}",
            names[ours],
            names[theirs],
            medians[ours] / medians[theirs]
        );
    }

    // Request by request: one more introspection with the CLI's per-request log.
    let mut cmd = settings.command(&xtask, true);
    cmd.args(["introspect", "--out"])
        .arg(tmp.path().join("snapshot-logged"))
        .env(
            "RUST_LOG",
            "odoo_codegen_cli::introspect=debug,odoo_runtime=debug",
        )
        .env("NO_COLOR", "1");
    let (elapsed, output) = timed(cmd, "xtask introspect (logged)");
    let log = String::from_utf8_lossy(&output.stderr);
    report_requests(&log, elapsed.as_secs_f64());
}

/// One logged request: what, when it started (ms after the first), how long it took.
struct Request {
    what: String,
    start_ms: u64,
    elapsed_ms: u64,
}

fn field(line: &str, name: &str) -> Option<u64> {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
}

fn report_requests(log: &str, wall: f64) {
    let requests: Vec<Request> = log
        .lines()
        .filter_map(|line| {
            let at = line.find("request ")?;
            let what = line[at + "request ".len()..]
                .split(" start_ms=")
                .next()?
                .to_owned();
            Some(Request {
                what,
                start_ms: field(line, "start_ms")?,
                elapsed_ms: field(line, "elapsed_ms")?,
            })
        })
        .collect();
    let http = log.lines().filter(|l| l.contains("odoo answered")).count();
    println!(
        "\none introspection, request by request ({http} HTTP requests in all: the {} below, and \
         the version and login before them):",
        requests.len()
    );
    println!("  {:>6} {:>7}  request: answer", "start", "server");
    for r in &requests {
        println!("  {:>4}ms {:>5}ms  {}", r.start_ms, r.elapsed_ms, r.what);
    }
    // The reflection probes are the fields_get calls before the first bulk read.
    let first_bulk = requests
        .iter()
        .filter(|r| r.what.contains("search_read"))
        .map(|r| r.start_ms)
        .min()
        .unwrap_or(u64::MAX);
    let kind = |r: &Request| {
        if r.what.contains("search_read") {
            "bulk search_read"
        } else if r.start_ms < first_bulk {
            "reflection probes"
        } else {
            "fields_get"
        }
    };
    let last_end = requests
        .iter()
        .map(|r| r.start_ms + r.elapsed_ms)
        .max()
        .unwrap_or(0);
    println!(
        "where the time went ({wall:.2} s for the process, {last_end} ms from the first logged request to the last answer):"
    );
    for label in ["reflection probes", "bulk search_read", "fields_get"] {
        let chosen: Vec<&Request> = requests.iter().filter(|r| kind(r) == label).collect();
        if chosen.is_empty() {
            continue;
        }
        let sum: u64 = chosen.iter().map(|r| r.elapsed_ms).sum();
        let first = chosen.iter().map(|r| r.start_ms).min().unwrap_or(0);
        let end = chosen
            .iter()
            .map(|r| r.start_ms + r.elapsed_ms)
            .max()
            .unwrap_or(0);
        let slowest = chosen.iter().max_by_key(|r| r.elapsed_ms).unwrap();
        println!(
            "  {label:<18} {:>3} requests, server time {sum:>6} ms in all, from {first} to {end} ms \
             (span {} ms, {:.1} in flight on average); slowest {} ms: {}",
            chosen.len(),
            end - first,
            sum as f64 / (end - first).max(1) as f64,
            slowest.elapsed_ms,
            slowest.what
        );
    }
}
