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

fn with_context(r: &de::XmlReader<'_>, mut e: DecodeError) -> Error {
    if e.path.is_empty() {
        e.path = r.path_string();
    }
    if e.offset.is_none() {
        e.offset = Some(r.position());
    }
    Error::Decode(e)
}

/// Reads a `methodResponse` body straight into `T` (or a [`Fault`]).
///
/// Errors name what was wrong, the path of the value (e.g. `[3].partner_id`) and the byte offset.
/// Nesting deeper than [`MAX_DEPTH`] is an error.
pub fn decode_response<'de, T: Deserialize<'de>>(body: &'de [u8]) -> Result<Response<T>> {
    let text = to_utf8(body)?;
    let mut r = de::XmlReader::new(text);
    r.response::<T>().map_err(|e| with_context(&r, *e))
}

/// Reads a `methodCall` body (what [`encode_call`] writes): the method name and the parameters.
pub fn decode_call<'de, P: Deserialize<'de>>(body: &'de [u8]) -> Result<(Cow<'de, str>, P)> {
    let text = to_utf8(body)?;
    let mut r = de::XmlReader::new(text);
    r.call::<P>().map_err(|e| with_context(&r, *e))
}
