//! Answers shaped like Odoo 19's JSON-2 controller (`addons/web/controllers/json2.py`), for
//! programmatic handlers: a bare JSON result with 200, or `serialize_exception`'s body
//! `{name, message, arguments, context, debug}` with the status `handle_error` gives.

use serde_json::{Value, json};

use crate::Reply;

/// 200 with the bare result (`null` for `None`).
pub fn ok(result: &Value) -> Reply {
    Reply::json(200, result)
}

/// An Odoo exception raised by the method: `class` is the full name
/// (`odoo.exceptions.ValidationError`); the status is the one Odoo 19 assigns to the class
/// (`UserError`/`ValidationError` 422, `AccessError`/`AccessDenied` 403, `MissingError` 404,
/// `LockError` 409, anything else 500).
pub fn exception(class: &str, message: &str) -> Reply {
    let status = match class {
        "odoo.exceptions.UserError" | "odoo.exceptions.ValidationError" => 422,
        "odoo.exceptions.AccessError" | "odoo.exceptions.AccessDenied" => 403,
        "odoo.exceptions.MissingError" => 404,
        "odoo.exceptions.LockError" => 409,
        _ => 500,
    };
    error_body(status, class, message, json!([message]))
}

/// A werkzeug `HTTPException` (`message` = its description, `arguments` = `[description, code]`):
/// 401 `Unauthorized` for a bad key, 404 `NotFound` for an unknown model or method, 422
/// `UnprocessableEntity` for arguments that do not bind.
pub fn http_exception(status: u16, class: &str, description: &str) -> Reply {
    error_body(status, class, description, json!([description, status]))
}

/// 401 "Invalid apikey", as the controller answers a refused bearer key.
pub fn invalid_api_key() -> Reply {
    http_exception(401, "werkzeug.exceptions.Unauthorized", "Invalid apikey")
}

/// 404 with Odoo's HTML page "No database is selected": what Odoo 19 answers a JSON-2 call whose
/// `X-Odoo-Database` names a database it does not serve (the testbed's 19.0, whether the database
/// is left out by `dbfilter` or does not exist). Not a `serialize_exception` body: the request
/// never reaches the JSON-2 controller.
pub fn no_database() -> Reply {
    Reply::html(
        404,
        "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected \
         and the requested URL was not found in the server-wide controllers.</p>\n",
    )
}

fn error_body(status: u16, class: &str, message: &str, arguments: Value) -> Reply {
    let (module, short) = class.rsplit_once('.').unwrap_or(("builtins", class));
    let body = json!({
        "name": class,
        "message": message,
        "arguments": arguments,
        "context": {},
        "debug": format!(
            "Traceback (most recent call last):\n  File \"/opt/odoo/addons/web/controllers/json2.py\", line 1, in web_json_2_rpc\n{module}.{short}: {message}\n"
        ),
    });
    Reply::json(status, &body)
}
