//! The public entry point: [`generate`] turns a [`Schema`] into the files of a bindings crate.

use std::fmt;
use std::sync::Arc;

use crate::emit;
use crate::error::{Error, Result, Warning};
use crate::names::ModelNames;
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
    /// These features, each a model's technical name (`res.partner`), a model's Cargo feature as the
    /// generated `Cargo.toml` names it (`res_partner`), an Odoo module feature (`module-<name>`) or
    /// `all`, translated to the generated feature names. An entry matching nothing is an
    /// [`Error::InvalidSetting`] suggesting close names ([`Settings::check`] reports it early).
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

    /// Runs every check [`generate`] makes of these settings, without emitting anything, so a caller
    /// can report bad settings before slow work: the package name (`crate_name`) and version
    /// (`crate_version`), the runtime dependency (`runtime_path`, `runtime_version`: a Cargo version
    /// requirement) and each [`DefaultFeatures::List`] entry against `schema`, which must be the
    /// schema later given to [`generate`] (already filtered: feature names depend on the models kept).
    ///
    /// Errors are [`Error::InvalidSetting`]s naming the setting and the bad value. An empty schema is
    /// not a settings problem: its default feature entries are not checked here ([`generate`] refuses
    /// it with [`Error::EmptySchema`]).
    pub fn check(&self, schema: &Schema) -> Result<()> {
        self.validate()?;
        if matches!(self.default_features, DefaultFeatures::List(_)) && !schema.models.is_empty() {
            let names = ModelNames::new(schema.models.keys().map(String::as_str));
            emit::cargo::default_features(schema, self, &names)?;
        }
        Ok(())
    }

    /// The checks that need no schema.
    fn validate(&self) -> Result<()> {
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
        if let Err(problem) = version::check_version(&self.crate_version) {
            return Err(Error::InvalidSetting {
                setting: "crate_version",
                reason: format!(
                    "`{}` is not a package version (`MAJOR.MINOR.PATCH`, like `0.1.0`): {problem}",
                    self.crate_version
                ),
            });
        }
        match &self.runtime {
            RuntimeDependency::Path(p) if p.is_empty() || p.contains(['\n', '\r']) => {
                Err(Error::InvalidSetting {
                    setting: "runtime_path",
                    reason: format!("`{p}` is not a usable path"),
                })
            }
            RuntimeDependency::Version(v) => match version::check_version_req(v) {
                Ok(()) => Ok(()),
                Err(problem) => Err(Error::InvalidSetting {
                    setting: "runtime_version",
                    reason: format!(
                        "`{v}` is not a Cargo version requirement (like `0.1`, `^0.1.2` or `>=0.1, <0.3`): {problem}"
                    ),
                }),
            },
            RuntimeDependency::Path(_) => Ok(()),
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
///
/// The settings are checked first, by [`Settings::check`].
pub fn generate(schema: &Schema, settings: &Settings) -> Result<Generated> {
    settings.check(schema)?;
    emit::emit_crate(schema, settings)
}

/// Cargo's version grammar, checked with the `semver` crate Cargo parses versions and requirements
/// with, so that a bad `crate_version` or `runtime_version` is refused here rather than by Cargo
/// building the generated crate.
mod version {
    /// A package version: `MAJOR.MINOR.PATCH`, then optionally `-pre.release` and `+build.meta`.
    pub(super) fn check_version(text: &str) -> Result<(), String> {
        semver::Version::parse(text)
            .map(drop)
            .map_err(|e| e.to_string())
    }

    /// A version requirement: `*`, or comma-separated comparators (`^0.1.2`, `>=0.1, <0.3`...).
    pub(super) fn check_version_req(text: &str) -> Result<(), String> {
        semver::VersionReq::parse(text)
            .map(drop)
            .map_err(|e| e.to_string())
    }

    #[cfg(test)]
    mod tests {
        use super::{check_version, check_version_req};

        #[test]
        fn versions() {
            for ok in [
                "0.1.0",
                "1.2.3",
                "1.2.3-alpha.1",
                "1.2.3+build.01",
                "1.0.0-0.3.7+x-y",
            ] {
                assert_eq!(check_version(ok), Ok(()), "{ok}");
            }
            for bad in [
                "",
                "1",
                "1.2",
                "01.2.3",
                "1.2.3-",
                "1.2.3-01",
                "1.2.3+",
                "1.2.3 ",
                "v1.2.3",
                "1.2.3-a..b",
                "99999999999999999999.0.0",
            ] {
                assert!(check_version(bad).is_err(), "{bad}");
            }
        }

        #[test]
        fn requirements() {
            for ok in [
                "0.1",
                "1",
                "1.2.3",
                "^0.1.2",
                "~1.2",
                "=1.2.3",
                ">=0.1, <0.3",
                ">= 1.2 , < 2",
                "*",
                " * ",
                "x",
                "1.*",
                "1.x",
                "1.*.*",
                ">=1.2.*",
                "1.2.3-rc.1+meta",
                "<=1",
                "1.2.3 ",
            ] {
                assert_eq!(check_version_req(ok), Ok(()), "{ok}");
            }
            for bad in [
                "",
                " ",
                "not a version",
                "0.1\n",
                "1.2.3.4",
                "*, 1",
                "1.*.3",
                "v1",
                "01",
                "1.2.3-",
                ">=0.1,",
                ">=0.1 <0.3",
                "1.2-pre",
                "\"1\"",
                "==1",
                "1 2",
            ] {
                assert!(check_version_req(bad).is_err(), "{bad:?}");
            }
            let many = vec!["1"; 33].join(",");
            assert!(check_version_req(&many).is_err());
            let max = vec!["1"; 32].join(",");
            assert_eq!(check_version_req(&max), Ok(()));
        }
    }
}
