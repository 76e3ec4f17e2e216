//! What an answer means once the client's own settings are known: an unknown database, and a
//! server whose Odoo has no JSON-2.
//!
//! The codecs map each answer by itself; whether a `psycopg2.OperationalError` or a 404 page says
//! "this server does not serve your database" depends on the database the client asked for. What
//! the real servers answer (Odoo 17.0, 18.0 and 19.0, checked by the live tier):
//!
//! | transport | answer to a database the server does not serve |
//! |---|---|
//! | XML-RPC | fault 1, traceback ending `psycopg2.OperationalError: connection to server at ... failed: FATAL:  database "<db>" does not exist` |
//! | JSON-RPC | `error.data.name` `psycopg2.OperationalError`, same message |
//! | JSON-2 | HTTP 404, `text/html`: Odoo's page "No database is selected and the requested URL was not found in the server-wide controllers." (the `X-Odoo-Database` header names a database that does not exist or that `dbfilter` leaves out) |
//!
//! PostgreSQL words its message in the language of its `lc_messages`; on a server whose PostgreSQL
//! does not speak English the first two stay [`Error::Server`].
//!
//! JSON-2 exists from Odoo 19 on. Before it, `POST /json/2/<model>/<method>` is answered by a page
//! that does not say why: 17.0 answers the website's HTML 404 page (recorded in
//! `testdata/odoo-17.0/json2`), 18.0 redirects (303) to `/web/login` (its web client's
//! `/json/<path>` route needs a session); `GET /web/version` is the HTML 404 page on both. On such
//! an answer ([`json2_may_be_absent`]) the client asks the server its version over JSON-RPC, and a
//! version before 19 turns the error into one that says so ([`json2_absent`]).

use crate::client::Version;
use crate::client::http::REDIRECT_ADVICE;
use crate::error::{Error, ServerError};

/// The sentence of Odoo's 404 page for a request it could not give a database to.
const NO_DATABASE_PAGE: &str = "No database is selected";

/// `error`, as [`Error::UnknownDatabase`] when it says that `database` is not served.
pub(super) fn unknown_database(error: Error, database: Option<&str>) -> Error {
    match error {
        Error::Server(e) if database.is_some_and(|db| names_missing_database(&e, db)) => {
            Error::UnknownDatabase(e)
        }
        Error::Http {
            url,
            status: 404,
            snippet,
        } if url.contains("/json/2/") && snippet.contains(NO_DATABASE_PAGE) => {
            let mut e = ServerError::new("werkzeug.exceptions.NotFound", snippet);
            e.http_status = Some(404);
            e.call = json2_call(&url);
            Error::UnknownDatabase(Box::new(e))
        }
        other => other,
    }
}

/// Whether `error`, answered where JSON-2 was asked for, is a page that the server's version may
/// explain: a 404 page other than Odoo 19's page for an unknown database, or a redirection.
pub(super) fn json2_may_be_absent(error: &Error) -> bool {
    match error {
        Error::Http {
            status: 404,
            snippet,
            ..
        } => !snippet.contains(NO_DATABASE_PAGE),
        Error::Http { status, .. } => (300..400).contains(status),
        _ => false,
    }
}

/// `error` (see [`json2_may_be_absent`]), saying that the server has no JSON-2 when `version` is
/// before Odoo 19 (the status, the URL and what the page said are kept); unchanged otherwise.
pub(super) fn json2_absent(error: Error, version: &Version) -> Error {
    match error {
        Error::Http {
            url,
            status,
            snippet,
        } if version.major().is_some_and(|m| m < 19) => {
            let answer = snippet.strip_suffix(REDIRECT_ADVICE).unwrap_or(&snippet);
            Error::Http {
                url,
                status,
                snippet: format!(
                    "Odoo {} has no JSON-2 (it exists from Odoo 19 on): use the transport \
                     jsonrpc or xmlrpc, or auto, which picks JSON-RPC there (the server answered \
                     {status}: {answer})",
                    version.server_version
                ),
            }
        }
        other => other,
    }
}

/// PostgreSQL's `database "<db>" does not exist`, raised while Odoo opens the database.
fn names_missing_database(e: &ServerError, database: &str) -> bool {
    e.class == "psycopg2.OperationalError"
        && e.message
            .contains(&format!("database \"{database}\" does not exist"))
}

/// `res.partner.search` from `https://host/json/2/res.partner/search`.
fn json2_call(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("/json/2/")?;
    let (model, method) = rest.split_once('/')?;
    Some(format!("{model}.{method}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(class: &str, message: &str) -> Error {
        Error::Server(Box::new(ServerError::new(class, message)))
    }

    /// The messages of the testbed's 18.0 and 19.0 (XML-RPC fault 1 and JSON-RPC alike).
    #[test]
    fn operational_error_naming_the_database() {
        let message = "connection to server at \"127.0.0.1\", port 54329 failed: FATAL:  database \"no_such_db\" does not exist\n";
        let e = unknown_database(
            server("psycopg2.OperationalError", message),
            Some("no_such_db"),
        );
        assert!(matches!(e, Error::UnknownDatabase(_)), "{e:?}");
        assert!(e.to_string().starts_with("unknown database: "), "{e}");
        // Another database named, another class, or no database: left as it was.
        for (class, db) in [
            ("psycopg2.OperationalError", Some("other")),
            ("ValueError", Some("no_such_db")),
            ("psycopg2.OperationalError", None),
        ] {
            let e = unknown_database(server(class, message), db);
            assert!(matches!(e, Error::Server(_)), "{class} {db:?}: {e:?}");
        }
    }

    /// JSON-2: the snippet the client makes of the 19.0 page.
    #[test]
    fn json2_no_database_page() {
        let page = Error::Http {
            url: "http://127.0.0.1:19069/json/2/res.users/context_get".into(),
            status: 404,
            snippet: "404 Not Found Not Found No database is selected and the requested URL was not found in the server-wide controllers. Please verify the hostname, login and try again.".into(),
        };
        let Error::UnknownDatabase(e) = unknown_database(page, Some("nope")) else {
            panic!("not mapped")
        };
        assert_eq!(e.call.as_deref(), Some("res.users.context_get"));
        assert_eq!(e.http_status, Some(404));
        // Any other 404 stays an HTTP error.
        let other = Error::Http {
            url: "http://h/json/2/res.partner/search".into(),
            status: 404,
            snippet: "Not Found".into(),
        };
        assert!(matches!(
            unknown_database(other, Some("db")),
            Error::Http { .. }
        ));
    }

    fn version(text: &str) -> Version {
        Version {
            server_version: text.into(),
            server_version_info: Vec::new(),
            server_serie: text.into(),
            protocol_version: 1,
        }
    }

    /// A 404 page on a JSON-2 route says that JSON-2 is missing only when the server's version
    /// is before 19; Odoo 19's page for an unknown database is left to [`unknown_database`].
    #[test]
    fn json2_on_an_odoo_without_it() {
        let page = || Error::Http {
            url: "http://h/json/2/res.users/context_get".into(),
            status: 404,
            snippet: "Odoo Sign in Error 404 We couldn't find the page you're looking for!".into(),
        };
        assert!(json2_may_be_absent(&page()));
        let Error::Http {
            url,
            status,
            snippet,
        } = json2_absent(page(), &version("17.0"))
        else {
            panic!("not HTTP")
        };
        assert_eq!(
            (url.as_str(), status),
            ("http://h/json/2/res.users/context_get", 404)
        );
        assert!(
            snippet.starts_with("Odoo 17.0 has no JSON-2 (it exists from Odoo 19 on)"),
            "{snippet}"
        );
        assert!(
            snippet.ends_with(
                "(the server answered 404: Odoo Sign in Error 404 We couldn't find the page \
                 you're looking for!)"
            ),
            "{snippet}"
        );
        for v in ["19.0", "saas~19.1", "20.0", "nightly"] {
            let e = json2_absent(page(), &version(v));
            assert!(
                matches!(&e, Error::Http { snippet, .. } if snippet.starts_with("Odoo Sign in")),
                "{v}: {e:?}"
            );
        }
        let no_database = Error::Http {
            url: "http://h/json/2/res.users/context_get".into(),
            status: 404,
            snippet: "404 Not Found Not Found No database is selected and ...".into(),
        };
        assert!(!json2_may_be_absent(&no_database));
        let forbidden = Error::Http {
            url: "http://h/json/2/res.users/context_get".into(),
            status: 403,
            snippet: "Forbidden".into(),
        };
        assert!(!json2_may_be_absent(&forbidden));
        // 18.0 redirects a JSON-2 request to its login page (seen on the testbed's 18.0): the
        // redirection's advice does not apply there.
        let redirect = crate::client::http::error(
            "http://h/json/2/res.users/context_get".into(),
            303,
            b"",
            Some("/web/login?redirect=%2Fjson%2F2%2Fres.users%2Fcontext_get%3F"),
        );
        assert!(json2_may_be_absent(&redirect));
        let Error::Http {
            status, snippet, ..
        } = json2_absent(redirect, &version("18.0"))
        else {
            panic!("not HTTP")
        };
        assert_eq!(status, 303);
        assert_eq!(
            snippet,
            "Odoo 18.0 has no JSON-2 (it exists from Odoo 19 on): use the transport jsonrpc or \
             xmlrpc, or auto, which picks JSON-RPC there (the server answered 303: redirected to \
             /web/login?redirect=%2Fjson%2F2%2Fres.users%2Fcontext_get%3F)"
        );
        assert!(matches!(
            json2_absent(forbidden, &version("17.0")),
            Error::Http { status: 403, .. }
        ));
    }
}
