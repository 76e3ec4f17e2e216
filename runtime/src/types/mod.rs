//! Odoo value types used by generated read/write structs.
//!
//! They are transport independent: every type has a hand-written serde visitor (no
//! `#[serde(untagged)]`), so it decodes the same from the XML-RPC codec and from serde_json.
//!
//! | Odoo type | Rust type |
//! |---|---|
//! | char/text/html | [`OrFalse<String>`] |
//! | integer | `Option<i64>` with [`opt_int`] |
//! | date / datetime | [`OrFalse<Date>`] / [`OrFalse<DateTime>`] |
//! | selection | `OrFalse<E>` where `E: `[`Selection`] (see [`selection`]) |
//! | many2one | [`OrFalse<Many2one<M>>`] |
//! | one2many/many2many | `Option<`[`X2many<M>`]`>` |
//! | reference | [`OrFalse<Reference>`] |
//! | binary | [`OrFalse<Binary>`] |
//! | json/properties | `OrFalse<`[`Value`](crate::Value)`>` |

mod binary;
mod datetime;
mod or_false;
mod reference;
mod relational;
pub mod selection;

pub use binary::Binary;
pub(crate) use binary::decode_base64;
pub use datetime::{Date, DateTime, ParseDateError};
pub use or_false::OrFalse;
pub use reference::{ParseReferenceError, Reference};
pub use relational::{AnyModel, Id, Many2one, X2many};
pub use selection::Selection;

/// `f` as an `i64` when it is integral and in range.
pub(crate) fn integral_f64_to_i64(f: f64) -> Option<i64> {
    // 2^63 is exactly representable; every integral f64 in [-2^63, 2^63) fits an i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_finite() && f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f) {
        Some(f as i64)
    } else {
        None
    }
}

/// Serde helper for Odoo `integer` (and `many2one_reference`) fields read as `Option<i64>`:
/// `#[serde(default, with = "::odoo_runtime::types::opt_int")]`.
///
/// Accepts an integer, an integral float (Odoo sends integers above 2^31-1 as doubles), `false`
/// or null (→ `None`). A fractional or out-of-range float is an error naming the number.
pub mod opt_int {
    use std::fmt;

    use serde::de::{self, Deserializer, Visitor};
    use serde::ser::Serializer;

    /// Serializes `Some(i)` as an integer and `None` as none/null.
    pub fn serialize<S: Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(i) => serializer.serialize_i64(*i),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes an integer field (see the module docs).
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i64>, D::Error> {
        deserializer.deserialize_any(OptIntVisitor)
    }

    pub(crate) struct OptIntVisitor;

    impl<'de> Visitor<'de> for OptIntVisitor {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer, an integral float or false")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v)
                .map(Some)
                .map_err(|_| E::custom(format_args!("integer {v} is out of the i64 range")))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            match super::integral_f64_to_i64(v) {
                Some(i) => Ok(Some(i)),
                None if v.is_finite() && v.fract() == 0.0 => Err(E::custom(format_args!(
                    "integer {v} is out of the i64 range"
                ))),
                None => Err(E::custom(format_args!(
                    "expected an integer, found the non-integral number {v}"
                ))),
            }
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            if v {
                Err(E::invalid_type(de::Unexpected::Bool(true), &self))
            } else {
                Ok(None)
            }
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(OptIntVisitor)
        }
    }
}
