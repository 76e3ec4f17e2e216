//! JSON-2 codec for Odoo 19+'s `POST /json/2/<model>/<method>` (no I/O).
//!
//! JSON-2 takes **named arguments only**: the body is one JSON object holding `ids` (for record
//! methods), `context`, and the method's parameters by name. The client keeps the `execute_kw`
//! calling convention (`args` positional, `kwargs` named) and [`named_args`] maps positional
//! arguments to parameter names with this table (Odoo 19 signatures in `odoo/orm/models.py`,
//! `addons/web/models/models.py`: JSON-2 binds the names to the method's own signature, so a
//! module overriding a method under other parameter names needs them in `kwargs`):
//!
//! | method | `args[0]` is `ids` | names of the other positional arguments, in order |
//! |---|---|---|
//! | `search` | no | `domain`, `offset`, `limit`, `order` |
//! | `search_count` | no | `domain`, `limit` |
//! | `search_read` | no | `domain`, `fields`, `offset`, `limit`, `order` |
//! | `search_fetch` | no | `domain`, `field_names`, `offset`, `limit`, `order` |
//! | `read` | yes | `fields`, `load` |
//! | `fetch` | yes | `field_names` |
//! | `create` | no | `vals_list` |
//! | `write` | yes | `vals` |
//! | `unlink` | yes | — |
//! | `copy` | yes | `default` |
//! | `exists` | yes | — |
//! | `name_search` | no | `name`, `domain`, `operator`, `limit` |
//! | `name_create` | no | `name` |
//! | `fields_get` | no | `allfields`, `attributes` |
//! | `default_get` | no | `fields` (Odoo 18 named it `fields_list`; JSON-2 exists from 19 on) |
//! | `read_group` | no | `domain`, `fields`, `groupby`, `offset`, `limit`, `orderby`, `lazy` |
//! | `formatted_read_group` | no | `domain`, `groupby`, `aggregates`, `having`, `offset`, `limit`, `order` |
//! | `check_access_rights` | no | `operation`, `raise_exception` |
//! | `check_access`, `has_access` | yes | `operation` |
//! | `web_search_read` | no | `domain`, `specification`, `offset`, `limit`, `order`, `count_limit` |
//! | `web_read` | yes | `specification` |
//! | `check_object_reference` | no | `module`, `xml_id` |
//!
//! Any other method: when `args[0]` is a list of integers it becomes `ids` (the `execute_kw`
//! convention for record methods); other positional arguments cannot be named and are refused
//! with [`Error::Encode`]: pass them in `kwargs` by name.
//!
//! Answers: HTTP 200 with the bare result (`null` for `None`; a recordset becomes its ids, so
//! `create` with one dict answers `[id]`). Errors carry a real status and `serialize_exception`'s
//! body `{name, message, arguments, context, debug}`: `UserError`/`ValidationError` 422,
//! `AccessError`/`AccessDenied` 403, `MissingError` 404, `LockError` 409, werkzeug exceptions their
//! own code (401 `Unauthorized` for an invalid API key, 404 unknown model or method, 422 arguments
//! that do not bind), anything else 500. The class `name` decides the error kind; the status is
//! only used when the name is not an Odoo exception (401 → [`Error::AccessDenied`]).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{Error, Result, ServerError};
use crate::jsonrpc::{ErrorData, classify, decode_bare};

/// Parameter names of well-known ORM methods: (method, first positional is `ids`, names).
const TABLE: &[(&str, bool, &[&str])] = &[
    ("search", false, &["domain", "offset", "limit", "order"]),
    ("search_count", false, &["domain", "limit"]),
    (
        "search_read",
        false,
        &["domain", "fields", "offset", "limit", "order"],
    ),
    (
        "search_fetch",
        false,
        &["domain", "field_names", "offset", "limit", "order"],
    ),
    ("read", true, &["fields", "load"]),
    ("fetch", true, &["field_names"]),
    ("create", false, &["vals_list"]),
    ("write", true, &["vals"]),
    ("unlink", true, &[]),
    ("copy", true, &["default"]),
    ("exists", true, &[]),
    (
        "name_search",
        false,
        &["name", "domain", "operator", "limit"],
    ),
    ("name_create", false, &["name"]),
    ("fields_get", false, &["allfields", "attributes"]),
    ("default_get", false, &["fields"]),
    (
        "read_group",
        false,
        &[
            "domain", "fields", "groupby", "offset", "limit", "orderby", "lazy",
        ],
    ),
    (
        "formatted_read_group",
        false,
        &[
            "domain",
            "groupby",
            "aggregates",
            "having",
            "offset",
            "limit",
            "order",
        ],
    ),
    (
        "check_access_rights",
        false,
        &["operation", "raise_exception"],
    ),
    ("check_access", true, &["operation"]),
    ("has_access", true, &["operation"]),
    (
        "web_search_read",
        false,
        &[
            "domain",
            "specification",
            "offset",
            "limit",
            "order",
            "count_limit",
        ],
    ),
    ("web_read", true, &["specification"]),
    ("check_object_reference", false, &["module", "xml_id"]),
];

/// The parameter names JSON-2 uses for `method`'s positional arguments, and whether the first one
/// is the record ids. `None` for a method outside the table.
pub fn parameter_names(method: &str) -> Option<(bool, &'static [&'static str])> {
    TABLE
        .iter()
        .find(|(m, _, _)| *m == method)
        .map(|(_, ids, names)| (*ids, *names))
}

/// The URL path of a call: `/json/2/<model>/<method>`.
///
/// Model and method names are checked (letters, digits, `_`, `.`) so that a name cannot change
/// the path.
pub fn path(model: &str, method: &str) -> Result<String> {
    for (what, name) in [("model", model), ("method", method)] {
        let ok = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
            && !name.starts_with('.');
        if !ok {
            return Err(Error::Encode(format!(
                "invalid {what} name {name:?} for JSON-2"
            )));
        }
    }
    Ok(format!("/json/2/{model}/{method}"))
}

/// Builds the JSON-2 body of `model.method(*args, **kwargs)` (see the module table).
///
/// `args` must be a JSON array (or `null` for none). A named argument given both positionally and
/// in `kwargs` is an error, as in Python.
pub fn named_args(
    model: &str,
    method: &str,
    args: Value,
    kwargs: Map<String, Value>,
) -> Result<Map<String, Value>> {
    let call = format!("{model}.{method}");
    let args = match args {
        Value::Array(a) => a,
        Value::Null => Vec::new(),
        other => {
            return Err(Error::Encode(format!(
                "{call}: positional arguments must be a list, got {}",
                kind(&other)
            )));
        }
    };
    let mut body = Map::new();
    let mut positional = args.into_iter();
    let names: &[&str] = match parameter_names(method) {
        Some((has_ids, names)) => {
            if has_ids && let Some(ids) = positional.next() {
                body.insert("ids".to_owned(), ids);
            }
            names
        }
        None => {
            let mut rest: Vec<Value> = positional.collect();
            if rest.first().is_some_and(is_id_list) {
                body.insert("ids".to_owned(), rest.remove(0));
            }
            if !rest.is_empty() {
                return Err(Error::Encode(format!(
                    "{call}: JSON-2 takes named arguments only and the parameter names of `{method}` \
                     are not known: pass its {} remaining positional argument(s) in kwargs by name",
                    rest.len()
                )));
            }
            positional = Vec::new().into_iter();
            &[]
        }
    };
    let mut names_iter = names.iter();
    for value in positional {
        let Some(name) = names_iter.next() else {
            return Err(Error::Encode(format!(
                "{call}: too many positional arguments (it takes {})",
                names.len()
            )));
        };
        body.insert((*name).to_owned(), value);
    }
    for (key, value) in kwargs {
        if body.contains_key(&key) {
            return Err(Error::Encode(format!(
                "{call}: argument `{key}` given both by position and by name"
            )));
        }
        body.insert(key, value);
    }
    Ok(body)
}

fn is_id_list(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().all(|i| i.as_i64().is_some()),
        _ => false,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// What a JSON-2 answer means.
#[derive(Debug)]
pub enum Outcome<T> {
    /// HTTP 200 and the decoded result.
    Success(T),
    /// An error status with `serialize_exception`'s body, mapped onto [`Error`].
    Error(Error),
    /// Neither: an error status whose body is not an Odoo error (an HTML page from a proxy...).
    NotJson2,
}

/// Decodes a JSON-2 answer: HTTP `status` and `body`. `call` names the call in errors.
pub fn decode_response<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
    call: &str,
) -> Result<Outcome<T>> {
    if status == 200 {
        return decode_bare::<T>(body, Some(call)).map(Outcome::Success);
    }
    let Ok(data) = serde_json::from_slice::<ErrorData>(body) else {
        return Ok(Outcome::NotJson2);
    };
    if data.name.is_empty() && data.message.is_empty() {
        return Ok(Outcome::NotJson2);
    }
    Ok(Outcome::Error(error_from(status, data, call)))
}

fn error_from(status: u16, data: ErrorData, call: &str) -> Error {
    let known = matches!(
        data.name.as_str(),
        "odoo.exceptions.AccessDenied"
            | "odoo.exceptions.AccessError"
            | "odoo.exceptions.UserError"
            | "odoo.exceptions.ValidationError"
            | "odoo.exceptions.MissingError"
    );
    if known || status != 401 {
        return classify(data, Some(call.to_owned()), Some(status));
    }
    // 401: the bearer key was refused (werkzeug Unauthorized "Invalid apikey").
    let mut e = ServerError::new(data.name, data.message);
    e.traceback = data.debug;
    e.call = Some(call.to_owned());
    e.http_status = Some(status);
    Error::AccessDenied(Box::new(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn names_positional_arguments() {
        let body = named_args(
            "res.partner",
            "search",
            json!([[["is_company", "=", true]]]),
            obj(json!({"limit": 5})),
        )
        .unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"domain": [["is_company", "=", true]], "limit": 5})
        );
        let body = named_args(
            "res.partner",
            "write",
            json!([[77], {"name": "x"}]),
            Map::new(),
        )
        .unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"ids": [77], "vals": {"name": "x"}})
        );
        let body = named_args(
            "res.partner",
            "read",
            json!([[15]]),
            obj(json!({"fields": ["name"]})),
        )
        .unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"ids": [15], "fields": ["name"]})
        );
        // Odoo 19's `default_get(self, fields)` (18 named it `fields_list`; seen on the
        // testbed's 19.0: `missing a required argument: 'fields'`).
        let body = named_args(
            "mail.activity",
            "default_get",
            json!([["date_deadline"]]),
            Map::new(),
        )
        .unwrap();
        assert_eq!(Value::Object(body), json!({"fields": ["date_deadline"]}));
        let body = named_args("sale.order", "action_confirm", json!([[26]]), Map::new()).unwrap();
        assert_eq!(Value::Object(body), json!({"ids": [26]}));
    }

    #[test]
    fn refuses_what_cannot_be_named() {
        let err = named_args(
            "ir.model.data",
            "xmlid_lookup",
            json!(["base.group_user"]),
            Map::new(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("ir.model.data.xmlid_lookup"),
            "{err}"
        );
        let err = named_args(
            "res.partner",
            "search",
            json!([[], 0]),
            obj(json!({"offset": 1})),
        )
        .unwrap_err();
        assert!(err.to_string().contains("offset"), "{err}");
        let err = named_args("res.partner", "unlink", json!([[1], 2]), Map::new()).unwrap_err();
        assert!(err.to_string().contains("too many"), "{err}");
        assert!(path("res.partner/../x", "read").is_err());
        assert_eq!(
            path("res.partner", "read").unwrap(),
            "/json/2/res.partner/read"
        );
    }
}
