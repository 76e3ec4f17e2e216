//! Serde `Serializer` writing XML-RPC `methodCall` bodies.
//!
//! Forms written: `<int>` within i32 and `<i8>` beyond, `<double>` (Python `repr` form), `<boolean>`,
//! `<string>` (escaped), `<array>`, `<struct>`, `<nil/>` for `None`/unit. Bytes go out as base64 text in
//! a `<string>` (Odoo cannot store a `<base64>` value). Map keys must be strings.

use std::fmt::{self, Write as _};

use base64::Engine as _;
use serde::ser::{self, Serialize};

use crate::value::DATETIME_TOKEN;

/// Error of the serializer (becomes [`crate::Error::Encode`]).
#[derive(Debug)]
pub(crate) struct EncodeError(pub(crate) String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        EncodeError(msg.to_string())
    }
}

type Result<T, E = EncodeError> = std::result::Result<T, E>;

/// Is `c` allowed in an XML 1.0 document?
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `s` escaped for XML text: `&`, `<`, `>` as entities and `\r` as `&#13;` (so that XML
/// end-of-line normalisation does not turn it into `\n`). Characters XML cannot carry at all
/// (control characters other than tab, newline and carriage return; U+FFFE, U+FFFF) are an error.
pub(crate) fn escape_into(out: &mut String, s: &str) -> Result<()> {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\r' => "&#13;",
            b'\t' | b'\n' => continue,
            0..=0x1f => {
                return Err(EncodeError(format!(
                    "the string {:?} holds the control character U+{b:04X}, which XML cannot carry",
                    preview(s)
                )));
            }
            // U+FFFE / U+FFFF are EF BF BE / EF BF BF in UTF-8.
            0xEF if s.as_bytes().get(i + 1) == Some(&0xBF)
                && matches!(s.as_bytes().get(i + 2), Some(0xBE | 0xBF)) =>
            {
                return Err(EncodeError(format!(
                    "the string {:?} holds a non-character (U+FFFE/U+FFFF), which XML cannot carry",
                    preview(s)
                )));
            }
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
    debug_assert!(s.chars().all(xml_char));
    Ok(())
}

fn preview(s: &str) -> String {
    let cut: String = s.chars().take(40).collect();
    if cut.len() < s.len() {
        format!("{cut}...")
    } else {
        cut
    }
}

/// Writes `f` the way Python's `repr(float)` does: shortest round-trip digits, positional for
/// exponents in [-4, 16), scientific (`1e+16`, `1.5e-05`) otherwise; `nan`, `inf`, `-inf`.
pub(crate) fn write_double(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("nan");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f > 0.0 { "inf" } else { "-inf" });
        return;
    }
    // `{:e}` gives the shortest round-trip digits: "-1.2345e-7", "1e16", "0e0".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let mut digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    prefer_even_on_tie(&mut digits, exp, f);
    if neg {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        if exp < 0 {
            out.push_str("0.");
            for _ in 0..(-exp - 1) {
                out.push('0');
            }
            out.push_str(&digits);
        } else {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                for _ in digits.len()..int_len {
                    out.push('0');
                }
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
}

/// Python's `repr` breaks a tie between two shortest round-trip digit strings (the exact value
/// lies halfway between them: `205098818678501.125` → `...501.12`) towards the even last digit;
/// Rust's shortest form picks the upper one. Both read back as the same float; this keeps the
/// bytes Python's.
fn prefer_even_on_tie(digits: &mut String, exp: i32, f: f64) {
    let Some(last) = digits.bytes().last().map(|b| b - b'0') else {
        return;
    };
    if last % 2 == 0 || last == 9 {
        return;
    }
    let n = digits.len();
    let exact = format!("{:.*e}", n + 40, f.abs());
    let exact_digits: String = exact
        .split('e')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| *c != '.')
        .collect();
    // A tie: the exact value is the lower candidate followed by a single 5.
    let lower_last = char::from(b'0' + last - 1);
    let mut lower = digits[..n - 1].to_owned();
    lower.push(lower_last);
    let tail = &exact_digits[n.min(exact_digits.len())..];
    let is_tie = exact_digits.starts_with(&lower)
        && tail.starts_with('5')
        && tail[1..].bytes().all(|b| b == b'0');
    if !is_tie {
        return;
    }
    // The even candidate must read back as the same float too (it does on a tie, but check).
    let candidate = format!("{lower}e{}", exp - (n as i32 - 1));
    if candidate.parse::<f64>().ok() == Some(f.abs()) {
        *digits = lower;
    }
}

/// Serializes one value (the content of a `<value>` element) into `out`.
pub(crate) struct ValueSer<'a> {
    pub(crate) out: &'a mut String,
}

impl ValueSer<'_> {
    fn int(self, v: i128) -> Result<()> {
        if i32::try_from(v).is_ok() {
            let _ = write!(self.out, "<int>{v}</int>");
        } else {
            let _ = write!(self.out, "<i8>{v}</i8>");
        }
        Ok(())
    }

    fn string(self, v: &str) -> Result<()> {
        self.out.push_str("<string>");
        escape_into(self.out, v)?;
        self.out.push_str("</string>");
        Ok(())
    }
}

/// Writes `<struct>` members; also used for newtype/tuple/struct variants (`{variant: ...}`).
pub(crate) struct StructSer<'a> {
    out: &'a mut String,
    /// Close an extra `</value></member></struct>` (enum variants wrap their content).
    variant: bool,
}

/// Writes `<array>` elements.
pub(crate) struct ArraySer<'a> {
    out: &'a mut String,
    variant: bool,
}

fn open_variant(out: &mut String, variant: &str) -> Result<()> {
    out.push_str("<struct><member><name>");
    escape_into(out, variant)?;
    out.push_str("</name><value>");
    Ok(())
}

const CLOSE_VARIANT: &str = "</value></member></struct>";

impl<'a> ser::Serializer for ValueSer<'a> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = ArraySer<'a>;
    type SerializeTuple = ArraySer<'a>;
    type SerializeTupleStruct = ArraySer<'a>;
    type SerializeTupleVariant = ArraySer<'a>;
    type SerializeMap = StructSer<'a>;
    type SerializeStruct = StructSer<'a>;
    type SerializeStructVariant = StructSer<'a>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.out.push_str(if v {
            "<boolean>1</boolean>"
        } else {
            "<boolean>0</boolean>"
        });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        match i128::try_from(v) {
            Ok(v) => self.int(v),
            Err(_) => Err(EncodeError(format!("integer {v} is too large for XML-RPC"))),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        // Through its decimal text so that 0.1f32 goes out as 0.1, not 0.10000000149011612.
        let as64 = v.to_string().parse::<f64>().unwrap_or(f64::from(v));
        self.serialize_f64(as64)
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        self.out.push_str("<double>");
        write_double(self.out, v);
        self.out.push_str("</double>");
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        self.out.push_str("<string>");
        base64::engine::general_purpose::STANDARD.encode_string(v, self.out);
        self.out.push_str("</string>");
        Ok(())
    }
    fn serialize_none(self) -> Result<()> {
        self.out.push_str("<nil/>");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        if name == DATETIME_TOKEN {
            let mut tmp = String::new();
            value.serialize(ValueSer { out: &mut tmp })?;
            let Some(text) = tmp
                .strip_prefix("<string>")
                .and_then(|t| t.strip_suffix("</string>"))
            else {
                return Err(EncodeError("a dateTime value must hold its text".into()));
            };
            self.out.push_str("<dateTime.iso8601>");
            self.out.push_str(text);
            self.out.push_str("</dateTime.iso8601>");
            return Ok(());
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        open_variant(self.out, variant)?;
        value.serialize(ValueSer {
            out: &mut *self.out,
        })?;
        self.out.push_str(CLOSE_VARIANT);
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<ArraySer<'a>> {
        self.out.push_str("<array><data>");
        Ok(ArraySer {
            out: self.out,
            variant: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<ArraySer<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<ArraySer<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<ArraySer<'a>> {
        open_variant(self.out, variant)?;
        self.out.push_str("<array><data>");
        Ok(ArraySer {
            out: self.out,
            variant: true,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<StructSer<'a>> {
        self.out.push_str("<struct>");
        Ok(StructSer {
            out: self.out,
            variant: false,
        })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<StructSer<'a>> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<StructSer<'a>> {
        open_variant(self.out, variant)?;
        self.out.push_str("<struct>");
        Ok(StructSer {
            out: self.out,
            variant: true,
        })
    }
}

impl ArraySer<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.out.push_str("<value>");
        value.serialize(ValueSer {
            out: &mut *self.out,
        })?;
        self.out.push_str("</value>");
        Ok(())
    }
    fn finish(self) -> Result<()> {
        self.out.push_str("</data></array>");
        if self.variant {
            self.out.push_str(CLOSE_VARIANT);
        }
        Ok(())
    }
}

impl ser::SerializeSeq for ArraySer<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}
impl ser::SerializeTuple for ArraySer<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}
impl ser::SerializeTupleStruct for ArraySer<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}
impl ser::SerializeTupleVariant for ArraySer<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl StructSer<'_> {
    fn member<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        self.out.push_str("<member><name>");
        escape_into(self.out, key)?;
        self.out.push_str("</name><value>");
        value.serialize(ValueSer {
            out: &mut *self.out,
        })?;
        self.out.push_str("</value></member>");
        Ok(())
    }
    fn finish(self) -> Result<()> {
        self.out.push_str("</struct>");
        if self.variant {
            self.out.push_str(CLOSE_VARIANT);
        }
        Ok(())
    }
}

impl ser::SerializeMap for StructSer<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.out.push_str("<member><name>");
        key.serialize(KeySer {
            out: &mut *self.out,
        })?;
        self.out.push_str("</name>");
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.out.push_str("<value>");
        value.serialize(ValueSer {
            out: &mut *self.out,
        })?;
        self.out.push_str("</value></member>");
        Ok(())
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}
impl ser::SerializeStruct for StructSer<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.member(key, value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}
impl ser::SerializeStructVariant for StructSer<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.member(key, value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

fn key_error(found: &str) -> EncodeError {
    EncodeError(format!(
        "struct member names must be strings, found {found}"
    ))
}

macro_rules! reject {
    ($($method:ident($($arg:ty),*) => $what:literal;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<()> {
            Err(key_error($what))
        })*
    };
}

/// Serializes a struct member name: strings (and chars, unit variants) only.
struct KeySer<'a> {
    out: &'a mut String,
}

impl ser::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = ser::Impossible<(), EncodeError>;
    type SerializeTuple = ser::Impossible<(), EncodeError>;
    type SerializeTupleStruct = ser::Impossible<(), EncodeError>;
    type SerializeTupleVariant = ser::Impossible<(), EncodeError>;
    type SerializeMap = ser::Impossible<(), EncodeError>;
    type SerializeStruct = ser::Impossible<(), EncodeError>;
    type SerializeStructVariant = ser::Impossible<(), EncodeError>;

    fn serialize_str(self, v: &str) -> Result<()> {
        escape_into(self.out, v)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        escape_into(self.out, v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        escape_into(self.out, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    reject! {
        serialize_bool(bool) => "a boolean";
        serialize_i8(i8) => "an integer";
        serialize_i16(i16) => "an integer";
        serialize_i32(i32) => "an integer";
        serialize_i64(i64) => "an integer";
        serialize_i128(i128) => "an integer";
        serialize_u8(u8) => "an integer";
        serialize_u16(u16) => "an integer";
        serialize_u32(u32) => "an integer";
        serialize_u64(u64) => "an integer";
        serialize_u128(u128) => "an integer";
        serialize_f32(f32) => "a float";
        serialize_f64(f64) => "a float";
        serialize_bytes(&[u8]) => "bytes";
        serialize_none() => "None";
        serialize_unit() => "a unit";
        serialize_unit_struct(&'static str) => "a unit struct";
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<()> {
        Err(key_error("an Option"))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(key_error("an enum variant with data"))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_error("a sequence"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(key_error("a tuple"))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(key_error("a tuple struct"))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_error("an enum variant with data"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_error("a map"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(key_error("a struct"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_error("an enum variant with data"))
    }
}

/// Serializes the call parameters: a sequence whose elements become `<param>`s.
pub(crate) struct ParamsSer<'a> {
    pub(crate) out: &'a mut String,
}

pub(crate) struct ParamsSeq<'a> {
    out: &'a mut String,
}

impl ParamsSeq<'_> {
    fn param<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.out.push_str("<param><value>");
        value.serialize(ValueSer {
            out: &mut *self.out,
        })?;
        self.out.push_str("</value></param>");
        Ok(())
    }
}

fn params_error() -> EncodeError {
    EncodeError("call parameters must serialise as a sequence (a tuple, Vec or array)".into())
}

impl<'a> ser::Serializer for ParamsSer<'a> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = ParamsSeq<'a>;
    type SerializeTuple = ParamsSeq<'a>;
    type SerializeTupleStruct = ParamsSeq<'a>;
    type SerializeTupleVariant = ser::Impossible<(), EncodeError>;
    type SerializeMap = ser::Impossible<(), EncodeError>;
    type SerializeStruct = ser::Impossible<(), EncodeError>;
    type SerializeStructVariant = ser::Impossible<(), EncodeError>;

    fn serialize_seq(self, _len: Option<usize>) -> Result<ParamsSeq<'a>> {
        Ok(ParamsSeq { out: self.out })
    }
    fn serialize_tuple(self, _len: usize) -> Result<ParamsSeq<'a>> {
        Ok(ParamsSeq { out: self.out })
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<ParamsSeq<'a>> {
        Ok(ParamsSeq { out: self.out })
    }
    fn serialize_unit(self) -> Result<()> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_bool(self, _v: bool) -> Result<()> {
        Err(params_error())
    }
    fn serialize_i8(self, _v: i8) -> Result<()> {
        Err(params_error())
    }
    fn serialize_i16(self, _v: i16) -> Result<()> {
        Err(params_error())
    }
    fn serialize_i32(self, _v: i32) -> Result<()> {
        Err(params_error())
    }
    fn serialize_i64(self, _v: i64) -> Result<()> {
        Err(params_error())
    }
    fn serialize_u8(self, _v: u8) -> Result<()> {
        Err(params_error())
    }
    fn serialize_u16(self, _v: u16) -> Result<()> {
        Err(params_error())
    }
    fn serialize_u32(self, _v: u32) -> Result<()> {
        Err(params_error())
    }
    fn serialize_u64(self, _v: u64) -> Result<()> {
        Err(params_error())
    }
    fn serialize_f32(self, _v: f32) -> Result<()> {
        Err(params_error())
    }
    fn serialize_f64(self, _v: f64) -> Result<()> {
        Err(params_error())
    }
    fn serialize_char(self, _v: char) -> Result<()> {
        Err(params_error())
    }
    fn serialize_str(self, _v: &str) -> Result<()> {
        Err(params_error())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<()> {
        Err(params_error())
    }
    fn serialize_none(self) -> Result<()> {
        Err(params_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
    ) -> Result<()> {
        Err(params_error())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(params_error())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(params_error())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(params_error())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(params_error())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(params_error())
    }
}

impl ser::SerializeSeq for ParamsSeq<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.param(value)
    }
    fn end(self) -> Result<()> {
        Ok(())
    }
}
impl ser::SerializeTuple for ParamsSeq<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.param(value)
    }
    fn end(self) -> Result<()> {
        Ok(())
    }
}
impl ser::SerializeTupleStruct for ParamsSeq<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.param(value)
    }
    fn end(self) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    /// `repr(float)` as Python 3.11 printed it for these bit patterns, ties (an exact value
    /// halfway between two shortest digit strings) among them.
    #[test]
    fn doubles_are_written_as_python_repr_writes_them() {
        let cases: &[(u64, &str)] = &[
            (0x42e751294765dca4, "205098818678501.12"),
            (0x3fc0000000000000, "0.125"),
            (0x4004000000000000, "2.5"),
            (0x4341c37937e08001, "1.0000000000000002e+16"),
            (0x42dc12218377de68, "123456789012345.62"),
            (0x4340000000000000, "9007199254740992.0"),
            (0x3fd3333333333334, "0.30000000000000004"),
            (0x3fd5555555555555, "0.3333333333333333"),
            (0x0000000000000001, "5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0x4330000000000002, "4503599627370498.0"),
            (0x42d0000000000018, "70368744177664.38"),
            (0xc2e751294765dca4, "-205098818678501.12"),
            (0x3e7ad7f29abcaf48, "1e-07"),
            (0x42f15939f767c45c, "305198756428869.75"),
            (0x4309f23ade47dde6, "912901133630396.8"),
            (0x430b6daf8a235f56, "965053134433258.8"),
            (0x430e03ad375c64f2, "1056036474293406.2"),
            (0x430b64203b67177f, "963739246191343.9"),
            (0x430eaffe3529c3bb, "1079719456225399.4"),
            (0x42d1466988cc9558, "75976463823445.38"),
            (0x42f8cb71cfb10f6e, "436193069830390.9"),
            (0x42f0c7dde527100e, "295209717100800.9"),
            (0x42de1ae2ccfa5a10, "132403292268904.25"),
            (0x42bd6d3fd42359c0, "32355059508057.75"),
            (0x42fb1f2377b9aa2a, "477128847760034.6"),
            (0x430dd2b174e4158c, "1049304242094769.5"),
            (0x42f9ec8c40695456, "456060096124229.4"),
            (0x430a023e186c5bb1, "915101889432438.1"),
            (0x430446091c321752, "713313059488490.2"),
            (0x42e237ae3c180fcc, "160242845401214.38"),
            (0x430f9d6003a28984, "1112344997679408.5"),
            (0x42eccf602b867650, "253415978185650.5"),
            (0x430f3959b94e30cb, "1098597725226521.4"),
            (0x42e74f5beac3b014, "205036895739264.62"),
            (0x430f446a825ba5d3, "1100118565287098.4"),
            (0x430c892c505464b6, "1004015345896598.8"),
            (0x42ec363405fb542c, "248153012951713.38"),
        ];
        for (bits, want) in cases {
            let f = f64::from_bits(*bits);
            let mut out = String::new();
            super::write_double(&mut out, f);
            assert_eq!(out, *want, "bits {bits:#018x}");
            assert_eq!(out.parse::<f64>().ok(), Some(f), "{out} reads back");
        }
    }
}
