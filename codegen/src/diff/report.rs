//! What every report of a [`Changelog`] shares: which changes it lists ([`Only`]), their order
//! (what breaks first: [`Changelog::sections`]), and the words of each change line ([`Piece`]s),
//! which the text, Markdown and HTML renderers print each in their own way. The counts of every
//! report come from [`Changelog::summary`], the same numbers the JSON report holds.

use serde::{Deserialize, Serialize};

use super::{Change, ChangeKind, Changelog, Impact, ModelDiff, ModelStatus, Summary};

/// Which changes a report lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Only {
    /// Every change.
    #[default]
    All,
    /// Changes that stop old code compiling or make it misbehave ([`Impact::is_breaking`]).
    Breaking,
    /// Changes that stop old code compiling ([`Impact::DoesNotCompile`]).
    Compile,
}

impl Only {
    /// Whether a change of this impact is listed.
    pub fn keeps(self, impact: Impact) -> bool {
        match self {
            Only::All => true,
            Only::Breaking => impact.is_breaking(),
            Only::Compile => impact == Impact::DoesNotCompile,
        }
    }

    /// What a report restricted so says it lists (`None` for [`Only::All`]).
    pub fn note(self) -> Option<&'static str> {
        match self {
            Only::All => None,
            Only::Breaking => Some("breaking changes only (does not compile, misbehaves)"),
            Only::Compile => Some("changes that stop old code compiling only"),
        }
    }
}

/// The report classes in report order: what breaks first.
pub const CLASSES: [Impact; 3] = [
    Impact::DoesNotCompile,
    Impact::Misbehaves,
    Impact::Compatible,
];

impl Impact {
    /// The class's title in reports: `Does not compile`, `Misbehaves`, `Compatible`.
    pub fn title(self) -> &'static str {
        match self {
            Impact::DoesNotCompile => "Does not compile",
            Impact::Misbehaves => "Misbehaves",
            Impact::Compatible => "Compatible",
        }
    }

    /// A key for machine use (HTML classes, JSON): `does_not_compile`, `misbehaves`, `compatible`.
    pub fn key(self) -> &'static str {
        match self {
            Impact::DoesNotCompile => "does_not_compile",
            Impact::Misbehaves => "misbehaves",
            Impact::Compatible => "compatible",
        }
    }
}

impl Summary {
    /// How many changes have this impact.
    pub fn of_class(&self, impact: Impact) -> usize {
        match impact {
            Impact::DoesNotCompile => self.does_not_compile,
            Impact::Misbehaves => self.misbehaves,
            Impact::Compatible => self.compatible,
        }
    }

    /// Every change counted.
    pub fn total(&self) -> usize {
        self.does_not_compile + self.misbehaves + self.compatible
    }

    /// Every count by kind of change with its name, in a fixed order (the counts of
    /// [`Changelog::summary_line`]). The counts of methods are there only when some method
    /// changed: reports of schemas without methods read as before.
    pub fn kinds(&self) -> Vec<(&'static str, usize)> {
        let mut kinds = vec![
            ("models added", self.models_added),
            ("models removed", self.models_removed),
            ("models changed", self.models_changed),
            ("fields added", self.fields_added),
            ("fields removed", self.fields_removed),
            ("type changes", self.type_changes),
            ("relation changes", self.relation_changes),
            ("required flips", self.required_changes),
            ("readonly flips", self.readonly_changes),
            ("store flips", self.store_changes),
            ("selection values added", self.selection_values_added),
            ("selection values removed", self.selection_values_removed),
            ("related changes", self.related_changes),
            ("label changes", self.label_changes),
            ("module changes", self.module_changes),
            ("documentation changes", self.documentation_changes),
            ("attribute changes", self.attribute_changes),
            ("Rust renames", self.rust_name_changes),
            ("relation typing changes", self.relation_type_changes),
        ];
        if self.has_methods() {
            kinds.extend([
                ("methods added", self.methods_added),
                ("methods removed", self.methods_removed),
                ("method signature changes", self.method_signature_changes),
            ]);
        }
        kinds.push(("breaking", self.breaking));
        kinds
    }

    /// Some method was added, removed or changed its signature.
    pub fn has_methods(&self) -> bool {
        self.methods_added + self.methods_removed + self.method_signature_changes > 0
    }
}

/// The changes of one class, by model.
#[derive(Debug)]
pub struct Section<'a> {
    pub impact: Impact,
    /// Models in name order, each with its changes of this class in changelog order.
    pub models: Vec<ModelSection<'a>>,
}

/// The changes of one model in one [`Section`].
#[derive(Debug)]
pub struct ModelSection<'a> {
    pub model: &'a ModelDiff,
    pub changes: Vec<&'a Change>,
}

impl Section<'_> {
    /// How many changes it holds.
    pub fn count(&self) -> usize {
        self.models.iter().map(|m| m.changes.len()).sum()
    }
}

impl Changelog {
    /// No model was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.models.is_empty()
    }

    /// Every breaking change with its model, in changelog order.
    pub fn breaking(&self) -> impl Iterator<Item = (&str, &Change)> {
        self.changes().filter(|(_, c)| c.impact.is_breaking())
    }

    /// Every change with its model, in changelog order.
    pub fn changes(&self) -> impl Iterator<Item = (&str, &Change)> {
        self.models
            .iter()
            .flat_map(|m| m.changes.iter().map(move |c| (m.model.as_str(), c)))
    }

    /// The worst impact of any change ([`Impact::Compatible`] when there is none).
    pub fn worst_impact(&self) -> Impact {
        self.changes()
            .map(|(_, c)| c.impact)
            .max()
            .unwrap_or(Impact::Compatible)
    }

    /// The changelog as pretty-printed JSON (the shape of this type's `Serialize`).
    pub fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string_pretty(self)
    }

    /// The changelog restricted to the changes `only` keeps, its summary counted again: every
    /// report of the result (JSON included) lists and counts the same changes.
    pub fn only(&self, only: Only) -> Changelog {
        if only == Only::All {
            return self.clone();
        }
        let models: Vec<ModelDiff> = self
            .models
            .iter()
            .filter_map(|m| {
                let changes: Vec<Change> = m
                    .changes
                    .iter()
                    .filter(|c| only.keeps(c.impact))
                    .cloned()
                    .collect();
                (!changes.is_empty()).then(|| ModelDiff {
                    changes,
                    ..m.clone()
                })
            })
            .collect();
        Changelog {
            summary: Summary::of(&models),
            models,
            ..self.clone()
        }
    }

    /// The changes by class, what breaks first ([`CLASSES`]); classes without changes are left
    /// out.
    pub fn sections(&self) -> Vec<Section<'_>> {
        CLASSES
            .iter()
            .map(|&impact| Section {
                impact,
                models: self
                    .models
                    .iter()
                    .filter_map(|model| {
                        let changes: Vec<&Change> = model
                            .changes
                            .iter()
                            .filter(|c| c.impact == impact)
                            .collect();
                        (!changes.is_empty()).then_some(ModelSection { model, changes })
                    })
                    .collect(),
            })
            .filter(|s| !s.models.is_empty())
            .collect()
    }

    /// How many models have at least one change of this class.
    pub fn models_with(&self, impact: Impact) -> usize {
        self.models
            .iter()
            .filter(|m| m.changes.iter().any(|c| c.impact == impact))
            .count()
    }

    /// `Odoo 18.0 → 19.0`, or `Odoo 18.0` when both sides have the same version.
    pub fn versions(&self) -> String {
        if self.old_version == self.new_version {
            format!("Odoo {}", self.old_version)
        } else {
            format!("Odoo {} → {}", self.old_version, self.new_version)
        }
    }
}

/// One word, name or value of a change line. Renderers print each kind their own way (the text
/// report quotes schema text with Rust's `{:?}`, Markdown and HTML escape it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Words of the report itself.
    Lit(String),
    /// A name: model, field type, Odoo module, Rust identifier, related path.
    Code(String),
    /// Text from the schema (a label, a selection key, a help text), quoted.
    Text(String),
    /// Part of a longer text, quoted; `cut_before`/`cut_after` mark what was left out.
    Excerpt {
        text: String,
        cut_before: bool,
        cut_after: bool,
    },
    /// Between an old and a new value, or before a relation's target.
    Arrow,
    /// `n` more values than the line shows (the JSON and the HTML report list every one).
    More(usize),
}

fn lit(s: impl Into<String>) -> Piece {
    Piece::Lit(s.into())
}

/// What a change line starts with: the sign (`+`, `-`, `~`) and the noun of its subject
/// (`field`, `selection`, `model`, `modules`...). Inside a changed model the field name follows.
pub fn head(kind: &ChangeKind, has_field: bool) -> (char, &'static str) {
    match kind {
        ChangeKind::ModelAdded { .. } => ('+', "model"),
        ChangeKind::ModelRemoved { .. } => ('-', "model"),
        ChangeKind::ModelLabelChanged { .. } => ('~', "description"),
        ChangeKind::FieldAdded { .. } => ('+', "field"),
        ChangeKind::FieldRemoved { .. } => ('-', "field"),
        ChangeKind::SelectionValueAdded { .. } => ('+', "selection"),
        ChangeKind::SelectionValueRemoved { .. } => ('-', "selection"),
        ChangeKind::RustNameChanged { .. } if !has_field => ('~', "bindings"),
        ChangeKind::ModulesChanged { .. } => ('~', "modules"),
        ChangeKind::InfoChanged { .. }
        | ChangeKind::OrderChanged { .. }
        | ChangeKind::TransientChanged { .. } => ('~', "model"),
        ChangeKind::CustomChanged { .. } if !has_field => ('~', "model"),
        ChangeKind::MethodAdded { .. } => ('+', "method"),
        ChangeKind::MethodRemoved { .. } => ('-', "method"),
        kind if kind.method().is_some() => ('~', "method"),
        _ => ('~', "field"),
    }
}

/// What a change line names after its noun ([`head`]): the field, or the method of a method
/// change; `None` for model-level changes.
pub fn subject(c: &Change) -> Option<&str> {
    c.field.as_deref().or_else(|| c.kind.method())
}

impl ChangeKind {
    /// The method a method change concerns (`MethodAdded` ... `ParameterDefaultChanged`).
    pub fn method(&self) -> Option<&str> {
        match self {
            ChangeKind::MethodAdded { method, .. }
            | ChangeKind::MethodRemoved { method, .. }
            | ChangeKind::MethodApiChanged { method, .. }
            | ChangeKind::MethodReturnChanged { method, .. }
            | ChangeKind::MethodDocChanged { method }
            | ChangeKind::ParameterAdded { method, .. }
            | ChangeKind::ParameterRemoved { method, .. }
            | ChangeKind::ParameterRequiredChanged { method, .. }
            | ChangeKind::ParameterKindChanged { method, .. }
            | ChangeKind::ParameterAnnotationChanged { method, .. }
            | ChangeKind::ParameterDefaultChanged { method, .. } => Some(method),
            _ => None,
        }
    }

    /// The parameter a parameter change concerns (`ParameterAdded` ... `ParameterDefaultChanged`).
    pub fn parameter(&self) -> Option<&str> {
        match self {
            ChangeKind::ParameterAdded { parameter, .. }
            | ChangeKind::ParameterRemoved { parameter, .. }
            | ChangeKind::ParameterRequiredChanged { parameter, .. }
            | ChangeKind::ParameterKindChanged { parameter, .. }
            | ChangeKind::ParameterAnnotationChanged { parameter, .. }
            | ChangeKind::ParameterDefaultChanged { parameter, .. } => Some(parameter),
            _ => None,
        }
    }
}

/// The parts of a sentence of the report (a reason) whose backticked parts are names: `(true,
/// name)` for those, `(false, words)` for the rest. With unbalanced backticks no part is taken
/// for a name.
pub fn sentence_parts(text: &str) -> Vec<(bool, &str)> {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return vec![(false, text)];
    }
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (i % 2 == 1, p))
        .collect()
}

/// `yes` or `no`.
pub(super) fn yes_no(flag: bool) -> &'static str {
    if flag { "yes" } else { "no" }
}

/// `+hr, +sale, -crm`.
pub(super) fn module_list(added: &[String], removed: &[String]) -> String {
    let added = added.iter().map(|m| format!("+{m}"));
    let removed = removed.iter().map(|m| format!("-{m}"));
    added.chain(removed).collect::<Vec<_>>().join(", ")
}

/// At most this many characters of a help text or docstring are shown in a change line.
pub const TEXT_SHOWN: usize = 60;

/// Characters kept on each side of where two texts start to differ.
const CONTEXT: usize = 20;

/// A name, or `(none)`.
fn code_or_none(name: Option<&str>) -> Piece {
    match name {
        Some(n) => Piece::Code(n.to_owned()),
        None => lit("(none)"),
    }
}

/// A schema text, or `(none)`.
fn text_or_none(text: Option<&str>) -> Piece {
    match text {
        Some(t) => Piece::Text(t.to_owned()),
        None => lit("(none)"),
    }
}

/// The start of a text: at most [`TEXT_SHOWN`] characters.
fn start_of(text: &str) -> Piece {
    let cut = text.chars().count() > TEXT_SHOWN;
    Piece::Excerpt {
        text: text.chars().take(TEXT_SHOWN).collect(),
        cut_before: false,
        cut_after: cut,
    }
}

/// The parts of two different texts that show how they differ: from a little before the first
/// character that differs to a little after the last, at most [`TEXT_SHOWN`] characters each. Two
/// long texts that differ deep inside (Odoo 19 changed one line of the docstring most models
/// inherit) would otherwise print the same.
fn excerpts(old: &str, new: &str) -> (Piece, Piece) {
    let (o, n): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    if o.len() <= TEXT_SHOWN && n.len() <= TEXT_SHOWN {
        return (Piece::Text(old.to_owned()), Piece::Text(new.to_owned()));
    }
    let prefix = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
    let max_suffix = o.len().min(n.len()) - prefix;
    let suffix = o
        .iter()
        .rev()
        .zip(n.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    // Start at a word when one starts a little before.
    let mut start = prefix.saturating_sub(CONTEXT);
    if let Some(space) = o[start.saturating_sub(CONTEXT / 2)..start]
        .iter()
        .rposition(|c| c.is_whitespace())
    {
        start = start.saturating_sub(CONTEXT / 2) + space + 1;
    }
    let part = |chars: &[char]| {
        let end = (chars.len() - suffix + CONTEXT).min(chars.len());
        let shown = (end - start).min(TEXT_SHOWN);
        Piece::Excerpt {
            text: chars[start..start + shown].iter().collect(),
            cut_before: start > 0,
            cut_after: start + shown < chars.len(),
        }
    };
    (part(&o), part(&n))
}

/// The words of a help text or docstring change: `added: "..."`, `removed: "..."`, or the
/// differing parts of both (see [`excerpts`]), with `(whitespace only)` when that is all that
/// changed.
fn text_change(old: Option<&str>, new: Option<&str>) -> Vec<Piece> {
    match (old, new) {
        (None, Some(n)) => vec![lit("added: "), start_of(n)],
        (Some(o), None) => vec![lit("removed: "), start_of(o)],
        (Some(o), Some(n)) => {
            let (a, b) = excerpts(o, n);
            let mut out = vec![a, Piece::Arrow, b];
            if o.split_whitespace().eq(n.split_whitespace()) {
                out.push(lit(" (whitespace only)"));
            }
            out
        }
        (None, None) => vec![lit("unchanged")],
    }
}

/// `help` changes as plain text (`Change::describe`).
pub(super) fn text_change_plain(old: Option<&str>, new: Option<&str>) -> String {
    super::text::plain(&text_change(old, new))
}

/// What follows the subject of a change line: `: type char -> integer`, `: "draft" ("Draft")`...
pub fn detail(c: &Change) -> Vec<Piece> {
    if let ChangeKind::HelpChanged { old, new } | ChangeKind::InfoChanged { old, new } = &c.kind {
        let what = if matches!(c.kind, ChangeKind::HelpChanged { .. }) {
            "help"
        } else {
            "docstring"
        };
        let mut out = vec![lit(format!(": {what} "))];
        out.extend(text_change(old.as_deref(), new.as_deref()));
        return out;
    }
    if let Some((what, old, new)) = values(c) {
        let mut out = vec![lit(": ")];
        out.extend(what);
        out.push(lit(" "));
        out.extend(old);
        out.push(Piece::Arrow);
        out.extend(new);
        return out;
    }
    match &c.kind {
        ChangeKind::ModelAdded {
            description,
            fields,
        }
        | ChangeKind::ModelRemoved {
            description,
            fields,
        } => vec![
            lit(" "),
            Piece::Text(description.clone()),
            lit(format!(" ({fields} fields)")),
        ],
        ChangeKind::FieldAdded {
            field_type,
            relation,
            label,
            required,
            readonly,
            store,
        } => {
            let mut out = field_type_pieces(field_type.as_str(), relation.as_deref(), label);
            for (flag, name) in [
                (*required, "required"),
                (*readonly, "readonly"),
                (!*store, "not stored"),
            ] {
                if flag {
                    out.push(lit(format!(", {name}")));
                }
            }
            out
        }
        ChangeKind::FieldRemoved {
            field_type,
            relation,
            label,
        } => field_type_pieces(field_type.as_str(), relation.as_deref(), label),
        ChangeKind::SelectionValueAdded { value, label }
        | ChangeKind::SelectionValueRemoved { value, label } => vec![
            lit(": "),
            Piece::Text(value.clone()),
            lit(" ("),
            Piece::Text(label.clone()),
            lit(")"),
        ],
        ChangeKind::MethodAdded {
            signature,
            api_model,
            ..
        } => {
            let mut out = vec![lit(": "), Piece::Code(signature.clone())];
            if *api_model {
                out.push(lit(", "));
                out.push(Piece::Code("@api.model".to_owned()));
            }
            out
        }
        ChangeKind::MethodRemoved { signature, .. } => {
            vec![lit(": "), Piece::Code(signature.clone())]
        }
        ChangeKind::MethodDocChanged { .. } => vec![lit(": docs changed")],
        ChangeKind::ParameterAdded {
            parameter,
            required,
            annotation,
            ..
        } => {
            let mut out = vec![
                lit(format!(
                    ": {} parameter ",
                    if *required { "required" } else { "optional" }
                )),
                Piece::Code(parameter.clone()),
                lit(" added"),
            ];
            if let Some(annotation) = annotation {
                out.extend([lit(" ("), Piece::Code(annotation.clone()), lit(")")]);
            }
            out
        }
        ChangeKind::ParameterRemoved {
            parameter,
            required,
            ..
        } => vec![
            lit(format!(
                ": {} parameter ",
                if *required { "required" } else { "optional" }
            )),
            Piece::Code(parameter.clone()),
            lit(" removed"),
        ],
        ChangeKind::ModulesChanged { added, removed } => {
            let mut out = vec![lit(": ")];
            let names = added
                .iter()
                .map(|m| format!("+{m}"))
                .chain(removed.iter().map(|m| format!("-{m}")));
            for (i, name) in names.enumerate() {
                if i > 0 {
                    out.push(lit(", "));
                }
                out.push(Piece::Code(name));
            }
            out
        }
        // Every other kind has old and new values (`values`).
        _ => Vec::new(),
    }
}

/// `: many2one -> res.partner "Customer"`.
fn field_type_pieces(field_type: &str, relation: Option<&str>, label: &str) -> Vec<Piece> {
    let mut out = vec![lit(": "), Piece::Code(field_type.to_owned())];
    if let Some(target) = relation {
        out.push(Piece::Arrow);
        out.push(Piece::Code(target.to_owned()));
    }
    out.push(lit(" "));
    out.push(Piece::Text(label.to_owned()));
    out
}

/// A change that replaces a value: what changed (`label`, `type`, `parameter limit default`...),
/// the old value and the new one, as the reports print them. `None` for additions, removals,
/// module and text changes, and method docs.
pub fn values(c: &Change) -> Option<(Vec<Piece>, Vec<Piece>, Vec<Piece>)> {
    let flag = |what: &str, old: bool, new: bool| {
        Some((
            vec![lit(what)],
            vec![lit(yes_no(old))],
            vec![lit(yes_no(new))],
        ))
    };
    match &c.kind {
        ChangeKind::ModelLabelChanged { old, new } | ChangeKind::LabelChanged { old, new } => {
            Some((
                vec![lit("label")],
                vec![Piece::Text(old.clone())],
                vec![Piece::Text(new.clone())],
            ))
        }
        ChangeKind::TypeChanged { old, new } => Some((
            vec![lit("type")],
            vec![Piece::Code(old.to_string())],
            vec![Piece::Code(new.to_string())],
        )),
        ChangeKind::RelationChanged { old, new } => Some((
            vec![lit("relation")],
            vec![code_or_none(old.as_deref())],
            vec![code_or_none(new.as_deref())],
        )),
        ChangeKind::RelatedChanged { old, new } => Some((
            vec![lit("related")],
            vec![code_or_none(old.as_deref())],
            vec![code_or_none(new.as_deref())],
        )),
        ChangeKind::RequiredChanged { old, new } => flag("required", *old, *new),
        ChangeKind::ReadonlyChanged { old, new } => flag("readonly", *old, *new),
        ChangeKind::StoreChanged { old, new } => flag("stored", *old, *new),
        ChangeKind::TransientChanged { old, new } => flag("transient", *old, *new),
        ChangeKind::CustomChanged { old, new } => flag("custom", *old, *new),
        ChangeKind::CompanyDependentChanged { old, new } => flag("company dependent", *old, *new),
        ChangeKind::TranslateChanged { old, new } => flag("translated", *old, *new),
        ChangeKind::SelectionLabelChanged { value, old, new } => Some((
            vec![lit("value "), Piece::Text(value.clone()), lit(" label")],
            vec![Piece::Text(old.clone())],
            vec![Piece::Text(new.clone())],
        )),
        ChangeKind::RustNameChanged { item, old, new } => Some((
            vec![lit("Rust "), Piece::Code(item.clone()), lit(" name")],
            vec![Piece::Code(old.clone())],
            vec![Piece::Code(new.clone())],
        )),
        ChangeKind::RelationTypeChanged {
            old,
            new,
            old_relation,
            new_relation,
        } => {
            let target =
                |relation: &str| vec![lit(" (target "), Piece::Code(relation.to_owned()), lit(")")];
            let mut old = vec![Piece::Code(old.clone())];
            if old_relation != new_relation {
                old.extend(target(old_relation));
            }
            let mut new = vec![Piece::Code(new.clone())];
            new.extend(target(new_relation));
            Some((vec![lit("relation id type")], old, new))
        }
        ChangeKind::MethodApiChanged { old, new, .. } => flag("@api.model", *old, *new),
        ChangeKind::MethodReturnChanged { old, new, .. } => Some((
            vec![lit("returns")],
            vec![code_or_none(old.as_deref())],
            vec![code_or_none(new.as_deref())],
        )),
        ChangeKind::ParameterRequiredChanged {
            parameter,
            old,
            new,
            ..
        } => Some((
            parameter_what(parameter, "required"),
            vec![lit(yes_no(*old))],
            vec![lit(yes_no(*new))],
        )),
        ChangeKind::ParameterKindChanged {
            parameter,
            old,
            new,
            ..
        } => Some((
            parameter_what(parameter, "kind"),
            vec![Piece::Code(old.as_str().to_owned())],
            vec![Piece::Code(new.as_str().to_owned())],
        )),
        ChangeKind::ParameterAnnotationChanged {
            parameter,
            old,
            new,
            ..
        } => Some((
            parameter_what(parameter, "annotation"),
            vec![code_or_none(old.as_deref())],
            vec![code_or_none(new.as_deref())],
        )),
        ChangeKind::ParameterDefaultChanged {
            parameter,
            old,
            new,
            ..
        } => Some((
            parameter_what(parameter, "default"),
            vec![code_or_none(old.as_deref())],
            vec![code_or_none(new.as_deref())],
        )),
        ChangeKind::OrderChanged { old, new } => Some((
            vec![lit("default order")],
            vec![text_or_none(old.as_deref())],
            vec![text_or_none(new.as_deref())],
        )),
        ChangeKind::HelpChanged {
            old: Some(o),
            new: Some(n),
        }
        | ChangeKind::InfoChanged {
            old: Some(o),
            new: Some(n),
        } => {
            let what = if matches!(c.kind, ChangeKind::HelpChanged { .. }) {
                "help"
            } else {
                "docstring"
            };
            let (a, b) = excerpts(o, n);
            Some((vec![lit(what)], vec![a], vec![b]))
        }
        _ => None,
    }
}

/// `parameter limit default`: what changed of a method's parameter.
fn parameter_what(parameter: &str, what: &str) -> Vec<Piece> {
    vec![
        lit("parameter "),
        Piece::Code(parameter.to_owned()),
        lit(format!(" {what}")),
    ]
}

/// How many changes at the start of `changes` are selection values added (or removed) to one
/// field: reports put them on one line.
pub fn selection_run(changes: &[&Change]) -> usize {
    let Some(first) = changes.first() else {
        return 0;
    };
    if !matches!(
        first.kind,
        ChangeKind::SelectionValueAdded { .. } | ChangeKind::SelectionValueRemoved { .. }
    ) {
        return 1;
    }
    changes
        .iter()
        .take_while(|c| {
            c.field == first.field
                && c.impact == first.impact
                && c.reason == first.reason
                && std::mem::discriminant(&c.kind) == std::mem::discriminant(&first.kind)
        })
        .count()
}

/// At most this many selection values are spelled out on one line.
pub const SELECTION_VALUES_SHOWN: usize = 10;

/// What follows the subject of a line holding several selection values of one field:
/// `: 3 values added: "a" ("A"), "b" ("B"), "c" ("C")`.
pub fn run_detail(run: &[&Change]) -> Vec<Piece> {
    let verb = match run.first().map(|c| &c.kind) {
        Some(ChangeKind::SelectionValueRemoved { .. }) => "removed",
        _ => "added",
    };
    let mut out = vec![lit(format!(": {} values {verb}: ", run.len()))];
    for (i, c) in run.iter().take(SELECTION_VALUES_SHOWN).enumerate() {
        if let ChangeKind::SelectionValueAdded { value, label }
        | ChangeKind::SelectionValueRemoved { value, label } = &c.kind
        {
            if i > 0 {
                out.push(lit(", "));
            }
            out.push(Piece::Text(value.clone()));
            out.push(lit(" ("));
            out.push(Piece::Text(label.clone()));
            out.push(lit(")"));
        }
    }
    if run.len() > SELECTION_VALUES_SHOWN {
        out.push(Piece::More(run.len() - SELECTION_VALUES_SHOWN));
    }
    out
}

/// The lines of one model in one section: runs of selection values share a line.
pub fn lines<'a, 'c>(changes: &'c [&'a Change]) -> Vec<&'c [&'a Change]> {
    let mut out = Vec::new();
    let mut rest = changes;
    while !rest.is_empty() {
        let run = selection_run(rest).max(1);
        out.push(&rest[..run]);
        rest = &rest[run..];
    }
    out
}

/// An added or removed model is reported on one line, outside any block.
pub fn is_whole_model(model: &ModelDiff) -> bool {
    model.status != ModelStatus::Changed
}
