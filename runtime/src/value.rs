//! Dynamic value: anything an XML-RPC or JSON body can hold.
//!
//! [`Value`] works under serde_json and under the XML-RPC codec ([`crate::xmlrpc`]). Under the XML-RPC
//! codec it keeps the two XML-RPC-only kinds: `<dateTime.iso8601>` (as its text) and `<base64>` (as
//! bytes). [`Value::to_json`] renders it in the shape Python's `xmlrpc.client.loads` + `json.dumps`
//! give (the `.expected.json` files of the recordings).

use std::fmt;

use base64::Engine as _;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Name of the newtype struct through which [`Value`] asks a deserializer for "value mode": the
/// XML-RPC deserializer then reports `<dateTime.iso8601>` as a one-entry map keyed by
/// [`DATETIME_KEY`] (other deserializers ignore the name).
pub(crate) const VALUE_TOKEN: &str = "$__odoo_runtime_private_Value";
/// Key of the one-entry map that carries a `<dateTime.iso8601>` text to [`Value`].
pub(crate) const DATETIME_KEY: &str = "$__odoo_runtime_private_dateTime";
/// Name of the newtype struct through which a `Value::DateTime` asks the XML-RPC serializer for a
/// `<dateTime.iso8601>` element (serde_json writes the inner string).
pub(crate) const DATETIME_TOKEN: &str = "$__odoo_runtime_private_DateTime";

/// A dynamic XML-RPC / JSON value.
#[derive(Clone, PartialEq, Default)]
pub enum Value {
    /// `<nil/>` / JSON `null`.
    #[default]
    Nil,
    /// `<boolean>` / JSON `true`/`false`.
    Bool(bool),
    /// `<int>`, `<i4>`, `<i8>` / a JSON integer.
    Int(i64),
    /// `<double>` / a JSON number with a fraction or exponent.
    Double(f64),
    /// `<string>` (or an untyped `<value>`) / a JSON string.
    String(String),
    /// `<dateTime.iso8601>`, kept as the text that was sent (e.g. `20240131T10:00:00`).
    DateTime(String),
    /// `<base64>`, decoded.
    Base64(Vec<u8>),
    /// `<array>` / a JSON array.
    Array(Vec<Value>),
    /// `<struct>` / a JSON object, members in the order received.
    Struct(Vec<(String, Value)>),
}

impl Value {
    /// `true` for [`Value::Nil`].
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// The boolean, if this is a [`Value::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, if this is a [`Value::Int`] (or a [`Value::Double`] holding an integral value
    /// in range: Odoo sends integers above 2^31-1 as doubles).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Double(f) => crate::types::integral_f64_to_i64(*f),
            _ => None,
        }
    }

    /// The number as `f64`, if this is a [`Value::Int`] or a [`Value::Double`].
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Double(f) => Some(*f),
            _ => None,
        }
    }

    /// The text of a [`Value::String`] or [`Value::DateTime`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) | Value::DateTime(s) => Some(s),
            _ => None,
        }
    }

    /// The elements of a [`Value::Array`].
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members of a [`Value::Struct`].
    pub fn as_struct(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Struct(m) => Some(m),
            _ => None,
        }
    }

    /// The member `key` of a [`Value::Struct`] (the last one if the key is repeated, as Python does).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_struct()?
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Odoo's emptiness: `false` (how Odoo sends an empty non-boolean field).
    pub fn is_false(&self) -> bool {
        matches!(self, Value::Bool(false))
    }

    /// Name of the kind, as used in error messages (`int`, `string`, `struct`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "int",
            Value::Double(_) => "double",
            Value::String(_) => "string",
            Value::DateTime(_) => "dateTime.iso8601",
            Value::Base64(_) => "base64",
            Value::Array(_) => "array",
            Value::Struct(_) => "struct",
        }
    }

    /// The value as JSON, in the shape of the recordings' `.expected.json` files (Python's
    /// `json.dumps` of what `xmlrpc.client.loads` returned):
    /// - nil → `null`, int → integer, double → float (non-finite doubles, which JSON cannot hold,
    ///   become the strings `"NaN"`, `"Infinity"`, `"-Infinity"`: the tokens Python would write);
    /// - dateTime → its text as sent; base64 → the standard base64 text of the bytes;
    /// - struct → object (a repeated key keeps its first position and its last value, as a Python dict).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Nil => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Double(f) => match serde_json::Number::from_f64(*f) {
                Some(n) => J::Number(n),
                None if f.is_nan() => J::String("NaN".into()),
                None if *f > 0.0 => J::String("Infinity".into()),
                None => J::String("-Infinity".into()),
            },
            Value::String(s) | Value::DateTime(s) => J::String(s.clone()),
            Value::Base64(b) => J::String(base64::engine::general_purpose::STANDARD.encode(b)),
            Value::Array(a) => J::Array(a.iter().map(Value::to_json).collect()),
            Value::Struct(m) => {
                let mut map = serde_json::Map::with_capacity(m.len());
                for (k, v) in m {
                    map.insert(k.clone(), v.to_json());
                }
                J::Object(map)
            }
        }
    }

    /// A value from JSON (integers that do not fit `i64` become doubles).
    pub fn from_json(json: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match json {
            J::Null => Value::Nil,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Double(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Value::String(s.clone()),
            J::Array(a) => Value::Array(a.iter().map(Value::from_json).collect()),
            J::Object(o) => Value::Struct(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => f.write_str("Nil"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i) => write!(f, "Int({i})"),
            Value::Double(d) => write!(f, "Double({d:?})"),
            Value::String(s) => write!(f, "String({s:?})"),
            Value::DateTime(s) => write!(f, "DateTime({s:?})"),
            Value::Base64(b) => write!(f, "Base64({} bytes)", b.len()),
            Value::Array(a) => f.debug_list().entries(a).finish(),
            Value::Struct(m) => f
                .debug_map()
                .entries(m.iter().map(|(k, v)| (k, v)))
                .finish(),
        }
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(v.into())
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Double(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Nil, Into::into)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Nil => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::Double(f) => serializer.serialize_f64(*f),
            Value::String(s) => serializer.serialize_str(s),
            Value::DateTime(s) => serializer.serialize_newtype_struct(DATETIME_TOKEN, s),
            Value::Base64(b) => {
                serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(b))
            }
            Value::Array(a) => {
                let mut seq = serializer.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Struct(m) => {
                let mut map = serializer.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(VALUE_TOKEN, ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any XML-RPC or JSON value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Double(v as f64), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Double(v as f64), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Double(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Double(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Base64(v.to_vec()))
    }
    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(Value::Base64(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element::<Value>()? {
            out.push(v);
        }
        out.shrink_to_fit();
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out: Vec<(String, Value)> =
            Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(key) = map.next_key::<String>()? {
            if out.is_empty() && key == DATETIME_KEY {
                let text: String = map.next_value()?;
                if map.next_key::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::custom(
                        "unexpected member after a dateTime marker",
                    ));
                }
                return Ok(Value::DateTime(text));
            }
            let value: Value = map.next_value()?;
            out.push((key, value));
        }
        out.shrink_to_fit();
        Ok(Value::Struct(out))
    }
}
