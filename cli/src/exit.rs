//! How a run ends: every error is sorted into a [`Failure`] kind with its own exit code, printed as
//! one `error:` line plus one `hint:` line, never a panic or a backtrace.
//!
//! Sorting looks through the whole `anyhow` chain for the errors that say what happened:
//! [`odoo_runtime::Error`] (client and server errors), [`odoo_codegen::error::Error`] (a model or
//! module that the schema does not hold), [`crate::config::ConfigError`], `std::io::Error` (output not
//! writable) and [`Interrupted`]. Anything else is [`Failure::Other`].

use std::fmt;
use std::io::Write as _;
use std::process::ExitCode;

use odoo_runtime::Error as RuntimeError;

/// What went wrong, as far as the user is concerned. Each kind has its own exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Failure {
    /// Bad command line, `odoo-codegen.toml` or `.env`.
    Usage,
    /// Anything not sorted below (server exception, unreadable input file, ...).
    Other,
    /// Nothing answers at the URL (connection refused, unknown host, timeout).
    Unreachable,
    /// Something answered, but not Odoo's RPC (an HTML page, a proxy error, a 404).
    NotOdoo,
    /// The TLS handshake failed (certificate refused, not TLS on that port).
    Tls,
    /// The server does not have the database.
    UnknownDatabase,
    /// Wrong login, password or API key.
    AuthFailed,
    /// Logged in, but the user may not read what introspection needs.
    AccessError,
    /// A model or module named on the command line or in the config does not exist.
    NotFound,
    /// The output directory cannot be written.
    OutputNotWritable,
    /// Ctrl-C: the run stopped; files are written atomically, so the previous output is intact.
    Interrupted,
}

/// Every kind, in exit-code order (for the documentation table and tests).
pub const ALL: [Failure; 11] = [
    Failure::Usage,
    Failure::Other,
    Failure::Unreachable,
    Failure::NotOdoo,
    Failure::Tls,
    Failure::UnknownDatabase,
    Failure::AuthFailed,
    Failure::AccessError,
    Failure::NotFound,
    Failure::OutputNotWritable,
    Failure::Interrupted,
];

/// Exit code of a run that found differences (`generate --check`, `diff` with breaking changes).
pub const DIFFERENCES: u8 = 1;

impl Failure {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Failure::Usage => 2,
            Failure::Other => 3,
            Failure::Unreachable => 10,
            Failure::NotOdoo => 11,
            Failure::Tls => 12,
            Failure::UnknownDatabase => 13,
            Failure::AuthFailed => 14,
            Failure::AccessError => 15,
            Failure::NotFound => 16,
            Failure::OutputNotWritable => 17,
            Failure::Interrupted => 130,
        }
    }

    /// A few words for the exit-code table.
    pub fn describe(self) -> &'static str {
        match self {
            Failure::Usage => {
                "bad usage: unknown flag or value, invalid odoo-codegen.toml or .env; `call`: no call made"
            }
            Failure::Other => "other error (server exception, unreadable input, ...)",
            Failure::Unreachable => {
                "server unreachable (connection refused, unknown host, timeout)"
            }
            Failure::NotOdoo => "not an Odoo server (HTML page, proxy error, no RPC endpoint)",
            Failure::Tls => "TLS failure (certificate refused, not TLS on that port)",
            Failure::UnknownDatabase => "unknown database",
            Failure::AuthFailed => "wrong login, password or API key",
            Failure::AccessError => "logged in, but the user may not read the models",
            Failure::NotFound => "a model or module that does not exist",
            Failure::OutputNotWritable => "output directory not writable",
            Failure::Interrupted => "interrupted (Ctrl-C); previous output left intact",
        }
    }

    /// What to do about it.
    pub fn hint(self) -> &'static str {
        match self {
            Failure::Usage => "see `cargo xtask --help` and `cargo xtask <command> --help`",
            Failure::Other => {
                "run again with -vv (or RUST_LOG=debug) for the whole error, with the server's \
                 traceback and each request when a server was asked"
            }
            Failure::Unreachable => {
                "check ODOO_URL (scheme, host and port) and that the server is up; without ODOO_URL, \
                 `generate` uses the committed snapshot"
            }
            Failure::NotOdoo => {
                "ODOO_URL must be the server's base URL (https://mycompany.odoo.com), not a page \
                 under it; JSON-2 (--transport json2) needs Odoo 19 or later"
            }
            Failure::Tls => {
                "check the host name in ODOO_URL matches the certificate; a local server without \
                 TLS takes http://"
            }
            Failure::UnknownDatabase => {
                "check ODOO_DB: it is the database name (on Odoo Online usually the subdomain), \
                 not the host"
            }
            Failure::AuthFailed => {
                "check ODOO_USER (the login, often an e-mail) and ODOO_PASSWORD or ODOO_API_KEY; \
                 Odoo Online accounts need an API key or a password set in their preferences"
            }
            Failure::AccessError => {
                "introspection reads ir.model and ir.model.fields: use an administrator's login \
                 or API key"
            }
            Failure::NotFound => {
                "models take technical names (res.partner) or globs (sale.*), modules their \
                 technical names (sale); a snapshot's models/ directory lists the models it holds"
            }
            Failure::OutputNotWritable => {
                "pick another --output directory or fix its permissions; nothing was changed"
            }
            Failure::Interrupted => "files are replaced atomically: the previous output is intact",
        }
    }
}

/// The error for a run stopped by Ctrl-C (see [`install_interrupt_handler`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}

/// A bad command-line value found after parsing (a JSON argument, a setting that only the
/// generator can check, a missing `--url`...): a [`Failure::Usage`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A live run without a server URL (or another connection setting): a [`Failure::Usage`] whose
/// hint lists where the connection settings come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingConnection(pub String);

impl fmt::Display for MissingConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MissingConnection {}

/// Sorts an error into a [`Failure`].
pub fn classify(err: &anyhow::Error) -> Failure {
    for cause in err.chain() {
        if cause.downcast_ref::<Interrupted>().is_some() {
            return Failure::Interrupted;
        }
        if cause.downcast_ref::<crate::config::ConfigError>().is_some()
            || cause.downcast_ref::<UsageError>().is_some()
            || cause.downcast_ref::<MissingConnection>().is_some()
            || cause.downcast_ref::<clap::Error>().is_some()
        {
            return Failure::Usage;
        }
        if let Some(runtime) = cause.downcast_ref::<RuntimeError>() {
            return classify_runtime(runtime);
        }
        if let Some(codegen) = cause.downcast_ref::<odoo_codegen::error::Error>() {
            return match codegen {
                odoo_codegen::error::Error::InvalidSetting {
                    setting: "models" | "modules",
                    ..
                } => Failure::NotFound,
                // A crate name, version or feature list the generator refuses: a bad flag value.
                odoo_codegen::error::Error::InvalidSetting { .. } => Failure::Usage,
                _ => Failure::Other,
            };
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            let refused = matches!(
                io.kind(),
                ErrorKind::PermissionDenied
                    | ErrorKind::ReadOnlyFilesystem
                    | ErrorKind::StorageFull
            );
            // The same refusal while reading an input (a snapshot, a dump) is not about the output.
            if refused && !is_reading(err) {
                return Failure::OutputNotWritable;
            }
        }
    }
    Failure::Other
}

fn classify_runtime(err: &RuntimeError) -> Failure {
    match err {
        RuntimeError::AccessDenied(_) => Failure::AuthFailed,
        RuntimeError::AccessError(_) => Failure::AccessError,
        // JSON-2 answers a bad API key with 401; any other status without an RPC body is not Odoo's
        // RPC (HTML error page, proxy, wrong path).
        RuntimeError::Http { status: 401, .. } => Failure::AuthFailed,
        // Odoo 19 answers JSON-2 for a database it does not have with an HTML 404 page "No
        // database is selected ..." (recorded in testdata/odoo-19.0/json2/31-unknown-database).
        RuntimeError::Http {
            status: 404,
            snippet,
            ..
        } if snippet.contains("No database is selected") => Failure::UnknownDatabase,
        RuntimeError::Http { .. } => Failure::NotOdoo,
        RuntimeError::Protocol { .. } => Failure::NotOdoo,
        RuntimeError::Timeout { .. } => Failure::Unreachable,
        RuntimeError::Transport { message, .. } => {
            if is_tls_message(message) {
                Failure::Tls
            } else {
                Failure::Unreachable
            }
        }
        RuntimeError::Config(_) => Failure::Usage,
        _ => match err.server_error() {
            Some(server) if is_unknown_database(&server.message) => Failure::UnknownDatabase,
            Some(server) if is_unknown_model(&server.message) => Failure::NotFound,
            _ => Failure::Other,
        },
    }
}

/// Whether the context of the error says an input was being read (`reading`, `opening`, `listing`,
/// `inflating` a file), as the subcommands word their `with_context` messages.
fn is_reading(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let text = cause.to_string();
        ["reading ", "opening ", "listing ", "inflating "]
            .iter()
            .any(|verb| text.starts_with(verb))
    })
}

/// rustls / reqwest wording for handshake and certificate failures.
fn is_tls_message(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    [
        "certificate",
        "tls",
        "ssl",
        "handshake",
        "unknownissuer",
        "peer sent",
        // rustls on a port that does not speak TLS (https:// to a plain HTTP server).
        "corrupt message",
        "invalidcontenttype",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

/// PostgreSQL's `FATAL: database "x" does not exist`, as Odoo 18 reports an unknown database
/// (fault 1, `psycopg2.OperationalError`; recorded in `xmlrpc/05-authenticate-unknown-db`).
fn is_unknown_database(message: &str) -> bool {
    message.contains("database \"") && message.contains("does not exist")
}

/// Odoo's `Object x doesn't exist` (a UserError; recorded in `xmlrpc/29-unknown-model`).
fn is_unknown_model(message: &str) -> bool {
    message.starts_with("Object ") && message.trim_end().ends_with("doesn't exist")
}

/// The error's message on one line: the `anyhow` chain joined by `: `, each part's lines collapsed,
/// a Python traceback reduced to its last line, and cut at 400 characters.
pub fn one_line(err: &anyhow::Error) -> String {
    let full = format!("{err:#}");
    let text = match full.find("Traceback (most recent call last)") {
        Some(start) => {
            let last = full[start..]
                .lines()
                .rev()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or_default();
            format!("{}{last}", &full[..start])
        }
        None => full,
    };
    squeeze(&text)
}

/// `text` on one line (whitespace runs collapsed), cut at 400 characters.
pub fn squeeze(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 400 {
        line.chars().take(399).collect::<String>() + "…"
    } else {
        line
    }
}

/// Prints the error (`error: ...` and `hint: ...` on stderr) and returns its exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    let failure = classify(err);
    // The whole chain, untruncated (a server traceback's every line); `{:#}`, not `{:?}`, which
    // would add a Rust backtrace when RUST_BACKTRACE is set.
    tracing::debug!("{failure:?}: {err:#}");
    // A closed stderr must not turn an error into a panic: the exit code still tells.
    let _ = writeln!(
        std::io::stderr().lock(),
        "error: {}\nhint: {}",
        one_line(err),
        crate::app::named(hint(err, failure))
    );
    ExitCode::from(failure.code())
}

/// The hint for `err`: the kind's, except for a client configuration problem (a missing database,
/// login or secret), which gets the list of places the connection settings come from.
fn hint(err: &anyhow::Error, failure: Failure) -> &'static str {
    let client_config = err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<RuntimeError>(),
            Some(RuntimeError::Config(_))
        ) || cause.downcast_ref::<MissingConnection>().is_some()
    });
    if failure == Failure::Usage && client_config {
        CONNECTION_HINT
    } else {
        failure.hint()
    }
}

const CONNECTION_HINT: &str = "a live run needs ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD or \
     ODOO_API_KEY (environment or .env; all but the secret also as --url/--db/--user or in \
     odoo-codegen.toml [connection])";

/// Prints a clap error (usage, `--help`, `--version`) and returns clap's exit code (2 for usage
/// errors, as [`Failure::Usage`]; 0 for help and version).
pub fn report_clap(err: &clap::Error) -> ExitCode {
    let _ = err.print();
    let code = err.exit_code();
    ExitCode::from(u8::try_from(code).unwrap_or(Failure::Usage.code()))
}

/// The exit-code table for `--help` and the README.
pub fn table() -> String {
    let mut out = String::from("Exit codes:\n");
    out.push_str(&format!("  {:>3}  success\n", 0));
    out.push_str(&format!(
        "  {DIFFERENCES:>3}  differences found (`generate --check`, `diff --fail-on`); Odoo error in `call`\n"
    ));
    for failure in ALL {
        out.push_str(&format!(
            "  {:>3}  {}\n",
            failure.code(),
            failure.describe()
        ));
    }
    out
}

/// Held while an output directory is written and swapped in (see `output::write_atomically`).
static OUTPUT_WRITE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Enters the section in which Ctrl-C must not end the process: the interrupt handler waits for the
/// guard to be dropped, so an interrupted run never leaves a staging directory behind nor a target
/// moved aside between the two renames of the swap.
pub fn uninterruptible() -> std::sync::MutexGuard<'static, ()> {
    OUTPUT_WRITE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// On Ctrl-C, prints the interruption as an error with its hint and exits with code 130.
///
/// Runs a small signal-watching thread. The output is written atomically by the subcommands
/// (temporary directory, then rename), and the handler waits for a write in progress to finish
/// ([`uninterruptible`]), so stopping at any point leaves the previous or the new output, complete.
pub fn install_interrupt_handler() {
    let spawned = std::thread::Builder::new().name("ctrl-c".into()).spawn(|| {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
        {
            Ok(runtime) => runtime,
            Err(err) => {
                tracing::debug!("no Ctrl-C handler: {err}");
                return;
            }
        };
        if runtime.block_on(tokio::signal::ctrl_c()).is_ok() {
            let _writing = uninterruptible();
            crate::ui::clear();
            report(&anyhow::Error::new(Interrupted));
            std::process::exit(i32::from(Failure::Interrupted.code()));
        }
    });
    if let Err(err) = spawned {
        tracing::debug!("no Ctrl-C handler: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_avoid_0_and_1() {
        let mut codes: Vec<u8> = ALL.iter().map(|f| f.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ALL.len());
        assert!(!codes.contains(&0) && !codes.contains(&DIFFERENCES));
    }

    #[test]
    fn traceback_becomes_its_last_line() {
        let text = "authenticate failed: Traceback (most recent call last):\n  File \"/opt/odoo/x.py\", \
                    line 1, in f\n    g()\npsycopg2.OperationalError: connection failed: FATAL:  \
                    database \"no_such_db\" does not exist\n\n";
        let err = anyhow::anyhow!(text.to_owned());
        assert_eq!(
            one_line(&err),
            "authenticate failed: psycopg2.OperationalError: connection failed: FATAL: database \
             \"no_such_db\" does not exist"
        );
    }

    #[test]
    fn runtime_errors_are_sorted() {
        use odoo_runtime::error::ServerError;
        let server = |class: &str, message: &str| Box::new(ServerError::new(class, message));
        let cases = [
            (RuntimeError::AccessDenied(server("odoo.exceptions.AccessDenied", "Access Denied")), Failure::AuthFailed),
            (RuntimeError::AccessError(server("odoo.exceptions.AccessError", "no")), Failure::AccessError),
            (
                RuntimeError::Server(server(
                    "psycopg2.OperationalError",
                    "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"no_such_db\" does not exist\n",
                )),
                Failure::UnknownDatabase,
            ),
            (RuntimeError::UserError(server("odoo.exceptions.UserError", "Object no.such.model doesn't exist")), Failure::NotFound),
            (RuntimeError::Server(server("ValueError", "Invalid field 'x'")), Failure::Other),
            (
                RuntimeError::Http { url: "http://h/xmlrpc/2/common".into(), status: 404, snippet: "<!DOCTYPE html>".into() },
                Failure::NotOdoo,
            ),
            (
                RuntimeError::Http {
                    url: "http://h/json/2/res.users/context_get".into(),
                    status: 404,
                    snippet: "404 Not Found Not Found No database is selected and the requested URL was not found in the server-wide controllers. Please verify the hostname, login and try again.".into(),
                },
                Failure::UnknownDatabase,
            ),
            (RuntimeError::Protocol { url: "u".into(), message: "not XML-RPC".into() }, Failure::NotOdoo),
            (
                RuntimeError::Transport { url: "u".into(), message: "error trying to connect: tcp connect error: Connection refused (os error 111)".into() },
                Failure::Unreachable,
            ),
            (
                RuntimeError::Transport { url: "u".into(), message: "error trying to connect: invalid peer certificate: UnknownIssuer".into() },
                Failure::Tls,
            ),
            (RuntimeError::Timeout { url: "u".into(), after: std::time::Duration::from_secs(1) }, Failure::Unreachable),
        ];
        for (err, expected) in cases {
            let text = err.to_string();
            let err = anyhow::Error::new(err).context("introspect");
            assert_eq!(classify(&err), expected, "{text}");
        }
    }

    #[test]
    fn missing_connection_settings_get_the_connection_hint() {
        let err = anyhow::Error::new(RuntimeError::Config(
            "environment variable ODOO_PASSWORD is not set".into(),
        ))
        .context("cannot log in");
        assert_eq!(classify(&err), Failure::Usage);
        assert_eq!(hint(&err, Failure::Usage), CONNECTION_HINT);
        let other = anyhow::anyhow!("unexpected argument");
        assert_eq!(hint(&other, Failure::Usage), Failure::Usage.hint());
    }

    #[test]
    fn io_and_config_errors_are_sorted() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let err = anyhow::Error::new(denied).context("cannot create /root/out");
        assert_eq!(classify(&err), Failure::OutputNotWritable);
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let err = anyhow::Error::new(denied).context("reading `snapshots/x/snapshot.json`");
        assert_eq!(classify(&err), Failure::Other);
        let config = crate::config::ConfigError {
            path: "odoo-codegen.toml".into(),
            line: Some(3),
            message: "unknown key".into(),
        };
        assert_eq!(classify(&anyhow::Error::new(config)), Failure::Usage);
        assert_eq!(classify(&anyhow::anyhow!("something else")), Failure::Other);
        assert_eq!(
            classify(&anyhow::Error::new(Interrupted)),
            Failure::Interrupted
        );
    }
}
