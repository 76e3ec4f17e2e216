//! What an answer means once the client's own settings are known: an unknown database.
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
}
