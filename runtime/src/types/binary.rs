//! `Binary`: the base64 text of a binary/image field.

use std::fmt;

use base64::Engine as _;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// A binary field value as Odoo sends it: base64 text (or, when read with `bin_size` in the
/// context, a human size such as `"12.50 Kb"`). Its `Debug` shows the length, not the data.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary(String);

impl Binary {
    /// Wraps base64 text (not checked: it may also be a `bin_size` text).
    pub fn from_base64(text: impl Into<String>) -> Binary {
        Binary(text.into())
    }
    /// Encodes bytes as standard base64.
    pub fn from_bytes(bytes: &[u8]) -> Binary {
        Binary(base64::engine::general_purpose::STANDARD.encode(bytes))
    }
    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Decodes the base64 text (ASCII whitespace, e.g. line breaks, is ignored).
    pub fn decode(&self) -> Result<Vec<u8>, base64::DecodeError> {
        decode_base64(&self.0)
    }
}

/// Decodes base64 text the way Python's `base64.decodebytes` does for well-formed input: ASCII
/// whitespace is ignored and padding may be missing.
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    if text.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        ENGINE.decode(compact)
    } else {
        ENGINE.decode(text)
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} base64 chars)", self.0.len())
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Binary;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("base64 text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Binary, E> {
                Ok(Binary(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Binary, E> {
                Ok(Binary(v))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Binary, E> {
                Ok(Binary::from_bytes(v))
            }
        }
        deserializer.deserialize_str(V)
    }
}
