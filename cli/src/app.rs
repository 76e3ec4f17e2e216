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

    /// The cargo-xtask convention: called `cargo xtask`, living in `<workspace>/xtask`, whose
    /// manifest directory (`env!("CARGO_MANIFEST_DIR")`) is given; the workspace is the project
    /// root.
    pub fn xtask(manifest_dir: impl AsRef<Path>) -> Self {
        let manifest_dir = manifest_dir.as_ref();
        let root = manifest_dir.parent().unwrap_or(manifest_dir);
        App::new("cargo xtask").project_root(root)
    }

    /// The directory the default output (`generated/odoo-bindings`) is placed in, when
    /// `odoo-codegen.toml` does not name one.
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

/// Where default output goes (see [`resolved`]).
pub(crate) fn project_root() -> PathBuf {
    current()
        .project_root
        .clone()
        .unwrap_or_else(|| PathBuf::from("."))
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
