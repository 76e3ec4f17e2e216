//! `cargo xtask diff` (being written).

/// Options of `cargo xtask diff`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`diff` is not implemented yet")
}
