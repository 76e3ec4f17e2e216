//! `OrFalse<T>`: a field value that Odoo sends as `false` when empty.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{
    BoolDeserializer, BorrowedBytesDeserializer, BorrowedStrDeserializer, BytesDeserializer,
    F64Deserializer, I64Deserializer, MapAccessDeserializer, SeqAccessDeserializer,
    StrDeserializer, StringDeserializer, U64Deserializer,
};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, Serializer};

/// A field value with three states: not fetched (the member was absent: `#[serde(default)]`),
/// empty (Odoo sent `false`), or a value.
///
/// Deserialize: `false` (and null) → [`OrFalse::Empty`], anything else → [`OrFalse::Value`].
/// Serialize: `Empty` → `false`, `Value(v)` → `v`; `NotFetched` is an error (skip it with
/// `#[serde(skip_serializing_if = "OrFalse::is_not_fetched")]`) so that a partially fetched record
/// written back never clears the fields it did not fetch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrFalse<T> {
    /// The field was not part of the response.
    #[default]
    NotFetched,
    /// Odoo sent `false`: the field is empty.
    Empty,
    /// The field holds a value.
    Value(T),
}

impl<T> OrFalse<T> {
    /// `true` for [`OrFalse::NotFetched`].
    pub fn is_not_fetched(&self) -> bool {
        matches!(self, OrFalse::NotFetched)
    }
    /// `true` for [`OrFalse::Empty`].
    pub fn is_empty(&self) -> bool {
        matches!(self, OrFalse::Empty)
    }
    /// The value, if any.
    pub fn value(&self) -> Option<&T> {
        match self {
            OrFalse::Value(v) => Some(v),
            _ => None,
        }
    }
    /// The value of a fetched field: `None` when the field was not fetched, `Some(None)` when
    /// Odoo sent `false`, `Some(Some(v))` for a value. Use it where "not read" must not pass for
    /// "empty" ([`OrFalse::value`] gives `None` for both).
    ///
    /// ```
    /// use odoo_runtime::types::OrFalse;
    /// assert_eq!(OrFalse::<i64>::NotFetched.fetched(), None);
    /// assert_eq!(OrFalse::<i64>::Empty.fetched(), Some(None));
    /// assert_eq!(OrFalse::Value(3).fetched(), Some(Some(&3)));
    /// ```
    pub fn fetched(&self) -> Option<Option<&T>> {
        match self {
            OrFalse::NotFetched => None,
            OrFalse::Empty => Some(None),
            OrFalse::Value(v) => Some(Some(v)),
        }
    }
    /// The value, if any (consumes `self`).
    pub fn into_value(self) -> Option<T> {
        match self {
            OrFalse::Value(v) => Some(v),
            _ => None,
        }
    }
    /// Borrows the value.
    pub fn as_ref(&self) -> OrFalse<&T> {
        match self {
            OrFalse::NotFetched => OrFalse::NotFetched,
            OrFalse::Empty => OrFalse::Empty,
            OrFalse::Value(v) => OrFalse::Value(v),
        }
    }
    /// Maps the value, keeping the state.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> OrFalse<U> {
        match self {
            OrFalse::NotFetched => OrFalse::NotFetched,
            OrFalse::Empty => OrFalse::Empty,
            OrFalse::Value(v) => OrFalse::Value(f(v)),
        }
    }
}

impl<T> From<Option<T>> for OrFalse<T> {
    /// `None` → `Empty`, `Some(v)` → `Value(v)`.
    fn from(v: Option<T>) -> Self {
        v.map_or(OrFalse::Empty, OrFalse::Value)
    }
}

impl<T: Serialize> Serialize for OrFalse<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            OrFalse::Value(v) => v.serialize(serializer),
            OrFalse::Empty => serializer.serialize_bool(false),
            OrFalse::NotFetched => Err(ser::Error::custom(
                "a not-fetched field (OrFalse::NotFetched) cannot be serialised; skip it with \
                 #[serde(skip_serializing_if = \"OrFalse::is_not_fetched\")]",
            )),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OrFalse<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OrFalseVisitor(PhantomData))
    }
}

struct OrFalseVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OrFalseVisitor<T> {
    type Value = OrFalse<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("false or a value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        if v {
            T::deserialize(BoolDeserializer::new(true)).map(OrFalse::Value)
        } else {
            Ok(OrFalse::Empty)
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(OrFalse::Empty)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(OrFalse::Empty)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::deserialize(I64Deserializer::new(v)).map(OrFalse::Value)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::deserialize(U64Deserializer::new(v)).map(OrFalse::Value)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::deserialize(F64Deserializer::new(v)).map(OrFalse::Value)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        T::deserialize(StrDeserializer::new(v)).map(OrFalse::Value)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        T::deserialize(BorrowedStrDeserializer::new(v)).map(OrFalse::Value)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        T::deserialize(StringDeserializer::new(v)).map(OrFalse::Value)
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        T::deserialize(BytesDeserializer::new(v)).map(OrFalse::Value)
    }
    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
        T::deserialize(BorrowedBytesDeserializer::new(v)).map(OrFalse::Value)
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Self::Value, E> {
        T::deserialize(BytesDeserializer::new(&v)).map(OrFalse::Value)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::deserialize(SeqAccessDeserializer::new(seq)).map(OrFalse::Value)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(OrFalse::Value)
    }
}
