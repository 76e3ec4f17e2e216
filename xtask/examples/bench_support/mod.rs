//! Shared by the live benchmark programs: the `ODOO_*` settings, running and timing commands,
//! medians, and what machine this is.

#![allow(dead_code)] // each program uses its part

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The server of the `ODOO_*` settings.
pub struct Settings {
    pub url: String,
    pub db: String,
    pub user: String,
    pub password: String,
    pub api_key: Option<String>,
}

impl Settings {
    /// Reads `ODOO_URL`, `ODOO_DB`, `ODOO_USER`, `ODOO_PASSWORD` (and `ODOO_API_KEY`), or exits
    /// naming what is missing.
    pub fn from_env(program: &str) -> Settings {
        let get = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let missing: Vec<&str> = ["ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD"]
            .into_iter()
            .filter(|k| get(k).is_none())
            .collect();
        if !missing.is_empty() {
            eprintln!(
                "{program}: set {} (the Odoo server to measure against; ODOO_API_KEY too for JSON-2)",
                missing.join(", ")
            );
            std::process::exit(2);
        }
        Settings {
            url: get("ODOO_URL").unwrap().trim_end_matches('/').to_owned(),
            db: get("ODOO_DB").unwrap(),
            user: get("ODOO_USER").unwrap(),
            password: get("ODOO_PASSWORD").unwrap(),
            api_key: get("ODOO_API_KEY"),
        }
    }

    /// A command with the settings in its environment (password only, or the API key too).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>, with_key: bool) -> Command {
        let mut cmd = Command::new(program);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("ODOO_") {
                cmd.env_remove(key);
            }
        }
        cmd.env("ODOO_URL", &self.url)
            .env("ODOO_DB", &self.db)
            .env("ODOO_USER", &self.user)
            .env("ODOO_PASSWORD", &self.password)
            .env_remove("RUST_LOG");
        if with_key && let Some(key) = &self.api_key {
            cmd.env("ODOO_API_KEY", key);
        }
        cmd
    }
}

/// Runs `cmd` to the end, timing it (process start included); exits when it fails.
pub fn timed(mut cmd: Command, what: &str) -> (Duration, Output) {
    cmd.stdin(Stdio::null());
    let started = Instant::now();
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    let elapsed = started.elapsed();
    if !output.status.success() {
        eprintln!(
            "{what} failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        std::process::exit(1);
    }
    (elapsed, output)
}

/// The median of `values` (seconds).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// `python3`, or exits saying it is needed.
pub fn python() -> &'static str {
    if Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        "python3"
    } else {
        eprintln!("python3 is needed for the comparison");
        std::process::exit(2);
    }
}

/// The CPU model and count, for the report.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    format!("{cores} × {cpu}")
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// This workspace's release `xtask` binary, built first when needed (`cargo build --release`
/// is a no-op when it is up to date).
pub fn xtask_binary() -> std::path::PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "xtask",
            "--bin",
            "xtask",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the xtask binary failed");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("release/xtask")
}
