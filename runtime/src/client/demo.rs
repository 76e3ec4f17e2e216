//! The External API page's test databases: `https://demo.odoo.com/start` answers the XML-RPC call
//! `start()` with a struct holding `host` (the server URL), `database`, `user` and `password` of a
//! new, short-lived database.

use serde::Deserialize;

use super::{Client, xmlrpc};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// The endpoint the External API documentation names.
pub const START_URL: &str = "https://demo.odoo.com/start";

/// A test database handed out by a start endpoint. `Debug` hides the password.
#[derive(Debug, Clone)]
pub struct DemoDatabase {
    /// The server URL (`host` in the answer).
    pub url: String,
    /// The database name.
    pub database: String,
    /// The login.
    pub user: String,
    /// The password.
    pub password: Secret,
}

/// The answer as sent; every member optional, so a missing one is named rather than reported as a
/// decoding error.
#[derive(Deserialize)]
struct Answer {
    host: Option<String>,
    database: Option<String>,
    user: Option<String>,
    password: Option<String>,
}

impl Client {
    /// Asks the start endpoint at this client's URL, as given (`https://demo.odoo.com/start`), for a
    /// test database: `start()` over XML-RPC. No database, login or secret is needed.
    ///
    /// Errors: the endpoint unreachable or answering something else than XML-RPC (an HTML page, an
    /// error status) as for any call; a fault as its [`Error`]; an answer lacking one of the four
    /// members, or with an empty one, is [`Error::Protocol`] naming it.
    pub async fn start_demo(&self) -> Result<DemoDatabase> {
        // The base URL ends with `/` (`.../start/`); the endpoint is the URL as given.
        let last = self
            .inner
            .base
            .path_segments()
            .and_then(|mut segments| segments.rfind(|s| !s.is_empty()))
            .map(|s| format!("../{s}"))
            .unwrap_or_default();
        let call = "start";
        let body = xmlrpc::encode(call, &(), call)?;
        let (body, shown) = self.post_rpc(call, &last, "text/xml", body).await?;
        let answer: Answer = xmlrpc::decode(&body, call, &shown)?;
        let member = |value: Option<String>, name: &str| {
            value.filter(|v| !v.trim().is_empty()).ok_or_else(|| Error::Protocol {
                url: shown.clone(),
                message: format!(
                    "the start endpoint's answer has no `{name}` (expected host, database, user \
                     and password)"
                ),
            })
        };
        Ok(DemoDatabase {
            url: member(answer.host, "host")?,
            database: member(answer.database, "database")?,
            user: member(answer.user, "user")?,
            password: Secret::new(member(answer.password, "password")?),
        })
    }
}
