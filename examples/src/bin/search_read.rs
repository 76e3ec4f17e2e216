//! `res.partner.search_read([["is_company", "=", true]], fields=[...], limit=5)`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let rows = odoo_examples::search_read::run(&client).await?;
        let lines: Vec<String> = rows
            .iter()
            .map(|p| {
                let country = p.country_id.value().and_then(|c| c.name.clone());
                format!("#{} {:?} country {:?}", p.id.get(), p.name.value(), country)
            })
            .collect();
        Ok(lines.join("\n"))
    })
}
