//! `res.partner.read([id])` and `read([id], fields=[...])`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let output = odoo_examples::read_records::run(&client).await?;
        Ok(odoo_examples::read_records::describe(&output))
    })
}
