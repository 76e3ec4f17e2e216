//! `Client::from_env` (one test in its own binary: it sets process environment variables).

mod client_support;

use client_support::server;
use odoo_runtime::client::{Client, Transport};

#[test]
fn builder_from_the_environment() {
    let server = server("jsonrpc");
    // SAFETY: this binary runs this single test; no other thread reads the environment meanwhile.
    unsafe {
        std::env::set_var("ODOO_URL", server.url());
        std::env::set_var("ODOO_DB", "odoo18");
        std::env::set_var("ODOO_USER", "admin");
        std::env::set_var("ODOO_PASSWORD", "admin");
        std::env::remove_var("ODOO_API_KEY");
        std::env::set_var("ODOO_TRANSPORT", "jsonrpc");
    }
    let client = Client::from_env().build_blocking().unwrap();
    assert_eq!(client.transport().unwrap(), Transport::JsonRpc);
    assert_eq!(client.authenticate().unwrap(), 2);
    let shown = format!("{client:?}");
    assert!(shown.contains("Password(Secret(***))"), "{shown}");

    unsafe { std::env::set_var("ODOO_TRANSPORT", "soap") };
    let err = Client::from_env().build().unwrap_err();
    assert!(err.to_string().contains("soap"), "{err}");
}
