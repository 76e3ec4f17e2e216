//! The typed API on generated bindings (`examples/sale-bindings`, generated from the 18.0
//! snapshot) against a real server, on every transport (the password and the API key taking
//! turns: [`on_each_transport`]), each result compared with what Python's `xmlrpc.client` gets
//! for the same call (`tests/python/reference.py`, written by hand as a Python integration would
//! write it).
//!
//! Every record is created by the check itself under a name unique to the run, and deleted at the
//! end, whether the check passed or not. Needs the `sale` app (sale orders, products, CRM tags)
//! and `mail` (`mail.activity`), as in any database with the sales app installed.

use std::collections::BTreeSet;
use std::future::Future;
use std::process::{Command as Process, Stdio};
use std::sync::Mutex;

use futures::TryStreamExt;
use odoo_replay::live::{self, Credential, Server};
use odoo_runtime::client::{Client, Transport};
use odoo_runtime::command::Command;
use odoo_runtime::domain::Domain;
use odoo_runtime::model::{False, Fields};
use odoo_runtime::types::{Date, Id, Many2one, OrFalse};
use odoo_sale_bindings::crm_tag::{CrmTag, CrmTagCreate, CrmTagWrite};
use odoo_sale_bindings::mail_activity::MailActivity;
use odoo_sale_bindings::markers;
use odoo_sale_bindings::product_product::{ProductProduct, ProductProductCreate, Type};
use odoo_sale_bindings::res_country::ResCountry;
use odoo_sale_bindings::res_lang::{ResLang, ResLangWrite};
use odoo_sale_bindings::res_partner::{ResPartner, ResPartnerCreate};
use odoo_sale_bindings::res_partner_category::{ResPartnerCategory, ResPartnerCategoryCreate};
use odoo_sale_bindings::sale_order::{SaleOrder, SaleOrderCreate, SaleOrderWrite, State};
use odoo_sale_bindings::sale_order_line::{SaleOrderLine, SaleOrderLineCreate, SaleOrderLineWrite};
use serde_json::{Value, json};

/// A name part unique to this run and check.
fn unique(what: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("lt{}x{nanos}{what}", std::process::id())
}

/// Runs `tests/python/reference.py` with `params` on stdin and the server's settings in its
/// environment; its JSON answer.
fn python(server: &Server, params: &Value) -> Value {
    use std::io::Write;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/reference.py");
    let mut child = Process::new("python3")
        .arg(script)
        .envs(server.env())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("python3 {script}: {e} (the live tier needs python3)"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(params.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "reference.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("reference.py prints JSON")
}

fn ids<M>(ids: &[Id<M>]) -> Value {
    ids.iter().map(|id| id.get()).collect()
}

fn sorted_ids<M>(list: &[Id<M>]) -> Value {
    let set: BTreeSet<i64> = list.iter().map(|id| id.get()).collect();
    set.into_iter().collect()
}

/// A many2one as Python reads it: `[id, name]`, or `false`.
fn m2o<M>(v: &OrFalse<Many2one<M>>) -> Value {
    match v {
        OrFalse::Value(m) => json!([m.id.get(), m.name]),
        OrFalse::Empty => json!(false),
        OrFalse::NotFetched => panic!("a many2one that was asked for was not read"),
    }
}

fn text(v: &OrFalse<String>) -> Value {
    match v {
        OrFalse::Value(s) => json!(s),
        OrFalse::Empty => json!(false),
        OrFalse::NotFetched => panic!("a text field that was asked for was not read"),
    }
}

/// Runs `body`, then `cleanup` whether `body` panicked or not (a panic of `body` wins).
fn with_cleanup<T>(body: impl FnOnce() -> T, cleanup: impl FnOnce()) -> T {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
    let cleaned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(cleanup));
    match (outcome, cleaned) {
        (Ok(value), Ok(())) => value,
        (Err(panic), _) | (Ok(_), Err(panic)) => std::panic::resume_unwind(panic),
    }
}

/// Runs `check` with a client for every transport of `server`, the secrets taking turns: the
/// password over XML-RPC, the API key (when there is one) over JSON-RPC and JSON-2. The typed
/// API sends the same calls whichever secret the client holds; the tour examples and the
/// runtime's checks run with each secret on every transport.
fn on_each_transport<F, Fut>(server: &Server, check: F)
where
    F: Fn(Client, String) -> Fut,
    Fut: Future<Output = ()>,
{
    for transport in server.transports() {
        let credential = taking_turns(server, transport);
        let client = server.client(transport, credential);
        live::block_on(check(client, format!("{transport} with the {credential}")));
    }
}

/// The secret used over `transport` when the secrets take turns: the password over XML-RPC, the
/// API key (when there is one) over the others.
pub fn taking_turns(server: &Server, transport: Transport) -> Credential {
    let credentials = server.credentials(transport);
    if transport == Transport::XmlRpc {
        credentials[0]
    } else {
        *credentials.last().unwrap()
    }
}

/// What one run of the records check created, to be deleted.
#[derive(Default)]
struct Created {
    orders: Vec<Id<markers::SaleOrder>>,
    products: Vec<Id<markers::ProductProduct>>,
    tags: Vec<Id<markers::CrmTag>>,
    categories: Vec<Id<markers::ResPartnerCategory>>,
    partners: Vec<Id<markers::ResPartner>>,
}

impl Created {
    async fn delete(&self, c: &Client) {
        // Orders first (their lines go with them), then what they pointed to.
        if !self.orders.is_empty() {
            SaleOrder::on(c).unlink(self.orders.clone()).await.unwrap();
        }
        if !self.products.is_empty() {
            ProductProduct::on(c)
                .unlink(self.products.clone())
                .await
                .unwrap();
        }
        if !self.tags.is_empty() {
            CrmTag::on(c).unlink(self.tags.clone()).await.unwrap();
        }
        if !self.partners.is_empty() {
            ResPartner::on(c)
                .unlink(self.partners.clone())
                .await
                .unwrap();
        }
        if !self.categories.is_empty() {
            ResPartnerCategory::on(c)
                .unlink(self.categories.clone())
                .await
                .unwrap();
        }
    }
}

/// What the records check made once for every transport: partners (three contacts created
/// through `child_ids` commands), a partner tag, two products and three CRM tags.
struct Shared {
    tag: String,
    be: Id<markers::ResCountry>,
    vip: Id<markers::ResPartnerCategory>,
    company: Id<markers::ResPartner>,
    contacts: [Id<markers::ResPartner>; 3],
    dave: Id<markers::ResPartner>,
    p1: Id<markers::ProductProduct>,
    p2: Id<markers::ProductProduct>,
    tags: [Id<markers::CrmTag>; 3],
}

impl Shared {
    fn named(&self, what: &str) -> String {
        format!("LT {} {what}", self.tag)
    }
}

async fn setup(c: &Client, created: &Mutex<Created>) -> Shared {
    let tag = unique("");
    let named = |what: &str| format!("LT {tag} {what}");
    let track = |f: &dyn Fn(&mut Created)| f(&mut created.lock().unwrap());
    let be = ResCountry::on(c)
        .search(ResCountry::F.code.eq("BE"))
        .ids()
        .await
        .unwrap();
    let be = *be.first().expect("res.country BE (base data)");
    let vip = ResPartnerCategory::on(c)
        .create(ResPartnerCategoryCreate::new().name(named("VIP")))
        .await
        .unwrap();
    track(&|k| k.categories.push(vip));
    let partners = ResPartner::on(c);
    let company = partners
        .create(
            ResPartnerCreate::new()
                .name(named("Company"))
                .is_company(true)
                .country_id(be)
                .city("Brussels")
                .category_id([Command::link(vip)])
                .child_ids([
                    Command::create(
                        ResPartnerCreate::new()
                            .name(named("Alice"))
                            .email(format!("alice.{tag}@example.com")),
                    ),
                    Command::create(ResPartnerCreate::new().name(named("Bob"))),
                    Command::create(
                        ResPartnerCreate::new()
                            .name(named("Carol"))
                            .email(format!("carol.{tag}@example.com")),
                    ),
                ]),
        )
        .await
        .unwrap();
    track(&|k| k.partners.push(company));
    let dave = partners
        .create(ResPartnerCreate::new().name(named("Dave")).email(False))
        .await
        .unwrap();
    track(&|k| k.partners.push(dave));
    let rows = partners
        .read([company], Fields::none().with(&ResPartner::F.child_ids))
        .await
        .unwrap();
    let mut children = rows[0].child_ids.clone().expect("child_ids was read").0;
    children.sort();
    track(&|k| k.partners.extend(children.iter().copied()));
    let contacts: [_; 3] = children
        .try_into()
        .expect("three contacts created by commands");

    let products = ProductProduct::on(c);
    let product = |name: String, price: f64| {
        products.create(
            ProductProductCreate::new()
                .name(name)
                .list_price(price)
                .sale_ok(true)
                .r#type(Type::Service),
        )
    };
    let p1 = product(named("Widget"), 10.0).await.unwrap();
    track(&|k| k.products.push(p1));
    let p2 = product(named("Gadget"), 5.5).await.unwrap();
    track(&|k| k.products.push(p2));
    let tags = CrmTag::on(c)
        .create_many(["A", "B", "C"].map(|t| CrmTagCreate::new().name(named(t)).color(3)))
        .await
        .unwrap();
    track(&|k| k.tags.extend(tags.iter().copied()));
    let tags: [_; 3] = tags.try_into().expect("three CRM tags");
    Shared {
        tag,
        be,
        vip,
        company,
        contacts,
        dave,
        p1,
        p2,
        tags,
    }
}

/// The typed API on records: partners made once (through `child_ids` commands), then on every
/// transport: typed domains (operators, `&`, `|`, `!`, paths through
/// many2one, `any`), field selection, `read_group`, `name_search`, paging; a sale order created
/// with three lines and two tags through x2many commands, then its tags replaced (command 6), a
/// line removed (command 2) and another updated (command 1), and deleted. Each step compared with
/// Python's answers, and with what it must find whatever the server.
pub fn typed_records_and_commands(server: &Server) {
    let first = server.transports()[0];
    let admin = server.client(first, server.credentials(first)[0]);
    let created = Mutex::new(Created::default());
    with_cleanup(
        || {
            let shared = live::block_on(setup(&admin, &created));
            let params = json!({"phase": "partners", "tag": shared.tag,
                "company": shared.company.get(), "vip": shared.vip.get(), "be": shared.be.get()});
            let reference = python(server, &params);
            on_each_transport(server, |c, how| {
                let (shared, reference, created) = (&shared, &reference, &created);
                async move {
                    partner_checks(&c, &how, shared, reference).await;
                    order_checks(server, &c, &how, shared, created).await;
                }
            });
        },
        || {
            let created = created.lock().unwrap_or_else(|e| e.into_inner());
            live::block_on(created.delete(&admin));
        },
    );
}

/// Typed domains, field selection, `name_search`, paging and `read_group` on the shared partners.
async fn partner_checks(c: &Client, how: &str, shared: &Shared, reference: &Value) {
    let p = ResPartner::F;
    let partners = ResPartner::on(c);
    let like = || p.name.ilike(shared.tag.as_str());
    let (company, dave) = (shared.company, shared.dave);
    let [alice, bob, carol] = shared.contacts;

    let mine = json!({
        "partners_company_or_email": found(&partners, like() & (p.is_company.eq(true) | p.email.ne(False))).await,
        "partners_no_parent": found(&partners, like() & p.parent_id.eq(False)).await,
        "partners_parent_is_company": found(&partners, like() & p.parent_id.then(ResPartner::F.is_company).eq(true)).await,
        "partners_vip": found(&partners, p.category_id.is_in([shared.vip])).await,
        "partners_child_of_company": found(&partners, p.id.child_of([company])).await,
        "partners_in_be": found(&partners, like() & p.country_id.is_in([shared.be])).await,
        "partners_not_bob": found(&partners, like() & p.name.not_ilike("bob")).await,
        "partners_email_set_and_not_company": found(&partners, like() & p.email.ne(False) & !p.is_company.eq(true)).await,
    });
    assert_eq!(mine, reference["domains"], "{how}: typed domains");
    // What they must find whatever the server, not only what Python finds.
    let expect = |key: &str, want: Value| assert_eq!(mine[key], want, "{how}: {key}");
    expect("partners_company_or_email", ids(&[company, alice, carol]));
    expect("partners_no_parent", ids(&[company, dave]));
    expect("partners_parent_is_company", ids(&[alice, bob, carol]));
    expect("partners_vip", ids(&[company]));
    expect(
        "partners_child_of_company",
        ids(&[company, alice, bob, carol]),
    );
    expect("partners_not_bob", ids(&[company, alice, carol, dave]));
    expect("partners_email_set_and_not_company", ids(&[alice, carol]));
    assert!(
        mine["partners_in_be"]
            .as_array()
            .unwrap()
            .contains(&json!(company.get()))
    );

    // Field selection: only what was asked for is read.
    let rows = partners
        .search(like())
        .fields(
            Fields::none()
                .with(&p.name)
                .with(&p.parent_id)
                .with(&p.email)
                .with(&p.is_company),
        )
        .order("id")
        .rows()
        .await
        .unwrap();
    let as_python: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({"id": r.id.get(), "name": text(&r.name), "parent_id": m2o(&r.parent_id),
                "email": text(&r.email), "is_company": r.is_company})
        })
        .collect();
    assert_eq!(Value::from(as_python), reference["partners"], "{how}: rows");
    assert!(
        rows.iter()
            .all(|r| r.city.is_not_fetched() && r.country_id.is_not_fetched()),
        "{how}: fields not asked for are not read"
    );
    let row = |id| rows.iter().find(|r| r.id == id).unwrap();
    assert_eq!(
        row(bob).email,
        OrFalse::Empty,
        "{how}: Odoo's false, not \"\""
    );
    assert_eq!(
        row(alice).parent_id.value().map(|m| m.id),
        Some(company),
        "{how}"
    );

    // name_search, and name_search among the records of a domain.
    let pairs = |hits: Vec<(Id<markers::ResPartner>, String)>| -> Vec<Value> {
        hits.into_iter()
            .map(|(id, name)| json!([id.get(), name]))
            .collect()
    };
    let hits = pairs(partners.name_search(&shared.tag, 10).await.unwrap());
    assert_eq!(Value::from(hits.clone()), reference["name_search"], "{how}");
    assert_eq!(hits.len(), 5, "{how}: the five partners");
    let hits = pairs(
        partners
            .name_search_in(p.is_company.eq(true), &shared.tag, 10)
            .await
            .unwrap(),
    );
    assert_eq!(
        Value::from(hits.clone()),
        reference["name_search_companies"],
        "{how}"
    );
    assert_eq!(hits, [json!([company.get(), shared.named("Company")])]);

    // Paging: offset and limit, pages (from the search's offset, up to its limit), count.
    let search = partners.search(like()).order("id");
    let page = search.clone().offset(1).limit(3).ids().await.unwrap();
    assert_eq!(ids(&page), reference["page"], "{how}: offset 1 limit 3");
    let pages: Vec<Vec<_>> = partners
        .search(like())
        .pages(2)
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 2, 1], "{how}");
    let paged: Vec<Id<_>> = pages.iter().flatten().map(|r| r.id).collect();
    assert_eq!(
        ids(&paged),
        reference["all_ids"],
        "{how}: pages in id order"
    );
    let window: Vec<Vec<_>> = search
        .clone()
        .offset(1)
        .limit(3)
        .pages(2)
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = window.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 1], "{how}");
    let window: Vec<Id<_>> = window.iter().flatten().map(|r| r.id).collect();
    assert_eq!(
        ids(&window),
        reference["page"],
        "{how}: pages keep offset and limit"
    );
    let count = search.clone().offset(1).limit(3).count().await.unwrap();
    assert_eq!(json!(count), reference["count"], "{how}");
    assert_eq!(count, 5, "{how}: count ignores paging");

    // read_group by a boolean, with counts.
    let groups = partners
        .read_group(like())
        .by(&p.is_company)
        .groups()
        .await
        .unwrap();
    let mut groups: Vec<Value> = groups
        .iter()
        .map(|g| json!({"is_company": g.key(&p.is_company).unwrap(), "count": g.count()}))
        .collect();
    groups.sort_by_key(|g| g["is_company"].as_bool());
    assert_eq!(
        Value::from(groups.clone()),
        reference["partner_groups"],
        "{how}"
    );
    assert_eq!(
        groups,
        [
            json!({"is_company": false, "count": 4}),
            json!({"is_company": true, "count": 1})
        ],
        "{how}"
    );
}

/// A sale order with lines and tags through x2many commands, its domains and `read_group`, then
/// tags replaced, a line removed and another updated; deleted at the end.
async fn order_checks(
    server: &Server,
    c: &Client,
    how: &str,
    shared: &Shared,
    created: &Mutex<Created>,
) {
    let (p1, p2) = (shared.p1, shared.p2);
    let [a, b, t_c] = shared.tags;
    let reference_tag = unique("");
    let orders = SaleOrder::on(c);
    let order = orders
        .create(
            SaleOrderCreate::new()
                .partner_id(shared.company)
                .client_order_ref(reference_tag.as_str())
                .tag_ids([Command::set([a, b])])
                .order_line([
                    Command::create(
                        SaleOrderLineCreate::new()
                            .product_id(p1)
                            .product_uom_qty(2.0)
                            .price_unit(10.0),
                    ),
                    Command::create(
                        SaleOrderLineCreate::new()
                            .product_id(p2)
                            .product_uom_qty(1.0)
                            .price_unit(5.5),
                    ),
                    Command::create(
                        SaleOrderLineCreate::new()
                            .product_id(p1)
                            .product_uom_qty(3.0)
                            .price_unit(1.0),
                    ),
                ]),
        )
        .await
        .unwrap();
    created.lock().unwrap().orders.push(order);

    let params =
        json!({"phase": "created", "ref": reference_tag, "order": order.get(), "p1": p1.get()});
    let reference = python(server, &params);
    let (lines, order_json) = order_state(c, order).await;
    assert_eq!(order_json, reference["order"], "{how}: the order read back");
    assert_eq!(order_json["state"], "draft");
    assert_eq!(order_json["partner_id"][0], shared.company.get(), "{how}");
    assert_eq!(order_json["tag_ids"], sorted_ids(&[a, b]), "{how}");
    assert_eq!(
        order_json["amount_untaxed"],
        json!(28.5),
        "{how}: 2 × 10 + 5.5 + 3 × 1"
    );
    assert_eq!(lines.len(), 3, "{how}");
    assert_eq!(line_rows(c, order).await, reference["lines"], "{how}");
    let groups = line_groups(c, order).await;
    assert_eq!(groups, reference["line_groups"], "{how}: read_group");
    assert_eq!(groups[0]["count"], 2, "{how}: two lines of the widget");
    assert_eq!(groups[0]["product_uom_qty"], json!(5.0), "{how}");
    assert_eq!(groups[0]["price_subtotal"], json!(23.0), "{how}");

    let s = SaleOrder::F;
    let l = SaleOrderLine::F;
    let by_ref = || s.client_order_ref.eq(reference_tag.as_str());
    let country_code = || {
        s.partner_id
            .then(ResPartner::F.country_id)
            .then(ResCountry::F.code)
    };
    let lines_api = SaleOrderLine::on(c);
    let mine = json!({
        "so_ref_and_draft": found(&orders, by_ref() & s.state.eq(State::Draft)).await,
        "so_country_be": found(&orders, country_code().eq("BE") & by_ref()).await,
        "so_country_fr": found(&orders, country_code().eq("FR") & by_ref()).await,
        "so_any_line_over_9": found(&orders, s.order_line.any(l.price_unit.gt(9.0)) & by_ref()).await,
        "lines_price_or_qty": found(&lines_api, l.order_id.eq(order) & (l.price_unit.gt(6.0) | l.product_uom_qty.ge(3.0))).await,
        "lines_not_p1": found(&lines_api, l.order_id.eq(order) & !l.product_id.eq(p1)).await,
        "lines_price_lt_6": found(&lines_api, l.order_id.eq(order) & l.price_unit.lt(6.0)).await,
    });
    assert_eq!(mine, reference["domains"], "{how}: typed domains");
    let expect = |key: &str, want: Value| assert_eq!(mine[key], want, "{how}: {key}");
    expect("so_ref_and_draft", json!([order.get()]));
    expect("so_country_be", json!([order.get()]));
    expect("so_country_fr", json!([]));
    expect("so_any_line_over_9", json!([order.get()]));
    expect("lines_price_or_qty", ids(&[lines[0], lines[2]]));
    expect("lines_not_p1", ids(&[lines[1]]));
    expect("lines_price_lt_6", ids(&[lines[1], lines[2]]));

    // Tags replaced (6), the third line removed (2), the first updated (1).
    let ok = orders
        .write(
            [order],
            SaleOrderWrite::new()
                .tag_ids([Command::set([t_c])])
                .order_line([
                    Command::delete(lines[2]),
                    Command::update(lines[0], SaleOrderLineWrite::new().product_uom_qty(4.0)),
                ]),
        )
        .await
        .unwrap();
    assert!(ok);
    let params = json!({"phase": "written", "order": order.get(), "removed_line": lines[2].get()});
    let reference = python(server, &params);
    let (after, order_json) = order_state(c, order).await;
    assert_eq!(
        order_json, reference["order"],
        "{how}: the order after the write"
    );
    assert_eq!(
        order_json["tag_ids"],
        sorted_ids(&[t_c]),
        "{how}: tags replaced"
    );
    assert_eq!(after, [lines[0], lines[1]], "{how}: the third line removed");
    assert_eq!(
        order_json["amount_untaxed"],
        json!(45.5),
        "{how}: 4 × 10 + 5.5"
    );
    assert_eq!(line_rows(c, order).await, reference["lines"], "{how}");
    assert_eq!(
        line_groups(c, order).await,
        reference["line_groups"],
        "{how}"
    );
    let left = lines_api.search(l.id.eq(lines[2])).count().await.unwrap();
    assert_eq!(json!(left), reference["removed_line_left"], "{how}");
    assert_eq!(left, 0, "{how}: command 2 deleted the line");

    // Deleted: draft orders may be.
    assert!(orders.unlink([order]).await.unwrap());
    created.lock().unwrap().orders.retain(|o| *o != order);
    let left = orders.search(s.id.eq(order)).count().await.unwrap();
    assert_eq!(left, 0, "{how}: the order is gone");
}

/// The ids `domain` finds, in id order.
async fn found<M: odoo_runtime::model::Model>(
    records: &odoo_runtime::query::Records<'_, Client, M>,
    domain: Domain<M>,
) -> Value {
    ids(&records.search(domain).order("id").ids().await.unwrap())
}

/// The order as Python reads it, and its lines' ids.
async fn order_state(
    c: &Client,
    order: Id<markers::SaleOrder>,
) -> (Vec<Id<markers::SaleOrderLine>>, Value) {
    let s = SaleOrder::F;
    let fields = Fields::none()
        .with(&s.name)
        .with(&s.partner_id)
        .with(&s.state)
        .with(&s.tag_ids)
        .with(&s.order_line)
        .with(&s.amount_untaxed)
        .with(&s.amount_total)
        .with(&s.client_order_ref);
    let rows = SaleOrder::on(c).read([order], fields).await.unwrap();
    let row = &rows[0];
    let lines = row.order_line.clone().expect("order_line was read").0;
    let tags = row.tag_ids.clone().expect("tag_ids was read").0;
    let state = match &row.state {
        OrFalse::Value(state) => json!(odoo_runtime::types::Selection::key(state)),
        _ => json!(false),
    };
    let json = json!({
        "id": row.id.get(), "name": text(&row.name), "partner_id": m2o(&row.partner_id),
        "state": state, "tag_ids": sorted_ids(&tags), "order_line": ids(&lines),
        "amount_untaxed": row.amount_untaxed, "amount_total": row.amount_total,
        "client_order_ref": text(&row.client_order_ref),
    });
    (lines, json)
}

/// The order's lines as Python's `search_read` gives them.
async fn line_rows(c: &Client, order: Id<markers::SaleOrder>) -> Value {
    let l = SaleOrderLine::F;
    let rows = SaleOrderLine::on(c)
        .search(l.order_id.eq(order))
        .fields(
            Fields::none()
                .with(&l.product_id)
                .with(&l.product_uom_qty)
                .with(&l.price_unit)
                .with(&l.price_subtotal),
        )
        .order("id")
        .rows()
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            json!({"id": r.id.get(), "product_id": m2o(&r.product_id),
                "product_uom_qty": r.product_uom_qty, "price_unit": r.price_unit,
                "price_subtotal": r.price_subtotal})
        })
        .collect()
}

/// `read_group` of the order's lines by product, with sums, as the reference normalizes it.
async fn line_groups(c: &Client, order: Id<markers::SaleOrder>) -> Value {
    let l = SaleOrderLine::F;
    let groups = SaleOrderLine::on(c)
        .read_group(l.order_id.eq(order))
        .by(&l.product_id)
        .sum(&l.product_uom_qty)
        .sum(&l.price_subtotal)
        .groups()
        .await
        .unwrap();
    let mut out: Vec<(i64, Value)> = groups
        .iter()
        .map(|g| {
            let product = g.key(&l.product_id).unwrap();
            let id = product.value().map_or(0, |m| m.id.get());
            let json = json!({"product_id": m2o(&product), "count": g.count(),
                "product_uom_qty": g.aggregate(&l.product_uom_qty),
                "price_subtotal": g.aggregate(&l.price_subtotal)});
            (id, json)
        })
        .collect();
    out.sort_by_key(|(id, _)| *id);
    out.into_iter().map(|(_, v)| v).collect()
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
fn days(date: &str) -> i64 {
    let part = |r: std::ops::Range<usize>| date[r].parse::<i64>().unwrap();
    let (y, m, d) = (part(0..4), part(5..7), part(8..10));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Today's date (days since the epoch) at a fixed UTC offset in hours.
fn today_at(offset_hours: i64) -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    (secs + offset_hours * 3600).div_euclid(86_400)
}

/// `lang`: a CRM tag's name written in another installed language is read back in it, through
/// `with_context` on the records and through the client's default context; `tz`: the default
/// due date of an activity (`fields.Date.context_today`) is today where the context's time zone
/// is. Compared with Python's answers.
///
/// When the database has no other active language than `en_US`, `fr_FR` is activated for the
/// check and deactivated after it (`res.lang.active`).
pub fn typed_context_lang_and_tz(server: &Server) {
    let admin = server.client(
        server.transports()[0],
        server.credentials(server.transports()[0])[0],
    );
    let (lang, activated) = live::block_on(other_language(&admin));
    with_cleanup(
        || context_checks(server, &lang, activated),
        || {
            if let Some(id) = activated {
                live::block_on(ResLang::on(&admin).write([id], ResLangWrite::new().active(false)))
                    .unwrap();
            }
        },
    );
}

/// An active language other than `en_US`, and the record activated to have one, if any.
async fn other_language(c: &Client) -> (String, Option<Id<markers::ResLang>>) {
    let f = ResLang::F;
    let langs = ResLang::on(c);
    let active = langs
        .search(f.code.ne("en_US"))
        .fields(&f.code)
        .order("id")
        .limit(1)
        .rows()
        .await
        .unwrap();
    if let Some(row) = active.first() {
        return (row.code.value().cloned().unwrap(), None);
    }
    let inactive = langs
        .clone()
        .with_context("active_test", false)
        .search(f.code.eq("fr_FR"))
        .ids()
        .await
        .unwrap();
    let id = *inactive.first().expect("res.lang fr_FR (base data)");
    langs
        .write([id], ResLangWrite::new().active(true))
        .await
        .unwrap();
    ("fr_FR".to_owned(), Some(id))
}

/// Waits until `lang` is among the languages the server's cache holds as installed: a request
/// that read the languages before the activation was committed can put the old list back in
/// Odoo's cache after the write cleared it (seen on the testbed's 19.0 under concurrent
/// requests: "Invalid language code: fr_FR" seconds after the activation). Writing `active`
/// again clears the cache again.
async fn ensure_installed(c: &Client, id: Id<markers::ResLang>, lang: &str) {
    for _ in 0..20 {
        let installed: Vec<(String, String)> = ResLang::on(c)
            .method("get_installed")
            .returning()
            .await
            .unwrap();
        if installed.iter().any(|(code, _)| code == lang) {
            return;
        }
        ResLang::on(c)
            .write([id], ResLangWrite::new().active(true))
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("{lang} was activated but the server does not list it as installed");
}

fn context_checks(server: &Server, lang: &str, activated: Option<Id<markers::ResLang>>) {
    on_each_transport(server, |c, how| async move {
        if let Some(id) = activated {
            ensure_installed(&c, id, lang).await;
        }
        let tag = unique("");
        let english = format!("LT {tag} colour");
        let translated = format!("LT {tag} couleur");
        let tags = CrmTag::on(&c);
        let id = tags
            .create(CrmTagCreate::new().name(english.as_str()))
            .await
            .unwrap();
        let checks = async {
            // Written in the other language through `with_context`.
            tags.clone()
                .with_context("lang", lang)
                .write([id], CrmTagWrite::new().name(translated.as_str()))
                .await
                .unwrap();
            let name = |rows: Vec<odoo_sale_bindings::crm_tag::CrmTag>| {
                rows[0].name.value().cloned().unwrap()
            };
            let fields = || Fields::none().with(&CrmTag::F.name);
            let in_lang = name(
                tags.clone()
                    .with_context("lang", lang)
                    .read([id], fields())
                    .await
                    .unwrap(),
            );
            let default = name(tags.read([id], fields()).await.unwrap());
            // The client's default context carries it too.
            let mut context = serde_json::Map::new();
            context.insert("lang".into(), lang.into());
            let french_client = c.with_context(context);
            let through_client = name(
                CrmTag::on(&french_client)
                    .read([id], fields())
                    .await
                    .unwrap(),
            );
            let found = CrmTag::on(&french_client)
                .search(CrmTag::F.name.eq(translated.as_str()))
                .ids()
                .await
                .unwrap();
            assert_eq!(in_lang, translated, "{how}: read in {lang}");
            assert_eq!(default, english, "{how}: read without a lang");
            assert_eq!(through_client, translated, "{how}: the client's context");
            assert_eq!(found, [id], "{how}: search in {lang}");

            // tz: `date_deadline` defaults to today in the context's time zone.
            let before = (today_at(14), today_at(-11));
            let deadline = |tz: &'static str| {
                let c = c.clone();
                async move {
                    #[derive(serde::Deserialize)]
                    struct Defaults {
                        date_deadline: OrFalse<Date>,
                    }
                    let d: Defaults = MailActivity::on(&c)
                        .with_context("tz", tz)
                        .method("default_get")
                        .arg(["date_deadline"])
                        .returning()
                        .await
                        .unwrap();
                    days(d.date_deadline.value().expect("a default date").as_str())
                }
            };
            let kiritimati = deadline("Pacific/Kiritimati").await;
            let pago_pago = deadline("Pacific/Pago_Pago").await;
            let after = (today_at(14), today_at(-11));
            assert!(
                [before.0, after.0].contains(&kiritimati),
                "{how}: UTC+14 today"
            );
            assert!(
                [before.1, after.1].contains(&pago_pago),
                "{how}: UTC-11 today"
            );
            // 25 hours apart: never the same date.
            assert!((1..=2).contains(&(kiritimati - pago_pago)), "{how}");

            let reference = python(
                server,
                &json!({"phase": "context", "lang": lang, "lang_tag": id.get(), "lang_name": translated}),
            );
            assert_eq!(reference["name_in_lang"], json!(in_lang), "{how}");
            assert_eq!(reference["name_default"], json!(default), "{how}");
            assert_eq!(reference["search_in_lang"], ids(&found), "{how}");
            let python_day = |key: &str| days(reference[key].as_str().unwrap());
            assert!([before.0, after.0].contains(&python_day("kiritimati")));
            assert!([before.1, after.1].contains(&python_day("pago_pago")));
        };
        let result = futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(checks)).await;
        tags.unlink([id]).await.unwrap();
        if let Err(panic) = result {
            std::panic::resume_unwind(panic);
        }
    });
}
