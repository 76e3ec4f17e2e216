//! `common.version()`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let version = odoo_examples::version::run(&client).await?;
        Ok(odoo_examples::version::describe(&version))
    })
}
