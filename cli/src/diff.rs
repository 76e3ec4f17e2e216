//! `cargo xtask diff OLD NEW`: the schema changelog between two snapshots, dumps or a live instance.
//!
//! Each side is a snapshot directory (holding `snapshot.json`), a dump directory (holding
//! `ir.model.json`, or a `schema/` directory that does), or `live`/`env` for the instance named by
//! the `ODOO_*` environment variables. The report goes to stdout (text or JSON).
//!
//! Exit status: 0 when `--fail-on` did not trigger, 1 ([`crate::exit::DIFFERENCES`]) when it did (the
//! offending changes are listed on stderr); a side that cannot be read is an error, whose exit code
//! `exit.rs` decides (3 for an unreadable file, the connection codes for `live`).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use odoo_codegen::Schema;
use odoo_codegen::diff::{ChangeKind, Changelog, HtmlOptions, Impact, MarkdownOptions, Only, diff};
use odoo_codegen::filter::Filter;

use crate::{introspect, ui};

/// Options of `cargo xtask diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old schema: a snapshot directory, a dump directory, a built-in snapshot (odoo-17.0,
    /// odoo-18.0, odoo-19.0), `live` (also `env`) for the instance named by the ODOO_* environment
    /// variables, or `demo` for a new test database from the start endpoint.
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new schema (same kinds as OLD).
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Report format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// List (and count) only these changes, in every format.
    #[arg(long, value_enum, default_value_t = OnlyArg::All, value_name = "CLASS")]
    pub only: OnlyArg,
    /// Markdown: list every change (by default the report stays within the 65,536 characters of
    /// a GitHub comment, counting what it leaves out).
    #[arg(long)]
    pub full: bool,
    /// Also write the HTML report to this file (one self-contained page).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Exit with status 1 when a change of this class is found, listing those changes on stderr.
    #[arg(long, value_enum, value_name = "CLASS")]
    pub fail_on: Option<FailOn>,
    /// Only the models the bindings hold (as `generate`; also read from odoo-codegen.toml).
    #[command(flatten)]
    pub selection: crate::generate::Selection,
    /// The instance a `live` side names.
    #[command(flatten)]
    pub connection: introspect::Connection,
    /// How a `live` or `demo` side is read.
    #[command(flatten)]
    pub read: introspect::LiveRead,
    /// A `demo` side: where the test database comes from.
    #[command(flatten)]
    pub start: crate::demo::StartArgs,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human report: what breaks first, by model; then a summary line.
    Text,
    /// The `Changelog` as pretty JSON.
    Json,
    /// Markdown for pull request comments and CI job summaries: what breaks first.
    Markdown,
    /// One self-contained HTML page: search, filters by class and Odoo module.
    Html,
}

/// Which changes the report lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnlyArg {
    /// Every change.
    All,
    /// Changes that stop old code compiling or make it misbehave.
    Breaking,
    /// Changes that stop old code compiling.
    Compile,
}

impl From<OnlyArg> for Only {
    fn from(only: OnlyArg) -> Only {
        match only {
            OnlyArg::All => Only::All,
            OnlyArg::Breaking => Only::Breaking,
            OnlyArg::Compile => Only::Compile,
        }
    }
}

/// Which changes make `--fail-on` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Changes after which code built on OLD's bindings no longer compiles or misbehaves.
    Breaking,
    /// Only changes after which code built on OLD's bindings no longer compiles.
    Compile,
    /// Any change at all.
    Any,
}

impl FailOn {
    fn triggers(self, impact: Impact) -> bool {
        match self {
            FailOn::Breaking => impact.is_breaking(),
            FailOn::Compile => impact == Impact::DoesNotCompile,
            FailOn::Any => true,
        }
    }
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let filter = args.selection.filter();
    let changelog = compare(
        &args.old,
        &args.new,
        &filter,
        &args.connection,
        &args.read,
        &args.start,
    )?;
    let only = Only::from(args.only);
    if let Some(path) = &args.html {
        write_file(path, &changelog.to_html(&HtmlOptions { only }))
            .with_context(|| format!("writing the HTML report to `{}`", path.display()))?;
    }
    let report = match args.format {
        Format::Text => changelog.only(only).to_text(),
        Format::Json => {
            let mut json = changelog
                .only(only)
                .to_json()
                .context("serialising the changelog as JSON")?;
            json.push('\n');
            json
        }
        Format::Markdown => changelog.to_markdown(&MarkdownOptions {
            only,
            max_chars: if args.full {
                None
            } else {
                MarkdownOptions::default().max_chars
            },
        }),
        Format::Html => changelog.to_html(&HtmlOptions { only }),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(report.as_bytes())
        .and_then(|()| stdout.flush())
        .context("writing the report to stdout")?;
    Ok(match args.fail_on {
        Some(fail_on) => fail_exit(&changelog, fail_on),
        None => ExitCode::SUCCESS,
    })
}

/// Writes `contents` to `path` through a temporary file in the same directory, so a failed run
/// leaves no half-written report.
fn write_file(path: &Path, contents: &str) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(contents.as_bytes())?;
    file.persist(path)?;
    Ok(())
}

/// Loads both sides and diffs them (a live instance named on both sides is read once), keeping the
/// models `filter` selects (see [`scope`]).
pub fn compare(
    old: &str,
    new: &str,
    filter: &Filter,
    connection: &introspect::Connection,
    read: &introspect::LiveRead,
    start: &crate::demo::StartArgs,
) -> anyhow::Result<Changelog> {
    let (old_source, new_source) = (
        classify(old).with_context(|| format!("reading OLD `{old}`"))?,
        classify(new).with_context(|| format!("reading NEW `{new}`"))?,
    );
    let live = Live {
        connection,
        read,
        start,
    };
    let (old_schema, old_warnings) =
        load(&old_source, &live).with_context(|| format!("reading OLD `{old}`"))?;
    let (new_schema, new_warnings) = if new_source == old_source {
        (old_schema.clone(), Vec::new())
    } else {
        load(&new_source, &live).with_context(|| format!("reading NEW `{new}`"))?
    };
    let warnings = old_warnings
        .into_iter()
        .map(|w| format!("OLD: {w}"))
        .chain(new_warnings.into_iter().map(|w| format!("NEW: {w}")));
    let (old_schema, new_schema) = if filter.is_all() {
        (old_schema, new_schema)
    } else {
        scope(filter, old_schema, new_schema)?
    };
    let changelog = diff(&old_schema, &new_schema);
    // The diff's own warnings (methods read on one side only); the loads printed theirs.
    for warning in &changelog.warnings {
        ui::warn(warning);
    }
    Ok(changelog.with_warnings(warnings))
}

/// Both schemas restricted to the models `filter` selects in either: what the bindings generated
/// with the same filter hold before and after. The filter must hold on OLD (a name it does not
/// have is an error, as for `generate`); on NEW, a name that is gone selects nothing, so its model
/// is reported removed. A relation to a model outside the selection is an untyped id on both
/// sides, as in the bindings.
fn scope(filter: &Filter, old: Schema, new: Schema) -> anyhow::Result<(Schema, Schema)> {
    let (mut keep, warnings) = filter.select(&old).context("selecting models of OLD")?;
    for warning in warnings {
        ui::warn(format!("OLD: {warning}"));
    }
    // On NEW, only the names and modules it still has (the others are removals).
    let present = Filter {
        models: filter
            .models
            .iter()
            .filter(|m| odoo_codegen::filter::is_glob(m) || new.models.contains_key(*m))
            .cloned()
            .collect(),
        modules: filter
            .modules
            .iter()
            .filter(|module| {
                new.models
                    .values()
                    .any(|m| m.modules.iter().any(|x| x == *module))
            })
            .cloned()
            .collect(),
        ..filter.clone()
    };
    let named = !(filter.models.is_empty() && filter.modules.is_empty());
    let all_gone = named && present.models.is_empty() && present.modules.is_empty();
    if !all_gone {
        // Glob warnings were given for OLD already.
        let (in_new, _) = present.select(&new).context("selecting models of NEW")?;
        keep.extend(in_new);
    }
    let restrict = |schema: Schema| Schema {
        models: schema
            .models
            .into_iter()
            .filter(|(name, _)| keep.contains(name))
            .collect(),
        ..schema
    };
    Ok((restrict(old), restrict(new)))
}

/// Lists the changes that trigger `fail_on` on stderr and returns the exit status.
fn fail_exit(changelog: &Changelog, fail_on: FailOn) -> ExitCode {
    let hits: Vec<_> = changelog
        .changes()
        .filter(|(_, c)| fail_on.triggers(c.impact))
        .collect();
    if hits.is_empty() {
        return ExitCode::SUCCESS;
    }
    let class = match fail_on {
        FailOn::Breaking => "breaking change",
        FailOn::Compile => "change that breaks compilation",
        FailOn::Any => "change",
    };
    let mut err = std::io::stderr().lock();
    let plural = if hits.len() == 1 { "" } else { "s" };
    let breaking = hits.iter().any(|(_, c)| c.impact.is_breaking());
    let count = hits.len();
    // Selection values of one field share a line: `res.partner.state: selection values "a", "b"
    // removed (...)`.
    struct Line {
        subject: String,
        what: String,
        values: Vec<String>,
        tail: String,
    }
    let mut lines: Vec<Line> = Vec::new();
    let mut last_group = None;
    for (model, change) in hits {
        let value = match &change.kind {
            ChangeKind::SelectionValueAdded { value, .. } => Some((value, "added")),
            ChangeKind::SelectionValueRemoved { value, .. } => Some((value, "removed")),
            _ => None,
        };
        let group = value.map(|(_, verb)| (model, change.field.as_deref(), change.impact, verb));
        let tail = format!("({}: {})", change.impact, change.reason);
        match (value, lines.last_mut()) {
            (Some((value, _)), Some(line)) if group == last_group => {
                line.values.push(format!("{value:?}"));
            }
            _ => lines.push(Line {
                subject: match &change.field {
                    Some(field) => format!("{model}.{field}"),
                    None => model.to_owned(),
                },
                what: match value {
                    Some((_, verb)) => format!("selection values {verb}:"),
                    None => change.describe(),
                },
                values: value.map(|(v, _)| format!("{v:?}")).into_iter().collect(),
                tail,
            }),
        }
        last_group = group;
    }
    // The count is of changes; selection values of one field are listed on one line.
    let shared = if lines.len() < count {
        "; the selection values of a field share a line"
    } else {
        ""
    };
    let _ = writeln!(err, "error: {count} {class}{plural} (--fail-on){shared}:");
    for line in lines {
        let values = if line.values.is_empty() {
            String::new()
        } else {
            format!(" {}", line.values.join(", "))
        };
        let what = if line.values.len() == 1 {
            line.what.replacen("selection values", "selection value", 1)
        } else {
            line.what
        };
        let _ = writeln!(err, "  {}: {what}{values} {}", line.subject, line.tail);
    }
    let hint = match fail_on {
        FailOn::Breaking => {
            "update the code written against OLD's bindings, or pass `--fail-on compile` to fail \
             only on changes that stop it compiling"
        }
        FailOn::Compile => "update the code written against OLD's bindings: it no longer compiles",
        FailOn::Any if breaking => {
            "update the code written against OLD's bindings; `--fail-on breaking` fails only on \
             the changes that affect it"
        }
        FailOn::Any => {
            "none of these changes affects code written against OLD's bindings; `--fail-on \
             breaking` fails only on those that do"
        }
    };
    let _ = writeln!(err, "hint: {hint}");
    ExitCode::from(crate::exit::DIFFERENCES)
}

/// What one side names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Live,
    /// A new test database from the start endpoint.
    Demo,
    Snapshot(PathBuf),
    /// A snapshot compiled into the tool.
    Embedded(&'static crate::embedded::Snapshot),
    Dump(PathBuf),
}

/// Tells what a side argument names, from the files it holds.
fn classify(side: &str) -> anyhow::Result<Source> {
    if side == "live" || side == "env" {
        return Ok(Source::Live);
    }
    if side == "demo" {
        return Ok(Source::Demo);
    }
    let path = Path::new(side);
    let dir = if path.is_file() && path.file_name().is_some_and(|n| n == "snapshot.json") {
        path.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        path.to_path_buf()
    };
    if !dir.is_dir() {
        if let Some(snapshot) = crate::embedded::find(side) {
            return Ok(Source::Embedded(snapshot));
        }
        bail!(
            "`{}` is neither a directory, `live`/`env`, nor a built-in snapshot ({}) (expected a \
             snapshot directory holding snapshot.json, or a dump directory holding ir.model.json)",
            dir.display(),
            crate::embedded::names()
        );
    }
    if dir.join(odoo_codegen::snapshot::INDEX_FILE).is_file() {
        return Ok(Source::Snapshot(dir));
    }
    if dir.join("ir.model.json").is_file() {
        return Ok(Source::Dump(dir));
    }
    let nested = dir.join("schema");
    if nested.join("ir.model.json").is_file() {
        return Ok(Source::Dump(nested));
    }
    bail!(
        "`{}` holds neither snapshot.json (a snapshot) nor ir.model.json (a dump)",
        dir.display()
    )
}

/// How to read a `live` side.
struct Live<'a> {
    connection: &'a introspect::Connection,
    read: &'a introspect::LiveRead,
    start: &'a crate::demo::StartArgs,
}

/// Loads a side; its warnings (a model `fields_get` failed for, say) are printed and returned, so
/// that the JSON report carries them too.
fn load(source: &Source, live: &Live<'_>) -> anyhow::Result<(Schema, Vec<String>)> {
    let (schema, warnings) = match source {
        Source::Live => {
            if !live.connection.is_set() {
                return Err(crate::exit::MissingConnection(
                    "`live` names the instance of the ODOO_* settings, but no server URL is set \
                     (ODOO_URL or --url)"
                        .to_owned(),
                )
                .into());
            }
            let (schema, warnings, _stats) =
                introspect::introspect_live(live.connection, live.read)?;
            (schema, warnings)
        }
        Source::Snapshot(dir) => (introspect::load_snapshot(dir)?, Vec::new()),
        Source::Embedded(snapshot) => (snapshot.schema()?, Vec::new()),
        Source::Demo => {
            let mut connection = live.connection.clone();
            crate::demo::resolve(&mut connection, true, live.start)?;
            let (schema, warnings, _stats) = introspect::introspect_live(&connection, live.read)?;
            (schema, warnings)
        }
        Source::Dump(dir) => introspect::load_dump(dir)?,
    };
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    for warning in &warnings {
        ui::warn(warning);
    }
    Ok((schema, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata(rel: &str) -> String {
        format!("{}/../testdata/{rel}", env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn sides_are_classified_by_their_files() {
        assert_eq!(classify("live").unwrap(), Source::Live);
        assert_eq!(classify("env").unwrap(), Source::Live);
        let schema = testdata("odoo-18.0-base/schema");
        assert_eq!(
            classify(&schema).unwrap(),
            Source::Dump(PathBuf::from(&schema))
        );
        let parent = testdata("odoo-18.0-base");
        assert_eq!(
            classify(&parent).unwrap(),
            Source::Dump(Path::new(&parent).join("schema"))
        );
        let err = classify(&testdata("odoo-18.0/xmlrpc")).unwrap_err();
        assert!(err.to_string().contains("holds neither"), "{err}");
        let err = classify(&testdata("no-such-dir")).unwrap_err();
        assert!(err.to_string().contains("no-such-dir"), "{err}");
    }
}
