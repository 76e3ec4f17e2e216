//! `cargo xtask call` (being written).

/// Options of `cargo xtask call`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`call` is not implemented yet")
}
