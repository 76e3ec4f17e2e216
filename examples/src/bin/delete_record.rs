//! `res.partner.unlink([id])`, then a search for it. Usage: `delete_record [ID]`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let id = odoo_examples::id_argument()?.map(odoo_runtime::types::Id::new);
        let left = odoo_examples::delete_record::run(&client, id).await?;
        Ok(format!(
            "deleted; a search for it finds {}",
            odoo_examples::show_ids(&left)
        ))
    })
}
