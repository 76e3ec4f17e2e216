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
        Error::Server(e) if e.http_status == Some(404) => {
            "/doc-bearer answered 404 (no such model)".to_owned()
        }
        other => crate::exit::one_line(&anyhow::Error::msg(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use odoo_replay::fixtures::{read_dump_tree, read_text_tree};
    use odoo_replay::{ReplayServer, Reply};
    use serde_json::Value;

    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef01234567";

    fn testdata() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/odoo-19.0")
    }

    /// The committed 19.0 subset snapshot, without its methods and field modules (what
    /// introspection has before this step), plus a model the recordings do not describe.
    fn schema_without_methods() -> (Schema, Schema) {
        let files = read_text_tree(&testdata().join("snapshot")).unwrap();
        let committed = odoo_codegen::snapshot::from_files(&files).unwrap();
        let mut bare = committed.clone();
        for model in bare.models.values_mut() {
            model.methods.clear();
            for field in model.fields.values_mut() {
                field.module = None;
                if field.name.starts_with("activity_") {
                    field.modules.retain(|m| m != "mail");
                }
            }
        }
        let mut extra = bare.models["res.partner"].clone();
        extra.name = "res.country".to_owned();
        bare.models.insert(extra.name.clone(), extra);
        (bare, committed)
    }

    /// A server answering `/doc-bearer` from the recordings (the recorded 404 for other models).
    fn recorded_server() -> ReplayServer {
        let files = read_dump_tree(&testdata().join("doc-bearer")).unwrap();
        let unknown: Value = serde_json::from_slice(&files["errors/unknown-model.json"]).unwrap();
        ReplayServer::builder()
            .handler(move |req| {
                let path = req.path.strip_prefix("/doc-bearer/")?;
                let key = if path == "index.json" {
                    path.to_owned()
                } else {
                    format!("models/{path}")
                };
                Some(match files.get(&key) {
                    Some(body) => Reply::new(200, "application/json", body.clone()),
                    None => Reply::json(404, &unknown["body"]),
                })
            })
            .start()
            .unwrap()
    }

    fn client(server: &ReplayServer) -> Client {
        Client::builder()
            .url(server.url())
            .database("odoo19")
            .api_key(KEY)
            .build()
            .unwrap()
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn methods_and_field_modules_are_read_from_the_recorded_answers() {
        let (mut schema, committed) = schema_without_methods();
        let server = recorded_server();
        let (warnings, stats) = block_on(read_methods(&client(&server), &mut schema, 4));
        // The index lists res.country, which the recordings do not describe: one warning.
        let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 1, "{text:?}");
        assert!(
            text[0]
                == "methods of 1 model(s) were not read (res.country): res.country: /doc-bearer \
                    answered 404 (no such model)",
            "{text:?}"
        );
        assert_eq!(
            stats,
            Stats {
                requests: 1 + 8,
                models: 7,
                failed_models: 1
            }
        );
        assert!(schema.models["res.country"].methods.is_empty());
        schema.models.remove("res.country");
        assert_eq!(schema, committed);
    }

    #[test]
    fn when_methods_cannot_be_read_one_warning_says_why() {
        let files = read_dump_tree(&testdata().join("doc-bearer")).unwrap();
        let recorded = |case: &str| -> Reply {
            let record: Value =
                serde_json::from_slice(&files[&format!("errors/{case}.json")]).unwrap();
            Reply::json(record["status"].as_u64().unwrap() as u16, &record["body"])
        };
        let cases: Vec<(&str, Reply, &str)> = vec![
            (
                "user outside the group",
                recorded("user-without-group-index"),
                "the user may not read it (This page is only accessible to Technical Documentation users.); /doc-bearer needs the group Technical Documentation (api_doc.group_allow_doc)",
            ),
            (
                "refused key",
                recorded("password-as-key"),
                "/doc-bearer refused the API key (Invalid apikey)",
            ),
            (
                "no api_doc module",
                Reply::html(404, "<html><title>404</title></html>"),
                "/doc-bearer answered 404: the module api_doc (Odoo 19) is not installed",
            ),
        ];
        for (name, reply, why) in cases {
            let (mut schema, _) = schema_without_methods();
            let before = schema.clone();
            let server = ReplayServer::with_handler(move |_| reply.clone()).unwrap();
            let (warnings, stats) = block_on(read_methods(&client(&server), &mut schema, 4));
            let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
            assert_eq!(text, [format!("methods were not read: {why}")], "{name}");
            assert_eq!(stats.requests, 1, "{name}: the index only");
            assert_eq!(schema, before, "{name}: today's schema");
        }

        // A password: nothing sent.
        let server = recorded_server();
        let password = Client::builder()
            .url(server.url())
            .database("odoo19")
            .login("admin")
            .password("admin")
            .build()
            .unwrap();
        let (mut schema, _) = schema_without_methods();
        let (warnings, _) = block_on(read_methods(&password, &mut schema, 4));
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .to_string()
                .starts_with("methods were not read: /doc-bearer takes an API key"),
            "{warnings:?}"
        );
        assert!(server.requests().is_empty());

        // An older Odoo: not asked at all.
        let (mut schema, _) = schema_without_methods();
        schema.odoo_version = "18.0".to_owned();
        let (warnings, stats) = block_on(read_methods(&client(&server), &mut schema, 4));
        assert_eq!(
            warnings[0].to_string(),
            "methods were not read: Odoo 18.0 has no /doc-bearer (Odoo 19 and later describe model methods)"
        );
        assert_eq!(stats.requests, 0);
        assert!(server.requests().is_empty());
    }
}
