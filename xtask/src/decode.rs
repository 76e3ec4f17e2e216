//! `cargo xtask decode` (being written).

/// Options of `cargo xtask decode`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`decode` is not implemented yet")
}
