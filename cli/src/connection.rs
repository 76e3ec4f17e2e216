//! Connection options shared by the subcommands that talk to a live Odoo (`call`, and
//! `introspect` / `diff` / `generate` when they reach a server).
//!
//! Each option is a flag, else its environment variable (also read from `.env`), else the
//! `[connection]` section of `odoo-codegen.toml` (url, db, user, transport: never a secret).
//! The secret comes from `ODOO_API_KEY` (preferred: JSON-2 needs it) or `ODOO_PASSWORD`; the flags
//! `--password` / `--api-key` exist for completeness but put the secret in the shell history.

use std::time::Duration;

use odoo_runtime::client::{Client, ClientBuilder, RetryPolicy, Transport};
use odoo_runtime::secret::Secret;

/// How to reach and log in to an Odoo instance.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConnectionArgs {
    /// Server base URL, e.g. https://mycompany.odoo.com.
    #[arg(long, env = "ODOO_URL", value_name = "URL", hide_env_values = true)]
    pub url: Option<String>,
    /// Database name.
    #[arg(long, env = "ODOO_DB", value_name = "NAME")]
    pub db: Option<String>,
    /// Login of the user.
    #[arg(long, env = "ODOO_USER", value_name = "LOGIN")]
    pub user: Option<String>,
    /// Password (prefer the ODOO_PASSWORD environment variable).
    #[arg(long, env = "ODOO_PASSWORD", value_name = "PASSWORD", hide_env_values = true, value_parser = parse_secret)]
    pub password: Option<Secret>,
    /// API key, used in place of the password (prefer the ODOO_API_KEY environment variable).
    #[arg(long, env = "ODOO_API_KEY", value_name = "KEY", hide_env_values = true, value_parser = parse_secret)]
    pub api_key: Option<Secret>,
    /// Transport: auto (JSON-2 on Odoo 19+ with an API key, else JSON-RPC), xmlrpc, jsonrpc or json2.
    #[arg(long, env = "ODOO_TRANSPORT", value_name = "NAME", default_value = "auto", value_parser = parse_transport)]
    pub transport: Transport,
    /// Seconds allowed for one call.
    #[arg(
        long,
        env = "ODOO_TIMEOUT",
        value_name = "SECONDS",
        default_value_t = 120
    )]
    pub timeout: u64,
    /// A CA certificate to trust besides the built-in roots and the system's store (PEM, or one
    /// DER certificate): a company CA, or a self-signed server certificate.
    #[arg(long, env = "ODOO_CA_CERT", value_name = "PATH")]
    pub ca_cert: Option<std::path::PathBuf>,
    /// At most this many requests per second (default: no limit).
    #[arg(long, env = "ODOO_MAX_RATE", value_name = "N", value_parser = parse_rate)]
    pub max_rate: Option<f64>,
    /// Tries of a read-only call on 429, 502, 503, 504 or a lost connection (1: no retry). Writes
    /// are never retried.
    #[arg(long, env = "ODOO_MAX_TRIES", value_name = "N", default_value_t = odoo_runtime::client::DEFAULT_MAX_TRIES, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_tries: u32,
    /// Seconds one read-only call may take with its retries.
    #[arg(long, env = "ODOO_RETRY_MAX_TIME", value_name = "SECONDS", default_value_t = odoo_runtime::client::DEFAULT_MAX_ELAPSED.as_secs())]
    pub retry_max_time: u64,
}

fn parse_rate(value: &str) -> Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(rate),
        _ => Err(format!(
            "expected a positive number of requests per second, not {value:?}"
        )),
    }
}

fn parse_secret(value: &str) -> Result<Secret, String> {
    if value.is_empty() {
        Err("empty".to_owned())
    } else {
        Ok(Secret::new(value))
    }
}

fn parse_transport(value: &str) -> Result<Transport, String> {
    value.parse::<Transport>().map_err(|e| match e {
        odoo_runtime::Error::Config(m) => m,
        other => other.to_string(),
    })
}

impl ConnectionArgs {
    /// Whether a server URL is given.
    #[allow(dead_code)] // for the subcommands that also work offline (introspect, diff, generate)
    pub fn is_set(&self) -> bool {
        self.url.as_deref().is_some_and(|u| !u.trim().is_empty())
    }

    /// A client builder with every option set (the API key wins over the password).
    pub fn builder(&self) -> anyhow::Result<ClientBuilder> {
        let url = self
            .url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| {
                crate::exit::MissingConnection(
                    "no server URL: set ODOO_URL or pass --url".to_owned(),
                )
            })?;
        let mut builder = Client::builder()
            .url(url)
            .transport(self.transport)
            .timeout(Duration::from_secs(self.timeout.max(1)))
            .retry(
                RetryPolicy::default()
                    .max_tries(self.max_tries)
                    .max_elapsed(Duration::from_secs(self.retry_max_time)),
            );
        if let Some(path) = &self.ca_cert {
            builder = builder.ca_cert_file(path);
        }
        if let Some(rate) = self.max_rate {
            builder = builder.max_rate(rate);
        }
        if let Some(db) = &self.db {
            builder = builder.database(db.clone());
        }
        if let Some(user) = &self.user {
            builder = builder.login(user.clone());
        }
        builder = match (&self.api_key, &self.password) {
            (Some(key), _) => builder.api_key(key.clone()),
            (None, Some(password)) => builder.password(password.clone()),
            (None, None) => builder,
        };
        Ok(builder)
    }

    /// The client.
    pub fn client(&self) -> anyhow::Result<Client> {
        Ok(self.builder()?.build()?)
    }

    /// The client over another transport than the one chosen.
    #[allow(dead_code)] // for introspect's JSON-RPC fallback
    pub fn client_with(&self, transport: Transport) -> anyhow::Result<Client> {
        Ok(self.builder()?.transport(transport).build()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        connection: ConnectionArgs,
    }

    #[test]
    fn flags_parse_and_the_secret_stays_hidden() {
        let cli = Cli::try_parse_from([
            "x",
            "--url",
            "http://127.0.0.1:8069",
            "--db",
            "odoo18",
            "--user",
            "admin",
            "--password",
            "hunter2-flag",
            "--transport",
            "xmlrpc",
        ])
        .unwrap();
        assert_eq!(cli.connection.transport, Transport::XmlRpc);
        assert!(cli.connection.is_set());
        assert!(!format!("{cli:?}").contains("hunter2-flag"));
        let client = cli.connection.client().unwrap();
        assert!(!format!("{client:?}").contains("hunter2-flag"));
        let err = Cli::try_parse_from(["x", "--transport", "soap"]).unwrap_err();
        assert!(err.to_string().contains("soap"), "{err}");
    }
}
