//! Secrets (passwords, API keys) that never show in `Debug`, `Display`, logs or errors.

use std::fmt;

/// A password or an API key.
///
/// `Debug` and `Display` print `Secret(***)` / `***`; the only way to read the text is
/// [`Secret::expose`], which the transports call when they build a request. The client also scrubs
/// the secret's text out of every error it returns (see [`crate::Error::redact`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// Reads the secret from the environment variable `var`.
    ///
    /// The error names the variable, never its value.
    pub fn from_env(var: &str) -> crate::Result<Self> {
        match std::env::var(var) {
            Ok(value) if !value.is_empty() => Ok(Secret(value)),
            Ok(_) => Err(crate::Error::Config(format!(
                "environment variable {var} is empty"
            ))),
            Err(std::env::VarError::NotPresent) => Err(crate::Error::Config(format!(
                "environment variable {var} is not set"
            ))),
            Err(std::env::VarError::NotUnicode(_)) => Err(crate::Error::Config(format!(
                "environment variable {var} is not valid UTF-8"
            ))),
        }
    }

    /// The secret text. Only for building requests: never log or format it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Best effort without `unsafe`: overwrite the text before the buffer is freed (`black_box`
        // keeps the optimiser from dropping the dead store).
        let len = self.0.len();
        self.0.clear();
        self.0.extend(std::iter::repeat_n('\0', len));
        std::hint::black_box(&mut self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(s.expose(), "hunter2-very-secret");
    }

    #[test]
    fn from_env_names_the_variable_only() {
        let err = Secret::from_env("ODOO_RUNTIME_TEST_SURELY_UNSET_VAR").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("ODOO_RUNTIME_TEST_SURELY_UNSET_VAR"),
            "{text}"
        );
    }
}
