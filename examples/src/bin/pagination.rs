//! `res.partner.search([["is_company", "=", true]], offset=10, limit=5)`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let ids = odoo_examples::pagination::run(&client).await?;
        Ok(format!(
            "companies 11 to 15: {}",
            odoo_examples::show_ids(&ids)
        ))
    })
}
