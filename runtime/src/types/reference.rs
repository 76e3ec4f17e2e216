//! `Reference`: an Odoo `reference` field value, `"model,id"`.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// A `reference` field value: `"res.partner,42"` → `Reference { model: "res.partner", id: 42 }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    /// Technical name of the model.
    pub model: String,
    /// Record id.
    pub id: i64,
}

/// Why a reference text was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseReferenceError {
    text: String,
}

impl fmt::Display for ParseReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid reference {:?}: expected \"model,id\"",
            self.text
        )
    }
}

impl std::error::Error for ParseReferenceError {}

impl FromStr for Reference {
    type Err = ParseReferenceError;
    fn from_str(s: &str) -> Result<Self, ParseReferenceError> {
        let err = || ParseReferenceError { text: s.to_owned() };
        let (model, id) = s.rsplit_once(',').ok_or_else(err)?;
        let id: i64 = id.trim().parse().map_err(|_| err())?;
        if model.is_empty() {
            return Err(err());
        }
        Ok(Reference {
            model: model.to_owned(),
            id,
        })
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{}", self.model, self.id)
    }
}

impl Serialize for Reference {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Reference;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a reference \"model,id\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Reference, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(V)
    }
}
