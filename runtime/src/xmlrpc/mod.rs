//! XML-RPC codec: requests written by a serde `Serializer`, responses read by a streaming serde
//! `Deserializer` over quick-xml (no tree; strings borrowed from the body where possible).
//!
//! ```
//! use odoo_runtime::xmlrpc::{decode_response, encode_call, Response};
//!
//! let body = encode_call("execute_kw", &("db", 2, "pw", "res.partner", "search", [[(); 0]; 0]))?;
//! assert!(body.contains("<methodName>execute_kw</methodName>"));
//!
//! let reply = b"<?xml version='1.0'?><methodResponse><params><param><value><array><data>\
//!               <value><int>7</int></value></data></array></value></param></params></methodResponse>";
//! match decode_response::<Vec<i64>>(reply)? {
//!     Response::Success(ids) => assert_eq!(ids, [7]),
//!     Response::Fault(fault) => panic!("{fault}"),
//! }
//! # Ok::<(), odoo_runtime::Error>(())
//! ```

mod de;
mod fast;
mod fault;
mod ser;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::error::{DecodeError, Error, Result};

pub use de::MAX_DEPTH;
pub use fault::{Fault, FaultException, FaultKind};

/// A decoded `methodResponse`: the value, or the fault the server raised.
#[derive(Debug, Clone, PartialEq)]
pub enum Response<T> {
    /// `<params><param><value>`: the call's result.
    Success(T),
    /// `<fault>`: the call failed on the server.
    Fault(Fault),
}

impl<T> Response<T> {
    /// `Ok` for a success, `Err(fault)` for a fault.
    pub fn into_result(self) -> std::result::Result<T, Fault> {
        match self {
            Response::Success(v) => Ok(v),
            Response::Fault(f) => Err(f),
        }
    }
}

/// Writes a `methodCall` body. `params` must serialise as a sequence (tuple, `Vec`, array); each
/// element becomes one `<param>`.
pub fn encode_call<P: Serialize + ?Sized>(method: &str, params: &P) -> Result<String> {
    let mut out = String::with_capacity(256);
    out.push_str("<?xml version=\"1.0\"?><methodCall><methodName>");
    ser::escape_into(&mut out, method).map_err(|e| Error::Encode(format!("method name: {e}")))?;
    out.push_str("</methodName><params>");
    params
        .serialize(ser::ParamsSer { out: &mut out })
        .map_err(|e| Error::Encode(format!("{method}: {e}")))?;
    out.push_str("</params></methodCall>");
    Ok(out)
}

/// Writes one value as the content of a `<value>` element (e.g. `<int>5</int>`).
pub fn encode_value<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut out = String::new();
    value
        .serialize(ser::ValueSer { out: &mut out })
        .map_err(|e| Error::Encode(e.0))?;
    Ok(out)
}

fn to_utf8(body: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(body).map_err(|e| DecodeError {
        message: "the body is not valid UTF-8".into(),
        path: String::new(),
        offset: Some(e.valid_up_to() as u64),
        call: None,
    })
}

fn with_context<'de, S: de::EventSource<'de>>(
    r: &de::XmlReader<'de, S>,
    mut e: DecodeError,
) -> Error {
    if e.path.is_empty() {
        e.path = r.path_string();
    }
    if e.offset.is_none() {
        e.offset = Some(r.position());
    }
    Error::Decode(e)
}

/// The body without a leading byte order mark.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

// Decoding runs first over the canonical-subset tokenizer (`fast`, what servers write) and, when
// that fails for any reason (a form outside the subset, or an error in the body or the value),
// again over quick-xml's `Reader`, whose answer is final: the same value, or the error with its
// message, path and offset. Errors therefore cost two passes; successes one.

/// Reads a `methodResponse` body straight into `T` (or a [`Fault`]).
///
/// Errors name what was wrong, the path of the value (e.g. `[3].partner_id`) and the byte offset.
/// Nesting deeper than [`MAX_DEPTH`] is an error.
pub fn decode_response<'de, T: Deserialize<'de>>(body: &'de [u8]) -> Result<Response<T>> {
    decode_response_using(body, Tokenizer::Canonical)
        .or_else(|_| decode_response_using(body, Tokenizer::QuickXml))
}

/// Reads a `methodCall` body (what [`encode_call`] writes): the method name and the parameters.
pub fn decode_call<'de, P: Deserialize<'de>>(body: &'de [u8]) -> Result<(Cow<'de, str>, P)> {
    decode_call_using(body, Tokenizer::Canonical)
        .or_else(|_| decode_call_using(body, Tokenizer::QuickXml))
}

/// Which tokenizer a decode runs over; [`decode_response`] tries [`Tokenizer::Canonical`] and
/// falls back to [`Tokenizer::QuickXml`]. For differential tests and benchmarks.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tokenizer {
    /// The canonical-subset tokenizer alone: an error for anything outside the subset.
    Canonical,
    /// quick-xml's `Reader` alone: every form of XML.
    QuickXml,
}

/// [`decode_response`] over one tokenizer only, with no fallback.
#[doc(hidden)]
pub fn decode_response_using<'de, T: Deserialize<'de>>(
    body: &'de [u8],
    tokenizer: Tokenizer,
) -> Result<Response<T>> {
    let text = without_bom(to_utf8(body)?);
    match tokenizer {
        Tokenizer::Canonical => {
            let mut r = de::XmlReader::new(fast::CanonicalEvents::new(text));
            r.response::<T>().map_err(|e| with_context(&r, *e))
        }
        Tokenizer::QuickXml => {
            let mut r = de::XmlReader::new(quick_xml::Reader::from_str(text));
            r.response::<T>().map_err(|e| with_context(&r, *e))
        }
    }
}

/// [`decode_call`] over one tokenizer only, with no fallback.
#[doc(hidden)]
pub fn decode_call_using<'de, P: Deserialize<'de>>(
    body: &'de [u8],
    tokenizer: Tokenizer,
) -> Result<(Cow<'de, str>, P)> {
    let text = without_bom(to_utf8(body)?);
    match tokenizer {
        Tokenizer::Canonical => {
            let mut r = de::XmlReader::new(fast::CanonicalEvents::new(text));
            r.call::<P>().map_err(|e| with_context(&r, *e))
        }
        Tokenizer::QuickXml => {
            let mut r = de::XmlReader::new(quick_xml::Reader::from_str(text));
            r.call::<P>().map_err(|e| with_context(&r, *e))
        }
    }
}
