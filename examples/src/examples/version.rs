//! `common.version()`: the server's version, no credentials needed.

use odoo_runtime::Result;
use odoo_runtime::client::{Client, Version};

/// Asks the server its version.
pub async fn run(client: &Client) -> Result<Version> {
    client.version().await
}

/// One line for the program's output.
pub fn describe(version: &Version) -> String {
    format!(
        "Odoo {} (series {}, protocol {})",
        version.server_version, version.server_serie, version.protocol_version
    )
}
