//! Test databases from the External API page's start endpoint (`https://demo.odoo.com/start`):
//! `cargo xtask demo` prints the connection of a new one; `--demo` on `generate`, `introspect` and
//! `call`, and the `demo` side of `diff`, ask for one and use it.
//!
//! A test database is short-lived. The settings `demo` prints carry `ODOO_DEMO=1`, so that a run
//! from them (through `.env` or the environment) which finds the database gone (unknown database,
//! refused login, server not answering) says that it has expired and how to get a new one.

use std::fmt;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use odoo_runtime::client::Client;
use odoo_runtime::client::demo::{DemoDatabase, START_URL};

use crate::connection::ConnectionArgs;
use crate::exit::Failure;

/// The variable marking settings that came from `demo`.
pub const MARKER: &str = "ODOO_DEMO";

/// Options of `cargo xtask demo`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The password is printed only with --show-password. Test databases are \
                  short-lived: when one has expired, run this command again.\n\
                  Example (replaces .env): cargo xtask demo --show-password > .env"
)]
pub struct Args {
    /// Print the password too (ODOO_PASSWORD=...): the settings can then be pasted into `.env`.
    #[arg(long)]
    pub show_password: bool,
    /// Prefix each line with `export ` (for `eval "$(cargo xtask demo --show-password --export)"`).
    #[arg(long)]
    pub export: bool,
    #[command(flatten)]
    pub start: StartArgs,
}

/// Where test databases come from.
#[derive(Debug, Clone, clap::Args)]
pub struct StartArgs {
    /// The start endpoint handing out test databases.
    #[arg(long, env = "ODOO_DEMO_START_URL", value_name = "URL", default_value = START_URL)]
    pub start_url: String,
    /// Seconds allowed for the start endpoint to answer.
    #[arg(long = "start-timeout", value_name = "SECONDS", default_value_t = 120)]
    pub start_timeout: u64,
}

/// `--demo` and where test databases come from, for the commands that reach a server.
#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// Work against a new test database from the start endpoint (short-lived), instead of the
    /// server of the ODOO_* settings.
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub start: StartArgs,
}

impl DemoArgs {
    /// Fills `connection` with a new test database when `--demo` is given.
    pub fn resolve(&self, connection: &mut ConnectionArgs) -> anyhow::Result<()> {
        resolve(connection, self.demo, &self.start)
    }
}

/// The start endpoint could not hand out a database: an error whose hint is about that endpoint.
#[derive(Debug)]
pub struct StartFailed {
    /// The endpoint asked.
    pub url: String,
}

impl fmt::Display for StartFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "asking {} for a test database", self.url)
    }
}

impl std::error::Error for StartFailed {}

/// A run from `demo`'s settings found its database gone.
#[derive(Debug)]
pub struct Expired {
    /// The database.
    pub database: String,
    /// Its server.
    pub url: String,
}

impl fmt::Display for Expired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the test database `{}` at {} has expired (test databases from the start endpoint are \
             short-lived)",
            self.database, self.url
        )
    }
}

impl std::error::Error for Expired {}

/// The hint of [`StartFailed`].
pub const START_HINT: &str = "the start endpoint (--start-url, default https://demo.odoo.com/start) \
     must be reachable and answer XML-RPC `start()`; without it, point ODOO_URL, ODOO_DB, ODOO_USER \
     and ODOO_PASSWORD at a server of your own";

/// The hint of [`Expired`].
pub const EXPIRED_HINT: &str = "get a new one with `cargo xtask demo --show-password` (replace the \
     ODOO_* lines of your .env with its output), or run the command with --demo";

/// Asks the start endpoint for a test database.
pub fn start(args: &StartArgs) -> anyhow::Result<DemoDatabase> {
    let failed = || StartFailed {
        url: args.start_url.clone(),
    };
    let client = Client::builder()
        .url(&args.start_url)
        .timeout(std::time::Duration::from_secs(args.start_timeout.max(1)))
        .build()
        .with_context(failed)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let database = runtime.block_on(client.start_demo()).with_context(failed)?;
    crate::ui::note(format!(
        "test database `{}` at {} (user {}) from {}: short-lived",
        database.database, database.url, database.user, args.start_url
    ));
    Ok(database)
}

/// Fills `connection` with a new test database when `demo` is set.
pub fn resolve(
    connection: &mut ConnectionArgs,
    demo: bool,
    start_args: &StartArgs,
) -> anyhow::Result<()> {
    if !demo {
        return Ok(());
    }
    let database = start(start_args)?;
    connection.url = Some(database.url);
    connection.db = Some(database.database);
    connection.user = Some(database.user);
    connection.password = Some(database.password);
    connection.api_key = None;
    Ok(())
}

/// `err` explained as an expired test database when the settings came from `demo` (`ODOO_DEMO=1`)
/// and the failure is what a deleted database gives.
pub fn explain_expired(err: anyhow::Error, connection: Option<&ConnectionArgs>) -> anyhow::Error {
    let from_demo = std::env::var(MARKER).is_ok_and(|v| v == "1");
    let Some(connection) = connection.filter(|_| from_demo) else {
        return err;
    };
    if !matches!(
        crate::exit::classify(&err),
        Failure::UnknownDatabase | Failure::AuthFailed | Failure::Unreachable | Failure::NotOdoo
    ) {
        return err;
    }
    let expired = Expired {
        database: connection.db.clone().unwrap_or_default(),
        url: connection.url.clone().unwrap_or_default(),
    };
    err.context(expired)
}

/// Runs `cargo xtask demo`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let database = start(&args.start)?;
    let prefix = if args.export { "export " } else { "" };
    let quote = |v: &str| shell_quote(v);
    let mut out = String::new();
    out.push_str(&format!(
        "# A test database from {}: short-lived; run `{} demo` again for a new one.\n",
        args.start.start_url,
        crate::app::current().name
    ));
    out.push_str(&format!("{prefix}ODOO_URL={}\n", quote(&database.url)));
    out.push_str(&format!("{prefix}ODOO_DB={}\n", quote(&database.database)));
    out.push_str(&format!("{prefix}ODOO_USER={}\n", quote(&database.user)));
    if args.show_password {
        out.push_str(&format!(
            "{prefix}ODOO_PASSWORD={}\n",
            quote(database.password.expose())
        ));
    } else {
        out.push_str("# ODOO_PASSWORD: not shown; run with --show-password to print it\n");
    }
    out.push_str(&format!("{prefix}{MARKER}=1\n"));
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `value` as one shell word (and a valid `.env` value): bare when it is plain, else in single
/// quotes.
fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@+=,%".contains(c));
    if plain {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_only_when_needed() {
        assert_eq!(
            shell_quote("https://demo4.odoo.com"),
            "https://demo4.odoo.com"
        );
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
