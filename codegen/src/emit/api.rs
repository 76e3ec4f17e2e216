//! Extension point for the typed API (issue 5): items added to each model's file.
//!
//! [`model_api`] is called once per model by [`super::emit_model`]; whatever it returns is placed in the
//! model's module, after the read struct, the selection enums and the constants. See [`ModelCtx`] for what
//! is known about the model (resolved identifiers, Rust types, relation targets, settings).

use super::ModelCtx;

/// Typed-API items for one model (domain handles, create/write values...). Empty for now.
pub(crate) fn model_api(ctx: &ModelCtx<'_>) -> proc_macro2::TokenStream {
    let _ = ctx;
    proc_macro2::TokenStream::new()
}
