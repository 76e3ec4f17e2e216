//! Creating and revoking an API key of the live server's user, for the revoked-key checks.
//!
//! Odoo guards both behind `check_identity` (`res.users.apikeys.description.make_key`,
//! `res.users.apikeys.remove`): the call answers with a `res.users.identitycheck` wizard, whose
//! `run_check` re-checks the password and then runs the guarded method. `check_identity` refuses
//! to run without an HTTP request (`UserError: This method can only be accessed over HTTP`), and
//! XML-RPC and JSON-RPC dispatch their calls with the request taken off the stack
//! (`odoo.http.borrow_request`), so neither can create or revoke a key on 17.0, 18.0 or 19.0.
//! JSON-2 calls are plain HTTP requests: on 19.0 both work over it. Before 19.0 the key is made
//! through the web client's session routes (`/web/session/authenticate`,
//! `/web/dataset/call_kw`), which are not the external API but a real HTTP request.
//!
//! The password goes into the wizard: written to its `password` field before 19.0, in the
//! `password` context key of `run_check` from 19.0 on.

use odoo_replay::live::{self, Credential, Server};
use odoo_runtime::client::Transport;
use serde_json::{Value, json};

/// A session able to call methods guarded by `check_identity`.
enum Session {
    /// JSON-2 with the server's API key (19.0 and later).
    Json2(odoo_runtime::client::Client),
    /// The web client's session: its cookie.
    Web {
        http: reqwest::Client,
        base: String,
        cookie: String,
    },
}

impl Session {
    async fn open(server: &Server) -> Session {
        if server.major() >= 19 && server.api_key().is_some() {
            return Session::Json2(server.client(Transport::Json2, Credential::ApiKey));
        }
        let http = reqwest::Client::new();
        let base = server.url.trim_end_matches('/').to_owned();
        let params = json!({"db": server.db, "login": server.user, "password": server.password()});
        let response = post(
            &http,
            &format!("{base}/web/session/authenticate"),
            None,
            params,
        )
        .await
        .expect("POST /web/session/authenticate");
        let cookie = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.split(';').next().filter(|c| c.starts_with("session_id=")))
            .map(str::to_owned)
            .expect("a session_id cookie from /web/session/authenticate");
        let body = answer(response).await;
        assert!(
            body["result"]["uid"].as_i64().is_some_and(|uid| uid > 0),
            "web login refused: {}",
            body["error"]
        );
        Session::Web { http, base, cookie }
    }

    async fn call(&self, model: &str, method: &str, args: Value, kwargs: Value) -> Value {
        match self {
            Session::Json2(client) => client
                .execute_kw(model, method, &args, &kwargs)
                .await
                .unwrap_or_else(|e| panic!("{model}.{method} over JSON-2: {e}")),
            Session::Web { http, base, cookie } => {
                let url = format!("{base}/web/dataset/call_kw/{model}/{method}");
                let params =
                    json!({"model": model, "method": method, "args": args, "kwargs": kwargs});
                let response = post(http, &url, Some(cookie), params)
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .unwrap_or_else(|e| panic!("{model}.{method} over the web session: {e}"));
                let body = answer(response).await;
                assert!(
                    body.get("error").is_none(),
                    "{model}.{method}: {}",
                    body["error"]["data"]["message"]
                );
                body.get("result").cloned().unwrap_or(Value::Null)
            }
        }
    }

    /// Runs the identity check an action asks for (the wizard), or returns the action as it is.
    async fn confirm(&self, server: &Server, action: Value) -> Value {
        if action["res_model"] != "res.users.identitycheck" {
            return action;
        }
        let wizard = json!([[action["res_id"]]]);
        if server.major() >= 19 {
            let context = json!({"context": {"password": server.password()}});
            self.call("res.users.identitycheck", "run_check", wizard, context)
                .await
        } else {
            let write = json!([[action["res_id"]], {"password": server.password()}]);
            self.call("res.users.identitycheck", "write", write, json!({}))
                .await;
            self.call("res.users.identitycheck", "run_check", wizard, json!({}))
                .await
        }
    }

    async fn close(self) {
        if let Session::Web { http, base, cookie } = self {
            // Best effort: an unclosed session expires by itself.
            let url = format!("{base}/web/session/destroy");
            let _ = post(&http, &url, Some(&cookie), json!({})).await;
        }
    }
}

/// POSTs a JSON-RPC `call` with `params` to a web route, with the session cookie when there is one.
async fn post(
    http: &reqwest::Client,
    url: &str,
    cookie: Option<&str>,
    params: Value,
) -> reqwest::Result<reqwest::Response> {
    let body = json!({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params});
    let mut request = http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string());
    if let Some(cookie) = cookie {
        request = request.header(reqwest::header::COOKIE, cookie);
    }
    request.send().await
}

async fn answer(response: reqwest::Response) -> Value {
    let bytes = response.bytes().await.expect("the body of a web route");
    serde_json::from_slice(&bytes).expect("a JSON-RPC answer")
}

/// A new API key of the server's user, described as `name` (valid one day where Odoo asks for a
/// duration, 18.0 and later). The key itself is returned to the caller only: never print it.
pub fn create(server: &Server, name: &str) -> String {
    live::block_on(async {
        let session = Session::open(server).await;
        let mut values = json!({"name": name});
        if server.major() >= 18 {
            values["duration"] = json!("1");
        }
        let created = session
            .call(
                "res.users.apikeys.description",
                "create",
                json!([[values]]),
                json!({}),
            )
            .await;
        let ids = match created {
            Value::Array(ids) => Value::Array(ids),
            id => json!([id]),
        };
        let action = session
            .call(
                "res.users.apikeys.description",
                "make_key",
                json!([ids]),
                json!({}),
            )
            .await;
        let shown = session.confirm(server, action).await;
        session.close().await;
        shown["context"]["default_key"]
            .as_str()
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| {
                panic!(
                    "make_key gave no key (action {})",
                    shown["res_model"].as_str().unwrap_or("?")
                )
            })
            .to_owned()
    })
}

/// Revokes every key of the server's user described as `name`; how many there were.
pub fn revoke(server: &Server, name: &str) -> usize {
    live::block_on(async {
        let session = Session::open(server).await;
        let ids = session
            .call(
                "res.users.apikeys",
                "search",
                json!([[["name", "=", name]]]),
                json!({}),
            )
            .await;
        let count = ids.as_array().map_or(0, Vec::len);
        if count > 0 {
            let action = session
                .call("res.users.apikeys", "remove", json!([ids]), json!({}))
                .await;
            let done = session.confirm(server, action).await;
            assert_eq!(
                done["type"], "ir.actions.act_window_close",
                "remove did not finish"
            );
        }
        let left = session
            .call(
                "res.users.apikeys",
                "search_count",
                json!([[["name", "=", name]]]),
                json!({}),
            )
            .await;
        session.close().await;
        assert_eq!(left, json!(0), "the key {name:?} is still there");
        count
    })
}
