//! The Markdown report, for pull request comments and CI job summaries (GitHub Flavored Markdown):
//! a summary table (counts by class, then by kind), what does not compile, what misbehaves, and
//! the compatible changes collapsed in `<details>`, each class grouped by model.
//!
//! Every text from the schema is printed in a code span (quoted as the text report quotes it), so
//! no label can format the page, open HTML, or mention a user; the report's own words are escaped.
//! By default the report stays within [`GITHUB_COMMENT_LIMIT`] characters: what does not fit is
//! counted on a `N more changes: see the full report` line.

use std::fmt::Write as _;

use super::report::{self, Only, Piece, Section, is_whole_model, lines, run_detail};
use super::{Change, Changelog, Impact, ModelDiff, RustItemKind};

/// The most characters GitHub takes in a comment (and a job summary step).
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// Options of [`Changelog::to_markdown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// Which changes are listed (and counted).
    pub only: Only,
    /// At most this many characters; `None` lists everything. Default: [`GITHUB_COMMENT_LIMIT`].
    pub max_chars: Option<usize>,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            only: Only::All,
            max_chars: Some(GITHUB_COMMENT_LIMIT),
        }
    }
}

/// Room kept for the lines that close the report (the lines of the sections left, the final
/// `more changes` line).
const CLOSING_ROOM: usize = 600;

/// Escapes the report's own words for Markdown (and the HTML GitHub lets through).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '@' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A code span holding `text` exactly (a fence longer than any run of backticks inside it).
fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A sentence of the report whose backticked parts are names: the rest is escaped, the names
/// become code spans.
fn sentence(text: &str) -> String {
    report::sentence_parts(text)
        .into_iter()
        .map(|(name, p)| if name { code(p) } else { escape(p) })
        .collect()
}

fn pieces(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Lit(s) => out.push_str(&escape(s)),
            Piece::Code(s) => out.push_str(&code(s)),
            Piece::Text(s) => out.push_str(&code(&format!("{s:?}"))),
            Piece::Excerpt {
                text,
                cut_before,
                cut_after,
            } => {
                let _ = write!(
                    out,
                    "{}{}{}",
                    if *cut_before { "…" } else { "" },
                    code(&format!("{text:?}")),
                    if *cut_after { "…" } else { "" }
                );
            }
            Piece::Arrow => out.push_str(" → "),
            Piece::More(n) => {
                let _ = write!(out, ", … ({n} more in the full report)");
            }
        }
    }
    out
}

/// One bullet: sign, subject, what changed, the first Rust item it concerns (breaking changes),
/// and why it breaks (when `reason`).
fn bullet(model: Option<&ModelDiff>, run: &[&Change], reason: bool) -> String {
    let Some(first) = run.first() else {
        return String::new();
    };
    let (sign, what) = report::head(&first.kind, first.field.is_some());
    let mut out = format!("- {} {what}", code(&sign.to_string()));
    match (model, report::subject(first)) {
        (Some(model), _) => {
            let _ = write!(out, " {}", code(&model.model));
        }
        (None, Some(subject)) => {
            let _ = write!(out, " {}", code(subject));
        }
        (None, None) => {}
    }
    let detail = if run.len() > 1 {
        run_detail(run)
    } else {
        report::detail(first)
    };
    out.push_str(&pieces(&detail));
    // The Rust item, unless it is the member or struct the line already names.
    if first.impact.is_breaking()
        && let Some(item) = first.rust.first()
    {
        let named = match (item.kind, &first.field) {
            (RustItemKind::Member, Some(field)) => item.path.ends_with(&format!("::{field}")),
            (RustItemKind::Struct, None) => true,
            (RustItemKind::Method, None) => first
                .kind
                .method()
                .is_some_and(|m| item.path.ends_with(&format!(".{m}"))),
            _ => false,
        };
        if !named {
            let _ = write!(out, " · {} {}", item.kind.as_str(), code(item.in_module()));
        }
    }
    if reason && first.impact.is_breaking() {
        let _ = write!(out, " · {}", sentence(&first.reason));
    }
    out.push('\n');
    out
}

/// The lines of one section, each with the number of changes it holds: model headings and
/// bullets. In a breaking section, the lines of one model that share a reason are listed under
/// it, said once.
fn section_lines(section: &Section<'_>) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut in_block = false;
    for m in &section.models {
        if is_whole_model(m.model) {
            if in_block {
                out.push(("\n".to_owned(), 0));
                in_block = false;
            }
            for c in &m.changes {
                out.push((bullet(Some(m.model), &[c], true), 1));
            }
            continue;
        }
        out.push((format!("\n#### {}\n\n", code(&m.model.model)), 0));
        in_block = true;
        let runs = lines(&m.changes);
        if !section.impact.is_breaking() {
            for run in runs {
                out.push((bullet(None, run, false), run.len()));
            }
            continue;
        }
        // Reasons in order of first appearance, each with its lines.
        let mut groups: Vec<(&str, Vec<&[&Change]>)> = Vec::new();
        for run in runs {
            let reason = run.first().map_or("", |c| c.reason.as_str());
            match groups.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, group)) => group.push(run),
                None => groups.push((reason, vec![run])),
            }
        }
        for (i, (reason, group)) in groups.into_iter().enumerate() {
            let inline = group.len() == 1;
            if !inline {
                // After a bullet, a blank line: the reason must not continue its item.
                let gap = if i == 0 { "" } else { "\n" };
                out.push((format!("{gap}*{}:*\n", sentence(reason)), 0));
            }
            for run in group {
                out.push((bullet(None, run, inline), run.len()));
            }
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The words of a class in sentences: `do not compile`, `misbehave`, `are compatible`.
fn verb(impact: Impact, n: usize) -> &'static str {
    match (impact, n == 1) {
        (Impact::DoesNotCompile, true) => "does not compile",
        (Impact::DoesNotCompile, false) => "do not compile",
        (Impact::Misbehaves, true) => "misbehaves",
        (Impact::Misbehaves, false) => "misbehave",
        (Impact::Compatible, true) => "is compatible",
        (Impact::Compatible, false) => "are compatible",
    }
}

/// Appends text while counting characters against a budget.
struct Budget {
    out: String,
    chars: usize,
    max: Option<usize>,
}

impl Budget {
    fn push(&mut self, text: &str) {
        self.out.push_str(text);
        self.chars += text.chars().count();
    }

    /// Whether `text` fits, keeping `room` characters free.
    fn fits(&self, text: &str, room: usize) -> bool {
        self.max
            .is_none_or(|max| self.chars + text.chars().count() + room <= max)
    }
}

impl Changelog {
    /// The Markdown report, for pull request comments and CI job summaries: the counts by class
    /// and by kind, what does not compile, what misbehaves, then the compatible changes collapsed
    /// (`<details>`), each class grouped by model. Schema text is printed in code spans (no label
    /// can format the page, open HTML or mention a user). Within `options.max_chars` characters
    /// (by default [`GITHUB_COMMENT_LIMIT`]), what does not fit counted on a `N more changes: see
    /// the full report` line. Counts come from [`Changelog::summary`] (of the changes
    /// `options.only` keeps).
    pub fn to_markdown(&self, options: &MarkdownOptions) -> String {
        let log = self.only(options.only);
        let mut b = Budget {
            out: String::new(),
            chars: 0,
            max: options.max_chars,
        };
        b.push(&format!(
            "## Schema changes: {}\n\n",
            escape(&log.versions())
        ));
        if let Some(note) = options.only.note() {
            b.push(&format!("Listing {}.\n\n", escape(note)));
        }
        let warnings = |b: &mut Budget| {
            if !log.warnings.is_empty() {
                b.push("**Warnings about the inputs:**\n\n");
                for w in &log.warnings {
                    b.push(&format!("- {}\n", escape(w)));
                }
                b.push("\n");
            }
        };
        if log.is_empty() {
            b.push("No changes.\n");
            if !log.warnings.is_empty() {
                b.push("\n");
            }
            warnings(&mut b);
            return b.out;
        }
        b.push(&summary(&log));
        warnings(&mut b);
        let sections = log.sections();
        let mut left_out = 0;
        for (i, section) in sections.iter().enumerate() {
            let count = section.count();
            let title = format!(
                "{} ({}, {})",
                section.impact.title(),
                plural(count, "change", "changes"),
                plural(section.models.len(), "model", "models"),
            );
            let (open, close) = if section.impact == Impact::Compatible {
                (
                    format!("<details><summary><b>{}</b></summary>\n\n", escape(&title)),
                    "\n</details>\n".to_owned(),
                )
            } else {
                (format!("### {}\n\n", escape(&title)), String::new())
            };
            // Room for the closing lines of this section and the ones after it.
            let room = CLOSING_ROOM * (sections.len() - i);
            b.push(&open);
            let mut shown = 0;
            for (line, changes) in section_lines(section) {
                if !b.fits(&line, room) {
                    break;
                }
                b.push(&line);
                shown += changes;
            }
            if shown < count {
                let more = count - shown;
                left_out += more;
                b.push(&format!(
                    "\n*{} that {} not shown: see the full report.*\n",
                    plural(more, "more change", "more changes"),
                    verb(section.impact, more),
                ));
            }
            b.push(&close);
            b.push("\n");
        }
        if left_out > 0 {
            b.push(&format!(
                "**{}: see the full report** (the HTML report, `--format markdown --full`, or \
                 `--format json`).\n",
                plural(left_out, "more change", "more changes"),
            ));
        }
        b.out
    }
}

/// The summary: one sentence, the table of counts by class, the counts by kind collapsed.
fn summary(log: &Changelog) -> String {
    let s = &log.summary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "**{} {}, {} {}**; {} {}, in {}.\n",
        s.does_not_compile,
        verb(Impact::DoesNotCompile, s.does_not_compile),
        s.misbehaves,
        verb(Impact::Misbehaves, s.misbehaves),
        s.compatible,
        verb(Impact::Compatible, s.compatible),
        plural(log.models.len(), "model", "models"),
    );
    out.push_str("| class | changes | models |\n|:--|--:|--:|\n");
    for impact in report::CLASSES {
        let title = if impact.is_breaking() {
            format!("**{}**", impact.title())
        } else {
            impact.title().to_owned()
        };
        let _ = writeln!(
            out,
            "| {title} | {} | {} |",
            s.of_class(impact),
            log.models_with(impact)
        );
    }
    let _ = writeln!(out, "| total | {} | {} |\n", s.total(), log.models.len());
    out.push_str("<details><summary>Changes by kind</summary>\n\n| kind | count |\n|:--|--:|\n");
    for (kind, n) in s.kinds() {
        let _ = writeln!(out, "| {kind} | {n} |");
    }
    out.push_str("\n</details>\n\n");
    out
}
