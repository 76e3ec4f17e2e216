//! `res.partner.search_count([["is_company", "=", true]])`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let n = odoo_examples::count_records::run(&client).await?;
        Ok(format!("{n} companies"))
    })
}
