//! Record ids and relational values: `Id<M>`, `Many2one<M>`, `X2many<M>`.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeSeq, Serializer};

/// Marker for relations whose target model is not known statically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AnyModel {}

/// A record id of model `M` (a marker type; generated code uses one per model).
///
/// Serialised as a bare integer. Deserialises from an integer or an integral float.
pub struct Id<M = AnyModel> {
    id: i64,
    model: PhantomData<fn() -> M>,
}

impl<M> Id<M> {
    /// An id of model `M`.
    pub const fn new(id: i64) -> Self {
        Id {
            id,
            model: PhantomData,
        }
    }
    /// The raw id.
    pub const fn get(self) -> i64 {
        self.id
    }
    /// The same id, typed by another model marker.
    pub const fn cast<N>(self) -> Id<N> {
        Id::new(self.id)
    }
    /// The same id without its model type.
    pub const fn untyped(self) -> Id<AnyModel> {
        Id::new(self.id)
    }
}

impl<M> Clone for Id<M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M> Copy for Id<M> {}
impl<M> PartialEq for Id<M> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl<M> Eq for Id<M> {}
impl<M> PartialOrd for Id<M> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<M> Ord for Id<M> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.id.cmp(&other.id)
    }
}
impl<M> Hash for Id<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}
impl<M> fmt::Debug for Id<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.id)
    }
}
impl<M> fmt::Display for Id<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.id, f)
    }
}
impl<M> From<Id<M>> for i64 {
    fn from(id: Id<M>) -> i64 {
        id.id
    }
}

impl<M> Serialize for Id<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.id)
    }
}

impl<'de, M> Deserialize<'de> for Id<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_i64(IdVisitor(PhantomData))
    }
}

struct IdVisitor<M>(PhantomData<fn() -> M>);

impl<M> Visitor<'_> for IdVisitor<M> {
    type Value = Id<M>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record id (integer)")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id<M>, E> {
        Ok(Id::new(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id<M>, E> {
        i64::try_from(v)
            .map(Id::new)
            .map_err(|_| E::custom(format_args!("record id {v} is out of the i64 range")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Id<M>, E> {
        super::integral_f64_to_i64(v)
            .map(Id::new)
            .ok_or_else(|| E::custom(format_args!("expected a record id, found the number {v}")))
    }
}

/// A many2one value: the id and, when Odoo sent it, the display name.
///
/// Deserialises from `[id, "name"]`, `[id, false]` (no readable name) or a bare id (as `write`
/// payloads and some methods carry). Empty many2ones are `false`: wrap it in
/// [`OrFalse`](super::OrFalse). Serialises as the bare id (what `create`/`write` expect).
pub struct Many2one<M = AnyModel> {
    /// The related record.
    pub id: Id<M>,
    /// Its display name, when sent (`None` for a bare id or `[id, false]`).
    pub name: Option<String>,
}

impl<M> Many2one<M> {
    /// A many2one without a name.
    pub fn new(id: Id<M>) -> Self {
        Many2one { id, name: None }
    }
}

impl<M> Clone for Many2one<M> {
    fn clone(&self) -> Self {
        Many2one {
            id: self.id,
            name: self.name.clone(),
        }
    }
}
impl<M> PartialEq for Many2one<M> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.name == other.name
    }
}
impl<M> Eq for Many2one<M> {}
impl<M> Hash for Many2one<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
        self.name.hash(state);
    }
}
impl<M> fmt::Debug for Many2one<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Many2one")
            .field("id", &self.id.id)
            .field("name", &self.name)
            .finish()
    }
}

impl<M> Serialize for Many2one<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.id.id)
    }
}

impl<'de, M> Deserialize<'de> for Many2one<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Many2oneVisitor(PhantomData))
    }
}

struct Many2oneVisitor<M>(PhantomData<fn() -> M>);

impl<'de, M> Visitor<'de> for Many2oneVisitor<M> {
    type Value = Many2one<M>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a many2one: [id, name], [id, false] or an id")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        IdVisitor(PhantomData).visit_i64(v).map(Many2one::new)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        IdVisitor(PhantomData).visit_u64(v).map(Many2one::new)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        IdVisitor(PhantomData).visit_f64(v).map(Many2one::new)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let id: Id<M> = seq
            .next_element()?
            .ok_or_else(|| de::Error::custom("a many2one pair is empty: expected [id, name]"))?;
        let name = seq.next_element::<NameOrFalse>()?.and_then(|n| n.0);
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(
                "a many2one pair has more than two elements",
            ));
        }
        Ok(Many2one { id, name })
    }
}

/// The second element of a many2one pair: a string or `false`.
struct NameOrFalse(Option<String>);

impl<'de> Deserialize<'de> for NameOrFalse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NameOrFalse;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a display name or false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<NameOrFalse, E> {
                if v {
                    Err(E::invalid_type(de::Unexpected::Bool(true), &self))
                } else {
                    Ok(NameOrFalse(None))
                }
            }
            fn visit_unit<E: de::Error>(self) -> Result<NameOrFalse, E> {
                Ok(NameOrFalse(None))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NameOrFalse, E> {
                Ok(NameOrFalse(Some(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<NameOrFalse, E> {
                Ok(NameOrFalse(Some(v)))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The ids of a one2many or many2many field (`false` is accepted as empty).
pub struct X2many<M = AnyModel>(pub Vec<Id<M>>);

impl<M> X2many<M> {
    /// The ids.
    pub fn ids(&self) -> &[Id<M>] {
        &self.0
    }
    /// Number of ids.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// `true` when there is no id.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<M> Default for X2many<M> {
    fn default() -> Self {
        X2many(Vec::new())
    }
}
impl<M> Clone for X2many<M> {
    fn clone(&self) -> Self {
        X2many(self.0.clone())
    }
}
impl<M> PartialEq for X2many<M> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<M> Eq for X2many<M> {}
impl<M> Hash for X2many<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}
impl<M> fmt::Debug for X2many<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("X2many")
            .field(&self.0.iter().map(|i| i.id).collect::<Vec<_>>())
            .finish()
    }
}

impl<M> Serialize for X2many<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for id in &self.0 {
            seq.serialize_element(id)?;
        }
        seq.end()
    }
}

impl<'de, M> Deserialize<'de> for X2many<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<M>(PhantomData<fn() -> M>);
        impl<'de, M> Visitor<'de> for V<M> {
            type Value = X2many<M>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of record ids or false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                if v {
                    Err(E::invalid_type(de::Unexpected::Bool(true), &self))
                } else {
                    Ok(X2many::default())
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut ids = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(65536));
                while let Some(id) = seq.next_element()? {
                    ids.push(id);
                }
                Ok(X2many(ids))
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}
