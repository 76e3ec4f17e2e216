//! `res.partner.fields_get(attributes=["string", "help", "type"])`.
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let fields = odoo_examples::list_fields::run(&client).await?;
        let lines: Vec<String> = fields
            .iter()
            .map(|f| format!("{} ({}): {}", f.name, f.field_type, f.string))
            .collect();
        Ok(lines.join("\n"))
    })
}
