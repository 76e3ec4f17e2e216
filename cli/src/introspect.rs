//! `cargo xtask introspect`: read a schema from a live instance (or a dump) and write a snapshot.
//!
//! Live introspection reads Odoo's reflection models in bulk and calls `fields_get` only where the
//! bulk data is not enough:
//! 0. `fields_get(attributes=[type])` on `ir.model`, `ir.model.fields` and
//!    `ir.model.fields.selection`: which of the fields below this server's version has (the
//!    selection model exists from 13.0 on; without it, selections come from step 3);
//! 1. `ir.model` (one `search_read` with an explicit field list: never `count`, which runs a
//!    `COUNT(*)` per model);
//! 2. `ir.model.fields` in two parts, the fields of the types `fields_get` may be needed for
//!    ([`odoo_codegen::dump::FIELDS_GET_TTYPES`], a small part) and the others, and
//!    `ir.model.fields.selection` (with `load=None`: no display name computed for `field_id`),
//!    paged `search_read`s (explicit field lists, ordered by id), run concurrently;
//! 3. as soon as the small part and the selection values are in, while the other fields are still
//!    being read: `fields_get(allfields=[...], attributes=[type, selection, currency_field,
//!    model_field])` for the models [`odoo_codegen::dump::fields_get_needs`] names (dynamic
//!    selections, monetary fields without a reflected currency, many2one_reference fields: 92 of
//!    507 models on the recorded 18.0), the models with the most such fields first, with bounded
//!    concurrency and a progress display;
//! 4. on Odoo 19 and later, every model's public methods from `/doc-bearer` ([`crate::methods`]:
//!    one warning instead when they cannot be read).
//!
//! The server's work is what takes the time (an Odoo server in threaded mode, the default
//! without `--workers`, runs its Python code under one lock, so the requests in flight share one
//! core): the order above keeps it busy from the first request to the last. `RUST_LOG=odoo_codegen_cli::introspect=debug` logs each request with its start and the
//! time the server took.
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
use odoo_runtime::client::{Client, Transport};
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
    #[command(flatten)]
    pub read: LiveRead,
    /// Write nothing; exit 1 listing the files that differ when the snapshot in --out is stale.
    #[arg(long)]
    pub check: bool,
}

/// Default bound on concurrent `fields_get` calls.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// How a live introspection reads the server (the options `introspect`, `generate` and `diff`
/// share).
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct LiveRead {
    /// Live introspection: at most this many `fields_get` (and `/doc-bearer`) calls in flight.
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY, value_name = "N")]
    pub concurrency: usize,
    /// Live introspection: do not read the models' public methods from `/doc-bearer` (Odoo 19 and
    /// later; one request per model): the snapshot and the bindings then have no typed method calls
    #[arg(long)]
    pub no_methods: bool,
}

impl Default for LiveRead {
    fn default() -> Self {
        LiveRead {
            concurrency: DEFAULT_CONCURRENCY,
            no_methods: false,
        }
    }
}
/// Rows per `search_read` page of the bulk reads.
pub const PAGE_SIZE: usize = 20000;

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
            let (schema, warnings, stats) = introspect_live(&args.connection, &args.read)?;
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
    read: &LiveRead,
) -> anyhow::Result<(Schema, Vec<Warning>, Stats)> {
    let concurrency = read.concurrency;
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
        let started = std::time::Instant::now();
        let fallback = if resolved == Transport::XmlRpc {
            Some(Arc::new(Live {
                client: connection.client_with(Transport::JsonRpc)?,
                fallback: None,
                started,
            }))
        } else {
            None
        };
        let live = Arc::new(Live {
            client: client.clone(),
            fallback,
            started,
        });
        let (mut schema, mut warnings, stats) = introspect(live, concurrency, PAGE_SIZE).await?;
        // Odoo 19's /doc-bearer: public methods (one warning says why when they cannot be read).
        if read.no_methods {
            tracing::info!("methods not read: --no-methods");
        } else {
            let (more, methods) =
                crate::methods::read_methods(&client, &mut schema, concurrency).await;
            tracing::info!("methods: {methods:?}");
            warnings.extend(more);
        }
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

/// [`Rpc`] over the runtime client. Each request is logged at debug level (target
/// `odoo_codegen_cli::introspect`) with when it started and how long the server took, so
/// `RUST_LOG=odoo_codegen_cli::introspect=debug` shows where an introspection spends its time.
pub struct Live {
    client: Client,
    fallback: Option<Arc<Live>>,
    started: std::time::Instant,
}

impl Live {
    /// Logs one request: what was asked, its start (ms since the first request), its duration.
    fn log(&self, request: std::fmt::Arguments<'_>, at: std::time::Instant, result: &str) {
        tracing::debug!(
            start_ms = at.duration_since(self.started).as_millis() as u64,
            elapsed_ms = at.elapsed().as_millis() as u64,
            "request {request}: {result}"
        );
    }
}

impl Rpc for Live {
    async fn server_version(&self) -> anyhow::Result<String> {
        let at = std::time::Instant::now();
        let version = self.client.version().await?.server_version;
        self.log(format_args!("version"), at, &version);
        Ok(version)
    }

    async fn search_read<T: DeserializeOwned + Send + 'static>(
        &self,
        model: &str,
        fields: &[&str],
        filter: Option<&serde_json::Value>,
        after_id: i64,
        limit: usize,
        bare_many2one: bool,
    ) -> anyhow::Result<Vec<T>> {
        let at = std::time::Instant::now();
        let mut kwargs = serde_json::json!({ "fields": fields, "limit": limit, "order": "id" });
        if bare_many2one {
            // `read(load=None)`: a many2one is its id, with no display name to compute.
            kwargs["load"] = serde_json::Value::Null;
        }
        let mut domain = vec![serde_json::json!(["id", ">", after_id])];
        domain.extend(filter.cloned());
        let rows: Vec<T> = self
            .client
            .execute_kw(model, "search_read", &(domain,), &kwargs)
            .await?;
        let filter = filter.map(|f| format!(", {f}")).unwrap_or_default();
        self.log(
            format_args!("{model} search_read id > {after_id}{filter}"),
            at,
            &format!("{} rows", rows.len()),
        );
        Ok(rows)
    }

    async fn fields_get(
        &self,
        model: &str,
        allfields: &[String],
        attributes: &[&str],
    ) -> anyhow::Result<FieldsGet> {
        let at = std::time::Instant::now();
        let kwargs = serde_json::json!({ "allfields": allfields, "attributes": attributes });
        let args: [(); 0] = [];
        let answer: FieldsGet = self
            .client
            .execute_kw(model, "fields_get", &args, &kwargs)
            .await?;
        self.log(
            format_args!("{model} fields_get"),
            at,
            &format!("{} fields", answer.len()),
        );
        Ok(answer)
    }

    fn json_fallback(&self) -> Option<Arc<Self>> {
        self.fallback.clone()
    }
}

/// What live introspection needs from a connection to Odoo.
pub trait Rpc: Send + Sync + 'static {
    /// `common.version()["server_version"]`.
    fn server_version(&self) -> impl Future<Output = anyhow::Result<String>> + Send;

    /// `search_read([("id", ">", after_id), filter], fields, limit=, order="id")` on `model`
    /// (`filter` is one more condition, when given); with `bare_many2one`, `load=None` too (a
    /// many2one is its id alone).
    fn search_read<T: DeserializeOwned + Send + 'static>(
        &self,
        model: &str,
        fields: &[&str],
        filter: Option<&serde_json::Value>,
        after_id: i64,
        limit: usize,
        bare_many2one: bool,
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

/// One bulk read: which rows of which model, which fields.
struct Read<'a> {
    model: &'a str,
    fields: &'a [&'a str],
    /// A condition added to the paging one (`[field, operator, value]`).
    filter: Option<serde_json::Value>,
    /// `load=None`: many2one values as ids, so the server computes no display names.
    bare_many2one: bool,
}

/// Every row of a [`Read`], `page` at a time, by id: each page asks for the ids after the last
/// one read. (Paging by offset would skip a row whenever one before it is deleted between two
/// pages, as uninstalling a module while introspection runs does.) A server that refuses `load`
/// (whose `search_read` takes no such argument) is asked again without it.
async fn read_all<R: Rpc, T: DeserializeOwned + RowId + Send + 'static>(
    rpc: &R,
    read: Read<'_>,
    page: usize,
    requests: &mut usize,
) -> anyhow::Result<Vec<T>> {
    let Read {
        model,
        fields,
        filter,
        mut bare_many2one,
    } = read;
    let mut rows: Vec<T> = Vec::new();
    let mut after_id = 0;
    loop {
        let answer = rpc
            .search_read(
                model,
                fields,
                filter.as_ref(),
                after_id,
                page,
                bare_many2one,
            )
            .await;
        *requests += 1;
        let batch: Vec<T> = match answer {
            Ok(batch) => batch,
            Err(err) if bare_many2one && after_id == 0 => {
                tracing::info!(
                    "{model}: search_read with load=None failed ({err:#}); reading it with \
                     display names"
                );
                bare_many2one = false;
                continue;
            }
            Err(err) => {
                return Err(err.context(format!("reading {model} (ids after {after_id})")));
            }
        };
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

    // `ir.model.fields` is read in two parts at once: the fields of the types `fields_get` may be
    // needed for (a small read), and the others (most of the rows). As soon as the first part
    // and the selection values are in, the `fields_get` calls start, while the second part is
    // still being read: the server works on both.
    let needs_filter = serde_json::json!(["ttype", "in", dump::FIELDS_GET_TTYPES]);
    let rest_filter = serde_json::json!(["ttype", "not in", dump::FIELDS_GET_TTYPES]);
    let (mut n_rest, mut n_models, mut n_special, mut n_selections) = (0, 0, 0, 0);
    let mut early_warnings = Vec::new();
    let rest = read_all::<R, IrField>(
        &*rpc,
        Read {
            model: "ir.model.fields",
            fields: &field_fields,
            filter: Some(rest_filter),
            bare_many2one: false,
        },
        page,
        &mut n_rest,
    );
    let early = async {
        let (models, special, selections) = tokio::join!(
            read_all::<R, IrModel>(
                &*rpc,
                Read {
                    model: "ir.model",
                    fields: &model_fields,
                    filter: None,
                    bare_many2one: false,
                },
                page,
                &mut n_models
            ),
            read_all::<R, IrField>(
                &*rpc,
                Read {
                    model: "ir.model.fields",
                    fields: &field_fields,
                    filter: Some(needs_filter),
                    bare_many2one: false,
                },
                page,
                &mut n_special
            ),
            // `field_id` is the only many2one read: its display name would cost the server a
            // `display_name` per field, for a name that is not used.
            read_all::<R, IrSelection>(
                &*rpc,
                Read {
                    model: "ir.model.fields.selection",
                    fields: &selection_fields,
                    filter: None,
                    bare_many2one: true,
                },
                page,
                &mut n_selections
            ),
        );
        let (models, special) = (models?, special?);
        // Without selection rows every selection comes from `fields_get`: slower, same schema.
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
        let answers = fields_get_all(&rpc, &special, &selections, concurrency).await?;
        anyhow::Ok((models, special, selections, answers))
    };
    let (rest, (models, special, selections, answers)) = tokio::try_join!(rest, early)?;
    stats.bulk_requests = n_rest + n_models + n_special + n_selections;
    stats.fields_get_requests = answers.requests;
    stats.failed_models = answers.failures.len();
    // In id order, as one paged read of every row gives them.
    let mut fields = special;
    fields.extend(rest);
    fields.sort_by_key(|f| f.id);

    let sources = Sources {
        odoo_version,
        models,
        fields,
        selections,
        fields_get: answers.answers,
        fields_get_failures: answers.failures,
    };
    let (schema, mut warnings) = dump::merge(&sources);
    early_warnings.append(&mut warnings);
    Ok((schema, early_warnings, stats))
}

/// The `fields_get` answers of a run.
struct Answers {
    answers: BTreeMap<String, FieldsGet>,
    failures: BTreeMap<String, String>,
    /// Calls made (retries over JSON-RPC included).
    requests: usize,
}

/// `fields_get` for every model [`dump::fields_get_needs`] names from `fields` (the rows of the
/// types it looks at) and `selections`, `concurrency` at a time. The models with the most such
/// fields go first: their `fields_get` tends to take the server longest (res.users,
/// res.config.settings, res.company), and started last they would finish last, alone. Only the
/// order of the requests depends on it: the answers are gathered by model name.
async fn fields_get_all<R: Rpc>(
    rpc: &Arc<R>,
    fields: &[IrField],
    selections: &[IrSelection],
    concurrency: usize,
) -> anyhow::Result<Answers> {
    let mut field_counts: BTreeMap<&str, usize> = BTreeMap::new();
    for field in fields {
        *field_counts.entry(field.model.as_str()).or_default() += 1;
    }
    let mut needs: Vec<(String, Vec<String>)> = dump::fields_get_needs(fields, selections)
        .into_iter()
        .collect();
    let size = |model: &str| field_counts.get(model).copied().unwrap_or(0);
    needs.sort_by(|a, b| size(&b.0).cmp(&size(&a.0)).then_with(|| a.0.cmp(&b.0)));
    let progress = ui::progress(needs.len() as u64, "fields_get");
    // `concurrency` workers take the models in that order from one queue.
    let workers = concurrency.max(1).min(needs.len());
    let queue = Arc::new(std::sync::Mutex::new(std::collections::VecDeque::from(
        needs,
    )));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let rpc = Arc::clone(rpc);
        let queue = Arc::clone(&queue);
        let progress = progress.clone();
        tasks.spawn(async move {
            let mut done = Vec::new();
            loop {
                let next = queue.lock().map(|mut q| q.pop_front()).unwrap_or(None);
                let Some((model, names)) = next else {
                    return done;
                };
                progress.set_message(model.clone());
                let attributes = dump::FIELDS_GET_ATTRIBUTES;
                let mut requests = 1;
                let mut result = rpc.fields_get(&model, &names, &attributes).await;
                if let Err(first) = &result
                    && !cannot_go_on(first)
                    && let Some(json) = rpc.json_fallback()
                {
                    tracing::info!(
                        "{model}: fields_get failed ({first:#}); retrying over JSON-RPC"
                    );
                    requests += 1;
                    result = json
                        .fields_get(&model, &names, &attributes)
                        .await
                        .map_err(|second| second.context(format!("over XML-RPC: {first:#}")));
                }
                progress.inc(1);
                let stop = result.as_ref().is_err_and(cannot_go_on);
                done.push((model, result, requests));
                if stop {
                    return done;
                }
            }
        });
    }
    let mut out = Answers {
        answers: BTreeMap::new(),
        failures: BTreeMap::new(),
        requests: 0,
    };
    while let Some(joined) = tasks.join_next().await {
        for (model, result, requests) in joined.context("a fields_get task panicked")? {
            out.requests += requests;
            match result {
                Ok(answer) => {
                    out.answers.insert(model, answer);
                }
                // The server is gone, or something else answers: no model can be read now, so
                // the run stops (the other calls are dropped with `tasks`).
                Err(err) if cannot_go_on(&err) => {
                    return Err(err.context(format!("reading the fields of {model}")));
                }
                Err(err) => {
                    out.failures.insert(model, crate::exit::one_line(&err));
                }
            }
        }
    }
    progress.finish();
    Ok(out)
}

/// Whether a failed `fields_get` says nothing about its model but that the server cannot be used
/// any more: unreachable, too slow, not answering as Odoo (an HTML page from a proxy), or the
/// login refused. Odoo's own exceptions (a field it cannot describe, an answer XML-RPC cannot
/// marshal) and an answer that does not decode stay that model's failure.
fn cannot_go_on(err: &anyhow::Error) -> bool {
    use odoo_runtime::Error;
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<Error>(),
            Some(
                Error::Http { .. }
                    | Error::Transport { .. }
                    | Error::Timeout { .. }
                    | Error::Protocol { .. }
                    | Error::AccessDenied(_)
                    | Error::Config(_)
            )
        )
    })
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
        /// `search_read` refuses `load` (an older Odoo).
        refuses_load: bool,
        /// Each page of the `ttype not in ...` read of `ir.model.fields` takes 20 ms.
        slow_rest_pages: bool,
        /// "rest page" and "fields_get" (of a model, after the probes), in the order served.
        events: Arc<std::sync::Mutex<Vec<String>>>,
        /// `fields_get` of this model times out, as a server that stopped answering.
        times_out_at: Option<String>,
        /// `search_read` calls asking for bare many2one ids.
        bare_reads: Arc<AtomicUsize>,
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
                refuses_load: false,
                bare_reads: Arc::new(AtomicUsize::new(0)),
                slow_rest_pages: false,
                events: Arc::default(),
                times_out_at: None,
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

    /// Whether `row` meets `[field, "in" | "not in", [values]]`, the conditions introspection adds.
    fn matches(row: &serde_json::Value, condition: &serde_json::Value) -> bool {
        let field = condition[0].as_str().unwrap();
        let values = condition[2].as_array().unwrap();
        let found = values.contains(&row[field]);
        match condition[1].as_str().unwrap() {
            "in" => found,
            "not in" => !found,
            other => panic!("operator {other} not supported by the fake"),
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
            filter: Option<&serde_json::Value>,
            after_id: i64,
            limit: usize,
            bare_many2one: bool,
        ) -> anyhow::Result<Vec<T>> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            if bare_many2one {
                self.bare_reads.fetch_add(1, Ordering::Relaxed);
                // An Odoo whose search_read takes no `load`.
                anyhow::ensure!(
                    !self.refuses_load,
                    "TypeError: search_read() got an unexpected keyword argument 'load'"
                );
            }
            anyhow::ensure!(self.knows(model), "unknown model {model}");
            if let Some(field) = fields.iter().find(|f| self.lacks(model, f)) {
                anyhow::bail!("Invalid field {field:?} on model {model:?}");
            }
            let mut rows = match model {
                "ir.model" => rows::models(&self.sources),
                "ir.model.fields" => {
                    let mut rows = rows::fields(&self.sources);
                    if after_id > 0 {
                        rows.retain(|r| r["id"].as_i64() != self.deleted_after_first_page);
                    }
                    rows
                }
                "ir.model.fields.selection" => rows::selections(&self.sources, bare_many2one),
                other => anyhow::bail!("unexpected model {other}"),
            };
            if let Some(filter) = filter {
                rows.retain(|row| matches(row, filter));
                if filter[1] == "not in" {
                    if self.slow_rest_pages {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    }
                    self.events.lock().unwrap().push("rest page".to_owned());
                }
            }
            Ok(page(&rows, fields, after_id, limit))
        }
        async fn fields_get(
            &self,
            model: &str,
            allfields: &[String],
            _attributes: &[&str],
        ) -> anyhow::Result<FieldsGet> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            if !allfields.is_empty() {
                self.events.lock().unwrap().push("fields_get".to_owned());
            }
            if self.times_out_at.as_deref() == Some(model) {
                return Err(odoo_runtime::Error::Timeout {
                    url: "http://odoo.test/jsonrpc".to_owned(),
                    after: std::time::Duration::from_secs(3),
                }
                .into());
            }
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
                    refuses_load: self.refuses_load,
                    bare_reads: Arc::clone(&self.bare_reads),
                    slow_rest_pages: self.slow_rest_pages,
                    events: Arc::clone(&self.events),
                    times_out_at: self.times_out_at.clone(),
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
        /// With `bare`, `field_id` is the id alone (`load=None`), else `[id, name]`.
        pub fn selections(s: &Sources, bare: bool) -> Vec<Value> {
            s.selections
                .iter()
                .map(|r| {
                    let field_id = if bare {
                        json!(r.field_id)
                    } else {
                        json!([r.field_id, "x"])
                    };
                    json!({"id": r.id, "field_id": field_id, "value": r.value,
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
        // 1 ir.model page; ir.model.fields: 1 page of the 770 rows of the types fields_get may be
        // needed for, 5 pages of the other 9,004; 2 selection pages (2,176 rows).
        assert_eq!(stats.bulk_requests, 1 + 1 + 5 + 2);
        assert_eq!(stats.fields_get_requests, 92);
        assert_eq!(stats.failed_models, 0);
        assert_eq!(stats.total(), calls.load(Ordering::Relaxed));
        assert_eq!(stats.probe_requests, 3);
        assert_eq!(
            stats.total(),
            105,
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

    /// The selection rows are read with `load=None` (their `field_id` as a bare id: no display
    /// name for the server to compute); a server whose `search_read` refuses `load` is asked
    /// again without it, one request more, and the schema is the same.
    #[test]
    fn selections_are_read_without_display_names_where_the_server_allows() {
        let memory = Memory::new("odoo-18.0");
        let bare = Arc::clone(&memory.bare_reads);
        let (schema, _, stats) = block_on(introspect(Arc::new(memory), 8, 2000)).unwrap();
        assert_eq!(schema, recorded_schema());
        // The two selection pages, and nothing else.
        assert_eq!(bare.load(Ordering::Relaxed), 2);
        assert_eq!(stats.bulk_requests, 1 + 1 + 5 + 2);

        let mut memory = Memory::new("odoo-18.0");
        memory.refuses_load = true;
        let bare = Arc::clone(&memory.bare_reads);
        let (schema, warnings, stats) = block_on(introspect(Arc::new(memory), 8, 2000)).unwrap();
        assert_eq!(schema, recorded_schema());
        assert_eq!(bare.load(Ordering::Relaxed), 1, "asked once with load=None");
        assert_eq!(stats.bulk_requests, 1 + 1 + 5 + 1 + 2);
        assert_eq!(warnings.len(), 1, "no warning for the retry: {warnings:?}");
    }

    /// `fields_get` goes to the models with the most fields of the types it is asked about first;
    /// the answers do not depend on the order (one request at a time here, so the order is the
    /// order sent).
    #[test]
    fn fields_get_asks_the_largest_models_first() {
        let memory = Memory::new("odoo-18.0");
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let memory = Ordered {
            inner: memory,
            order: Arc::clone(&order),
        };
        let (schema, _, _) = block_on(introspect(Arc::new(memory), 1, PAGE_SIZE)).unwrap();
        assert_eq!(schema, recorded_schema());
        let order = order.lock().unwrap().clone();
        assert_eq!(order.len(), 92);
        let sources = &Memory::new("odoo-18.0").sources;
        let size = |model: &str| {
            sources
                .fields
                .iter()
                .filter(|f| f.model == model && dump::FIELDS_GET_TTYPES.contains(&f.ttype.as_str()))
                .count()
        };
        assert!(
            order.windows(2).all(|w| size(&w[0]) >= size(&w[1])),
            "{order:?}"
        );
        assert!(
            order[..5].contains(&"res.config.settings".to_owned()),
            "{:?}",
            &order[..5]
        );
    }

    /// A `fields_get` that fails because the server is gone (a timeout here) stops the run with
    /// that error, naming the model, where a model's own failure only costs that model's data:
    /// no snapshot is written from the `ir.model.fields` data alone.
    #[test]
    fn a_server_gone_during_fields_get_stops_the_run() {
        let mut memory = Memory::new("odoo-18.0");
        memory.times_out_at = Some("res.partner".to_owned());
        let err = block_on(introspect(Arc::new(memory), 4, PAGE_SIZE)).unwrap_err();
        let text = format!("{err:#}");
        assert!(
            text.starts_with("reading the fields of res.partner: timed out after 3s"),
            "{text}"
        );
        assert!(matches!(
            err.downcast_ref::<odoo_runtime::Error>(),
            Some(odoo_runtime::Error::Timeout { .. })
        ));
    }

    /// The `fields_get` calls do not wait for the whole of `ir.model.fields`: they start once the
    /// rows of the types they are about and the selection values are in, while the other rows
    /// are still being read.
    #[test]
    fn fields_get_runs_while_the_other_fields_are_read() {
        let mut memory = Memory::new("odoo-18.0");
        memory.slow_rest_pages = true;
        let events = Arc::clone(&memory.events);
        let (schema, _, _) = block_on(introspect(Arc::new(memory), 8, 2000)).unwrap();
        assert_eq!(schema, recorded_schema());
        let events = events.lock().unwrap().clone();
        let last_rest_page = events.iter().rposition(|e| e == "rest page").unwrap();
        let first_fields_get = events.iter().position(|e| e == "fields_get").unwrap();
        assert!(first_fields_get < last_rest_page, "{events:?}");
    }

    /// A [`Memory`] recording the models `fields_get` is asked for after the reflection probes.
    struct Ordered {
        inner: Memory,
        order: Arc<std::sync::Mutex<Vec<String>>>,
    }

    impl Rpc for Ordered {
        async fn server_version(&self) -> anyhow::Result<String> {
            self.inner.server_version().await
        }
        async fn search_read<T: DeserializeOwned + Send + 'static>(
            &self,
            model: &str,
            fields: &[&str],
            filter: Option<&serde_json::Value>,
            after_id: i64,
            limit: usize,
            bare_many2one: bool,
        ) -> anyhow::Result<Vec<T>> {
            self.inner
                .search_read(model, fields, filter, after_id, limit, bare_many2one)
                .await
        }
        async fn fields_get(
            &self,
            model: &str,
            allfields: &[String],
            attributes: &[&str],
        ) -> anyhow::Result<FieldsGet> {
            if !allfields.is_empty() {
                self.order.lock().unwrap().push(model.to_owned());
            }
            self.inner.fields_get(model, allfields, attributes).await
        }
        fn json_fallback(&self) -> Option<Arc<Self>> {
            None
        }
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
        assert_eq!(stats.bulk_requests, 1 + 1 + 5 + 2);
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
