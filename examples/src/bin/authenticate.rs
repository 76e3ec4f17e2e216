//! `common.authenticate(...)`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let uid = odoo_examples::authenticate::run(&client).await?;
        Ok(format!("uid {uid}"))
    })
}
