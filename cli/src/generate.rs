//! `cargo xtask generate`: a bindings crate from a live instance, a dump or a snapshot.
//!
//! Source, first match wins: `--dump DIR`, `--snapshot DIR|NAME`, the live instance when `ODOO_URL`
//! is set (flag, environment or `odoo-codegen.toml`), else the snapshot compiled into the tool
//! ([`embedded::DEFAULT`]). An explicit
//! `--dump`/`--snapshot` wins over `ODOO_URL`, so a `.env` pointing at a server does not get in the way
//! of generating from a file.
//!
//! The crate is written atomically (see [`crate::output`]). `--check` writes nothing: it exits 1 and
//! lists the files that differ when the output directory is not what generation gives now.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use odoo_codegen::Schema;
use odoo_codegen::error::Warning;
use odoo_codegen::filter::Filter;
use odoo_codegen::generate::{DefaultFeatures, Settings};

use crate::app::{self, RuntimeDependency};
use crate::{embedded, exit, introspect, output, ui};

/// Options of `cargo xtask generate` (boxed: the subcommand enum stays small).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub options: Box<Options>,
}

/// Which models the bindings hold: `generate` writes them, `diff` compares them.
#[derive(Debug, Clone, clap::Args)]
pub struct Selection {
    /// Models the bindings hold: technical names or globs (`sale.order*`); repeat or separate with
    /// commas. Default: every model.
    #[arg(long, visible_alias = "model", short = 'm', value_name = "NAME|GLOB", value_delimiter = ',', action = clap::ArgAction::Append)]
    pub models: Vec<String>,
    /// Odoo modules whose models the bindings hold (`sale`, `crm`).
    #[arg(long, visible_alias = "module", value_name = "MODULE", value_delimiter = ',', action = clap::ArgAction::Append)]
    pub modules: Vec<String>,
    /// Models the bindings never hold: names or globs.
    #[arg(long, value_name = "NAME|GLOB", value_delimiter = ',', action = clap::ArgAction::Append)]
    pub exclude: Vec<String>,
    /// Also the models that relational fields point to, this many hops away (0: relations to
    /// models left out stay untyped ids).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub depth: u32,
}

impl Selection {
    /// The codegen filter of these options.
    pub fn filter(&self) -> Filter {
        Filter {
            models: self.models.clone(),
            modules: self.modules.clone(),
            exclude: self.exclude.clone(),
            depth: self.depth,
        }
    }
}

/// The options themselves.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Generate from this dump directory (the reflection calls' JSON answers: version.json,
    /// ir.model.json, ir.model.fields.json, fields_get/<model>.json).
    #[arg(long, value_name = "DIR", conflicts_with = "snapshot")]
    pub dump: Option<PathBuf>,
    /// Generate from this snapshot: a directory, or the name of one built into the tool
    /// (odoo-18.0, the default unless ODOO_URL names a live instance, or odoo-19.0).
    #[arg(long, value_name = "DIR|NAME")]
    pub snapshot: Option<PathBuf>,
    #[command(flatten)]
    pub selection: Selection,
    /// Directory of the generated crate (replaced atomically).
    #[arg(long, visible_alias = "out", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Package name of the generated crate.
    #[arg(long, default_value = "odoo-bindings", value_name = "NAME")]
    pub crate_name: String,
    /// Depend on odoo-runtime by path (the program's default is in its help: see
    /// `app::runtime_help`).
    #[arg(long, value_name = "PATH")]
    pub runtime_path: Option<PathBuf>,
    /// Depend on odoo-runtime by version requirement.
    #[arg(long, value_name = "VERSION", conflicts_with = "runtime_path")]
    pub runtime_version: Option<String>,
    /// Features enabled by default: `none`, `all`, or a comma-separated list of model names and
    /// `module-<name>` entries.
    #[arg(long, default_value = "none", value_name = "none|all|LIST")]
    pub default_features: String,
    /// Leave out the empty `[workspace]` table: the crate is a member of your workspace (list it
    /// in its `members`). Without it, the crate is a workspace of its own.
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        default_value_t = false,
        hide_default_value = true,
        hide_possible_values = true,
        action = clap::ArgAction::Set
    )]
    pub workspace_member: bool,
    /// Write nothing; exit 1 listing the files that differ when the output is stale.
    #[arg(long)]
    pub check: bool,
    /// Live source: how to reach the instance (used when ODOO_URL or --url is set and neither
    /// --dump nor --snapshot is given).
    #[command(flatten)]
    pub connection: crate::connection::ConnectionArgs,
    #[command(flatten)]
    pub demo: crate::demo::DemoArgs,
    #[command(flatten)]
    pub read: introspect::LiveRead,
}

/// Where the schema comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Dump(PathBuf),
    Snapshot(PathBuf),
    /// A snapshot compiled into the tool.
    Embedded(&'static embedded::Snapshot),
    Live,
}

impl Options {
    /// The source, by the precedence in the module docs.
    pub fn source(&self) -> Source {
        if let Some(dir) = &self.dump {
            Source::Dump(dir.clone())
        } else if let Some(dir) = &self.snapshot {
            snapshot_source(dir)
        } else if self.connection.is_set() {
            Source::Live
        } else {
            Source::Embedded(embedded::default())
        }
    }

    /// A runtime dependency typed on the command line beats the other kind set in
    /// `odoo-codegen.toml`: the file's values arrive as defaults, which clap's `conflicts_with`
    /// does not see. (Both in the file is refused when it is read; both typed, by clap.)
    pub fn prefer_typed_runtime(&mut self, matches: &clap::ArgMatches) {
        use clap::parser::ValueSource;
        let from_file = |id: &str| matches.value_source(id) == Some(ValueSource::DefaultValue);
        if self.runtime_path.is_some() && self.runtime_version.is_some() {
            if from_file("runtime_version") {
                self.runtime_version = None;
            } else if from_file("runtime_path") {
                self.runtime_path = None;
            }
        }
    }

    fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| app::project_root().join("generated").join("odoo-bindings"))
    }
}

/// `--snapshot VALUE`: a directory when one is there, else the snapshot of that name compiled into
/// the tool, else the directory (whose absence `load` reports).
pub fn snapshot_source(value: &Path) -> Source {
    if !value.is_dir()
        && let Some(snapshot) = value.to_str().and_then(embedded::find)
    {
        return Source::Embedded(snapshot);
    }
    Source::Snapshot(value.to_path_buf())
}

/// A label for the generated headers: the source directory's name, never an absolute path or URL,
/// so the output does not depend on where the repository is checked out.
fn label(source: &Source, schema: &Schema) -> String {
    let dir_label = |dir: &Path| {
        let mut parts: Vec<String> = dir
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        // `odoo-18.0/schema`, `odoo-18.0/snapshot`: the generic last name says little alone.
        let keep = if parts
            .last()
            .is_some_and(|p| p == "schema" || p == "snapshot")
        {
            2
        } else {
            1
        };
        let tail = parts.split_off(parts.len().saturating_sub(keep));
        tail.join("/")
    };
    match source {
        Source::Dump(dir) => format!("dump {}", dir_label(dir)),
        Source::Snapshot(dir) => format!("snapshot {}", dir_label(dir)),
        Source::Embedded(snapshot) => format!("snapshot {}", snapshot.name),
        Source::Live => format!("live Odoo {}", schema.odoo_version),
    }
}

/// `to` relative to the directory `from` (both made absolute first), `/`-separated.
fn relative_path(from: &Path, to: &Path) -> anyhow::Result<String> {
    let from =
        std::path::absolute(from).with_context(|| format!("resolving `{}`", from.display()))?;
    let to = std::path::absolute(to).with_context(|| format!("resolving `{}`", to.display()))?;
    let normal = |p: &Path| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in p.components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
                Component::RootDir | Component::Prefix(_) => {
                    out.push(c.as_os_str().to_string_lossy().into_owned())
                }
                Component::CurDir => {}
            }
        }
        out
    };
    let (from, to) = (normal(&from), normal(&to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        // Different roots (Windows drives): keep the absolute path.
        return Ok(to.join("/"));
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(to[common..].iter().cloned());
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// Loads the schema of a source.
pub fn load(source: &Source, options: &Options) -> anyhow::Result<(Schema, Vec<Warning>)> {
    match source {
        Source::Dump(dir) => introspect::load_dump(dir),
        Source::Snapshot(dir) => Ok((introspect::load_snapshot(dir)?, Vec::new())),
        Source::Embedded(snapshot) => Ok((snapshot.schema()?, Vec::new())),
        Source::Live => {
            let (schema, warnings, _) =
                introspect::introspect_live(&options.connection, &options.read)?;
            Ok((schema, warnings))
        }
    }
}

fn settings(args: &Options, output: &Path, label: String) -> anyhow::Result<Settings> {
    let mut settings = Settings::new()
        .crate_name(args.crate_name.clone())
        .snapshot_label(label)
        .standalone_workspace(!args.workspace_member);
    settings = match (&args.runtime_version, &args.runtime_path) {
        (Some(version), _) => settings.runtime_version(version.clone()),
        (None, Some(path)) => {
            if !path.join("Cargo.toml").is_file() {
                ui::warn(format!(
                    "runtime_path `{}` holds no Cargo.toml: the generated crate will not build \
                     until odoo-runtime is there",
                    path.display()
                ));
            }
            settings.runtime_path(relative_path(output, path)?)
        }
        (None, None) => match &app::current().runtime {
            RuntimeDependency::Version(version) => settings.runtime_version(version.clone()),
            RuntimeDependency::Path(path) => settings.runtime_path(relative_path(output, path)?),
        },
    };
    let features = match args.default_features.trim() {
        "none" | "" => DefaultFeatures::None,
        "all" => DefaultFeatures::All,
        list => DefaultFeatures::List(
            list.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
    };
    Ok(settings.default_features(features))
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut args = *args.options;
    if args.demo.demo && (args.dump.is_some() || args.snapshot.is_some()) {
        return Err(exit::UsageError(
            "--demo and --dump/--snapshot name two sources: give one".into(),
        )
        .into());
    }
    args.demo.resolve(&mut args.connection)?;
    let summary = ui::Summary::start(if args.check {
        "generate --check"
    } else {
        "generate"
    });
    let source = args.source();
    let output_dir = args.output_dir();
    let (schema, load_warnings) = load(&source, &args)?;
    for warning in &load_warnings {
        ui::warn(warning.to_string());
    }
    let filter = args.selection.filter();
    let (schema, filter_warnings) = filter.apply(&schema)?;
    for warning in &filter_warnings {
        ui::warn(warning.to_string());
    }
    if schema.models.is_empty() {
        if !filter.is_all() {
            // Exit 16, as for a model or module that does not exist.
            return Err(odoo_codegen::error::Error::InvalidSetting {
                setting: "models",
                reason: "no model left to generate after --models/--modules/--exclude".to_owned(),
            }
            .into());
        }
        return Err(odoo_codegen::error::Error::EmptySchema.into());
    }
    let settings = settings(&args, &output_dir, label(&source, &schema))?;
    // One step per model, from whichever thread emitted it.
    let progress = ui::progress(schema.models.len() as u64, "generate");
    let settings = settings.on_model_done({
        let progress = progress.clone();
        move |model| {
            progress.set_message(model.to_owned());
            progress.inc(1);
        }
    });
    let generated = odoo_codegen::generate::generate(&schema, &settings);
    progress.finish();
    let generated = generated.context("generating the bindings")?;
    for warning in &generated.warnings {
        ui::warn(warning.to_string());
    }
    let files: std::collections::BTreeMap<String, String> = generated
        .files
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect();
    let fields: usize = schema.models.values().map(|m| m.fields.len()).sum();
    let summary = summary
        .count(schema.models.len() as u64, "models")
        .count(fields as u64, "fields");

    if args.check {
        let differences = output::compare(&output_dir, &files)?;
        if differences.is_empty() {
            summary
                .files(files.len() as u64, "up to date", Some(&output_dir))
                .print();
            return Ok(ExitCode::SUCCESS);
        }
        ui::clear();
        output::report_stale(
            &output_dir,
            &differences,
            "run the same command without --check to regenerate",
        );
        return Ok(ExitCode::from(exit::DIFFERENCES));
    }

    let written = output::write_atomically(&output_dir, &files, output::Kind::Crate)
        .with_context(|| format!("writing the bindings to `{}`", output_dir.display()))?;
    tracing::info!(
        "{} files changed, {} removed",
        written.changed,
        written.removed
    );
    summary
        .files(written.files as u64, "written", Some(&output_dir))
        .print();
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let root = std::path::absolute("/a/b").unwrap();
        let r = |from: &str, to: &str| relative_path(&root.join(from), &root.join(to)).unwrap();
        assert_eq!(r("generated/odoo-bindings", "runtime"), "../../runtime");
        assert_eq!(r("out", "out/runtime"), "runtime");
        assert_eq!(r("x", "x"), ".");
        assert_eq!(r("x/../y", "runtime"), "../runtime");
    }

    #[test]
    fn labels_never_hold_absolute_paths() {
        let schema = Schema {
            odoo_version: "18.0".into(),
            ..Schema::default()
        };
        assert_eq!(
            label(
                &Source::Snapshot("/home/me/repo/snapshots/odoo-18.0".into()),
                &schema
            ),
            "snapshot odoo-18.0"
        );
        assert_eq!(
            label(&Source::Dump("testdata/odoo-18.0/schema".into()), &schema),
            "dump odoo-18.0/schema"
        );
        assert_eq!(
            label(
                &Source::Snapshot("/r/testdata/odoo-18.0/snapshot".into()),
                &schema
            ),
            "snapshot odoo-18.0/snapshot"
        );
        assert_eq!(label(&Source::Live, &schema), "live Odoo 18.0");
    }
}
