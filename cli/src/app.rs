//! What differs between the programs that run this command line: the name they are called by, the
//! directory their default output goes to, and how generated crates depend on `odoo-runtime`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

/// How a generated crate depends on `odoo-runtime` when neither `--runtime-path` nor
/// `--runtime-version` (nor `odoo-codegen.toml`) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// By version requirement, from the registry (`odoo-runtime = "0.1.0"`).
    Version(String),
    /// By path (a checkout of odoo-runtime, for local development).
    Path(PathBuf),
}

impl Default for RuntimeDependency {
    /// The release of odoo-runtime this tool was built with.
    fn default() -> Self {
        RuntimeDependency::Version(odoo_runtime::VERSION.to_owned())
    }
}

/// A program running the odoo-codegen command line: a settings builder, then [`App::run`].
///
/// ```no_run
/// // A project's xtask/src/main.rs:
/// fn main() -> std::process::ExitCode {
///     odoo_codegen_cli::App::xtask(env!("CARGO_MANIFEST_DIR")).run()
/// }
/// ```
#[derive(Debug, Clone)]
pub struct App {
    pub(crate) name: String,
    pub(crate) project_root: Option<PathBuf>,
    pub(crate) runtime: RuntimeDependency,
}

impl Default for App {
    fn default() -> Self {
        App::new("odoo-codegen")
    }
}

impl App {
    /// A program called `name` in help and messages (`cargo odoo`). The project root is the
    /// directory of the `odoo-codegen.toml` in use, else the current directory; generated crates
    /// depend on the odoo-runtime release this tool was built with.
    pub fn new(name: impl Into<String>) -> Self {
        App {
            name: name.into(),
            project_root: None,
            runtime: RuntimeDependency::default(),
        }
    }

    /// The cargo-xtask convention: called `cargo xtask`, a package of the project's workspace
    /// whose manifest directory (`env!("CARGO_MANIFEST_DIR")`) is given. The project root is that
    /// workspace's root: the nearest directory above the xtask whose `Cargo.toml` has a
    /// `[workspace]` table, else the xtask's parent directory.
    pub fn xtask(manifest_dir: impl AsRef<Path>) -> Self {
        App::new("cargo xtask").project_root(workspace_root(manifest_dir.as_ref()))
    }

    /// The project's directory: the default output (`generated/odoo-bindings`) is placed in it when
    /// `odoo-codegen.toml` does not name one, and its `odoo-codegen.toml` is used when none is
    /// found from the current directory upwards.
    pub fn project_root(mut self, dir: impl Into<PathBuf>) -> Self {
        self.project_root = Some(dir.into());
        self
    }

    /// How generated crates depend on odoo-runtime by default.
    pub fn runtime(mut self, runtime: RuntimeDependency) -> Self {
        self.runtime = runtime;
        self
    }

    /// Runs the command line on this process's arguments and returns its exit code.
    pub fn run(self) -> ExitCode {
        self.run_with_args(std::env::args_os())
    }

    /// Runs the command line on `args`, the program name first.
    pub fn run_with_args<I, A>(self, args: I) -> ExitCode
    where
        I: IntoIterator<Item = A>,
        A: Into<OsString>,
    {
        crate::run(self, args.into_iter().map(Into::into).collect())
    }
}

/// The root of the Cargo workspace the package in `manifest_dir` belongs to (see [`App::xtask`]).
fn workspace_root(manifest_dir: &Path) -> PathBuf {
    let parent = manifest_dir.parent().unwrap_or(manifest_dir);
    parent
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .ok()
                .and_then(|text| text.parse::<toml::Table>().ok())
                .is_some_and(|manifest| manifest.contains_key("workspace"))
        })
        .unwrap_or(parent)
        .to_path_buf()
}

static CURRENT: Mutex<Option<Arc<App>>> = Mutex::new(None);

/// Makes `app` the one whose defaults the commands use.
pub(crate) fn set_current(app: App) {
    *CURRENT.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(app));
}

/// The running program's settings (the defaults before [`App::run`]).
pub(crate) fn current() -> Arc<App> {
    CURRENT
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_with(|| Arc::new(App::default()))
        .clone()
}

/// The running program with its project root resolved: its own, else the directory of the settings
/// file, else the current directory.
pub(crate) fn resolved(config_dir: Option<&Path>) -> App {
    let mut app = (*current()).clone();
    if app.project_root.is_none() {
        app.project_root = Some(config_dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf));
    }
    app
}

/// The project root's `odoo-codegen.toml`, when the program has a project root and the file is
/// there (the settings used when none is found from the current directory upwards).
pub(crate) fn project_config() -> Option<PathBuf> {
    let path = current()
        .project_root
        .as_ref()?
        .join(crate::config::FILE_NAME);
    path.is_file().then_some(path)
}

/// Where default output goes (see [`resolved`]).
pub(crate) fn project_root() -> PathBuf {
    current()
        .project_root
        .clone()
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The help texts of `--runtime-path` and `--runtime-version`, saying which one is the default of
/// this program and what it is.
pub(crate) fn runtime_help(app: &App) -> (String, String) {
    match &app.runtime {
        RuntimeDependency::Version(version) => {
            let which = if *version == odoo_runtime::VERSION {
                ", the release this tool was built with"
            } else {
                ""
            };
            (
                "Depend on odoo-runtime by path instead of by version (its source on disk, for local \
                 development)"
                    .to_owned(),
                format!(
                    "Depend on odoo-runtime by version requirement (default: \"{version}\"{which})"
                ),
            )
        }
        RuntimeDependency::Path(path) => {
            let path = normal(path);
            let shown = match app
                .project_root
                .as_deref()
                .and_then(|root| path.strip_prefix(normal(root)).ok())
            {
                Some(inside) => format!("{} in the project root", inside.display()),
                None => path.display().to_string(),
            };
            (
                format!("Depend on odoo-runtime by path (default: {shown})"),
                "Depend on odoo-runtime by version requirement instead of by path (from the \
                 registry)"
                    .to_owned(),
            )
        }
    }
}

/// `path` without `.` and with `dir/..` pairs folded (lexically).
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `text` with the program's own name where it says `cargo xtask` (hints and help texts are
/// written with the xtask name).
pub(crate) fn named(text: &str) -> String {
    let app = current();
    if app.name == "cargo xtask" {
        text.to_owned()
    } else {
        text.replace("cargo xtask", &app.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xtask_s_project_root_is_its_workspace_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("Cargo.toml", "[workspace]\nmembers = [\"tools/xtask\"]\n");
        write(
            "tools/Cargo.toml",
            "[package]\nname = \"not-a-workspace\"\n",
        );
        write("tools/xtask/Cargo.toml", "[package]\nname = \"xtask\"\n");
        // Nested below a package that is no workspace: the workspace above it.
        assert_eq!(
            App::xtask(root.join("tools/xtask")).project_root,
            Some(root.to_path_buf())
        );
        // The usual `<workspace>/xtask`.
        write("xtask/Cargo.toml", "[package]\nname = \"xtask\"\n");
        assert_eq!(
            App::xtask(root.join("xtask")).project_root,
            Some(root.to_path_buf())
        );
        // No workspace found (an xtask that is its own workspace): its parent.
        let alone = tempfile::tempdir().unwrap();
        let xtask = alone.path().join("xtask");
        std::fs::create_dir_all(&xtask).unwrap();
        std::fs::write(xtask.join("Cargo.toml"), "[package]\n[workspace]\n").unwrap();
        assert_eq!(
            App::xtask(&xtask).project_root,
            Some(alone.path().to_path_buf())
        );
    }

    #[test]
    fn runtime_help_tells_the_program_s_default() {
        let (path, version) = runtime_help(&App::new("cargo odoo"));
        assert!(path.contains("instead of by version"), "{path}");
        assert_eq!(
            version,
            format!(
                "Depend on odoo-runtime by version requirement (default: \"{}\", the release this \
                 tool was built with)",
                odoo_runtime::VERSION
            )
        );
        let app = App::new("x")
            .project_root("/work/repo")
            .runtime(RuntimeDependency::Path(
                "/work/repo/xtask/../runtime".into(),
            ));
        let (path, version) = runtime_help(&app);
        assert_eq!(
            path,
            "Depend on odoo-runtime by path (default: runtime in the project root)"
        );
        assert!(version.contains("instead of by path"), "{version}");
    }
}
