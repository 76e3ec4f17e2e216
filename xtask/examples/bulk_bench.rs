//! Live benchmark: one bulk `search_read` of every `ir.model.fields` row (every field) over
//! JSON-RPC, authentication included, three ways side by side on the same server in one run:
//!
//! - this repository's client (`odoo_runtime::client::Client`, the rows decoded into
//!   `odoo_runtime::Value`), run as a process of its own (this program, `--child`);
//! - Python (`urllib` + `json`), the rows decoded by `json.loads`;
//! - the floor: `curl` sending the same two HTTP requests (`common.authenticate`, then
//!   `execute_kw`) on one connection and discarding the answers.
//!
//! ```sh
//! ODOO_URL=... ODOO_DB=... ODOO_USER=... ODOO_PASSWORD=... \
//!     cargo run --release -p xtask --example bulk_bench [-- ROUNDS]
//! ```
//!
//! Process start is included for all three. Rounds rotate the order. It prints the median of each
//! and the ratios to the floor (goal: ours ≤ 1.05×).

mod bench_support;

use std::process::Command;

use bench_support::{Settings, machine, median, python, timed, write};
use serde_json::json;

const MODEL: &str = "ir.model.fields";

const PYTHON: &str = r#"
import json, os, urllib.request
url = os.environ["ODOO_URL"].rstrip("/") + "/jsonrpc"
db, user, secret = os.environ["ODOO_DB"], os.environ["ODOO_USER"], os.environ["ODOO_PASSWORD"]
def rpc(service, method, args):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                       "params": {"service": service, "method": method, "args": args}}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        answer = json.loads(response.read())
    if "error" in answer:
        raise RuntimeError(answer["error"]["data"]["message"])
    return answer["result"]
uid = rpc("common", "authenticate", [db, user, secret, {}])
rows = rpc("object", "execute_kw", [db, uid, secret, "ir.model.fields", "search_read", [[]], {}])
print(len(rows))
"#;

/// The runtime client over JSON-RPC, logging in with the password.
fn json_rpc_client(settings: &Settings) -> odoo_runtime::client::Client {
    odoo_runtime::client::Client::builder()
        .url(&settings.url)
        .database(&settings.db)
        .login(&settings.user)
        .password(settings.password.clone())
        .transport(odoo_runtime::client::Transport::JsonRpc)
        .build()
        .unwrap()
}

/// The child: log in and read every row with the runtime client; prints the row count.
fn child() {
    let settings = Settings::from_env("bulk_bench --child");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let rows = runtime.block_on(async {
        let client = json_rpc_client(&settings);
        client.authenticate().await.unwrap();
        let rows: Vec<odoo_runtime::Value> = client
            .search_read(
                MODEL,
                &json!([]),
                &[],
                odoo_runtime::client::SearchOptions::new(),
            )
            .await
            .unwrap();
        rows
    });
    println!("{}", rows.len());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        child();
        return;
    }
    let rounds: usize = args
        .get(1)
        .map(|r| r.parse().expect("ROUNDS is a number"))
        .unwrap_or(5);
    let settings = Settings::from_env("bulk_bench");
    let python = python();
    let tmp = tempfile::tempdir().unwrap();
    let script = write(tmp.path(), "bulk.py", PYTHON);

    // The floor's request bodies: the same calls our client sends (uid asked once here).
    let uid = {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime
            .block_on(json_rpc_client(&settings).authenticate())
            .unwrap()
    };
    let call = |service: &str, method: &str, args: serde_json::Value| {
        json!({"jsonrpc": "2.0", "method": "call", "id": 1,
               "params": {"service": service, "method": method, "args": args}})
        .to_string()
    };
    let (db, user, pw) = (&settings.db, &settings.user, &settings.password);
    // The bodies hold the password: files readable by this user only, gone with `tmp`.
    let secret_file = |name: &str, text: String| {
        let path = write(tmp.path(), name, &text);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path
    };
    let auth = secret_file(
        "auth.json",
        call("common", "authenticate", json!([db, user, pw, {}])),
    );
    let read = secret_file(
        "read.json",
        call(
            "object",
            "execute_kw",
            json!([db, uid, pw, MODEL, "search_read", [[]], {}]),
        ),
    );
    let endpoint = format!("{}/jsonrpc", settings.url);
    let curl = || {
        let mut cmd = Command::new("curl");
        for (i, body) in [&auth, &read].into_iter().enumerate() {
            if i > 0 {
                cmd.arg("--next");
            }
            cmd.args([
                "-sS",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code} %{size_download}\n",
            ])
            .args(["-H", "Content-Type: application/json", "--data-binary"])
            .arg(format!("@{}", body.display()))
            .arg(&endpoint);
        }
        cmd
    };
    let me = std::env::current_exe().unwrap();
    println!(
        "bulk_bench: every {MODEL} row, every field, over JSON-RPC with authentication; {} \
         (database {}), {rounds} rounds, {}",
        settings.url,
        settings.db,
        machine()
    );
    let names = ["odoo-runtime client", "python urllib+json", "curl (floor)"];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); 3];
    let mut counts = vec![String::new(); 3];
    for round in 0..rounds {
        for k in 0..3 {
            let which = (k + round) % 3;
            let cmd = match which {
                0 => {
                    let mut cmd = settings.command(&me, false);
                    cmd.arg("--child");
                    cmd
                }
                1 => {
                    let mut cmd = settings.command(python, false);
                    cmd.arg(&script);
                    cmd
                }
                _ => curl(),
            };
            let (elapsed, output) = timed(cmd, names[which]);
            times[which].push(elapsed.as_secs_f64());
            counts[which] = String::from_utf8_lossy(&output.stdout)
                .trim()
                .replace('\n', ", ");
            println!(
                "  round {}: {:<22} {:>7.3} s",
                round + 1,
                names[which],
                elapsed.as_secs_f64()
            );
        }
    }
    println!(
        "rows: client {}, python {}; curl (status bytes): {}",
        counts[0], counts[1], counts[2]
    );
    let medians: Vec<f64> = times.iter().map(|t| median(t)).collect();
    let best: Vec<f64> = times
        .iter()
        .map(|t| t.iter().copied().fold(f64::INFINITY, f64::min))
        .collect();
    println!("median and best of {rounds} (process start included):");
    for i in 0..3 {
        println!(
            "  {:<22} median {:>7.3} s ({:.3}× the floor's)  best {:>7.3} s ({:.3}×)",
            names[i],
            medians[i],
            medians[i] / medians[2],
            best[i],
            best[i] / best[2]
        );
    }
    // The three runs of a round are seconds apart: their ratios drift less with the machine's load.
    let paired = |i: usize| {
        median(
            &(0..rounds)
                .map(|r| times[i][r] / times[2][r])
                .collect::<Vec<_>>(),
        )
    };
    println!(
        "ratios, median of the rounds' own: client / floor {:.3} (goal ≤ 1.05), python / floor {:.3}",
        paired(0),
        paired(1)
    );

    // Where the client's time goes besides the server's: decoding the answer, measured apart.
    let body_file = tmp.path().join("answer.json");
    let status = Command::new("curl")
        .args(["-sS", "-o"])
        .arg(&body_file)
        .args(["-H", "Content-Type: application/json", "--data-binary"])
        .arg(format!("@{}", read.display()))
        .arg(&endpoint)
        .status()
        .unwrap();
    assert!(status.success());
    let body = std::fs::read(&body_file).unwrap();
    let mut decode = Vec::new();
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let rows = odoo_runtime::jsonrpc::decode_response::<Vec<odoo_runtime::Value>>(&body, None)
            .unwrap();
        decode.push(started.elapsed().as_secs_f64());
        assert!(matches!(rows, odoo_runtime::jsonrpc::Response::Success(r) if !r.is_empty()));
    }
    let python_decode = Command::new(python)
        .arg("-c")
        .arg(
            "import json, sys, time\nb = open(sys.argv[1], 'rb').read()\nts = []\n\
             for _ in range(5):\n    t = time.perf_counter(); json.loads(b); ts.append(time.perf_counter() - t)\n\
             print(sorted(ts)[2])",
        )
        .arg(&body_file)
        .output()
        .unwrap();
    println!(
        "decoding the {:.1} MB answer alone (median of 5): odoo-runtime {:.0} ms, python json.loads {} ms",
        body.len() as f64 / 1e6,
        median(&decode) * 1000.0,
        String::from_utf8_lossy(&python_decode.stdout)
            .trim()
            .parse::<f64>()
            .map(|s| format!("{:.0}", s * 1000.0))
            .unwrap_or_else(|_| "?".to_owned())
    );
}
