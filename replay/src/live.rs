//! The live tier: tests against a real Odoo server, turned on by `ODOO_LIVE=1`.
//!
//! A crate's live tests are one `harness = false` test target (`tests/live.rs`) whose `main` hands
//! its tests to [`main`]:
//!
//! ```no_run
//! use odoo_replay::live::{self, Server};
//!
//! fn main() -> std::process::ExitCode {
//!     live::main(vec![live::test("version", |server: &Server| {
//!         let client = server.client(server.transports()[0], live::Credential::Password);
//!         let version = live::block_on(client.version()).unwrap();
//!         assert_eq!(version.major(), Some(server.major()));
//!     })])
//! }
//! ```
//!
//! - Without `ODOO_LIVE=1`, every live test is reported as **ignored**, never as passed, and one
//!   line says how to turn them on. (`--ignored` then makes each one fail, saying so.)
//! - With it, `ODOO_URL`, `ODOO_DB`, `ODOO_USER` and `ODOO_PASSWORD` (and `ODOO_API_KEY`, needed for
//!   JSON-2) must name one server, which is asked its version first: a missing setting or a server
//!   that cannot be reached fails every test.
//! - The tests must hold against any Odoo 17.0–19.0 database with admin credentials and demo data.
//!   A check tied to the testbed's own database ([`Server::is_testbed`]) is reported as ignored
//!   elsewhere, with the reason ([`test_on_testbed`]); so is a check of what a later Odoo
//!   introduced, on an older server ([`test_from`]), and one that needs an API key when
//!   `ODOO_API_KEY` is not set ([`LiveTest::with_api_key`]).
//! - Each test runs once per [`Transport`] the server speaks ([`Server::transports`]) and with each
//!   secret the transport takes ([`Server::credentials`]) when the test loops over them: the loops
//!   live in the tests, so a failure names its transport.

use std::fmt;
use std::future::Future;
use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Completion, Failed, Trial};
use odoo_runtime::client::{Client, ClientBuilder, Transport};

/// The switch.
pub const SWITCH: &str = "ODOO_LIVE";

/// The server the live tier runs against, from the `ODOO_*` settings. `Debug` shows no secret.
#[derive(Clone)]
pub struct Server {
    /// `ODOO_URL`.
    pub url: String,
    /// `ODOO_DB`.
    pub db: String,
    /// `ODOO_USER`.
    pub user: String,
    password: String,
    api_key: Option<String>,
    /// What `common.version` answered: `server_version` (`18.0`, `saas~18.3`, `19.0+e`...).
    pub server_version: String,
    /// `server_version_info[0..2]`.
    pub version: (u32, u32),
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("url", &self.url)
            .field("db", &self.db)
            .field("user", &self.user)
            .field("password", &"***")
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("server_version", &self.server_version)
            .finish()
    }
}

/// Which secret a client logs in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// `ODOO_PASSWORD`.
    Password,
    /// `ODOO_API_KEY`.
    ApiKey,
}

impl fmt::Display for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Credential::Password => "password",
            Credential::ApiKey => "API key",
        })
    }
}

impl Server {
    /// The major version (`17`, `18`, `19`...).
    pub fn major(&self) -> u32 {
        self.version.0
    }

    /// `ODOO_PASSWORD`.
    pub fn password(&self) -> &str {
        &self.password
    }

    /// `ODOO_API_KEY`, when set.
    pub fn api_key(&self) -> Option<&str> {
        self.api_key.as_deref()
    }

    /// Every transport this server speaks: XML-RPC and JSON-RPC (until Odoo 22 removes them), and
    /// JSON-2 from Odoo 19 on when an API key is given (it takes no password).
    pub fn transports(&self) -> Vec<Transport> {
        let mut out = Vec::new();
        if self.major() < 22 {
            out.extend([Transport::XmlRpc, Transport::JsonRpc]);
        }
        if self.major() >= 19 && self.api_key.is_some() {
            out.push(Transport::Json2);
        }
        out
    }

    /// The secrets `transport` takes: the password and the API key over XML-RPC and JSON-RPC (an
    /// API key is accepted wherever the password is), the key alone over JSON-2.
    pub fn credentials(&self, transport: Transport) -> Vec<Credential> {
        match transport {
            Transport::Json2 => vec![Credential::ApiKey],
            _ if self.api_key.is_some() => vec![Credential::Password, Credential::ApiKey],
            _ => vec![Credential::Password],
        }
    }

    /// A client builder for `transport`, logging in with `credential`.
    pub fn builder(&self, transport: Transport, credential: Credential) -> ClientBuilder {
        let builder = Client::builder()
            .url(&self.url)
            .database(&self.db)
            .login(&self.user)
            .transport(transport);
        match (credential, &self.api_key) {
            (Credential::ApiKey, Some(key)) => builder.api_key(key.clone()),
            _ => builder.password(self.password.clone()),
        }
    }

    /// A client for `transport`, logging in with `credential`.
    ///
    /// # Panics
    /// When the builder refuses the settings (a bad URL): the live tests cannot run then.
    pub fn client(&self, transport: Transport, credential: Credential) -> Client {
        self.builder(transport, credential)
            .build()
            .unwrap_or_else(|e| panic!("live client for {transport}: {e}"))
    }

    /// The `ODOO_*` variables naming this server, for a child process (the secret included: the
    /// caller passes them to the command's environment, never to its arguments or output).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("ODOO_URL", self.url.clone()),
            ("ODOO_DB", self.db.clone()),
            ("ODOO_USER", self.user.clone()),
            ("ODOO_PASSWORD", self.password.clone()),
        ];
        if let Some(key) = &self.api_key {
            out.push(("ODOO_API_KEY", key.clone()));
        }
        out
    }

    /// Whether this is the project's test bed (the servers `.ci/run` starts): database `odoo<major>` on loopback
    /// port `<major>069`. Checks tied to its exact data run only there.
    pub fn is_testbed(&self) -> bool {
        let major = self.major();
        self.db == format!("odoo{major}")
            && (self.url.ends_with(&format!("127.0.0.1:{major}069"))
                || self.url.ends_with(&format!("localhost:{major}069")))
    }
}

/// Whether `ODOO_LIVE=1`.
pub fn enabled() -> bool {
    std::env::var(SWITCH).is_ok_and(|v| v == "1")
}

/// The server the settings name, asked its version; an error says what is missing or failed.
fn connect() -> Result<Server, String> {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let mut missing = Vec::new();
    let mut need = |k: &'static str| {
        let v = get(k);
        if v.is_none() {
            missing.push(k);
        }
        v.unwrap_or_default()
    };
    let (url, db, user, password) = (
        need("ODOO_URL"),
        need("ODOO_DB"),
        need("ODOO_USER"),
        need("ODOO_PASSWORD"),
    );
    if !missing.is_empty() {
        return Err(format!(
            "{SWITCH}=1 but {} {} not set: the live tier needs ODOO_URL, ODOO_DB, ODOO_USER and \
             ODOO_PASSWORD (and ODOO_API_KEY for JSON-2) of one server",
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" }
        ));
    }
    let mut server = Server {
        url,
        db,
        user,
        password,
        api_key: get("ODOO_API_KEY"),
        server_version: String::new(),
        version: (0, 0),
    };
    let client = server.client(Transport::JsonRpc, Credential::Password);
    let version = block_on(client.version())
        .or_else(|_| {
            // Odoo 22 and later have no /jsonrpc.
            let client = server.client(Transport::XmlRpc, Credential::Password);
            block_on(client.version())
        })
        .map_err(|e| {
            format!(
                "the live server {} cannot be asked its version: {e}",
                server.url
            )
        })?;
    let info = &version.server_version_info;
    let part = |i: usize| {
        info.get(i)
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    server.version = (
        version
            .major()
            .or_else(|| part(0))
            .ok_or_else(|| format!("the live server answered no version: {version:?}"))?,
        part(1).unwrap_or(0),
    );
    server.server_version = version.server_version.clone();
    Ok(server)
}

/// Runs `future` to completion on a runtime of its own (two worker threads).
pub fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}

type Body = Box<dyn FnOnce(&Server) + Send>;

/// One live test.
pub struct LiveTest {
    name: String,
    /// Tied to the testbed's data: why.
    testbed_only: Option<&'static str>,
    /// The first Odoo major version that has what the test checks.
    from_major: Option<u32>,
    /// The test needs `ODOO_API_KEY`.
    api_key: bool,
    body: Body,
}

impl LiveTest {
    /// The test needs an API key (JSON-2, `/doc-bearer`...): ignored, saying so, when
    /// `ODOO_API_KEY` is not set.
    pub fn with_api_key(self) -> Self {
        LiveTest {
            api_key: true,
            ..self
        }
    }

    /// Why the test does not run against `server` (it is then reported as ignored with that
    /// reason), or `None` when it runs.
    fn skip_reason(&self, server: &Server) -> Option<String> {
        if let Some(why) = self.testbed_only
            && !server.is_testbed()
        {
            return Some(format!("testbed only: {why}"));
        }
        if let Some(major) = self.from_major
            && server.major() < major
        {
            return Some(format!(
                "needs Odoo {major} or later: the server runs {}",
                server.server_version
            ));
        }
        if self.api_key && server.api_key.is_none() {
            return Some("needs an API key: ODOO_API_KEY is not set".to_owned());
        }
        None
    }
}

/// A live test: `body` runs against the server and fails by panicking (`assert!`, `unwrap`).
pub fn test(name: impl Into<String>, body: impl FnOnce(&Server) + Send + 'static) -> LiveTest {
    LiveTest {
        name: name.into(),
        testbed_only: None,
        from_major: None,
        api_key: false,
        body: Box::new(body),
    }
}

/// A live test tied to the testbed's own data (`why` says how): ignored, with that reason, on
/// any other server.
pub fn test_on_testbed(
    name: impl Into<String>,
    why: &'static str,
    body: impl FnOnce(&Server) + Send + 'static,
) -> LiveTest {
    LiveTest {
        testbed_only: Some(why),
        ..test(name, body)
    }
}

/// A live test of what Odoo `major` introduced: ignored on an older server, with the reason
/// (never a pass that checked nothing).
pub fn test_from(
    major: u32,
    name: impl Into<String>,
    body: impl FnOnce(&Server) + Send + 'static,
) -> LiveTest {
    LiveTest {
        from_major: Some(major),
        ..test(name, body)
    }
}

/// The `main` of a live test target: runs `tests` as the module docs say and returns the exit code.
pub fn main(tests: Vec<LiveTest>) -> ExitCode {
    let args = Arguments::from_args();
    let on = enabled();
    // Asked once, before any test, unless the run lists or filters every test out.
    let server: Arc<Result<Server, String>> = Arc::new(if on && !args.list {
        connect()
    } else {
        Err(format!(
            "the live tier is off: set {SWITCH}=1 and the ODOO_* settings of a server to run it"
        ))
    });
    if !on && !args.list {
        eprintln!(
            "note: live tests ignored: set {SWITCH}=1 and ODOO_URL, ODOO_DB, ODOO_USER, \
             ODOO_PASSWORD (and ODOO_API_KEY) of one Odoo server to run them"
        );
    }
    if let Ok(server) = server.as_ref() {
        eprintln!(
            "live tier: Odoo {} at {} (database {}, {})",
            server.server_version,
            server.url,
            server.db,
            if server.is_testbed() {
                "the testbed"
            } else {
                "not the testbed: testbed-only checks ignored"
            }
        );
    }
    let trials = tests
        .into_iter()
        .map(|t| {
            let server = Arc::clone(&server);
            Trial::ignorable_test(t.name.clone(), move || {
                let server = server
                    .as_ref()
                    .as_ref()
                    .map_err(|e| Failed::from(e.as_str()))?;
                if let Some(why) = t.skip_reason(server) {
                    return Ok(Completion::ignored_with(why));
                }
                (t.body)(server);
                Ok(Completion::Completed)
            })
            .with_ignored_flag(!on)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(url: &str, db: &str, version: &str, api_key: Option<&str>) -> Server {
        let major = version.split('.').next().unwrap().parse().unwrap();
        Server {
            url: url.to_owned(),
            db: db.to_owned(),
            user: "admin".to_owned(),
            password: "admin".to_owned(),
            api_key: api_key.map(str::to_owned),
            server_version: version.to_owned(),
            version: (major, 0),
        }
    }

    #[test]
    fn tests_skip_servers_they_do_not_fit_saying_why() {
        let v18 = server("http://127.0.0.1:18069", "odoo18", "18.0", Some("k"));
        let v19 = server("http://127.0.0.1:19069", "odoo19", "19.0", Some("k"));
        let v19_no_key = server("http://127.0.0.1:19069", "odoo19", "19.0", None);
        let elsewhere = server("https://erp.example.com", "prod", "19.0+e", Some("k"));
        let body = |_: &Server| {};

        let plain = test("plain", body);
        for s in [&v18, &v19, &v19_no_key, &elsewhere] {
            assert_eq!(plain.skip_reason(s), None);
        }
        let from = test_from(19, "from", body);
        assert_eq!(
            from.skip_reason(&v18).as_deref(),
            Some("needs Odoo 19 or later: the server runs 18.0")
        );
        assert_eq!(from.skip_reason(&v19), None);
        assert_eq!(from.skip_reason(&elsewhere), None);
        let keyed = test_from(19, "keyed", body).with_api_key();
        assert_eq!(
            keyed.skip_reason(&v19_no_key).as_deref(),
            Some("needs an API key: ODOO_API_KEY is not set")
        );
        assert_eq!(keyed.skip_reason(&v19), None);
        assert!(
            keyed
                .skip_reason(&v18)
                .unwrap()
                .starts_with("needs Odoo 19")
        );
        let testbed = test_on_testbed("testbed", "its demo data", body);
        assert_eq!(
            testbed.skip_reason(&elsewhere).as_deref(),
            Some("testbed only: its demo data")
        );
        assert_eq!(testbed.skip_reason(&v19), None);
    }
}
