//! Live introspection, last step: every model's public methods from Odoo 19's `/doc-bearer`.
//!
//! Self-contained: [`read_methods`] is called once the fields are read, and changes nothing but
//! the schema's methods and field modules (`odoo_codegen::methods::apply`). The index
//! (`/doc-bearer/index.json`) comes first: it says whether the server answers at all and which
//! models the user may read; then `/doc-bearer/<model>.json` for each of them, at most
//! `concurrency` in flight. When methods cannot be read at all (an Odoo before 19, a password
//! instead of an API key, a user outside `api_doc.group_allow_doc`, no `api_doc` module), the
//! schema keeps no methods and one warning says why; a model whose description fails is named in
//! one warning and keeps no methods.

use odoo_codegen::Schema;
use odoo_codegen::error::Warning;
use odoo_codegen::methods;
use odoo_runtime::Error;
use odoo_runtime::client::Client;

use crate::ui;

/// What reading the methods did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Requests sent (the index, then one per model).
    pub requests: usize,
    /// Models whose methods were read.
    pub models: usize,
    /// Models whose description could not be read.
    pub failed_models: usize,
}

/// The group `/doc-bearer` requires, as Odoo names it.
const GROUP: &str = "Technical Documentation (api_doc.group_allow_doc)";

/// Reads the methods of the schema's models into it; returns the warnings and counts.
pub async fn read_methods(
    client: &Client,
    schema: &mut Schema,
    concurrency: usize,
) -> (Vec<Warning>, Stats) {
    let mut stats = Stats::default();
    let not_read = |why: String| Warning::general(format!("methods were not read: {why}"));
    if methods::major_version(&schema.odoo_version).is_none_or(|major| major < 19) {
        let why = format!(
            "Odoo {} has no /doc-bearer (Odoo 19 and later describe model methods)",
            schema.odoo_version
        );
        return (vec![not_read(why)], stats);
    }
    stats.requests += 1;
    let index = match client.doc_index().await {
        Ok(body) => body,
        Err(e) => return (vec![not_read(why_not(&e))], stats),
    };
    let index = match methods::parse_index(&index) {
        Ok(index) => index,
        Err(e) => return (vec![not_read(e.to_string())], stats),
    };
    let wanted = methods::models_to_read(&index, schema);
    let unlisted = schema.models.len() - wanted.len();
    if unlisted > 0 {
        tracing::info!(
            "{unlisted} models are not in /doc-bearer/index.json (abstract models, or models the \
             user may not read): no methods for them"
        );
    }
    let progress = ui::progress(wanted.len() as u64, "doc-bearer");
    let answers = client
        .doc_models(wanted.iter().copied(), concurrency, |model| {
            progress.set_message(model.to_owned());
            progress.inc(1);
        })
        .await;
    progress.finish();
    stats.requests += answers.len();
    let mut warnings = Vec::new();
    let mut docs = Vec::with_capacity(answers.len());
    let mut failed: Vec<(String, String)> = Vec::new();
    for (model, answer) in answers {
        let parsed = answer
            .map_err(|e| why_not(&e))
            .and_then(|body| methods::parse_model(&body).map_err(|e| e.to_string()));
        match parsed {
            Ok((doc, mut more)) if doc.model == model => {
                warnings.append(&mut more);
                docs.push(doc);
            }
            Ok((doc, _)) => failed.push((
                model.to_owned(),
                format!("the answer describes `{}`", doc.model),
            )),
            Err(why) => failed.push((model.to_owned(), why)),
        }
    }
    stats.models = docs.len();
    stats.failed_models = failed.len();
    if let Some((first, why)) = failed.first() {
        let mut names: Vec<&str> = failed.iter().map(|(m, _)| m.as_str()).take(5).collect();
        if failed.len() > names.len() {
            names.push("...");
        }
        warnings.push(Warning::general(format!(
            "methods of {} model(s) were not read ({}): {first}: {why}",
            failed.len(),
            names.join(", ")
        )));
    }
    methods::apply(schema, docs);
    (warnings, stats)
}

/// Why `/doc-bearer` did not answer, in words that say what to change.
fn why_not(e: &Error) -> String {
    let server = e
        .server_error()
        .map(|s| s.message.lines().next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    match e {
        Error::Config(_) => format!(
            "/doc-bearer takes an API key and this connection uses a password: set ODOO_API_KEY \
             to a key of a user in the group {GROUP}"
        ),
        Error::AccessDenied(_) => format!("/doc-bearer refused the API key ({server})"),
        Error::AccessError(_) => {
            format!("the user may not read it ({server}); /doc-bearer needs the group {GROUP}")
        }
        Error::Http { status: 404, .. } => {
            "/doc-bearer answered 404: the module api_doc (Odoo 19) is not installed".to_owned()
        }
        other => crate::exit::one_line(&anyhow::Error::msg(other.to_string())),
    }
}
