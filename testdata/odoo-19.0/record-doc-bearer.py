#!/usr/bin/env python3
"""Records what Odoo 19's `/doc-bearer` answers, for the offline tests (standard library only).

Usage, against any Odoo 19 with demo data (the test bed's, or your own), with its ODOO_* settings
exported in the environment:

    python3 testdata/odoo-19.0/record-doc-bearer.py

Reads ODOO_URL, ODOO_DB and ODOO_API_KEY (an API key of a user in `api_doc.group_allow_doc`:
admin is). Writes, under `testdata/odoo-19.0/doc-bearer/`:

- `index.json.gz`: `GET /doc-bearer/index.json` (gzip, the answer's bytes unchanged);
- `models/<model>.json.gz`: `GET /doc-bearer/<model>.json` for the models the tests use;
- `errors/<case>.json`: `{"request": ..., "status": ..., "body": ...}` of the error answers:
  no `Authorization` header, a password given as the bearer key, a user without the group
  (the demo user `demo`, with an API key made for the occasion and removed afterwards), an
  abstract model the user may not read, and a model that does not exist.

No secret is written: request headers are recorded as `bearer <key>` placeholders, and the script
fails if any recorded file contains the API key or the demo key.
"""

import gzip
import http.cookiejar
import json
import os
import pathlib
import sys
import urllib.error
import urllib.request

MODELS = [
    "account.move",
    "account.move.line",
    "res.partner",
    "sale.order",
    "sale.order.line",
    "stock.move",
    "stock.picking",
]

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "doc-bearer"


def env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(f"record-doc-bearer: {name} is not set (see the usage in this file)")
    return value


URL = env("ODOO_URL").rstrip("/")
DB = env("ODOO_DB")
KEY = env("ODOO_API_KEY")
SECRETS = [KEY]  # API keys; the test bed's passwords (`admin`, `demo`) are field names too


def get(path, key=None, extra=None):
    """GET `path` with an optional bearer key: (status, headers, body bytes)."""
    headers = {"X-Odoo-Database": DB}
    if key is not None:
        headers["Authorization"] = f"bearer {key}"
    headers.update(extra or {})
    request = urllib.request.Request(URL + path, headers=headers, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def check_no_secret(name, body):
    text = body.decode("utf-8", "replace")
    for secret in SECRETS:
        if secret in text:
            sys.exit(f"record-doc-bearer: {name} contains a secret; nothing more written")


def write_gz(path, body):
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same answer gives the same file.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(body)


def write_error(case, path, bearer, status, body):
    check_no_secret(case, body)
    target = OUT / "errors" / f"{case}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "request": {"method": "GET", "path": path, "authorization": bearer},
        "status": status,
        "body": json.loads(body),
    }
    target.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print(f"  {case}: {status}")


class Session:
    """A web session (cookie) of one user, for the calls that need one (API key creation)."""

    def __init__(self, login, password):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.call("/web/session/authenticate", {"db": DB, "login": login, "password": password})

    def call(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": 1}).encode()
        request = urllib.request.Request(
            URL + path, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        with self.opener.open(request, timeout=120) as response:
            answer = json.loads(response.read())
        if "error" in answer:
            sys.exit(f"record-doc-bearer: {path} failed: {answer['error'].get('message')}")
        return answer.get("result")

    def call_kw(self, model, method, args, kwargs=None):
        return self.call(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )


def demo_api_key(session):
    """An API key of `demo`, made as the preferences dialog makes it: a description wizard,
    `make_key`, which asks for the password (identity check), then the key."""
    wizard = session.call_kw(
        "res.users.apikeys.description", "create", [{"name": "record-doc-bearer"}]
    )
    wizard = wizard[0] if isinstance(wizard, list) else wizard
    action = session.call_kw("res.users.apikeys.description", "make_key", [[wizard]])
    if action.get("res_model") == "res.users.identitycheck":
        check = action["res_id"]
        session.call_kw("res.users.identitycheck", "write", [[check], {"password": "demo"}])
        action = session.call_kw(
            "res.users.identitycheck", "run_check", [[check]], {"context": {"password": "demo"}}
        )
    return action["context"]["default_key"]


def remove_demo_keys(session):
    uid = session.call("/web/session/get_session_info", {})["uid"]
    keys = session.call_kw(
        "res.users.apikeys",
        "search",
        [[["user_id", "=", uid], ["name", "=", "record-doc-bearer"]]],
    )
    if keys:
        session.call_kw("res.users.apikeys", "remove", [keys])
    return len(keys)


def main():
    print(f"recording /doc-bearer of {URL} (database {DB}) into {OUT}")
    status, _, body = get("/doc-bearer/index.json", KEY)
    if status != 200:
        sys.exit(f"record-doc-bearer: index.json answered {status}: {body[:300]!r}")
    check_no_secret("index.json", body)
    write_gz(OUT / "index.json.gz", body)
    print(f"  index.json: {len(body)} bytes")
    for model in MODELS:
        status, _, body = get(f"/doc-bearer/{model}.json", KEY)
        if status != 200:
            sys.exit(f"record-doc-bearer: {model}.json answered {status}: {body[:300]!r}")
        check_no_secret(model, body)
        write_gz(OUT / "models" / f"{model}.json.gz", body)
        print(f"  {model}: {len(body)} bytes")

    path = "/doc-bearer/index.json"
    write_error("no-authorization", path, None, *get(path)[::2])
    write_error("password-as-key", path, "bearer <password>", *get(path, "admin")[::2])
    path = "/doc-bearer/mail.thread.json"
    write_error("abstract-model", path, "bearer <key>", *get(path, KEY)[::2])
    path = "/doc-bearer/no.such.model.json"
    write_error("unknown-model", path, "bearer <key>", *get(path, KEY)[::2])

    demo = Session("demo", "demo")
    removed = remove_demo_keys(demo)  # a key an interrupted run left
    demo_key = demo_api_key(demo)
    SECRETS.append(demo_key)
    try:
        for path, case in [
            ("/doc-bearer/index.json", "user-without-group-index"),
            ("/doc-bearer/res.partner.json", "user-without-group-model"),
        ]:
            write_error(case, path, "bearer <key of demo>", *get(path, demo_key)[::2])
    finally:
        removed += remove_demo_keys(demo)
    print(f"  demo's API key removed ({removed} key(s))")


if __name__ == "__main__":
    main()
