//! Decoding speed of the XML-RPC codec on the recorded 21.4 MB response
//! `75-ir.model.fields.search_read-all` (every field of every model, 9,774 records):
//! typed rows (as generated code declares them, through `decode_response`: the canonical-subset
//! tokenizer), the same rows over quick-xml's `Reader` alone (the fallback path), dynamic `Value`,
//! a bare quick-xml event loop over the same bytes, and Python's `xmlrpc.client.loads` (a
//! subprocess timing itself). Prints MB/s, the ratios, and the peak heap used while decoding (a
//! counting global allocator).
//!
//! Run: `cargo bench -p odoo-runtime --bench xmlrpc_decode` (release). Best of N runs each
//! (`BENCH_RUNS`, default 10), interleaved.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use odoo_runtime::Value;
use odoo_runtime::types::{Many2one, OrFalse, Selection, X2many, opt_int, selection};
use odoo_runtime::xmlrpc::{Response, Tokenizer, decode_response, decode_response_using};
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde::{Deserialize, Deserializer};

// ---------------------------------------------------------------------------------------------
// Counting allocator: current and peak bytes in use.

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded to the system allocator with the caller's layout.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded to the system allocator; `ptr`/`layout` come from this allocator.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f` once and returns the peak heap it added above what was in use before.
fn peak_during<R>(f: impl FnOnce() -> R) -> usize {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let r = f();
    let peak = PEAK.load(Ordering::Relaxed);
    drop(black_box(r));
    peak - base
}

// ---------------------------------------------------------------------------------------------
// The typed row, as generated code declares an `ir.model.fields` read struct.

enum IrModel {}
enum IrModelFieldsSelection {}

#[derive(Debug, Clone, PartialEq)]
enum Key {
    Known(&'static str),
    Unknown(String),
}

impl Selection for Key {
    fn from_key(key: &str) -> Self {
        const KNOWN: [&str; 8] = [
            "char",
            "many2one",
            "boolean",
            "integer",
            "selection",
            "base",
            "manual",
            "cascade",
        ];
        match KNOWN.iter().find(|k| **k == key) {
            Some(k) => Key::Known(k),
            None => Key::Unknown(key.to_owned()),
        }
    }
    fn key(&self) -> &str {
        match self {
            Key::Known(k) => k,
            Key::Unknown(k) => k,
        }
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        selection::deserialize(d)
    }
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct IrModelFieldsRead {
    #[serde(default, with = "opt_int")]
    id: Option<i64>,
    #[serde(default)]
    company_dependent: Option<bool>,
    #[serde(default)]
    compute: OrFalse<String>,
    #[serde(default)]
    copied: Option<bool>,
    #[serde(default)]
    currency_field: OrFalse<String>,
    #[serde(default)]
    depends: OrFalse<String>,
    #[serde(default)]
    field_description: OrFalse<String>,
    #[serde(default)]
    help: OrFalse<String>,
    #[serde(default)]
    index: Option<bool>,
    #[serde(default)]
    model: OrFalse<String>,
    #[serde(default)]
    model_id: OrFalse<Many2one<IrModel>>,
    #[serde(default)]
    modules: OrFalse<String>,
    #[serde(default)]
    name: OrFalse<String>,
    #[serde(default)]
    on_delete: OrFalse<Key>,
    #[serde(default)]
    readonly: Option<bool>,
    #[serde(default)]
    related: OrFalse<String>,
    #[serde(default)]
    relation: OrFalse<String>,
    #[serde(default)]
    relation_field: OrFalse<String>,
    #[serde(default)]
    required: Option<bool>,
    #[serde(default)]
    selectable: Option<bool>,
    #[serde(default)]
    selection_ids: Option<X2many<IrModelFieldsSelection>>,
    #[serde(default, with = "opt_int")]
    size: Option<i64>,
    #[serde(default)]
    state: OrFalse<Key>,
    #[serde(default)]
    store: Option<bool>,
    #[serde(default)]
    translate: Option<bool>,
    #[serde(default)]
    ttype: OrFalse<Key>,
}

// ---------------------------------------------------------------------------------------------

fn best_of<R>(runs: usize, mut f: impl FnMut() -> R) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        let r = f();
        let elapsed = start.elapsed();
        drop(black_box(r));
        best = best.min(elapsed);
    }
    best
}

fn typed(body: &[u8]) -> Vec<IrModelFieldsRead> {
    match decode_response::<Vec<IrModelFieldsRead>>(body) {
        Ok(Response::Success(rows)) => rows,
        Ok(Response::Fault(f)) => panic!("fault: {f}"),
        Err(e) => panic!("{e}"),
    }
}

/// Typed rows over quick-xml's `Reader` alone: the path bodies outside the canonical subset take.
fn typed_full_path(body: &[u8]) -> Vec<IrModelFieldsRead> {
    match decode_response_using::<Vec<IrModelFieldsRead>>(body, Tokenizer::QuickXml) {
        Ok(Response::Success(rows)) => rows,
        Ok(Response::Fault(f)) => panic!("fault: {f}"),
        Err(e) => panic!("{e}"),
    }
}

fn dynamic(body: &[u8]) -> Value {
    match decode_response::<Value>(body) {
        Ok(Response::Success(v)) => v,
        Ok(Response::Fault(f)) => panic!("fault: {f}"),
        Err(e) => panic!("{e}"),
    }
}

/// The floor: every event read, nothing done with it.
fn bare_loop(body: &[u8]) -> usize {
    let text = std::str::from_utf8(body).expect("UTF-8");
    let mut reader = Reader::from_str(text);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(ev) => {
                black_box(&ev);
                events += 1;
            }
            Err(e) => panic!("{e}"),
        }
    }
    events
}

const PYTHON: &str = r#"
import sys, time, xmlrpc.client
data = open(sys.argv[1], "rb").read()
runs = int(sys.argv[2])
best = float("inf")
for _ in range(runs):
    t = time.perf_counter()
    xmlrpc.client.loads(data)
    best = min(best, time.perf_counter() - t)
print(best)
"#;

fn python_seconds(body: &[u8], runs: usize) -> Option<f64> {
    let dir = std::env::temp_dir().join(format!("odoo-runtime-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let file = dir.join("body.xml");
    std::fs::write(&file, body).ok()?;
    let output = Command::new("python3")
        .args(["-c", PYTHON])
        .arg(&file)
        .arg(runs.to_string())
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let output = output.ok()?;
    if !output.status.success() {
        eprintln!(
            "python3 failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    String::from_utf8_lossy(&output.stdout).trim().parse().ok()
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs it once, quickly.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runs = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(if quick { 1 } else { 10 });

    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/odoo-18.0/xmlrpc/75-ir.model.fields.search_read-all.response.xml.gz");
    let mut body = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("recorded response"))
        .read_to_end(&mut body)
        .expect("gzip");
    let mb = body.len() as f64 / 1e6;
    println!(
        "input: {} ({:.1} MB decompressed)",
        path.file_name().unwrap_or_default().to_string_lossy(),
        mb
    );

    // `BENCH_ONLY=bare|typed|typed-full|value|none` runs one decoder `BENCH_RUNS` times and stops: for
    // counting instructions with `perf stat`, which the load of other processes does not skew.
    if let Ok(only) = std::env::var("BENCH_ONLY") {
        for _ in 0..runs {
            match only.as_str() {
                "bare" => drop(black_box(bare_loop(&body))),
                "typed" => drop(black_box(typed(&body))),
                "typed-full" => drop(black_box(typed_full_path(&body))),
                "value" => drop(black_box(dynamic(&body))),
                _ => {}
            }
        }
        return;
    }

    let rows = typed(&body);
    assert_eq!(rows.len(), 9774);
    drop(rows);
    if quick {
        // `cargo test --benches`: a smoke run only; figures need a release build.
        println!("quick run: the typed decode works; run `cargo bench` for the figures");
        return;
    }

    let t_bare = best_of(runs, || bare_loop(&body));
    let t_typed = best_of(runs, || typed(&body));
    let t_value = best_of(runs, || dynamic(&body));
    let t_full = best_of(runs, || typed_full_path(&body));
    let py = if quick {
        None
    } else {
        python_seconds(&body, 5)
    };

    let rate = |d: Duration| mb / d.as_secs_f64();
    println!(
        "bare quick-xml event loop: {:>8.1} MB/s  ({:.1} ms)",
        rate(t_bare),
        t_bare.as_secs_f64() * 1e3
    );
    println!(
        "typed rows (Vec<IrModelFieldsRead>): {:>8.1} MB/s  ({:.1} ms)",
        rate(t_typed),
        t_typed.as_secs_f64() * 1e3
    );
    println!(
        "typed rows over quick-xml's Reader only (the fallback path): {:>8.1} MB/s  ({:.1} ms)",
        rate(t_full),
        t_full.as_secs_f64() * 1e3
    );
    println!(
        "dynamic Value: {:>8.1} MB/s  ({:.1} ms)",
        rate(t_value),
        t_value.as_secs_f64() * 1e3
    );
    match py {
        Some(s) => {
            println!(
                "python xmlrpc.client.loads: {:>8.1} MB/s  ({:.1} ms)",
                mb / s,
                s * 1e3
            );
            println!(
                "typed speed-up over Python: {:.1}x (goal >= 25x)",
                s / t_typed.as_secs_f64()
            );
            println!(
                "Value speed-up over Python: {:.1}x",
                s / t_value.as_secs_f64()
            );
        }
        None if quick => println!("python: skipped (quick run; use cargo bench)"),
        None => println!("python: not available"),
    }
    println!(
        "typed time / bare loop time: {:.2}x (goal <= 1.5x)",
        t_typed.as_secs_f64() / t_bare.as_secs_f64()
    );
    println!(
        "fallback-path typed time / bare loop time: {:.2}x",
        t_full.as_secs_f64() / t_bare.as_secs_f64()
    );
    println!(
        "Value time / bare loop time: {:.2}x",
        t_value.as_secs_f64() / t_bare.as_secs_f64()
    );

    let input = body.len() as f64;
    let peak_typed = peak_during(|| typed(&body)) as f64;
    let peak_value = peak_during(|| dynamic(&body)) as f64;
    println!(
        "peak heap while decoding typed rows: {:.1} MB = {:.2}x the input (input + decode: {:.2}x; goal <= 2x)",
        peak_typed / 1e6,
        peak_typed / input,
        (peak_typed + input) / input
    );
    println!(
        "peak heap while decoding Value: {:.1} MB = {:.2}x the input (input + decode: {:.2}x)",
        peak_value / 1e6,
        peak_value / input,
        (peak_value + input) / input
    );
}
