//! `cargo odoo`: the odoo-codegen command line as a cargo subcommand (`cargo install
//! odoo-codegen-cli`, then `cargo odoo generate`).

use std::ffi::OsString;

fn main() -> std::process::ExitCode {
    // Cargo runs `cargo-odoo odoo ARGS...` for `cargo odoo ARGS...`; run directly, there is no
    // `odoo` argument to drop.
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "odoo") {
        args.remove(1);
    }
    odoo_codegen_cli::App::new("cargo odoo").run_with_args(args)
}
