//! `res.partner.check_access_rights("read", raise_exception=False)`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let allowed = odoo_examples::check_access_rights::run(&client).await?;
        Ok(format!("may read res.partner: {allowed}"))
    })
}
