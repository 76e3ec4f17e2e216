//! The odoo-codegen command line as a library: `introspect`, `generate`, `diff`, `call` and
//! `decode`, with their settings (`odoo-codegen.toml`, `.env`, `ODOO_*`), output and exit codes.
//!
//! A project's own `xtask` is a few lines:
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     odoo_codegen_cli::App::xtask(env!("CARGO_MANIFEST_DIR")).run()
//! }
//! ```
//!
//! and `cargo odoo` (the `cargo-odoo` binary of this package) is the same with another name.
//!
//! Start-up order: `.env` is loaded (never overriding the real environment), `odoo-codegen.toml` is
//! found and turned into flag defaults, the command line is parsed (flags > environment > config >
//! defaults), output is set up (`--quiet`, `-v`, `RUST_LOG`), Ctrl-C is watched, then the
//! subcommand runs. Every error ends as one `error:` line, one `hint:` line and a distinct exit code
//! (`exit.rs`).

// Doc comments of the clap types are the `--help` texts, where a bare URL reads best.
#![allow(rustdoc::bare_urls)]

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};

mod app;
mod call;
mod config;
mod connection;
mod decode;
mod demo;
mod diff;
pub mod embedded;
mod exit;
mod generate;
mod introspect;
mod methods;
mod output;
mod ui;

pub use app::{App, RuntimeDependency};

/// Typed Rust bindings for any Odoo instance.
///
/// Connection settings come from flags, then the environment (ODOO_URL, ODOO_DB, ODOO_USER,
/// ODOO_PASSWORD or ODOO_API_KEY, also read from a .env file), then odoo-codegen.toml. Without
/// ODOO_URL, `generate` works from the built-in Odoo 18.0 snapshot, no server needed.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about, long_about)]
#[command(max_term_width = 100, after_help = exit::table())]
struct Cli {
    /// Settings file to use instead of the nearest odoo-codegen.toml.
    #[arg(long, global = true, value_name = "PATH", display_order = 900)]
    config: Option<PathBuf>,
    /// Print errors only: no progress, warnings or summary.
    #[arg(
        long,
        short,
        global = true,
        conflicts_with = "verbose",
        display_order = 901
    )]
    quiet: bool,
    /// Print more: -v info and one line per item, -vv debug, -vvv trace (RUST_LOG overrides).
    #[arg(long, short, global = true, action = ArgAction::Count, display_order = 902)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate a bindings crate from a live instance, a dump or a snapshot.
    Generate(generate::Args),
    /// Introspect a live instance (or a dump) and write a schema snapshot.
    Introspect(introspect::Args),
    /// Compare two schemas (snapshots, dumps or a live instance).
    Diff(diff::Args),
    /// Run one execute_kw call and print the result as JSON.
    Call(call::Args),
    /// Print a recorded XML-RPC or JSON-RPC response as JSON.
    Decode(decode::Args),
    /// Get a short-lived test database from demo.odoo.com and print its connection settings.
    Demo(demo::Args),
}

/// The command line definition, with the exit-code pointer on every subcommand that has no closing
/// text of its own.
///
/// An environment variable set to the empty string counts as unset (a `.env` template with
/// `ODOO_PASSWORD=` must not break a run that needs no password): such flags lose their variable.
fn command() -> clap::Command {
    let app = app::current();
    let (runtime_path, runtime_version) = app::runtime_help(&app);
    Cli::command()
        .name(app.name.clone())
        .bin_name(app.name.clone())
        .mut_subcommand("generate", |sub| {
            sub.mut_arg("runtime_path", |arg| arg.help(runtime_path))
                .mut_arg("runtime_version", |arg| arg.help(runtime_version))
        })
        .mut_subcommands(|sub| {
            let empty_env: Vec<clap::Id> = sub
                .get_arguments()
                .filter(|arg| {
                    arg.get_env()
                        .and_then(std::env::var_os)
                        .is_some_and(|value| value.is_empty())
                })
                .map(|arg| arg.get_id().clone())
                .collect();
            let sub = empty_env
                .into_iter()
                .fold(sub, |sub, id| sub.mut_arg(id, |arg| arg.env(None)));
            if let Some(text) = sub.get_after_help() {
                let text = app::named(&text.to_string());
                sub.after_help(text)
            } else {
                sub.after_help(format!("Exit codes: see `{} --help`.", app::current().name))
            }
        })
}

/// Runs the command line on `args` (the program name first) with `app`'s defaults.
fn run(app: App, args: Vec<OsString>) -> ExitCode {
    app::set_current(app);
    install_panic_hook();

    // Both are read before parsing, since they provide defaults; their errors are reported after
    // parsing, so that `--help` still works with a broken file.
    let dotenv = load_dotenv();
    let config: anyhow::Result<Option<config::Config>> = std::env::current_dir()
        .map_err(anyhow::Error::new)
        .and_then(|cwd| {
            let path = config::locate(config::path_from_args(&args).as_deref(), &cwd)?
                .or_else(app::project_config);
            Ok(path.map(|path| config::Config::read(&path)).transpose()?)
        });
    let mut cmd = command();
    let (config, config_error) = match config {
        Ok(Some(config)) => match config.apply(cmd.clone()) {
            Ok(applied) => {
                cmd = applied;
                (Some(config), None)
            }
            Err(err) => (None, Some(anyhow::Error::new(err))),
        },
        Ok(None) => (None, None),
        Err(err) => (None, Some(err)),
    };
    // Default output goes to the project root: the program's, else the settings file's directory,
    // else the current directory.
    let config_dir = config
        .as_ref()
        .and_then(|c| c.path.parent())
        .map(Path::to_path_buf);
    app::set_current(app::resolved(config_dir.as_deref()));

    let matches = match cmd.try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(err) => {
            return match config.as_ref().and_then(|c| c.explain(&err, &args)) {
                Some(explained) => exit::report(&anyhow::Error::new(explained)),
                None => exit::report_clap(&err),
            };
        }
    };
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => return exit::report_clap(&err),
    };
    if let (Command::Generate(args), Some(("generate", sub))) =
        (&mut cli.command, matches.subcommand())
    {
        args.options.prefer_typed_runtime(sub);
    }
    ui::init(ui::Verbosity {
        quiet: cli.quiet,
        verbose: cli.verbose,
    });

    // `decode` reads one file and uses neither settings file: a broken one nearby is not its
    // problem.
    let uses_settings = !matches!(cli.command, Command::Decode(_));
    let early = match (dotenv, config_error) {
        (Err(err), _) | (Ok(_), Some(err)) if uses_settings => Some(err),
        (Err(_), _) | (Ok(_), Some(_)) => None,
        (Ok(dotenv), None) => {
            if let Some(path) = dotenv {
                tracing::info!("environment completed from {}", path.display());
            }
            if let Some(config) = &config {
                tracing::info!("settings read from {}", config.path.display());
            }
            None
        }
    };
    if let Some(err) = early {
        return exit::report(&err);
    }

    exit::install_interrupt_handler();
    // The connection a failure may have to be explained with (an expired test database).
    let connection = match &cli.command {
        Command::Generate(args) => Some(args.options.connection.clone()),
        Command::Introspect(args) => Some(args.connection.clone()),
        Command::Diff(args) => Some(args.connection.clone()),
        Command::Call(_) | Command::Decode(_) | Command::Demo(_) => None,
    };
    let result = match cli.command {
        Command::Generate(args) => generate::run(args),
        Command::Introspect(args) => introspect::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Call(args) => call::run(args),
        Command::Decode(args) => decode::run(args),
        Command::Demo(args) => demo::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            ui::clear();
            let err = demo::explain_expired(err, connection.as_ref());
            exit::report(&name_the_config_line(err, config.as_ref(), &args))
        }
    }
}

/// A setting the generator refused, when its value came from `odoo-codegen.toml`: the error names
/// the file, the line and the key. A crate name, version or feature list becomes a usage error of
/// the file (exit 2); a model or module keeps its "not found" exit code, with the place prefixed.
fn name_the_config_line(
    err: anyhow::Error,
    config: Option<&config::Config>,
    args: &[OsString],
) -> anyhow::Error {
    let Some(config) = config else {
        return err;
    };
    let Some((setting, reason)) = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<odoo_codegen::error::Error>())
        .and_then(|codegen| match codegen {
            odoo_codegen::error::Error::InvalidSetting { setting, reason } => {
                Some((*setting, reason.clone()))
            }
            _ => None,
        })
    else {
        return err;
    };
    let flag = setting.replace('_', "-");
    let Some(place) = config.explain_flag(&flag, &reason, args) else {
        return err;
    };
    if matches!(setting, "models" | "modules" | "exclude") {
        let where_ = match place.line {
            Some(line) => format!("{} line {line}", place.path.display()),
            None => place.path.display().to_string(),
        };
        return err.context(format!("{where_}: `generate.{setting}`"));
    }
    anyhow::Error::new(place)
}

/// Loads `.env` from the current directory or the nearest parent that has one. Variables already
/// set in the environment win. A line that cannot be parsed is an error naming the file and the
/// line number (never the line's content, which may hold a secret).
fn load_dotenv() -> anyhow::Result<Option<PathBuf>> {
    let Ok(cwd) = std::env::current_dir() else {
        return Ok(None);
    };
    let Some(path) = cwd
        .ancestors()
        .map(|dir| dir.join(".env"))
        .find(|p| p.is_file())
    else {
        return Ok(None);
    };
    match dotenvy::from_path(&path) {
        Ok(()) => Ok(Some(path)),
        Err(dotenvy::Error::LineParse(content, index)) => Err(anyhow::Error::new(
            dotenv_line_error(&path, &content, index),
        )),
        Err(err) => Err(anyhow::Error::new(config::ConfigError {
            path,
            line: None,
            message: format!("cannot load: {err}"),
        })),
    }
}

fn dotenv_line_error(path: &Path, content: &str, index: usize) -> config::ConfigError {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let first = content.lines().next().unwrap_or_default();
    let line = text
        .lines()
        .position(|l| !first.is_empty() && l.contains(first))
        .map(|i| i + 1);
    config::ConfigError {
        path: path.to_path_buf(),
        line,
        message: format!(
            "cannot parse this line (at character {}); expected NAME=value",
            index.saturating_add(1)
        ),
    }
}

/// Replaces the default panic message (thread name, `RUST_BACKTRACE` note) by one line saying it is
/// a bug, unless `RUST_BACKTRACE` asks for the details.
fn install_panic_hook() {
    if std::env::var_os("RUST_BACKTRACE").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()));
        let _ = writeln!(
            std::io::stderr().lock(),
            "error: internal error{}: {payload}\n\
             hint: this is a bug in odoo-codegen; please report it with the command you ran",
            place.unwrap_or_default()
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        command().debug_assert();
    }

    /// The runtime options `generate` ends with, `odoo-codegen.toml` holding `file`, run with
    /// `flags`.
    fn runtime_options(file: &str, flags: &[&str]) -> (Option<PathBuf>, Option<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(config::FILE_NAME);
        std::fs::write(&path, file).unwrap();
        let cmd = config::Config::read(&path)
            .unwrap()
            .apply(command())
            .unwrap();
        let args = ["x", "generate"].iter().chain(flags);
        let matches = cmd.try_get_matches_from(args).unwrap();
        let mut cli = Cli::from_arg_matches(&matches).unwrap();
        let (Command::Generate(args), Some((_, sub))) = (&mut cli.command, matches.subcommand())
        else {
            panic!("not generate");
        };
        args.options.prefer_typed_runtime(sub);
        (
            args.options.runtime_path.clone(),
            args.options.runtime_version.clone(),
        )
    }

    #[test]
    fn a_typed_runtime_flag_beats_the_other_kind_in_the_file() {
        let by_version = "[generate]\nruntime_version = \"0.1\"\n";
        assert_eq!(runtime_options(by_version, &[]), (None, Some("0.1".into())));
        assert_eq!(
            runtime_options(by_version, &["--runtime-path", "/r"]),
            (Some("/r".into()), None)
        );
        let by_path = "[generate]\nruntime_path = \"/checkout/runtime\"\n";
        assert_eq!(
            runtime_options(by_path, &[]),
            (Some("/checkout/runtime".into()), None)
        );
        assert_eq!(
            runtime_options(by_path, &["--runtime-version", "0.2"]),
            (None, Some("0.2".into()))
        );
    }

    #[test]
    fn dotenv_errors_give_the_line_number_not_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "ODOO_URL=http://x\n# c\nODOO_PASSWORD hunter2\n").unwrap();
        let err = match dotenvy::from_path_iter(&path)
            .unwrap()
            .find_map(Result::err)
        {
            Some(dotenvy::Error::LineParse(content, index)) => {
                dotenv_line_error(&path, &content, index)
            }
            other => panic!("expected a parse error, got {other:?}"),
        };
        assert_eq!(err.line, Some(3));
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}
