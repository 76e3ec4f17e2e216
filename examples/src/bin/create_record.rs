//! `res.partner.create({"name": "New Partner"})`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let id = odoo_examples::create_record::run(&client).await?;
        Ok(format!("created res.partner #{}", id.get()))
    })
}
