//! `cargo xtask`: the odoo-codegen command line.

use clap::{Parser, Subcommand};

mod call;
mod decode;
mod diff;
mod generate;
mod introspect;

/// Typed Rust bindings for any Odoo instance.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
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
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => generate::run(args),
        Command::Introspect(args) => introspect::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Call(args) => call::run(args),
        Command::Decode(args) => decode::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
