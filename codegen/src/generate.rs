//! The public entry point: [`generate`] turns a [`Schema`] into the files of a bindings crate.

use std::fmt;
use std::sync::Arc;

use crate::emit;
use crate::error::{Error, Result, Warning};
use crate::schema::Schema;

/// The version of this generator, written in every generated header.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How the generated crate depends on `odoo-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// `odoo-runtime = { path = "..." }` (relative to the generated crate, `/`-separated).
    Path(String),
    /// `odoo-runtime = { version = "..." }` (a registry version requirement).
    Version(String),
}

/// Which features the generated crate enables by default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DefaultFeatures {
    /// `default = []`: the user enables the models they use.
    #[default]
    None,
    /// Every model.
    All,
    /// These features (model technical names, or Odoo module names as `module-<name>`), translated to
    /// the generated feature names; unknown entries are an error.
    List(Vec<String>),
}

/// Generation settings (builder style: `Settings::new().crate_name("x").runtime_path("../runtime")`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The generated package name.
    pub crate_name: String,
    /// The generated package version.
    pub crate_version: String,
    /// How to depend on the runtime.
    pub runtime: RuntimeDependency,
    /// A label naming the snapshot the schema came from (written in headers; no timestamp, no URL).
    pub snapshot_label: String,
    /// The `default` feature.
    pub default_features: DefaultFeatures,
    /// Add an empty `[workspace]` table so the crate builds outside any enclosing workspace.
    pub standalone_workspace: bool,
    /// Called once per emitted model (see [`Settings::on_model_done`]); never changes the output.
    pub on_model_done: ModelDoneHook,
}

/// An optional progress callback, called with a model's technical name once that model is emitted.
///
/// It takes no part in comparisons (two hooks are always equal) and prints as `ModelDoneHook(set)` or
/// `ModelDoneHook(unset)`, so [`Settings`] keeps its derives and the output never depends on it.
#[derive(Clone, Default)]
pub struct ModelDoneHook(Option<Arc<ModelDoneFn>>);

/// The callback of a [`ModelDoneHook`].
pub type ModelDoneFn = dyn Fn(&str) + Send + Sync;

impl ModelDoneHook {
    /// A hook calling `f`.
    pub fn new(f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        ModelDoneHook(Some(Arc::new(f)))
    }

    /// Whether a callback is set.
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// Calls the callback, if any, with `model` (a technical name).
    pub(crate) fn call(&self, model: &str) {
        if let Some(f) = &self.0 {
            f(model);
        }
    }
}

impl fmt::Debug for ModelDoneHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.is_set() { "set" } else { "unset" };
        write!(f, "ModelDoneHook({state})")
    }
}

impl PartialEq for ModelDoneHook {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ModelDoneHook {}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            crate_name: "odoo-bindings".to_owned(),
            crate_version: "0.1.0".to_owned(),
            runtime: RuntimeDependency::Version(GENERATOR_VERSION.to_owned()),
            snapshot_label: "schema".to_owned(),
            default_features: DefaultFeatures::None,
            standalone_workspace: false,
            on_model_done: ModelDoneHook::default(),
        }
    }
}

impl Settings {
    /// The defaults: package `odoo-bindings` 0.1.0, runtime by this generator's version, no default
    /// feature, no `[workspace]` table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the generated package name (`[A-Za-z0-9_-]`, starting with a letter).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = name.into();
        self
    }

    /// Sets the generated package version.
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = version.into();
        self
    }

    /// Depends on the runtime by path (relative to the generated crate).
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime = RuntimeDependency::Path(path.into());
        self
    }

    /// Depends on the runtime by version requirement.
    pub fn runtime_version(mut self, version: impl Into<String>) -> Self {
        self.runtime = RuntimeDependency::Version(version.into());
        self
    }

    /// Names the snapshot in headers.
    pub fn snapshot_label(mut self, label: impl Into<String>) -> Self {
        self.snapshot_label = label.into();
        self
    }

    /// Sets the `default` feature.
    pub fn default_features(mut self, features: DefaultFeatures) -> Self {
        self.default_features = features;
        self
    }

    /// Adds (or not) an empty `[workspace]` table to the generated `Cargo.toml`.
    pub fn standalone_workspace(mut self, yes: bool) -> Self {
        self.standalone_workspace = yes;
        self
    }

    /// Calls `f` with each model's technical name once that model's file is emitted (for a progress
    /// display). Models are emitted in parallel: `f` is called from whichever thread emitted the
    /// model, in no particular order. The generated files do not depend on it.
    pub fn on_model_done(mut self, f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.on_model_done = ModelDoneHook::new(f);
        self
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let name_ok = self
            .crate_name
            .starts_with(|c: char| c.is_ascii_alphabetic())
            && self
                .crate_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !name_ok {
            return Err(Error::InvalidSetting {
                setting: "crate_name",
                reason: format!(
                    "`{}` is not a package name (ASCII letters, digits, `_`, `-`, starting with a letter)",
                    self.crate_name
                ),
            });
        }
        let version_ok = !self.crate_version.is_empty()
            && self
                .crate_version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
        if !version_ok {
            return Err(Error::InvalidSetting {
                setting: "crate_version",
                reason: format!("`{}` is not a version", self.crate_version),
            });
        }
        match &self.runtime {
            RuntimeDependency::Path(p) if p.is_empty() || p.contains(['\n', '\r']) => {
                Err(Error::InvalidSetting {
                    setting: "runtime_path",
                    reason: format!("`{p}` is not a usable path"),
                })
            }
            RuntimeDependency::Version(v) if v.is_empty() || v.contains(['\n', '\r']) => {
                Err(Error::InvalidSetting {
                    setting: "runtime_version",
                    reason: format!("`{v}` is not a version requirement"),
                })
            }
            _ => Ok(()),
        }
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the crate root, `/`-separated (`src/res_partner.rs`).
    pub path: String,
    /// The file's text.
    pub contents: String,
}

/// The result of [`generate`]: the crate's files (sorted by path) and the warnings met.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Generated {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Warning>,
}

impl Generated {
    /// The file at `path`, if generated.
    pub fn file(&self, path: &str) -> Option<&OutputFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// Generates a complete bindings crate for every model of `schema`.
///
/// Filter the schema first (`codegen::filter`) to generate a subset; relations to models left out stay
/// untyped (`AnyModel`).
pub fn generate(schema: &Schema, settings: &Settings) -> Result<Generated> {
    settings.validate()?;
    emit::emit_crate(schema, settings)
}
