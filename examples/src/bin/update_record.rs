//! `res.partner.write([id], {"name": "Newer partner"})` and read back. Usage: `update_record [ID]`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let id = odoo_examples::id_argument()?.map(odoo_runtime::types::Id::new);
        let name = odoo_examples::update_record::run(&client, id).await?;
        Ok(format!("display name now: {name:?}"))
    })
}
