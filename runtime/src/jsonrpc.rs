//! JSON-RPC codec for Odoo's `/jsonrpc` route (no I/O: bodies in, values out).
//!
//! Request: `{"jsonrpc":"2.0","method":"call","params":{"service":S,"method":M,"args":[...]},"id":N}`.
//! Response: `{"jsonrpc":"2.0","id":N,"result":...}` or `{"jsonrpc":"2.0","id":N,"error":{"code",
//! "message","data":{"name","message","arguments","context","debug"}}}`, always with HTTP 200.
//! Odoo omits `result` when the method returned `None`: a missing `result` reads as `null`.
//! Errors are told apart by `error.data.name` (the Python class), never by `error.code`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{DecodeError, Error, Result, ServerError};

/// Encodes one JSON-RPC call of `service.method(*args)`.
pub fn encode_call<A: Serialize + ?Sized>(
    service: &str,
    method: &str,
    args: &A,
    id: u64,
) -> Result<Vec<u8>> {
    #[derive(Serialize)]
    struct Params<'a, A: ?Sized> {
        service: &'a str,
        method: &'a str,
        args: &'a A,
    }
    #[derive(Serialize)]
    struct Call<'a, A: ?Sized> {
        jsonrpc: &'static str,
        method: &'static str,
        params: Params<'a, A>,
        id: u64,
    }
    let call = Call {
        jsonrpc: "2.0",
        method: "call",
        params: Params {
            service,
            method,
            args,
        },
        id,
    };
    serde_json::to_vec(&call).map_err(|e| Error::Encode(format!("{service}.{method}: {e}")))
}

/// A decoded JSON-RPC answer.
#[derive(Debug)]
pub enum Response<T> {
    /// `result` (or `null` when it was missing).
    Success(T),
    /// `error`.
    Error(RpcError),
}

/// The `error` member of a JSON-RPC answer.
#[derive(Debug, Clone, Deserialize)]
pub struct RpcError {
    /// For server exceptions 200 on Odoo 17 and 18, 0 on Odoo 19 (both seen on the testbed's
    /// servers); 100 for an expired session, 404 for werkzeug `NotFound`. Not used to tell errors
    /// apart: `data.name` is.
    #[serde(default)]
    pub code: i64,
    /// `Odoo Server Error`, `Odoo Session Expired`, `404: Not Found`.
    #[serde(default)]
    pub message: String,
    /// `serialize_exception(e)`: the exception itself.
    #[serde(default)]
    pub data: Option<ErrorData>,
}

/// Odoo's `serialize_exception` output (JSON-RPC `error.data`, JSON-2 error bodies).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorData {
    /// `module.Class`, e.g. `odoo.exceptions.ValidationError`, `builtins.ValueError`.
    #[serde(default)]
    pub name: String,
    /// `"\n".join(map(str, e.args))`.
    #[serde(default)]
    pub message: String,
    /// `e.args`.
    #[serde(default)]
    pub arguments: Vec<serde_json::Value>,
    /// The traceback.
    #[serde(default)]
    pub debug: Option<String>,
}

impl RpcError {
    /// Maps the error onto the runtime's [`Error`], by `data.name`.
    pub fn into_error(self, call: Option<String>) -> Error {
        match self.data {
            Some(data) if !data.name.is_empty() => classify(data, call, None),
            Some(data) => {
                let message = if data.message.is_empty() {
                    self.message
                } else {
                    data.message
                };
                let mut e = ServerError::new(format!("JSON-RPC error {}", self.code), message);
                e.traceback = data.debug;
                e.call = call;
                Error::Server(Box::new(e))
            }
            None => {
                let mut e = ServerError::new(format!("JSON-RPC error {}", self.code), self.message);
                e.call = call;
                Error::Server(Box::new(e))
            }
        }
    }
}

/// Maps a `serialize_exception` payload onto [`Error`] by its class name. Used by JSON-RPC and
/// JSON-2. Builtin classes lose their `builtins.` prefix (`builtins.ValueError` → `ValueError`).
pub(crate) fn classify(data: ErrorData, call: Option<String>, http_status: Option<u16>) -> Error {
    let class = data
        .name
        .strip_prefix("builtins.")
        .unwrap_or(&data.name)
        .to_owned();
    let mut e = ServerError::new(class, data.message);
    e.traceback = data.debug;
    e.call = call;
    e.http_status = http_status;
    let e = Box::new(e);
    match data.name.as_str() {
        "odoo.exceptions.AccessDenied" => Error::AccessDenied(e),
        "odoo.exceptions.AccessError" => Error::AccessError(e),
        "odoo.exceptions.UserError" => Error::UserError(e),
        "odoo.exceptions.ValidationError" => Error::ValidationError(e),
        "odoo.exceptions.MissingError" => Error::MissingError(e),
        _ => Error::Server(e),
    }
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Envelope<T> {
    #[serde(default = "Option::default")]
    result: Option<T>,
    #[serde(default)]
    error: Option<RpcError>,
}

/// Decodes a JSON-RPC answer body into `T` (or the error object).
///
/// `call` (e.g. `res.partner.read`) is put in decode errors, together with the path of the value
/// that failed (e.g. `[3].partner_id`). A missing or `null` `result` is decoded from `null`.
pub fn decode_response<T: DeserializeOwned>(
    body: &[u8],
    call: Option<&str>,
) -> Result<Response<T>> {
    match serde_json::from_slice::<Envelope<T>>(body) {
        Ok(Envelope {
            error: Some(error), ..
        }) => Ok(Response::Error(error)),
        Ok(Envelope {
            result: Some(value),
            ..
        }) => Ok(Response::Success(value)),
        Ok(Envelope { result: None, .. }) => T::deserialize(serde_json::Value::Null)
            .map(Response::Success)
            .map_err(|e| {
                Error::Decode(decode_error(
                    format!("{e} (the result was null or missing)"),
                    String::new(),
                    call,
                ))
            }),
        Err(_) => Err(Error::Decode(locate_error::<Envelope<T>>(
            body,
            call,
            Some("result"),
        ))),
    }
}

/// Decodes a bare JSON value (JSON-2 answers), naming the failing path.
pub(crate) fn decode_bare<T: DeserializeOwned>(body: &[u8], call: Option<&str>) -> Result<T> {
    serde_json::from_slice::<T>(body)
        .map_err(|_| Error::Decode(locate_error::<T>(body, call, None)))
}

/// Re-runs a failed decode with path tracking, so the (rare) error path pays for it and the
/// (common) success path does not.
fn locate_error<T: DeserializeOwned>(
    body: &[u8],
    call: Option<&str>,
    strip: Option<&str>,
) -> DecodeError {
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => decode_error(
            "the value did not decode the same way twice".to_owned(),
            String::new(),
            call,
        ),
        Err(err) => {
            let mut path = String::new();
            let mut segments = err.path().iter().peekable();
            if let (Some(first), Some(strip)) = (segments.peek(), strip)
                && matches!(first, serde_path_to_error::Segment::Map { key } if key == strip)
            {
                segments.next();
            }
            for segment in segments {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => {
                        path.push_str(&format!("[{index}]"))
                    }
                    serde_path_to_error::Segment::Map { key }
                    | serde_path_to_error::Segment::Enum { variant: key } => {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(key);
                    }
                    serde_path_to_error::Segment::Unknown => path.push_str(".?"),
                }
            }
            let inner = err.into_inner();
            let offset = byte_offset(body, inner.line(), inner.column());
            let mut d = decode_error(inner.to_string(), path, call);
            d.offset = offset;
            d
        }
    }
}

fn decode_error(message: String, path: String, call: Option<&str>) -> DecodeError {
    let mut d = DecodeError::new(message);
    d.path = path;
    d.call = call.map(str::to_owned);
    d
}

/// Byte offset of serde_json's (1-based line, 1-based column).
fn byte_offset(body: &[u8], line: usize, column: usize) -> Option<u64> {
    if line == 0 {
        return None;
    }
    let mut start = 0usize;
    for _ in 1..line {
        start += body.get(start..)?.iter().position(|&b| b == b'\n')? + 1;
    }
    u64::try_from(start + column.saturating_sub(1)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_odoo_envelope() {
        let body = encode_call("common", "version", &[(); 0], 7).unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"jsonrpc":"2.0","method":"call","params":{"service":"common","method":"version","args":[]},"id":7}"#
        );
    }

    #[test]
    fn missing_result_reads_as_null() {
        let r: Response<Option<i64>> =
            decode_response(br#"{"jsonrpc":"2.0","id":1}"#, None).unwrap();
        assert!(matches!(r, Response::Success(None)));
        let r: Response<()> = decode_response(br#"{"jsonrpc":"2.0","id":1}"#, None).unwrap();
        assert!(matches!(r, Response::Success(())));
        let err = decode_response::<bool>(br#"{"jsonrpc":"2.0","id":1}"#, Some("x.y")).unwrap_err();
        assert!(err.to_string().contains("x.y"), "{err}");
    }

    #[test]
    fn decode_error_names_call_and_path() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct P {
            id: i64,
            name: String,
        }
        let body =
            br#"{"jsonrpc":"2.0","id":1,"result":[{"id":1,"name":"a"},{"id":2,"name":false}]}"#;
        let err = decode_response::<Vec<P>>(body, Some("res.partner.read")).unwrap_err();
        let Error::Decode(d) = err else {
            panic!("{err:?}")
        };
        assert_eq!(d.path, "[1].name");
        assert_eq!(d.call.as_deref(), Some("res.partner.read"));
        assert!(d.offset.is_some());
    }
}
