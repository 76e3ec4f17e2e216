//! Field handles where Odoo wants a field of the model itself, versus paths through relations
//! (domains only); the field list an empty selection sends; read rows written back as values.

mod typed_support;

use std::cell::RefCell;

use odoo_runtime::domain::{Domain, Field, Related, kind};
use odoo_runtime::model::{Fields, Values};
use odoo_runtime::query::{Call, Executor, On};
use odoo_runtime::types::{Id, Many2one, OrFalse};
use odoo_runtime::xmlrpc::{Response, decode_response};
use odoo_runtime::{Error, Result};
use serde::de::DeserializeOwned;
use serde_json::json;
use typed_support::models::*;
use typed_support::{call_json, recording};

fn block<F: std::future::Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}

/// Records the calls and answers every one with an empty list.
#[derive(Default)]
struct Capture {
    calls: RefCell<Vec<Call>>,
}

impl Executor for Capture {
    async fn execute<R: DeserializeOwned>(&self, call: Call) -> Result<R> {
        self.calls.borrow_mut().push(call);
        serde_json::from_value(json!([])).map_err(|e| Error::Encode(e.to_string()))
    }
}

fn sent(capture: &Capture) -> Vec<serde_json::Value> {
    capture.calls.borrow().iter().map(call_json).collect()
}

fn values_json<M>(values: impl Into<Values<M>>) -> serde_json::Value {
    serde_json::to_value(values.into()).unwrap()
}

#[test]
fn a_path_still_builds_domains() {
    let f = ResPartner::F;
    let parent_name: Field<ResPartner, kind::Char, Related> = f.parent_id.then(ResPartner::F.name);
    assert_eq!(parent_name.name(), "parent_id.name");
    let domain = parent_name.ilike("Azure") & f.is_company.eq(false);
    assert_eq!(
        serde_json::to_string(&domain).unwrap(),
        r#"[["parent_id.name","ilike","Azure"],["is_company","=",false]]"#
    );
    // Paths of paths, and every operator of the last field's kind.
    let country_code = f
        .parent_id
        .then(ResPartner::F.country_id)
        .then(ResCountry::F.code);
    assert_eq!(
        serde_json::to_value(country_code.eq("BE") | parent_name.is_empty()).unwrap(),
        json!([
            "|",
            ["parent_id.country_id.code", "=", "BE"],
            ["parent_id.name", "=", false]
        ])
    );

    // Sent as given in a search.
    let capture = Capture::default();
    let rows = block(
        ResPartner::on(&capture)
            .search(Domain::all() & parent_name.eq("Azure Interior"))
            .fields(Fields::none().with(&f.name).with(&f.parent_id))
            .rows(),
    )
    .unwrap();
    assert!(rows.is_empty());
    assert_eq!(
        sent(&capture),
        [json!([
            "res.partner",
            "search_read",
            [[["parent_id.name", "=", "Azure Interior"]]],
            {"fields": ["name", "parent_id"]}
        ])]
    );
}

#[test]
fn an_empty_field_list_reads_the_id_only() {
    // `read(ids, [])` is Odoo's "every field": an empty selection sends `["id"]`.
    assert_eq!(Fields::<ResPartner>::none().names(), Some(vec!["id"]));
    assert_eq!(Fields::<ResPartner>::all().names(), None);
    assert_eq!(
        Fields::<ResPartner>::none()
            .with(&ResPartner::F.name)
            .names(),
        Some(vec!["name"])
    );

    let capture = Capture::default();
    let partners = ResPartner::on(&capture);
    block(partners.read([Id::new(15)], Fields::none())).unwrap();
    block(partners.search(Domain::all()).fields(Fields::none()).rows()).unwrap();
    block(partners.read([Id::new(15)], Fields::all())).unwrap();
    assert_eq!(
        sent(&capture),
        [
            json!(["res.partner", "read", [[15]], {"fields": ["id"]}]),
            json!(["res.partner", "search_read", [[]], {"fields": ["id"]}]),
            json!(["res.partner", "read", [[15]]]),
        ]
    );
}

fn recorded_rows(name: &str) -> Vec<ResPartner> {
    let body = recording(name, "response.xml");
    match decode_response::<Vec<ResPartner>>(&body).unwrap() {
        Response::Success(rows) => rows,
        Response::Fault(f) => panic!("{name}: fault {}", f.message),
    }
}

#[test]
fn a_read_row_writes_back() {
    // Every field of partner 15: name and country set, parent and comment empty (`false`).
    let rows = recorded_rows("11-res.partner.read-all-fields");
    let row = &rows[0];
    assert_eq!(row.name, OrFalse::Value("Azure Interior".to_owned()));
    assert_eq!(row.parent_id, OrFalse::Empty);
    assert!(matches!(row.country_id, OrFalse::Value(Many2one { .. })));
    assert_eq!(row.comment, OrFalse::Empty);

    let write = ResPartnerWrite::new()
        .name(row.name.clone())
        .parent_id(row.parent_id.clone())
        .country_id(row.country_id.clone())
        .comment(row.comment.clone());
    assert_eq!(
        values_json(write),
        json!({"name": "Azure Interior", "parent_id": false, "country_id": 233, "comment": false})
    );
    // The same through references, and a bare `Many2one` sends its id.
    let by_ref = ResPartnerWrite::new()
        .name(&row.name)
        .parent_id(&row.parent_id)
        .country_id(&row.country_id);
    assert_eq!(
        values_json(by_ref),
        json!({"name": "Azure Interior", "parent_id": false, "country_id": 233})
    );
    let country = row.country_id.value().unwrap();
    let create = ResPartnerCreate::new()
        .country_id(country)
        .parent_id(Many2one::new(Id::new(1)));
    assert_eq!(
        values_json(create),
        json!({"country_id": 233, "parent_id": 1})
    );
}

#[test]
fn a_field_not_fetched_is_left_out() {
    // `read(ids, ["name", "country_id", "comment"])`: parent_id was not fetched.
    let rows = recorded_rows("12-res.partner.read-3-fields");
    let row = &rows[0];
    assert!(row.parent_id.is_not_fetched());
    let write = ResPartnerWrite::new()
        .name(row.name.clone())
        .parent_id(row.parent_id.clone())
        .comment(&row.comment);
    assert_eq!(
        values_json(write),
        json!({"name": "Azure Interior", "comment": false})
    );
    // It leaves a value set before as it was (it does not clear it either).
    let write = ResPartnerWrite::new()
        .parent_id(Id::new(1))
        .parent_id(row.parent_id.clone())
        .parent_id(Some(OrFalse::<Many2one<ResPartner>>::NotFetched));
    assert_eq!(values_json(write), json!({"parent_id": 1}));
    // `Option` and `OrFalse` clear alike.
    let write = ResPartnerWrite::new()
        .name(None::<String>)
        .comment(OrFalse::<String>::Empty);
    assert_eq!(values_json(write), json!({"name": false, "comment": false}));
}
