//! Typed calls of a model's public methods, as generated from Odoo 19's `/doc-bearer`.
//!
//! ```text
//! SaleOrder::on(&client).action_confirm([id]).await?;             // record method: ids first
//! SaleOrder::on(&client).message_post([id]).body("Done").await?;   // optional parameters: options
//! ResPartner::on(&client).name_create("Acme").await?;             // `@api.model`: no ids
//! ```
//!
//! A generated method returns a [`TypedCall`] (or a generated builder wrapping one, with one
//! setter per optional parameter). Required parameters are arguments, typed by their annotation
//! through [`Arg`] and the kinds of [`kind`]; anything the generator could not map safely takes
//! [`kind::Any`] (any serialisable value). [`Dynamic`] passes any value where a typed one is
//! expected (a parameter whose annotation is narrower than what the method accepts).
//!
//! On the wire the call is an `execute_kw`: record ids are the one positional argument (none for
//! `@api.model` methods), every parameter goes by name in `kwargs` (positional-only ones, which
//! Odoo's public methods do not have, go positionally after the ids). XML-RPC and JSON-RPC send it
//! as such; JSON-2 sends `ids` and the named parameters in its body (`crate::json2`), so the same
//! call works on every transport.
//!
//! A `TypedCall` through the [`Client`](crate::client::Client) is awaited directly (its future is
//! `Send`); through another [`Executor`], run it with [`TypedCall::send`].

use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::Term;
use crate::model::{CreateValues, Model};
use crate::query::{Call, Executor, Records};
use crate::types::Id;
use crate::{Error, Result};

/// The kinds of parameter a typed call takes (markers for [`Arg`]).
pub mod kind {
    use std::marker::PhantomData;

    /// `int`.
    #[derive(Debug)]
    pub enum Int {}
    /// `float`.
    #[derive(Debug)]
    pub enum Float {}
    /// `str`.
    #[derive(Debug)]
    pub enum Str {}
    /// `bool`.
    #[derive(Debug)]
    pub enum Bool {}
    /// Anything serialisable: parameters without an annotation the generator maps.
    #[derive(Debug)]
    pub enum Any {}
    /// A list of `K` (`list[int]`, `Sequence[str]`...).
    #[derive(Debug)]
    pub struct List<K>(PhantomData<fn() -> K>);
    /// `K` or `None` (a required parameter annotated `X | None`): `Some(value)` or `None`.
    #[derive(Debug)]
    pub struct Nullable<K>(PhantomData<fn() -> K>);
    /// `DomainType`: a domain on the model `M`.
    #[derive(Debug)]
    pub struct Domain<M>(PhantomData<fn() -> M>);
    /// `ValuesType`: field values of the model `M` (its create or write values).
    #[derive(Debug)]
    pub struct Values<M>(PhantomData<fn() -> M>);
}

/// A value a method parameter of kind `K` accepts.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value for a method parameter of kind `{K}`",
    label = "wrong argument type for this parameter",
    note = "method parameters take the type their Odoo annotation names: an integer for `int`, text for `str`, the model's `Domain` for `DomainType`, its create or write values for `ValuesType`; `odoo_runtime::method::Dynamic(value)` passes any value"
)]
pub trait Arg<K> {
    /// The value as sent. An error says why it cannot be sent.
    fn into_term(self) -> std::result::Result<Term, String>;
}

macro_rules! ints {
    ($($t:ty),*) => {$(
        impl Arg<kind::Int> for $t {
            fn into_term(self) -> std::result::Result<Term, String> {
                Ok(Term::Int(i64::from(self)))
            }
        }
    )*};
}
ints!(i64, i32, i16, i8, u32, u16, u8);

/// A record id is an integer for a parameter annotated `int` (`author_id`, `partner_id`...).
impl<T> Arg<kind::Int> for Id<T> {
    fn into_term(self) -> std::result::Result<Term, String> {
        Ok(Term::Int(self.get()))
    }
}

macro_rules! floats {
    ($($t:ty),*) => {$(
        impl Arg<kind::Float> for $t {
            fn into_term(self) -> std::result::Result<Term, String> {
                Ok(Term::Float(f64::from(self)))
            }
        }
    )*};
}
floats!(f64, f32, i32);

impl Arg<kind::Str> for &str {
    fn into_term(self) -> std::result::Result<Term, String> {
        Ok(Term::Str(self.to_owned()))
    }
}

impl Arg<kind::Str> for String {
    fn into_term(self) -> std::result::Result<Term, String> {
        Ok(Term::Str(self))
    }
}

impl Arg<kind::Str> for &String {
    fn into_term(self) -> std::result::Result<Term, String> {
        Ok(Term::Str(self.clone()))
    }
}

impl Arg<kind::Str> for Cow<'_, str> {
    fn into_term(self) -> std::result::Result<Term, String> {
        Ok(Term::Str(self.into_owned()))
    }
}

impl Arg<kind::Bool> for bool {
    fn into_term(self) -> std::result::Result<Term, String> {
        Ok(Term::Bool(self))
    }
}

impl<T: Serialize> Arg<kind::Any> for T {
    fn into_term(self) -> std::result::Result<Term, String> {
        serde_json::to_value(self)
            .map(Term::Json)
            .map_err(|e| e.to_string())
    }
}

fn list<K, T: Arg<K>>(items: impl IntoIterator<Item = T>) -> std::result::Result<Term, String> {
    items
        .into_iter()
        .map(Arg::into_term)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map(Term::List)
}

impl<K, T: Arg<K>> Arg<kind::List<K>> for Vec<T> {
    fn into_term(self) -> std::result::Result<Term, String> {
        list(self)
    }
}

impl<K, T: Arg<K>, const N: usize> Arg<kind::List<K>> for [T; N] {
    fn into_term(self) -> std::result::Result<Term, String> {
        list(self)
    }
}

impl<K, T: Arg<K> + Clone> Arg<kind::List<K>> for &[T] {
    fn into_term(self) -> std::result::Result<Term, String> {
        list(self.iter().cloned())
    }
}

impl<K, T: Arg<K>> Arg<kind::Nullable<K>> for Option<T> {
    fn into_term(self) -> std::result::Result<Term, String> {
        match self {
            Some(value) => value.into_term(),
            None => Ok(Term::Json(serde_json::Value::Null)),
        }
    }
}

impl<M> Arg<kind::Domain<M>> for crate::domain::Domain<M> {
    fn into_term(self) -> std::result::Result<Term, String> {
        Ok(Term::Domain(Box::new(self.node().clone())))
    }
}

/// Create and write values alike (both are `ValuesType` to Odoo).
impl<M, V: CreateValues<M>> Arg<kind::Values<M>> for V {
    fn into_term(self) -> std::result::Result<Term, String> {
        Ok(self.into().into_term())
    }
}

/// Any serialisable value, passed where a typed one is expected: for a parameter that accepts
/// more than its annotation says (`False` for "none", a record given as an id...). Not for values
/// parameters: use [`crate::model::Values::set_unchecked`] there.
#[derive(Debug, Clone, PartialEq)]
pub struct Dynamic<T>(pub T);

impl<T: Serialize> Serialize for Dynamic<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

macro_rules! dynamic {
    ($($k:ty),* ; $($g:ident),*) => {
        $(impl<T: Serialize> Arg<$k> for Dynamic<T> {
            fn into_term(self) -> std::result::Result<Term, String> {
                <T as Arg<kind::Any>>::into_term(self.0)
            }
        })*
        $(impl<T: Serialize, $g> Arg<kind::List<$g>> for Dynamic<T> {
            fn into_term(self) -> std::result::Result<Term, String> {
                <T as Arg<kind::Any>>::into_term(self.0)
            }
        }
        impl<T: Serialize, $g> Arg<kind::Nullable<$g>> for Dynamic<T> {
            fn into_term(self) -> std::result::Result<Term, String> {
                <T as Arg<kind::Any>>::into_term(self.0)
            }
        }
        impl<T: Serialize, $g> Arg<kind::Domain<$g>> for Dynamic<T> {
            fn into_term(self) -> std::result::Result<Term, String> {
                <T as Arg<kind::Any>>::into_term(self.0)
            }
        })*
    };
}
dynamic!(kind::Int, kind::Float, kind::Str, kind::Bool; K);

/// XML-RPC's fault for a result holding `None` (Odoo marshals with `allow_none=False`, after the
/// method committed).
fn is_unmarshallable_none(e: &crate::error::ServerError) -> bool {
    e.class == "TypeError"
        && e.message
            .starts_with("cannot marshal None unless allow_none is enabled")
}

/// The future of a [`TypedCall`] through the [`Client`](crate::client::Client).
pub type CallFuture<'c, R> = Pin<Box<dyn Future<Output = Result<R>> + Send + 'c>>;

/// A call of one public method of model `M`, answering `R`: add options, then await it (through
/// the client) or [`TypedCall::send`] it.
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct TypedCall<'c, C, M, R> {
    records: Records<'c, C, M>,
    call: Call,
    error: Option<String>,
    _returns: PhantomData<fn() -> R>,
}

impl<C, M: Model, R> fmt::Debug for TypedCall<'_, C, M, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedCall")
            .field("call", &self.call)
            .finish_non_exhaustive()
    }
}

impl<'c, C: Executor, M: Model, R: DeserializeOwned> TypedCall<'c, C, M, R> {
    /// A call of the `@api.model` method `method` (no ids). Used by generated code.
    pub fn on_model(records: &Records<'c, C, M>, method: &'static str) -> Self {
        TypedCall {
            call: records.call(method, Vec::new()),
            records: records.clone(),
            error: None,
            _returns: PhantomData,
        }
    }

    /// A call of the record method `method` on `ids`. Used by generated code.
    pub fn on_records(
        records: &Records<'c, C, M>,
        method: &'static str,
        ids: impl IntoIterator<Item = Id<M>>,
    ) -> Self {
        let ids = Term::List(ids.into_iter().map(|id| Term::Int(id.get())).collect());
        TypedCall {
            call: records.call(method, vec![ids]),
            records: records.clone(),
            error: None,
            _returns: PhantomData,
        }
    }

    fn fail(&mut self, what: &str, why: String) {
        if self.error.is_none() {
            self.error = Some(format!("{} of {}: {why}", what, self.call.name()));
        }
    }

    /// Appends a positional argument (after the ids). Used by generated code for positional-only
    /// parameters.
    pub fn positional<K>(mut self, value: impl Arg<K>) -> Self {
        match value.into_term() {
            Ok(term) => self.call.args.push(term),
            Err(why) => {
                let what = format!("argument {}", self.call.args.len());
                self.fail(&what, why);
            }
        }
        self
    }

    /// Sets the parameter `name` (a keyword argument). Used by generated code.
    pub fn named<K>(mut self, name: &'static str, value: impl Arg<K>) -> Self {
        match value.into_term() {
            Ok(term) => self.call.put_kwarg(name, term),
            Err(why) => self.fail(&format!("parameter `{name}`"), why),
        }
        self
    }

    /// Sets a keyword argument the signature does not name (a method taking `**kwargs`), or
    /// overrides a typed one with any serialisable value.
    pub fn kwarg(mut self, name: &str, value: impl Serialize) -> Self {
        match <_ as Arg<kind::Any>>::into_term(value) {
            Ok(term) => self.call.put_kwarg(name, term),
            Err(why) => self.fail(&format!("keyword argument `{name}`"), why),
        }
        self
    }

    /// Adds `key: value` to this call's context (over the handle's `with_context`).
    pub fn with_context(mut self, key: impl Into<String>, value: impl Into<Term>) -> Self {
        let key = key.into();
        let value = value.into();
        let mut context = match self
            .call
            .kwargs
            .iter()
            .find(|(n, _)| n == "context")
            .map(|(_, v)| v.clone())
        {
            Some(Term::Map(entries)) => entries,
            _ => Vec::new(),
        };
        match context.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => context.push((key, value)),
        }
        self.call.put_kwarg("context", Term::Map(context));
        self
    }

    /// The call as it will be sent.
    pub fn as_call(&self) -> &Call {
        &self.call
    }

    /// Sends the call and decodes the answer.
    ///
    /// Over XML-RPC a method that returns `None` cannot answer: Odoo runs and commits it, then
    /// fails to marshal the result (fault 1, `TypeError: cannot marshal None unless allow_none is
    /// enabled`). That fault is read as the answer `None` when `R` takes one (`()`,
    /// [`Value`](crate::Value), `Option`): the method did run. (A result holding a `None` deeper
    /// inside faults the same way and is lost: JSON-RPC and JSON-2 carry it.)
    pub async fn send(self) -> Result<R> {
        if let Some(message) = self.error {
            return Err(Error::Encode(message));
        }
        match self.records.run(self.call).await {
            Err(Error::Server(e)) if is_unmarshallable_none(&e) => {
                R::deserialize(serde_json::Value::Null).map_err(|_| Error::Server(e))
            }
            other => other,
        }
    }
}

impl<'c, M: Model, R: DeserializeOwned + Send + 'c> IntoFuture
    for TypedCall<'c, crate::client::Client, M, R>
{
    type Output = Result<R>;
    type IntoFuture = CallFuture<'c, R>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
