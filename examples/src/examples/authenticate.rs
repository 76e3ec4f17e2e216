//! `common.authenticate(db, login, password, {})`: the uid of the user.

use odoo_runtime::Result;
use odoo_runtime::client::Client;

/// Logs in and returns the uid (a wrong password is an `AccessDenied` error).
pub async fn run(client: &Client) -> Result<i64> {
    client.authenticate().await
}
