//! The crate's one error type, and the non-fatal [`Warning`]s a run collects.

use std::fmt;

/// Everything that can go wrong in `odoo-codegen` (no I/O happens here, so these are all input problems).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The schema holds nothing to generate.
    #[error("the schema holds no model to generate")]
    EmptySchema,
    /// A model is stored under a key that is not its technical name.
    #[error("model stored under key `{key}` is named `{name}`")]
    ModelKeyMismatch { key: String, name: String },
    /// A field is stored under a key that is not its technical name.
    #[error("field `{key}` of model `{model}` is named `{name}`")]
    FieldKeyMismatch {
        model: String,
        key: String,
        name: String,
    },
    /// A setting is invalid (crate name, version, feature list...).
    #[error("invalid setting `{setting}`: {reason}")]
    InvalidSetting {
        setting: &'static str,
        reason: String,
    },
    /// The emitted tokens of a file did not parse back as Rust (a generator bug).
    ///
    /// The message already holds the parser's text, so `error` is not exposed as
    /// [`source`](std::error::Error::source) (a `{:#}` chain would print it twice).
    #[error("generated code for `{path}` does not parse as Rust: {error}")]
    Syntax { path: String, error: syn::Error },
    /// A dump or snapshot could not be read.
    #[error("{what}: {reason}")]
    Input { what: String, reason: String },
    /// A dump or snapshot file is not the JSON expected: `<what>: line L column C: <problem>`.
    ///
    /// The message already holds the JSON error's text (once, position first), so `error` is not
    /// exposed as [`source`](std::error::Error::source) (a `{:#}` chain would print it twice).
    #[error("{what}: {}", json_message(.error))]
    Json {
        /// The input concerned (`snapshot file `models/res.partner.json``).
        what: String,
        /// The JSON error.
        error: serde_json::Error,
    },
}

/// A serde_json error as `line L column C: <problem>`, or just `<problem>` when the error has no
/// position (decoding an already parsed value).
pub fn json_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let (line, column) = (error.line(), error.column());
    if line == 0 {
        return text;
    }
    let suffix = format!(" at line {line} column {column}");
    let problem = text.strip_suffix(&suffix).unwrap_or(&text);
    format!("line {line} column {column}: {problem}")
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A non-fatal problem met while loading a schema or generating code, naming what it concerns.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Warning {
    /// The model concerned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The field concerned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What happened and what was done about it.
    pub message: String,
}

impl Warning {
    /// A warning about one field of one model.
    pub fn field(
        model: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Warning {
            model: Some(model.into()),
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A warning about a whole model.
    pub fn model(model: impl Into<String>, message: impl Into<String>) -> Self {
        Warning {
            model: Some(model.into()),
            field: None,
            message: message.into(),
        }
    }

    /// A warning about the whole run.
    pub fn general(message: impl Into<String>) -> Self {
        Warning {
            model: None,
            field: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.model, &self.field) {
            (Some(model), Some(field)) => write!(f, "{model}.{field}: {}", self.message),
            (Some(model), None) => write!(f, "{model}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}
