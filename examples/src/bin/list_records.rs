//! `res.partner.search([["is_company", "=", true]])`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let ids = odoo_examples::list_records::run(&client).await?;
        Ok(format!("companies: {}", odoo_examples::show_ids(&ids)))
    })
}
