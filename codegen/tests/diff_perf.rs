//! Benchmark (ignored by default, prints figures, asserts no time): diffing two ~500-model schemas.
//!
//! ```sh
//! cargo test --release -p odoo-codegen --test diff_perf -- --ignored --nocapture
//! ```
//!
//! Sides: the recorded Odoo 18.0 schema (507 models, 9,774 fields) and a copy where every model is
//! changed (a field removed, one added, a type flipped, a selection extended, a label changed), plus
//! the base-vs-full real diff. Each figure is the median of several runs and is printed next to the
//! time of loading one side from its dump in the same run, as a ratio.

use std::path::Path;
use std::time::{Duration, Instant};

use odoo_codegen::diff::diff;
use odoo_codegen::{FieldType, Schema, SelectionOption};
use odoo_replay::fixtures::read_dump_tree;

fn median(mut f: impl FnMut() -> usize, runs: usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut out = 0;
    for _ in 0..runs {
        let started = Instant::now();
        out = std::hint::black_box(f());
        times.push(started.elapsed());
    }
    times.sort();
    (times[runs / 2], out)
}

/// Every model of `schema` changed in five ways.
fn churn(schema: &Schema) -> Schema {
    let mut new = schema.clone();
    for model in new.models.values_mut() {
        model.description.push_str(" (new)");
        if let Some(first) = model.fields.keys().next().cloned() {
            model.fields.remove(&first);
        }
        let mut added = odoo_codegen::Field {
            name: "x_bench".to_owned(),
            field_type: FieldType::Char,
            ..Default::default()
        };
        added.label = "Bench".to_owned();
        model.fields.insert(added.name.clone(), added);
        for field in model.fields.values_mut() {
            match field.field_type {
                FieldType::Char => field.field_type = FieldType::Text,
                FieldType::Selection => {
                    field
                        .selection
                        .get_or_insert_with(Vec::new)
                        .push(SelectionOption {
                            value: "bench".to_owned(),
                            label: "Bench".to_owned(),
                        })
                }
                _ => field.required = !field.required,
            }
        }
    }
    new
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture (in --release for real figures)"]
fn diff_two_500_model_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
    let full_files = read_dump_tree(&root.join("odoo-18.0/schema")).unwrap();
    let base_files = read_dump_tree(&root.join("odoo-18.0-base/schema")).unwrap();
    let (load, _) = median(
        || {
            odoo_codegen::dump::from_dump(&full_files)
                .unwrap()
                .0
                .models
                .len()
        },
        5,
    );
    let full = odoo_codegen::dump::from_dump(&full_files).unwrap().0;
    let base = odoo_codegen::dump::from_dump(&base_files).unwrap().0;
    let changed = churn(&full);
    let fields: usize = full.models.values().map(|m| m.fields.len()).sum();

    let (same, n_same) = median(|| diff(&full, &full).changes().count(), 21);
    let (churned, n_churned) = median(|| diff(&full, &changed).changes().count(), 21);
    let (real, n_real) = median(|| diff(&base, &full).changes().count(), 21);
    let text = diff(&full, &changed);
    let (render, _) = median(|| text.to_text().len(), 21);
    let (json, _) = median(|| text.to_json().unwrap().len(), 21);
    let full_md = odoo_codegen::diff::MarkdownOptions {
        max_chars: None,
        ..Default::default()
    };
    let (markdown, md_len) = median(|| text.to_markdown(&full_md).len(), 21);
    let html_options = odoo_codegen::diff::HtmlOptions::default();
    let (html, html_len) = median(|| text.to_html(&html_options).len(), 21);

    assert_eq!(n_same, 0);
    assert!(n_churned > 5 * full.models.len() - 200, "{n_churned}");
    assert_eq!(n_real, 2825);
    let ratio = |d: Duration| d.as_secs_f64() / load.as_secs_f64();
    println!(
        "{} models, {fields} fields; loading one side from its dump: {load:.2?}",
        full.models.len()
    );
    println!(
        "diff, identical sides:        {same:>10.2?} ({:.3} x load)",
        ratio(same)
    );
    println!(
        "diff, every model changed:    {churned:>10.2?} ({:.3} x load), {n_churned} changes",
        ratio(churned)
    );
    println!(
        "diff, base -> full (real):    {real:>10.2?} ({:.3} x load), {n_real} changes",
        ratio(real)
    );
    println!(
        "text report of the churn:     {render:>10.2?} ({:.3} x load)",
        ratio(render)
    );
    println!(
        "JSON of the churn:            {json:>10.2?} ({:.3} x load)",
        ratio(json)
    );
    println!(
        "Markdown of the churn, whole: {markdown:>10.2?} ({:.3} x load), {md_len} bytes",
        ratio(markdown)
    );
    println!(
        "HTML of the churn:            {html:>10.2?} ({:.3} x load), {html_len} bytes",
        ratio(html)
    );
}
