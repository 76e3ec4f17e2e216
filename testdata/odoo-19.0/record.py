#!/usr/bin/env python3
"""Records real exchanges with an Odoo server (17.0 and later) into the layout of testdata/odoo-19.0
and testdata/odoo-17.0 (see their README.md). One recorder for every version: it asks the server
its version (common.version, not recorded) and records what that version serves.

    ODOO_URL=http://127.0.0.1:19069 ODOO_DB=odoo19 ODOO_USER=admin \
    ODOO_PASSWORD=... ODOO_API_KEY=... python3 testdata/odoo-19.0/record.py [OUT_DIR]

Settings (environment only, so no secret lands in the shell history):
  ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD   an administrator (required)
  ODOO_API_KEY                                  an API key of that user (required: JSON-2 takes
                                                nothing else; also used in place of the password)
  ODOO_PORTAL_USER, ODOO_PORTAL_PASSWORD        a portal user, for the access errors (default: the
                                                demo data's portal / portal; skipped when refused)

OUT_DIR defaults to testdata/odoo-<server_serie> (this script's directory for a 19.0 server,
../odoo-17.0 for 17.0); a directory named odoo-X.Y is refused when the server runs another series.
It writes xmlrpc/, jsonrpc/ and json2/, each with an index.json, replacing them only once the whole
run succeeded and no secret is left in a file (a failed run keeps nothing). On Odoo 19 and later
json2/ holds the JSON-2 tour; before 19, which has no JSON-2, it holds what the server answers to
the requests a JSON-2 client sends first (GET /web/version, POST /json/2/res.users/context_get).
Python 3.8+ standard library only.

What it changes on the server: it creates partners named "odoo-codegen recorder ...", writes and
archives them and deletes them again (a failed run deletes what it created). Everything else is
read-only or fails on purpose.

No secret is recorded: the password, the API key and the portal password are replaced in every
recorded request by the placeholders below (a client replaying the recordings uses them as its
secrets), and the API key (or any secret of 8 characters or more) found in a response is replaced
too. Paths in Python tracebacks are rewritten to /opt/odoo/... and /usr/lib/python3...; those two
rewrites are the only edits made to what the server sent.
"""

import json
import os
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
import xmlrpc.client

PASSWORD_PLACEHOLDER = "scrubbed-password"
API_KEY_PLACEHOLDER = "scrubbed-api-key"
PORTAL_PASSWORD_PLACEHOLDER = "scrubbed-portal-password"
# Not secrets: values the server must refuse.
WRONG_PASSWORD = "wrong-password"
WRONG_API_KEY = "0000000000000000000000000000000000000000"
UNKNOWN_DB = "no_such_database_odoo_codegen"
TIMEOUT = 120


def setting(name, default=None, required=True):
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if default is not None or not required:
        return default
    sys.exit(f"record.py: {name} is not set (see the docstring: python3 {sys.argv[0]} --help)")


class Settings:
    def __init__(self):
        self.url = setting("ODOO_URL").rstrip("/")
        self.db = setting("ODOO_DB")
        self.user = setting("ODOO_USER")
        self.password = setting("ODOO_PASSWORD")
        self.api_key = setting("ODOO_API_KEY")
        self.portal_user = setting("ODOO_PORTAL_USER", "portal")
        self.portal_password = setting("ODOO_PORTAL_PASSWORD", "portal")

    def placeholders(self):
        """(secret, placeholder) pairs, the longest secret first."""
        pairs = [
            (self.api_key, API_KEY_PLACEHOLDER),
            (self.password, PASSWORD_PLACEHOLDER),
            (self.portal_password, PORTAL_PASSWORD_PLACEHOLDER),
        ]
        return sorted(pairs, key=lambda p: -len(p[0]))


# ---- scrubbing ----------------------------------------------------------------------------------

SITE_PACKAGES = re.compile(r'File "[^"\n]*?/(?:site|dist)-packages/')
STDLIB = re.compile(r'File "[^"\n]*?/lib/python3\.(\d+)/')
ODOO_ROOT = re.compile(r'File "([^"\n]*?/)odoo/http\.py"')


def rewrite_paths(text, roots):
    """Traceback paths as the 18.0 recordings have them: /opt/odoo/..., /usr/lib/python3..."""
    for root in ODOO_ROOT.findall(text):
        roots.add(root)
    for root in sorted(roots, key=len, reverse=True):
        text = text.replace('File "' + root, 'File "/opt/odoo/')
        # The same paths also appear inside escaped JSON strings of a JSON body.
        text = text.replace('File \\"' + root, 'File \\"/opt/odoo/')
    text = SITE_PACKAGES.sub('File "/usr/lib/python3/dist-packages/', text)
    text = STDLIB.sub(lambda m: f'File "/usr/lib/python3.{m.group(1)}/', text)
    text = re.sub(r'File \\"[^"\\\n]*?/(?:site|dist)-packages/', r'File \\"/usr/lib/python3/dist-packages/', text)
    text = re.sub(r'File \\"[^"\\\n]*?/lib/python3\.(\d+)/', r'File \\"/usr/lib/python3.\1/', text)
    return text


def scrub_response(settings, body, roots):
    text = body.decode("utf-8")
    text = rewrite_paths(text, roots)
    for secret, placeholder in settings.placeholders():
        if len(secret) >= 8:
            text = text.replace(secret, placeholder)
    return text.encode("utf-8")


class Secret(str):
    """A string that stands for one of the settings' secrets in request params (scrubbed by
    identity, not by value: the password may equal the login, as admin/admin does)."""

    def __new__(cls, value, placeholder):
        s = super().__new__(cls, value)
        s.placeholder = placeholder
        return s


def recorded_form(value):
    if isinstance(value, Secret):
        return value.placeholder
    if isinstance(value, list):
        return [recorded_form(v) for v in value]
    if isinstance(value, tuple):
        return tuple(recorded_form(v) for v in value)
    if isinstance(value, dict):
        return {k: recorded_form(v) for k, v in value.items()}
    return value


def plain(value):
    """`value` with every Secret turned back into a plain str (for the marshallers)."""
    if isinstance(value, Secret):
        return str.__str__(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


# ---- HTTP ---------------------------------------------------------------------------------------


def http(url, body, headers, method="POST"):
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


class Directory:
    """One recording directory: numbered exchanges and their index."""

    def __init__(self, root, name, settings, roots):
        self.path = os.path.join(root, name)
        self.settings = settings
        self.roots = roots
        self.index = []
        if os.path.isdir(self.path):
            shutil.rmtree(self.path)
        os.makedirs(self.path)

    def stem(self, name):
        return f"{len(self.index) + 1:02d}-{name}"

    def write(self, file, data):
        with open(os.path.join(self.path, file), "wb") as f:
            f.write(data)

    def finish(self):
        with open(os.path.join(self.path, "index.json"), "w", encoding="utf-8") as f:
            json.dump(self.index, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{os.path.basename(self.path)}: {len(self.index)} exchanges")


class XmlRpc(Directory):
    def __init__(self, root, settings, roots):
        super().__init__(root, "xmlrpc", settings, roots)

    def call(self, name, service, method, params, note=""):
        """Sends `method(*params)` to /xmlrpc/2/<service> as Python's xmlrpc.client does; returns
        the decoded result, or the Fault."""
        stem = self.stem(name)
        sent = xmlrpc.client.dumps(tuple(plain(params)), method).encode("utf-8")
        kept = xmlrpc.client.dumps(tuple(recorded_form(params)), method).encode("utf-8")
        endpoint = f"/xmlrpc/2/{service}"
        status, content_type, answer = http(
            self.settings.url + endpoint, sent, {"Content-Type": "text/xml"}
        )
        answer = scrub_response(self.settings, answer, self.roots)
        self.write(f"{stem}.request.xml", kept)
        self.write(f"{stem}.response.xml", answer)
        try:
            (result,), _ = xmlrpc.client.loads(answer)
            outcome = {"result": result}
            value = result
        except xmlrpc.client.Fault as fault:
            outcome = {"fault": {"faultCode": fault.faultCode, "faultString": fault.faultString}}
            value = fault
        self.write(
            f"{stem}.expected.json",
            (json.dumps(outcome, indent=1, ensure_ascii=False) + "\n").encode("utf-8"),
        )
        self.index.append(
            {
                "file": stem,
                "endpoint": endpoint,
                "method": method,
                "http_status": status,
                "content_type": content_type,
                "note": note,
            }
        )
        return value


class JsonRpc(Directory):
    def __init__(self, root, settings, roots):
        super().__init__(root, "jsonrpc", settings, roots)

    def call(self, name, service, method, params, note=""):
        """Sends `{"service", "method", "args"}` to /jsonrpc; returns the answer object."""
        stem = self.stem(name)

        def body(args):
            call = {"jsonrpc": "2.0", "method": "call", "id": 1,
                    "params": {"service": service, "method": method, "args": args}}
            return json.dumps(call, ensure_ascii=False).encode("utf-8")

        status, content_type, answer = http(
            self.settings.url + "/jsonrpc", body(plain(params)), {"Content-Type": "application/json"}
        )
        answer = scrub_response(self.settings, answer, self.roots)
        self.write(f"{stem}.request.json", body(recorded_form(params)))
        self.write(f"{stem}.response.json", answer)
        self.index.append(
            {
                "file": stem,
                "endpoint": "/jsonrpc",
                "service": service,
                "method": method,
                "http_status": status,
                "content_type": content_type,
                "note": note,
            }
        )
        return json.loads(answer)


class Json2(Directory):
    def __init__(self, root, settings, roots):
        super().__init__(root, "json2", settings, roots)

    def call(self, name, path, body=None, bearer=None, database=None, note="",
             method="POST", content_type="application/json", raw=None):
        """Sends `body` (a JSON object; `raw` bytes instead when given) to `path` with
        `Authorization: bearer <bearer>` and `X-Odoo-Database: <database>` (each left out when
        None); returns (status, decoded JSON or None)."""
        stem = self.stem(name)
        headers = {}
        recorded_headers = {}
        if bearer is not None:
            headers["Authorization"] = "bearer " + plain(bearer)
            recorded_headers["authorization"] = "bearer " + recorded_form(bearer)
        if database is not None:
            headers["X-Odoo-Database"] = database
            recorded_headers["x-odoo-database"] = database
        data = None
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if data is not None:
            headers["Content-Type"] = content_type
            recorded_headers["content-type"] = content_type
        status, answer_type, answer = http(self.settings.url + path, data, headers, method)
        answer = scrub_response(self.settings, answer, self.roots)
        extension = "json" if answer_type.startswith("application/json") else "html"
        self.write(f"{stem}.request.json", data or b"")
        self.write(f"{stem}.response.{extension}", answer)
        self.index.append(
            {
                "file": stem,
                "endpoint": path,
                "http_method": method,
                "headers": recorded_headers,
                "http_status": status,
                "content_type": answer_type,
                "note": note,
            }
        )
        try:
            return status, json.loads(answer)
        except ValueError:
            return status, None


# ---- what is recorded ---------------------------------------------------------------------------

PARTNER_FIELDS = ["name", "is_company", "country_id", "parent_id", "comment", "email", "category_id"]
FIELDS_GET_FIELDS = ["name", "country_id", "type", "category_id", "comment", "is_company"]
FIELDS_GET_ATTRIBUTES = ["string", "type", "help", "relation", "selection", "required", "readonly"]


def rpc_tour(rec, s, which, cleanup):
    """The exchanges XML-RPC and JSON-RPC share. `rec.call` records one."""
    password = Secret(s.password, PASSWORD_PLACEHOLDER)
    api_key = Secret(s.api_key, API_KEY_PLACEHOLDER)
    portal_password = Secret(s.portal_password, PORTAL_PASSWORD_PLACEHOLDER)
    xml = isinstance(rec, XmlRpc)

    def result(value):
        """The result of an answer (XML-RPC gives it decoded, JSON-RPC the whole object)."""
        if xml:
            return None if isinstance(value, xmlrpc.client.Fault) else value
        return value.get("result")

    def kw(model, method, args, kwargs=None, secret=password, uid=None, db=None, name=None, note=""):
        params = [db or s.db, uid if uid is not None else admin_uid, secret, model, method, args]
        if kwargs is not None:
            params.append(kwargs)
        return rec.call(name or f"{model}.{method}", "object", "execute_kw", params, note)

    rec.call("version", "common", "version", [], "common.version(): no authentication")
    admin_uid = result(rec.call("authenticate", "common", "authenticate",
                                [s.db, s.user, password, {}], "the uid"))
    if not isinstance(admin_uid, int) or admin_uid <= 0:
        sys.exit(f"record.py: {which}: authenticate refused {s.user!r} on {s.db!r}")
    rec.call("authenticate-api-key", "common", "authenticate", [s.db, s.user, api_key, {}],
             "an API key is accepted in place of the password")
    rec.call("authenticate-wrong-password", "common", "authenticate",
             [s.db, s.user, WRONG_PASSWORD, {}], "bad credentials: false, not an error")
    # A success resets the server's count of failed logins from this address (5 in a row put it
    # on a cooldown that would refuse every login from here for a minute).
    rec.call("authenticate-again", "common", "authenticate", [s.db, s.user, password, {}],
             "a success after a failure")
    rec.call("authenticate-unknown-db", "common", "authenticate",
             [UNKNOWN_DB, s.user, password, {}], "unknown database")

    companies = [["is_company", "=", True]]
    kw("res.partner", "search_read", [companies],
       {"fields": PARTNER_FIELDS, "limit": 3, "order": "id"}, name="res.partner.search_read",
       note="many2one [id, name], false for empty, x2many ids")
    ids = result(kw("res.partner", "search", [companies], {"offset": 1, "limit": 3, "order": "id"},
                    name="res.partner.search-paged", note="offset/limit/order"))
    kw("res.partner", "search_count", [companies], name="res.partner.search_count")
    kw("res.partner", "read", [ids[:2]], {"fields": PARTNER_FIELDS}, name="res.partner.read")
    kw("res.partner", "fields_get", [],
       {"allfields": FIELDS_GET_FIELDS, "attributes": FIELDS_GET_ATTRIBUTES},
       name="res.partner.fields_get")
    kw("res.partner", "name_search", ["a"], {"limit": 3},
       name="res.partner.name_search", note="[[id, display name], ...]")
    kw("res.partner", "search_read", [[]], {"fields": ["name"], "limit": 2, "order": "id"},
       secret=api_key, name="res.partner.search_read-api-key",
       note="execute_kw with the API key in place of the password")

    label = f"odoo-codegen recorder ({which})"
    new_id = result(kw("res.partner", "create", [{"name": label, "comment": "<p>recorded</p>"}],
                       name="res.partner.create", note="one dict: one id"))
    if not isinstance(new_id, int):
        sys.exit(f"record.py: {which}: create failed")
    cleanup.append(new_id)
    batch = result(kw("res.partner", "create", [[{"name": label + " A"}, {"name": label + " B"}]],
                      name="res.partner.create-batch", note="a list of dicts: a list of ids"))
    cleanup.extend(batch or [])
    kw("res.partner", "write", [[new_id], {"name": label + " renamed", "is_company": True}],
       name="res.partner.write", note="true")
    kw("res.partner", "read", [[new_id]], {"fields": PARTNER_FIELDS}, name="res.partner.read-written")
    kw("res.partner", "write", [[new_id], {"parent_id": new_id}],
       name="res.partner.write-recursive", note="ValidationError")
    kw("res.partner", "action_archive", [[new_id]], name="res.partner.action_archive",
       note="a method returning None" + (": the answer cannot be marshalled (fault 1), after the "
                                          "write was committed" if xml else ": no result member"))
    kw("res.partner", "unlink", [[new_id] + (batch or [])], name="res.partner.unlink", note="true")
    cleanup.clear()
    kw("res.partner", "read", [[new_id]], {"fields": ["name"]}, name="res.partner.read-deleted",
       note="a deleted record is left out")
    kw("res.partner", "write", [[new_id], {"name": "x"}], name="res.partner.write-deleted",
       note="MissingError")

    orders = result(kw("sale.order", "search", [[["state", "=", "sale"]]], {"limit": 1, "order": "id"},
                       name="sale.order.search-confirmed"))
    if orders:
        kw("sale.order", "unlink", [orders], name="sale.order.unlink-confirmed", note="UserError")
    kw("res.partner", "read", [ids[:1]], {"fields": ["no_such_field"]},
       name="res.partner.read-unknown-field", note="ValueError: fault 1 / builtins.ValueError")
    kw("res.partner", "no_such_method", [[]], name="res.partner.unknown-method")
    kw("res.partner", "_compute_display_name", [ids[:1]], name="res.partner.private-method",
       note="private methods cannot be called remotely")
    kw("no.such.model", "search", [[]], name="unknown-model")
    kw("product.pricelist", "fields_get", [], {"attributes": ["type", "domain"]},
       name="product.pricelist.fields_get",
       note="an attribute holds None" + (": XML-RPC cannot marshal it" if xml else ""))
    kw("res.partner", "search", [[]], {"limit": 1}, secret=WRONG_PASSWORD,
       name="wrong-password", note="AccessDenied")
    rec.call("authenticate-after-wrong-password", "common", "authenticate",
             [s.db, s.user, password, {}], "a success after a failure")
    kw("res.partner", "search", [[]], {"limit": 1}, db=UNKNOWN_DB, name="execute_kw-unknown-db",
       note="unknown database")

    portal_uid = result(rec.call("authenticate-portal", "common", "authenticate",
                                 [s.db, s.portal_user, portal_password, {}], "a portal user"))
    if isinstance(portal_uid, int) and portal_uid > 0:
        kw("ir.config_parameter", "search_read", [[]], {"fields": ["key"], "limit": 1},
           secret=portal_password, uid=portal_uid, name="access-error-portal",
           note="portal user: AccessError")
    else:
        print(f"{which}: portal user {s.portal_user!r} refused: no access error recorded")
        rec.call("authenticate-after-portal", "common", "authenticate",
                 [s.db, s.user, password, {}], "a success after a failure")


def json2_tour(rec, s, cleanup):
    api_key = Secret(s.api_key, API_KEY_PLACEHOLDER)
    password = Secret(s.password, PASSWORD_PLACEHOLDER)
    db = s.db

    def call(model, method, body, name=None, note="", bearer=api_key, database=db):
        return rec.call(name or f"{model}.{method}", f"/json/2/{model}/{method}", body,
                        bearer=bearer, database=database, note=note)

    rec.call("web-version", "/web/version", method="GET", note="GET /web/version: the version")
    status, ctx = call("res.users", "context_get", {}, note="the uid, language and time zone")
    if status != 200:
        sys.exit(f"record.py: json2: context_get answered {status}: check ODOO_API_KEY")
    companies = [["is_company", "=", True]]
    call("res.partner", "search_read",
         {"domain": companies, "fields": PARTNER_FIELDS, "limit": 3, "order": "id"},
         note="a bare list of records")
    _, ids = call("res.partner", "search", {"domain": companies, "offset": 1, "limit": 3, "order": "id"},
                  name="res.partner.search-paged")
    call("res.partner", "search_count", {"domain": companies})
    call("res.partner", "read", {"ids": ids[:2], "fields": PARTNER_FIELDS})
    call("res.partner", "fields_get",
         {"allfields": FIELDS_GET_FIELDS, "attributes": FIELDS_GET_ATTRIBUTES})
    call("res.partner", "name_search", {"name": "a", "limit": 3})
    call("res.partner", "search_read", {"domain": [], "fields": ["name"], "limit": 2, "order": "id",
                                        "context": {"lang": "en_US", "active_test": False}},
         name="res.partner.search_read-context", note="context in the body")

    label = "odoo-codegen recorder (json2)"
    status, new = call("res.partner", "create",
                       {"vals_list": {"name": label, "comment": "<p>recorded</p>"}},
                       note="one dict: the new recordset's ids")
    if status != 200:
        sys.exit(f"record.py: json2: create answered {status}")
    new_id = new[0]
    cleanup.append(new_id)
    _, batch = call("res.partner", "create", {"vals_list": [{"name": label + " A"}, {"name": label + " B"}]},
                    name="res.partner.create-batch")
    cleanup.extend(batch or [])
    call("res.partner", "write", {"ids": [new_id], "vals": {"name": label + " renamed", "is_company": True}})
    call("res.partner", "read", {"ids": [new_id], "fields": PARTNER_FIELDS}, name="res.partner.read-written")
    call("res.partner", "write", {"ids": [new_id], "vals": {"parent_id": new_id}},
         name="res.partner.write-recursive", note="422 ValidationError")
    call("res.partner", "action_archive", {"ids": [new_id]}, note="a method returning None: null")
    call("res.partner", "unlink", {"ids": [new_id] + (batch or [])})
    cleanup.clear()
    call("res.partner", "read", {"ids": [new_id], "fields": ["name"]}, name="res.partner.read-deleted",
         note="a deleted record is left out")
    call("res.partner", "write", {"ids": [new_id], "vals": {"name": "x"}},
         name="res.partner.write-deleted", note="404 MissingError")

    _, orders = call("sale.order", "search", {"domain": [["state", "=", "sale"]], "limit": 1, "order": "id"},
                     name="sale.order.search-confirmed")
    if isinstance(orders, list) and orders:
        call("sale.order", "unlink", {"ids": orders}, name="sale.order.unlink-confirmed",
             note="422 UserError")
    call("res.partner", "read", {"ids": ids[:1], "fields": ["no_such_field"]},
         name="res.partner.read-unknown-field", note="500 builtins.ValueError")
    call("res.partner", "no_such_method", {}, name="res.partner.unknown-method", note="404 NotFound")
    call("res.partner", "_compute_display_name", {"ids": ids[:1]}, name="res.partner.private-method",
         note="403 AccessError")
    call("no.such.model", "search", {"domain": []}, name="unknown-model", note="404 NotFound")
    call("res.partner", "search", {"domain": [], "bogus": 1}, name="res.partner.search-unknown-argument",
         note="422 UnprocessableEntity: the arguments do not bind")
    call("res.partner", "search", {"ids": ids[:1], "domain": []}, name="res.partner.search-with-ids",
         note="422 UnprocessableEntity: ids given to a model method")
    call("res.users", "change_password", {"old_passwd": WRONG_PASSWORD, "new_passwd": ""},
         name="res.users.change_password-wrong", note="403 AccessDenied (a wrong old password)")
    call("product.pricelist", "fields_get", {"attributes": ["type", "domain"]},
         note="None attributes are null")
    call("res.users", "context_get", {}, name="wrong-api-key", bearer=WRONG_API_KEY,
         note="401 Unauthorized")
    call("res.users", "context_get", {}, name="password-as-bearer", bearer=password,
         note="401: JSON-2 takes no password")
    call("res.users", "context_get", {}, name="unknown-database", database=UNKNOWN_DB,
         note="404 HTML page: no database selected")
    # Requests the runtime client never sends: what the server answers to them.
    call("res.users", "context_get", {}, name="no-authorization", bearer=None, note="401")
    rec.call("get-method", "/json/2/res.partner/search", bearer=api_key, database=db, method="GET",
             note="404 JSON: only POST")
    rec.call("invalid-json", "/json/2/res.partner/search", bearer=api_key, database=db,
             raw=b"{not json", note="400 BadRequest")
    rec.call("json-array", "/json/2/res.partner/search", bearer=api_key, database=db, raw=b"[]",
             note="422: a body that is not an object binds no argument")
    rec.call("text-plain", "/json/2/res.users/context_get", {}, bearer=api_key, database=db,
             content_type="text/plain", note="415 HTML page: not application/json")


def delete_left_overs(s, ids):
    if not ids:
        return
    body = {"jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"service": "object", "method": "execute_kw",
                       "args": [s.db, 2, s.password, "res.partner", "unlink", [ids]]}}
    uid_body = {"jsonrpc": "2.0", "method": "call", "id": 1,
                "params": {"service": "common", "method": "authenticate",
                           "args": [s.db, s.user, s.password, {}]}}
    try:
        _, _, answer = http(s.url + "/jsonrpc", json.dumps(uid_body).encode(),
                            {"Content-Type": "application/json"})
        body["params"]["args"][1] = json.loads(answer)["result"]
        http(s.url + "/jsonrpc", json.dumps(body).encode(), {"Content-Type": "application/json"})
        print(f"deleted the partners left over: {ids}")
    except Exception as e:  # noqa: BLE001 - best effort, said aloud
        print(f"could not delete the partners left over {ids}: {e}", file=sys.stderr)


def check_no_secret(root, s):
    """Fails when a secret (8 characters or more) is in any recorded file."""
    long_secrets = [x for x, _ in s.placeholders() if len(x) >= 8]
    for dirpath, _, files in os.walk(root):
        for name in files:
            if name.endswith(".py") or name.endswith(".md"):
                continue
            with open(os.path.join(dirpath, name), "rb") as f:
                data = f.read()
            for secret in long_secrets:
                if secret.encode() in data:
                    sys.exit(f"record.py: a secret is in {os.path.join(dirpath, name)}: not kept")


def no_json2_tour(rec, s, serie):
    """Before Odoo 19: what the requests a JSON-2 client sends first are answered."""
    api_key = Secret(s.api_key, API_KEY_PLACEHOLDER)
    rec.call("web-version", "/web/version", method="GET",
             note=f"GET /web/version (the JSON-2 client's version()) on Odoo {serie}")
    rec.call("res.users.context_get", "/json/2/res.users/context_get", {}, bearer=api_key,
             database=s.db, note=f"the JSON-2 client's first call (its uid) on Odoo {serie}")


def server_version(s):
    """common.version() over JSON-RPC, not recorded: (server_serie, major version)."""
    body = {"jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"service": "common", "method": "version", "args": []}}
    status, _, answer = http(s.url + "/jsonrpc", json.dumps(body).encode(),
                             {"Content-Type": "application/json"})
    try:
        version = json.loads(answer)["result"]
        serie = version.get("server_serie") or version["server_version"]
        major = int(re.search(r"\d+", serie).group())
    except (ValueError, KeyError, TypeError, AttributeError):
        sys.exit(f"record.py: {s.url}/jsonrpc answered {status} to common.version: not an Odoo server")
    return serie, major


def out_dir(serie):
    """OUT_DIR, or testdata/odoo-<serie>; refuses a directory named for another series."""
    if len(sys.argv) > 1:
        root = os.path.abspath(sys.argv[1])
    else:
        testdata = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        root = os.path.join(testdata, f"odoo-{serie}")
    named = re.fullmatch(r"odoo-((?:saas~)?\d+\.\d+)", os.path.basename(root))
    if named and named.group(1) != serie:
        sys.exit(f"record.py: {root} is for Odoo {named.group(1)}, the server runs {serie}")
    return root


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return
    s = Settings()
    serie, major = server_version(s)
    root = out_dir(serie)
    os.makedirs(root, exist_ok=True)
    # Recorded into a directory of its own, moved into place once complete and free of secrets.
    stage = tempfile.mkdtemp(prefix=".record-", dir=root)
    try:
        roots = set()
        for Rec, which in ((XmlRpc, "xmlrpc"), (JsonRpc, "jsonrpc")):
            rec = Rec(stage, s, roots)
            cleanup = []
            try:
                rpc_tour(rec, s, which, cleanup)
            finally:
                delete_left_overs(s, cleanup)
            rec.finish()
        rec = Json2(stage, s, roots)
        if major >= 19:
            cleanup = []
            try:
                json2_tour(rec, s, cleanup)
            finally:
                delete_left_overs(s, cleanup)
        else:
            no_json2_tour(rec, s, serie)
        rec.finish()
        check_no_secret(stage, s)
        for sub in ("xmlrpc", "jsonrpc", "json2"):
            if os.path.isdir(os.path.join(root, sub)):
                shutil.rmtree(os.path.join(root, sub))
            os.rename(os.path.join(stage, sub), os.path.join(root, sub))
        print(f"Odoo {serie}: recorded into {root}")
    finally:
        shutil.rmtree(stage, ignore_errors=True)


if __name__ == "__main__":
    main()
