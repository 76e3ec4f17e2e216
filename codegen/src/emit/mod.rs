//! Rust emission: schema IR → `quote!` tokens → `syn::File` → prettyplease → text with a header.
//!
//! The generated crate:
//! * `Cargo.toml`: one feature per model (named like its module), one per Odoo module
//!   (`module-<name>`, enabling the models that module defines or extends), `all`, and `default`.
//! * `src/lib.rs`: crate docs, the always-compiled `markers` module (one uninhabited marker type per
//!   generated model), and one `#[cfg(feature = "...")] pub mod <model>;` per model.
//! * `src/<model>.rs`: per model the `MODEL` constant, the `fields` module of field-name constants and
//!   `FIELD_NAMES`, the read struct (`id` plus every field, typed per `docs/architecture.md`), one enum
//!   per selection field, then whatever the typed API (`api::model_api`) adds.
//!
//! Relations: a many2one/x2many whose target model is generated is typed by the target's marker
//! (`Many2one<crate::markers::ResPartner>`), which stays available when the target's feature is off,
//! so enabling a feature never changes another model's types. Targets outside the generated schema
//! (filtered out, or unknown) are typed `AnyModel`.

mod api;
pub(crate) mod cargo;
pub(crate) mod docs;
mod methods;
mod model;

pub use methods::{CallItems, MethodsPlan};

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::error::{Error, Result, Warning};
use crate::generate::{GENERATOR_VERSION, Generated, OutputFile, Settings};
use crate::names::{self, FieldName, ModelName, ModelNames};
use crate::schema::{Field, FieldType, Model, Schema};

/// Everything known about one model while emitting its file; handed to `api::model_api`.
///
/// Fields are only ever added to this struct (never renamed or removed): the typed API relies on them.
pub struct ModelCtx<'a> {
    /// The whole schema being generated.
    pub schema: &'a Schema,
    /// The model's IR.
    pub model: &'a Model,
    /// The generation settings.
    pub settings: &'a Settings,
    /// The model's decided names (type name, module, feature).
    pub names: &'a ModelName,
    /// The read struct's identifier in the model module (`ResPartner`). Every type name starting with
    /// this identifier (`ResPartnerCreate`, `ResPartnerWrite`...) is left free for the typed API:
    /// selection enums never use that prefix.
    pub struct_ident: Ident,
    /// The marker type's identifier inside `crate::markers` (same text as `struct_ident`).
    pub marker_ident: Ident,
    /// Full path of the model's marker type: `crate::markers::ResPartner`.
    pub marker_path: TokenStream,
    /// The model module's identifier (`res_partner`); the file is `src/<module>.rs`.
    pub module_ident: Ident,
    /// Every field except `id`, in technical-name order.
    pub fields: Vec<FieldCtx<'a>>,
    /// The crate's methods (whether the crate has any, which every model shares).
    pub methods: &'a MethodsPlan<'a>,
}

/// One field of a [`ModelCtx`].
pub struct FieldCtx<'a> {
    /// The field's IR.
    pub field: &'a Field,
    /// The decided names (identifier, constant, camel base, serde rename).
    pub names: FieldName,
    /// The struct field identifier (`r#type`, `partner_id`).
    pub ident: Ident,
    /// The technical name, as sent over the wire and in `#[serde(rename)]`.
    pub serde_name: String,
    /// The field-name constant in the model's `fields` module (`fields::PARTNER_ID`).
    pub const_ident: Ident,
    /// What kind of Rust value the field holds.
    pub kind: FieldKind,
    /// The type of a present value (`::std::string::String`, `i64`,
    /// `::odoo_runtime::types::Many2one<crate::markers::ResPartner>`, the selection enum's ident...).
    pub value_type: TokenStream,
    /// The type of the field in the read struct (`OrFalse<...>` / `Option<...>`, see the architecture table).
    pub read_type: TokenStream,
    /// For selection fields: the generated enum.
    pub selection: Option<SelectionCtx>,
    /// For many2one/one2many/many2many: the target model.
    pub target: Option<TargetCtx>,
}

/// The Rust shape of a field, from its Odoo type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// char, text, html → `String`.
    Text,
    /// boolean → `bool`.
    Boolean,
    /// integer → `i64` (read with `types::opt_int`).
    Integer,
    /// float, monetary → `f64`.
    Float,
    /// date → `types::Date`.
    Date,
    /// datetime → `types::DateTime`.
    DateTime,
    /// selection → generated enum.
    Selection,
    /// many2one → `types::Many2one<M>`.
    Many2one,
    /// one2many, many2many → `types::X2many<M>`.
    X2many,
    /// reference → `types::Reference`.
    Reference,
    /// many2one_reference → `i64` id (read with `types::opt_int`).
    Many2oneReference,
    /// stored binary → `types::Binary`.
    Binary,
    /// json, properties, properties_definition, a computed (non-stored) binary (Odoo uses those for
    /// JSON payloads such as `sale.order.tax_totals`), or a type this generator does not know → `Value`.
    Dynamic,
}

/// A generated selection enum.
pub struct SelectionCtx {
    /// The enum's identifier in the model module (`State`).
    pub enum_ident: Ident,
    /// Variants in server order.
    pub variants: Vec<VariantCtx>,
}

/// One variant of a selection enum.
pub struct VariantCtx {
    /// The variant identifier (`Draft`).
    pub ident: Ident,
    /// The key on the wire (`draft`).
    pub key: String,
    /// The human label.
    pub label: String,
}

/// The target of a relational field.
pub struct TargetCtx {
    /// The target's technical name (`res.partner`); empty when the schema names none.
    pub model: String,
    /// The marker type for `Id<M>`: `crate::markers::X` when generated, `::odoo_runtime::types::AnyModel`
    /// otherwise.
    pub marker: TokenStream,
    /// The target is part of the generated crate.
    pub generated: bool,
}

pub(crate) fn ident(name: &str) -> Ident {
    format_ident!("{}", name)
}

/// The header every generated file starts with (no timestamp, no URL).
pub(crate) fn header(schema: &Schema, settings: &Settings, comment: &str) -> String {
    let label = docs::inline(&settings.snapshot_label).replace('\n', " ");
    let version = docs::inline(&schema.odoo_version);
    format!(
        "{comment} @generated by odoo-codegen {GENERATOR_VERSION} from {label} (Odoo {version}). Do not edit.\n"
    )
}

/// Formats tokens as a file and prefixes the header.
pub(crate) fn render(path: &str, tokens: TokenStream, header: &str) -> Result<OutputFile> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| Error::Syntax {
        path: path.to_owned(),
        error,
    })?;
    let body = prettyplease::unparse(&file);
    let mut contents = String::with_capacity(header.len() + body.len());
    contents.push_str(header);
    contents.push_str(&body);
    Ok(OutputFile {
        path: path.to_owned(),
        contents,
    })
}

/// Doc attributes from paragraphs of text.
pub(crate) fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {}", docs::line_start_safe(line))
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Inner doc attributes (`//!`) from paragraphs of text.
pub(crate) fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {}", docs::line_start_safe(line))
        };
        quote!(#![doc = #line])
    });
    quote!(#(#attrs)*)
}

fn check_keys(schema: &Schema) -> Result<()> {
    for (key, model) in &schema.models {
        if *key != model.name {
            return Err(Error::ModelKeyMismatch {
                key: key.clone(),
                name: model.name.clone(),
            });
        }
        for (fkey, field) in &model.fields {
            if *fkey != field.name {
                return Err(Error::FieldKeyMismatch {
                    model: key.clone(),
                    key: fkey.clone(),
                    name: field.name.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Builds the per-model context (names and types of every field).
pub(crate) fn model_ctx<'a>(
    schema: &'a Schema,
    model: &'a Model,
    settings: &'a Settings,
    names: &'a ModelNames,
    own: &'a ModelName,
    methods: &'a MethodsPlan<'a>,
    warnings: &mut Vec<Warning>,
) -> ModelCtx<'a> {
    let struct_ident = ident(&own.type_name);
    let marker_ident = struct_ident.clone();
    let marker_path = quote!(crate::markers::#marker_ident);
    let module_ident = ident(&own.module.name);
    let field_names = names::field_names(model.fields.keys().map(String::as_str));
    let wanted_enums = model
        .fields
        .values()
        .filter(|f| f.field_type == FieldType::Selection)
        .filter_map(|f| {
            field_names
                .get(&f.name)
                .map(|n| (f.name.clone(), n.camel.clone()))
        })
        .collect();
    let enum_names = names::field_type_names(&own.type_name, &wanted_enums);
    let mut fields = Vec::with_capacity(model.fields.len());
    for field in model.fields.values() {
        let Some(fnames) = field_names.get(&field.name) else {
            continue; // `id`: always the struct's own `id`.
        };
        fields.push(model::field_ctx(
            model,
            field,
            fnames.clone(),
            enum_names.get(&field.name),
            names,
            warnings,
        ));
    }
    ModelCtx {
        schema,
        model,
        settings,
        names: own,
        struct_ident,
        marker_ident,
        marker_path,
        module_ident,
        fields,
        methods,
    }
}

/// Emits the whole crate.
pub(crate) fn emit_crate(schema: &Schema, settings: &Settings) -> Result<Generated> {
    if schema.models.is_empty() {
        return Err(Error::EmptySchema);
    }
    check_keys(schema)?;
    let names = ModelNames::new(schema.models.keys().map(String::as_str));
    let plan = MethodsPlan::new(schema);
    let mut files = Vec::with_capacity(schema.models.len() + 3);
    files.push(cargo::cargo_toml(schema, settings, &names)?);
    files.push(model::lib_rs(schema, settings, &names, &plan)?);
    if plan.enabled {
        files.push(methods::methods_rs(schema, settings, &plan)?);
    }
    let models: Vec<&Model> = schema.models.values().collect();
    // Models are independent: emit them on every available core. Results are gathered back in model
    // order, so the output (files and warnings) does not depend on the number of threads.
    let workers = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .clamp(1, 16)
        .min(models.len());
    let emitted: Vec<ModelOutput> = if workers <= 1 {
        models
            .iter()
            .map(|m| emit_one(schema, m, settings, &names, &plan))
            .collect()
    } else {
        let mut slots: Vec<Option<ModelOutput>> = (0..models.len()).map(|_| None).collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|worker| {
                    let models = &models;
                    let names = &names;
                    let plan = &plan;
                    scope.spawn(move || {
                        models
                            .iter()
                            .enumerate()
                            .skip(worker)
                            .step_by(workers)
                            .map(|(i, m)| (i, emit_one(schema, m, settings, names, plan)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for handle in handles {
                // A panicking worker is a generator bug: re-raise it rather than lose its models.
                let done = handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                for (i, out) in done {
                    slots[i] = Some(out);
                }
            }
        });
        slots.into_iter().flatten().collect()
    };
    let mut warnings = Vec::new();
    for out in emitted {
        warnings.extend(out.warnings);
        if let Some(file) = out.file.transpose()? {
            files.push(file);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Generated { files, warnings })
}

/// What emitting one model gave.
struct ModelOutput {
    file: Option<Result<OutputFile>>,
    warnings: Vec<Warning>,
}

fn emit_one(
    schema: &Schema,
    model: &Model,
    settings: &Settings,
    names: &ModelNames,
    plan: &MethodsPlan<'_>,
) -> ModelOutput {
    let mut warnings = Vec::new();
    let file = names.get(&model.name).map(|own| {
        let ctx = model_ctx(schema, model, settings, names, own, plan, &mut warnings);
        emit_model(&ctx)
    });
    settings.on_model_done.call(&model.name);
    ModelOutput { file, warnings }
}

/// Emits one model's file: the read struct, selection enums, constants, and the typed API's items.
pub(crate) fn emit_model(ctx: &ModelCtx<'_>) -> Result<OutputFile> {
    let body = model::model_items(ctx);
    let api = api::model_api(ctx);
    let methods = methods::model_methods(ctx, ctx.methods);
    let tokens = quote! {
        #body
        #api
        #methods
    };
    let path = format!("src/{}.rs", ctx.names.module.name);
    render(&path, tokens, &header(ctx.schema, ctx.settings, "//!"))
}
