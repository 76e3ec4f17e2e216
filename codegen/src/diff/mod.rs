//! Schema diffing: a changelog between two schemas, and which changes break code built on the old
//! bindings.
//!
//! [`diff`] is pure and deterministic: models come in name order, and inside a model the changes come
//! in field-name order (model-level changes first). A [`Changelog`] is `serde` (its JSON is what
//! `cargo xtask diff --format json` prints) and renders itself as a text report
//! ([`Changelog::to_text`]), Markdown for pull requests ([`Changelog::to_markdown`]) and one
//! self-contained HTML page ([`Changelog::to_html`]), each listing what breaks first; every change
//! names the items of the generated bindings it concerns ([`Change::rust`]).
//!
//! # What "breaking" means
//!
//! A change is breaking when code that compiled against the bindings generated from the old schema either
//! no longer compiles against the bindings generated from the new one ([`Impact::DoesNotCompile`]), or
//! still compiles (or keeps running, unrebuilt) but now misbehaves against the new server
//! ([`Impact::Misbehaves`]). Per change kind:
//!
//! | change | impact | why |
//! |---|---|---|
//! | model added | compatible | new items only |
//! | model removed | does not compile | its struct, constants and feature are gone |
//! | model removed, another model taking all its Rust names (a rename such as `res.partner.industry` → `res.partner_industry`) | misbehaves | type, module, feature and field members keep their names and types: old code compiles, against the other model |
//! | model or field label | compatible | labels only reach rustdoc |
//! | selection label | compatible | same variant; `label()` returns the new text |
//! | help text, model docstring (`info`), custom flag of a model or field | compatible | documentation only |
//! | model default order | compatible | searches without an explicit order return another order |
//! | model becomes transient | misbehaves | its records are vacuumed and visible to their creator only |
//! | model stops being transient | compatible | |
//! | company dependent, translate (either way) | compatible | same Rust type; the reason says how values now follow the company or language of the context |
//! | field added | compatible | read structs get one more optional member; create/write values one more optional setter |
//! | required field added (that `create` can set) | misbehaves | a `create` that leaves it unset is refused unless the server has a default (the schema records no defaults) |
//! | field removed | does not compile | its struct member, name constant and field handle are gone |
//! | field removed, another field taking its identifier with the same Rust type | misbehaves | old code compiles, against the other field |
//! | type changed between types with the same Rust representation (char/text/html; float/monetary) | compatible | same Rust type, same wire shape |
//! | type changed between dynamic types (json, properties, properties_definition, unknown) | misbehaves | same `Value` type, different shape inside |
//! | any other type change | does not compile | the member's Rust type changes |
//! | relation target changed | does not compile (misbehaves when neither target is in its schema, or both targets have the same marker name) | `Many2one<T>`/`X2many<T>` change their `T`; untyped ids that now point to another model |
//! | required: false → true | misbehaves | a `create` that leaves it unset is refused unless the server has a default |
//! | required flip of a field `create` cannot set on either side ([`Field::is_creatable`]) | compatible | the server computes it |
//! | required: true → false | compatible | |
//! | readonly: false → true | does not compile | the field leaves the write value type (a stored, non-related field stays in the create one) |
//! | readonly: true → false | compatible | a new optional setter |
//! | store: true → false | misbehaves | domains, ordering and grouping on it fail unless it has a search method |
//! | store: true → false, readonly non-related field | does not compile | it leaves the create value type |
//! | store flip of a binary field | does not compile | non-stored binaries are dynamic values, stored ones base64 text |
//! | store: false → true | compatible | |
//! | selection value added (selection field) | compatible | the generated enums are `#[non_exhaustive]` with an `Unknown(..)` fallback: user `match`es already have a `_` arm and running binaries read the new key as `Unknown(..)` ([`SELECTION_ENUMS_ARE_EXHAUSTIVE`]) |
//! | selection value added (reference field) | compatible | one more model a reference may name |
//! | selection value removed (selection field) | does not compile | its enum variant is gone |
//! | selection value removed, a new key taking its variant (`"other"` → `"Other"`) | misbehaves | `Type::Other` compiles and now sends the new key |
//! | selection value removed (reference field) | misbehaves | references to that model are no longer among the field's choices |
//! | related path changed | compatible (does not compile when a readonly stored field becomes related) | the value comes from elsewhere; related fields are not in the create value type |
//! | model's modules: one added | compatible | one more `module-<name>` feature enables the model |
//! | model's modules: one removed | does not compile | code enabling the model through that module's feature no longer gets it |
//! | Rust identifier changed by collision resolution ([`crate::names`]) | does not compile; misbehaves when another Odoo name took the old identifier | code naming it fails, or compiles against the other model/field/key |
//! | relation target entering or leaving the schema | does not compile | its ids switch between `Id<Target>` and `Id<AnyModel>` |
//! | method added (Odoo 19's `/doc-bearer`) | compatible | a new typed call on the handle |
//! | method removed | does not compile | its typed call is gone |
//! | method becomes `@api.model` or stops being one | does not compile | its typed call loses or gains the `ids` argument |
//! | return annotation changed, mapping to another Rust type | does not compile | the call's answer type changes (same type: compatible) |
//! | parameter added: required / optional | does not compile / compatible | a new argument / a new setter |
//! | parameter removed | does not compile | its argument or setter is gone |
//! | parameter required ↔ optional, or its kind moves it between argument, setter and not taken | does not compile | an argument becomes a setter or the reverse |
//! | parameter kind changed, same place in the typed call (positional-only ↔ by name) | misbehaves | running binaries send it the old way |
//! | parameter annotation changed: to another Rust type / to a dynamic value / same type | does not compile / misbehaves / compatible | the argument's type changes; a dynamic value takes what old code passes, but the server expects something else |
//! | parameter default changed | misbehaves | calls leaving it unset get another value |
//! | method or parameter docs, documented exceptions | compatible | documentation only |
//!
//! The test `codegen/tests/diff_api.rs` checks this table against the generated code: for one change
//! of each kind it generates both sides' bindings, reduces them to their public API (items, types,
//! signatures, features, trait impls, exhaustive variant sets) and to what each item stands for (wire
//! names, keys, model), and requires: does not compile ⇒ some API item is lost; an item standing for
//! another Odoo name ⇒ misbehaves; otherwise nothing lost.
//!
//! A required field *added* to an existing model misbehaves like required turned on: nothing in the
//! bindings changes for old code, but its `create`s leave the field unset, and the schema does not say
//! whether the server fills it by default (fields a module adds to a table that already has rows
//! usually come with one). Run-time impacts (misbehaves) are the cautious reading where the schema
//! alone cannot tell (a default, a search method).
//!
//! A field's module list is not reported: it reaches neither the bindings nor the server's behaviour;
//! nor are a method's introducing class and `@api.readonly` flag (the typed call is the same).
//! [`Changelog::warnings`] carries warnings about the inputs for the caller to fill
//! ([`Changelog::with_warnings`]).

use std::cell::OnceCell;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::emit::MethodsPlan;
use crate::methods::{Passing, arg_type, return_type};
use crate::names::{self, FieldName, ModelName, ModelNames};
use crate::schema::{
    Field, FieldType, Method, Model, Parameter, ParameterKind, Schema, SelectionOption,
};

mod html;
mod items;
mod markdown;
mod report;
mod text;

pub use html::HtmlOptions;
pub use items::{RustItem, RustItemKind};
pub use markdown::{GITHUB_COMMENT_LIMIT, MarkdownOptions};
use report::module_list;
pub use report::{CLASSES, ModelSection, Only, Section};

/// Everything that changed from one schema to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changelog {
    /// `odoo_version` of the old schema.
    pub old_version: String,
    /// `odoo_version` of the new schema.
    pub new_version: String,
    /// One entry per model that was added, removed or changed, in model-name order.
    pub models: Vec<ModelDiff>,
    /// Counts of every change kind.
    pub summary: Summary,
    /// Warnings about the inputs (e.g. a side whose dump lacked `fields_get` data), set by whoever
    /// loaded the schemas ([`Changelog::with_warnings`]); [`diff`] itself adds only the one saying
    /// that methods were not compared because a side did not read them. Always
    /// present in the JSON (`[]` when there is none) so consumers need not special-case it; absent in
    /// older JSON reads as empty. The text report does not repeat them (the CLI prints them on stderr).
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// What happened to one model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelStatus {
    Added,
    Removed,
    Changed,
}

/// The changes of one model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelDiff {
    /// Technical name, e.g. `res.partner`.
    pub model: String,
    pub status: ModelStatus,
    /// The Odoo modules defining or extending the model on either side, sorted (what reports
    /// filter by). Absent in older JSON reads as empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<String>,
    /// For an added or removed model, the one [`ChangeKind::ModelAdded`]/[`ChangeKind::ModelRemoved`]
    /// entry; for a changed model, model-level changes first, then field changes in field-name order.
    pub changes: Vec<Change>,
}

/// One change, with its impact on code built against the old bindings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The field concerned, `None` for model-level changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What changed.
    #[serde(flatten)]
    pub kind: ChangeKind,
    pub impact: Impact,
    /// Why the change has that impact, in a few words.
    pub reason: String,
    /// The items of the generated bindings it concerns: as named in the old bindings for what was
    /// removed or changed, in the new ones for what was added. Absent in older JSON reads as empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rust: Vec<RustItem>,
}

/// The kinds of change [`diff`] reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeKind {
    ModelAdded {
        description: String,
        fields: usize,
    },
    ModelRemoved {
        description: String,
        fields: usize,
    },
    /// The model's description (`ir.model.name`) changed.
    ModelLabelChanged {
        old: String,
        new: String,
    },
    FieldAdded {
        #[serde(rename = "type")]
        field_type: FieldType,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        relation: Option<String>,
        label: String,
        required: bool,
        readonly: bool,
        store: bool,
    },
    FieldRemoved {
        #[serde(rename = "type")]
        field_type: FieldType,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        relation: Option<String>,
        label: String,
    },
    TypeChanged {
        old: FieldType,
        new: FieldType,
    },
    /// The comodel of a relational field changed (both sides relational).
    RelationChanged {
        old: Option<String>,
        new: Option<String>,
    },
    RequiredChanged {
        old: bool,
        new: bool,
    },
    ReadonlyChanged {
        old: bool,
        new: bool,
    },
    StoreChanged {
        old: bool,
        new: bool,
    },
    SelectionValueAdded {
        value: String,
        label: String,
    },
    SelectionValueRemoved {
        value: String,
        label: String,
    },
    /// The label of a selection value that exists on both sides changed.
    SelectionLabelChanged {
        value: String,
        old: String,
        new: String,
    },
    /// The field became related, stopped being related, or follows another path.
    RelatedChanged {
        old: Option<String>,
        new: Option<String>,
    },
    /// The field's label (`string`) changed.
    LabelChanged {
        old: String,
        new: String,
    },
    /// The Odoo modules defining or extending the model changed: each has a cargo feature
    /// (`module-<name>`) enabling the models it lists.
    ModulesChanged {
        added: Vec<String>,
        removed: Vec<String>,
    },
    /// An identifier of the generated bindings changed although the Odoo name did not: collision
    /// resolution in [`crate::names`] gave it to another model, field or selection key that arrived.
    /// `item` says which identifier: `type`, `module`, `field`, `enum` or `variant "<key>"`.
    RustNameChanged {
        item: String,
        old: String,
        new: String,
    },
    /// A relational field kept its comodel, but that model entered or left the schema: its ids switch
    /// between the target's marker type and the untyped `AnyModel`. `old`/`new` are the marker type
    /// names (`ResPartner`, `AnyModel`); `old_relation`/`new_relation` the target models (the same
    /// comodel on both sides: only its presence in the schema changed).
    RelationTypeChanged {
        old: String,
        new: String,
        old_relation: String,
        new_relation: String,
    },
    /// The field's help text changed (it only reaches rustdoc).
    HelpChanged {
        old: Option<String>,
        new: Option<String>,
    },
    /// The model's docstring (`ir.model.info`) changed (it only reaches rustdoc).
    InfoChanged {
        old: Option<String>,
        new: Option<String>,
    },
    /// The model's default order (`_order`) changed: searches without an explicit order return
    /// records in another order.
    OrderChanged {
        old: Option<String>,
        new: Option<String>,
    },
    /// The model became a `TransientModel` (wizard) or stopped being one.
    TransientChanged {
        old: bool,
        new: bool,
    },
    /// The model or field (`field` set) became custom (`state == "manual"`) or stopped being so.
    CustomChanged {
        old: bool,
        new: bool,
    },
    /// The field became company dependent (one value per company) or stopped being so.
    CompanyDependentChanged {
        old: bool,
        new: bool,
    },
    /// The field became translated (one value per language) or stopped being so.
    TranslateChanged {
        old: bool,
        new: bool,
    },
    /// A public method appeared (Odoo 19's `/doc-bearer`).
    MethodAdded {
        method: String,
        signature: String,
        /// `@api.model` (called without ids).
        api_model: bool,
    },
    /// A public method is gone.
    MethodRemoved {
        method: String,
        signature: String,
    },
    /// The method became `@api.model` (called without ids) or stopped being one.
    MethodApiChanged {
        method: String,
        /// `@api.model` before.
        old: bool,
        /// `@api.model` now.
        new: bool,
    },
    /// The return annotation changed.
    MethodReturnChanged {
        method: String,
        old: Option<String>,
        new: Option<String>,
    },
    /// The method's docs changed (docstring, parameters' docs, return doc, documented exceptions).
    MethodDocChanged {
        method: String,
    },
    ParameterAdded {
        method: String,
        parameter: String,
        /// A call must give it.
        required: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        annotation: Option<String>,
    },
    ParameterRemoved {
        method: String,
        parameter: String,
        /// A call had to give it.
        required: bool,
    },
    /// The parameter gained or lost its default.
    ParameterRequiredChanged {
        method: String,
        parameter: String,
        old: bool,
        new: bool,
    },
    /// How Python binds the parameter changed (`KEYWORD_ONLY`, `POSITIONAL_ONLY`, `VAR_KEYWORD`...).
    ParameterKindChanged {
        method: String,
        parameter: String,
        old: ParameterKind,
        new: ParameterKind,
    },
    ParameterAnnotationChanged {
        method: String,
        parameter: String,
        old: Option<String>,
        new: Option<String>,
    },
    /// The default value changed; values are JSON texts (`null` for `None`), `None` when Odoo
    /// sent none.
    ParameterDefaultChanged {
        method: String,
        parameter: String,
        old: Option<String>,
        new: Option<String>,
    },
}

/// The effect of a change on code that compiled against the old bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Old code compiles and behaves as before.
    Compatible,
    /// Old code compiles (or keeps running unrebuilt) but can fail or misread data at run time.
    Misbehaves,
    /// Old code no longer compiles against the new bindings.
    DoesNotCompile,
}

impl Impact {
    /// [`Impact::Misbehaves`] or [`Impact::DoesNotCompile`].
    pub fn is_breaking(self) -> bool {
        self != Impact::Compatible
    }

    /// `compatible`, `misbehaves` or `does not compile`.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Compatible => "compatible",
            Impact::Misbehaves => "misbehaves",
            Impact::DoesNotCompile => "does not compile",
        }
    }
}

impl std::fmt::Display for Impact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Counts of every change kind. Fields of added or removed models are not counted as fields
/// added or removed (the model line says how many they had).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Summary {
    pub models_added: usize,
    pub models_removed: usize,
    pub models_changed: usize,
    pub fields_added: usize,
    pub fields_removed: usize,
    pub type_changes: usize,
    pub relation_changes: usize,
    pub required_changes: usize,
    pub readonly_changes: usize,
    pub store_changes: usize,
    pub selection_values_added: usize,
    pub selection_values_removed: usize,
    /// Model description, field label and selection value label changes.
    pub label_changes: usize,
    /// Fields whose `related` path changed ([`ChangeKind::RelatedChanged`]).
    pub related_changes: usize,
    /// Models whose module list changed ([`ChangeKind::ModulesChanged`]).
    pub module_changes: usize,
    /// Identifiers of the bindings renamed by collision resolution ([`ChangeKind::RustNameChanged`]).
    pub rust_name_changes: usize,
    /// Relations switching between typed and untyped ids ([`ChangeKind::RelationTypeChanged`]).
    pub relation_type_changes: usize,
    /// Help texts and model docstrings changed ([`ChangeKind::HelpChanged`],
    /// [`ChangeKind::InfoChanged`]): documentation only.
    #[serde(default)]
    pub documentation_changes: usize,
    /// Other attributes changed: default order, transient, custom, company dependent, translate
    /// ([`ChangeKind::OrderChanged`] ... [`ChangeKind::TranslateChanged`]).
    #[serde(default)]
    pub attribute_changes: usize,
    /// Changes whose impact is [`Impact::Misbehaves`] or [`Impact::DoesNotCompile`].
    pub breaking: usize,
    /// Of those, the ones that stop old code compiling ([`Impact::DoesNotCompile`]).
    pub does_not_compile: usize,
    /// Of those, the ones after which old code compiles but may misbehave ([`Impact::Misbehaves`]):
    /// `breaking = does_not_compile + misbehaves`.
    #[serde(default)]
    pub misbehaves: usize,
    /// Changes whose impact is [`Impact::Compatible`]: every change is counted in exactly one of
    /// `compatible`, `misbehaves`, `does_not_compile`.
    #[serde(default)]
    pub compatible: usize,
    /// Public methods added ([`ChangeKind::MethodAdded`]).
    #[serde(default)]
    pub methods_added: usize,
    /// Public methods removed ([`ChangeKind::MethodRemoved`]).
    #[serde(default)]
    pub methods_removed: usize,
    /// Changes of a method's `@api.model`, return annotation or parameters
    /// ([`ChangeKind::MethodApiChanged`], [`ChangeKind::MethodReturnChanged`],
    /// [`ChangeKind::ParameterAdded`] ... [`ChangeKind::ParameterDefaultChanged`]).
    #[serde(default)]
    pub method_signature_changes: usize,
}

impl Summary {
    /// The counts of `models`' changes.
    pub fn of(models: &[ModelDiff]) -> Summary {
        let mut summary = Summary::default();
        for model in models {
            if model.status == ModelStatus::Changed {
                summary.models_changed += 1;
            }
            for change in &model.changes {
                summary.count(change);
            }
        }
        summary
    }

    fn count(&mut self, change: &Change) {
        match change.kind {
            ChangeKind::ModelAdded { .. } => self.models_added += 1,
            ChangeKind::ModelRemoved { .. } => self.models_removed += 1,
            ChangeKind::ModelLabelChanged { .. }
            | ChangeKind::SelectionLabelChanged { .. }
            | ChangeKind::LabelChanged { .. } => self.label_changes += 1,
            ChangeKind::FieldAdded { .. } => self.fields_added += 1,
            ChangeKind::FieldRemoved { .. } => self.fields_removed += 1,
            ChangeKind::TypeChanged { .. } => self.type_changes += 1,
            ChangeKind::RelationChanged { .. } => self.relation_changes += 1,
            ChangeKind::RequiredChanged { .. } => self.required_changes += 1,
            ChangeKind::ReadonlyChanged { .. } => self.readonly_changes += 1,
            ChangeKind::StoreChanged { .. } => self.store_changes += 1,
            ChangeKind::SelectionValueAdded { .. } => self.selection_values_added += 1,
            ChangeKind::SelectionValueRemoved { .. } => self.selection_values_removed += 1,
            ChangeKind::ModulesChanged { .. } => self.module_changes += 1,
            ChangeKind::RelatedChanged { .. } => self.related_changes += 1,
            ChangeKind::RustNameChanged { .. } => self.rust_name_changes += 1,
            ChangeKind::RelationTypeChanged { .. } => self.relation_type_changes += 1,
            ChangeKind::HelpChanged { .. } | ChangeKind::InfoChanged { .. } => {
                self.documentation_changes += 1
            }
            ChangeKind::OrderChanged { .. }
            | ChangeKind::TransientChanged { .. }
            | ChangeKind::CustomChanged { .. }
            | ChangeKind::CompanyDependentChanged { .. }
            | ChangeKind::TranslateChanged { .. } => self.attribute_changes += 1,
            ChangeKind::MethodAdded { .. } => self.methods_added += 1,
            ChangeKind::MethodRemoved { .. } => self.methods_removed += 1,
            ChangeKind::MethodDocChanged { .. } => self.documentation_changes += 1,
            ChangeKind::MethodApiChanged { .. }
            | ChangeKind::MethodReturnChanged { .. }
            | ChangeKind::ParameterAdded { .. }
            | ChangeKind::ParameterRemoved { .. }
            | ChangeKind::ParameterRequiredChanged { .. }
            | ChangeKind::ParameterKindChanged { .. }
            | ChangeKind::ParameterAnnotationChanged { .. }
            | ChangeKind::ParameterDefaultChanged { .. } => self.method_signature_changes += 1,
        }
        match change.impact {
            Impact::Compatible => self.compatible += 1,
            Impact::Misbehaves => self.misbehaves += 1,
            Impact::DoesNotCompile => self.does_not_compile += 1,
        }
        if change.impact.is_breaking() {
            self.breaking += 1;
        }
    }
}

/// Compares two schemas.
pub fn diff(old: &Schema, new: &Schema) -> Changelog {
    let names = Names {
        old_schema: old,
        new_schema: new,
        same_models: old.models.keys().eq(new.models.keys()),
        old: OnceCell::new(),
        new: OnceCell::new(),
        old_methods: OnceCell::new(),
        new_methods: OnceCell::new(),
    };
    let mut models = Vec::new();
    for (name, status) in merge_keys(&old.models, &new.models) {
        let (changes, idents) = match status {
            Side::Old(model) => (vec![model_removed(model, &names)], None),
            Side::New(model) => (vec![model_added(model)], None),
            Side::Both(o, n) => model_changes(o, n, &names),
        };
        if changes.is_empty() {
            continue;
        }
        let (status, old_model, new_model) = match status {
            Side::Old(o) => (ModelStatus::Removed, Some(o), None),
            Side::New(n) => (ModelStatus::Added, None, Some(n)),
            Side::Both(o, n) => (ModelStatus::Changed, Some(o), Some(n)),
        };
        let mut modules: Vec<String> = old_model
            .into_iter()
            .chain(new_model)
            .flat_map(|m| m.modules.iter().cloned())
            .collect();
        modules.sort();
        modules.dedup();
        let mut model = ModelDiff {
            model: name.to_owned(),
            status,
            modules,
            changes,
        };
        items::attach(&mut model, old_model, new_model, &names, idents);
        models.push(model);
    }
    let summary = Summary::of(&models);
    Changelog {
        old_version: old.odoo_version.clone(),
        new_version: new.odoo_version.clone(),
        models,
        summary,
        warnings: methods_not_compared(old, new),
    }
}

/// Whether the methods of a model are compared: only when both sides read them. A model always
/// has some once they are read (`BaseModel`'s), so none means they were not read (an Odoo before
/// 19.0, a password, a user outside `api_doc.group_allow_doc`, a model `/doc-bearer` refused):
/// comparing would report every method as added or removed.
fn methods_compared(old: &Model, new: &Model) -> bool {
    !old.methods.is_empty() && !new.methods.is_empty()
}

/// The warning that methods were not compared, where one side has them and the other not.
fn methods_not_compared(old: &Schema, new: &Schema) -> Vec<String> {
    let read = |s: &Schema| s.models.values().any(|m| !m.methods.is_empty());
    let side = |s: &Schema, which: &str| format!("the {which} schema (Odoo {})", s.odoo_version);
    let source = "methods are read from /doc-bearer, on Odoo 19.0 and later with an API key";
    match (read(old), read(new)) {
        (true, false) => vec![format!(
            "methods not compared: {} has none ({source})",
            side(new, "new")
        )],
        (false, true) => vec![format!(
            "methods not compared: {} has none ({source})",
            side(old, "old")
        )],
        (false, false) => Vec::new(),
        (true, true) => {
            let one_sided: Vec<&str> = old
                .models
                .iter()
                .filter_map(|(name, o)| new.models.get(name).map(|n| (name, o, n)))
                .filter(|(_, o, n)| o.methods.is_empty() != n.methods.is_empty())
                .map(|(name, _, _)| name.as_str())
                .collect();
            if one_sided.is_empty() {
                return Vec::new();
            }
            let shown = one_sided
                .iter()
                .take(5)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            let more = one_sided.len().saturating_sub(5);
            vec![format!(
                "methods of {} model(s) not compared, read on one side only: {shown}{}",
                one_sided.len(),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )]
        }
    }
}

/// The model names of both sides, decided by [`crate::names`] exactly as emission decides them.
///
/// Collision resolution in a namespace depends only on the set of names in it, so identifiers are
/// computed only where that set changed (naming is the costly part of a diff): model names when the
/// model sets differ, field names when a model's field set differs, variants when a field's keys do.
struct Names<'a> {
    old_schema: &'a Schema,
    new_schema: &'a Schema,
    /// Both sides hold the same models: no model identifier can change.
    same_models: bool,
    old: OnceCell<ModelNames>,
    new: OnceCell<ModelNames>,
    old_methods: OnceCell<MethodsPlan<'a>>,
    new_methods: OnceCell<MethodsPlan<'a>>,
}

impl Names<'_> {
    fn old_names(&self) -> &ModelNames {
        self.old
            .get_or_init(|| ModelNames::new(self.old_schema.models.keys().map(String::as_str)))
    }

    fn new_names(&self) -> &ModelNames {
        self.new
            .get_or_init(|| ModelNames::new(self.new_schema.models.keys().map(String::as_str)))
    }
}

impl<'a> Names<'a> {
    /// The methods every model shares, on each side, as emission decides them.
    fn method_plans(&self) -> (&MethodsPlan<'a>, &MethodsPlan<'a>) {
        (
            self.old_methods
                .get_or_init(|| MethodsPlan::new(self.old_schema)),
            self.new_methods
                .get_or_init(|| MethodsPlan::new(self.new_schema)),
        )
    }
}

enum Side<'a, T> {
    Old(&'a T),
    New(&'a T),
    Both(&'a T, &'a T),
}

/// Walks two sorted maps together, yielding each key once with the side(s) holding it.
fn merge_keys<'a, T>(
    old: &'a BTreeMap<String, T>,
    new: &'a BTreeMap<String, T>,
) -> Vec<(&'a str, Side<'a, T>)> {
    let mut out = Vec::with_capacity(old.len().max(new.len()));
    let mut a = old.iter().peekable();
    let mut b = new.iter().peekable();
    loop {
        let next = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => a.next().map(|(k, v)| (k.as_str(), Side::Old(v))),
            (None, Some(_)) => b.next().map(|(k, v)| (k.as_str(), Side::New(v))),
            (Some((ka, _)), Some((kb, _))) => match ka.cmp(kb) {
                std::cmp::Ordering::Less => a.next().map(|(k, v)| (k.as_str(), Side::Old(v))),
                std::cmp::Ordering::Greater => b.next().map(|(k, v)| (k.as_str(), Side::New(v))),
                std::cmp::Ordering::Equal => match (a.next(), b.next()) {
                    (Some((k, va)), Some((_, vb))) => Some((k.as_str(), Side::Both(va, vb))),
                    _ => None,
                },
            },
        };
        match next {
            Some(item) => out.push(item),
            None => break,
        }
    }
    out
}

fn change(field: Option<&str>, kind: ChangeKind, impact: Impact, reason: &str) -> Change {
    Change {
        field: field.map(str::to_owned),
        kind,
        impact,
        reason: reason.to_owned(),
        rust: Vec::new(),
    }
}

fn model_added(model: &Model) -> Change {
    change(
        None,
        ChangeKind::ModelAdded {
            description: model.description.clone(),
            fields: model.fields.len(),
        },
        Impact::Compatible,
        "new items only",
    )
}

fn model_removed(model: &Model, names: &Names<'_>) -> Change {
    let kind = ChangeKind::ModelRemoved {
        description: model.description.clone(),
        fields: model.fields.len(),
    };
    match reusing_model(model, names) {
        Some((taker, type_name, module)) => Change {
            field: None,
            kind,
            impact: Impact::Misbehaves,
            reason: format!(
                "its Rust names live on: struct `{type_name}`, module and feature `{module}` (and its \
                 field identifiers) now stand for {taker}: code using them compiles, against that model"
            ),
            rust: Vec::new(),
        },
        None => change(
            None,
            kind,
            Impact::DoesNotCompile,
            "its struct, constants and feature are gone",
        ),
    }
}

/// The model of the new schema that took every Rust name of the removed model `old` (type, module,
/// feature, and the identifier of each field with the same Rust representation), as emission
/// decides them: `(its technical name, the
/// type name, the module name)`. Code written against the old model then still compiles.
fn reusing_model<'a>(old: &Model, names: &'a Names<'_>) -> Option<(&'a str, &'a str, String)> {
    let was = names.old_names().get(&old.name)?;
    let module = was.module.to_source();
    let taker = names.new_names().iter().find(|n| {
        n.model != old.name && n.type_name == was.type_name && n.module.to_source() == module
    })?;
    let taker_model = names.new_schema.models.get(&taker.model)?;
    // Each member with its Rust representation: a member of another type would not compile.
    let idents = |m: &Model| -> std::collections::BTreeSet<(String, &'static str)> {
        let idents = names::field_names(m.fields.keys().map(String::as_str));
        m.fields
            .values()
            .filter_map(|f| Some((idents.get(&f.name)?.ident.to_source(), representation(f))))
            .collect()
    };
    idents(old).is_subset(&idents(taker_model)).then_some((
        taker.model.as_str(),
        taker.type_name.as_str(),
        module,
    ))
}

/// The changes of a model on both sides, and the identifiers of both sides' fields and enums when
/// they had to be decided (for [`items::attach`] to reuse).
fn model_changes(
    old: &Model,
    new: &Model,
    names: &Names<'_>,
) -> (Vec<Change>, Option<(FieldIdents, FieldIdents)>) {
    let mut changes = Vec::new();
    if old.description != new.description {
        changes.push(change(
            None,
            ChangeKind::ModelLabelChanged {
                old: old.description.clone(),
                new: new.description.clone(),
            },
            Impact::Compatible,
            "labels only reach rustdoc",
        ));
    }
    if old.modules != new.modules {
        let removed: Vec<String> = old
            .modules
            .iter()
            .filter(|m| !new.modules.contains(m))
            .cloned()
            .collect();
        let added: Vec<String> = new
            .modules
            .iter()
            .filter(|m| !old.modules.contains(m))
            .cloned()
            .collect();
        let (impact, reason) = if removed.is_empty() {
            (Impact::Compatible, "more module features enable the model")
        } else {
            (
                Impact::DoesNotCompile,
                "code enabling the model through a removed module's feature no longer gets it",
            )
        };
        if !added.is_empty() || !removed.is_empty() {
            changes.push(change(
                None,
                ChangeKind::ModulesChanged { added, removed },
                impact,
                reason,
            ));
        }
    }
    model_attributes(old, new, &mut changes);
    if !names.same_models
        && let (Some(o), Some(n)) = (
            names.old_names().get(&old.name),
            names.new_names().get(&new.name),
        )
    {
        let others = || names.new_names().iter().filter(|m| m.model != new.name);
        let (old_type, new_type) = (&o.type_name, &n.type_name);
        let taken = others().any(|m| &m.type_name == old_type);
        renamed(None, "type", old_type, new_type, taken, &mut changes);
        let (old_module, new_module) = (o.module.to_source(), n.module.to_source());
        let taken = others().any(|m| m.module.to_source() == old_module);
        renamed(
            None,
            "module",
            &old_module,
            &new_module,
            taken,
            &mut changes,
        );
    }
    // Field identifiers change only when the model's field set does; selection enum names also
    // when the set of selection fields or the model's type name does.
    let same_fields = old.fields.keys().eq(new.fields.keys());
    let same_enums = same_fields
        && names.same_models
        && selection_field_names(old) == selection_field_names(new);
    let idents = (!same_fields || !same_enums).then(|| {
        (
            FieldIdents::new(old, names.old_names().get(&old.name), !same_enums),
            FieldIdents::new(new, names.new_names().get(&new.name), !same_enums),
        )
    });
    for (name, side) in merge_keys(&old.fields, &new.fields) {
        match side {
            Side::Old(f) => {
                let kind = ChangeKind::FieldRemoved {
                    field_type: f.field_type.clone(),
                    relation: f.relation.clone(),
                    label: f.label.clone(),
                };
                changes.push(match reusing_field(f, new, idents.as_ref(), names) {
                    Some((taker, ident)) => Change {
                        field: Some(name.to_owned()),
                        kind,
                        impact: Impact::Misbehaves,
                        reason: format!(
                            "its member `{ident}`, name constant and field handle keep their \
                                 names and types, but now stand for field {taker}: code using them \
                                 compiles, against that field"
                        ),
                        rust: Vec::new(),
                    },
                    None => change(
                        Some(name),
                        kind,
                        Impact::DoesNotCompile,
                        "its struct member, name constant and field handle are gone",
                    ),
                })
            }
            Side::New(f) => {
                let (impact, reason) = if f.required && f.is_creatable() {
                    (
                        Impact::Misbehaves,
                        "a required field: a create that leaves it unset is refused unless the \
                         server has a default (the schema does not record defaults)",
                    )
                } else {
                    (Impact::Compatible, "new optional members only")
                };
                changes.push(change(
                    Some(name),
                    ChangeKind::FieldAdded {
                        field_type: f.field_type.clone(),
                        relation: f.relation.clone(),
                        label: f.label.clone(),
                        required: f.required,
                        readonly: f.readonly,
                        store: f.store,
                    },
                    impact,
                    reason,
                ))
            }
            Side::Both(o, n) => {
                field_changes(name, o, n, names, &mut changes);
                field_renames(name, o, n, idents.as_ref(), &mut changes);
            }
        }
    }
    method_changes(old, new, names, &mut changes);
    // Identifiers decided with their enums serve the Rust items too.
    (changes, idents.filter(|_| !same_enums))
}

/// The changes of a model's methods, in method-name order (then the identifiers that changed).
fn method_changes(old: &Model, new: &Model, names: &Names<'_>, out: &mut Vec<Change>) {
    if !methods_compared(old, new) {
        return;
    }
    for (name, side) in merge_keys(&old.methods, &new.methods) {
        match side {
            Side::Old(m) => out.push(change(
                None,
                ChangeKind::MethodRemoved {
                    method: name.to_owned(),
                    signature: m.signature.clone(),
                },
                Impact::DoesNotCompile,
                "its typed call is gone",
            )),
            Side::New(m) => out.push(change(
                None,
                ChangeKind::MethodAdded {
                    method: name.to_owned(),
                    signature: m.signature.clone(),
                    api_model: m.api_model,
                },
                Impact::Compatible,
                "a new typed call on the handle",
            )),
            Side::Both(o, n) if o != n => one_method_changes(name, o, n, out),
            Side::Both(..) => {}
        }
    }
    // Identifiers change only when a namespace does: the model's methods or the shared ones.
    let (old_plan, new_plan) = names.method_plans();
    if old.methods.keys().eq(new.methods.keys()) && old_plan.shared_idents == new_plan.shared_idents
    {
        return;
    }
    let (old_idents, new_idents) = (old_plan.method_idents(old), new_plan.method_idents(new));
    for (method, side) in merge_keys(&old_idents, &new_idents) {
        if let Side::Both(o, n) = side {
            // Code calling the old identifier compiles when the method now named so takes what it
            // passed and answers the same type.
            let taken = new_idents.iter().any(|(m, i)| {
                m != method
                    && i == o
                    && old
                        .methods
                        .get(method)
                        .zip(new.methods.get(m))
                        .is_some_and(|(was, taker)| call_fits(was, taker))
            });
            renamed(None, &format!("method {method:?}"), o, n, taken, out);
        }
    }
}

/// Whether code written for the typed call of `old` compiles against that of `new`: same `ids`
/// argument, same required arguments (types, in order), same answer, every old setter still there
/// with its type.
fn call_fits(old: &Method, new: &Method) -> bool {
    let arguments = |m: &Method| -> Vec<_> {
        m.parameters
            .iter()
            .filter(|p| Passing::of(p).is_argument())
            .map(|p| arg_type(p.annotation.as_deref()))
            .collect()
    };
    let options = |m: &Method| -> BTreeMap<String, crate::methods::ArgType> {
        m.parameters
            .iter()
            .filter(|p| Passing::of(p) == Passing::Option)
            .map(|p| (p.name.clone(), arg_type(p.annotation.as_deref()).0))
            .collect()
    };
    let new_options = options(new);
    old.api_model == new.api_model
        && arguments(old) == arguments(new)
        && return_type(old.returns.as_deref()) == return_type(new.returns.as_deref())
        && options(old)
            .iter()
            .all(|(name, kind)| new_options.get(name) == Some(kind))
}

fn one_method_changes(method: &str, old: &Method, new: &Method, out: &mut Vec<Change>) {
    let m = || method.to_owned();
    if old.api_model != new.api_model {
        let reason = if new.api_model {
            "its typed call no longer takes ids (`@api.model`)"
        } else {
            "its typed call now takes the records' ids"
        };
        out.push(change(
            None,
            ChangeKind::MethodApiChanged {
                method: m(),
                old: old.api_model,
                new: new.api_model,
            },
            Impact::DoesNotCompile,
            reason,
        ));
    }
    if old.returns != new.returns {
        let (old_type, new_type) = (
            return_type(old.returns.as_deref()),
            return_type(new.returns.as_deref()),
        );
        let (impact, reason) = if old_type == new_type {
            (Impact::Compatible, "same Rust answer type")
        } else {
            (Impact::DoesNotCompile, "the call's answer type changes")
        };
        out.push(change(
            None,
            ChangeKind::MethodReturnChanged {
                method: m(),
                old: old.returns.clone(),
                new: new.returns.clone(),
            },
            impact,
            reason,
        ));
    }
    let params = |x: &Method| -> BTreeMap<String, Parameter> {
        x.parameters
            .iter()
            .map(|p| (p.name.clone(), p.clone()))
            .collect()
    };
    let (old_params, new_params) = (params(old), params(new));
    for (parameter, side) in merge_keys(&old_params, &new_params) {
        let p = || parameter.to_owned();
        match side {
            Side::Old(o) => out.push(change(
                None,
                ChangeKind::ParameterRemoved {
                    method: m(),
                    parameter: p(),
                    required: o.is_required(),
                },
                if Passing::of(o) == Passing::Skipped {
                    Impact::Compatible
                } else {
                    Impact::DoesNotCompile
                },
                if Passing::of(o) == Passing::Skipped {
                    "the typed call did not take it"
                } else {
                    "its argument or setter is gone"
                },
            )),
            Side::New(n) => {
                let (impact, reason) = match Passing::of(n) {
                    Passing::Named | Passing::Positional => {
                        (Impact::DoesNotCompile, "a new argument of the typed call")
                    }
                    Passing::Option => (Impact::Compatible, "a new setter of the call"),
                    Passing::Skipped => (Impact::Compatible, "the typed call does not take it"),
                };
                out.push(change(
                    None,
                    ChangeKind::ParameterAdded {
                        method: m(),
                        parameter: p(),
                        required: n.is_required(),
                        annotation: n.annotation.clone(),
                    },
                    impact,
                    reason,
                ));
            }
            Side::Both(o, n) => parameter_changes(method, o, n, out),
        }
    }
    // Parameters' docs count for the parameters both sides have (an added or removed one is
    // reported as such).
    let docs = |x: &Method, other: &BTreeMap<String, Parameter>| {
        (
            x.doc.clone(),
            x.returns_doc.clone(),
            x.raises.clone(),
            x.parameters
                .iter()
                .filter(|p| other.contains_key(&p.name))
                .map(|p| (p.name.clone(), p.doc.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    };
    if docs(old, &new_params) != docs(new, &old_params) {
        out.push(change(
            None,
            ChangeKind::MethodDocChanged { method: m() },
            Impact::Compatible,
            DOCUMENTATION_ONLY,
        ));
    }
}

fn parameter_changes(method: &str, old: &Parameter, new: &Parameter, out: &mut Vec<Change>) {
    let (method, parameter) = (method.to_owned(), old.name.clone());
    let (was, now) = (Passing::of(old), Passing::of(new));
    // How the typed call takes it: an argument, a setter, or not at all.
    let place = |p: Passing| match p {
        Passing::Named | Passing::Positional => 0,
        Passing::Option => 1,
        Passing::Skipped => 2,
    };
    let moved = place(was) != place(now);
    if old.optional != new.optional {
        let (impact, reason) = if moved {
            (
                Impact::DoesNotCompile,
                if new.optional {
                    "an argument of the typed call becomes a setter"
                } else {
                    "it becomes an argument of the typed call"
                },
            )
        } else {
            (Impact::Compatible, "the typed call takes it the same way")
        };
        out.push(change(
            None,
            ChangeKind::ParameterRequiredChanged {
                method: method.clone(),
                parameter: parameter.clone(),
                old: !old.optional,
                new: !new.optional,
            },
            impact,
            reason,
        ));
    }
    if old.kind != new.kind {
        let (impact, reason) = if moved && old.optional == new.optional {
            (
                Impact::DoesNotCompile,
                "it moves between the call's arguments, its setters and what it does not take",
            )
        } else if was != now && !moved {
            (
                Impact::Misbehaves,
                "sent by position instead of by name or the reverse: running binaries send it the old way",
            )
        } else {
            (Impact::Compatible, "the typed call sends it the same way")
        };
        out.push(change(
            None,
            ChangeKind::ParameterKindChanged {
                method: method.clone(),
                parameter: parameter.clone(),
                old: old.kind.clone(),
                new: new.kind.clone(),
            },
            impact,
            reason,
        ));
    }
    if old.annotation != new.annotation {
        let (old_type, new_type) = (
            arg_type(old.annotation.as_deref()),
            arg_type(new.annotation.as_deref()),
        );
        // A required `X | None` takes an `Option`; a setter ignores `None`.
        let same = old_type.0 == new_type.0 && (now != Passing::Named || old_type.1 == new_type.1);
        let (impact, reason) = if same {
            (Impact::Compatible, "same Rust argument type")
        } else if new_type.0 == crate::methods::ArgType::Any {
            (
                Impact::Misbehaves,
                "it now takes any value (what old code passes still compiles), but the server expects something else",
            )
        } else {
            (Impact::DoesNotCompile, "the argument's Rust type changes")
        };
        out.push(change(
            None,
            ChangeKind::ParameterAnnotationChanged {
                method: method.clone(),
                parameter: parameter.clone(),
                old: old.annotation.clone(),
                new: new.annotation.clone(),
            },
            impact,
            reason,
        ));
    }
    if old.default != new.default && old.optional && new.optional {
        let text = |v: &Option<serde_json::Value>| v.as_ref().map(ToString::to_string);
        out.push(change(
            None,
            ChangeKind::ParameterDefaultChanged {
                method,
                parameter,
                old: text(&old.default),
                new: text(&new.default),
            },
            Impact::Misbehaves,
            "calls leaving it unset get another value",
        ));
    }
}

/// The field of the new model `new` that took the Rust names of the removed field `old` (member,
/// constant, field handle) with the same Rust type, as emission decides them: `(its technical name,
/// the member identifier)`. Code written against the old field then still compiles.
fn reusing_field<'a>(
    old: &Field,
    new: &'a Model,
    idents: Option<&(FieldIdents, FieldIdents)>,
    names: &Names<'_>,
) -> Option<(&'a str, String)> {
    let (old_idents, new_idents) = idents?;
    let ident = old_idents.fields.get(&old.name)?.ident.to_source();
    let taker = new_idents
        .fields
        .values()
        .find(|f| f.field != old.name && f.ident.to_source() == ident)?;
    let taker_field = new.fields.get(&taker.field)?;
    if representation(old) != representation(taker_field) {
        return None;
    }
    if old.field_type.is_relational()
        && marker_name(old.relation.as_deref(), names.old_names())
            != marker_name(taker_field.relation.as_deref(), names.new_names())
    {
        return None;
    }
    if old.field_type == FieldType::Selection {
        // The enum must keep its name and every variant.
        if old_idents.enums.get(&old.name) != new_idents.enums.get(&taker.field) {
            return None;
        }
        let variants = |f: &Field| -> std::collections::BTreeSet<String> {
            names::variant_names(f.selection.iter().flatten().map(|o| o.value.as_str()))
                .into_iter()
                .map(|v| v.variant)
                .collect()
        };
        if !variants(old).is_subset(&variants(taker_field)) {
            return None;
        }
    }
    Some((new.fields.get_key_value(&taker.field)?.0.as_str(), ident))
}

/// Model-level attribute changes besides description and modules: docstring, default order,
/// transient, custom.
fn model_attributes(old: &Model, new: &Model, out: &mut Vec<Change>) {
    if old.info != new.info {
        out.push(change(
            None,
            ChangeKind::InfoChanged {
                old: old.info.clone(),
                new: new.info.clone(),
            },
            Impact::Compatible,
            DOCUMENTATION_ONLY,
        ));
    }
    if old.order != new.order {
        out.push(change(
            None,
            ChangeKind::OrderChanged {
                old: old.order.clone(),
                new: new.order.clone(),
            },
            Impact::Compatible,
            "searches without an explicit order return records in another order",
        ));
    }
    if old.transient != new.transient {
        let (impact, reason) = if new.transient {
            (
                Impact::Misbehaves,
                "a transient model's records are deleted by the periodic vacuum and visible to \
                 their creator only: code keeping or sharing them loses them",
            )
        } else {
            (
                Impact::Compatible,
                "its records are no longer vacuumed (the bindings only change in rustdoc)",
            )
        };
        out.push(change(
            None,
            ChangeKind::TransientChanged {
                old: old.transient,
                new: new.transient,
            },
            impact,
            reason,
        ));
    }
    if old.custom != new.custom {
        out.push(change(
            None,
            ChangeKind::CustomChanged {
                old: old.custom,
                new: new.custom,
            },
            Impact::Compatible,
            DOCUMENTATION_ONLY,
        ));
    }
}

/// The reason of changes that only reach rustdoc.
const DOCUMENTATION_ONLY: &str = "documentation only: it only reaches rustdoc";

/// The selection fields of a model, by name.
fn selection_field_names(model: &Model) -> Vec<&str> {
    model
        .fields
        .values()
        .filter(|f| f.field_type == FieldType::Selection)
        .map(|f| f.name.as_str())
        .collect()
}

/// The keys of a field's selection values.
fn selection_keys(field: &Field) -> std::collections::BTreeSet<&str> {
    field
        .selection
        .iter()
        .flatten()
        .map(|o| o.value.as_str())
        .collect()
}

/// The identifiers emission gives to the fields of one model, and to their selection enums.
struct FieldIdents {
    fields: BTreeMap<String, FieldName>,
    enums: BTreeMap<String, String>,
}

impl FieldIdents {
    /// Mirrors `emit::model_ctx`: field identifiers per model, enum names for selection fields
    /// (only when `with_enums`).
    fn new(model: &Model, own: Option<&ModelName>, with_enums: bool) -> Self {
        let fields = names::field_names(model.fields.keys().map(String::as_str));
        let wanted: BTreeMap<String, String> = model
            .fields
            .values()
            .filter(|f| f.field_type == FieldType::Selection)
            .filter_map(|f| {
                fields
                    .get(&f.name)
                    .map(|n| (f.name.clone(), n.camel.clone()))
            })
            .collect();
        let enums = match own {
            Some(own) if with_enums => names::field_type_names(&own.type_name, &wanted),
            _ => BTreeMap::new(),
        };
        FieldIdents { fields, enums }
    }
}

/// Pushes a [`ChangeKind::RustNameChanged`] when an identifier differs. `taken`: another Odoo name
/// now has the old identifier, so code naming it may still compile, against the other one.
fn renamed(
    field: Option<&str>,
    item: &str,
    old: &str,
    new: &str,
    taken: bool,
    out: &mut Vec<Change>,
) {
    if old == new {
        return;
    }
    let (impact, reason) = if taken {
        (
            Impact::Misbehaves,
            "the old identifier now names another Odoo name: code using it may compile and use that one",
        )
    } else {
        (
            Impact::DoesNotCompile,
            "code naming the old identifier no longer compiles",
        )
    };
    out.push(change(
        field,
        ChangeKind::RustNameChanged {
            item: item.to_owned(),
            old: old.to_owned(),
            new: new.to_owned(),
        },
        impact,
        reason,
    ));
}

/// Identifier changes of a field present on both sides: its member, its enum, its variants.
fn field_renames(
    name: &str,
    old: &Field,
    new: &Field,
    idents: Option<&(FieldIdents, FieldIdents)>,
    out: &mut Vec<Change>,
) {
    let field = Some(name);
    if let Some((old_idents, new_idents)) = idents
        && let (Some(o), Some(n)) = (old_idents.fields.get(name), new_idents.fields.get(name))
    {
        let old_ident = o.ident.to_source();
        let taken = new_idents
            .fields
            .values()
            .any(|f| f.field != name && f.ident.to_source() == old_ident);
        renamed(field, "field", &old_ident, &n.ident.to_source(), taken, out);
    }
    if old.field_type != FieldType::Selection || new.field_type != FieldType::Selection {
        return;
    }
    if let Some((old_idents, new_idents)) = idents
        && let (Some(o), Some(n)) = (old_idents.enums.get(name), new_idents.enums.get(name))
    {
        let taken = new_idents
            .enums
            .iter()
            .any(|(other, e)| other != name && e == o);
        renamed(field, "enum", o, n, taken, out);
    }
    let variants = |f: &Field| -> BTreeMap<String, String> {
        names::variant_names(f.selection.iter().flatten().map(|o| o.value.as_str()))
            .into_iter()
            .map(|v| (v.key, v.variant))
            .collect()
    };
    if old.selection == new.selection || selection_keys(old) == selection_keys(new) {
        return;
    }
    let (old_variants, new_variants) = (variants(old), variants(new));
    for (key, side) in merge_keys(&old_variants, &new_variants) {
        if let Side::Both(o, n) = side {
            let taken = new_variants.iter().any(|(k, v)| k != key && v == o);
            renamed(field, &format!("variant {key:?}"), o, n, taken, out);
        }
    }
}

/// The Rust representation family of a field in generated read structs (see the table in
/// `docs/architecture.md`): two fields in one family generate the same Rust type. Mirrors
/// `emit/model.rs`: a non-stored binary field is dynamic (Odoo computes JSON into some).
fn representation(field: &Field) -> &'static str {
    match &field.field_type {
        FieldType::Binary if !field.store => "dynamic",
        FieldType::Char | FieldType::Text | FieldType::Html => "string",
        FieldType::Float | FieldType::Monetary => "float",
        FieldType::Json
        | FieldType::Properties
        | FieldType::PropertiesDefinition
        | FieldType::Unknown(_) => "dynamic",
        FieldType::Binary => "binary",
        FieldType::Boolean => "boolean",
        FieldType::Date => "date",
        FieldType::Datetime => "datetime",
        FieldType::Integer => "integer",
        FieldType::Many2many => "many2many",
        FieldType::Many2one => "many2one",
        FieldType::Many2oneReference => "many2one_reference",
        FieldType::One2many => "one2many",
        FieldType::Reference => "reference",
        FieldType::Selection => "selection",
    }
}

/// The marker type name of untyped relations (`odoo_runtime::types::AnyModel`).
const ANY_MODEL: &str = "AnyModel";

/// Is a relation to `target` typed by the target's marker (the target is a model of the schema), or
/// untyped (`AnyModel`)?
fn typed(target: Option<&str>, schema: &Schema) -> bool {
    target.is_some_and(|t| !t.is_empty() && schema.models.contains_key(t))
}

/// The marker type name of a relation to `target`.
fn marker_name(target: Option<&str>, names: &ModelNames) -> String {
    target
        .filter(|t| !t.is_empty())
        .and_then(|t| names.get(t))
        .map_or_else(|| ANY_MODEL.to_owned(), |n| n.type_name.clone())
}

fn field_changes(name: &str, old: &Field, new: &Field, names: &Names<'_>, out: &mut Vec<Change>) {
    let field = Some(name);
    if old.field_type != new.field_type {
        let (impact, reason) = match (representation(old), representation(new)) {
            ("dynamic", "dynamic") => (
                Impact::Misbehaves,
                "same dynamic Value type, but its contents have another shape",
            ),
            (a, b) if a == b => (Impact::Compatible, "same Rust type and wire shape"),
            _ => (Impact::DoesNotCompile, "the member's Rust type changes"),
        };
        out.push(change(
            field,
            ChangeKind::TypeChanged {
                old: old.field_type.clone(),
                new: new.field_type.clone(),
            },
            impact,
            reason,
        ));
    }
    if old.field_type.is_relational() && new.field_type.is_relational() {
        let old_typed = typed(old.relation.as_deref(), names.old_schema);
        let new_typed = typed(new.relation.as_deref(), names.new_schema);
        if old.relation != new.relation {
            let old_marker = marker_name(old.relation.as_deref(), names.old_names());
            let (impact, reason) = if !old_typed && !new_typed {
                (
                    Impact::Misbehaves,
                    "untyped ids on both sides, but they now point to another model".to_owned(),
                )
            } else if old_typed
                && new_typed
                && old_marker == marker_name(new.relation.as_deref(), names.new_names())
            {
                (
                    Impact::Misbehaves,
                    format!(
                        "the new target has the old one's Rust name: its ids keep the type \
                         `{old_marker}`, which now stands for {}",
                        new.relation.as_deref().unwrap_or_default()
                    ),
                )
            } else {
                (
                    Impact::DoesNotCompile,
                    "the id type's target model changes".to_owned(),
                )
            };
            out.push(Change {
                field: field.map(str::to_owned),
                kind: ChangeKind::RelationChanged {
                    old: old.relation.clone(),
                    new: new.relation.clone(),
                },
                impact,
                reason,
                rust: Vec::new(),
            });
        } else if old_typed != new_typed {
            // A renamed target marker is reported once, on the target model (`type`).
            out.push(change(
                field,
                ChangeKind::RelationTypeChanged {
                    old: marker_name(old.relation.as_deref(), names.old_names()),
                    new: marker_name(new.relation.as_deref(), names.new_names()),
                    old_relation: old.relation.clone().unwrap_or_default(),
                    new_relation: new.relation.clone().unwrap_or_default(),
                },
                Impact::DoesNotCompile,
                "its ids change type between the target's marker and AnyModel",
            ));
        }
    }
    if old.required != new.required {
        let (impact, reason) = if !old.is_creatable() && !new.is_creatable() {
            (
                Impact::Compatible,
                "create values cannot set it (the server computes it) on either side",
            )
        } else if new.required {
            (
                Impact::Misbehaves,
                "a create that leaves it unset is refused unless the server has a default",
            )
        } else {
            (Impact::Compatible, "a value is no longer needed")
        };
        out.push(change(
            field,
            ChangeKind::RequiredChanged {
                old: old.required,
                new: new.required,
            },
            impact,
            reason,
        ));
    }
    if old.readonly != new.readonly {
        let (impact, reason) = if old.is_writable() && !new.is_writable() {
            (Impact::DoesNotCompile, "it leaves the write value type")
        } else if old.is_creatable() && !new.is_creatable() {
            (Impact::DoesNotCompile, "it leaves the create value type")
        } else if new.readonly {
            (Impact::Compatible, "it was never sent")
        } else {
            (Impact::Compatible, "it joins the write value type")
        };
        out.push(change(
            field,
            ChangeKind::ReadonlyChanged {
                old: old.readonly,
                new: new.readonly,
            },
            impact,
            reason,
        ));
    }
    if old.store != new.store {
        let (impact, reason) =
            if old.field_type == new.field_type && representation(old) != representation(new) {
                (
                    Impact::DoesNotCompile,
                    "a binary field switches between base64 text and a dynamic value",
                )
            } else if old.is_creatable() && !new.is_creatable() {
                (
                    Impact::DoesNotCompile,
                    "a readonly field no longer stored leaves the create value type",
                )
            } else if old.store {
                (
                    Impact::Misbehaves,
                    "searching, ordering and grouping on it fail unless it has a search method",
                )
            } else {
                (Impact::Compatible, "it becomes searchable and sortable")
            };
        out.push(change(
            field,
            ChangeKind::StoreChanged {
                old: old.store,
                new: new.store,
            },
            impact,
            reason,
        ));
    }
    if old.related != new.related {
        let (impact, reason) = if old.is_creatable() && !new.is_creatable() {
            (
                Impact::DoesNotCompile,
                "a readonly field that became related leaves the create value type",
            )
        } else {
            (Impact::Compatible, "its value comes from another path")
        };
        out.push(change(
            field,
            ChangeKind::RelatedChanged {
                old: old.related.clone(),
                new: new.related.clone(),
            },
            impact,
            reason,
        ));
    }
    // Selection values only mean the same thing when the type did not change.
    if old.field_type == new.field_type && old.selection != new.selection {
        selection_changes(field, &new.field_type, old, new, out);
    }
    if old.label != new.label {
        out.push(change(
            field,
            ChangeKind::LabelChanged {
                old: old.label.clone(),
                new: new.label.clone(),
            },
            Impact::Compatible,
            "labels only reach rustdoc",
        ));
    }
    field_attributes(field, old, new, out);
}

/// Field attribute changes outside types, flags and labels: help, custom, company dependent,
/// translate. (Access groups are not in the IR: see [`crate::dump`].)
fn field_attributes(field: Option<&str>, old: &Field, new: &Field, out: &mut Vec<Change>) {
    if old.help != new.help {
        out.push(change(
            field,
            ChangeKind::HelpChanged {
                old: old.help.clone(),
                new: new.help.clone(),
            },
            Impact::Compatible,
            DOCUMENTATION_ONLY,
        ));
    }
    if old.custom != new.custom {
        out.push(change(
            field,
            ChangeKind::CustomChanged {
                old: old.custom,
                new: new.custom,
            },
            Impact::Compatible,
            DOCUMENTATION_ONLY,
        ));
    }
    if old.company_dependent != new.company_dependent {
        let reason = if new.company_dependent {
            "same Rust type, but its value now depends on the context's company: reads and writes \
             concern the current company only"
        } else {
            "same Rust type, but one value is now shared by every company: a write sets it for all"
        };
        out.push(change(
            field,
            ChangeKind::CompanyDependentChanged {
                old: old.company_dependent,
                new: new.company_dependent,
            },
            Impact::Compatible,
            reason,
        ));
    }
    if old.translate != new.translate {
        let reason = if new.translate {
            "same Rust type, but reads and writes now concern the context's language (`lang`)"
        } else {
            "same Rust type, but one value now serves every language: a write replaces all"
        };
        out.push(change(
            field,
            ChangeKind::TranslateChanged {
                old: old.translate,
                new: new.translate,
            },
            Impact::Compatible,
            reason,
        ));
    }
}

/// Whether emission (`emit/model.rs`) leaves selection enums exhaustive (no `#[non_exhaustive]`).
/// Emission marks them `#[non_exhaustive]`, so a new selection value is compatible: user `match`es
/// already need a `_` arm, and running binaries read the new key as `Unknown(..)`. Were the enums
/// exhaustive, a new value would break every exhaustive `match`; the test `diff_api` checks this
/// constant against the generated code.
pub const SELECTION_ENUMS_ARE_EXHAUSTIVE: bool = false;

/// A field's selection values by value. A duplicated value keeps its first option, which is what a
/// lookup by value finds.
fn index_selection(field: &Field) -> BTreeMap<String, &SelectionOption> {
    let mut map: BTreeMap<String, &SelectionOption> = BTreeMap::new();
    for option in field.selection.iter().flatten() {
        map.entry(option.value.clone()).or_insert(option);
    }
    map
}

fn selection_changes(
    field: Option<&str>,
    field_type: &FieldType,
    old: &Field,
    new: &Field,
    out: &mut Vec<Change>,
) {
    let (old_values, new_values) = (index_selection(old), index_selection(new));
    // A removed key whose variant a new key took: code naming the variant compiles and sends the
    // new key.
    let new_variants: BTreeMap<String, String> = if *field_type == FieldType::Selection
        && old_values.keys().any(|k| !new_values.contains_key(k))
    {
        names::variant_names(new.selection.iter().flatten().map(|o| o.value.as_str()))
            .into_iter()
            .map(|v| (v.variant, v.key))
            .collect()
    } else {
        BTreeMap::new()
    };
    let old_variants: BTreeMap<String, String> = if new_variants.is_empty() {
        BTreeMap::new()
    } else {
        names::variant_names(old.selection.iter().flatten().map(|o| o.value.as_str()))
            .into_iter()
            .map(|v| (v.key, v.variant))
            .collect()
    };
    let removed = if *field_type == FieldType::Reference {
        (
            Impact::Misbehaves,
            "references to that model are no longer among the field's choices",
        )
    } else {
        (Impact::DoesNotCompile, "its enum variant is gone")
    };
    let value_added = if *field_type == FieldType::Selection && SELECTION_ENUMS_ARE_EXHAUSTIVE {
        (
            Impact::DoesNotCompile,
            "a new enum variant: exhaustive matches on the enum miss it (running binaries read it as Unknown)",
        )
    } else if *field_type == FieldType::Selection {
        (
            Impact::Compatible,
            "a new variant of a non-exhaustive enum; running binaries read it as Unknown",
        )
    } else {
        (Impact::Compatible, "one more model a reference may name")
    };
    // Removed values first, then added ones, then relabelled ones, each in value order: the text
    // report puts each group of one field on one line.
    let (mut added, mut relabelled) = (Vec::new(), Vec::new());
    for (value, side) in merge_keys(&old_values, &new_values) {
        match side {
            Side::Old(o) => {
                let kind = ChangeKind::SelectionValueRemoved {
                    value: value.to_owned(),
                    label: o.label.clone(),
                };
                let taker = old_variants
                    .get(value)
                    .and_then(|variant| Some((variant, new_variants.get(variant)?)));
                out.push(match taker {
                    Some((variant, key)) => Change {
                        field: field.map(str::to_owned),
                        kind,
                        impact: Impact::Misbehaves,
                        reason: format!(
                            "the enum keeps the variant `{variant}`, now for key {key:?}: code using \
                             it compiles and sends or matches that key"
                        ),
                        rust: Vec::new(),
                    },
                    None => change(field, kind, removed.0, removed.1),
                })
            }
            Side::New(n) => added.push(change(
                field,
                ChangeKind::SelectionValueAdded {
                    value: value.to_owned(),
                    label: n.label.clone(),
                },
                value_added.0,
                value_added.1,
            )),
            Side::Both(o, n) => {
                if o.label != n.label {
                    relabelled.push(change(
                        field,
                        ChangeKind::SelectionLabelChanged {
                            value: value.to_owned(),
                            old: o.label.clone(),
                            new: n.label.clone(),
                        },
                        Impact::Compatible,
                        "same variant; `label()` returns the new text (and rustdoc shows it)",
                    ));
                }
            }
        }
    }
    out.extend(added);
    out.extend(relabelled);
}

impl Change {
    /// A few words saying what changed, without the model and field: `type float -> integer`,
    /// `selection value "done" removed`, `model removed`; a method change names its method:
    /// `method action_confirm removed`, `method message_post: parameter body required no -> yes`.
    pub fn describe(&self) -> String {
        match &self.kind {
            ChangeKind::MethodAdded { method, .. } => format!("method {method} added"),
            ChangeKind::MethodRemoved { method, .. } => format!("method {method} removed"),
            kind if kind.method().is_some() => {
                let method = kind.method().unwrap_or_default();
                let detail = text::plain(&report::detail(self));
                format!("method {method}{detail}")
            }
            ChangeKind::ModelAdded { .. } => "model added".to_owned(),
            ChangeKind::ModelRemoved { .. } => "model removed".to_owned(),
            ChangeKind::ModelLabelChanged { old, new } => {
                format!("description {old:?} -> {new:?}")
            }
            ChangeKind::FieldAdded { field_type, .. } => format!("{field_type} field added"),
            ChangeKind::FieldRemoved { field_type, .. } => format!("{field_type} field removed"),
            ChangeKind::SelectionValueAdded { value, .. } => {
                format!("selection value {value:?} added")
            }
            ChangeKind::SelectionValueRemoved { value, .. } => {
                format!("selection value {value:?} removed")
            }
            ChangeKind::ModulesChanged { added, removed } => {
                format!("modules {}", module_list(added, removed))
            }
            ChangeKind::HelpChanged { old, new } => {
                format!(
                    "help {}",
                    report::text_change_plain(old.as_deref(), new.as_deref())
                )
            }
            ChangeKind::InfoChanged { old, new } => {
                format!(
                    "docstring {}",
                    report::text_change_plain(old.as_deref(), new.as_deref())
                )
            }
            // Every other kind replaces a value: `what old -> new`, as the reports print it.
            _ => match self.values() {
                Some((what, old, new)) => format!("{what} {old} -> {new}"),
                None => String::new(),
            },
        }
    }
}
