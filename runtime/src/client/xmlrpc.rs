//! XML-RPC glue: the codec in [`crate::xmlrpc`] plus Odoo's fault codes mapped onto [`Error`].
//!
//! `/xmlrpc/2` fault codes (`odoo/addons/base/controllers/rpc.py`): 1 any other exception (the
//! message is a traceback whose last line names the class), 2 `UserError` — and also
//! `ValidationError`, `MissingError` and `RedirectWarning`, which this code does not tell apart —,
//! 3 `AccessDenied`, 4 `AccessError`. Fault 2 always maps to [`Error::UserError`]: telling a
//! `MissingError` from the message text would depend on the server's language, while every one of
//! those classes *is* a `UserError` in Python, so that reading is never wrong. JSON-RPC and JSON-2
//! carry the class name and give the precise variant.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result, ServerError};
use crate::xmlrpc::{Fault, FaultKind, Response};

/// Encodes a `methodCall`.
pub(super) fn encode<P: Serialize + ?Sized>(
    method: &str,
    params: &P,
    call: &str,
) -> Result<Vec<u8>> {
    crate::xmlrpc::encode_call(method, params)
        .map(String::into_bytes)
        .map_err(|e| match e {
            Error::Encode(m) => Error::Encode(format!("{call}: {m}")),
            other => other,
        })
}

/// Decodes a `methodResponse` (HTTP 200) into `R`, or the fault into an [`Error`].
pub(super) fn decode<R: DeserializeOwned>(body: &[u8], call: &str, shown: &str) -> Result<R> {
    let head = &body[..body.len().min(512)];
    if !head
        .windows(b"<methodResponse".len())
        .any(|w| w == b"<methodResponse")
    {
        return Err(Error::Protocol {
            url: shown.to_owned(),
            message: format!("not an XML-RPC answer: {}", super::http::snippet(body)),
        });
    }
    match crate::xmlrpc::decode_response::<R>(body) {
        Ok(Response::Success(r)) => Ok(r),
        Ok(Response::Fault(fault)) => Err(fault_error(fault, call)),
        Err(Error::Decode(mut d)) => {
            if d.call.is_none() {
                d.call = Some(call.to_owned());
            }
            Err(Error::Decode(d))
        }
        Err(e) => Err(e),
    }
}

/// Maps an Odoo fault onto [`Error`] (see the module docs).
pub(crate) fn fault_error(fault: Fault, call: &str) -> Error {
    let kind = fault.kind();
    let (class, message, traceback) = match kind {
        FaultKind::Server => match fault.exception() {
            Some(exc) => (
                exc.class.to_owned(),
                exc.message.trim_end().to_owned(),
                Some(fault.message.clone()),
            ),
            None => ("XML-RPC fault 1".to_owned(), fault.message.clone(), None),
        },
        FaultKind::User => ("odoo.exceptions.UserError".to_owned(), fault.message, None),
        FaultKind::AccessDenied => (
            "odoo.exceptions.AccessDenied".to_owned(),
            fault.message,
            None,
        ),
        FaultKind::AccessError => (
            "odoo.exceptions.AccessError".to_owned(),
            fault.message,
            None,
        ),
        FaultKind::Other(code) => (format!("XML-RPC fault {code}"), fault.message, None),
    };
    let mut e = ServerError::new(class, message);
    e.traceback = traceback;
    e.call = Some(call.to_owned());
    e.fault_code = Some(fault.code);
    let e = Box::new(e);
    match kind {
        FaultKind::User => Error::UserError(e),
        FaultKind::AccessDenied => Error::AccessDenied(e),
        FaultKind::AccessError => Error::AccessError(e),
        FaultKind::Server | FaultKind::Other(_) => Error::Server(e),
    }
}
