//! What generated models implement, and the values they send.
//!
//! A generated model is a marker type (the `M` of [`Id<M>`]) implementing [`Model`], and a read struct
//! (the row) with:
//! - an inherent constant `F` holding its field handles ([`Field<M, K>`](crate::domain::Field)) for
//!   domains and field selection;
//! - a values type `<Model>Values<Mode>` wrapping [`Values<M>`], with one setter per field that may
//!   be sent: `<Model>Create` (= `<Model>Values<ForCreate>`) has writable fields and stored readonly
//!   fields, `<Model>Write` (= `<Model>Values<ForWrite>`) writable fields only. Unset fields are not
//!   sent, [`False`] clears a field. Values read back from a row ([`OrFalse`], [`Many2one`]) can be
//!   set as they are: see [`SetValue`].
//!
//! Calls go through [`Records`](crate::query::Records) (`ResPartner::on(&client)`).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::command::Command;
use crate::domain::{Field, OwnField, Term, kind};
use crate::types::{Binary, Date, DateTime, Id, Many2one, OrFalse, Selection};

/// Odoo's `False`: "no value". As a domain operand it means "is empty"; in create/write values it
/// clears the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct False;

/// The mode of generated `<Model>Values<Mode>` for `create`: `<Model>Create` is
/// `<Model>Values<ForCreate>`, with setters for writable fields and for stored readonly fields
/// (which Odoo accepts at creation only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ForCreate;

/// The mode of generated `<Model>Values<Mode>` for `write`: `<Model>Write` is
/// `<Model>Values<ForWrite>`, with setters for writable fields only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ForWrite;

/// A model of the bindings. Generated code implements it on each model's marker type.
pub trait Model: Sized + 'static {
    /// Technical name, e.g. `res.partner`.
    const NAME: &'static str;
    /// Every field the bindings know, in the order of the read struct.
    const FIELD_NAMES: &'static [&'static str];
    /// The row decoded by `read` and `search_read` (the generated read struct).
    type Row: DeserializeOwned;
    /// The values `create` takes (`<Model>Create`): writable fields, plus stored readonly fields that
    /// Odoo only lets a record be created with (such as `ir.model.state`).
    type Create: CreateValues<Self>;
    /// The values `write` takes (`<Model>Write`): writable fields only.
    type Write: WriteValues<Self>;
}

/// Values a record of `M` can be created with.
#[diagnostic::on_unimplemented(
    message = "`{Self}` are not create values of this model",
    label = "expected the create values of the model",
    note = "`create` and x2many `Command::create` take the `<Model>Create` (or `<Model>Write`) values of their own model"
)]
pub trait CreateValues<M>: Into<Values<M>> {}

/// Values records of `M` can be written with: only writable fields.
#[diagnostic::on_unimplemented(
    message = "`{Self}` are not write values of this model",
    label = "expected the write values of the model",
    note = "`write` and x2many `Command::update` take the `<Model>Write` values of their own model, which have setters for writable fields only"
)]
pub trait WriteValues<M>: Into<Values<M>> {}

/// Untyped values (set with [`Values::set_unchecked`]) are accepted everywhere, unchecked.
impl<M> CreateValues<M> for Values<M> {}
impl<M> WriteValues<M> for Values<M> {}

/// A Rust value that can be written to a field of kind `K` (`create`, `write`, x2many `CREATE`).
///
/// Besides the field's Rust type, the values of a read row are accepted as they are, so that a row
/// can be written back: [`Many2one<T>`] (its id is sent), and [`OrFalse<T>`] of any such value:
/// `Value(v)` sends `v`, `Empty` sends `false` (clears the field, as [`False`] and `None` do), and
/// `NotFetched` sends nothing: the setter leaves the values as they were (the field is not sent
/// unless set before). A field the read did not fetch says nothing about the record, so writing it
/// back must not clear it; which state a row's field is in is only known at run time, so this
/// cannot be a compile error, and leaving the field out is the only answer that never changes the
/// record by accident. (Check [`OrFalse::is_not_fetched`] first to treat it as a mistake.)
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written to a field of kind `{K}`",
    label = "wrong value type for this field",
    note = "values have the field's Rust type: a selection takes its enum, a many2one an `Id` (or a read `Many2one`) of its target, an x2many a list of `Command`s on its target, `False` clears"
)]
pub trait SetValue<K> {
    /// The wire form of the value; `None` leaves the field out (only a not-fetched [`OrFalse`]).
    fn into_set_term(self) -> Option<Term>;
}

impl<K, T: SetValue<K>> SetValue<K> for Option<T>
where
    False: SetValue<K>,
{
    fn into_set_term(self) -> Option<Term> {
        match self {
            Some(v) => v.into_set_term(),
            None => Some(Term::False),
        }
    }
}

/// `Value(v)` → `v`, `Empty` → `false` (clears), `NotFetched` → left out (see [`SetValue`]).
impl<K, T: SetValue<K>> SetValue<K> for OrFalse<T>
where
    False: SetValue<K>,
{
    fn into_set_term(self) -> Option<Term> {
        match self {
            OrFalse::Value(v) => v.into_set_term(),
            OrFalse::Empty => Some(Term::False),
            OrFalse::NotFetched => None,
        }
    }
}

/// As [`OrFalse<T>`], through the value's reference (`&OrFalse<String>` sets a char field).
impl<'a, K, T> SetValue<K> for &'a OrFalse<T>
where
    &'a T: SetValue<K>,
    False: SetValue<K>,
{
    fn into_set_term(self) -> Option<Term> {
        self.as_ref().into_set_term()
    }
}

/// A many2one read from a row: its id is sent (the display name is not).
impl<T> SetValue<kind::Many2one<T>> for Many2one<T> {
    fn into_set_term(self) -> Option<Term> {
        Some(Term::Int(self.id.get()))
    }
}

/// A many2one read from a row: its id is sent (the display name is not).
impl<T> SetValue<kind::Many2one<T>> for &Many2one<T> {
    fn into_set_term(self) -> Option<Term> {
        Some(Term::Int(self.id.get()))
    }
}

macro_rules! clearable {
    ($(impl[$($g:ident),*] $kind:ty),*) => {$(
        impl<$($g),*> SetValue<$kind> for False {
            fn into_set_term(self) -> Option<Term> {
                Some(Term::False)
            }
        }
    )*};
}

clearable!(
    impl[] kind::Boolean,
    impl[] kind::Char,
    impl[] kind::Integer,
    impl[] kind::Float,
    impl[] kind::Date,
    impl[] kind::DateTime,
    impl[E] kind::Selection<E>,
    impl[T] kind::Many2one<T>,
    impl[] kind::Binary,
    impl[] kind::Reference,
    impl[] kind::Many2oneReference,
    impl[] kind::Json
);

macro_rules! set_via {
    ($($kind:ty => $($t:ty),* : |$v:ident| $e:expr);* $(;)?) => {$($(
        impl SetValue<$kind> for $t {
            #[allow(clippy::useless_conversion)]
            fn into_set_term(self) -> Option<Term> {
                let $v = self;
                Some($e)
            }
        }
    )*)*};
}

set_via!(
    kind::Boolean => bool: |v| Term::Bool(v);
    kind::Char => &str, &String: |v| Term::Str(v.to_owned());
    kind::Char => String: |v| Term::Str(v);
    kind::Integer => i64, i32, u32, i16, u16, i8, u8: |v| Term::Int(i64::from(v));
    kind::Many2oneReference => i64, i32, u32: |v| Term::Int(i64::from(v));
    kind::Float => f64, f32, i32: |v| Term::Float(f64::from(v));
    kind::Date => Date, &Date: |v| Term::Str(v.as_str().to_owned());
    kind::DateTime => DateTime, &DateTime: |v| Term::Str(v.as_str().to_owned());
    kind::Binary => Binary, &Binary: |v| Term::Str(v.as_str().to_owned());
    kind::Json => serde_json::Value: |v| Term::Json(v);
);

impl<E: Selection> SetValue<kind::Selection<E>> for E {
    fn into_set_term(self) -> Option<Term> {
        Some(Term::Str(self.key().to_owned()))
    }
}

impl<E: Selection> SetValue<kind::Selection<E>> for &E {
    fn into_set_term(self) -> Option<Term> {
        Some(Term::Str(self.key().to_owned()))
    }
}

impl<T> SetValue<kind::Many2one<T>> for Id<T> {
    fn into_set_term(self) -> Option<Term> {
        Some(Term::Int(self.get()))
    }
}

/// A reference field takes a typed id and sends `"model,id"`.
impl<T: Model> SetValue<kind::Reference> for Id<T> {
    fn into_set_term(self) -> Option<Term> {
        Some(Term::Str(format!("{},{}", T::NAME, self.get())))
    }
}

macro_rules! x2many_values {
    ($($kind:ident),*) => {$(
        impl<T> SetValue<kind::$kind<T>> for Vec<Command<T>> {
            fn into_set_term(self) -> Option<Term> {
                Some(Term::List(self.into_iter().map(Command::into_term).collect()))
            }
        }
        impl<T, const N: usize> SetValue<kind::$kind<T>> for [Command<T>; N] {
            fn into_set_term(self) -> Option<Term> {
                Some(Term::List(self.into_iter().map(Command::into_term).collect()))
            }
        }
        impl<T> SetValue<kind::$kind<T>> for Command<T> {
            fn into_set_term(self) -> Option<Term> {
                Some(Term::List(vec![Command::into_term(self)]))
            }
        }
    )*};
}

x2many_values!(One2many, Many2many);

/// Field values of one record of `M` for `create` and `write`, in insertion order.
///
/// Generated `<Model>Values` types wrap it with one typed setter per writable field. Setting a field
/// twice keeps its first position and the last value.
pub struct Values<M> {
    members: Vec<(Cow<'static, str>, Term)>,
    _model: PhantomData<fn() -> M>,
}

impl<M> Values<M> {
    /// No field set.
    pub fn new() -> Self {
        Values {
            members: Vec::new(),
            _model: PhantomData,
        }
    }

    /// Sets the field `name` of kind `K` (generated setters call this). A value that sends nothing
    /// (a not-fetched [`OrFalse`], see [`SetValue`]) leaves the values as they were.
    pub fn set<K, V: SetValue<K>>(self, name: &'static str, value: V) -> Self {
        match value.into_set_term() {
            Some(term) => self.put(Cow::Borrowed(name), term),
            None => self,
        }
    }

    /// Sets a field the bindings do not know (added after generation), sent as given.
    pub fn set_unchecked(self, name: impl Into<String>, value: Term) -> Self {
        self.put(Cow::Owned(name.into()), value)
    }

    fn put(mut self, name: Cow<'static, str>, value: Term) -> Self {
        match self.members.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.members.push((name, value)),
        }
        self
    }

    /// The value set for `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Term> {
        self.members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Names of the fields set, in insertion order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(n, _)| n.as_ref())
    }

    /// Number of fields set.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// No field set.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The values as a struct term.
    pub fn into_term(self) -> Term {
        Term::Map(
            self.members
                .into_iter()
                .map(|(n, v)| (n.into_owned(), v))
                .collect(),
        )
    }
}

impl<M> Default for Values<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M> Clone for Values<M> {
    fn clone(&self) -> Self {
        Values {
            members: self.members.clone(),
            _model: PhantomData,
        }
    }
}

impl<M> PartialEq for Values<M> {
    fn eq(&self, other: &Self) -> bool {
        self.members == other.members
    }
}

impl<M> fmt::Debug for Values<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.members.iter().map(|(n, v)| (n, v)))
            .finish()
    }
}

impl<M> Serialize for Values<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.members.len()))?;
        for (name, value) in &self.members {
            map.serialize_entry(name.as_ref(), value)?;
        }
        map.end()
    }
}

/// Which fields `read` / `search_read` fetch: all of them, or a typed list of fields of `M`.
///
/// Only fields of `M` itself: a path through a relation (`parent_id.then(..)`) is refused at compile
/// time ([`OwnField`]), as Odoo answers it with `Invalid field`.
pub struct Fields<M> {
    names: Option<Vec<Cow<'static, str>>>,
    _model: PhantomData<fn() -> M>,
}

impl<M> Fields<M> {
    /// Every field (no field list is sent; Odoo returns every readable field).
    pub fn all() -> Self {
        Fields {
            names: None,
            _model: PhantomData,
        }
    }

    /// An empty list, to fill with [`Fields::with`]. Left empty, it is sent as `["id"]` (Odoo answers
    /// `{"id": ..}` only): Odoo's `read` takes an empty list for "every field".
    pub fn none() -> Self {
        Fields {
            names: Some(Vec::new()),
            _model: PhantomData,
        }
    }

    /// The list plus `field`, a field of `M` itself (not a path: [`OwnField`]).
    pub fn with<K, P: OwnField>(mut self, field: &Field<M, K, P>) -> Self {
        let name = Cow::Owned(field.name().to_owned());
        match &mut self.names {
            Some(names) => names.push(name),
            None => self.names = Some(vec![name]),
        }
        self
    }

    /// The names to send, `None` for all fields; `["id"]` for an empty list (which Odoo would take
    /// for every field).
    pub fn names(&self) -> Option<Vec<&str>> {
        self.names.as_ref().map(|n| {
            if n.is_empty() {
                vec!["id"]
            } else {
                n.iter().map(|s| s.as_ref()).collect()
            }
        })
    }

    pub(crate) fn term(&self) -> Option<Term> {
        self.names()
            .map(|n| Term::List(n.into_iter().map(|s| Term::Str(s.to_owned())).collect()))
    }
}

impl<M> Default for Fields<M> {
    fn default() -> Self {
        Self::all()
    }
}

impl<M> Clone for Fields<M> {
    fn clone(&self) -> Self {
        Fields {
            names: self.names.clone(),
            _model: PhantomData,
        }
    }
}

impl<M> fmt::Debug for Fields<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.names {
            None => f.write_str("Fields(all)"),
            Some(names) => f.debug_tuple("Fields").field(names).finish(),
        }
    }
}

impl<M, K, P: OwnField> From<&Field<M, K, P>> for Fields<M> {
    fn from(field: &Field<M, K, P>) -> Self {
        Fields::none().with(field)
    }
}
