//! The runtime's one error enum.

use std::fmt;

/// Result with the runtime's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the runtime.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A response body could not be decoded into the requested type.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A request could not be encoded (e.g. a map key that is not a string).
    #[error("cannot encode request: {0}")]
    Encode(String),
}

/// A decoding failure: what was wrong, where in the value (path such as `[0].partner_id[1]`) and where
/// in the body (byte offset), plus the call it belongs to when known (`res.partner.read`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What was wrong, e.g. `expected an integer, found <string>`.
    pub message: String,
    /// Path of the value inside the decoded document, e.g. `[3].partner_id`. Empty at top level.
    pub path: String,
    /// Byte offset in the body where the error was detected, when known.
    pub offset: Option<u64>,
    /// The call being decoded, e.g. `res.partner.search_read`, when known.
    pub call: Option<String>,
}

impl DecodeError {
    /// A new error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError { message: message.into(), path: String::new(), offset: None, call: None }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode ")?;
        if let Some(call) = &self.call {
            write!(f, "the response of {call}")?;
        } else {
            write!(f, "the response")?;
        }
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        if let Some(offset) = self.offset {
            write!(f, " (byte {offset})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DecodeError {}
