#!/usr/bin/env python3
"""The reference for the live typed-API checks (examples/tests/live/typed.rs): the same calls,
written by hand as a Python integration would write them with the standard library's
xmlrpc.client, against the server of the ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD
environment variables.

Reads one JSON object on stdin: {"phase": ..., and the ids and names the Rust side created}.
Prints one JSON object: the answers, normalized only as far as JSON needs (many2one values stay
[id, name] pairs, empty values stay false). Standard library only.
"""

import json
import os
import sys
import xmlrpc.client


def main():
    params = json.load(sys.stdin)
    url, db = os.environ["ODOO_URL"].rstrip("/"), os.environ["ODOO_DB"]
    login, password = os.environ["ODOO_USER"], os.environ["ODOO_PASSWORD"]
    common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
    uid = common.authenticate(db, login, password, {})
    if not uid:
        sys.exit("reference.py: authentication refused")
    models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)

    def call(model, method, args, kwargs=None):
        return models.execute_kw(db, uid, password, model, method, args, kwargs or {})

    phase = params["phase"]
    out = PHASES[phase](call, params)
    json.dump(out, sys.stdout, sort_keys=True)


def order_and_lines(call, p):
    order = call(
        "sale.order",
        "read",
        [[p["order"]]],
        {"fields": ["name", "partner_id", "state", "tag_ids", "order_line",
                    "amount_untaxed", "amount_total", "client_order_ref"]},
    )[0]
    order["tag_ids"] = sorted(order["tag_ids"])
    lines = call(
        "sale.order.line",
        "search_read",
        [[["order_id", "=", p["order"]]]],
        {"fields": ["product_id", "product_uom_qty", "price_unit", "price_subtotal"], "order": "id"},
    )
    groups = call(
        "sale.order.line",
        "read_group",
        [[["order_id", "=", p["order"]]], ["product_uom_qty:sum", "price_subtotal:sum"], ["product_id"]],
        {"lazy": False},
    )
    groups = sorted(
        (
            {
                "product_id": g["product_id"],
                "count": g["__count"],
                "product_uom_qty": g["product_uom_qty"],
                "price_subtotal": g["price_subtotal"],
            }
            for g in groups
        ),
        key=lambda g: g["product_id"][0],
    )
    return {"order": order, "lines": lines, "line_groups": groups}


def ids_of(call, model, domain):
    return call(model, "search", [domain], {"order": "id"})


def partners(call, p):
    tag, company = p["tag"], p["company"]
    like = ["name", "ilike", tag]
    out = {}
    out["domains"] = {
        "partners_company_or_email": ids_of(call, "res.partner", [like, "|", ["is_company", "=", True], ["email", "!=", False]]),
        "partners_no_parent": ids_of(call, "res.partner", [like, ["parent_id", "=", False]]),
        "partners_parent_is_company": ids_of(call, "res.partner", [like, ["parent_id.is_company", "=", True]]),
        "partners_vip": ids_of(call, "res.partner", [["category_id", "in", [p["vip"]]]]),
        "partners_child_of_company": ids_of(call, "res.partner", [["id", "child_of", [company]]]),
        "partners_in_be": ids_of(call, "res.partner", [like, ["country_id", "in", [p["be"]]]]),
        "partners_not_bob": ids_of(call, "res.partner", [like, ["name", "not ilike", "bob"]]),
        "partners_email_set_and_not_company": ids_of(call, "res.partner", [like, ["email", "!=", False], "!", ["is_company", "=", True]]),
    }
    out["partners"] = call(
        "res.partner",
        "search_read",
        [[like]],
        {"fields": ["name", "parent_id", "email", "is_company"], "order": "id"},
    )
    out["name_search"] = call("res.partner", "name_search", [tag], {"limit": 10})
    out["name_search_companies"] = call(
        "res.partner", "name_search", [tag, [["is_company", "=", True]]], {"limit": 10}
    )
    out["page"] = call("res.partner", "search", [[like]], {"offset": 1, "limit": 3, "order": "id"})
    out["all_ids"] = ids_of(call, "res.partner", [like])
    out["count"] = call("res.partner", "search_count", [[like]])
    groups = call("res.partner", "read_group", [[like], [], ["is_company"]], {"lazy": False})
    out["partner_groups"] = sorted(
        ({"is_company": g["is_company"], "count": g["__count"]} for g in groups),
        key=lambda g: g["is_company"],
    )
    return out


def created(call, p):
    out = order_and_lines(call, p)
    ref, order = p["ref"], p["order"]
    out["domains"] = {
        "so_ref_and_draft": ids_of(call, "sale.order", [["client_order_ref", "=", ref], ["state", "=", "draft"]]),
        "so_country_be": ids_of(call, "sale.order", [["partner_id.country_id.code", "=", "BE"], ["client_order_ref", "=", ref]]),
        "so_country_fr": ids_of(call, "sale.order", [["partner_id.country_id.code", "=", "FR"], ["client_order_ref", "=", ref]]),
        "so_any_line_over_9": ids_of(call, "sale.order", [["order_line", "any", [["price_unit", ">", 9.0]]], ["client_order_ref", "=", ref]]),
        "lines_price_or_qty": ids_of(call, "sale.order.line", [["order_id", "=", order], "|", ["price_unit", ">", 6.0], ["product_uom_qty", ">=", 3.0]]),
        "lines_not_p1": ids_of(call, "sale.order.line", [["order_id", "=", order], "!", ["product_id", "=", p["p1"]]]),
        "lines_price_lt_6": ids_of(call, "sale.order.line", [["order_id", "=", order], ["price_unit", "<", 6.0]]),
    }
    return out


def written(call, p):
    out = order_and_lines(call, p)
    out["removed_line_left"] = call(
        "sale.order.line", "search_count", [[["id", "=", p["removed_line"]]]]
    )
    return out


def context(call, p):
    tag = p["lang_tag"]
    lang = {"lang": p["lang"]}
    default_get = lambda tz: call(
        "mail.activity", "default_get", [["date_deadline"]], {"context": {"tz": tz}}
    )["date_deadline"]
    return {
        "name_in_lang": call("crm.tag", "read", [[tag], ["name"]], {"context": lang})[0]["name"],
        "name_default": call("crm.tag", "read", [[tag], ["name"]])[0]["name"],
        "search_in_lang": call("crm.tag", "search", [[["name", "=", p["lang_name"]]]], {"context": lang}),
        "kiritimati": default_get("Pacific/Kiritimati"),
        "pago_pago": default_get("Pacific/Pago_Pago"),
    }


PHASES = {"partners": partners, "created": created, "written": written, "context": context}

if __name__ == "__main__":
    main()
