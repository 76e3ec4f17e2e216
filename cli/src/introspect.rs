//! `cargo xtask introspect`: read a schema from a live instance (or a dump) and write a snapshot.
//!
//! Live introspection reads Odoo's reflection models in bulk and calls `fields_get` only where the
//! bulk data is not enough:
//! 0. `fields_get(attributes=[type])` on `ir.model`, `ir.model.fields` and
//!    `ir.model.fields.selection`: which of the fields below this server's version has (the
//!    selection model exists from 13.0 on; without it, selections come from step 3);
//! 1. `ir.model` (one `search_read` with an explicit field list: never `count`, which runs a
//!    `COUNT(*)` per model);
//! 2. `ir.model.fields` and `ir.model.fields.selection`, paged `search_read`s (explicit field lists,
//!    ordered by id), run concurrently;
//! 3. `fields_get(allfields=[...], attributes=[type, selection, currency_field, model_field])` for the
//!    models [`odoo_codegen::dump::fields_get_needs`] names (dynamic selections, monetary fields
//!    without a reflected currency, many2one_reference fields: 92 of 507 models on the recorded
//!    18.0), with bounded concurrency and a progress display;
//! 4. on Odoo 19 and later, every model's public methods from `/doc-bearer` ([`crate::methods`]:
//!    one warning instead when they cannot be read).
//!
//! A `fields_get` that fails is retried over JSON-RPC when the connection uses XML-RPC (Odoo 18's
//! `product.pricelist` cannot be marshalled over XML-RPC); if that fails too, the model keeps its
//! `ir.model.fields` data and a warning names it. One model never aborts the run.
//!
//! The rows then go through [`odoo_codegen::dump::merge`], the same code that loads a dump, so a live
//! snapshot and a snapshot of a dump of the same server are byte-identical.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use odoo_codegen::Schema;
use odoo_codegen::dump::{self, FieldsGet, IrField, IrModel, IrSelection, Sources};
use odoo_codegen::error::Warning;
use odoo_runtime::client::{Client, SearchOptions, Transport};
use serde::de::DeserializeOwned;

use crate::connection::ConnectionArgs;
use crate::{output, ui};

/// Options of `cargo xtask introspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Read this dump directory (the reflection calls' JSON answers) instead of a live instance.
    #[arg(long, value_name = "DIR")]
    pub dump: Option<PathBuf>,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[command(flatten)]
    pub demo: crate::demo::DemoArgs,
    /// Snapshot directory to write (replaced atomically).
    #[arg(long, visible_alias = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Live introspection: at most this many `fields_get` calls in flight.
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY, value_name = "N")]
    pub concurrency: usize,
    /// Write nothing; exit 1 listing the files that differ when the snapshot in --out is stale.
    #[arg(long)]
    pub check: bool,
}

/// Default bound on concurrent `fields_get` calls.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// Rows per `search_read` page of the bulk reads.
pub const PAGE_SIZE: usize = 5000;

/// Runs the command.
pub fn run(mut args: Args) -> anyhow::Result<ExitCode> {
    let summary = ui::Summary::start("introspect");
    if args.demo.demo && args.dump.is_some() {
        return Err(
            crate::exit::UsageError("--demo and --dump name two sources: give one".into()).into(),
        );
    }
    args.demo.resolve(&mut args.connection)?;
    let (schema, warnings) = match &args.dump {
        Some(dir) => load_dump(dir)?,
        None => {
            let (schema, warnings, stats) = introspect_live(&args.connection, args.concurrency)?;
            tracing::info!(
                "{} requests: version, {} reflection probes, {} bulk search_read pages, {} fields_get calls ({} models failed)",
                stats.total(),
                stats.probe_requests,
                stats.bulk_requests,
                stats.fields_get_requests,
                stats.failed_models
            );
            (schema, warnings)
        }
    };
    for warning in &warnings {
        ui::warn(warning.to_string());
    }
    if schema.models.is_empty() {
        // Written, it would replace a good snapshot with nothing.
        anyhow::bail!(
            "no model to write: ir.model is empty or this user can read none of it; the snapshot \
             was left as it was"
        );
    }
    let files = odoo_codegen::snapshot::to_files(&schema);
    let fields: usize = schema.models.values().map(|m| m.fields.len()).sum();
    if args.check {
        let differences = output::compare(&args.out, &files)?;
        if differences.is_empty() {
            summary
                .count(schema.models.len() as u64, "models")
                .count(fields as u64, "fields")
                .files(files.len() as u64, "up to date", Some(&args.out))
                .print();
            return Ok(ExitCode::SUCCESS);
        }
        ui::clear();
        output::report_stale(
            &args.out,
            &differences,
            &crate::app::named(
                "run the same command without --check to update the snapshot (`cargo xtask diff` \
                 shows what changed)",
            ),
        );
        return Ok(ExitCode::from(crate::exit::DIFFERENCES));
    }
    let written = output::write_atomically(&args.out, &files, output::Kind::Snapshot)
        .with_context(|| format!("writing the snapshot to `{}`", args.out.display()))?;
    summary
        .count(schema.models.len() as u64, "models")
        .count(fields as u64, "fields")
        .files(written.files as u64, "written", Some(&args.out))
        .print();
    Ok(ExitCode::SUCCESS)
}

/// Loads a dump directory.
pub fn load_dump(dir: &Path) -> anyhow::Result<(Schema, Vec<Warning>)> {
    let files = output::read_dump_tree(dir)?;
    dump::from_dump(&files).with_context(|| format!("loading the dump `{}`", dir.display()))
}

/// Loads a snapshot directory.
pub fn load_snapshot(dir: &Path) -> anyhow::Result<Schema> {
    if !dir.exists() {
        anyhow::bail!(
            "`{}` is neither a snapshot directory nor a snapshot built into the tool ({})",
            dir.display(),
            crate::embedded::names()
        );
    }
    if !dir.join(odoo_codegen::snapshot::INDEX_FILE).is_file() {
        anyhow::bail!(
            "`{}` is not a snapshot directory (no {} in it)",
            dir.display(),
            odoo_codegen::snapshot::INDEX_FILE
        );
    }
    let files = output::read_text_tree(dir)?;
    odoo_codegen::snapshot::from_files(&files)
        .with_context(|| format!("reading the snapshot `{}`", dir.display()))
}

// ---- live introspection ------------------------------------------------------------------------

/// The connection options (kept under this name for the subcommands that already use it).
pub type Connection = ConnectionArgs;

/// Introspects the instance named by `connection` (a small runtime of its own).
pub fn introspect_live(
    connection: &ConnectionArgs,
    concurrency: usize,
) -> anyhow::Result<(Schema, Vec<Warning>, Stats)> {
    check_settings(connection)?;
    let client = connection.client()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        // Log in first: missing or wrong credentials fail before anything else is asked.
        client.authenticate().await.context("logging in")?;
        let resolved = client.transport().await?;
        let fallback = if resolved == Transport::XmlRpc {
            Some(Arc::new(Live {
                client: connection.client_with(Transport::JsonRpc)?,
                fallback: None,
            }))
        } else {
            None
        };
        let live = Arc::new(Live {
            client: client.clone(),
            fallback,
        });
        let (mut schema, mut warnings, stats) = introspect(live, concurrency, PAGE_SIZE).await?;
        // Odoo 19's /doc-bearer: public methods (one warning says why when they cannot be read).
        let (more, methods) = crate::methods::read_methods(&client, &mut schema, concurrency).await;
        tracing::info!("methods: {methods:?}");
        warnings.extend(more);
        Ok((schema, warnings, stats))
    })
}

/// Names every missing connection setting at once, before anything is sent (a client configuration
/// error: bad usage, with the hint listing where settings come from).
fn check_settings(connection: &ConnectionArgs) -> anyhow::Result<()> {
    let mut missing = Vec::new();
    if !connection.is_set() {
        missing.push("ODOO_URL (--url)");
    }
    // JSON-2 identifies the user by the API key; the database is optional there.
    if connection.transport != Transport::Json2 {
        if connection.db.as_deref().is_none_or(str::is_empty) {
            missing.push("ODOO_DB (--db)");
        }
        if connection.user.as_deref().is_none_or(str::is_empty) {
            missing.push("ODOO_USER (--user)");
        }
    }
    if connection.password.is_none() && connection.api_key.is_none() {
        missing.push("ODOO_PASSWORD or ODOO_API_KEY");
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(odoo_runtime::Error::Config(format!(
        "missing connection settings: {}",
        missing.join(", ")
    ))
    .into())
}

/// [`Rpc`] over the runtime client.
pub struct Live {
    client: Client,
    fallback: Option<Arc<Live>>,
}

impl Rpc for Live {
    async fn server_version(&self) -> anyhow::Result<String> {
        Ok(self.client.version().await?.server_version)
    }

    async fn search_read<T: DeserializeOwned + Send + 'static>(
        &self,
        model: &str,
        fields: &[&str],
        after_id: i64,
        limit: usize,
    ) -> anyhow::Result<Vec<T>> {
        let options = SearchOptions::new().limit(limit as u64).order("id");
        let domain = [("id", ">", after_id)];
        Ok(self
            .client
            .search_read(model, &domain, fields, options)
            .await?)
    }

    async fn fields_get(
        &self,
        model: &str,
        allfields: &[String],
        attributes: &[&str],
    ) -> anyhow::Result<FieldsGet> {
        let kwargs = serde_json::json!({ "allfields": allfields, "attributes": attributes });
        let args: [(); 0] = [];
        Ok(self
            .client
            .execute_kw(model, "fields_get", &args, &kwargs)
            .await?)
    }

    fn json_fallback(&self) -> Option<Arc<Self>> {
        self.fallback.clone()
    }
}

/// What live introspection needs from a connection to Odoo.
pub trait Rpc: Send + Sync + 'static {
    /// `common.version()["server_version"]`.
    fn server_version(&self) -> impl Future<Output = anyhow::Result<String>> + Send;

    /// `search_read([("id", ">", after_id)], fields, limit=, order="id")` on `model`.
    fn search_read<T: DeserializeOwned + Send + 'static>(
        &self,
        model: &str,
        fields: &[&str],
        after_id: i64,
        limit: usize,
    ) -> impl Future<Output = anyhow::Result<Vec<T>>> + Send;

    /// `fields_get(allfields, attributes)` on `model`.
    fn fields_get(
        &self,
        model: &str,
        allfields: &[String],
        attributes: &[&str],
    ) -> impl Future<Output = anyhow::Result<FieldsGet>> + Send;

    /// A connection to the same server over JSON-RPC, to retry what failed over XML-RPC (`None`
    /// when this connection is not XML-RPC).
    fn json_fallback(&self) -> Option<Arc<Self>>
    where
        Self: Sized;
}

/// Counters of one live introspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// `fields_get` calls on the reflection models, to learn which of their fields exist.
    pub probe_requests: usize,
    /// `search_read` calls.
    pub bulk_requests: usize,
    /// `fields_get` calls (retries included).
    pub fields_get_requests: usize,
    /// Models whose `fields_get` failed on every transport.
    pub failed_models: usize,
}

impl Stats {
    /// Every RPC call made, `version()` included.
    pub fn total(&self) -> usize {
        1 + self.probe_requests + self.bulk_requests + self.fields_get_requests
    }
}

/// A reflection row's record id, by which [`read_all`] pages.
trait RowId {
    fn row_id(&self) -> i64;
}

impl RowId for IrModel {
    fn row_id(&self) -> i64 {
        self.id
    }
}

impl RowId for IrField {
    fn row_id(&self) -> i64 {
        self.id
    }
}

impl RowId for IrSelection {
    fn row_id(&self) -> i64 {
        self.id
    }
}

/// Every row of `model`, `page` at a time, by id: each page asks for the ids after the last one
/// read. (Paging by offset would skip a row whenever one before it is deleted between two pages,
/// as uninstalling a module while introspection runs does.)
async fn read_all<R: Rpc, T: DeserializeOwned + RowId + Send + 'static>(
    rpc: &R,
    model: &str,
    fields: &[&str],
    page: usize,
    requests: &mut usize,
) -> anyhow::Result<Vec<T>> {
    let mut rows: Vec<T> = Vec::new();
    let mut after_id = 0;
    loop {
        let batch: Vec<T> = rpc
            .search_read(model, fields, after_id, page)
            .await
            .with_context(|| format!("reading {model} (ids after {after_id})"))?;
        *requests += 1;
        let done = batch.len() < page;
        let Some(last) = batch.iter().map(RowId::row_id).max() else {
            return Ok(rows);
        };
        if last <= after_id {
            anyhow::bail!(
                "reading {model}: asked for ids after {after_id}, the server answered ids up to \
                 {last} (it ignored the domain)"
            );
        }
        after_id = last;
        rows.extend(batch);
        if done {
            return Ok(rows);
        }
    }
}

/// Introspects a live instance: the rows of [`Sources`], then [`dump::merge`].
pub async fn introspect<R: Rpc>(
    rpc: Arc<R>,
    concurrency: usize,
    page: usize,
) -> anyhow::Result<(Schema, Vec<Warning>, Stats)> {
    let page = page.max(1);
    let mut stats = Stats::default();
    let odoo_version = rpc
        .server_version()
        .await
        .context("reading the server version")?;

    // The reflection models' fields differ between Odoo versions (and `ir.model.fields.selection`
    // only exists from 13.0 on): ask the server which it has, then read only those.
    let (model_fields, field_fields, selection_fields) = tokio::join!(
        present_fields(&*rpc, "ir.model"),
        present_fields(&*rpc, "ir.model.fields"),
        present_fields(&*rpc, "ir.model.fields.selection"),
    );
    stats.probe_requests = 3;
    let model_fields = readable(&IrModel::FIELDS, model_fields.as_ref());
    let field_fields = readable(&IrField::FIELDS, field_fields.as_ref());
    let selection_fields = readable(&IrSelection::FIELDS, selection_fields.as_ref());

    let (mut n1, mut n2, mut n3) = (0, 0, 0);
    let (models, fields, selections) = tokio::join!(
        read_all::<R, IrModel>(&*rpc, "ir.model", &model_fields, page, &mut n1),
        read_all::<R, IrField>(&*rpc, "ir.model.fields", &field_fields, page, &mut n2),
        read_all::<R, IrSelection>(
            &*rpc,
            "ir.model.fields.selection",
            &selection_fields,
            page,
            &mut n3
        ),
    );
    stats.bulk_requests = n1 + n2 + n3;
    let (models, fields) = (models?, fields?);
    // Without selection rows every selection comes from `fields_get`: slower, same schema.
    let mut early_warnings = Vec::new();
    let selections = selections.unwrap_or_else(|err| {
        early_warnings.push(Warning::model(
            "ir.model.fields.selection",
            format!(
                "cannot be read ({}); selection values are read with fields_get instead",
                crate::exit::one_line(&err)
            ),
        ));
        Vec::new()
    });

    let needs = dump::fields_get_needs(&fields, &selections);
    let progress = ui::progress(needs.len() as u64, "fields_get");
    let semaphore = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (model, names) in needs {
        let rpc = Arc::clone(&rpc);
        let semaphore = Arc::clone(&semaphore);
        let progress = progress.clone();
        tasks.spawn(async move {
            let _permit = semaphore.acquire_owned().await;
            progress.set_message(model.clone());
            let attributes = dump::FIELDS_GET_ATTRIBUTES;
            let mut requests = 1;
            let mut result = rpc.fields_get(&model, &names, &attributes).await;
            if let Err(first) = &result
                && let Some(json) = rpc.json_fallback()
            {
                tracing::info!("{model}: fields_get failed ({first:#}); retrying over JSON-RPC");
                requests += 1;
                result = json
                    .fields_get(&model, &names, &attributes)
                    .await
                    .map_err(|second| second.context(format!("over XML-RPC: {first:#}")));
            }
            progress.inc(1);
            (model, result, requests)
        });
    }
    let mut fields_get = BTreeMap::new();
    let mut fields_get_failures = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (model, result, requests) = joined.context("a fields_get task panicked")?;
        stats.fields_get_requests += requests;
        match result {
            Ok(answer) => {
                fields_get.insert(model, answer);
            }
            Err(err) => {
                stats.failed_models += 1;
                fields_get_failures.insert(model, crate::exit::one_line(&err));
            }
        }
    }
    progress.finish();

    let sources = Sources {
        odoo_version,
        models,
        fields,
        selections,
        fields_get,
        fields_get_failures,
    };
    let (schema, mut warnings) = dump::merge(&sources);
    early_warnings.append(&mut warnings);
    Ok((schema, early_warnings, stats))
}

/// The fields the server has on a reflection model, from `fields_get` (`None` when that fails:
/// then every field this tool knows is asked for, and the read says what is wrong).
async fn present_fields<R: Rpc>(rpc: &R, model: &str) -> Option<BTreeSet<String>> {
    match rpc.fields_get(model, &[], &["type"]).await {
        Ok(answer) if !answer.is_empty() => Some(answer.into_keys().collect()),
        Ok(_) => None,
        Err(err) => {
            tracing::info!("{model}: fields_get failed ({err:#}); reading every known field");
            None
        }
    }
}

/// `known` fields the server has (all of them when that is not known).
fn readable<'a>(known: &[&'a str], present: Option<&BTreeSet<String>>) -> Vec<&'a str> {
    known
        .iter()
        .copied()
        .filter(|f| present.is_none_or(|p| p.contains(*f)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// An in-memory Odoo answering from a recorded dump, counting calls, failing `fields_get` of
    /// the models named in `fail` (on XML-RPC only, or everywhere).
    struct Memory {
        sources: Sources,
        raw_fields_get: BTreeMap<String, FieldsGet>,
        fail_xmlrpc: Vec<String>,
        fail_json: Vec<String>,
        json: bool,
        calls: Arc<AtomicUsize>,
        /// Reflection fields this server lacks (an older Odoo), by model: `fields_get` does not
        /// list them and a `search_read` asking for one fails.
        missing: BTreeMap<String, Vec<String>>,
        /// No `ir.model.fields.selection` model (Odoo before 13.0).
        no_selection_model: bool,
        /// An `ir.model.fields` row deleted once the first page was served (a module uninstalled
        /// while introspection runs).
        deleted_after_first_page: Option<i64>,
    }

    impl Memory {
        fn new(dump: &str) -> Self {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../testdata")
                .join(dump)
                .join("schema");
            let files = output::read_dump_tree(&dir).unwrap();
            let sources = dump::sources_from_dump(&files).unwrap();
            Memory {
                raw_fields_get: sources.fields_get.clone(),
                sources,
                fail_xmlrpc: vec!["product.pricelist".into()],
                fail_json: Vec::new(),
                json: false,
                calls: Arc::new(AtomicUsize::new(0)),
                missing: BTreeMap::new(),
                no_selection_model: false,
                deleted_after_first_page: None,
            }
        }

        fn lacks(&self, model: &str, field: &str) -> bool {
            self.missing
                .get(model)
                .is_some_and(|fields| fields.iter().any(|f| f == field))
        }

        fn knows(&self, model: &str) -> bool {
            !(self.no_selection_model && model == "ir.model.fields.selection")
        }
    }

    /// One page of `rows`, each holding only `id` and the requested `fields`, as Odoo answers.
    /// The rows after `after_id` in id order, as `search_read` answers them.
    fn page<T: DeserializeOwned, S: serde::Serialize>(
        rows: &[S],
        fields: &[&str],
        after_id: i64,
        limit: usize,
    ) -> Vec<T> {
        let mut rows: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| serde_json::to_value(r).unwrap())
            .filter(|r| r["id"].as_i64().is_some_and(|id| id > after_id))
            .collect();
        rows.sort_by_key(|r| r["id"].as_i64());
        rows.into_iter()
            .take(limit)
            .map(|mut row| {
                if let Some(members) = row.as_object_mut() {
                    members.retain(|k, _| k == "id" || fields.contains(&k.as_str()));
                }
                serde_json::from_value(row).unwrap()
            })
            .collect()
    }

    impl Rpc for Memory {
        async fn server_version(&self) -> anyhow::Result<String> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            Ok(self.sources.odoo_version.clone())
        }
        async fn search_read<T: DeserializeOwned + Send + 'static>(
            &self,
            model: &str,
            fields: &[&str],
            after_id: i64,
            limit: usize,
        ) -> anyhow::Result<Vec<T>> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            anyhow::ensure!(self.knows(model), "unknown model {model}");
            if let Some(field) = fields.iter().find(|f| self.lacks(model, f)) {
                anyhow::bail!("Invalid field {field:?} on model {model:?}");
            }
            Ok(match model {
                "ir.model" => page(&rows::models(&self.sources), fields, after_id, limit),
                "ir.model.fields" => {
                    let mut rows = rows::fields(&self.sources);
                    if after_id > 0 {
                        rows.retain(|r| r["id"].as_i64() != self.deleted_after_first_page);
                    }
                    page(&rows, fields, after_id, limit)
                }
                "ir.model.fields.selection" => {
                    page(&rows::selections(&self.sources), fields, after_id, limit)
                }
                other => anyhow::bail!("unexpected model {other}"),
            })
        }
        async fn fields_get(
            &self,
            model: &str,
            allfields: &[String],
            _attributes: &[&str],
        ) -> anyhow::Result<FieldsGet> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            let failing = if self.json {
                &self.fail_json
            } else {
                &self.fail_xmlrpc
            };
            if failing.iter().any(|m| m == model) {
                anyhow::bail!("TypeError: cannot marshal None unless allow_none is enabled");
            }
            anyhow::ensure!(self.knows(model), "unknown model {model}");
            let all = self.raw_fields_get.get(model).cloned().unwrap_or_default();
            // As Odoo: no `allfields` means every field.
            Ok(all
                .into_iter()
                .filter(|(name, _)| allfields.is_empty() || allfields.contains(name))
                .filter(|(name, _)| !self.lacks(model, name))
                .collect())
        }
        fn json_fallback(&self) -> Option<Arc<Self>> {
            (!self.json).then(|| {
                Arc::new(Memory {
                    sources: self.sources.clone(),
                    raw_fields_get: self.raw_fields_get.clone(),
                    fail_xmlrpc: self.fail_xmlrpc.clone(),
                    fail_json: self.fail_json.clone(),
                    json: true,
                    calls: Arc::clone(&self.calls),
                    missing: self.missing.clone(),
                    no_selection_model: self.no_selection_model,
                    deleted_after_first_page: self.deleted_after_first_page,
                })
            })
        }
    }

    /// The dump rows back as JSON rows the way the server sends them.
    mod rows {
        use super::*;
        use serde_json::{Value, json};

        fn opt(v: &Option<String>) -> Value {
            v.as_ref().map_or(Value::Bool(false), |s| json!(s))
        }

        pub fn models(s: &Sources) -> Vec<Value> {
            s.models
                .iter()
                .map(|m| {
                    json!({"id": m.id, "model": m.model, "name": m.name, "info": opt(&m.info), "state": m.state,
                           "transient": m.transient, "modules": m.modules, "order": opt(&m.order)})
                })
                .collect()
        }
        pub fn fields(s: &Sources) -> Vec<Value> {
            s.fields
                .iter()
                .map(|f| {
                    json!({"id": f.id, "model": f.model, "name": f.name, "ttype": f.ttype,
                        "field_description": f.field_description, "help": opt(&f.help),
                        "required": f.required, "readonly": f.readonly, "store": f.store,
                        "state": f.state, "relation": opt(&f.relation),
                        "relation_field": opt(&f.relation_field), "related": opt(&f.related),
                        "company_dependent": f.company_dependent, "translate": f.translate,
                        "modules": f.modules, "currency_field": opt(&f.currency_field)})
                })
                .collect()
        }
        pub fn selections(s: &Sources) -> Vec<Value> {
            s.selections
                .iter()
                .map(|r| {
                    json!({"id": r.id, "field_id": [r.field_id, "x"], "value": r.value,
                           "name": r.name, "sequence": r.sequence})
                })
                .collect()
        }
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn recorded_schema() -> Schema {
        load_dump(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/odoo-18.0/schema"))
            .unwrap()
            .0
    }

    #[test]
    fn live_introspection_equals_the_dump_with_few_requests() {
        // As recorded: product.pricelist's fields_get fails over XML-RPC. Introspection never asks
        // for it: none of its fields needs fields_get.
        let memory = Memory::new("odoo-18.0");
        let calls = Arc::clone(&memory.calls);
        let (schema, warnings, stats) = block_on(introspect(Arc::new(memory), 8, 2000)).unwrap();
        assert_eq!(schema, recorded_schema());
        // 1 ir.model page, 5 ir.model.fields pages (9,774 rows), 2 selection pages (2,176 rows).
        assert_eq!(stats.bulk_requests, 1 + 5 + 2);
        assert_eq!(stats.fields_get_requests, 92);
        assert_eq!(stats.failed_models, 0);
        assert_eq!(stats.total(), calls.load(Ordering::Relaxed));
        assert_eq!(stats.probe_requests, 3);
        assert_eq!(
            stats.total(),
            104,
            "versus 507 fields_get calls for the Python loop"
        );
        // Only the monetary fields hidden by groups are reported.
        let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 1, "{text:#?}");
        assert!(
            text[0].starts_with("account.analytic.account: fields_get did not report credit"),
            "{text:?}"
        );
    }

    /// A field deleted between two pages of `ir.model.fields` costs no other field: paging is by
    /// id, not by offset (which would shift every later row and skip one).
    #[test]
    fn a_row_deleted_between_pages_skips_no_other_row() {
        let mut memory = Memory::new("odoo-18.0");
        let mut ids: Vec<i64> = memory.sources.fields.iter().map(|f| f.id).collect();
        ids.sort_unstable();
        memory.deleted_after_first_page = Some(ids[10]);
        let (schema, _, stats) = block_on(introspect(Arc::new(memory), 8, 2000)).unwrap();
        assert_eq!(stats.bulk_requests, 1 + 5 + 2);
        // The deleted row was read before it went; every other row is there too.
        assert_eq!(schema, recorded_schema());
    }

    /// An older server: reflection fields this tool reads are absent, and so is the selection
    /// model. Introspection reads what exists and takes the selections from `fields_get`.
    #[test]
    fn an_older_server_without_some_reflection_fields_is_read_all_the_same() {
        let mut memory = Memory::new("odoo-18.0");
        memory.missing = BTreeMap::from([
            ("ir.model".to_owned(), vec!["order".to_owned()]),
            (
                "ir.model.fields".to_owned(),
                vec!["currency_field".to_owned(), "company_dependent".to_owned()],
            ),
        ]);
        memory.no_selection_model = true;
        let (schema, warnings, stats) =
            block_on(introspect(Arc::new(memory), 8, PAGE_SIZE)).unwrap();

        let mut expected = recorded_schema();
        for model in expected.models.values_mut() {
            model.order = None;
            for field in model.fields.values_mut() {
                field.company_dependent = false;
            }
        }
        assert_eq!(
            schema.models.keys().collect::<Vec<_>>(),
            expected.models.keys().collect::<Vec<_>>()
        );
        for (name, want) in &expected.models {
            let got = &schema.models[name];
            assert_eq!(got.order, want.order, "{name}");
            for (field, want) in &want.fields {
                assert_eq!(got.fields.get(field), Some(want), "{name}.{field}");
            }
        }
        assert_eq!(schema, expected);
        // Every selection and monetary field went through fields_get.
        assert!(stats.fields_get_requests > 92, "{stats:?}");
        assert_eq!(stats.failed_models, 0);
        let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|w| w.starts_with("ir.model.fields.selection: cannot be read")),
            "{text:#?}"
        );
    }

    #[test]
    fn a_model_failing_over_xmlrpc_is_retried_over_json_rpc() {
        let mut memory = Memory::new("odoo-18.0");
        memory.fail_xmlrpc.push("res.partner".into());
        let (schema, warnings, stats) =
            block_on(introspect(Arc::new(memory), 4, PAGE_SIZE)).unwrap();
        assert_eq!(schema, recorded_schema());
        assert_eq!(stats.fields_get_requests, 93);
        assert_eq!(stats.failed_models, 0);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn a_model_failing_everywhere_falls_back_with_a_warning() {
        let mut memory = Memory::new("odoo-18.0");
        memory.fail_json = vec!["res.partner".into(), "mail.message".into()];
        memory
            .fail_xmlrpc
            .extend(["res.partner".into(), "mail.message".into()]);
        let (schema, warnings, stats) =
            block_on(introspect(Arc::new(memory), 3, PAGE_SIZE)).unwrap();
        assert_eq!(stats.failed_models, 2);
        assert_eq!(schema.models.len(), 507);
        let partner = &schema.models["res.partner"];
        assert_eq!(partner.fields["lang"].selection.as_deref(), Some(&[][..]));
        assert_eq!(
            partner.fields["company_type"]
                .selection
                .as_ref()
                .map(Vec::len),
            Some(2)
        );
        assert_eq!(
            schema.models["mail.message"].fields["res_id"].model_field,
            None
        );
        let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|w| w.starts_with("res.partner: fields_get failed (")
                    && w.contains("cannot marshal None")
                    && w.contains("falling back to the ir.model.fields data")),
            "{text:#?}"
        );
        assert!(
            text.iter()
                .any(|w| w.starts_with("res.partner: no fields_get answer for")
                    && w.contains("lang"))
        );
        assert!(
            text.iter()
                .any(|w| w.starts_with("mail.message: fields_get failed"))
        );
    }
}
