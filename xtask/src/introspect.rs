//! `cargo xtask introspect` (being written).

/// Options of `cargo xtask introspect`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`introspect` is not implemented yet")
}
