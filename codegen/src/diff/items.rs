//! The items of the generated bindings each change concerns ([`Change::rust`]), named by
//! [`crate::names`] exactly as emission names them.
//!
//! Removed and changed items are named as in the old bindings (what code written against them
//! uses); added items as in the new ones.

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{Change, ChangeKind, FieldIdents, Impact, ModelDiff, Names};
use crate::emit::{CallItems, MethodsPlan};
use crate::methods::Passing;
use crate::names::{self, ModelName, ModelNames};
use crate::schema::{Field, FieldType, Model};

/// An item of the generated bindings that a change concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustItem {
    /// What kind of item.
    pub kind: RustItemKind,
    /// Its path from the generated crate's root (`res_partner::ResPartner::name`), or a Cargo
    /// feature's name (`res_partner`, `module-sale`).
    pub path: String,
}

/// The kinds of [`RustItem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RustItemKind {
    /// A model's read struct (`res_partner::ResPartner`; also its marker type and constants).
    Struct,
    /// A model's module (`res_partner`).
    Module,
    /// A Cargo feature: a model's (`res_partner`) or an Odoo module's (`module-sale`).
    Feature,
    /// A member of a read struct (`res_partner::ResPartner::name`; also its name constant and field
    /// handle).
    Member,
    /// A setter of the create and write values (`res_partner::ResPartnerValues::name`).
    Setter,
    /// A setter of the create values only (`res_partner::ResPartnerCreate::name`).
    CreateSetter,
    /// A setter of the write values (`res_partner::ResPartnerWrite::name`).
    WriteSetter,
    /// A field handle for domains, ordering and grouping (`res_partner::ResPartnerFields::name`,
    /// reached as `ResPartner::F.name`).
    Handle,
    /// A selection enum (`res_partner::Type`).
    Enum,
    /// A selection enum variant (`res_partner::Type::Contact`).
    Variant,
    /// A typed method call on the model handle (`sale_order::SaleOrder::on(..).action_confirm`).
    Method,
    /// The call builder marker of a typed method call, whose setters are the method's optional
    /// parameters (`sale_order::SaleOrderMessagePostCall`; `methods::CopyCall` for a method every
    /// model shares).
    CallBuilder,
    /// A setter of a call builder: one optional parameter (`sale_order::SaleOrderMessagePostCall::body`).
    CallSetter,
}

impl RustItemKind {
    /// A word or two for reports: `struct`, `member`, `create setter`...
    pub fn as_str(self) -> &'static str {
        match self {
            RustItemKind::Struct => "struct",
            RustItemKind::Module => "module",
            RustItemKind::Feature => "feature",
            RustItemKind::Member => "member",
            RustItemKind::Setter => "setter",
            RustItemKind::CreateSetter => "create setter",
            RustItemKind::WriteSetter => "write setter",
            RustItemKind::Handle => "field handle",
            RustItemKind::Enum => "enum",
            RustItemKind::Variant => "variant",
            RustItemKind::Method => "method",
            RustItemKind::CallBuilder => "call builder",
            RustItemKind::CallSetter => "call setter",
        }
    }
}

impl std::fmt::Display for RustItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} `{}`", self.kind.as_str(), self.path)
    }
}

impl RustItem {
    /// The path without the model's module (`ResPartner::name` for
    /// `res_partner::ResPartner::name`: reports name the module once per model); a feature's
    /// or module's name as it is.
    pub fn in_module(&self) -> &str {
        match self.kind {
            RustItemKind::Feature | RustItemKind::Module => &self.path,
            _ => self
                .path
                .split_once("::")
                .map_or(&self.path, |(_, rest)| rest),
        }
    }
}

impl ModelDiff {
    /// The module of the model's items in the generated crate (`res_partner`), from the items
    /// its changes name (not the call builders of shared methods, in `methods`).
    pub fn rust_module(&self) -> Option<&str> {
        self.changes
            .iter()
            .flat_map(|c| &c.rust)
            .filter(|i| !matches!(i.kind, RustItemKind::Feature | RustItemKind::Module))
            .filter_map(|i| i.path.split_once("::"))
            .map(|(module, _)| module)
            .find(|module| *module != SHARED_METHODS_MODULE)
    }
}

/// The generated module holding the methods every model shares (a name no model module takes:
/// [`crate::names::RESERVED_MODULES`]).
const SHARED_METHODS_MODULE: &str = "methods";

fn item(kind: RustItemKind, path: String) -> RustItem {
    RustItem { kind, path }
}

/// The names one side of the diff gives to one model and its fields.
struct Side<'a> {
    model: &'a Model,
    names: &'a ModelName,
    /// Decided on first use: an added or removed model needs none.
    idents: OnceCell<FieldIdents>,
    /// Variants by key, per selection field, decided on first use (a field can gain hundreds of
    /// values at once).
    variants: RefCell<BTreeMap<String, Rc<BTreeMap<String, String>>>>,
    /// The crate's methods plan, and the items of the model's typed calls decided on first use.
    plan: &'a MethodsPlan<'a>,
    calls: OnceCell<BTreeMap<String, CallItems>>,
}

impl<'a> Side<'a> {
    /// `idents`: the model's field and enum identifiers, when already decided.
    fn new(
        model: &'a Model,
        all: &'a ModelNames,
        idents: Option<FieldIdents>,
        plan: &'a MethodsPlan<'a>,
    ) -> Option<Self> {
        Some(Side {
            model,
            names: all.get(&model.name)?,
            idents: idents.map(OnceCell::from).unwrap_or_default(),
            variants: RefCell::default(),
            plan,
            calls: OnceCell::new(),
        })
    }

    fn calls(&self) -> &BTreeMap<String, CallItems> {
        self.calls
            .get_or_init(|| self.plan.call_items(self.model, self.names))
    }

    /// The typed call of `method` on the model handle: `sale_order::SaleOrder::on(..).action_confirm`.
    fn method_item(&self, method: &str) -> Option<RustItem> {
        let call = self.calls().get(method)?;
        Some(item(
            RustItemKind::Method,
            self.names
                .path(&format!("{}::on(..).{}", self.names.type_name, call.ident)),
        ))
    }

    /// The call builder marker of `method`.
    fn builder_item(&self, method: &str) -> Option<RustItem> {
        let call = self.calls().get(method)?;
        Some(item(RustItemKind::CallBuilder, call.builder.clone()))
    }

    /// The setter of the optional parameter `parameter` of `method`, when the typed call takes it
    /// so ([`Passing::Option`]).
    fn setter_item(&self, method: &str, parameter: &str) -> Option<RustItem> {
        let p = self
            .model
            .methods
            .get(method)?
            .parameters
            .iter()
            .find(|p| p.name == parameter)?;
        if Passing::of(p) != Passing::Option {
            return None;
        }
        let call = self.calls().get(method)?;
        Some(item(
            RustItemKind::CallSetter,
            format!("{}::{}", call.builder, call.parameters.get(parameter)?),
        ))
    }

    /// The setter of `parameter` when the call takes it as one, else the call itself.
    fn parameter_item(&self, method: &str, parameter: &str) -> Option<RustItem> {
        self.setter_item(method, parameter)
            .or_else(|| self.method_item(method))
    }

    fn idents(&self) -> &FieldIdents {
        self.idents
            .get_or_init(|| FieldIdents::new(self.model, Some(self.names), true))
    }

    fn model_items(&self) -> Vec<RustItem> {
        vec![
            item(RustItemKind::Struct, self.names.path(&self.names.type_name)),
            item(RustItemKind::Feature, self.names.feature.clone()),
        ]
    }

    fn struct_item(&self) -> RustItem {
        item(RustItemKind::Struct, self.names.path(&self.names.type_name))
    }

    fn ident(&self, field: &str) -> Option<String> {
        if field == "id" {
            // Not in `fields`: every read struct has its own `id`.
            return Some(field.to_owned());
        }
        Some(self.idents().fields.get(field)?.ident.to_source())
    }

    /// `kind` of field `field` on the type `owner` of the model's module.
    fn field_item(&self, kind: RustItemKind, owner: &str, field: &str) -> Option<RustItem> {
        let ident = self.ident(field)?;
        Some(item(kind, self.names.path(&format!("{owner}::{ident}"))))
    }

    fn member(&self, field: &str) -> Option<RustItem> {
        self.field_item(RustItemKind::Member, &self.names.type_name, field)
    }

    fn create_setter(&self, field: &str) -> Option<RustItem> {
        self.field_item(RustItemKind::CreateSetter, &self.names.create_type(), field)
    }

    fn write_setter(&self, field: &str) -> Option<RustItem> {
        self.field_item(RustItemKind::WriteSetter, &self.names.write_type(), field)
    }

    /// The member, and the setter of a field that create or write values may set.
    fn member_and_setter(&self, field: &Field) -> Vec<RustItem> {
        let setter = if field.is_writable() {
            self.field_item(RustItemKind::Setter, &self.names.values_type(), &field.name)
        } else if field.is_creatable() {
            self.create_setter(&field.name)
        } else {
            None
        };
        self.member(&field.name).into_iter().chain(setter).collect()
    }

    /// The variant of selection key `key`, or the member for a reference field (its keys are
    /// model names, not variants).
    fn value(&self, field: &str, key: &str) -> Option<RustItem> {
        let f = self.model.fields.get(field)?;
        if f.field_type != FieldType::Selection {
            return self.member(field);
        }
        let enum_name = self.idents().enums.get(field)?;
        let variants = Rc::clone(
            self.variants
                .borrow_mut()
                .entry(field.to_owned())
                .or_insert_with(|| {
                    let keys = f.selection.iter().flatten().map(|o| o.value.as_str());
                    Rc::new(
                        names::variant_names(keys)
                            .into_iter()
                            .map(|v| (v.key, v.variant))
                            .collect(),
                    )
                }),
        );
        let variant = variants.get(key)?;
        Some(item(
            RustItemKind::Variant,
            self.names.path(&format!("{enum_name}::{variant}")),
        ))
    }
}

/// Fills [`Change::rust`] of every change of `diff`. `old`/`new`: the model on each side;
/// `idents`: the identifiers of both sides' fields and enums, when already decided.
pub(super) fn attach(
    diff: &mut ModelDiff,
    old: Option<&Model>,
    new: Option<&Model>,
    names: &Names<'_>,
    idents: Option<(FieldIdents, FieldIdents)>,
) {
    let (old_idents, new_idents) = idents.unzip();
    let (old_plan, new_plan) = names.method_plans();
    let old = old.and_then(|m| Side::new(m, names.old_names(), old_idents, old_plan));
    let new = new.and_then(|m| Side::new(m, names.new_names(), new_idents, new_plan));
    for change in &mut diff.changes {
        change.rust = items(change, old.as_ref(), new.as_ref());
    }
}

fn items(change: &Change, old: Option<&Side<'_>>, new: Option<&Side<'_>>) -> Vec<RustItem> {
    // Items that exist on both sides are named as in the old bindings.
    let Some(side) = old.or(new) else {
        return Vec::new();
    };
    let field = change.field.as_deref();
    let old_field = |f: &str| old.and_then(|s| s.model.fields.get(f));
    let new_field = |f: &str| new.and_then(|s| s.model.fields.get(f));
    let member = |f: Option<&str>| match f {
        Some(f) => side.member(f).into_iter().collect(),
        None => vec![side.struct_item()],
    };
    if let Some(method) = change.kind.method() {
        return method_items(change, method, old, new);
    }
    match (&change.kind, field) {
        (ChangeKind::ModelAdded { .. }, _) => new.map(Side::model_items).unwrap_or_default(),
        (ChangeKind::ModelRemoved { .. }, _) => old.map(Side::model_items).unwrap_or_default(),
        (ChangeKind::ModulesChanged { added, removed }, _) => removed
            .iter()
            .chain(added)
            .map(|m| item(RustItemKind::Feature, names::odoo_module_feature(m)))
            .collect(),
        (
            ChangeKind::RustNameChanged {
                item: what,
                old: ident,
                ..
            },
            field,
        ) => rename_item(side, what, ident, field).into_iter().collect(),
        (ChangeKind::FieldAdded { .. }, Some(f)) => new
            .zip(new_field(f))
            .map(|(s, nf)| s.member_and_setter(nf))
            .unwrap_or_default(),
        (ChangeKind::FieldRemoved { .. }, Some(f)) => old
            .zip(old_field(f))
            .map(|(s, of)| s.member_and_setter(of))
            .unwrap_or_default(),
        (ChangeKind::SelectionValueAdded { value, .. }, Some(f)) => {
            new.and_then(|s| s.value(f, value)).into_iter().collect()
        }
        (
            ChangeKind::SelectionValueRemoved { value, .. }
            | ChangeKind::SelectionLabelChanged { value, .. },
            Some(f),
        ) => old.and_then(|s| s.value(f, value)).into_iter().collect(),
        (ChangeKind::RequiredChanged { .. }, Some(f)) => {
            let creatable = |field: Option<&Field>| field.is_some_and(Field::is_creatable);
            let setter = if creatable(old_field(f)) {
                old.and_then(|s| s.create_setter(f))
            } else if creatable(new_field(f)) {
                new.and_then(|s| s.create_setter(f))
            } else {
                side.member(f)
            };
            setter.into_iter().collect()
        }
        (ChangeKind::ReadonlyChanged { .. }, Some(f)) => {
            let (Some(of), Some(nf)) = (old_field(f), new_field(f)) else {
                return member(Some(f));
            };
            // A setter lost is named as in the old bindings, one gained as in the new.
            let setter = match (of.is_writable(), nf.is_writable()) {
                (true, false) => old.and_then(|s| s.write_setter(f)),
                (false, true) => new.and_then(|s| s.write_setter(f)),
                _ if of.is_creatable() && !nf.is_creatable() => {
                    old.and_then(|s| s.create_setter(f))
                }
                _ if !of.is_creatable() && nf.is_creatable() => {
                    new.and_then(|s| s.create_setter(f))
                }
                _ => side.member(f),
            };
            setter.into_iter().collect()
        }
        (ChangeKind::StoreChanged { .. }, Some(f)) => {
            let (Some(of), Some(nf)) = (old_field(f), new_field(f)) else {
                return member(Some(f));
            };
            let it = if change.impact != Impact::DoesNotCompile {
                side.field_item(RustItemKind::Handle, &side.names.fields_type(), f)
            } else if of.is_creatable() && !nf.is_creatable() {
                side.create_setter(f)
            } else {
                side.member(f)
            };
            it.into_iter().collect()
        }
        (ChangeKind::RelatedChanged { .. }, Some(f)) if change.impact.is_breaking() => {
            side.create_setter(f).into_iter().collect()
        }
        (_, field) => member(field),
    }
}

/// The items a method change concerns: the typed call, and its builder when the method comes or
/// goes; for a parameter, the builder's setter when the call takes it as an option, else the
/// call. Named as in the old bindings, except what only the new ones have.
fn method_items(
    change: &Change,
    method: &str,
    old: Option<&Side<'_>>,
    new: Option<&Side<'_>>,
) -> Vec<RustItem> {
    let call_and_builder = |side: Option<&Side<'_>>| -> Vec<RustItem> {
        side.map(|s| {
            s.method_item(method)
                .into_iter()
                .chain(s.builder_item(method))
                .collect()
        })
        .unwrap_or_default()
    };
    let parameter = change.kind.parameter().unwrap_or_default();
    match &change.kind {
        ChangeKind::MethodAdded { .. } => call_and_builder(new),
        ChangeKind::MethodRemoved { .. } => call_and_builder(old),
        ChangeKind::ParameterAdded { .. } => new
            .and_then(|s| s.parameter_item(method, parameter))
            .into_iter()
            .collect(),
        ChangeKind::ParameterRemoved { .. }
        | ChangeKind::ParameterAnnotationChanged { .. }
        | ChangeKind::ParameterDefaultChanged { .. } => old
            .and_then(|s| s.parameter_item(method, parameter))
            .into_iter()
            .collect(),
        ChangeKind::ParameterRequiredChanged { .. } | ChangeKind::ParameterKindChanged { .. } => {
            // The setter lost (old) or gained (new) when the parameter moves between the call's
            // arguments and its setters, then the call.
            let setter = old
                .and_then(|s| s.setter_item(method, parameter))
                .or_else(|| new.and_then(|s| s.setter_item(method, parameter)));
            setter
                .into_iter()
                .chain(old.and_then(|s| s.method_item(method)))
                .collect()
        }
        _ => old
            .and_then(|s| s.method_item(method))
            .into_iter()
            .collect(),
    }
}

/// The item a [`ChangeKind::RustNameChanged`] renames, under its old identifier `ident`.
fn rename_item(side: &Side<'_>, what: &str, ident: &str, field: Option<&str>) -> Option<RustItem> {
    let names = side.names;
    match what {
        "type" => Some(item(RustItemKind::Struct, names.path(ident))),
        "module" => Some(item(RustItemKind::Module, ident.to_owned())),
        "field" => Some(item(
            RustItemKind::Member,
            names.path(&format!("{}::{ident}", names.type_name)),
        )),
        "enum" => Some(item(RustItemKind::Enum, names.path(ident))),
        _ if what.starts_with("method ") => Some(item(
            RustItemKind::Method,
            names.path(&format!("{}::on(..).{ident}", names.type_name)),
        )),
        _ => {
            // `variant "<key>"`: a variant of the field's enum.
            let enum_name = side.idents().enums.get(field?)?;
            Some(item(
                RustItemKind::Variant,
                names.path(&format!("{enum_name}::{ident}")),
            ))
        }
    }
}
