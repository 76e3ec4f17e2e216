//! XML-RPC faults as Odoo raises them (`odoo/addons/base/controllers/rpc.py`).

use std::fmt;

use crate::Value;

/// A `<fault>`: its code and message (`faultCode`, `faultString`).
///
/// On `/xmlrpc/2`, the code tells the kind (see [`Fault::kind`]); for code 1 the message is a whole
/// Python traceback whose last lines name the exception ([`Fault::exception`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// `faultCode`.
    pub code: i32,
    /// `faultString`.
    pub message: String,
}

/// What a fault code means on Odoo's `/xmlrpc/2` endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// 1: an unexpected server error (the message is a traceback).
    Server,
    /// 2: `UserError`, `ValidationError`, `MissingError` (or `RedirectWarning`).
    User,
    /// 3: `AccessDenied` (wrong password or API key).
    AccessDenied,
    /// 4: `AccessError` (no right on the model or record).
    AccessError,
    /// Any other code.
    Other(i32),
}

/// The exception named by the last line of a code-1 traceback, e.g.
/// `ValueError: Invalid field 'x' on model 'res.partner'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultException<'a> {
    /// Exception class as Python printed it (`ValueError`, `psycopg2.errors.UniqueViolation`).
    pub class: &'a str,
    /// The exception's message (may span several lines; empty when there is none).
    pub message: &'a str,
}

fn looks_like_class(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_')
        })
}

impl Fault {
    /// The kind of fault, from the code.
    pub fn kind(&self) -> FaultKind {
        match self.code {
            1 => FaultKind::Server,
            2 => FaultKind::User,
            3 => FaultKind::AccessDenied,
            4 => FaultKind::AccessError,
            c => FaultKind::Other(c),
        }
    }

    /// For a server error (code 1) whose message is a Python traceback: the exception class and
    /// message from its last, unindented lines. `None` for other codes or another message shape.
    pub fn exception(&self) -> Option<FaultException<'_>> {
        if self.code != 1 {
            return None;
        }
        let text = self.message.trim_end();
        // The exception text starts after the last indented line (frames and carets are indented).
        let mut start = 0;
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            offset += line.len();
            if line.starts_with(' ') || line.starts_with('\t') {
                start = offset;
            }
        }
        let tail = &text[start.min(text.len())..];
        let (class, message) = match tail.split_once(": ") {
            Some((class, message)) => (class, message),
            None => (tail.trim(), ""),
        };
        let class = class.trim();
        looks_like_class(class).then_some(FaultException { class, message })
    }

    /// The exception class of a code-1 fault, e.g. `ValueError`.
    pub fn exception_class(&self) -> Option<&str> {
        self.exception().map(|e| e.class)
    }

    /// A fault from the decoded `<fault>` value (a struct with `faultCode` and `faultString`).
    ///
    /// The legacy `/xmlrpc` endpoints send a string `faultCode` (`"warning -- AccessError\n\n..."`,
    /// `"AccessDenied"`, or the exception text); it is mapped to the `/xmlrpc/2` codes by the same
    /// rules, and its text kept as the message when `faultString` is empty.
    pub(crate) fn from_value(value: &Value) -> Result<Fault, String> {
        let Some(members) = value.as_struct() else {
            return Err(format!(
                "expected a struct in <fault>, found <{}>",
                value.kind()
            ));
        };
        let get = |key: &str| members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v);
        let message = match get("faultString") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                return Err(format!(
                    "faultString must be a string, found <{}>",
                    other.kind()
                ));
            }
            None => return Err("the fault has no faultString".into()),
        };
        match get("faultCode") {
            Some(Value::Int(code)) => {
                let code = i32::try_from(*code)
                    .map_err(|_| format!("faultCode {code} is out of range"))?;
                Ok(Fault { code, message })
            }
            Some(Value::String(legacy)) => {
                let code = if legacy.starts_with("warning -- AccessError") {
                    4
                } else if legacy.starts_with("AccessDenied") {
                    3
                } else if legacy.starts_with("warning --") {
                    2
                } else {
                    1
                };
                let message = if message.is_empty() {
                    legacy.clone()
                } else {
                    message
                };
                Ok(Fault { code, message })
            }
            Some(other) => Err(format!(
                "faultCode must be an int, found <{}>",
                other.kind()
            )),
            None => Err("the fault has no faultCode".into()),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.exception() {
            Some(e) if e.message.is_empty() => write!(f, "server fault {}: {}", self.code, e.class),
            Some(e) => write!(f, "server fault {}: {}: {}", self.code, e.class, e.message),
            None => write!(f, "server fault {}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for Fault {}
