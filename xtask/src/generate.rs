//! `cargo xtask generate` (being written).

/// Options of `cargo xtask generate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`generate` is not implemented yet")
}
