//! Per-model items and `src/lib.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    FieldCtx, FieldKind, ModelCtx, SelectionCtx, TargetCtx, VariantCtx, doc_attrs, docs, header,
    ident, inner_doc_attrs, render,
};
use crate::error::{Result, Warning};
use crate::generate::{OutputFile, Settings};
use crate::names::{self, FieldName, ModelNames};
use crate::schema::{Field, FieldType, Model, Schema};

fn kind_of(field: &Field) -> FieldKind {
    match &field.field_type {
        // Odoo uses computed (non-stored) binary fields to carry JSON too (`sale.order.tax_totals` is a
        // dict, `ir.actions.act_window.views` a list): only stored ones are surely base64 text.
        FieldType::Binary if !field.store => FieldKind::Dynamic,
        FieldType::Char | FieldType::Text | FieldType::Html => FieldKind::Text,
        FieldType::Boolean => FieldKind::Boolean,
        FieldType::Integer => FieldKind::Integer,
        FieldType::Float | FieldType::Monetary => FieldKind::Float,
        FieldType::Date => FieldKind::Date,
        FieldType::Datetime => FieldKind::DateTime,
        FieldType::Selection => FieldKind::Selection,
        FieldType::Many2one => FieldKind::Many2one,
        FieldType::One2many | FieldType::Many2many => FieldKind::X2many,
        FieldType::Reference => FieldKind::Reference,
        FieldType::Many2oneReference => FieldKind::Many2oneReference,
        FieldType::Binary => FieldKind::Binary,
        FieldType::Json
        | FieldType::Properties
        | FieldType::PropertiesDefinition
        | FieldType::Unknown(_) => FieldKind::Dynamic,
    }
}

fn target_ctx(relation: Option<&str>, names: &ModelNames) -> TargetCtx {
    let model = relation.unwrap_or_default().to_owned();
    // No relation at all must not pick a model whose technical name is empty.
    let target = if model.is_empty() {
        None
    } else {
        names.get(&model)
    };
    match target {
        Some(target) => {
            let marker = ident(&target.type_name);
            TargetCtx {
                model,
                marker: quote!(crate::markers::#marker),
                generated: true,
            }
        }
        None => TargetCtx {
            model,
            marker: quote!(::odoo_runtime::types::AnyModel),
            generated: false,
        },
    }
}

pub(super) fn field_ctx<'a>(
    model: &Model,
    field: &'a Field,
    names: FieldName,
    enum_name: Option<&String>,
    model_names: &ModelNames,
    warnings: &mut Vec<Warning>,
) -> FieldCtx<'a> {
    let kind = kind_of(field);
    if let FieldType::Unknown(t) = &field.field_type {
        warnings.push(Warning::field(
            &model.name,
            &field.name,
            format!("unknown field type `{t}`: emitted as a dynamic value (odoo_runtime::Value)"),
        ));
    }
    let target = matches!(kind, FieldKind::Many2one | FieldKind::X2many).then(|| {
        if field.relation.as_deref().is_none_or(str::is_empty) {
            warnings.push(Warning::field(
                &model.name,
                &field.name,
                format!(
                    "{} field without a target model: typed with AnyModel",
                    field.field_type
                ),
            ));
        }
        target_ctx(field.relation.as_deref(), model_names)
    });
    let selection = (kind == FieldKind::Selection).then(|| {
        let options = field.selection.as_deref().unwrap_or_default();
        let variants = names::variant_names(options.iter().map(|o| o.value.as_str()))
            .into_iter()
            .map(|v| VariantCtx {
                ident: ident(&v.variant),
                label: options
                    .iter()
                    .find(|o| o.value == v.key)
                    .map(|o| o.label.clone())
                    .unwrap_or_default(),
                key: v.key,
            })
            .collect();
        let enum_name = enum_name
            .cloned()
            .unwrap_or_else(|| format!("{}Selection", names.camel));
        SelectionCtx {
            enum_ident: ident(&enum_name),
            variants,
        }
    });
    let value_type = match kind {
        FieldKind::Text => quote!(::std::string::String),
        FieldKind::Boolean => quote!(bool),
        FieldKind::Integer | FieldKind::Many2oneReference => quote!(i64),
        FieldKind::Float => quote!(f64),
        FieldKind::Date => quote!(::odoo_runtime::types::Date),
        FieldKind::DateTime => quote!(::odoo_runtime::types::DateTime),
        FieldKind::Selection => {
            let e = selection.as_ref().map(|s| s.enum_ident.clone());
            quote!(#e)
        }
        FieldKind::Many2one => {
            let m = target.as_ref().map(|t| t.marker.clone());
            quote!(::odoo_runtime::types::Many2one<#m>)
        }
        FieldKind::X2many => {
            let m = target.as_ref().map(|t| t.marker.clone());
            quote!(::odoo_runtime::types::X2many<#m>)
        }
        FieldKind::Reference => quote!(::odoo_runtime::types::Reference),
        FieldKind::Binary => quote!(::odoo_runtime::types::Binary),
        FieldKind::Dynamic => quote!(::odoo_runtime::Value),
    };
    let read_type = match kind {
        FieldKind::Boolean
        | FieldKind::Integer
        | FieldKind::Float
        | FieldKind::X2many
        | FieldKind::Many2oneReference => quote!(::std::option::Option<#value_type>),
        _ => quote!(::odoo_runtime::types::OrFalse<#value_type>),
    };
    FieldCtx {
        field,
        ident: names.ident.ident(),
        const_ident: ident(&names.constant),
        serde_name: field.name.clone(),
        names,
        kind,
        value_type,
        read_type,
        selection,
        target,
    }
}

/// The doc lines of a field: label, help, then a summary line with name, type and flags.
fn field_doc(field: &Field, target: Option<&TargetCtx>) -> Vec<String> {
    let mut lines = Vec::new();
    let label = docs::inline(&field.label);
    if !label.is_empty() {
        lines.push(label);
    }
    if let Some(help) = &field.help {
        let help = docs::paragraphs(help);
        if !help.is_empty() {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(help);
        }
    }
    let mut summary = format!(
        "Odoo field {}: {}",
        docs::code(&field.name),
        docs::code(field.field_type.as_str())
    );
    if let Some(target) = target {
        if target.model.is_empty() {
            summary.push_str(" (no target model)");
        } else {
            summary.push_str(&format!(" to {}", docs::code(&target.model)));
        }
    }
    for (flag, word) in [
        (field.required, "required"),
        (field.readonly, "readonly"),
        (!field.store, "not stored"),
        (field.company_dependent, "company dependent"),
        (field.translate, "translated"),
        (field.custom, "custom"),
    ] {
        if flag {
            summary.push_str(", ");
            summary.push_str(word);
        }
    }
    if let Some(related) = &field.related {
        summary.push_str(&format!(", related to {}", docs::code(related)));
    }
    summary.push('.');
    if field.field_type == FieldType::Binary && !field.store {
        summary.push_str(
            " Read as a dynamic value: Odoo returns JSON from some computed binary fields.",
        );
    }
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(summary);
    lines
}

/// Splits an UpperCamel identifier into its words (`SaleOrder2` → `Sale`, `Order2`).
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices() {
        if i > start && c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    if start < name.len() {
        words.push(&name[start..]);
    }
    words
}

/// Variant names come from the server's keys, so they may repeat the enum's name (`Type::TypeA`) or
/// share a first or last word, which `clippy::enum_variant_names` rejects; the allow is emitted only
/// on such enums (a superset of what the lint flags, never less).
fn needs_variant_names_allow(enum_name: &str, sel: &SelectionCtx) -> bool {
    let enum_name = enum_name.trim_start_matches('_');
    let mut names: Vec<String> = sel
        .variants
        .iter()
        .map(|v| v.ident.to_string().trim_start_matches('_').to_owned())
        .collect();
    names.push("Unknown".to_owned());
    let repeats_enum = names
        .iter()
        .any(|v| v != enum_name && (v.starts_with(enum_name) || v.ends_with(enum_name)));
    let words: Vec<Vec<&str>> = names.iter().map(|v| camel_words(v)).collect();
    let first = words.first().and_then(|w| w.first());
    let last = words.first().and_then(|w| w.last());
    let shared_first = words.iter().all(|w| w.first() == first);
    let shared_last = words.iter().all(|w| w.last() == last);
    // The lint only compares variants of enums with at least 3 of them.
    repeats_enum || (names.len() >= 3 && (shared_first || shared_last))
}

fn selection_items(ctx: &ModelCtx<'_>, f: &FieldCtx<'_>, sel: &SelectionCtx) -> TokenStream {
    let enum_ident = &sel.enum_ident;
    let mut doc = vec![format!(
        "Values of {}.{} (keyed by the value sent over the wire). Non-exhaustive: a value added on the server after generation reads as `Unknown`, so matches keep a `_` arm and an Odoo upgrade that adds values does not break compilation.",
        docs::code(&ctx.model.name),
        docs::code(&f.field.name)
    )];
    if !f.field.label.is_empty() {
        doc.push(String::new());
        doc.push(format!("Field label: {}.", docs::inline(&f.field.label)));
    }
    let doc = doc_attrs(&doc);
    let variants = sel.variants.iter().map(|v| {
        let ident = &v.ident;
        let label = docs::inline(&v.label);
        let line = if label.is_empty() {
            format!("Key {}.", docs::code(&v.key))
        } else {
            format!("{label} (key {}).", docs::code(&v.key))
        };
        let doc = doc_attrs(&[line]);
        quote!(#doc #ident,)
    });
    let from_arms = sel.variants.iter().map(|v| {
        let ident = &v.ident;
        let key = &v.key;
        quote!(#key => Self::#ident,)
    });
    let key_arms = sel.variants.iter().map(|v| {
        let ident = &v.ident;
        let key = &v.key;
        quote!(Self::#ident => #key,)
    });
    // Labels as the schema has them (the introspected user's language); an empty selection keeps
    // the trait's default (`None`, as for every unknown key).
    let label_fn = (!sel.variants.is_empty()).then(|| {
        let label_arms = sel.variants.iter().map(|v| {
            let ident = &v.ident;
            let label = &v.label;
            quote!(Self::#ident => ::std::option::Option::Some(#label),)
        });
        quote! {
            fn label(&self) -> ::std::option::Option<&'static str> {
                match self {
                    #(#label_arms)*
                    Self::Unknown(_) => ::std::option::Option::None,
                }
            }
        }
    });
    let allow = needs_variant_names_allow(&enum_ident.to_string(), sel)
        .then(|| quote!(#[allow(clippy::enum_variant_names)]));
    // An empty selection (dynamic, nothing known at generation) only has `Unknown`: a one-arm `match`
    // would trip `clippy::match_single_binding`.
    let (from_body, key_body) = if sel.variants.is_empty() {
        (
            quote!(Self::Unknown(::std::borrow::ToOwned::to_owned(key))),
            quote! {
                let Self::Unknown(key) = self;
                key
            },
        )
    } else {
        (
            quote! {
                match key {
                    #(#from_arms)*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            },
            quote! {
                match self {
                    #(#key_arms)*
                    Self::Unknown(key) => key,
                }
            },
        )
    };
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        #allow
        #[non_exhaustive]
        pub enum #enum_ident {
            #(#variants)*
            /// A key this binding does not know (added to the server after generation).
            Unknown(::std::string::String),
        }

        impl ::odoo_runtime::types::Selection for #enum_ident {
            fn from_key(key: &str) -> Self {
                #from_body
            }

            fn key(&self) -> &str {
                #key_body
            }

            #label_fn
        }

        impl<'de> ::serde::Deserialize<'de> for #enum_ident {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                ::odoo_runtime::types::selection::deserialize(deserializer)
            }
        }

        impl ::serde::Serialize for #enum_ident {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                ::odoo_runtime::types::selection::serialize(self, serializer)
            }
        }
    }
}

/// `Deserialize` for a read struct, written out rather than derived.
///
/// A record arrives as a map (XML-RPC struct, JSON object). Every field starts as its default
/// (`NotFetched` / `None`: partial reads), `id` is required, unknown members are skipped. This is
/// what `#[derive(Deserialize)]` with `#[serde(default)]` fields does, in one `match` arm per field
/// instead of the derive's field enum, sequence visitor and per-field helpers: on the 507-model crate
/// the derive made up most of `cargo check` time.
fn read_struct_deserialize(ctx: &ModelCtx<'_>) -> TokenStream {
    let struct_ident = &ctx.struct_ident;
    // Inside the nested visitor the struct is named by its full path: a bare `D` (model `d`) or `A`
    // would be the generic parameter of `deserialize<D>` (E0401) or of `visit_map<A>`.
    let module_ident = &ctx.module_ident;
    let struct_path = quote!(crate::#module_ident::#struct_ident);
    let expecting = format!(
        "a `{}` record (a struct of fields)",
        ctx.model.name.escape_default()
    );
    let locals: Vec<proc_macro2::Ident> = (0..ctx.fields.len())
        .map(|i| quote::format_ident!("f{}", i))
        .collect();
    // Types are inferred from the struct literal at the end: spelling them out (full paths) made the
    // visitor as large as the rest of the file.
    let lets = locals
        .iter()
        .map(|local| quote!(let mut #local = ::std::default::Default::default();));
    let arms = ctx.fields.iter().zip(&locals).map(|(f, local)| {
        let key = &f.serde_name;
        if matches!(f.kind, FieldKind::Integer | FieldKind::Many2oneReference) {
            quote!(#key => #local = map.next_value::<crate::__private::OptInt>()?.0,)
        } else {
            quote!(#key => #local = map.next_value()?,)
        }
    });
    let inits = ctx.fields.iter().zip(&locals).map(|(f, local)| {
        let ident = &f.ident;
        quote!(#ident: #local,)
    });
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #struct_ident {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                struct __Visitor;

                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #struct_path;

                    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        formatter.write_str(#expecting)
                    }

                    fn visit_map<A>(self, mut map: A) -> ::std::result::Result<#struct_path, A::Error>
                    where
                        A: ::serde::de::MapAccess<'de>,
                    {
                        // `map.next_value()`: methods of the `A: MapAccess` bound, no import needed.
                        let mut id = ::std::option::Option::None;
                        #(#lets)*
                        while let ::std::option::Option::Some(key) =
                            map.next_key::<crate::__private::Key<'de>>()?
                        {
                            match &*key.0 {
                                "id" => id = ::std::option::Option::Some(map.next_value()?),
                                #(#arms)*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        let id = id.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field("id"))?;
                        ::std::result::Result::Ok(#struct_path { id, #(#inits)* })
                    }
                }

                ::serde::Deserializer::deserialize_map(deserializer, __Visitor)
            }
        }
    }
}

/// The items of a model module (everything but the typed API's).
pub(super) fn model_items(ctx: &ModelCtx<'_>) -> TokenStream {
    let model = ctx.model;
    let struct_ident = &ctx.struct_ident;
    let marker_path = &ctx.marker_path;
    let model_name = &model.name;

    let mut module_doc = vec![format!(
        "Bindings for the Odoo model {}.",
        docs::code(&model.name)
    )];
    let description = docs::inline(&model.description);
    if !description.is_empty() {
        module_doc.push(String::new());
        module_doc.push(description);
    }
    let module_doc = inner_doc_attrs(&module_doc);

    let mut struct_doc = Vec::new();
    let description = docs::inline(&model.description);
    struct_doc.push(if description.is_empty() {
        format!(
            "A record of {} as read from the server.",
            docs::code(&model.name)
        )
    } else {
        format!(
            "{description}: a record of {} as read from the server.",
            docs::code(&model.name)
        )
    });
    if let Some(info) = &model.info {
        let info = docs::paragraphs(info);
        if !info.is_empty() {
            struct_doc.push(String::new());
            struct_doc.extend(info);
        }
    }
    struct_doc.push(String::new());
    let mut flags = Vec::new();
    if model.transient {
        flags.push("transient (wizard)".to_owned());
    }
    if model.custom {
        flags.push("custom".to_owned());
    }
    if !model.modules.is_empty() {
        let modules: Vec<String> = model.modules.iter().map(|m| docs::code(m)).collect();
        flags.push(format!("modules {}", modules.join(", ")));
    }
    struct_doc.push(if flags.is_empty() {
        "Every field is optional: fields not fetched stay `NotFetched`/`None`, empty ones (`false`) are `Empty`.".to_owned()
    } else {
        format!(
            "Model flags: {}. Every field is optional: fields not fetched stay `NotFetched`/`None`, empty ones (`false`) are `Empty`.",
            flags.join("; ")
        )
    });
    let struct_doc = doc_attrs(&struct_doc);

    let consts = ctx.fields.iter().map(|f| {
        let c = &f.const_ident;
        let name = &f.serde_name;
        let doc = doc_attrs(&[format!(
            "{} ({}).",
            docs::code(name),
            docs::code(f.field.field_type.as_str())
        )]);
        quote!(#doc pub const #c: &str = #name;)
    });
    let all_consts = ctx.fields.iter().map(|f| {
        let c = &f.const_ident;
        quote!(#c,)
    });

    let struct_fields = ctx.fields.iter().map(|f| {
        let ident = &f.ident;
        let ty = &f.read_type;
        let doc = doc_attrs(&field_doc(f.field, f.target.as_ref()));
        quote! {
            #doc
            pub #ident: #ty,
        }
    });
    let deserialize = read_struct_deserialize(ctx);

    let enums = ctx
        .fields
        .iter()
        .filter_map(|f| f.selection.as_ref().map(|s| selection_items(ctx, f, s)));

    quote! {
        #module_doc

        /// The technical name of the model.
        pub const MODEL: &str = #model_name;

        /// Field-name constants (technical names as sent over the wire).
        pub mod fields {
            /// `id` (the record id).
            pub const ID: &str = "id";
            #(#consts)*
        }

        /// Every field name of the model, `id` first, then in technical-name order.
        pub const FIELD_NAMES: &[&str] = &[fields::ID, #(fields::#all_consts)*];

        #struct_doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub struct #struct_ident {
            /// The record id.
            pub id: ::odoo_runtime::types::Id<#marker_path>,
            #(#struct_fields)*
        }

        #deserialize

        #(#enums)*
    }
}

/// `src/lib.rs`: crate docs, markers, and one feature-gated module per model.
pub(super) fn lib_rs(
    schema: &Schema,
    settings: &Settings,
    names: &ModelNames,
    plan: &super::MethodsPlan<'_>,
) -> Result<OutputFile> {
    let crate_doc = inner_doc_attrs(&[
        format!(
            "Typed bindings for {} Odoo {} models, generated by odoo-codegen from {}.",
            schema.models.len(),
            docs::inline(&schema.odoo_version),
            docs::inline(&settings.snapshot_label)
        ),
        String::new(),
        "Each model lives in its own module behind a cargo feature of the same name; each Odoo module has a feature `module-<name>` enabling the models it defines or extends.".to_owned(),
        String::new(),
        "The `markers` module is always compiled: relations are typed by their target's marker (`Id<markers::ResPartner>`) whether or not the target's feature is enabled.".to_owned(),
        String::new(),
        "A selection enum whose variants (named after the server's keys) repeat the enum's name or share a first or last word carries `#[allow(clippy::enum_variant_names)]`: the names come from the server and stay recognisable.".to_owned(),
    ]);
    let markers = names.iter().map(|n| {
        let ident = ident(&n.type_name);
        let doc = doc_attrs(&[format!(
            "Marker type of {} (for `Id<M>`, `Many2one<M>`, `X2many<M>`); it has no values.",
            docs::code(&n.model)
        )]);
        quote! {
            #doc
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::cmp::PartialOrd, ::std::cmp::Ord, ::std::hash::Hash)]
            pub enum #ident {}
        }
    });
    let modules = names.iter().map(|n| {
        let module = n.module.ident();
        let feature = &n.feature;
        let doc = doc_attrs(&[format!(
            "The model {} (feature `{feature}`).",
            docs::code(&n.model)
        )]);
        quote! {
            #doc
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    let methods_mod = plan.enabled.then(|| {
        quote! {
            /// The model handle every `X::on(&client)` returns, and the methods every model shares.
            #[rustfmt::skip]
            pub mod methods;
        }
    });
    let tokens = quote! {
        #crate_doc

        /// Marker types, one per generated model, always compiled.
        #[rustfmt::skip]
        pub mod markers {
            #(#markers)*
        }

        /// Support code of the generated read structs; not an API.
        #[doc(hidden)]
        #[rustfmt::skip]
        pub mod __private {
            /// A member name, borrowed from the input when the deserializer allows it.
            pub struct Key<'de>(pub ::std::borrow::Cow<'de, str>);

            impl<'de> ::serde::Deserialize<'de> for Key<'de> {
                fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                where
                    D: ::serde::Deserializer<'de>,
                {
                    struct KeyVisitor;

                    impl<'de> ::serde::de::Visitor<'de> for KeyVisitor {
                        type Value = Key<'de>;

                        fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            formatter.write_str("a field name")
                        }

                        fn visit_borrowed_str<E>(self, v: &'de str) -> ::std::result::Result<Key<'de>, E>
                        where
                            E: ::serde::de::Error,
                        {
                            ::std::result::Result::Ok(Key(::std::borrow::Cow::Borrowed(v)))
                        }

                        fn visit_str<E>(self, v: &str) -> ::std::result::Result<Key<'de>, E>
                        where
                            E: ::serde::de::Error,
                        {
                            ::std::result::Result::Ok(Key(::std::borrow::Cow::Owned(::std::borrow::ToOwned::to_owned(v))))
                        }

                        fn visit_string<E>(self, v: ::std::string::String) -> ::std::result::Result<Key<'de>, E>
                        where
                            E: ::serde::de::Error,
                        {
                            ::std::result::Result::Ok(Key(::std::borrow::Cow::Owned(v)))
                        }
                    }

                    ::serde::Deserializer::deserialize_str(deserializer, KeyVisitor)
                }
            }

            /// An integer field read through `odoo_runtime::types::opt_int` (integral doubles accepted).
            pub struct OptInt(pub ::std::option::Option<i64>);

            impl<'de> ::serde::Deserialize<'de> for OptInt {
                fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                where
                    D: ::serde::Deserializer<'de>,
                {
                    ::odoo_runtime::types::opt_int::deserialize(deserializer).map(OptInt)
                }
            }
        }

        #methods_mod

        #(#modules)*
    };
    render("src/lib.rs", tokens, &header(schema, settings, "//!"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(variants: &[&str]) -> SelectionCtx {
        SelectionCtx {
            enum_ident: ident("E"),
            variants: variants
                .iter()
                .map(|v| VariantCtx {
                    ident: ident(v),
                    key: (*v).to_owned(),
                    label: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn camel_words_split_on_capitals() {
        assert_eq!(camel_words("SaleOrder2"), vec!["Sale", "Order2"]);
        assert_eq!(camel_words("AB"), vec!["A", "B"]);
        assert_eq!(camel_words("Draft"), vec!["Draft"]);
    }

    #[test]
    fn variant_names_allow_only_where_the_lint_could_fire() {
        assert!(!needs_variant_names_allow(
            "State",
            &sel(&["Draft", "Done", "Cancel"])
        ));
        assert!(needs_variant_names_allow("Type", &sel(&["TypeA", "Other"])));
        assert!(needs_variant_names_allow(
            "Kind",
            &sel(&["LineUnknown", "NoteUnknown"])
        ));
        assert!(needs_variant_names_allow(
            "Kind",
            &sel(&["UnknownA", "UnknownB"])
        ));
        assert!(!needs_variant_names_allow("Kind", &sel(&[])));
        assert!(!needs_variant_names_allow("Type", &sel(&["Type", "Other"])));
    }
}
