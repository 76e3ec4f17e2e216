//! Selection fields: the [`Selection`] trait generated enums implement, and the serde helpers
//! their `Serialize`/`Deserialize` impls delegate to.
//!
//! ```ignore
//! impl ::serde::Serialize for State {
//!     fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
//!         ::odoo_runtime::types::selection::serialize(self, s)
//!     }
//! }
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;

/// A selection enum. `from_key` never fails: unknown keys map to an `Unknown(String)` variant.
pub trait Selection: Sized {
    /// The variant for `key` (the `Unknown` fallback when no variant matches).
    fn from_key(key: &str) -> Self;
    /// The key Odoo stores for this variant.
    fn key(&self) -> &str;
    /// The variant's label as the schema gave it at generation (in the language of the user who
    /// introspected; Odoo translates labels per user), `None` for a key the binding does not know.
    fn label(&self) -> Option<&'static str> {
        None
    }
}

/// Serializes a selection as its key.
pub fn serialize<T: Selection, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.key())
}

/// Deserializes a selection from its key; integer keys are accepted as their decimal text.
pub fn deserialize<'de, T: Selection, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(SelectionVisitor(PhantomData))
}

struct SelectionVisitor<T>(PhantomData<fn() -> T>);

impl<T: Selection> Visitor<'_> for SelectionVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a selection key (string)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from_key(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(T::from_key(&v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok(T::from_key(&v.to_string()))
    }
}
