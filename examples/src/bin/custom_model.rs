//! The custom-model example (`ir.model`, `ir.model.fields`, `ir.model.access`, `x_custom`).
fn main() -> std::process::ExitCode {
    odoo_examples::run_main(|client| async move {
        let output = odoo_examples::custom_model::run(&client).await?;
        Ok(odoo_examples::custom_model::describe(&output))
    })
}
