//! Typed method calls (Odoo 19's `/doc-bearer` methods in the schema).
//!
//! When any model has methods, the crate gets `src/methods.rs`, holding:
//! - `Handle<'c, C, M>`: what `X::on(&client)` returns. It derefs to
//!   `odoo_runtime::query::Records` (search, read, create, write... unchanged) and has
//!   `with_context`;
//! - the methods every model shares (`BaseModel`'s and the `base` model's: `copy`, `action_archive`,
//!   `name_create`, `web_read`...), written once, generic over the model, in one inherent impl;
//! - their call builders (`CopyCall<'c, C, M>`).
//!
//! Each model's file adds an inherent impl on `crate::methods::Handle<'c, C, crate::markers::X>`
//! with its own methods (`action_confirm`, `message_post`...) and their builders
//! (`SaleOrderMessagePostCall<'c, C>`), behind the model's feature like the rest of its file.
//!
//! A method is "shared" when every model that has methods has it, with the same description, and
//! it was introduced by `BaseModel` (`core`) or the `base` model (which every model inherits).
//! Per method: record methods take `ids` first, `@api.model` ones do not; required parameters are
//! arguments, optional ones setters of a builder (a method without optional parameters returns the
//! runtime's `TypedCall` itself). Types follow `odoo_codegen::methods::{arg_type, return_type}`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::{ModelCtx, docs, header, ident, render};
use crate::error::Result;
use crate::generate::{OutputFile, Settings};
use crate::methods::{ArgType, Passing, ReturnType, arg_type, return_type};
use crate::names::{self, MethodName};
use crate::schema::{Method, Model, Parameter, ParameterKind, Schema};

/// Introducers whose methods every model inherits.
const UNIVERSAL_INTRODUCERS: [&str; 2] = ["core", "base"];

/// What the whole crate knows about methods (decided once, shared by every model's emission).
#[derive(Debug, Default)]
pub struct MethodsPlan<'a> {
    /// Some model has methods: the crate has `src/methods.rs` and `X::on` returns its `Handle`.
    pub enabled: bool,
    /// The methods every model shares, by name, with their decided identifiers.
    pub shared: BTreeMap<&'a str, (&'a Method, MethodName)>,
    /// The identifiers of the shared methods: a model's own methods never take them.
    pub shared_idents: BTreeSet<String>,
}

impl<'a> MethodsPlan<'a> {
    /// Decides the shared methods of `schema`.
    pub fn new(schema: &'a Schema) -> Self {
        let with_methods: Vec<_> = schema
            .models
            .values()
            .filter(|m| !m.methods.is_empty())
            .collect();
        let Some(first) = with_methods.first() else {
            return MethodsPlan::default();
        };
        let shared: Vec<&'a Method> = first
            .methods
            .values()
            .filter(|m| UNIVERSAL_INTRODUCERS.contains(&m.model.as_str()))
            .filter(|m| {
                with_methods
                    .iter()
                    .all(|other| other.methods.get(&m.name) == Some(*m))
            })
            .collect();
        let idents = names::method_names(shared.iter().map(|m| m.name.as_str()), &BTreeSet::new());
        let shared: BTreeMap<&'a str, (&'a Method, MethodName)> = shared
            .into_iter()
            .filter_map(|m| Some((m.name.as_str(), (m, idents.get(&m.name)?.clone()))))
            .collect();
        let shared_idents = shared.values().map(|(_, n)| n.ident.name.clone()).collect();
        MethodsPlan {
            enabled: true,
            shared,
            shared_idents,
        }
    }

    /// The methods of `model` that are its own (not shared), with their decided identifiers.
    pub fn own_methods<'m>(&self, model: &'m Model) -> Vec<(&'m Method, MethodName)> {
        let own: Vec<&Method> = model
            .methods
            .values()
            .filter(|m| {
                self.shared
                    .get(m.name.as_str())
                    .is_none_or(|(shared, _)| *shared != *m)
            })
            .collect();
        let idents = names::method_names(own.iter().map(|m| m.name.as_str()), &self.shared_idents);
        own.into_iter()
            .filter_map(|m| Some((m, idents.get(&m.name)?.clone())))
            .collect()
    }

    /// The identifier of each method of `model` on its handle (shared and own), by method name.
    pub fn method_idents(&self, model: &Model) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> = self
            .own_methods(model)
            .into_iter()
            .map(|(m, n)| (m.name.clone(), n.ident.to_source()))
            .collect();
        for name in model.methods.keys() {
            if let Some((_, n)) = self.shared.get(name.as_str())
                && !out.contains_key(name)
            {
                out.insert(name.clone(), n.ident.to_source());
            }
        }
        out
    }
}

/// Where emission puts the typed call of one method of a model ([`MethodsPlan::call_items`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallItems {
    /// The call's identifier on the model handle (`action_confirm`, `call_search`).
    pub ident: String,
    /// The path of its call builder marker from the crate root: `sale_order::SaleOrderMessagePostCall`
    /// for a model's own method, `methods::CopyCall` for a shared one.
    pub builder: String,
    /// The identifier of each parameter (argument or setter), by parameter name.
    pub parameters: BTreeMap<String, String>,
}

impl MethodsPlan<'_> {
    /// The items emission gives each method of `model`, whose names are `names`, by method name.
    /// A model's own methods live in its module (`module`), the shared ones in `crate::methods`.
    pub fn call_items(
        &self,
        model: &Model,
        names: &names::ModelName,
    ) -> BTreeMap<String, CallItems> {
        let own = self.own_methods(model);
        // As `methods_rs` decides them: over every shared method.
        let shared: Vec<(&Method, MethodName)> =
            self.shared.values().map(|(m, n)| (*m, n.clone())).collect();
        let mut out = BTreeMap::new();
        for (methods, prefix, module) in [
            (&shared, "", "methods".to_owned()),
            (&own, names.type_name.as_str(), names.module.to_source()),
        ] {
            let builders = builder_names(methods, prefix);
            for (method, name) in methods {
                let Some(builder) = builders.get(&method.name) else {
                    continue;
                };
                // A shared method the model does not have (it has no methods at all).
                if model.methods.get(&method.name) != Some(*method) {
                    continue;
                }
                let parameters =
                    names::parameter_names(method.parameters.iter().map(|p| p.name.as_str()))
                        .into_iter()
                        .map(|(p, n)| (p, n.to_source()))
                        .collect();
                out.insert(
                    method.name.clone(),
                    CallItems {
                        ident: name.ident.to_source(),
                        builder: format!("{module}::{builder}"),
                        parameters,
                    },
                );
            }
        }
        out
    }
}

/// The call builder marker of each method of one namespace (shared, prefix empty, or one model's
/// own, prefixed with its type name), by method name.
fn builder_names(methods: &[(&Method, MethodName)], prefix: &str) -> BTreeMap<String, String> {
    let idents: BTreeMap<String, names::RustName> = methods
        .iter()
        .map(|(m, n)| (m.name.clone(), n.ident.clone()))
        .collect();
    names::call_type_names(prefix, &idents)
}

/// Where a method's code goes: the shared impl (generic `M`) or one model's impl.
struct Target<'t> {
    /// The model type in the method's types: `M` or `crate::markers::X`.
    model: TokenStream,
    /// Their bounds in impls (`, M: Model`).
    bounds: TokenStream,
    /// The technical model name, for docs (`None` in the shared impl).
    model_name: Option<&'t str>,
}

/// Paths used in generated code.
fn rt() -> TokenStream {
    quote!(::odoo_runtime::method)
}

/// The `kind` marker of a parameter type.
fn kind_tokens(arg: ArgType, model: &TokenStream) -> TokenStream {
    let k = quote!(::odoo_runtime::method::kind);
    match arg {
        ArgType::Int => quote!(#k::Int),
        ArgType::Float => quote!(#k::Float),
        ArgType::Str => quote!(#k::Str),
        ArgType::Bool => quote!(#k::Bool),
        ArgType::IntList => quote!(#k::List<#k::Int>),
        ArgType::StrList => quote!(#k::List<#k::Str>),
        ArgType::Domain => quote!(#k::Domain<#model>),
        ArgType::Values => quote!(#k::Values<#model>),
        ArgType::ValuesList => quote!(#k::List<#k::Values<#model>>),
        ArgType::Any => quote!(#k::Any),
    }
}

fn return_tokens(ret: ReturnType) -> TokenStream {
    match ret {
        ReturnType::Bool => quote!(bool),
        ReturnType::Int => quote!(i64),
        ReturnType::Float => quote!(f64),
        ReturnType::Str => quote!(::std::string::String),
        ReturnType::IntList => quote!(::std::vec::Vec<i64>),
        ReturnType::Unit => quote!(()),
        ReturnType::Any => quote!(::odoo_runtime::Value),
    }
}

/// Doc lines written as they are (already sanitised), list items included.
fn raw_doc(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// The rustdoc of a parameter: `` `name` (`int`, default `100`): what it means ``.
fn parameter_line(p: &Parameter) -> String {
    let mut line = parameter_brief(p);
    if let Some(doc) = &p.doc {
        let doc = docs::html_inline(doc);
        if !doc.is_empty() {
            line.push_str(": ");
            line.push_str(&doc);
        }
    }
    line
}

/// A parameter in a few words: `` `name` (`int`, default `100`) ``.
fn parameter_brief(p: &Parameter) -> String {
    let mut facts = Vec::new();
    if let Some(annotation) = &p.annotation {
        facts.push(docs::code(annotation));
    }
    match &p.kind {
        ParameterKind::KeywordOnly => facts.push("keyword only".to_owned()),
        ParameterKind::PositionalOnly => facts.push("positional only".to_owned()),
        ParameterKind::VarPositional => facts.push("`*args`: not sent by typed calls".to_owned()),
        ParameterKind::VarKeyword => facts.push("`**kwargs`: send them with `kwarg`".to_owned()),
        _ => {}
    }
    if let Some(default) = &p.default {
        // As Python writes the scalars (`None`, `False`); anything else as JSON.
        let shown = match default {
            serde_json::Value::Null => "None".to_owned(),
            serde_json::Value::Bool(true) => "True".to_owned(),
            serde_json::Value::Bool(false) => "False".to_owned(),
            other => other.to_string(),
        };
        facts.push(format!("default {}", docs::code(&shown)));
    } else if p.optional {
        facts.push("has a default".to_owned());
    }
    let mut line = docs::code(&p.name);
    if !facts.is_empty() {
        line.push_str(&format!(" ({})", facts.join(", ")));
    }
    line
}

/// The rustdoc of a method's typed call.
fn method_doc(method: &Method, target: &Target<'_>) -> Vec<String> {
    let mut lines = Vec::new();
    let qualified = match target.model_name {
        Some(model) => format!("{model}.{}", method.name),
        None => method.name.clone(),
    };
    let how = if method.api_model {
        "`@api.model`: called on the model, without ids"
    } else {
        "called on the records `ids`"
    };
    lines.push(format!("Odoo method {} ({how}).", docs::code(&qualified)));
    if let Some(doc) = &method.doc {
        let doc = docs::html_paragraphs(doc);
        if !doc.is_empty() {
            lines.push(String::new());
            lines.extend(doc);
        }
    }
    // Options are documented in full on their setters.
    let list = |which: &[Passing], line: fn(&Parameter) -> String| -> Vec<String> {
        method
            .parameters
            .iter()
            .filter(|p| which.contains(&Passing::of(p)))
            .map(|p| format!("- {}", line(p)))
            .collect()
    };
    let sections = [
        (
            "Arguments (the required parameters, in order):",
            list(&[Passing::Named, Passing::Positional], parameter_line),
        ),
        (
            "Options (the optional parameters: a setter each on the call; unset ones keep the server's default):",
            list(&[Passing::Option], parameter_brief),
        ),
        (
            "Not taken by the typed call:",
            list(&[Passing::Skipped], parameter_line),
        ),
    ];
    for (title, items) in sections {
        if !items.is_empty() {
            lines.push(String::new());
            lines.push(title.to_owned());
            lines.push(String::new());
            lines.extend(items);
        }
    }
    let ret = return_type(method.returns.as_deref());
    let mut returns = format!("Answers `{}`", ret.rust());
    if let Some(annotation) = &method.returns {
        returns.push_str(&format!(" (annotation {})", docs::code(annotation)));
    }
    if let Some(doc) = &method.returns_doc {
        let doc = docs::html_inline(doc);
        if !doc.is_empty() {
            returns.push_str(": ");
            returns.push_str(&doc);
        }
    }
    returns.push('.');
    lines.push(String::new());
    lines.push(returns);
    if !method.raises.is_empty() {
        lines.push(String::new());
        lines.push("Raises:".to_owned());
        lines.push(String::new());
        for (exception, doc) in &method.raises {
            let doc = docs::html_inline(doc);
            let name = if exception.is_empty() {
                String::new()
            } else {
                format!("{}: ", docs::code(exception))
            };
            lines.push(format!("- {name}{doc}"));
        }
    }
    lines.push(String::new());
    let mut odoo = format!(
        "Signature {}; introduced by {} in module {}",
        docs::code(&method.signature),
        docs::code(&method.model),
        docs::code(&method.module)
    );
    if method.readonly {
        odoo.push_str("; read-only (`@api.readonly`)");
    }
    odoo.push('.');
    lines.push(odoo);
    lines
}

/// The typed call of one method and, when it has optional parameters, its builder.
fn method_items(
    method: &Method,
    name: &MethodName,
    builder: &str,
    target: &Target<'_>,
) -> (TokenStream, TokenStream) {
    let rt = rt();
    let model = &target.model;
    let fn_ident = name.ident.ident();
    let wire = &method.name;
    let params = names::parameter_names(method.parameters.iter().map(|p| p.name.as_str()));
    let ret = return_tokens(return_type(method.returns.as_deref()));

    let mut args = Vec::new();
    let mut sends = Vec::new();
    let mut setters = Vec::new();
    for p in &method.parameters {
        let Some(pident) = params.get(&p.name) else {
            continue;
        };
        let pident = pident.ident();
        let (arg, nullable) = arg_type(p.annotation.as_deref());
        let pname = &p.name;
        match Passing::of(p) {
            Passing::Named | Passing::Positional => {
                let mut kind = kind_tokens(arg, model);
                if nullable {
                    kind = quote!(#rt::kind::Nullable<#kind>);
                }
                args.push(quote!(#pident: impl #rt::Arg<#kind>));
                sends.push(if Passing::of(p) == Passing::Positional {
                    quote!(.positional::<#kind>(#pident))
                } else {
                    quote!(.named::<#kind>(#pname, #pident))
                });
            }
            Passing::Option => {
                // `None` is what leaving it unset means; a non-`None` default is rarely worth
                // overriding with `None` (`kwarg` can).
                let kind = kind_tokens(arg, model);
                let doc = raw_doc(&[parameter_line(p)]);
                let allow = super::api::BINARY_OPERATOR_METHODS
                    .contains(&params[&p.name].name.as_str())
                    .then(|| quote!(#[allow(clippy::should_implement_trait)]));
                setters.push(quote! {
                    #doc
                    #allow
                    pub fn #pident(self, value: impl #rt::Arg<#kind>) -> Self {
                        crate::methods::Call(self.0.named::<#kind>(#pname, value), ::std::marker::PhantomData)
                    }
                });
            }
            Passing::Skipped => {}
        }
    }
    let ids_arg = (!method.api_model).then(
        || quote!(ids: impl ::std::iter::IntoIterator<Item = ::odoo_runtime::types::Id<#model>>,),
    );
    let start = if method.api_model {
        quote!(#rt::TypedCall::on_model(self, #wire))
    } else {
        quote!(#rt::TypedCall::on_records(self, #wire, ids))
    };
    let doc = raw_doc(&method_doc(method, target));
    let many_args = (args.len() + usize::from(!method.api_model) > 6)
        .then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let marker = ident(builder);
    let call = quote!(crate::methods::Call<'c, C, #model, #ret, #marker>);
    let func = quote! {
        #doc
        #many_args
        pub fn #fn_ident(&self, #ids_arg #(#args),*) -> #call {
            crate::methods::Call(#start #(#sends)*, ::std::marker::PhantomData)
        }
    };
    let bounds = &target.bounds;
    let qualified = match target.model_name {
        Some(m) => format!("{m}.{}", method.name),
        None => method.name.clone(),
    };
    let marker_doc = format!(
        " Marks the call of {} (`crate::methods::Call<.., {marker}>`): its options are setters of that call.",
        docs::code(&qualified)
    );
    let setters_impl = (!setters.is_empty()).then(|| {
        quote! {
            impl<'c, C: ::odoo_runtime::query::Executor #bounds> #call {
                #(#setters)*
            }
        }
    });
    let items = quote! {
        #[doc = #marker_doc]
        #[derive(::std::fmt::Debug)]
        pub enum #marker {}

        #setters_impl
    };
    (func, items)
}

/// The methods of one namespace (shared or one model's) and their builders.
fn methods_of(
    methods: &[(&Method, MethodName)],
    builder_prefix: &str,
    target: &Target<'_>,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let builders = builder_names(methods, builder_prefix);
    let mut funcs = Vec::with_capacity(methods.len());
    let mut items = Vec::new();
    for (method, name) in methods {
        let Some(builder) = builders.get(&method.name) else {
            continue;
        };
        let (func, item) = method_items(method, name, builder, target);
        funcs.push(func);
        items.push(item);
    }
    (funcs, items)
}

/// `src/methods.rs`: the handle and the shared methods.
pub(crate) fn methods_rs(
    schema: &Schema,
    settings: &Settings,
    plan: &MethodsPlan<'_>,
) -> Result<OutputFile> {
    let target = Target {
        model: quote!(M),
        bounds: quote!(, M: ::odoo_runtime::model::Model),
        model_name: None,
    };
    let shared: Vec<(&Method, MethodName)> =
        plan.shared.values().map(|(m, n)| (*m, n.clone())).collect();
    let (funcs, items) = methods_of(&shared, "", &target);
    let module_doc = super::inner_doc_attrs(&[
        "The model handle (`X::on(&client)`) and the methods every model shares, as Odoo's `/doc-bearer` describes them.".to_owned(),
        String::new(),
        "A model's own methods are in its module, on the same handle.".to_owned(),
    ]);
    let tokens = quote! {
        #module_doc

        /// A call of one public method of model `M` answering `R`; `S` marks which method
        /// (`SaleOrderMessagePostCall`, `CopyCall`...), whose options are setters of this type.
        /// Await it (through the client) or `.send().await` it.
        #[must_use = "a call does nothing until it is awaited or sent"]
        pub struct Call<'c, C, M, R, S>(
            pub(crate) ::odoo_runtime::method::TypedCall<'c, C, M, R>,
            pub(crate) ::std::marker::PhantomData<fn() -> S>,
        );

        impl<'c, C, M: ::odoo_runtime::model::Model, R, S> ::std::fmt::Debug for Call<'c, C, M, R, S> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl<'c, C: ::odoo_runtime::query::Executor, M: ::odoo_runtime::model::Model, R: ::serde::de::DeserializeOwned, S> Call<'c, C, M, R, S> {
            /// Sets a keyword argument by name, with any serialisable value (`**kwargs`, or a
            /// value a typed setter does not take).
            pub fn kwarg(self, name: &str, value: impl ::serde::Serialize) -> Self {
                Call(self.0.kwarg(name, value), ::std::marker::PhantomData)
            }

            /// Adds `key: value` to this call's context.
            pub fn with_context(
                self,
                key: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::odoo_runtime::domain::Term>,
            ) -> Self {
                Call(self.0.with_context(key, value), ::std::marker::PhantomData)
            }

            /// The call as it will be sent.
            pub fn as_call(&self) -> &::odoo_runtime::query::Call {
                self.0.as_call()
            }

            /// Sends the call and decodes the answer.
            pub async fn send(self) -> ::odoo_runtime::Result<R> {
                self.0.send().await
            }
        }

        impl<'c, M: ::odoo_runtime::model::Model, R: ::serde::de::DeserializeOwned + ::std::marker::Send + 'c, S> ::std::future::IntoFuture for Call<'c, ::odoo_runtime::client::Client, M, R, S> {
            type Output = ::odoo_runtime::Result<R>;
            type IntoFuture = ::odoo_runtime::method::CallFuture<'c, R>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::future::IntoFuture::into_future(self.0)
            }
        }

        /// The records of model `M` reached through the client `C`, with the model's methods:
        /// what `X::on(&client)` returns. It derefs to [`odoo_runtime::query::Records`] (search,
        /// read, create, write, unlink...).
        pub struct Handle<'c, C, M>(::odoo_runtime::query::Records<'c, C, M>);

        impl<'c, C, M> ::std::clone::Clone for Handle<'c, C, M> {
            fn clone(&self) -> Self {
                Handle(::std::clone::Clone::clone(&self.0))
            }
        }

        impl<'c, C, M: ::odoo_runtime::model::Model> ::std::fmt::Debug for Handle<'c, C, M> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl<'c, C, M> ::std::ops::Deref for Handle<'c, C, M> {
            type Target = ::odoo_runtime::query::Records<'c, C, M>;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl<'c, C: ::odoo_runtime::query::Executor, M: ::odoo_runtime::model::Model> Handle<'c, C, M> {
            /// The records of `M` through `client`.
            pub fn new(client: &'c C) -> Self {
                Handle(::odoo_runtime::query::Records::new(client))
            }

            /// Adds `key: value` to the context of every call made through this handle.
            pub fn with_context(
                self,
                key: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::odoo_runtime::domain::Term>,
            ) -> Self {
                Handle(self.0.with_context(key, value))
            }

            /// The untyped-method view (`method`, `method_on`) and typed helpers of the records.
            pub fn records(&self) -> &::odoo_runtime::query::Records<'c, C, M> {
                &self.0
            }

            #(#funcs)*
        }

        #(#items)*
    };
    render("src/methods.rs", tokens, &header(schema, settings, "//!"))
}

/// A model's own methods: an inherent impl on its handle, and their builders.
pub(crate) fn model_methods(ctx: &ModelCtx<'_>, plan: &MethodsPlan<'_>) -> TokenStream {
    let own = plan.own_methods(ctx.model);
    if own.is_empty() {
        return quote!();
    }
    let marker = &ctx.marker_path;
    let target = Target {
        model: marker.clone(),
        bounds: quote!(),
        model_name: Some(&ctx.model.name),
    };
    let (funcs, items) = methods_of(&own, &ctx.names.type_name, &target);
    let doc = format!(
        " The methods of {} (besides those every model shares, in `crate::methods`).",
        docs::code(&ctx.model.name)
    );
    quote! {
        #[doc = #doc]
        impl<'c, C: ::odoo_runtime::query::Executor> crate::methods::Handle<'c, C, #marker> {
            #(#funcs)*
        }

        #(#items)*
    }
}
