//! Benchmark: generation time of the committed Odoo 18.0 snapshot (506 models) (goal ≤ 1 s), then `cargo check` of
//! the generated all-model crate (goal ≤ 60 s) and of one model over built dependencies (goal ≤ 10 s).
//! Then the same for an Odoo 19.0 snapshot with methods (goals 1.5 s, 60 s, 10 s), each figure next
//! to the same schema's without methods, measured in the same run.
//!
//! Run with `cargo bench -p odoo-codegen --bench generate`. Reads the committed snapshot
//! `snapshots/odoo-18.0`, writes the crate to `target/bench-generate/` and builds it with its own
//! target directory `target/bench-generate-target` (the first run also builds the dependencies, timed
//! separately). Every figure is measured in this run and printed with its ratio to the goal.
//! `ODOO_BENCH_GENERATE_ONLY=1` stops after the generation timings. The 19.0 part reads
//! `snapshots/odoo-19.0`, or the snapshot directory `ODOO_BENCH_SNAPSHOT_19` names; it is skipped,
//! saying so, when that snapshot has no methods (`cargo xtask introspect` against an Odoo 19 with
//! an API key writes them). `ODOO_BENCH_ONLY_19=1` skips the 18.0 part.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use odoo_codegen::{Settings, generate};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .expect("under the snapshot dir")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            files.insert(rel, text);
        }
    }
    files
}

/// Two CPU times of `/proc/self/stat` (Linux; `None` elsewhere), added: the fields at `user` and
/// `user + 1` counted after the `(comm)` (state is 0), in clock ticks (100 Hz).
fn stat_time(user: usize) -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let a: u64 = fields.get(user)?.parse().ok()?;
    let b: u64 = fields.get(user + 1)?.parse().ok()?;
    Some(Duration::from_millis((a + b) * 10))
}

/// CPU time (user + system: stat fields 14 and 15) of this process so far. Printed next to
/// wall-clock times because the machine may be shared.
fn cpu_time() -> Option<Duration> {
    stat_time(11)
}

/// CPU time (stat fields 16 and 17) of this process's finished children (cargo and the rustc it
/// ran): what a `cargo check` costs whatever else the machine runs.
fn children_cpu_time() -> Option<Duration> {
    stat_time(13)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn report(what: &str, took: Duration, goal: Duration) {
    println!(
        "{what:<58} {:>9.3} s   goal {:>5.1} s   ratio {:.3} {}",
        took.as_secs_f64(),
        goal.as_secs_f64(),
        took.as_secs_f64() / goal.as_secs_f64(),
        if took <= goal { "ok" } else { "OVER GOAL" }
    );
}

fn cargo(root: &Path, args: &[&str]) -> Duration {
    cargo_in(root, "target/bench-generate-target", args)
}

fn cargo_in(root: &Path, target: &str, args: &[&str]) -> Duration {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let cpu_before = children_cpu_time();
    let start = Instant::now();
    let output = Command::new(cargo)
        .arg("--offline")
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", workspace().join(target))
        // No incremental cache: a crate checked again with the same sources would reuse it.
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let took = start.elapsed();
    assert!(
        output.status.success(),
        "`cargo {}` failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    if let Some((a, b)) = cpu_before.zip(children_cpu_time()) {
        println!(
            "    (`cargo {}` in {}: wall {:.1} s, CPU {:.1} s)",
            args.join(" "),
            root.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            took.as_secs_f64(),
            (b - a).as_secs_f64()
        );
    }
    took
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is accepted and ignored.
    if std::env::var_os("ODOO_BENCH_ONLY_19").is_none() {
        bench_18();
    }
    bench_19();
}

fn bench_18() {
    let ws = workspace();
    let schema = odoo_codegen::snapshot::from_files(&read_tree(&ws.join("snapshots/odoo-18.0")))
        .expect("the committed snapshot loads");
    let fields: usize = schema.models.values().map(|m| m.fields.len()).sum();
    println!(
        "schema: {} models, {fields} fields (snapshots/odoo-18.0); {} cores available",
        schema.models.len(),
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    let settings = Settings::new()
        .runtime_path("../../runtime")
        .snapshot_label("snapshots/odoo-18.0")
        .standalone_workspace(true);

    // Generation: one warm-up, then the median of 5 runs.
    let generated = generate(&schema, &settings).expect("generation succeeds");
    let mut runs = Vec::new();
    let cpu_before = cpu_time();
    for _ in 0..5 {
        let start = Instant::now();
        let again = generate(&schema, &settings).expect("generation succeeds");
        runs.push(start.elapsed());
        assert_eq!(again.files.len(), generated.files.len());
    }
    let cpu = cpu_before.zip(cpu_time()).map(|(a, b)| (b - a) / 5);
    runs.sort();
    let bytes: usize = generated.files.iter().map(|f| f.contents.len()).sum();
    println!(
        "generated: {} files, {:.1} MB of Rust; runs {:?}",
        generated.files.len(),
        bytes as f64 / 1e6,
        runs.iter()
            .map(|d| format!("{:.3}s", d.as_secs_f64()))
            .collect::<Vec<_>>()
    );
    println!(
        "machine: load average {} before the runs; CPU time per generation {}",
        load_average(),
        cpu.map_or_else(
            || "unknown".to_owned(),
            |c| format!("{:.3} s (all threads)", c.as_secs_f64())
        )
    );
    report(
        &format!("generate {} models (best of 5)", schema.models.len()),
        runs[0],
        Duration::from_secs(1),
    );
    report(
        &format!("generate {} models (median of 5)", schema.models.len()),
        runs[2],
        Duration::from_secs(1),
    );

    if std::env::var_os("ODOO_BENCH_GENERATE_ONLY").is_some() {
        println!("ODOO_BENCH_GENERATE_ONLY set: cargo check timings skipped");
        return;
    }

    // Write the crate (fresh sources each run, so cargo rebuilds it).
    let root = ws.join("target/bench-generate");
    if root.join("src").exists() {
        std::fs::remove_dir_all(root.join("src")).expect("old sources removed");
    }
    for file in &generated.files {
        let path = root.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("dir created");
        std::fs::write(&path, &file.contents).expect("file written");
    }
    std::fs::copy(ws.join("Cargo.lock"), root.join("Cargo.lock")).expect("lock file copied");

    // Dependencies (and the markers-only crate): built once, reused by later runs.
    let deps = cargo(&root, &["check", "--no-default-features"]);
    println!(
        "{:<58} {:>9.3} s   (dependencies + markers; near 0 when already built)",
        "cargo check, no feature",
        deps.as_secs_f64()
    );
    let all = cargo(&root, &["check", "--all-features"]);
    report(
        "cargo check --all-features (507 models, deps built)",
        all,
        Duration::from_secs(60),
    );
    let one = cargo(
        &root,
        &[
            "check",
            "--no-default-features",
            "--features",
            "res_partner",
        ],
    );
    report(
        "cargo check --features res_partner (one model, deps built)",
        one,
        Duration::from_secs(10),
    );
}

/// Generation of two schemas, alternated (one warm-up each, then 5 runs of each, interleaved so a
/// change of load on a shared machine weighs on both): the medians, the generated files, and the
/// CPU time per run of the first.
fn time_generations(
    a: (&odoo_codegen::Schema, &Settings),
    b: (&odoo_codegen::Schema, &Settings),
) -> (
    [Duration; 2],
    [odoo_codegen::Generated; 2],
    Option<Duration>,
) {
    let generated = [
        generate(a.0, a.1).expect("generation succeeds"),
        generate(b.0, b.1).expect("generation succeeds"),
    ];
    let (mut runs_a, mut runs_b) = (Vec::new(), Vec::new());
    let mut cpu = Duration::ZERO;
    let mut cpu_known = true;
    for _ in 0..5 {
        let before = cpu_time();
        let start = Instant::now();
        let again = generate(a.0, a.1).expect("generation succeeds");
        runs_a.push(start.elapsed());
        match before.zip(cpu_time()) {
            Some((x, y)) => cpu += y - x,
            None => cpu_known = false,
        }
        assert_eq!(again.files.len(), generated[0].files.len());
        let start = Instant::now();
        let again = generate(b.0, b.1).expect("generation succeeds");
        runs_b.push(start.elapsed());
        assert_eq!(again.files.len(), generated[1].files.len());
    }
    runs_a.sort();
    runs_b.sort();
    (
        [runs_a[2], runs_b[2]],
        generated,
        cpu_known.then_some(cpu / 5),
    )
}

fn write_crate(root: &Path, generated: &odoo_codegen::Generated) {
    if root.join("src").exists() {
        std::fs::remove_dir_all(root.join("src")).expect("old sources removed");
    }
    for file in &generated.files {
        let path = root.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("dir created");
        std::fs::write(&path, &file.contents).expect("file written");
    }
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock"))
        .expect("lock file copied");
}

fn megabytes(generated: &odoo_codegen::Generated) -> f64 {
    generated
        .files
        .iter()
        .map(|f| f.contents.len())
        .sum::<usize>() as f64
        / 1e6
}

/// Odoo 19.0 with methods, each figure next to the same schema without them.
fn bench_19() {
    let ws = workspace();
    let dir = std::env::var_os("ODOO_BENCH_SNAPSHOT_19")
        .map(PathBuf::from)
        .unwrap_or_else(|| ws.join("snapshots/odoo-19.0"));
    if !dir.join("snapshot.json").is_file() {
        println!("19.0: no snapshot at {}: skipped", dir.display());
        return;
    }
    let schema =
        odoo_codegen::snapshot::from_files(&read_tree(&dir)).expect("the 19.0 snapshot loads");
    let methods: usize = schema.models.values().map(|m| m.methods.len()).sum();
    if methods == 0 {
        println!(
            "19.0: {} holds no methods (introspect an Odoo 19 with an API key to record them): skipped",
            dir.display()
        );
        return;
    }
    let mut bare = schema.clone();
    for model in bare.models.values_mut() {
        model.methods.clear();
    }
    let with_methods = schema
        .models
        .values()
        .filter(|m| !m.methods.is_empty())
        .count();
    println!(
        "\nschema: {} models ({with_methods} with methods, {methods} methods in all), {} fields ({}); load average {}",
        schema.models.len(),
        schema
            .models
            .values()
            .map(|m| m.fields.len())
            .sum::<usize>(),
        dir.display(),
        load_average()
    );
    let settings = |name: &str| {
        Settings::new()
            .crate_name(name)
            .runtime_path("../../runtime")
            .snapshot_label("snapshots/odoo-19.0")
            .standalone_workspace(true)
    };
    let (with, without) = (settings("bench-19"), settings("bench-19-bare"));
    let ([took, took_bare], [generated, generated_bare], cpu) =
        time_generations((&schema, &with), (&bare, &without));
    println!(
        "generated: {:.1} MB of Rust with methods, {:.1} MB without; CPU time per generation with methods {}",
        megabytes(&generated),
        megabytes(&generated_bare),
        cpu.map_or_else(
            || "unknown".to_owned(),
            |c| format!("{:.3} s", c.as_secs_f64())
        )
    );
    report(
        &format!(
            "generate {} models with methods (median of 5)",
            schema.models.len()
        ),
        took,
        Duration::from_millis(1500),
    );
    println!(
        "{:<58} {:>9.3} s   with methods / without: {:.2}",
        "generate, same schema without methods (median of 5)",
        took_bare.as_secs_f64(),
        took.as_secs_f64() / took_bare.as_secs_f64()
    );
    if std::env::var_os("ODOO_BENCH_GENERATE_ONLY").is_some() {
        println!("ODOO_BENCH_GENERATE_ONLY set: cargo check timings skipped");
        return;
    }
    let target = "target/bench-generate-19-target";
    let root = ws.join("target/bench-generate-19");
    let root_bare = ws.join("target/bench-generate-19-bare");
    write_crate(&root, &generated);
    write_crate(&root_bare, &generated_bare);
    let deps = cargo_in(&root, target, &["check", "--no-default-features"]);
    println!(
        "{:<58} {:>9.3} s   (dependencies + markers + shared methods; near 0 when built)",
        "cargo check, no feature",
        deps.as_secs_f64()
    );
    let deps_bare = cargo_in(&root_bare, target, &["check", "--no-default-features"]);
    println!(
        "{:<58} {:>9.3} s",
        "cargo check, no feature, without methods",
        deps_bare.as_secs_f64()
    );
    let one_args = ["check", "--no-default-features", "--features", "sale_order"];
    let all = cargo_in(&root, target, &["check", "--all-features"]);
    let all_bare = cargo_in(&root_bare, target, &["check", "--all-features"]);
    report(
        &format!(
            "cargo check --all-features ({} models, methods)",
            schema.models.len()
        ),
        all,
        Duration::from_secs(60),
    );
    println!(
        "{:<58} {:>9.3} s   with methods / without: {:.2}",
        "cargo check --all-features, without methods",
        all_bare.as_secs_f64(),
        all.as_secs_f64() / all_bare.as_secs_f64()
    );
    let one = cargo_in(&root, target, &one_args);
    let one_bare = cargo_in(&root_bare, target, &one_args);
    report(
        "cargo check --features sale_order (one model, methods)",
        one,
        Duration::from_secs(10),
    );
    println!(
        "{:<58} {:>9.3} s   with methods / without: {:.2}",
        "cargo check --features sale_order, without methods",
        one_bare.as_secs_f64(),
        one.as_secs_f64() / one_bare.as_secs_f64()
    );
}
