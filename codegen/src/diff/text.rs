//! The plain text report: what breaks first, one block per model in each class, then a summary
//! line.

use std::fmt::Write as _;

use super::report::{self, Piece, is_whole_model, lines, run_detail};
use super::{Change, Changelog};

/// Pieces as plain text: schema text quoted with `{:?}`, `->` between values.
pub(super) fn plain(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Lit(s) | Piece::Code(s) => out.push_str(s),
            Piece::Text(s) => {
                let _ = write!(out, "{s:?}");
            }
            Piece::Excerpt {
                text,
                cut_before,
                cut_after,
            } => {
                let _ = write!(
                    out,
                    "{}{text:?}{}",
                    if *cut_before { "..." } else { "" },
                    if *cut_after { "..." } else { "" }
                );
            }
            Piece::Arrow => out.push_str(" -> "),
            Piece::More(n) => {
                let _ = write!(out, ", ... ({n} more in --format json)");
            }
        }
    }
    out
}

impl Change {
    /// The old and the new value as the reports print them (`None` for a change that adds or
    /// removes something): `("label", "\"Customer\"", "\"Client\"")`. A change whose two values
    /// print the same would be a defect of the reports; tests check none does on real diffs.
    pub fn values(&self) -> Option<(String, String, String)> {
        let (what, old, new) = report::values(self)?;
        Some((plain(&what), plain(&old), plain(&new)))
    }
}

/// `  [BREAKING, does not compile: reason]` for a breaking change; then the newline.
fn write_impact(out: &mut String, c: &Change) {
    if c.impact.is_breaking() {
        let _ = write!(out, "  [BREAKING, {}: {}]", c.impact, c.reason);
    }
    out.push('\n');
}

/// One line of a changed model (indented), or of an added or removed one.
fn write_line(out: &mut String, model: Option<&str>, run: &[&Change]) {
    let Some(first) = run.first() else {
        return;
    };
    let (sign, what) = report::head(&first.kind, first.field.is_some());
    let detail = if run.len() > 1 {
        run_detail(run)
    } else {
        report::detail(first)
    };
    match (model, report::subject(first)) {
        (Some(model), _) => {
            let _ = write!(out, "{sign} {what} {model}");
        }
        (None, Some(subject)) => {
            let _ = write!(out, "    {sign} {what} {subject}");
        }
        (None, None) => {
            let _ = write!(out, "    {sign} {what}");
        }
    }
    out.push_str(&plain(&detail));
    write_impact(out, first);
}

impl Changelog {
    /// The human report: what does not compile, then what misbehaves, then what is compatible,
    /// each as one block per model (an added or removed model on one line), then a summary line.
    /// `no changes` when there is none.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.old_version != self.new_version {
            let _ = writeln!(
                out,
                "Odoo version: {:?} -> {:?}",
                self.old_version, self.new_version
            );
        }
        if self.is_empty() {
            out.push_str("no changes\n");
            return out;
        }
        for section in self.sections() {
            let (changes, models) = (section.count(), section.models.len());
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "=== {}: {changes} change{} in {models} model{} ===",
                section.impact.title(),
                if changes == 1 { "" } else { "s" },
                if models == 1 { "" } else { "s" },
            );
            for m in &section.models {
                if is_whole_model(m.model) {
                    for c in &m.changes {
                        write_line(&mut out, Some(&m.model.model), &[c]);
                    }
                    continue;
                }
                let _ = writeln!(out, "~ model {}", m.model.model);
                for run in lines(&m.changes) {
                    write_line(&mut out, None, run);
                }
            }
        }
        out.push('\n');
        out.push_str(&self.summary_line());
        out.push('\n');
        out
    }

    /// `Summary: ...`: every count, in a fixed order.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        // Only when methods changed: summaries of schemas without methods read as before.
        let methods = if s.has_methods() {
            format!(
                "{} methods added, {} removed, {} method signature changes; ",
                s.methods_added, s.methods_removed, s.method_signature_changes
            )
        } else {
            String::new()
        };
        format!(
            "Summary: {} models added, {} removed, {} changed; {} fields added, {} removed; \
             {} type changes; {} relation changes; {} required, {} readonly, {} store flips; \
             {} selection values added, {} removed; {} related changes; {} label changes; \
             {} module changes; {} documentation changes, {} attribute changes; \
             {} Rust renames, {} relation typing changes; {}\
             {} breaking ({} do not compile, {} misbehave); {} compatible",
            s.models_added,
            s.models_removed,
            s.models_changed,
            s.fields_added,
            s.fields_removed,
            s.type_changes,
            s.relation_changes,
            s.required_changes,
            s.readonly_changes,
            s.store_changes,
            s.selection_values_added,
            s.selection_values_removed,
            s.related_changes,
            s.label_changes,
            s.module_changes,
            s.documentation_changes,
            s.attribute_changes,
            s.rust_name_changes,
            s.relation_type_changes,
            methods,
            s.breaking,
            s.does_not_compile,
            s.misbehaves,
            s.compatible,
        )
    }

    /// Attaches warnings about the inputs (see [`Changelog::warnings`]), e.g. the load warnings of
    /// both sides: `diff(&old, &new).with_warnings(warnings.iter().map(ToString::to_string))`.
    pub fn with_warnings(mut self, warnings: impl IntoIterator<Item = String>) -> Self {
        self.warnings.extend(warnings);
        self
    }
}

impl std::fmt::Display for Changelog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_text())
    }
}
