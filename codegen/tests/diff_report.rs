//! The diff's reports (text, JSON, Markdown, HTML) on the committed snapshots: the counts agree
//! between every format, what breaks comes first, the Markdown fits a GitHub comment, every
//! change prints two different values, schema text is escaped, and the Rust items each change
//! names exist in the generated bindings.
//!
//! The 18.0 → 19.0 tests read `snapshots/odoo-19.0` (the real upgrade of the testbed apps); the
//! method changes are checked on `testdata/odoo-19.0/snapshot` (seven models of the testbed's 19.0
//! with their methods), read for the first time, dropped, and edited in every way the diff tells.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use odoo_codegen::diff::{
    Changelog, HtmlOptions, Impact, MarkdownOptions, Only, RustItemKind, diff,
};
use odoo_codegen::methods::Passing;
use odoo_codegen::{Method, Parameter, ParameterKind, Schema, Settings, generate};
use odoo_replay::fixtures::read_text_tree;

/// A snapshot by its path from the repository root (`snapshots/odoo-19.0`,
/// `testdata/odoo-18.0/snapshot`).
fn snapshot(path: &str) -> Schema {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    let files = read_text_tree(&dir)
        .unwrap_or_else(|e| panic!("reading the snapshot {}: {e}", dir.display()));
    odoo_codegen::snapshot::from_files(&files)
        .unwrap_or_else(|e| panic!("loading the snapshot {}: {e}", dir.display()))
}

fn schemas() -> &'static BTreeMap<&'static str, Schema> {
    static SCHEMAS: OnceLock<BTreeMap<&'static str, Schema>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        ["odoo-18.0-base", "odoo-18.0"]
            .into_iter()
            .map(|n| (n, snapshot(&format!("testdata/{n}/snapshot"))))
            .collect()
    })
}

fn base_to_full() -> Changelog {
    let s = schemas();
    diff(&s["odoo-18.0-base"], &s["odoo-18.0"])
}

fn upgrade() -> Changelog {
    static LOG: OnceLock<Changelog> = OnceLock::new();
    LOG.get_or_init(|| {
        diff(
            &snapshot("snapshots/odoo-18.0"),
            &snapshot("snapshots/odoo-19.0"),
        )
    })
    .clone()
}

/// The number after `key` in `text` (`key` ends where the number starts).
fn number_after(text: &str, key: &str) -> usize {
    let at = text
        .find(key)
        .unwrap_or_else(|| panic!("`{key}` not found"));
    text[at + key.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no number after `{key}`"))
}

/// How many changes the lines of a Markdown or text block list: a line of selection values
/// counts its values (`: 12 values added:`), any other change line one.
fn listed(lines: &[&str], bullet: &str) -> usize {
    lines
        .iter()
        .filter(|l| l.starts_with(bullet))
        .map(
            |l| match l.find(" values added: ").or(l.find(" values removed: ")) {
                Some(end) => {
                    let start = l[..end].rfind(": ").map_or(0, |s| s + 2);
                    l[start..end].parse::<usize>().unwrap_or(1)
                }
                None => 1,
            },
        )
        .sum()
}

/// Checks that every format counts what the JSON report counts, from the numbers each prints
/// and from the changes each lists.
fn counts_agree(log: &Changelog) {
    let json: serde_json::Value = serde_json::from_str(&log.to_json().unwrap()).unwrap();
    let count = |key: &str| json["summary"][key].as_u64().unwrap() as usize;
    let classes = [
        (Impact::DoesNotCompile, count("does_not_compile")),
        (Impact::Misbehaves, count("misbehaves")),
        (Impact::Compatible, count("compatible")),
    ];
    let total: usize = json["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["changes"].as_array().unwrap().len())
        .sum();
    assert_eq!(classes.iter().map(|(_, n)| n).sum::<usize>(), total);

    // Text: the summary line, and the changes each section lists.
    let text = log.to_text();
    let summary = text.lines().last().unwrap();
    assert_eq!(number_after(summary, "misbehave); "), count("compatible"));
    assert_eq!(
        number_after(summary, "breaking ("),
        count("does_not_compile")
    );
    let blocks: Vec<&str> = text.split("=== ").skip(1).collect();
    for (impact, n) in classes.iter().filter(|(_, n)| *n > 0) {
        let block = blocks
            .iter()
            .find(|b| b.starts_with(impact.title()))
            .unwrap_or_else(|| panic!("no {} section", impact.title()));
        assert_eq!(number_after(block, ": "), *n, "{}", impact.title());
        let lines: Vec<&str> = block.lines().skip(1).collect();
        let changes =
            listed(&lines, "    ") + listed(&lines, "+ model ") + listed(&lines, "- model ");
        assert_eq!(changes, *n, "text lines of {}", impact.title());
    }

    // Markdown, whole: the table, and the bullets of each section.
    let md = log.to_markdown(&MarkdownOptions {
        max_chars: None,
        ..Default::default()
    });
    for (impact, n) in &classes {
        let title = if impact.is_breaking() {
            format!("| **{}** | ", impact.title())
        } else {
            format!("| {} | ", impact.title())
        };
        assert_eq!(number_after(&md, &title), *n, "Markdown table");
    }
    assert_eq!(number_after(&md, "| total | "), total);
    let md_listed: usize = listed(&md.lines().collect::<Vec<_>>(), "- `");
    assert_eq!(md_listed, total, "Markdown bullets");

    // Markdown, cut to a comment: what is listed plus what is counted as left out.
    let cut = log.to_markdown(&MarkdownOptions::default());
    let lines: Vec<&str> = cut.lines().collect();
    let not_shown: usize = lines
        .iter()
        .filter(|l| l.starts_with('*') && l.contains(" not shown: see the full report"))
        .map(|l| number_after(l, "*"))
        .sum();
    assert_eq!(listed(&lines, "- `") + not_shown, total, "cut Markdown");

    // HTML: the summary cells, and one row per change.
    let html = log.to_html(&HtmlOptions::default());
    for (impact, n) in &classes {
        let cell = format!("data-count=\"{}\">", impact.key());
        assert_eq!(number_after(&html, &cell), *n, "HTML summary");
        let changes = html.split("<main").nth(1).unwrap();
        let rows = changes
            .matches(&format!("<tr class=\"{}", impact.key()))
            .count();
        assert_eq!(rows, *n, "HTML rows of {}", impact.title());
    }
    assert_eq!(number_after(&html, "data-count=\"total\">"), total);
}

#[test]
fn counts_agree_across_formats_base_to_full() {
    let log = base_to_full();
    assert!(log.summary.compatible > 0 && log.summary.misbehaves > 0);
    counts_agree(&log);
    let breaking = log.only(Only::Breaking);
    assert_eq!(breaking.summary.compatible, 0);
    assert_eq!(breaking.summary.misbehaves, log.summary.misbehaves);
    counts_agree(&breaking);
    // And backwards, where things are removed (every class).
    let s = schemas();
    let back = diff(&s["odoo-18.0"], &s["odoo-18.0-base"]);
    assert!(back.summary.does_not_compile > 0);
    counts_agree(&back);
}

#[test]
fn counts_agree_across_formats_18_0_to_19_0() {
    let log = upgrade();
    for impact in [
        Impact::DoesNotCompile,
        Impact::Misbehaves,
        Impact::Compatible,
    ] {
        assert!(log.summary.of_class(impact) > 0, "{impact}");
    }
    counts_agree(&log);
    counts_agree(&log.only(Only::Breaking));
    counts_agree(&log.only(Only::Compile));
}

/// What breaks comes first in the text and Markdown reports.
fn breaking_first(log: &Changelog) {
    let text = log.to_text();
    let md = log.to_markdown(&MarkdownOptions::default());
    for report in [&text, &md] {
        let at = |title: &str| report.find(title);
        let (dnc, mis, ok) = (
            at("Does not compile ("),
            at("Misbehaves ("),
            at("Compatible ("),
        );
        let (dnc, mis, ok) = (
            dnc.or(at("Does not compile:")),
            mis.or(at("Misbehaves:")),
            ok.or(at("Compatible:")),
        );
        let order: Vec<usize> = [dnc, mis, ok].into_iter().flatten().collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    }
    // The first change line of the text report is a breaking one.
    let first = text
        .lines()
        .find(|l| l.starts_with("    ") || l.starts_with("+ model") || l.starts_with("- model"))
        .unwrap();
    assert!(first.contains("[BREAKING, "), "{first}");
}

#[test]
fn the_markdown_of_the_real_upgrade_fits_a_comment_and_says_what_breaks_first() {
    let log = upgrade();
    breaking_first(&log);
    let md = log.to_markdown(&MarkdownOptions::default());
    let chars = md.chars().count();
    assert!(chars <= 65_536, "{chars} characters");
    // The whole report does not fit: the cut is said.
    assert!(
        log.to_markdown(&MarkdownOptions {
            max_chars: None,
            ..Default::default()
        })
        .chars()
        .count()
            > 65_536
    );
    assert!(md.contains("more changes: see the full report**"), "{md}");
    // Every change that does not compile is listed before the cut.
    let dnc = md.split("### Misbehaves").next().unwrap();
    let lines: Vec<&str> = dnc.lines().collect();
    assert_eq!(listed(&lines, "- `"), log.summary.does_not_compile);
    // Breaking changes alone.
    let only = log.to_markdown(&MarkdownOptions {
        only: Only::Breaking,
        ..Default::default()
    });
    assert!(!only.contains("Compatible ("), "{only}");
    assert!(only.contains("Listing breaking changes only"));
    insta::with_settings!({
        snapshot_path => "../../snapshots/diff",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("odoo-18.0_to_odoo-19.0.md", md);
    });
}

#[test]
fn the_markdown_of_base_to_full() {
    let log = base_to_full();
    breaking_first(&log);
    let md = log.to_markdown(&MarkdownOptions::default());
    assert!(md.chars().count() <= 65_536);
    insta::with_settings!({
        snapshot_path => "../../snapshots/diff",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("odoo-18.0-base_to_odoo-18.0.md", md);
    });
}

/// No change prints the same old and new value (Odoo 19 changed one line deep inside the
/// docstring most models inherit, and the indentation of another: both must show).
fn values_differ(log: &Changelog) -> usize {
    let mut checked = 0;
    for (model, c) in log.changes() {
        if let Some((what, old, new)) = c.values() {
            assert_ne!(old, new, "{model} {:?} {what}", c.field);
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_change_prints_two_different_values() {
    assert!(values_differ(&base_to_full()) > 0);
    let log = upgrade();
    // 803 changes of the 18.0 -> 19.0 snapshots replace a value (2026-12-06).
    let checked = values_differ(&log);
    assert!(checked > 700, "{checked}");
    // The docstring most models inherit changed deep inside: the line says where.
    let text = log.to_text();
    let info = text
        .lines()
        .find(|l| l.contains("docstring ") && l.contains("class ResUsers(Model)"))
        .expect("the inherited docstring change shows its differing part");
    assert!(info.contains("class user(Model)"), "{info}");
    // A change of indentation only says so.
    assert!(
        text.contains("(whitespace only)"),
        "no whitespace-only change"
    );
}

#[test]
fn schema_text_is_escaped_and_the_page_is_self_contained() {
    let old = schemas()["odoo-18.0-base"].clone();
    let mut new = old.clone();
    let partner = new.models.get_mut("res.partner").unwrap();
    partner.description = "<script>alert('model')</script> & co".to_owned();
    partner
        .modules
        .push("evil\" onmouseover=\"alert(1)".to_owned());
    let field = partner.fields.get_mut("name").unwrap();
    field.label = "</td><img src=x onerror=alert(1)> `tick` *bold* @here | pipe".to_owned();
    field.help = Some("<b>help</b>\n".repeat(20));
    let log = diff(&old, &new);
    assert!(log.summary.label_changes >= 2);

    let html = log.to_html(&HtmlOptions::default());
    assert!(!html.contains("<script>alert"), "unescaped model label");
    assert!(!html.contains("<img src=x"), "unescaped field label");
    assert!(!html.contains("<b>help"), "unescaped help");
    assert!(
        !html.contains("\" onmouseover=\"alert"),
        "unescaped attribute"
    );
    assert!(html.contains("&lt;script&gt;alert"));
    // One file: nothing loaded from elsewhere.
    for external in [
        "<link",
        "<img",
        "<script src",
        "<iframe",
        "@import",
        "url(",
        "http://",
        "https://",
    ] {
        assert!(!html.contains(external), "{external}");
    }
    assert_eq!(html.matches("<script>").count(), 1);
    assert_eq!(html.matches("<style>").count(), 1);

    let md = log.to_markdown(&MarkdownOptions::default());
    let label = "``\"</td><img src=x onerror=alert(1)> `tick` *bold* @here | pipe\"``";
    assert!(md.contains(label), "{md}");
    // Outside that code span, the others are single-backtick ones.
    let rest = md.replace(label, "");
    for raw in ["<script>", "<img", "<b>help", "@here"] {
        let outside_code: String = rest.split('`').step_by(2).collect::<Vec<_>>().concat();
        assert!(!outside_code.contains(raw), "{raw} outside a code span");
    }
}

/// Checks that each Rust item the changes name exists in the bindings generated from the side
/// it is named after: added things in the new bindings, the rest in the old ones.
fn items_exist(log: &Changelog, old: &Schema, new: &Schema) -> usize {
    let settings = Settings::new().runtime_path("../runtime");
    let files = |schema: &Schema| -> BTreeMap<String, String> {
        generate(schema, &settings)
            .unwrap()
            .files
            .into_iter()
            .map(|f| (f.path, f.contents))
            .collect()
    };
    let (old_files, new_files) = (files(old), files(new));
    let mut checked = 0;
    for (model, c) in log.changes() {
        use odoo_codegen::diff::ChangeKind as K;
        // Added items, and setters a field gains by turning writable, exist in the new bindings.
        let added = matches!(
            c.kind,
            K::ModelAdded { .. }
                | K::FieldAdded { .. }
                | K::SelectionValueAdded { .. }
                | K::ReadonlyChanged { new: false, .. }
                | K::MethodAdded { .. }
                | K::ParameterAdded { .. }
        ) || matches!(c.kind, K::RequiredChanged { .. })
            && c.field
                .as_ref()
                .is_some_and(|f| !old.models[model].fields[f].is_creatable());
        // A parameter moving to or from the call's setters: the setter is named on the side
        // that has it.
        let setter_gained = match (&c.kind, c.kind.method(), c.kind.parameter()) {
            (
                K::ParameterRequiredChanged { .. } | K::ParameterKindChanged { .. },
                Some(method),
                Some(parameter),
            ) => passing(old, model, method, parameter) != Some(Passing::Option),
            _ => false,
        };
        let files = if added { &new_files } else { &old_files };
        let added_modules: Vec<String> = match &c.kind {
            K::ModulesChanged { added, .. } => added
                .iter()
                .map(|m| odoo_codegen::names::odoo_module_feature(m))
                .collect(),
            _ => Vec::new(),
        };
        assert!(
            !c.rust.is_empty() || matches!(c.kind, K::ModulesChanged { .. }),
            "{model} {c:?}"
        );
        for item in &c.rust {
            // A module feature added is in the new bindings.
            let files = if added_modules.contains(&item.path)
                || setter_gained && item.kind == RustItemKind::CallSetter
            {
                &new_files
            } else {
                files
            };
            let path: Vec<&str> = item.path.split("::").collect();
            let ok = match (item.kind, path.as_slice()) {
                (RustItemKind::Feature, [feature]) => files["Cargo.toml"]
                    .lines()
                    .any(|l| l.starts_with(&format!("{feature} = ["))),
                (RustItemKind::Struct, [module, ty]) => files
                    .get(&format!("src/{module}.rs"))
                    .is_some_and(|f| f.contains(&format!("pub struct {ty} {{"))),
                (RustItemKind::Member, [module, ty, member]) => {
                    files.get(&format!("src/{module}.rs")).is_some_and(|f| {
                        f.contains(&format!("pub struct {ty} {{"))
                            && f.contains(&format!("    pub {member}: "))
                    })
                }
                (
                    RustItemKind::Setter | RustItemKind::CreateSetter | RustItemKind::WriteSetter,
                    [module, ty, member],
                ) => files.get(&format!("src/{module}.rs")).is_some_and(|f| {
                    (f.contains(&format!("pub struct {ty}<"))
                        || f.contains(&format!("pub type {ty} = ")))
                        && f.contains(&format!("    pub fn {member}("))
                }),
                (RustItemKind::Handle, [module, ty, member]) => {
                    files.get(&format!("src/{module}.rs")).is_some_and(|f| {
                        f.contains(&format!("pub struct {ty} {{"))
                            && f.contains(&format!("    pub {member}: "))
                    })
                }
                (RustItemKind::Variant, [module, ty, variant]) => files
                    .get(&format!("src/{module}.rs"))
                    .and_then(|f| f.split(&format!("pub enum {ty} {{")).nth(1))
                    .and_then(|rest| rest.split("\n}").next())
                    .is_some_and(|body| body.contains(&format!("    {variant},"))),
                (RustItemKind::Method, [module, ty, call]) => {
                    let ident = call
                        .strip_prefix("on(..).")
                        .unwrap_or_else(|| panic!("{item}: not a call on the handle"));
                    let fun = format!("    pub fn {ident}(");
                    // A model's own methods in its module's impl on the handle, the shared ones in
                    // the generic impl of `methods.rs`.
                    let own = files
                        .get(&format!("src/{module}.rs"))
                        .and_then(|f| {
                            f.split(&format!(
                                "> crate::methods::Handle<'c, C, crate::markers::{ty}> {{\n"
                            ))
                            .nth(1)
                        })
                        .and_then(|rest| rest.split("\n}\n").next())
                        .is_some_and(|body| body.contains(&fun));
                    let shared = files
                        .get("src/methods.rs")
                        .and_then(|f| f.split("\n> Handle<'c, C, M> {\n").nth(1))
                        .and_then(|rest| rest.split("\n}\n").next())
                        .is_some_and(|body| body.contains(&fun));
                    own || shared
                }
                (RustItemKind::CallBuilder, [module, ty]) => files
                    .get(&format!("src/{module}.rs"))
                    .is_some_and(|f| f.contains(&format!("\npub enum {ty} {{}}\n"))),
                (RustItemKind::CallSetter, [module, ty, setter]) => files
                    .get(&format!("src/{module}.rs"))
                    // The marker, then the impl of its setters, before the next marker.
                    .and_then(|f| f.split(&format!("\npub enum {ty} {{}}\n")).nth(1))
                    .and_then(|rest| rest.split("\npub enum ").next())
                    .is_some_and(|setters| setters.contains(&format!("    pub fn {setter}("))),
                _ => false,
            };
            assert!(ok, "{model}: {item} ({:?}) not in the bindings", c.kind);
            checked += 1;
        }
    }
    checked
}

#[test]
fn rust_items_exist_in_the_generated_bindings() {
    let s = schemas();
    let (base, full) = (&s["odoo-18.0-base"], &s["odoo-18.0"]);
    assert!(items_exist(&diff(base, full), base, full) > 2_000);
    assert!(items_exist(&diff(full, base), full, base) > 2_000);
}

#[test]
fn rust_items_of_the_real_upgrade_exist_in_the_generated_bindings() {
    let old = snapshot("snapshots/odoo-18.0");
    let new = snapshot("snapshots/odoo-19.0");
    assert!(items_exist(&upgrade(), &old, &new) > 3_000);
}

/// How the typed call of `model.method` takes `parameter` in `schema`.
fn passing(schema: &Schema, model: &str, method: &str, parameter: &str) -> Option<Passing> {
    let p = schema.models[model]
        .methods
        .get(method)?
        .parameters
        .iter()
        .find(|p| p.name == parameter)?;
    Some(Passing::of(p))
}

/// The committed subset of the testbed's Odoo 19.0 with methods (`testdata/odoo-19.0/snapshot`).
fn with_methods() -> Schema {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/odoo-19.0/snapshot");
    let files = read_text_tree(&dir).unwrap();
    odoo_codegen::snapshot::from_files(&files).unwrap()
}

/// The method `name` of sale.order.
fn so_method<'a>(s: &'a mut Schema, name: &str) -> &'a mut Method {
    s.models
        .get_mut("sale.order")
        .unwrap()
        .methods
        .get_mut(name)
        .unwrap_or_else(|| panic!("sale.order.{name}"))
}

fn so_parameter<'a>(s: &'a mut Schema, method: &str, name: &str) -> &'a mut Parameter {
    so_method(s, method)
        .parameters
        .iter_mut()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("sale.order.{method}({name})"))
}

/// The subset before and after an upgrade touching methods in every way the diff reports: on
/// sale.order (own methods) and on `copy`, which every model shares. Both sides have a method
/// `Action` (a name Odoo could give), and the new one a method `action`, which takes its Rust
/// identifier.
fn methods_upgrade() -> (Schema, Schema) {
    let mut old = with_methods();
    let named = |name: &str| Method {
        name: name.to_owned(),
        signature: "()".to_owned(),
        model: "sale.order".to_owned(),
        module: "sale".to_owned(),
        ..Method::default()
    };
    let order = old.models.get_mut("sale.order").unwrap();
    order.methods.insert("Action".to_owned(), named("Action"));
    let mut new = old.clone();
    let order = new.models.get_mut("sale.order").unwrap();
    order.methods.insert("action".to_owned(), named("action"));
    order
        .methods
        .insert("action_reopen".to_owned(), named("action_reopen"));
    order.methods.remove("action_lock");
    let confirm = so_method(&mut new, "action_confirm");
    confirm.parameters.push(Parameter {
        name: "force".to_owned(),
        annotation: Some("bool".to_owned()),
        ..Parameter::default()
    });
    confirm.returns = Some("dict".to_owned());
    so_method(&mut new, "action_view_invoice")
        .parameters
        .push(Parameter {
            name: "open".to_owned(),
            optional: true,
            annotation: Some("bool".to_owned()),
            default: Some(serde_json::json!(false)),
            ..Parameter::default()
        });
    so_method(&mut new, "action_cancel").api_model = true;
    so_method(&mut new, "action_draft").doc = Some("<p>Back to a quotation.</p>".to_owned());
    let body = so_parameter(&mut new, "message_post", "body");
    body.optional = false;
    body.default = None;
    so_parameter(&mut new, "message_post", "subject").annotation = Some("int".to_owned());
    so_parameter(&mut new, "message_post", "message_type").default =
        Some(serde_json::json!("comment"));
    so_parameter(&mut new, "message_post", "email_from").kind = ParameterKind::PositionalOnly;
    so_method(&mut new, "message_post")
        .parameters
        .retain(|p| p.name != "attachments");
    so_parameter(&mut new, "message_subscribe", "partner_ids").kind = ParameterKind::KeywordOnly;
    so_parameter(
        &mut new,
        "create_document_from_attachment",
        "attachment_ids",
    )
    .kind = ParameterKind::PositionalOnly;
    // A shared method changing everywhere stays shared: its setter is in `crate::methods`.
    for model in new.models.values_mut() {
        if let Some(copy) = model.methods.get_mut("copy") {
            copy.parameters[0].default = Some(serde_json::json!({}));
        }
    }
    (old, new)
}

#[test]
fn method_changes_in_every_report() {
    use odoo_codegen::diff::ChangeKind as K;
    let with = with_methods();
    let mut without = with.clone();
    for model in without.models.values_mut() {
        model.methods.clear();
    }
    // Read on one side only (an Odoo before 19.0, a password, a user outside the doc group):
    // nothing compared, one warning naming the side that has none.
    for (old, new, side) in [(&without, &with, "old"), (&with, &without, "new")] {
        let log = diff(old, new);
        assert_eq!(log.summary.total(), 0, "{:?}", log.summary);
        assert_eq!(log.warnings.len(), 1, "{:?}", log.warnings);
        assert!(
            log.warnings[0].starts_with(&format!("methods not compared: the {side} schema")),
            "{:?}",
            log.warnings
        );
        let md = log.to_markdown(&MarkdownOptions::default());
        assert!(md.contains("methods not compared"), "{md}");
    }
    // Read on both sides but not for one model (`/doc-bearer` refused it): that model is named.
    let mut one_refused = with.clone();
    one_refused
        .models
        .get_mut("sale.order")
        .unwrap()
        .methods
        .clear();
    let log = diff(&with, &one_refused);
    assert_eq!(log.summary.total(), 0, "{:?}", log.summary);
    assert_eq!(
        log.warnings,
        ["methods of 1 model(s) not compared, read on one side only: sale.order"]
    );
    // Every method added to a model and then dropped: one change per method, a call and a builder
    // each.
    let mut fewer = with.clone();
    let order = fewer.models.get_mut("sale.order").unwrap();
    let kept = order.methods.keys().next().cloned().unwrap();
    order.methods.retain(|name, _| *name == kept);
    let total = with.models["sale.order"].methods.len() - 1;
    for (old, new) in [(&fewer, &with), (&with, &fewer)] {
        let log = diff(old, new);
        assert_eq!(log.summary.total(), total);
        assert_eq!(
            log.summary.methods_added + log.summary.methods_removed,
            total
        );
        assert!(log.warnings.is_empty(), "{:?}", log.warnings);
        counts_agree(&log);
        assert_eq!(items_exist(&log, old, new), 2 * total);
        let md = log.to_markdown(&MarkdownOptions {
            max_chars: None,
            ..Default::default()
        });
        assert!(md.contains("| methods added | "), "{md}");
    }

    let (old, new) = methods_upgrade();
    let log = diff(&old, &new);
    let kinds: BTreeSet<String> = log
        .changes()
        .map(|(_, c)| {
            serde_json::to_value(&c.kind).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for kind in [
        "method_added",
        "method_removed",
        "method_api_changed",
        "method_return_changed",
        "method_doc_changed",
        "parameter_added",
        "parameter_removed",
        "parameter_required_changed",
        "parameter_kind_changed",
        "parameter_annotation_changed",
        "parameter_default_changed",
        "rust_name_changed",
    ] {
        assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
    }
    for impact in [
        Impact::DoesNotCompile,
        Impact::Misbehaves,
        Impact::Compatible,
    ] {
        assert!(log.summary.of_class(impact) > 0, "{impact}");
    }
    counts_agree(&log);
    counts_agree(&log.only(Only::Breaking));
    assert!(values_differ(&log) >= 8);
    // Every method change names an item, and each exists where it is said to.
    assert!(items_exist(&log, &old, &new) > log.summary.total());
    breaking_first(&log);

    // What each change names, as the generator names it.
    let order = log.models.iter().find(|m| m.model == "sale.order").unwrap();
    assert_eq!(order.rust_module(), Some("sale_order"));
    let named = |pred: &dyn Fn(&K) -> bool| -> Vec<String> {
        order
            .changes
            .iter()
            .filter(|c| pred(&c.kind))
            .flat_map(|c| c.rust.iter().map(ToString::to_string))
            .collect()
    };
    assert_eq!(
        named(&|k| matches!(k, K::MethodRemoved { .. })),
        [
            "method `sale_order::SaleOrder::on(..).action_lock`",
            "call builder `sale_order::SaleOrderActionLockCall`"
        ]
    );
    assert_eq!(
        named(&|k| matches!(k, K::ParameterAdded { parameter, .. } if parameter == "open")),
        ["call setter `sale_order::SaleOrderActionViewInvoiceCall::open`"]
    );
    assert_eq!(
        named(&|k| matches!(k, K::ParameterAdded { parameter, .. } if parameter == "force")),
        ["method `sale_order::SaleOrder::on(..).action_confirm`"]
    );
    assert_eq!(
        named(&|k| matches!(k, K::ParameterRequiredChanged { .. })),
        [
            "call setter `sale_order::SaleOrderMessagePostCall::body`",
            "method `sale_order::SaleOrder::on(..).message_post`"
        ]
    );
    assert_eq!(
        named(&|k| matches!(k, K::ParameterDefaultChanged { method, .. } if method == "copy")),
        ["call setter `methods::CopyCall::default`"]
    );
    assert_eq!(
        named(&|k| matches!(k, K::RustNameChanged { .. })),
        ["method `sale_order::SaleOrder::on(..).action`"]
    );

    // The lines of the reports.
    let text = log.to_text();
    for line in [
        "    - method action_lock: ()  [BREAKING, does not compile: its typed call is gone]",
        "    + method action_reopen: ()\n",
        "    ~ method action_cancel: @api.model no -> yes  [BREAKING, does not compile",
        "    ~ method action_confirm: returns bool -> dict  [BREAKING, does not compile",
        "    ~ method action_view_invoice: optional parameter open added (bool)\n",
        "    ~ method message_post: parameter message_type default \"notification\" -> \"comment\"  [BREAKING, misbehaves",
        "    ~ method message_post: optional parameter attachments removed  [BREAKING, does not compile",
        "    ~ method action_draft: docs changed\n",
        "    ~ bindings: Rust method \"Action\" name action -> action_2  [BREAKING, misbehaves",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains(&format!(
        "{} methods added, {} removed, {} method signature changes; ",
        log.summary.methods_added,
        log.summary.methods_removed,
        log.summary.method_signature_changes
    )));
    let md = log.to_markdown(&MarkdownOptions::default());
    // The Rust item unless the line names it already, then why it breaks.
    assert!(
        md.contains("- `-` method `action_lock`: `()` · its typed call is gone\n"),
        "{md}"
    );
    assert!(
        md.contains("- `~` method `message_post`: parameter `body` required no → yes · call setter `SaleOrderMessagePostCall::body` · it becomes an argument of the typed call\n"),
        "{md}"
    );
    let html = log.to_html(&HtmlOptions::default());
    assert!(
        html.contains("<code>SaleOrderActionViewInvoiceCall::open</code> <i>call setter</i>"),
        "{html}"
    );
    // `describe` names the method (what `diff --fail-on` prints).
    let described: Vec<String> = order.changes.iter().map(|c| c.describe()).collect();
    for want in [
        "method action_lock removed",
        "method message_post: parameter body required no -> yes",
        "method action_confirm: required parameter force added (bool)",
    ] {
        assert!(
            described.iter().any(|d| d == want),
            "{want:?} not in {described:#?}"
        );
    }
}

/// The upgrade changelogs of the committed snapshots (the testbed's stock schemas, same apps),
/// 17.0 → 18.0 and 18.0 → 19.0: counts agree across formats, breaking changes come first, the
/// summaries are pinned, and the README quotes each as it is.
#[test]
fn upgrade_changelogs_17_to_18_to_19() {
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    for (old, new) in [("odoo-17.0", "odoo-18.0"), ("odoo-18.0", "odoo-19.0")] {
        let log = if new == "odoo-19.0" {
            upgrade()
        } else {
            diff(
                &snapshot(&format!("snapshots/{old}")),
                &snapshot(&format!("snapshots/{new}")),
            )
        };
        assert!(
            log.summary.breaking > 100,
            "{old} → {new}: {:?}",
            log.summary
        );
        counts_agree(&log);
        breaking_first(&log);
        let line = log.summary_line();
        insta::with_settings!({
            snapshot_path => "../../snapshots/diff",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(format!("{old}_to_{new}.summary"), line);
        });
        assert!(
            readme.contains(&line),
            "README.md does not quote the {old} → {new} summary:\n{line}"
        );
    }
}
