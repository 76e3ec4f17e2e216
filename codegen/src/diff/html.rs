//! The HTML report: one self-contained page (inline style and script, no network, no external
//! file) that opens from disk. The summary of counts by class and by kind, a search box, filters
//! by class and by Odoo module, one collapsible block per model (those with breaking changes open),
//! and one row per change with the Rust items it concerns; breaking rows are marked.
//!
//! The page is a [maud](https://maud.lambda.xyz) template: every text from the schema is escaped
//! by it. The script only hides and shows rows: without it the page is the whole report.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::report::{self, CLASSES, Only, Piece};
use super::{Change, Changelog, Impact, ModelDiff};

/// Options of [`Changelog::to_html`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HtmlOptions {
    /// Which changes are listed (and counted).
    pub only: Only,
}

const STYLE: &str = r#"
:root{--dnc:#b3261e;--mis:#a15c00;--ok:#3b6e3b;--line:#d8dde3;--soft:#f4f6f8;--text:#1d232a;--muted:#5c6670}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--text);background:#fff}
header,nav,main,footer{padding:0 24px}
h1{font-size:22px;margin:18px 0 6px}
.lead{margin:0 0 12px;color:var(--muted)}
code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:0 3px;border-radius:3px;word-break:break-all}
q{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#0b4f8a;word-break:break-word;quotes:'"' '"';white-space:pre-wrap}
table{border-collapse:collapse}
#summary td,#summary th{padding:4px 12px;border-bottom:1px solid var(--line);text-align:right}
#summary th:first-child{text-align:left}
#summary tr.does_not_compile th{color:var(--dnc)}#summary tr.misbehaves th{color:var(--mis)}#summary tr.compatible th{color:var(--ok)}
#summary .total{font-weight:600}
.kinds{margin:10px 0 14px}.kinds td{padding:1px 12px;border-bottom:1px solid var(--soft)}.kinds td+td{text-align:right}
nav{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);padding-top:10px;padding-bottom:10px;display:flex;flex-wrap:wrap;gap:10px 18px;align-items:center}
#q{width:min(420px,100%);padding:6px 8px;font-size:14px;border:1px solid #aab3bd;border-radius:4px}
fieldset{border:0;margin:0;padding:0;display:flex;gap:12px}
legend{float:left;margin-right:6px;color:var(--muted)}
label.does_not_compile{color:var(--dnc)}label.misbehaves{color:var(--mis)}label.compatible{color:var(--ok)}
select,button{font-size:13px;padding:4px 6px}
#status{color:var(--muted)}
main{padding-top:8px;padding-bottom:24px}
details.model{border:1px solid var(--line);border-radius:5px;margin:6px 0;content-visibility:auto;contain-intrinsic-size:auto 34px}
details.model>summary{cursor:pointer;padding:6px 10px;background:var(--soft);display:flex;gap:8px;align-items:center;flex-wrap:wrap}
details.model>summary code{background:none;font-weight:600;font-size:13.5px}
.badge{font-size:12px;border-radius:9px;padding:0 7px;color:#fff}
.badge.does_not_compile{background:var(--dnc)}.badge.misbehaves{background:var(--mis)}.badge.compatible{background:var(--ok)}
.mods{color:var(--muted);font-size:12px;margin-left:auto}.mods~.mods{margin-left:0}
.changes{width:100%}
.changes td{padding:4px 10px;border-top:1px solid var(--soft);vertical-align:top}
.changes td:first-child{white-space:nowrap;width:1%}
.changes td:nth-child(3){width:30%}
.changes td:nth-child(3) div{margin:1px 0}
.changes i{color:var(--muted);font-size:12px;font-style:normal}
tr.breaking td:first-child{box-shadow:inset 4px 0 0 var(--dnc)}
tr.misbehaves td:first-child{box-shadow:inset 4px 0 0 var(--mis)}
.changes td:nth-child(4){font-size:13px}
.tag{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.03em;text-transform:uppercase;border-radius:3px;padding:0 4px;margin-right:4px;color:#fff}
.tag.does_not_compile{background:var(--dnc)}.tag.misbehaves{background:var(--mis)}
tr.compatible td:nth-child(4){color:var(--muted)}
footer{color:var(--muted);font-size:12px;padding-bottom:20px}
"#;

const SCRIPT: &str = r##"
(function () {
  "use strict";
  var models = Array.prototype.map.call(document.querySelectorAll("details.model"), function (m) {
    var name = m.getAttribute("data-model");
    return {
      el: m,
      modules: m.getAttribute("data-modules"),
      rows: Array.prototype.map.call(m.querySelectorAll("table.changes tr"), function (r) {
        return { el: r, cls: r.classList[0], text: (name + " " + r.textContent).toLowerCase() };
      })
    };
  });
  var q = document.getElementById("q");
  var module = document.getElementById("module");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("#classes input"));
  var all = 0;
  models.forEach(function (m) { all += m.rows.length; });
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var needle = q.value.trim().toLowerCase();
    var wanted = module.value;
    var shown = { does_not_compile: 0, misbehaves: 0, compatible: 0 };
    var total = 0, count = 0;
    models.forEach(function (m) {
      var inModule = !wanted || m.modules.indexOf(" " + wanted + " ") >= 0;
      var any = 0;
      m.rows.forEach(function (r) {
        var visible = inModule && on[r.cls] && (!needle || r.text.indexOf(needle) >= 0);
        r.el.hidden = !visible;
        if (visible) { any += 1; shown[r.cls] += 1; }
      });
      m.el.hidden = any === 0;
      if (any) { count += 1; total += any; if (needle) { m.el.open = true; } }
    });
    Object.keys(shown).forEach(function (k) {
      var cell = document.querySelector('[data-shown="' + k + '"]');
      if (cell) { cell.textContent = shown[k]; }
    });
    document.querySelector('[data-shown="total"]').textContent = total;
    document.getElementById("status").textContent =
      total + " of " + all + " changes shown, in " + count + " models";
  }
  q.addEventListener("input", apply);
  module.addEventListener("change", apply);
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  document.getElementById("expand").addEventListener("click", function () {
    models.forEach(function (m) { m.el.open = true; });
  });
  document.getElementById("collapse").addEventListener("click", function () {
    models.forEach(function (m) { m.el.open = false; });
  });
  apply();
})();
"##;

fn pieces(pieces: &[Piece]) -> Markup {
    html! {
        @for piece in pieces {
            @match piece {
                Piece::Lit(s) => (s),
                Piece::Code(s) => code { (s) },
                Piece::Text(s) => q { (quoted(s)) },
                Piece::Excerpt { text, cut_before, cut_after } => {
                    @if *cut_before { "…" }
                    q { (quoted(text)) }
                    @if *cut_after { "…" }
                },
                Piece::Arrow => " → ",
                Piece::More(n) => (format!(", … ({n} more)")),
            }
        }
    }
}

/// A sentence of the report whose backticked parts are names (see the Markdown report).
fn sentence(text: &str) -> Markup {
    html! {
        @for (name, part) in report::sentence_parts(text) {
            @if name { code { (part) } } @else { (part) }
        }
    }
}

/// A schema text escaped as the text report quotes it (`\n` for a newline...), without the
/// quotes (`<q>` adds them).
fn quoted(text: &str) -> String {
    let debug = format!("{text:?}");
    debug[1..debug.len() - 1].to_owned()
}

fn row(model: &ModelDiff, c: &Change) -> Markup {
    let (sign, what) = report::head(&c.kind, c.field.is_some());
    let key = c.impact.key();
    let class = if c.impact.is_breaking() {
        format!("{key} breaking")
    } else {
        key.to_owned()
    };
    let subject = match report::subject(c) {
        Some(subject) => Some(subject),
        None if report::is_whole_model(model) => Some(model.model.as_str()),
        None => None,
    };
    let mut detail = report::detail(c);
    // The subject has its own cell: no `: ` after it.
    if let Some(Piece::Lit(first)) = detail.first_mut() {
        *first = first.trim_start_matches(':').trim_start().to_owned();
    }
    html! {
        tr class=(class) {
            td { (sign) " " (what) @if let Some(s) = subject { " " code { (s) } } }
            td { (pieces(&detail)) }
            td {
                @for item in &c.rust {
                    div { code { (item.in_module()) } " " i { (item.kind.as_str()) } }
                }
            }
            td {
                @if c.impact.is_breaking() { span class={"tag " (key)} { (c.impact.as_str()) } }
                (sentence(&c.reason))
            }
        }
    }
}

fn model_block(model: &ModelDiff) -> Markup {
    let mut changes: Vec<&Change> = model.changes.iter().collect();
    // What breaks first (stable: changelog order within a class).
    changes.sort_by_key(|c| std::cmp::Reverse(c.impact));
    let breaking = changes.iter().any(|c| c.impact.is_breaking());
    let modules = format!(" {} ", model.modules.join(" "));
    html! {
        details.model open[breaking] data-model=(model.model) data-modules=(modules) {
            summary {
                code { (model.model) }
                @for impact in CLASSES {
                    @let n = model.changes.iter().filter(|c| c.impact == impact).count();
                    @if n > 0 {
                        span class={"badge " (impact.key())} title=(impact.as_str()) { (n) }
                    }
                }
                @if let Some(module) = model.rust_module() {
                    span.mods { "Rust module " code { (module) } }
                }
                @if !model.modules.is_empty() {
                    span.mods { "Odoo " (model.modules.join(", ")) }
                }
            }
            table.changes {
                @for c in &changes { (row(model, c)) }
            }
        }
    }
}

impl Changelog {
    /// The HTML report: one self-contained page (inline style and script, nothing loaded from
    /// elsewhere) with the counts by class and by kind, a search box, filters by class and by Odoo
    /// module, one collapsible block per model and one row per change with the Rust items it
    /// concerns; every schema text escaped. Counts come from [`Changelog::summary`] (of the
    /// changes `options.only` keeps).
    pub fn to_html(&self, options: &HtmlOptions) -> String {
        let log = self.only(options.only);
        let s = &log.summary;
        let title = format!("Schema changes: {}", log.versions());
        let mut modules: Vec<(&str, usize)> = Vec::new();
        {
            let mut all: Vec<&str> = log
                .models
                .iter()
                .flat_map(|m| m.modules.iter().map(String::as_str))
                .collect();
            all.sort_unstable();
            for m in all {
                match modules.last_mut() {
                    Some((last, n)) if *last == m => *n += 1,
                    _ => modules.push((m, 1)),
                }
            }
        }
        let page = html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) }
                    style { (PreEscaped(STYLE)) }
                }
                body {
                    header {
                        h1 { (title) }
                        p.lead {
                            (s.does_not_compile) " " (class_words(Impact::DoesNotCompile)) ", "
                            (s.misbehaves) " " (class_words(Impact::Misbehaves)) ", "
                            (s.compatible) " " (class_words(Impact::Compatible))
                            " (" (log.models.len()) " models)."
                            @if let Some(note) = options.only.note() { " Listing " (note) "." }
                        }
                        table #summary {
                            thead { tr { th { "class" } th { "changes" } th { "models" } th { "shown" } } }
                            tbody {
                                @for impact in CLASSES {
                                    tr class=(impact.key()) {
                                        th { (impact.title()) }
                                        td data-count=(impact.key()) { (s.of_class(impact)) }
                                        td { (log.models_with(impact)) }
                                        td data-shown=(impact.key()) { (s.of_class(impact)) }
                                    }
                                }
                                tr.total {
                                    th { "Total" }
                                    td data-count="total" { (s.total()) }
                                    td { (log.models.len()) }
                                    td data-shown="total" { (s.total()) }
                                }
                            }
                        }
                        details.kinds {
                            summary { "Changes by kind" }
                            table { @for (kind, n) in s.kinds() { tr { td { (kind) } td data-kind=(kind) { (n) } } } }
                        }
                        @if !log.warnings.is_empty() {
                            details.warnings open {
                                summary { "Warnings about the inputs (" (log.warnings.len()) ")" }
                                ul { @for w in &log.warnings { li { (w) } } }
                            }
                        }
                    }
                    nav {
                        input #q type="search" placeholder="Search models, fields, Rust items, text…" autocomplete="off" aria-label="Search";
                        fieldset #classes {
                            legend { "Class" }
                            @for impact in CLASSES {
                                label class=(impact.key()) {
                                    input type="checkbox" name="class" value=(impact.key()) checked;
                                    " " (impact.title()) " (" (s.of_class(impact)) ")"
                                }
                            }
                        }
                        label {
                            "Odoo module "
                            select #module {
                                option value="" { "all modules" }
                                @for (m, n) in &modules { option value=(m) { (m) " (" (n) ")" } }
                            }
                        }
                        button #expand type="button" { "Expand all" }
                        button #collapse type="button" { "Collapse all" }
                        span #status { (s.total()) " changes" }
                    }
                    main #models {
                        @if log.is_empty() { p { "No changes." } }
                        @for model in &log.models { (model_block(model)) }
                    }
                    footer {
                        "odoo-codegen " (env!("CARGO_PKG_VERSION"))
                        ": changes classed for code built on the old schema's bindings. "
                        "Rust items are named as in the old bindings, added ones as in the new."
                    }
                    script { (PreEscaped(SCRIPT)) }
                }
            }
        };
        page.into_string()
    }
}

/// `do not compile`, `misbehave`, `compatible`.
fn class_words(impact: Impact) -> &'static str {
    match impact {
        Impact::DoesNotCompile => "do not compile",
        Impact::Misbehaves => "misbehave",
        Impact::Compatible => "compatible",
    }
}
