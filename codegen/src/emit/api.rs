//! Extension point for the typed API (issue 5): items added to each model's file.
//!
//! [`model_api`] is called once per model by [`super::emit_model`]; whatever it returns is placed in the
//! model's module, after the read struct, the selection enums and the constants. See [`ModelCtx`] for what
//! is known about the model (resolved identifiers, Rust types, relation targets, settings).
//!
//! Per model `X` (read struct `X`, marker `crate::markers::X`) it emits, all logic living in
//! `odoo_runtime`:
//! - `XFields`: one `odoo_runtime::domain::Field<marker, kind>` handle per field (`id` included), for
//!   domains and field selection; `X::F` holds them.
//! - `impl odoo_runtime::model::Model for crate::markers::X` (name, field names, row and values types).
//! - `XValues<Mode>`: values for `create` and `write`, one setter per field that may be sent, written
//!   once for both modes. `XWrite` (= `XValues<ForWrite>`) has setters for writable fields
//!   (`readonly` fields, which include computed fields without inverse, have none); `XCreate` (=
//!   `XValues<ForCreate>`) also for stored readonly fields that are not related (Odoo takes them at
//!   creation, e.g. `ir.model.state = "manual"` in the documentation's custom-model example). Magic
//!   fields (`create_date`, `write_uid`...) are in neither.
//! - `X::on(&client)`: the model's `odoo_runtime::query::Records`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{FieldCtx, FieldKind, ModelCtx, docs};
use crate::schema::FieldType;

/// The `odoo_runtime::domain::kind` marker of a field.
fn kind_type(f: &FieldCtx<'_>) -> TokenStream {
    let k = quote!(::odoo_runtime::domain::kind);
    let target = || {
        f.target
            .as_ref()
            .map(|t| t.marker.clone())
            .unwrap_or_else(|| quote!(::odoo_runtime::types::AnyModel))
    };
    match f.kind {
        FieldKind::Text => quote!(#k::Char),
        FieldKind::Boolean => quote!(#k::Boolean),
        FieldKind::Integer => quote!(#k::Integer),
        FieldKind::Float => quote!(#k::Float),
        FieldKind::Date => quote!(#k::Date),
        FieldKind::DateTime => quote!(#k::DateTime),
        FieldKind::Selection => match &f.selection {
            Some(sel) => {
                let e = &sel.enum_ident;
                quote!(#k::Selection<#e>)
            }
            None => quote!(#k::Json),
        },
        FieldKind::Many2one => {
            let t = target();
            quote!(#k::Many2one<#t>)
        }
        FieldKind::X2many => {
            let t = target();
            if f.field.field_type == FieldType::One2many {
                quote!(#k::One2many<#t>)
            } else {
                quote!(#k::Many2many<#t>)
            }
        }
        FieldKind::Reference => quote!(#k::Reference),
        FieldKind::Many2oneReference => quote!(#k::Many2oneReference),
        FieldKind::Binary => quote!(#k::Binary),
        FieldKind::Dynamic => quote!(#k::Json),
    }
}

/// Binary operators' methods (`Add::add(self, rhs)`...): `clippy::should_implement_trait` takes a
/// setter so named (`fn add(self, value) -> Self`) for one, so it carries an `allow`: field names come
/// from the server. (The lint's other methods take `&self`, `&mut self` or no receiver.)
pub(super) const BINARY_OPERATOR_METHODS: [&str; 10] = [
    "add", "bitand", "bitor", "bitxor", "div", "mul", "rem", "shl", "shr", "sub",
];

/// Typed-API items for one model: field handles, `Model` impl, create/write values.
pub(crate) fn model_api(ctx: &ModelCtx<'_>) -> TokenStream {
    let model_name = &ctx.model.name;
    let st = &ctx.struct_ident;
    let marker = &ctx.marker_path;
    let fields_ident = format_ident!("{}", ctx.names.fields_type());
    let field_ty = quote!(::odoo_runtime::domain::Field);

    let handle_decls = ctx.fields.iter().map(|f| {
        let ident = &f.ident;
        let kind = kind_type(f);
        let doc = format!(
            " {} ({}).",
            docs::code(&f.serde_name),
            docs::code(f.field.field_type.as_str())
        );
        quote! {
            #[doc = #doc]
            pub #ident: #field_ty<#marker, #kind>,
        }
    });
    let handle_inits = ctx.fields.iter().map(|f| {
        let ident = &f.ident;
        let name = &f.serde_name;
        quote!(#ident: #field_ty::new(#name),)
    });
    let create_ident = format_ident!("{}", ctx.names.create_type());
    let write_ident = format_ident!("{}", ctx.names.write_type());
    let values_ident = format_ident!("{}", ctx.names.values_type());
    // The mode parameter starts with the struct name (see `ModelName::mode_param`).
    let mode = format_ident!("{}", ctx.names.mode_param());
    let setter = |f: &FieldCtx<'_>| {
        let ident = &f.ident;
        let name = &f.serde_name;
        let kind = kind_type(f);
        let doc = format!(
            " Sets {} ({}); `odoo_runtime::model::False` clears it.",
            docs::code(&f.serde_name),
            docs::code(f.field.field_type.as_str())
        );
        let allow = BINARY_OPERATOR_METHODS
            .contains(&f.names.ident.name.as_str())
            .then(|| quote!(#[allow(clippy::should_implement_trait)]));
        quote! {
            #[doc = #doc]
            #allow
            pub fn #ident(self, value: impl ::odoo_runtime::model::SetValue<#kind>) -> Self {
                Self(self.0.set::<#kind, _>(#name, value), ::std::marker::PhantomData)
            }
        }
    };
    // Setters of writable fields serve both modes; stored readonly fields are settable at creation
    // only.
    let shared_setters: Vec<TokenStream> = ctx
        .fields
        .iter()
        .filter(|f| f.field.is_writable())
        .map(setter)
        .collect();
    let create_only_setters: Vec<TokenStream> = ctx
        .fields
        .iter()
        .filter(|f| f.field.is_creatable() && !f.field.is_writable())
        .map(setter)
        .collect();
    // `new()` unless a field setter already has that name.
    let constructor = if ctx.fields.iter().any(|f| f.ident == "new") {
        quote!()
    } else {
        quote! {
            /// No field set.
            pub fn new() -> Self {
                Self(::odoo_runtime::model::Values::new(), ::std::marker::PhantomData)
            }
        }
    };
    let on_fn = if ctx.methods.enabled {
        quote! {
            /// The records of this model reached through `client`: search, read, create, write...
            /// (deref to `odoo_runtime::query::Records`) and the model's methods.
            pub fn on<C: ::odoo_runtime::query::Executor>(
                client: &C,
            ) -> crate::methods::Handle<'_, C, #marker> {
                crate::methods::Handle::new(client)
            }
        }
    } else {
        quote! {
            /// The records of this model reached through `client` (search, read, create, write...).
            pub fn on<C: ::odoo_runtime::query::Executor>(
                client: &C,
            ) -> ::odoo_runtime::query::Records<'_, C, #marker> {
                ::odoo_runtime::query::Records::new(client)
            }
        }
    };
    let model_code = docs::code(model_name);
    let fields_doc = format!(
        " Field handles of {model_code} for typed domains and field selection (see `{st}::F`)."
    );
    let (create_name, write_name) = (ctx.names.create_type(), ctx.names.write_type());
    let values_doc = format!(
        " Field values of a {model_code} record: `{create_name}` for `create` (and x2many `Command::create`), with setters for writable fields and stored readonly fields; `{write_name}` for `write` (and x2many `Command::update`), with setters for writable fields only. Unset fields are not sent."
    );
    let create_doc = format!(
        " Values of a new {model_code} record for `create` (and x2many `Command::create`): writable fields and stored readonly fields have a setter; unset fields are not sent."
    );
    let write_doc = format!(
        " Values for `write` on {model_code} records (and x2many `Command::update`): only writable fields have a setter; unset fields are not sent."
    );
    let create_only_impl = if create_only_setters.is_empty() {
        quote!()
    } else {
        quote! {
            #[allow(clippy::wrong_self_convention)]
            impl #values_ident<::odoo_runtime::model::ForCreate> {
                #(#create_only_setters)*
            }
        }
    };
    quote! {
        #[doc = #fields_doc]
        pub struct #fields_ident {
            /// `id` (the record id).
            pub id: #field_ty<#marker, ::odoo_runtime::domain::kind::RecordId>,
            #(#handle_decls)*
        }

        impl #st {
            /// The field handles of this model.
            pub const F: #fields_ident = #fields_ident {
                id: #field_ty::new("id"),
                #(#handle_inits)*
            };

            #on_fn
        }

        impl ::odoo_runtime::model::Model for #marker {
            const NAME: &'static str = MODEL;
            const FIELD_NAMES: &'static [&'static str] = FIELD_NAMES;
            type Row = #st;
            type Create = #create_ident;
            type Write = #write_ident;
        }

        #[doc = #values_doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::default::Default, ::std::cmp::PartialEq)]
        pub struct #values_ident<#mode>(
            ::odoo_runtime::model::Values<#marker>,
            ::std::marker::PhantomData<#mode>,
        );

        #[doc = #create_doc]
        pub type #create_ident = #values_ident<::odoo_runtime::model::ForCreate>;

        #[doc = #write_doc]
        pub type #write_ident = #values_ident<::odoo_runtime::model::ForWrite>;

        #[allow(clippy::wrong_self_convention)]
        impl<#mode> #values_ident<#mode> {
            #constructor
            #(#shared_setters)*
        }

        #create_only_impl

        impl<#mode> ::std::convert::From<#values_ident<#mode>> for ::odoo_runtime::model::Values<#marker> {
            fn from(values: #values_ident<#mode>) -> Self {
                values.0
            }
        }

        impl<#mode> ::odoo_runtime::model::CreateValues<#marker> for #values_ident<#mode> {}
        impl ::odoo_runtime::model::WriteValues<#marker> for #write_ident {}
    }
}
