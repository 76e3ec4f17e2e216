//! This repository's `cargo xtask`: the odoo-codegen command line (the `odoo-codegen-cli` library),
//! with generated crates depending on this checkout's `runtime/` by path.

use odoo_codegen_cli::{App, RuntimeDependency};

fn main() -> std::process::ExitCode {
    let manifest_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let runtime = manifest_dir.join("../runtime");
    App::xtask(manifest_dir)
        .runtime(RuntimeDependency::Path(runtime))
        .run()
}
