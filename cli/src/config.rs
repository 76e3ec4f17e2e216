//! `odoo-codegen.toml`: the project's connection and generation settings, so a project regenerates
//! with one word (`cargo xtask generate`), like `diesel.toml`.
//!
//! ```toml
//! [connection]
//! url = "https://mycompany.odoo.com"
//! db = "mycompany"
//! user = "integration@mycompany.com"
//! transport = "jsonrpc"
//! timeout = 300
//!
//! [generate]
//! models = ["res.partner", "sale.order*"]
//! modules = ["sale"]
//! exclude = ["*.report"]
//! depth = 1
//! output = "bindings"
//! crate_name = "mycompany-odoo"
//! runtime_path = "../odoo-codegen/runtime"
//! default_features = ["res.partner"]
//! workspace_member = true
//! ```
//!
//! - Found with `--config PATH`, else as `odoo-codegen.toml` in the current directory or the nearest
//!   parent that has one, else in the program's project root (see below).
//! - Precedence: command-line flags > environment (`ODOO_URL`, ...) > this file > built-in defaults.
//!   It is implemented by making each setting the default value of the matching flag of every
//!   subcommand that has that flag ([`Config::apply`]); clap then takes a flag or its environment
//!   variable first, and `--help` shows the file's value as the flag's default. `[connection]` reaches every subcommand with connection flags, `[generate]` only
//!   `generate`.
//! - Never a secret: `password`/`api_key` in the file are an error. The secret comes from
//!   `ODOO_PASSWORD` / `ODOO_API_KEY` in the environment or a `.env` file.
//! - Unknown keys, wrong types and bad values are errors naming the file, the line and the key.
//! - Relative paths (`output`, `runtime_path`) are relative to the directory holding the file, so the
//!   command behaves the same from any subdirectory.
//! - A program with a project root (a project's `cargo xtask`) uses the root's file when none is
//!   found from the current directory upwards.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use clap::Command;
use serde::Deserialize;
use toml::Spanned;

/// The file name looked for in the current directory and its parents.
pub const FILE_NAME: &str = "odoo-codegen.toml";

/// A configuration file problem: which file, which line, what is wrong. Exit code: bad usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} line {line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// A loaded configuration file.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Where it was read from.
    pub path: PathBuf,
    /// Every setting present in the file, in file order.
    pub settings: Vec<Setting>,
}

/// One `key = value` of the file, as flag values.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// What the key is and which flags it feeds.
    pub key: &'static Key,
    /// The value(s), as they would be typed after the flag.
    pub values: Vec<String>,
    /// 1-based line of the value.
    pub line: usize,
}

/// A key of the file and the subcommand flags it provides the default of.
#[derive(Debug, PartialEq, Eq)]
pub struct Key {
    /// `connection` or `generate`.
    pub section: &'static str,
    /// The key in the section.
    pub name: &'static str,
    /// Long names of the flags it fills (the first one found in a subcommand is used).
    pub flags: &'static [&'static str],
    /// Subcommands it applies to; empty means every subcommand having one of `flags`.
    pub commands: &'static [&'static str],
}

/// Every key the file accepts.
pub static KEYS: &[Key] = &[
    Key {
        section: "connection",
        name: "url",
        flags: &["url"],
        commands: &[],
    },
    Key {
        section: "connection",
        name: "db",
        flags: &["db", "database"],
        commands: &[],
    },
    Key {
        section: "connection",
        name: "user",
        flags: &["user", "login", "username"],
        commands: &[],
    },
    Key {
        section: "connection",
        name: "transport",
        flags: &["transport"],
        commands: &[],
    },
    Key {
        section: "connection",
        name: "timeout",
        flags: &["timeout"],
        commands: &[],
    },
    Key {
        section: "connection",
        name: "ca_cert",
        flags: &["ca-cert"],
        commands: &[],
    },
    Key {
        section: "connection",
        name: "max_rate",
        flags: &["max-rate"],
        commands: &[],
    },
    Key {
        section: "connection",
        name: "max_tries",
        flags: &["max-tries"],
        commands: &[],
    },
    Key {
        section: "connection",
        name: "retry_max_time",
        flags: &["retry-max-time"],
        commands: &[],
    },
    Key {
        section: "generate",
        name: "models",
        flags: &["models", "model"],
        commands: &["generate", "diff"],
    },
    Key {
        section: "generate",
        name: "modules",
        flags: &["modules", "module"],
        commands: &["generate", "diff"],
    },
    Key {
        section: "generate",
        name: "exclude",
        flags: &["exclude", "excludes"],
        commands: &["generate", "diff"],
    },
    Key {
        section: "generate",
        name: "depth",
        flags: &["depth", "relation-depth"],
        commands: &["generate", "diff"],
    },
    Key {
        section: "generate",
        name: "output",
        flags: &["output", "out", "output-dir"],
        commands: &["generate"],
    },
    Key {
        section: "generate",
        name: "crate_name",
        flags: &["crate-name"],
        commands: &["generate"],
    },
    Key {
        section: "generate",
        name: "runtime_path",
        flags: &["runtime-path", "runtime"],
        commands: &["generate"],
    },
    Key {
        section: "generate",
        name: "runtime_version",
        flags: &["runtime-version"],
        commands: &["generate"],
    },
    Key {
        section: "generate",
        name: "default_features",
        flags: &["default-features"],
        commands: &["generate"],
    },
    Key {
        section: "generate",
        name: "workspace_member",
        flags: &["workspace-member"],
        commands: &["generate"],
    },
];

fn key(section: &str, name: &str) -> &'static Key {
    KEYS.iter()
        .find(|k| k.section == section && k.name == name)
        .unwrap_or_else(|| unreachable!("config key {section}.{name} is missing from KEYS"))
}

// The file's shape. `deny_unknown_fields` turns a misspelt key into an error carrying its span.

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    connection: ConnectionSection,
    #[serde(default)]
    generate: GenerateSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConnectionSection {
    url: Option<Spanned<String>>,
    db: Option<Spanned<String>>,
    user: Option<Spanned<String>>,
    transport: Option<Spanned<String>>,
    timeout: Option<Spanned<i64>>,
    ca_cert: Option<Spanned<String>>,
    max_rate: Option<Spanned<toml::Value>>,
    max_tries: Option<Spanned<i64>>,
    retry_max_time: Option<Spanned<i64>>,
    // Accepted by the parser only to refuse them with a clear message.
    password: Option<Spanned<toml::Value>>,
    api_key: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GenerateSection {
    models: Option<Spanned<OneOrMany>>,
    modules: Option<Spanned<OneOrMany>>,
    exclude: Option<Spanned<OneOrMany>>,
    depth: Option<Spanned<i64>>,
    output: Option<Spanned<String>>,
    crate_name: Option<Spanned<String>>,
    runtime_path: Option<Spanned<String>>,
    runtime_version: Option<Spanned<String>>,
    default_features: Option<Spanned<OneOrMany>>,
    workspace_member: Option<Spanned<bool>>,
}

/// `"sale.*"` or `["sale.*", "res.partner"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// The `--config PATH` value in raw arguments (before clap runs: the file changes the flags' defaults).
///
/// Stops at `--`. Accepts `--config PATH` and `--config=PATH`.
pub fn path_from_args(args: &[OsString]) -> Option<PathBuf> {
    let mut iter = args.iter().skip(1);
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        if arg == "--config" {
            return iter.next().map(PathBuf::from);
        }
        if let Some(path) = arg.to_str().and_then(|a| a.strip_prefix("--config=")) {
            return Some(PathBuf::from(path));
        }
    }
    None
}

/// The file to use: `explicit` (which must exist), else the nearest `odoo-codegen.toml` from `start`
/// upwards, else none.
pub fn locate(explicit: Option<&Path>, start: &Path) -> Result<Option<PathBuf>, ConfigError> {
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(Some(path.to_path_buf()))
        } else {
            Err(ConfigError {
                path: path.to_path_buf(),
                line: None,
                message: if path.is_dir() {
                    "is a directory, not a settings file (given with --config)".to_owned()
                } else {
                    "no such file (given with --config)".to_owned()
                },
            })
        };
    }
    Ok(start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file()))
}

/// Whether a URL carries a password in its user info (`https://user:password@host`).
fn has_password(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .is_some_and(|(user_info, _)| user_info.contains(':'))
}

/// Parses the file's text; relative paths are resolved against `base`. Errors are (line, message).
fn parse(text: &str, base: &Path) -> Result<Config, (Option<usize>, String)> {
    let file: File = toml::from_str(text).map_err(|err| {
        let line = err.span().map(|span| line_of(text, span.start));
        (line, describe_toml_error(text, &err, line))
    })?;
    let mut settings = Vec::new();
    let mut push = |section: &str, name: &str, line: usize, values: Vec<String>| {
        settings.push(Setting {
            key: key(section, name),
            values,
            line,
        });
    };

    let c = file.connection;
    for (name, secret) in [("password", c.password), ("api_key", c.api_key)] {
        if let Some(secret) = secret {
            return Err((
                Some(line_of(text, secret.span().start)),
                format!(
                    "`{name}` is not allowed in [connection]: the file is meant to be committed, so \
                     secrets are never read from it; set ODOO_PASSWORD or ODOO_API_KEY in the \
                     environment or in a .env file instead"
                ),
            ));
        }
    }
    if let Some(url) = &c.url
        && has_password(url.get_ref())
    {
        return Err((
            Some(line_of(text, url.span().start)),
            "`connection.url` holds a password (`user:password@`): the file is meant to be \
             committed, so secrets are never read from it; write the URL without it and set \
             ODOO_PASSWORD or ODOO_API_KEY in the environment or in a .env file"
                .to_owned(),
        ));
    }
    for (name, value) in [
        ("url", c.url),
        ("db", c.db),
        ("user", c.user),
        ("transport", c.transport),
    ] {
        if let Some(value) = value {
            let line = line_of(text, value.span().start);
            push("connection", name, line, vec![value.into_inner()]);
        }
    }

    if let Some(timeout) = c.timeout {
        let line = line_of(text, timeout.span().start);
        let seconds = timeout.into_inner();
        if seconds < 1 {
            return Err((
                Some(line),
                format!("`connection.timeout` is in seconds and must be 1 or more, not {seconds}"),
            ));
        }
        push("connection", "timeout", line, vec![seconds.to_string()]);
    }
    for (name, value, least) in [
        ("max_tries", c.max_tries, 1),
        ("retry_max_time", c.retry_max_time, 0),
    ] {
        if let Some(value) = value {
            let line = line_of(text, value.span().start);
            let n = value.into_inner();
            if n < least {
                return Err((
                    Some(line),
                    format!("`connection.{name}` must be {least} or more, not {n}"),
                ));
            }
            push("connection", name, line, vec![n.to_string()]);
        }
    }
    if let Some(rate) = c.max_rate {
        let line = line_of(text, rate.span().start);
        let value = match rate.into_inner() {
            toml::Value::Integer(n) => n as f64,
            toml::Value::Float(x) => x,
            other => {
                return Err((
                    Some(line),
                    format!("`connection.max_rate` is requests per second (a number), not {other}"),
                ));
            }
        };
        if !(value.is_finite() && value > 0.0) {
            return Err((
                Some(line),
                format!("`connection.max_rate` must be a positive number, not {value}"),
            ));
        }
        push("connection", "max_rate", line, vec![value.to_string()]);
    }
    // A certificate path is relative to the file, like `output`.
    if let Some(path) = c.ca_cert {
        let line = line_of(text, path.span().start);
        let path = base.join(path.into_inner());
        push(
            "connection",
            "ca_cert",
            line,
            vec![path.to_string_lossy().into_owned()],
        );
    }

    let g = file.generate;
    for (name, value) in [
        ("models", g.models),
        ("modules", g.modules),
        ("exclude", g.exclude),
    ] {
        if let Some(value) = value {
            let line = line_of(text, value.span().start);
            let values = value.into_inner().into_vec();
            if values.iter().any(|v| v.trim().is_empty()) {
                return Err((Some(line), format!("`generate.{name}` holds an empty name")));
            }
            push("generate", name, line, values);
        }
    }
    if let Some(depth) = g.depth {
        let line = line_of(text, depth.span().start);
        let depth = depth.into_inner();
        if depth < 0 {
            return Err((
                Some(line),
                format!("`generate.depth` must be 0 or more, not {depth}"),
            ));
        }
        push("generate", "depth", line, vec![depth.to_string()]);
    }
    if let (Some(_), Some(version)) = (&g.runtime_path, &g.runtime_version) {
        return Err((
            Some(line_of(text, version.span().start)),
            "`generate.runtime_version` and `generate.runtime_path` are both set: odoo-runtime is \
             a dependency by version or by path, keep one"
                .to_owned(),
        ));
    }
    for (name, value) in [("output", g.output), ("runtime_path", g.runtime_path)] {
        if let Some(value) = value {
            let line = line_of(text, value.span().start);
            let path = base.join(value.into_inner());
            push(
                "generate",
                name,
                line,
                vec![path.to_string_lossy().into_owned()],
            );
        }
    }
    for (name, value) in [
        ("crate_name", g.crate_name),
        ("runtime_version", g.runtime_version),
    ] {
        if let Some(value) = value {
            let line = line_of(text, value.span().start);
            push("generate", name, line, vec![value.into_inner()]);
        }
    }
    // `"all"`, `"none"` or a list of model and `module-<name>` features: one comma-separated value.
    if let Some(value) = g.default_features {
        let line = line_of(text, value.span().start);
        let list = value.into_inner().into_vec().join(",");
        push("generate", "default_features", line, vec![list]);
    }
    if let Some(value) = g.workspace_member {
        let line = line_of(text, value.span().start);
        push(
            "generate",
            "workspace_member",
            line,
            vec![value.into_inner().to_string()],
        );
    }
    settings.sort_by_key(|s| s.line);
    Ok(Config {
        path: PathBuf::new(),
        settings,
    })
}

/// 1-based line number of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The `[section]` header in force at `line` (1-based), if any.
fn section_at(text: &str, line: usize) -> Option<&str> {
    text.lines()
        .take(line)
        .filter_map(|l| {
            let l = l.trim();
            l.strip_prefix('[')?.strip_suffix(']').map(str::trim)
        })
        .last()
}

/// Rewords toml's message: `unknown field` becomes `unknown key` with its section and the accepted keys.
fn describe_toml_error(text: &str, err: &toml::de::Error, line: Option<usize>) -> String {
    let message = err.message().trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let name = rest
            .split_once(", expected ")
            .map_or(rest, |(name, _)| name);
        let bare = name.trim_matches('`');
        // `[generate.extra]`: the unknown key is `extra`, inside [generate].
        let section = line
            .and_then(|line| section_at(text, line))
            .map(|s| s.strip_suffix(&format!(".{bare}")).unwrap_or(s));
        let place = match section {
            Some(section) if section != name.trim_matches('`') => format!(" in [{section}]"),
            _ => " (top level: only [connection] and [generate] sections)".to_owned(),
        };
        let accepted: Vec<&str> = match section {
            Some(section) => KEYS
                .iter()
                .filter(|k| k.section == section)
                .map(|k| k.name)
                .collect(),
            None => Vec::new(),
        };
        if accepted.is_empty() {
            return format!("unknown key {name}{place}");
        }
        return format!(
            "unknown key {name}{place}; accepted keys: {}",
            accepted.join(", ")
        );
    }
    let message = message
        .replace("expected i64", "expected an integer")
        .replace(
            "data did not match any variant of untagged enum OneOrMany",
            "expected a string or an array of strings",
        );
    // Name the key whose value is wrong: the text before `=` on the error's line.
    let key = line
        .and_then(|line| text.lines().nth(line - 1))
        .and_then(|l| l.split_once('='))
        .map(|(key, _)| key.trim())
        .filter(|key| !key.is_empty() && !key.starts_with('['));
    match (key, line.and_then(|line| section_at(text, line))) {
        (Some(key), Some(section)) => format!("`{section}.{key}`: {message}"),
        (Some(key), None) => format!("`{key}`: {message}"),
        _ => message,
    }
}

impl Config {
    /// Reads and checks the file at `path`; relative paths in it are resolved against its directory.
    pub fn read(path: &Path) -> Result<Config, ConfigError> {
        let error = |line, message| ConfigError {
            path: path.to_path_buf(),
            line,
            message,
        };
        let text = std::fs::read_to_string(path)
            .map_err(|err| error(None, format!("cannot read: {err}")))?;
        let base = path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut config = parse(&text, base).map_err(|(line, message)| error(line, message))?;
        config.path = path.to_path_buf();
        Ok(config)
    }

    /// Makes every setting the default value of the matching flag in each subcommand it applies to,
    /// so a flag or its environment variable still wins. Checks values against the flag's possible
    /// values.
    pub fn apply(&self, mut cmd: Command) -> Result<Command, ConfigError> {
        let subcommands: Vec<String> = cmd
            .get_subcommands()
            .map(|sc| sc.get_name().to_owned())
            .collect();
        for setting in &self.settings {
            for name in &subcommands {
                let key = setting.key;
                if !key.commands.is_empty() && !key.commands.contains(&name.as_str()) {
                    continue;
                }
                let Some(sub) = cmd.find_subcommand(name) else {
                    continue;
                };
                let Some(arg) = sub.get_arguments().find(|arg| {
                    arg.get_long().is_some_and(|long| key.flags.contains(&long))
                        && arg.get_action().takes_values()
                }) else {
                    continue;
                };
                let id = arg.get_id().clone();
                let values = self.checked_values(setting, arg)?;
                cmd = cmd.mut_subcommand(name, |sub| {
                    sub.mut_arg(id, |arg| arg.default_values(values))
                });
            }
        }
        Ok(cmd)
    }

    /// When clap refused a value that came from this file (the flag was not typed), the same
    /// problem as a [`ConfigError`] naming the key and its line.
    pub fn explain(&self, err: &clap::Error, args: &[OsString]) -> Option<ConfigError> {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        if !matches!(
            err.kind(),
            ErrorKind::InvalidValue | ErrorKind::ValueValidation
        ) {
            return None;
        }
        let Some(ContextValue::String(arg)) = err.get(ContextKind::InvalidArg) else {
            return None;
        };
        let long = arg.strip_prefix("--")?.split([' ', '=']).next()?;
        let reason = err
            .render()
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_owned();
        self.explain_flag(long, &reason, args)
    }

    /// The error for a value refused after parsing (by the generator, say), when it came from this
    /// file: the flag `long` (without `--`) was not on the command line, and a key of the file
    /// provided it. The error names the file, the line and the key.
    pub fn explain_flag(&self, long: &str, reason: &str, args: &[OsString]) -> Option<ConfigError> {
        let typed = args.iter().any(|a| {
            a.to_str().is_some_and(|a| {
                a.strip_prefix("--")
                    .is_some_and(|a| a == long || a.starts_with(&format!("{long}=")))
            })
        });
        if typed {
            return None;
        }
        let setting = self.settings.iter().find(|s| s.key.flags.contains(&long))?;
        Some(ConfigError {
            path: self.path.clone(),
            line: Some(setting.line),
            message: format!("`{}.{}`: {reason}", setting.key.section, setting.key.name),
        })
    }

    fn checked_values(
        &self,
        setting: &Setting,
        arg: &clap::Arg,
    ) -> Result<Vec<&'static str>, ConfigError> {
        let error = |message: String| ConfigError {
            path: self.path.clone(),
            line: Some(setting.line),
            message,
        };
        let name = format!("{}.{}", setting.key.section, setting.key.name);
        let many = matches!(arg.get_action(), clap::ArgAction::Append)
            || arg
                .get_num_args()
                .is_some_and(|range| range.max_values() > 1);
        let values = if !many && setting.values.len() > 1 {
            match arg.get_value_delimiter() {
                Some(delimiter) => vec![setting.values.join(&delimiter.to_string())],
                None => return Err(error(format!("`{name}` takes a single value"))),
            }
        } else {
            setting.values.clone()
        };
        let possible = arg.get_possible_values();
        if !possible.is_empty() {
            for value in &values {
                if !possible
                    .iter()
                    .any(|p| p.matches(value, arg.is_ignore_case_set()))
                {
                    let names: Vec<&str> = possible.iter().map(|p| p.get_name()).collect();
                    return Err(error(format!(
                        "`{name}` cannot be {value:?}; possible values: {}",
                        names.join(", ")
                    )));
                }
            }
        }
        // clap (without its `string` feature) keeps default values as `&'static str`; a handful of
        // short strings leaked once per process.
        Ok(values
            .into_iter()
            .map(|v| &*Box::leak(v.into_boxed_str()))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Vec<(String, Vec<String>, usize)> {
        parse(text, Path::new("/project"))
            .unwrap()
            .settings
            .into_iter()
            .map(|s| {
                (
                    format!("{}.{}", s.key.section, s.key.name),
                    s.values,
                    s.line,
                )
            })
            .collect()
    }

    fn parse_err(text: &str) -> (Option<usize>, String) {
        parse(text, Path::new("/project")).unwrap_err()
    }

    #[test]
    fn reads_every_key_with_its_line() {
        let text = "[connection]\nurl = \"http://localhost:8069\"\ndb = \"odoo18\"\nuser = \"admin\"\n\
                    transport = \"jsonrpc\"\ntimeout = 30\n[generate]\nmodels = [\"res.partner\", \"sale.*\"]\n\
                    modules = \"sale\"\nexclude = []\ndepth = 2\noutput = \"bindings\"\n\
                    crate_name = \"my-odoo\"\nruntime_path = \"/abs/runtime\"\n";
        assert_eq!(
            parse_ok(text),
            vec![
                (
                    "connection.url".into(),
                    vec!["http://localhost:8069".into()],
                    2
                ),
                ("connection.db".into(), vec!["odoo18".into()], 3),
                ("connection.user".into(), vec!["admin".into()], 4),
                ("connection.transport".into(), vec!["jsonrpc".into()], 5),
                ("connection.timeout".into(), vec!["30".into()], 6),
                (
                    "generate.models".into(),
                    vec!["res.partner".into(), "sale.*".into()],
                    8
                ),
                ("generate.modules".into(), vec!["sale".into()], 9),
                ("generate.exclude".into(), vec![], 10),
                ("generate.depth".into(), vec!["2".into()], 11),
                (
                    "generate.output".into(),
                    vec!["/project/bindings".into()],
                    12
                ),
                ("generate.crate_name".into(), vec!["my-odoo".into()], 13),
                (
                    "generate.runtime_path".into(),
                    vec!["/abs/runtime".into()],
                    14
                ),
            ]
        );
        assert!(parse_ok("").is_empty());
        assert!(parse_ok("# only a comment\n[generate]\n").is_empty());
    }

    #[test]
    fn unknown_keys_name_the_key_the_section_and_the_line() {
        let (line, message) = parse_err("[connection]\nurl = \"x\"\npasword = \"secret\"\n");
        assert_eq!(line, Some(3));
        assert!(
            message.starts_with("unknown key `pasword` in [connection]"),
            "{message}"
        );
        assert!(
            message.contains("accepted keys: url, db, user, transport, timeout"),
            "{message}"
        );
        assert!(
            !message.contains("secret"),
            "the value must not be echoed: {message}"
        );

        let (line, message) = parse_err("[generate]\ndepth = 1\n\nrelation_depth = 2\n");
        assert_eq!(line, Some(4));
        assert!(
            message.starts_with("unknown key `relation_depth` in [generate]"),
            "{message}"
        );

        let (line, message) = parse_err("[generate]\ndepth = 1\n[generate.extra]\nx = 1\n");
        assert_eq!(line, Some(3));
        assert!(
            message.starts_with("unknown key `extra` in [generate]"),
            "{message}"
        );

        let (line, message) = parse_err("[conection]\nurl = \"x\"\n");
        assert_eq!(line, Some(1));
        assert!(message.starts_with("unknown key `conection`"), "{message}");
        assert!(
            message.contains("only [connection] and [generate]"),
            "{message}"
        );
    }

    #[test]
    fn runtime_path_and_version_together_are_refused() {
        let (line, message) =
            parse_err("[generate]\nruntime_path = \"../runtime\"\nruntime_version = \"0.1\"\n");
        assert_eq!(line, Some(3));
        assert!(message.contains("keep one"), "{message}");
    }

    #[test]
    fn a_password_in_the_url_is_refused_without_being_echoed() {
        let (line, message) = parse_err(
            "[connection]\ndb = \"odoo\"\nurl = \"https://admin:Sup3rS3cret@odoo.example.com:8069/\"\n",
        );
        assert_eq!(line, Some(3));
        assert!(message.contains("connection.url"), "{message}");
        assert!(!message.contains("Sup3rS3cret"), "{message}");
        // A login alone, an `@` in the path or query, and plain URLs are fine.
        for url in [
            "https://admin@odoo.example.com",
            "https://odoo.example.com/odoo?login=a:b@c",
            "http://localhost:8069",
        ] {
            assert!(!has_password(url), "{url}");
        }
        assert!(has_password("http://a:@host"));
    }

    #[test]
    fn secrets_are_refused_without_being_echoed() {
        for key in ["password", "api_key"] {
            let (line, message) =
                parse_err(&format!("[connection]\nurl = \"x\"\n{key} = \"hunter2\"\n"));
            assert_eq!(line, Some(3));
            assert!(
                message.contains(&format!("`{key}` is not allowed")),
                "{message}"
            );
            assert!(message.contains("ODOO_PASSWORD"), "{message}");
            assert!(!message.contains("hunter2"), "{message}");
        }
    }

    #[test]
    fn wrong_types_and_values_are_errors_with_lines() {
        let (line, message) = parse_err("[generate]\ndepth = \"deep\"\n");
        assert_eq!(line, Some(2));
        assert_eq!(
            message,
            "`generate.depth`: invalid type: string \"deep\", expected an integer"
        );
        assert_eq!(parse_err("[generate]\ndepth = -1\n").0, Some(2));
        assert_eq!(parse_err("[generate]\nmodels = [\"\"]\n").0, Some(2));
        assert_eq!(parse_err("[connection]\nurl = 8069\n").0, Some(2));
        assert_eq!(parse_err("[connection]\n\ntimeout = 0\n").0, Some(3));
        let (line, message) = parse_err("[connection\nurl = 1\n");
        assert_eq!(line, Some(1), "{message}");
    }

    #[test]
    fn lists_and_versions() {
        assert_eq!(
            parse_ok(
                "[generate]\ndefault_features = [\"res.partner\", \"module-sale\"]\nruntime_version = \"0.1\"\n\
                 workspace_member = true\n"
            ),
            vec![
                (
                    "generate.default_features".into(),
                    vec!["res.partner,module-sale".into()],
                    2
                ),
                ("generate.runtime_version".into(), vec!["0.1".into()], 3),
                ("generate.workspace_member".into(), vec!["true".into()], 4),
            ]
        );
        let (line, message) = parse_err("[generate]\n\nworkspace_member = \"yes\"\n");
        assert_eq!(line, Some(3));
        assert!(
            message.starts_with("`generate.workspace_member`: invalid type"),
            "{message}"
        );
        let (line, message) = parse_err("[generate]\nmodels = 3\n");
        assert_eq!(line, Some(2));
        assert_eq!(
            message,
            "`generate.models`: expected a string or an array of strings"
        );
    }

    /// Every key of the file feeds a flag of `generate` (a renamed flag would silently drop it).
    #[test]
    fn every_key_reaches_a_flag_of_generate() {
        let cmd = crate::command();
        let generate = cmd.find_subcommand("generate").unwrap();
        for key in KEYS {
            assert!(
                generate
                    .get_arguments()
                    .any(|arg| arg.get_long().is_some_and(|long| key.flags.contains(&long))),
                "`{}.{}` matches no flag of `generate` ({:?})",
                key.section,
                key.name,
                key.flags
            );
        }
        // [connection] also reaches `introspect`.
        let introspect = cmd.find_subcommand("introspect").unwrap();
        for key in KEYS.iter().filter(|k| k.section == "connection") {
            assert!(
                introspect
                    .get_arguments()
                    .any(|arg| arg.get_long().is_some_and(|long| key.flags.contains(&long))),
                "`connection.{}` matches no flag of `introspect`",
                key.name
            );
        }
    }

    #[test]
    fn config_path_comes_from_raw_arguments() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(path_from_args(&args(&["x", "generate"])), None);
        assert_eq!(
            path_from_args(&args(&["x", "--config", "a.toml", "generate"])),
            Some(PathBuf::from("a.toml"))
        );
        assert_eq!(
            path_from_args(&args(&["x", "generate", "--config=b.toml"])),
            Some(PathBuf::from("b.toml"))
        );
        assert_eq!(
            path_from_args(&args(&["x", "call", "--", "--config", "c"])),
            None
        );
    }

    #[test]
    fn the_nearest_file_is_found_upwards() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        assert_eq!(
            locate(None, &nested).unwrap(),
            Some(dir.path().join(FILE_NAME))
        );
        let missing = dir.path().join("missing.toml");
        let err = locate(Some(&missing), &nested).unwrap_err();
        assert!(err.to_string().contains("missing.toml"), "{err}");
    }

    fn demo_command() -> Command {
        Command::new("demo")
            .subcommand(
                Command::new("generate")
                    .arg(clap::Arg::new("url").long("url").env("DEMO_ODOO_URL_UNSET"))
                    .arg(
                        clap::Arg::new("transport")
                            .long("transport")
                            .value_parser(["xmlrpc", "jsonrpc", "json2"]),
                    )
                    .arg(
                        clap::Arg::new("models")
                            .long("models")
                            .action(clap::ArgAction::Append),
                    )
                    .arg(
                        clap::Arg::new("depth")
                            .long("depth")
                            .value_parser(clap::value_parser!(u32)),
                    ),
            )
            .subcommand(Command::new("call").arg(clap::Arg::new("url").long("url")))
            .subcommand(Command::new("decode"))
    }

    fn config(text: &str) -> Config {
        let mut config = parse(text, Path::new("/p")).unwrap();
        config.path = PathBuf::from("/p/odoo-codegen.toml");
        config
    }

    #[test]
    fn settings_become_defaults_that_flags_override() {
        let config = config(
            "[connection]\nurl = \"http://from-config\"\ntransport = \"json2\"\n\
             [generate]\nmodels = [\"a\", \"b\"]\ndepth = 3\n",
        );
        let cmd = config.apply(demo_command()).unwrap();
        let matches = cmd
            .clone()
            .try_get_matches_from(["demo", "generate"])
            .unwrap();
        let (_, sub) = matches.subcommand().unwrap();
        assert_eq!(sub.get_one::<String>("url").unwrap(), "http://from-config");
        assert_eq!(sub.get_one::<String>("transport").unwrap(), "json2");
        assert_eq!(sub.get_one::<u32>("depth"), Some(&3));
        let models: Vec<&String> = sub.get_many::<String>("models").unwrap().collect();
        assert_eq!(models, ["a", "b"]);

        let matches = cmd
            .clone()
            .try_get_matches_from(["demo", "generate", "--url", "http://flag", "--depth", "0"])
            .unwrap();
        let (_, sub) = matches.subcommand().unwrap();
        assert_eq!(sub.get_one::<String>("url").unwrap(), "http://flag");
        assert_eq!(sub.get_one::<u32>("depth"), Some(&0));

        // [connection] reaches every subcommand with the flag; [generate] only `generate`.
        let matches = cmd.try_get_matches_from(["demo", "call"]).unwrap();
        let (_, sub) = matches.subcommand().unwrap();
        assert_eq!(sub.get_one::<String>("url").unwrap(), "http://from-config");
    }

    #[test]
    fn clap_refusing_a_file_value_is_explained_with_the_line() {
        let config = config("[generate]\n\ndepth = 99999999999\n");
        let cmd = config.apply(demo_command()).unwrap();
        let args: Vec<OsString> = ["demo", "generate"].iter().map(OsString::from).collect();
        let err = cmd.clone().try_get_matches_from(&args).unwrap_err();
        let explained = config.explain(&err, &args).unwrap();
        assert_eq!(explained.line, Some(3));
        assert!(
            explained
                .message
                .starts_with("`generate.depth`: invalid value '99999999999'"),
            "{explained}"
        );
        // A value typed on the command line is the user's, not the file's.
        let typed: Vec<OsString> = ["demo", "generate", "--depth=x"]
            .iter()
            .map(OsString::from)
            .collect();
        let err = cmd.try_get_matches_from(&typed).unwrap_err();
        assert_eq!(config.explain(&err, &typed), None);
    }

    #[test]
    fn values_outside_the_possible_ones_name_the_line() {
        let config = config("[connection]\n\ntransport = \"soap\"\n");
        let err = config.apply(demo_command()).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message
                .contains("`connection.transport` cannot be \"soap\""),
            "{err}"
        );
        assert!(err.message.contains("xmlrpc, jsonrpc, json2"), "{err}");
        assert!(
            err.to_string().starts_with("/p/odoo-codegen.toml line 3: "),
            "{err}"
        );
    }
}
