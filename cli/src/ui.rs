//! What the user sees on stderr: log lines (tracing), progress, warnings and the final summary.
//!
//! stdout is kept for data (`call` and `decode` print JSON there); everything here goes to stderr.
//!
//! - [`init`] is called once by `main` with the global `--quiet` / `-v` flags. `RUST_LOG`, when set,
//!   overrides the level chosen by the flags (tracing-subscriber `EnvFilter` syntax).
//! - [`progress`] draws a bar when stderr is a terminal, prints a few plain lines when it is not (CI
//!   logs, pipes), and nothing with `--quiet`.
//! - [`warn`] prints a warning and counts it; [`Summary`] prints the closing line of a run with that
//!   count.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How chatty the tool is, from the global `--quiet` and `-v` flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Verbosity {
    /// `--quiet`: errors only.
    pub quiet: bool,
    /// Number of `-v`: 1 adds info lines and one line per progress item, 2 adds debug logs, 3 trace.
    pub verbose: u8,
}

impl Verbosity {
    /// The tracing filter used when `RUST_LOG` is not set.
    fn default_filter(self) -> &'static str {
        if self.quiet {
            return "error";
        }
        match self.verbose {
            0 => "warn",
            1 => "info",
            2 => "debug",
            _ => "trace",
        }
    }
}

struct State {
    verbosity: Verbosity,
    /// stderr is a terminal (and `TERM` is not `dumb`): draw bars instead of plain lines.
    terminal: bool,
    multi: MultiProgress,
    warnings: AtomicUsize,
}

static STATE: OnceLock<State> = OnceLock::new();

fn new_state(verbosity: Verbosity) -> State {
    let terminal = std::io::stderr().is_terminal()
        && std::env::var_os("TERM").is_none_or(|term| term != "dumb");
    let multi = if terminal && !verbosity.quiet {
        MultiProgress::with_draw_target(ProgressDrawTarget::stderr())
    } else {
        MultiProgress::with_draw_target(ProgressDrawTarget::hidden())
    };
    State {
        verbosity,
        terminal,
        multi,
        warnings: AtomicUsize::new(0),
    }
}

fn state() -> &'static State {
    STATE.get_or_init(|| new_state(Verbosity::default()))
}

/// Sets up output for this process: verbosity, and tracing to stderr (`RUST_LOG` wins over the flags).
///
/// Calling it again keeps the first settings.
pub fn init(verbosity: Verbosity) {
    let state = STATE.get_or_init(|| new_state(verbosity));
    let (filter, bad_rust_log) = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => {
            match tracing_subscriber::EnvFilter::try_new(&spec) {
                Ok(filter) => (filter, None),
                Err(err) => (
                    tracing_subscriber::EnvFilter::new(state.verbosity.default_filter()),
                    Some(format!("ignoring RUST_LOG={spec:?}: {err}")),
                ),
            }
        }
        _ => (
            tracing_subscriber::EnvFilter::new(state.verbosity.default_filter()),
            None,
        ),
    };
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| StderrWriter)
        .with_ansi(state.terminal)
        .with_target(state.verbosity.verbose >= 2)
        .without_time()
        .try_init()
        .is_ok();
    if let (true, Some(message)) = (installed, bad_rust_log) {
        warn(message);
    }
}

/// Writes log lines to stderr, lifting any progress bar out of the way first.
struct StderrWriter;

impl Write for StderrWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        state()
            .multi
            .suspend(|| std::io::stderr().lock().write_all(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Prints one line to stderr (above any progress bar).
fn print_line(line: &str) {
    state().multi.suspend(|| {
        // A closed stderr is not worth failing a run over.
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    });
}

/// Removes any progress bar from the terminal (before an error is printed).
pub fn clear() {
    let _ = state().multi.clear();
}

/// Whether `--quiet` was given.
pub fn is_quiet() -> bool {
    state().verbosity.quiet
}

/// Prints `warning: <message>` (unless `--quiet`) and counts it for the [`Summary`].
pub fn warn(message: impl AsRef<str>) {
    let state = state();
    state.warnings.fetch_add(1, Ordering::Relaxed);
    if !state.verbosity.quiet {
        print_line(&format!("warning: {}", message.as_ref()));
    }
}

/// Prints `note: <message>` (unless `--quiet`): something the user should know that is not a
/// warning.
pub fn note(message: impl AsRef<str>) {
    if !state().verbosity.quiet {
        print_line(&format!("note: {}", message.as_ref()));
    }
}

/// Number of warnings printed through [`warn`] so far.
pub fn warning_count() -> usize {
    state().warnings.load(Ordering::Relaxed)
}

/// Starts a progress display over `len` items (models, files), labelled `label` (`introspect`).
///
/// On a terminal: a bar with position, elapsed time and the current item. Elsewhere: a line at the
/// start, one at every tenth of the way, and one at the end (`-v`: one line per item with its
/// message). With `--quiet`: nothing. The handle is cheap to clone and can be shared across threads.
pub fn progress(len: u64, label: impl Into<String>) -> Progress {
    let label = label.into();
    let state = state();
    let kind = if state.verbosity.quiet {
        Kind::Hidden
    } else if state.terminal {
        let bar = ProgressBar::new(len);
        if let Ok(style) = ProgressStyle::with_template(
            "{prefix:>12} [{bar:30}] {pos}/{len} {elapsed:>4} {wide_msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(label.clone());
        Kind::Bar(state.multi.add(bar))
    } else {
        print_line(&format!("{label}: 0/{len}"));
        Kind::Lines(Lines {
            len,
            position: AtomicU64::new(0),
            message: Mutex::new(String::new()),
            per_item: state.verbosity.verbose >= 1,
        })
    };
    Progress {
        inner: Arc::new(Inner {
            label,
            started: Instant::now(),
            kind,
        }),
    }
}

/// A progress display started by [`progress`].
#[derive(Clone)]
pub struct Progress {
    inner: Arc<Inner>,
}

struct Inner {
    label: String,
    started: Instant,
    kind: Kind,
}

enum Kind {
    Hidden,
    Bar(ProgressBar),
    Lines(Lines),
}

struct Lines {
    len: u64,
    position: AtomicU64,
    message: Mutex<String>,
    per_item: bool,
}

impl Progress {
    /// Marks `delta` more items done.
    pub fn inc(&self, delta: u64) {
        match &self.inner.kind {
            Kind::Hidden => {}
            Kind::Bar(bar) => bar.inc(delta),
            Kind::Lines(lines) => {
                let before = lines.position.fetch_add(delta, Ordering::Relaxed);
                let after = before.saturating_add(delta);
                if lines.per_item {
                    let message = lines.message.lock().map(|m| m.clone()).unwrap_or_default();
                    print_line(&item_line(&self.inner.label, after, lines.len, &message));
                } else if let Some(line) = plain_line(&self.inner.label, before, after, lines.len) {
                    print_line(&line);
                }
            }
        }
    }

    /// Names the item being worked on (`res.partner`).
    pub fn set_message(&self, message: impl Into<Cow<'static, str>>) {
        match &self.inner.kind {
            Kind::Hidden => {}
            Kind::Bar(bar) => bar.set_message(message),
            Kind::Lines(lines) => {
                if let Ok(mut current) = lines.message.lock() {
                    *current = message.into().into_owned();
                }
            }
        }
    }

    /// Ends the display: the bar is removed, plain output gets a closing line.
    pub fn finish(&self) {
        match &self.inner.kind {
            Kind::Hidden => {}
            Kind::Bar(bar) => {
                bar.finish_and_clear();
                state().multi.remove(bar);
            }
            Kind::Lines(lines) => {
                let position = lines.position.load(Ordering::Relaxed);
                print_line(&format!(
                    "{}: {position}/{} done in {}",
                    self.inner.label,
                    lines.len,
                    format_duration(self.inner.started.elapsed())
                ));
            }
        }
    }
}

/// The plain line to print when the position moves from `before` to `after` out of `len`: one at
/// each tenth of the way (at most one per call), none otherwise. The end is left to `finish`.
fn plain_line(label: &str, before: u64, after: u64, len: u64) -> Option<String> {
    if len == 0 || after >= len {
        return None;
    }
    let tenth = |position: u64| position.saturating_mul(10) / len;
    (tenth(after) > tenth(before)).then(|| {
        format!(
            "{label}: {after}/{len} ({}%)",
            after.saturating_mul(100) / len
        )
    })
}

fn item_line(label: &str, position: u64, len: u64, message: &str) -> String {
    if message.is_empty() {
        format!("{label}: {position}/{len}")
    } else {
        format!("{label}: {position}/{len} {message}")
    }
}

/// The closing line of a run: what was done, how much, where, warnings and time.
///
/// ```text
/// generate: 507 models, 9,774 fields, 512 files written to generated/odoo-18.0, 2 warnings, 3.41s
/// ```
#[derive(Debug, Clone)]
pub struct Summary {
    action: String,
    started: Instant,
    counts: Vec<(u64, &'static str)>,
    files: Option<(u64, &'static str, Option<PathBuf>)>,
}

impl Summary {
    /// Starts timing a run named `action` (`generate`).
    pub fn start(action: impl Into<String>) -> Self {
        Summary {
            action: action.into(),
            started: Instant::now(),
            counts: Vec::new(),
            files: None,
        }
    }

    /// Adds a count such as `models` or `fields` (printed in the order added).
    pub fn count(mut self, n: u64, what: &'static str) -> Self {
        self.counts.push((n, what));
        self
    }

    /// Records the files written (or `verb`: `checked`, `unchanged`) and where.
    pub fn files(mut self, n: u64, verb: &'static str, dir: Option<&Path>) -> Self {
        self.files = Some((n, verb, dir.map(Path::to_path_buf)));
        self
    }

    /// Prints the summary on stderr unless `--quiet`.
    pub fn print(&self) {
        if !is_quiet() {
            print_line(&self.render(warning_count(), self.started.elapsed()));
        }
    }

    fn render(&self, warnings: usize, elapsed: Duration) -> String {
        let mut parts: Vec<String> = self
            .counts
            .iter()
            .map(|&(n, what)| match what.strip_suffix('s') {
                Some(one) if n == 1 => format!("1 {one}"),
                _ => format!("{} {what}", thousands(n)),
            })
            .collect();
        if let Some((n, verb, dir)) = &self.files {
            let noun = if *n == 1 { "file" } else { "files" };
            let mut part = format!("{} {noun} {verb}", thousands(*n));
            if let Some(dir) = dir {
                part.push_str(&format!(" in {}", dir.display()));
            }
            parts.push(part);
        }
        parts.push(match warnings {
            0 => "no warnings".to_owned(),
            1 => "1 warning".to_owned(),
            n => format!("{} warnings", thousands(n as u64)),
        });
        parts.push(format_duration(elapsed));
        format!("{}: {}", self.action, parts.join(", "))
    }
}

/// `9774` → `9,774`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `850ms`, `3.41s`, `2m05s`.
fn format_duration(elapsed: Duration) -> String {
    let millis = elapsed.as_millis();
    if millis < 1000 {
        format!("{millis}ms")
    } else if millis < 60_000 {
        format!("{:.2}s", elapsed.as_secs_f64())
    } else {
        let secs = elapsed.as_secs();
        format!("{}m{:02}s", secs / 60, secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_come_at_each_tenth_and_not_at_the_end() {
        let printed: Vec<String> = (0..507)
            .filter_map(|i| plain_line("introspect", i, i + 1, 507))
            .collect();
        assert_eq!(printed.len(), 9, "{printed:#?}");
        assert_eq!(printed[0], "introspect: 51/507 (10%)");
        assert_eq!(printed[8], "introspect: 457/507 (90%)");
        assert_eq!(plain_line("x", 0, 0, 0), None);
        // A big step prints once, not once per tenth crossed.
        assert_eq!(plain_line("x", 0, 9, 10).as_deref(), Some("x: 9/10 (90%)"));
        // Fewer items than ten: every item but the last gets its line.
        let few: Vec<String> = (0..3)
            .filter_map(|i| plain_line("x", i, i + 1, 3))
            .collect();
        assert_eq!(few, ["x: 1/3 (33%)", "x: 2/3 (66%)"]);
    }

    #[test]
    fn summary_lists_counts_files_warnings_and_time() {
        let summary = Summary::start("generate")
            .count(507, "models")
            .count(9774, "fields")
            .files(512, "written", Some(Path::new("generated/odoo")));
        assert_eq!(
            summary.render(2, Duration::from_millis(3412)),
            "generate: 507 models, 9,774 fields, 512 files written in generated/odoo, 2 warnings, 3.41s"
        );
        let one = Summary::start("introspect")
            .count(1, "models")
            .files(1, "written", None);
        assert_eq!(
            one.render(0, Duration::from_millis(20)),
            "introspect: 1 model, 1 file written, no warnings, 20ms"
        );
        assert_eq!(
            Summary::start("x").render(1, Duration::from_secs(125)),
            "x: 1 warning, 2m05s"
        );
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn verbosity_maps_to_a_filter() {
        assert_eq!(
            Verbosity {
                quiet: true,
                verbose: 2
            }
            .default_filter(),
            "error"
        );
        assert_eq!(Verbosity::default().default_filter(), "warn");
        assert_eq!(
            Verbosity {
                quiet: false,
                verbose: 1
            }
            .default_filter(),
            "info"
        );
        assert_eq!(
            Verbosity {
                quiet: false,
                verbose: 9
            }
            .default_filter(),
            "trace"
        );
    }
}
