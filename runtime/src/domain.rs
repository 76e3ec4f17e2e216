//! Typed search domains.
//!
//! Generated code gives every model a set of field handles, [`Field<M, K>`], where `M` is the model and
//! `K` a [`kind`] marker naming the Odoo field type. Each kind has only the operators Odoo accepts for
//! that type, and each operator takes values of the field's Rust type ([`Operand`]): a selection field
//! takes its enum, a many2one an [`Id`] of its target. Leaves combine with `&`, `|` and `!` into a
//! [`Domain<M>`], which serialises to Odoo's prefix list form:
//!
//! ```text
//! a & b        → [a, b]                   (implicit AND at the top level)
//! a | b        → ["|", a, b]
//! !a           → ["!", a]
//! (a | b) & c  → ["|", a, b, c]
//! a & (b | c)  → [a, "|", b, c]
//! a | (b & c)  → ["|", a, "&", b, c]
//! ```
//!
//! Paths through relations keep the type of the last field: `partner.country_id.then(country.code)` is a
//! `Field<Partner, Char, Related>` named `country_id.code`. It builds domain leaves like any field,
//! but it is not a field of `Partner`: where Odoo wants a field of the model itself (the field list
//! of `read`, the group-by and aggregates of `read_group`, the values of `create`/`write`) only a
//! [`Direct`] field is accepted ([`OwnField`]).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use crate::model::False;
use crate::types::{Date, DateTime, Id, Selection};

/// Marker types naming the Odoo field type of a [`Field`]. They only exist at the type level.
pub mod kind {
    use std::marker::PhantomData;

    /// `boolean`.
    #[derive(Debug, Clone, Copy)]
    pub struct Boolean;
    /// `char`, `text` and `html`.
    #[derive(Debug, Clone, Copy)]
    pub struct Char;
    /// `integer`.
    #[derive(Debug, Clone, Copy)]
    pub struct Integer;
    /// `float` and `monetary`.
    #[derive(Debug, Clone, Copy)]
    pub struct Float;
    /// `date`.
    #[derive(Debug, Clone, Copy)]
    pub struct Date;
    /// `datetime`.
    #[derive(Debug, Clone, Copy)]
    pub struct DateTime;
    /// `selection` whose values are the generated enum `E`.
    pub struct Selection<E>(PhantomData<fn() -> E>);
    /// `many2one` to the model `T`.
    pub struct Many2one<T>(PhantomData<fn() -> T>);
    /// `one2many` to the model `T`.
    pub struct One2many<T>(PhantomData<fn() -> T>);
    /// `many2many` to the model `T`.
    pub struct Many2many<T>(PhantomData<fn() -> T>);
    /// The `id` field of a model: compared with ids of that model.
    #[derive(Debug, Clone, Copy)]
    pub struct RecordId;
    /// `binary` (and images): only "is set" / "is empty" can be searched.
    #[derive(Debug, Clone, Copy)]
    pub struct Binary;
    /// `reference` (`"model,id"`).
    #[derive(Debug, Clone, Copy)]
    pub struct Reference;
    /// `many2one_reference`: an integer id whose model is held by another field.
    #[derive(Debug, Clone, Copy)]
    pub struct Many2oneReference;
    /// `json`, `properties`, `properties_definition` and types this generator does not know.
    #[derive(Debug, Clone, Copy)]
    pub struct Json;
}

/// A value Odoo receives: the leaves of domains, and the values of create/write calls.
///
/// Serialises to the plain shapes both transports use (`false`, numbers, strings, arrays, structs).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Term {
    /// `false`: "no value" for every type but boolean.
    False,
    /// A boolean.
    Bool(bool),
    /// An integer or record id.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string: char, text, html, date, datetime, selection key, reference, binary (base64).
    Str(String),
    /// An array.
    List(Vec<Term>),
    /// A struct, members in insertion order.
    Map(Vec<(String, Term)>),
    /// A nested domain (`any`, `not any`).
    Domain(Box<Node>),
    /// Anything serialisable as JSON (json/properties fields).
    Json(serde_json::Value),
}

impl Serialize for Term {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Term::False => serializer.serialize_bool(false),
            Term::Bool(b) => serializer.serialize_bool(*b),
            Term::Int(i) => serializer.serialize_i64(*i),
            // JSON has no NaN or infinity (serde_json would send `null`, which Odoo stores as 0.0 or
            // false), and no Odoo float or monetary field means to hold one: refuse, on every
            // transport, rather than change the value on the way.
            Term::Float(f) if !f.is_finite() => Err(serde::ser::Error::custom(format!(
                "the float {f} cannot be sent: Odoo values must be finite numbers"
            ))),
            Term::Float(f) => serializer.serialize_f64(*f),
            Term::Str(s) => serializer.serialize_str(s),
            Term::List(items) => serializer.collect_seq(items),
            Term::Map(members) => {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Term::Domain(node) => TopLevel(node).serialize(serializer),
            Term::Json(v) => v.serialize(serializer),
        }
    }
}

macro_rules! term_from {
    ($($t:ty => |$v:ident| $e:expr);* $(;)?) => {$(
        impl From<$t> for Term {
            fn from($v: $t) -> Term {
                $e
            }
        }
    )*};
}

term_from!(
    bool => |v| Term::Bool(v);
    i64 => |v| Term::Int(v);
    i32 => |v| Term::Int(i64::from(v));
    u32 => |v| Term::Int(i64::from(v));
    f64 => |v| Term::Float(v);
    &str => |v| Term::Str(v.to_owned());
    String => |v| Term::Str(v);
    Vec<Term> => |v| Term::List(v);
    serde_json::Value => |v| Term::Json(v);
    False => |_v| Term::False;
);

/// A Rust value usable as the operand of a domain leaf on a field of kind `K`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value for a field of kind `{K}`",
    label = "wrong value type for this field",
    note = "domain values have the field's Rust type: a selection takes its enum, a many2one an `Id` of its target, any field `False` for \"empty\""
)]
pub trait Operand<K> {
    /// The wire form of the value.
    fn into_term(self) -> Term;
}

impl<K> Operand<K> for False {
    fn into_term(self) -> Term {
        Term::False
    }
}

impl Operand<kind::Boolean> for bool {
    fn into_term(self) -> Term {
        Term::Bool(self)
    }
}

impl Operand<kind::Char> for &str {
    fn into_term(self) -> Term {
        Term::Str(self.to_owned())
    }
}
impl Operand<kind::Char> for String {
    fn into_term(self) -> Term {
        Term::Str(self)
    }
}
impl Operand<kind::Char> for &String {
    fn into_term(self) -> Term {
        Term::Str(self.clone())
    }
}

macro_rules! int_operands {
    ($($kind:ty => $($t:ty),*);*) => {$($(
        impl Operand<$kind> for $t {
            #[allow(clippy::useless_conversion)]
            fn into_term(self) -> Term {
                Term::Int(i64::from(self))
            }
        }
    )*)*};
}
int_operands!(kind::Integer => i64, i32, u32, i16, u16, i8, u8; kind::Many2oneReference => i64, i32, u32);

impl Operand<kind::Float> for f64 {
    fn into_term(self) -> Term {
        Term::Float(self)
    }
}
impl Operand<kind::Float> for f32 {
    fn into_term(self) -> Term {
        Term::Float(f64::from(self))
    }
}
impl Operand<kind::Float> for i32 {
    fn into_term(self) -> Term {
        Term::Float(f64::from(self))
    }
}

impl Operand<kind::Date> for Date {
    fn into_term(self) -> Term {
        Term::Str(self.to_string())
    }
}
impl Operand<kind::Date> for &Date {
    fn into_term(self) -> Term {
        Term::Str(self.to_string())
    }
}
impl Operand<kind::DateTime> for DateTime {
    fn into_term(self) -> Term {
        Term::Str(self.to_string())
    }
}
impl Operand<kind::DateTime> for &DateTime {
    fn into_term(self) -> Term {
        Term::Str(self.to_string())
    }
}
/// A date compared with a datetime means its midnight (UTC), as Odoo reads `YYYY-MM-DD`.
impl Operand<kind::DateTime> for Date {
    fn into_term(self) -> Term {
        Term::Str(self.to_string())
    }
}

impl<E: Selection> Operand<kind::Selection<E>> for E {
    fn into_term(self) -> Term {
        Term::Str(self.key().to_owned())
    }
}
impl<E: Selection> Operand<kind::Selection<E>> for &E {
    fn into_term(self) -> Term {
        Term::Str(self.key().to_owned())
    }
}

impl<T> Operand<kind::Many2one<T>> for Id<T> {
    fn into_term(self) -> Term {
        Term::Int(self.get())
    }
}
impl<T> Operand<kind::One2many<T>> for Id<T> {
    fn into_term(self) -> Term {
        Term::Int(self.get())
    }
}
impl<T> Operand<kind::Many2many<T>> for Id<T> {
    fn into_term(self) -> Term {
        Term::Int(self.get())
    }
}

impl<K, T: Operand<K>> Operand<K> for Option<T> {
    fn into_term(self) -> Term {
        match self {
            Some(v) => v.into_term(),
            None => Term::False,
        }
    }
}

/// One node of a domain tree. Built through [`Field`] and the `&`, `|`, `!` operators.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Every record (`[]`; `[1, "=", 1]` inside a combination).
    True,
    /// No record (`[0, "=", 1]`).
    False,
    /// `[path, operator, value]`.
    Leaf {
        /// Field name or dotted path.
        path: Cow<'static, str>,
        /// Odoo operator.
        operator: &'static str,
        /// Right-hand side.
        value: Term,
    },
    /// All children hold (two or more).
    And(Vec<Node>),
    /// One child holds (two or more).
    Or(Vec<Node>),
    /// The child does not hold.
    Not(Box<Node>),
}

impl Node {
    fn and(self, other: Node) -> Node {
        match (self, other) {
            (Node::True, x) | (x, Node::True) => x,
            (Node::False, _) | (_, Node::False) => Node::False,
            (Node::And(mut a), Node::And(b)) => {
                a.extend(b);
                Node::And(a)
            }
            (Node::And(mut a), x) => {
                a.push(x);
                Node::And(a)
            }
            (x, Node::And(mut b)) => {
                b.insert(0, x);
                Node::And(b)
            }
            (a, b) => Node::And(vec![a, b]),
        }
    }

    fn or(self, other: Node) -> Node {
        match (self, other) {
            (Node::False, x) | (x, Node::False) => x,
            (Node::True, _) | (_, Node::True) => Node::True,
            (Node::Or(mut a), Node::Or(b)) => {
                a.extend(b);
                Node::Or(a)
            }
            (Node::Or(mut a), x) => {
                a.push(x);
                Node::Or(a)
            }
            (x, Node::Or(mut b)) => {
                b.insert(0, x);
                Node::Or(b)
            }
            (a, b) => Node::Or(vec![a, b]),
        }
    }

    fn not(self) -> Node {
        match self {
            Node::True => Node::False,
            Node::False => Node::True,
            Node::Not(inner) => *inner,
            other => Node::Not(Box::new(other)),
        }
    }

    /// Writes the prefix form of this node as items of an enclosing list.
    fn write_prefix<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error> {
        match self {
            Node::True => seq.serialize_element(&(1, "=", 1)),
            Node::False => seq.serialize_element(&(0, "=", 1)),
            Node::Leaf {
                path,
                operator,
                value,
            } => seq.serialize_element(&(path.as_ref(), *operator, value)),
            Node::And(children) => write_nary(seq, "&", children),
            Node::Or(children) => write_nary(seq, "|", children),
            Node::Not(child) => {
                seq.serialize_element("!")?;
                child.write_prefix(seq)
            }
        }
    }

    fn item_count(&self) -> usize {
        match self {
            Node::True | Node::False | Node::Leaf { .. } => 1,
            Node::And(c) | Node::Or(c) => {
                c.len().saturating_sub(1) + c.iter().map(Node::item_count).sum::<usize>()
            }
            Node::Not(c) => 1 + c.item_count(),
        }
    }
}

fn write_nary<S: SerializeSeq>(seq: &mut S, op: &str, children: &[Node]) -> Result<(), S::Error> {
    for _ in 1..children.len() {
        seq.serialize_element(op)?;
    }
    for child in children {
        child.write_prefix(seq)?;
    }
    Ok(())
}

/// A node serialised as a whole domain list: the top-level AND is implicit, `True` is `[]`.
struct TopLevel<'a>(&'a Node);

impl Serialize for TopLevel<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Node::True => serializer.serialize_seq(Some(0))?.end(),
            Node::And(children) => {
                let len = children.iter().map(Node::item_count).sum();
                let mut seq = serializer.serialize_seq(Some(len))?;
                for child in children {
                    child.write_prefix(&mut seq)?;
                }
                seq.end()
            }
            node => {
                let mut seq = serializer.serialize_seq(Some(node.item_count()))?;
                node.write_prefix(&mut seq)?;
                seq.end()
            }
        }
    }
}

/// A search domain on the model `M`: only leaves on `M`'s fields combine into it.
pub struct Domain<M> {
    node: Node,
    _model: PhantomData<fn() -> M>,
}

impl<M> Domain<M> {
    fn from_node(node: Node) -> Self {
        Domain {
            node,
            _model: PhantomData,
        }
    }

    /// Every record: `[]`.
    pub fn all() -> Self {
        Self::from_node(Node::True)
    }

    /// No record: `[[0, "=", 1]]`.
    pub fn none() -> Self {
        Self::from_node(Node::False)
    }

    /// The tree behind this domain.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// Both hold (same as `self & other`).
    pub fn and(self, other: Domain<M>) -> Self {
        Self::from_node(self.node.and(other.node))
    }

    /// One holds (same as `self | other`).
    pub fn or(self, other: Domain<M>) -> Self {
        Self::from_node(self.node.or(other.node))
    }

    /// A leaf the type system cannot check: a field name or path, an operator and a value, sent as
    /// given. For fields unknown to the bindings (added after generation).
    pub fn unchecked(path: impl Into<String>, operator: &'static str, value: Term) -> Self {
        Self::from_node(Node::Leaf {
            path: Cow::Owned(path.into()),
            operator,
            value,
        })
    }
}

impl<M> Default for Domain<M> {
    fn default() -> Self {
        Self::all()
    }
}

impl<M> Clone for Domain<M> {
    fn clone(&self) -> Self {
        Self::from_node(self.node.clone())
    }
}

impl<M> PartialEq for Domain<M> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<M> fmt::Debug for Domain<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_string(&TopLevel(&self.node)) {
            Ok(json) => write!(f, "Domain({json})"),
            Err(_) => f.debug_tuple("Domain").field(&self.node).finish(),
        }
    }
}

impl<M> Serialize for Domain<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        TopLevel(&self.node).serialize(serializer)
    }
}

impl<M> std::ops::BitAnd for Domain<M> {
    type Output = Domain<M>;
    fn bitand(self, rhs: Domain<M>) -> Domain<M> {
        self.and(rhs)
    }
}

impl<M> std::ops::BitOr for Domain<M> {
    type Output = Domain<M>;
    fn bitor(self, rhs: Domain<M>) -> Domain<M> {
        self.or(rhs)
    }
}

impl<M> std::ops::Not for Domain<M> {
    type Output = Domain<M>;
    fn not(self) -> Domain<M> {
        Self::from_node(self.node.not())
    }
}

/// `P` of a [`Field`] that is a field of the model itself (`name`): the handles of generated code.
#[derive(Debug, Clone, Copy)]
pub struct Direct;

/// `P` of a [`Field`] reached through relations (`parent_id.name`, built with `then`): usable in
/// domains only.
#[derive(Debug, Clone, Copy)]
pub struct Related;

/// The `P` of a [`Field`] that names a field of the model itself ([`Direct`]), as Odoo wants in the
/// field list of `read`, the group-by and aggregates of `read_group`: a dotted path there is answered
/// with `ValueError: Invalid field`.
#[diagnostic::on_unimplemented(
    message = "a path through a relation (`{Self}`) is not a field of the model",
    label = "a dotted path built with `then`",
    note = "Odoo reads and groups by the model's own fields only (`parent_id.name` is an `Invalid field`); paths are for domains. Read the relation (`parent_id`) and then its target's fields"
)]
pub trait OwnField: sealed::Sealed {}

impl OwnField for Direct {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Direct {}
}

/// A field of the model `M` whose Odoo type is the [`kind`] `K`: a field of `M` itself
/// (`P` = [`Direct`], the default), or a dotted path starting on `M` (`P` = [`Related`]).
///
/// Generated code creates them as constants (`Field::new("name")`); build domains with the methods
/// of its kind. Paths build domains as fields do; where Odoo wants a field of the model itself
/// (`Fields::with`, `read_group`), only the direct form is accepted.
pub struct Field<M, K, P = Direct> {
    path: Cow<'static, str>,
    _marker: Marker<M, K, P>,
}

/// The type-level parameters of a [`Field`] (no data; `fn` keeps it `Send`, `Sync` and covariant).
type Marker<M, K, P> = PhantomData<fn() -> (M, K, P)>;

impl<M, K> Field<M, K> {
    /// The handle of the field `name` (generated code only).
    pub const fn new(name: &'static str) -> Self {
        Field {
            path: Cow::Borrowed(name),
            _marker: PhantomData,
        }
    }
}

impl<M, K, P> Field<M, K, P> {
    /// Field name, or dotted path for a field reached through relations.
    pub fn name(&self) -> &str {
        &self.path
    }

    fn leaf(&self, operator: &'static str, value: Term) -> Domain<M> {
        Domain::from_node(Node::Leaf {
            path: self.path.clone(),
            operator,
            value,
        })
    }

    fn list<V: Operand<K>>(values: impl IntoIterator<Item = V>) -> Term {
        Term::List(values.into_iter().map(Operand::into_term).collect())
    }
}

impl<M, K, P> Clone for Field<M, K, P> {
    fn clone(&self) -> Self {
        Field {
            path: self.path.clone(),
            _marker: PhantomData,
        }
    }
}

impl<M, K, P> fmt::Debug for Field<M, K, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({})", self.path)
    }
}

impl<M, K, P> PartialEq for Field<M, K, P> {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

/// Operators shared by fields that can be empty: `= false` and `!= false`.
macro_rules! emptiness {
    ($($kind:ty),*) => {$(
        impl<M, P> Field<M, $kind, P> {
            /// `[field, "=", false]`: the field has no value.
            pub fn is_empty(&self) -> Domain<M> {
                self.leaf("=", Term::False)
            }
            /// `[field, "!=", false]`: the field has a value.
            pub fn is_set(&self) -> Domain<M> {
                self.leaf("!=", Term::False)
            }
        }
    )*};
}

/// `=`, `!=`, `in`, `not in`.
macro_rules! equality {
    ($(impl[$($g:ident),*] $kind:ty),*) => {$(
        impl<M, P, $($g),*> Field<M, $kind, P> {
            /// `[field, "=", value]` (`False` for "is empty").
            pub fn eq(&self, value: impl Operand<$kind>) -> Domain<M> {
                self.leaf("=", value.into_term())
            }
            /// `[field, "!=", value]` (`False` for "is set").
            pub fn ne(&self, value: impl Operand<$kind>) -> Domain<M> {
                self.leaf("!=", value.into_term())
            }
            /// `[field, "in", [values]]`.
            pub fn is_in<V: Operand<$kind>>(&self, values: impl IntoIterator<Item = V>) -> Domain<M> {
                self.leaf("in", Self::list(values))
            }
            /// `[field, "not in", [values]]`.
            pub fn not_in<V: Operand<$kind>>(&self, values: impl IntoIterator<Item = V>) -> Domain<M> {
                self.leaf("not in", Self::list(values))
            }
        }
    )*};
}

/// `<`, `<=`, `>`, `>=`.
macro_rules! ordering {
    ($($kind:ty),*) => {$(
        impl<M, P> Field<M, $kind, P> {
            /// `[field, "<", value]`.
            pub fn lt(&self, value: impl Operand<$kind>) -> Domain<M> {
                self.leaf("<", value.into_term())
            }
            /// `[field, "<=", value]`.
            pub fn le(&self, value: impl Operand<$kind>) -> Domain<M> {
                self.leaf("<=", value.into_term())
            }
            /// `[field, ">", value]`.
            pub fn gt(&self, value: impl Operand<$kind>) -> Domain<M> {
                self.leaf(">", value.into_term())
            }
            /// `[field, ">=", value]`.
            pub fn ge(&self, value: impl Operand<$kind>) -> Domain<M> {
                self.leaf(">=", value.into_term())
            }
        }
    )*};
}

emptiness!(
    kind::Char,
    kind::Integer,
    kind::Float,
    kind::Date,
    kind::DateTime,
    kind::Binary,
    kind::Reference,
    kind::Many2oneReference,
    kind::Json
);
equality!(
    impl[] kind::Boolean,
    impl[] kind::Char,
    impl[] kind::Integer,
    impl[] kind::Float,
    impl[] kind::Date,
    impl[] kind::DateTime,
    impl[E] kind::Selection<E>,
    impl[T] kind::Many2one<T>,
    impl[] kind::Many2oneReference
);
ordering!(kind::Integer, kind::Float, kind::Date, kind::DateTime);

impl<M, P, E> Field<M, kind::Selection<E>, P> {
    /// `[field, "=", false]`: no value selected.
    pub fn is_empty(&self) -> Domain<M> {
        self.leaf("=", Term::False)
    }
    /// `[field, "!=", false]`: a value is selected.
    pub fn is_set(&self) -> Domain<M> {
        self.leaf("!=", Term::False)
    }
}

impl<M, P> Field<M, kind::Char, P> {
    /// `[field, "like", pattern]`: case-sensitive "contains" (`%` wildcards added by Odoo).
    pub fn like(&self, pattern: impl Operand<kind::Char>) -> Domain<M> {
        self.leaf("like", pattern.into_term())
    }
    /// `[field, "ilike", pattern]`: case-insensitive "contains".
    pub fn ilike(&self, pattern: impl Operand<kind::Char>) -> Domain<M> {
        self.leaf("ilike", pattern.into_term())
    }
    /// `[field, "not like", pattern]`.
    pub fn not_like(&self, pattern: impl Operand<kind::Char>) -> Domain<M> {
        self.leaf("not like", pattern.into_term())
    }
    /// `[field, "not ilike", pattern]`.
    pub fn not_ilike(&self, pattern: impl Operand<kind::Char>) -> Domain<M> {
        self.leaf("not ilike", pattern.into_term())
    }
    /// `[field, "=like", pattern]`: SQL `LIKE` with the caller's own `%`/`_` wildcards.
    pub fn eq_like(&self, pattern: impl Operand<kind::Char>) -> Domain<M> {
        self.leaf("=like", pattern.into_term())
    }
    /// `[field, "=ilike", pattern]`: SQL `ILIKE` with the caller's own wildcards.
    pub fn eq_ilike(&self, pattern: impl Operand<kind::Char>) -> Domain<M> {
        self.leaf("=ilike", pattern.into_term())
    }
}

/// The `id` of `M` itself only: a path ending on a target's `id` (`parent_id.then(F.id)`) would
/// compare with ids of `M`, not of the target; compare the relation itself (`parent_id.eq(id)`).
impl<M> Field<M, kind::RecordId> {
    /// `["id", "=", id]`.
    pub fn eq(&self, id: Id<M>) -> Domain<M> {
        self.leaf("=", Term::Int(id.get()))
    }
    /// `["id", "!=", id]`.
    pub fn ne(&self, id: Id<M>) -> Domain<M> {
        self.leaf("!=", Term::Int(id.get()))
    }
    /// `["id", "in", [ids]]`.
    pub fn is_in(&self, ids: impl IntoIterator<Item = Id<M>>) -> Domain<M> {
        self.leaf("in", ids_term(ids))
    }
    /// `["id", "not in", [ids]]`.
    pub fn not_in(&self, ids: impl IntoIterator<Item = Id<M>>) -> Domain<M> {
        self.leaf("not in", ids_term(ids))
    }
    /// `["id", "<", id]` (paging by id ranges).
    pub fn lt(&self, id: Id<M>) -> Domain<M> {
        self.leaf("<", Term::Int(id.get()))
    }
    /// `["id", ">", id]` (paging by id ranges).
    pub fn gt(&self, id: Id<M>) -> Domain<M> {
        self.leaf(">", Term::Int(id.get()))
    }
    /// `["id", "child_of", [ids]]`: the records and their descendants (models with a parent field).
    pub fn child_of(&self, ids: impl IntoIterator<Item = Id<M>>) -> Domain<M> {
        self.leaf("child_of", ids_term(ids))
    }
    /// `["id", "parent_of", [ids]]`: the records and their ancestors.
    pub fn parent_of(&self, ids: impl IntoIterator<Item = Id<M>>) -> Domain<M> {
        self.leaf("parent_of", ids_term(ids))
    }
}

fn ids_term<T>(ids: impl IntoIterator<Item = Id<T>>) -> Term {
    Term::List(ids.into_iter().map(|id| Term::Int(id.get())).collect())
}

/// Operators of every relational kind (many2one, one2many, many2many) to the model `T`.
macro_rules! relational {
    ($($kind:ident),*) => {$(
        impl<M, P, T> Field<M, kind::$kind<T>, P> {
            /// `[field, "=", false]`: no linked record.
            pub fn is_empty(&self) -> Domain<M> {
                self.leaf("=", Term::False)
            }
            /// `[field, "!=", false]`: at least one linked record.
            pub fn is_set(&self) -> Domain<M> {
                self.leaf("!=", Term::False)
            }
            /// `[field, "child_of", [ids]]`: linked to one of `ids` or to one of their descendants.
            pub fn child_of(&self, ids: impl IntoIterator<Item = Id<T>>) -> Domain<M> {
                self.leaf("child_of", ids_term(ids))
            }
            /// `[field, "parent_of", [ids]]`: linked to one of `ids` or to one of their ancestors.
            pub fn parent_of(&self, ids: impl IntoIterator<Item = Id<T>>) -> Domain<M> {
                self.leaf("parent_of", ids_term(ids))
            }
            /// `[field, "any", domain]`: a linked record matches `domain` (a domain on the target).
            pub fn any(&self, domain: Domain<T>) -> Domain<M> {
                self.leaf("any", Term::Domain(Box::new(domain.node)))
            }
            /// `[field, "not any", domain]`: no linked record matches `domain`.
            pub fn not_any(&self, domain: Domain<T>) -> Domain<M> {
                self.leaf("not any", Term::Domain(Box::new(domain.node)))
            }
            /// `[field, "ilike", text]`: a linked record's display name contains `text`.
            pub fn ilike(&self, text: impl Operand<kind::Char>) -> Domain<M> {
                self.leaf("ilike", text.into_term())
            }
            /// The field `next` of the target, reached through this one: `country_id.code`. For
            /// domains only: a path is not a field of `M` ([`OwnField`]).
            pub fn then<K, Q>(&self, next: Field<T, K, Q>) -> Field<M, K, Related> {
                Field { path: Cow::Owned(format!("{}.{}", self.path, next.path)), _marker: PhantomData }
            }
        }
    )*};
}

relational!(Many2one, One2many, Many2many);

/// `in` / `not in` on x2many fields: linked to at least one of the ids (or to none of them).
macro_rules! x2many_in {
    ($($kind:ident),*) => {$(
        impl<M, P, T> Field<M, kind::$kind<T>, P> {
            /// `[field, "in", [ids]]`: linked to at least one of `ids`.
            pub fn is_in(&self, ids: impl IntoIterator<Item = Id<T>>) -> Domain<M> {
                self.leaf("in", ids_term(ids))
            }
            /// `[field, "not in", [ids]]`: linked to none of `ids`.
            pub fn not_in(&self, ids: impl IntoIterator<Item = Id<T>>) -> Domain<M> {
                self.leaf("not in", ids_term(ids))
            }
            /// `[field, "=", id]`: `id` is among the linked records.
            pub fn contains(&self, id: Id<T>) -> Domain<M> {
                self.leaf("=", Term::Int(id.get()))
            }
        }
    )*};
}

x2many_in!(One2many, Many2many);

/// The operands of `kind::Reference` are `"model,id"` strings built from a typed id.
impl<T: crate::model::Model> Operand<kind::Reference> for Id<T> {
    fn into_term(self) -> Term {
        Term::Str(format!("{},{}", T::NAME, self.get()))
    }
}

impl<M, P> Field<M, kind::Reference, P> {
    /// `[field, "=", "model,id"]`.
    pub fn eq(&self, value: impl Operand<kind::Reference>) -> Domain<M> {
        self.leaf("=", value.into_term())
    }
    /// `[field, "!=", "model,id"]`.
    pub fn ne(&self, value: impl Operand<kind::Reference>) -> Domain<M> {
        self.leaf("!=", value.into_term())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct P;
    struct C;

    const NAME: Field<P, kind::Char> = Field::new("name");
    const IS_COMPANY: Field<P, kind::Boolean> = Field::new("is_company");
    const COUNTRY: Field<P, kind::Many2one<C>> = Field::new("country_id");
    const CODE: Field<C, kind::Char> = Field::new("code");

    fn json<M>(d: &Domain<M>) -> String {
        serde_json::to_string(d).unwrap()
    }

    /// NaN and infinities are refused on both wires (JSON would turn them into `null`).
    #[test]
    fn non_finite_floats_are_refused() {
        const LIMIT: Field<P, kind::Float> = Field::new("credit_limit");
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let domain = LIMIT.gt(bad);
            let err = serde_json::to_string(&domain).unwrap_err().to_string();
            assert!(err.contains("finite"), "{err}");
            let err = crate::xmlrpc::encode_call("execute_kw", &(&domain,)).unwrap_err();
            assert!(err.to_string().contains("finite"), "{err}");
        }
        assert_eq!(json(&LIMIT.gt(1.5)), r#"[["credit_limit",">",1.5]]"#);
    }

    #[test]
    fn prefix_forms() {
        let a = || IS_COMPANY.eq(true);
        let b = || NAME.ilike("x");
        let c = || COUNTRY.then(CODE).eq("BE");
        assert_eq!(json(&Domain::<P>::all()), "[]");
        assert_eq!(json(&a()), r#"[["is_company","=",true]]"#);
        assert_eq!(
            json(&(a() & b())),
            r#"[["is_company","=",true],["name","ilike","x"]]"#
        );
        assert_eq!(
            json(&(a() | b())),
            r#"["|",["is_company","=",true],["name","ilike","x"]]"#
        );
        assert_eq!(json(&!a()), r#"["!",["is_company","=",true]]"#);
        assert_eq!(
            json(&((a() | b()) & c())),
            r#"["|",["is_company","=",true],["name","ilike","x"],["country_id.code","=","BE"]]"#
        );
        assert_eq!(
            json(&(a() | (b() & c()))),
            r#"["|",["is_company","=",true],"&",["name","ilike","x"],["country_id.code","=","BE"]]"#
        );
        assert_eq!(
            json(&(a() | b() | c())),
            r#"["|","|",["is_company","=",true],["name","ilike","x"],["country_id.code","=","BE"]]"#
        );
        assert_eq!(json(&(Domain::all() & a())), json(&a()));
        assert_eq!(json(&(Domain::all() | a())), "[]");
        assert_eq!(json(&!Domain::<P>::all()), r#"[[0,"=",1]]"#);
        assert_eq!(json(&!!a()), json(&a()));
        assert_eq!(json(&NAME.is_empty()), r#"[["name","=",false]]"#);
        assert_eq!(json(&NAME.eq(False)), r#"[["name","=",false]]"#);
        assert_eq!(
            json(&COUNTRY.any(CODE.eq("BE"))),
            r#"[["country_id","any",[["code","=","BE"]]]]"#
        );
    }
}
