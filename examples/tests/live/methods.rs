//! Typed method calls generated from Odoo 19's `/doc-bearer` (`examples/bindings19`) against a
//! live Odoo 19 or later, on every transport (XML-RPC, JSON-RPC, JSON-2; the password and the API
//! key taking turns as in the typed checks: [`crate::typed::taking_turns`]): confirm a sale order,
//! post an invoice, validate a picking, post a chatter message, and an `@api.model` method; each
//! reads the state change back and cleans up what it made.
//!
//! Registered with [`live::test_from`]`(19, ..)` and an API key ([`live::LiveTest::with_api_key`]):
//! on an older server, or without `ODOO_API_KEY`, they are reported as ignored with the reason.
//! Needs `sale_management`, `account` and `stock` (the shared test bed has them).
//!
//! What cannot be deleted stays, unreachable by later runs: a done picking (of a product this run
//! creates and archives) and a cancelled invoice when Odoo refuses to delete a posted-once one.

use odoo_example_bindings19::account_move::{
    AccountMove, AccountMoveCreate, MoveType, State as MoveState,
};
use odoo_example_bindings19::account_move_line::AccountMoveLineCreate;
use odoo_example_bindings19::res_partner::{ResPartner, ResPartnerCreate};
use odoo_example_bindings19::sale_order::{SaleOrder, SaleOrderCreate, State as OrderState};
use odoo_example_bindings19::sale_order_line::SaleOrderLineCreate;
use odoo_example_bindings19::stock_move::StockMoveCreate;
use odoo_example_bindings19::stock_picking::{
    State as PickingState, StockPicking, StockPickingCreate,
};
use odoo_replay::live::{self, Server};
use odoo_runtime::client::{Client, SearchOptions, Transport};
use odoo_runtime::command::Command;
use odoo_runtime::model::Fields;
use odoo_runtime::types::{AnyModel, Id};
use odoo_runtime::{Error, Value};
use serde_json::json;

/// Runs `scenario` once per transport of `server` (JSON-2 included: these tests need an API
/// key), with a client replying in English whatever the user's language.
fn on_each_transport<F>(server: &Server, scenario: F)
where
    F: AsyncFn(&Client, Transport),
{
    let transports = server.transports();
    assert!(
        transports.contains(&Transport::Json2),
        "Odoo {} with an API key speaks JSON-2",
        server.server_version
    );
    for transport in transports {
        let credential = crate::typed::taking_turns(server, transport);
        let client = server
            .builder(transport, credential)
            .context("lang", "en_US")
            .build()
            .unwrap_or_else(|e| panic!("live client for {transport}: {e}"));
        live::block_on(scenario(&client, transport));
    }
}

/// A unique suffix for the names this run creates.
fn tag(transport: Transport) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{} {nanos}", transport.name())
}

/// A new storable product (a `product.product` id): the product and its template are archived by
/// [`archive_product`].
async fn new_product(c: &Client, name: &str) -> Id<AnyModel> {
    let id = c
        .create(
            "product.product",
            &json!({"name": name, "type": "consu", "is_storable": true, "list_price": 12.5}),
        )
        .await
        .expect("product created");
    Id::new(id)
}

async fn archive_product(c: &Client, id: Id<AnyModel>) {
    let _: Value = c
        .execute_kw(
            "product.product",
            "action_archive",
            &json!([[id.get()]]),
            &json!({}),
        )
        .await
        .unwrap_or(Value::Nil);
}

async fn new_partner(c: &Client, name: &str) -> Id<odoo_example_bindings19::markers::ResPartner> {
    ResPartner::on(c)
        .create(ResPartnerCreate::new().name(name))
        .await
        .expect("partner created")
}

async fn confirm_a_sale_order(c: &Client, transport: Transport) {
    let tag = tag(transport);
    let partner = new_partner(c, &format!("methods live {tag}")).await;
    let product = new_product(c, &format!("methods live {tag}")).await;
    let orders = SaleOrder::on(c);
    let order = orders
        .create(
            SaleOrderCreate::new()
                .partner_id(partner.cast())
                .order_line([Command::create(
                    SaleOrderLineCreate::new()
                        .product_id(product.cast())
                        .product_uom_qty(2.0),
                )]),
        )
        .await
        .expect("sale order created");
    let f = SaleOrder::F;
    let read = || async {
        let rows = orders
            .read([order], Fields::none().with(&f.state))
            .await
            .expect("sale order read");
        rows[0].state.clone().into_value()
    };
    assert_eq!(read().await, Some(OrderState::Draft), "{transport}");

    // The typed call: `action_confirm() -> bool` on the order's id.
    let confirmed: bool = orders
        .action_confirm([order])
        .await
        .expect("action_confirm");
    assert!(confirmed, "{transport}: action_confirm answered false");
    assert_eq!(read().await, Some(OrderState::Sale), "{transport}");

    // Clean up: cancel (the typed `_action_cancel` is private; `action_cancel` is public), then
    // delete the order; the delivery it made is cancelled with it.
    let _: Value = orders
        .action_cancel([order])
        .with_context("disable_cancel_warning", true)
        .await
        .expect("action_cancel");
    assert_eq!(read().await, Some(OrderState::Cancel), "{transport}");
    orders.unlink([order]).await.expect("order deleted");
    archive_product(c, product).await;
    ResPartner::on(c)
        .action_archive([partner])
        .await
        .expect("partner archived");
}

async fn post_an_invoice(c: &Client, transport: Transport) {
    let tag = tag(transport);
    let partner = new_partner(c, &format!("methods live {tag}")).await;
    let moves = AccountMove::on(c);
    let invoice = moves
        .create(
            AccountMoveCreate::new()
                .move_type(MoveType::OutInvoice)
                .partner_id(partner.cast())
                .invoice_line_ids([Command::create(
                    AccountMoveLineCreate::new()
                        .name(format!("methods live {tag}"))
                        .quantity(1.0)
                        .price_unit(99.0),
                )]),
        )
        .await
        .expect("invoice created");
    let f = AccountMove::F;
    let read = || async {
        let rows = moves
            .read([invoice], Fields::none().with(&f.state).with(&f.name))
            .await
            .expect("invoice read");
        (
            rows[0].state.clone().into_value(),
            rows[0].name.clone().into_value(),
        )
    };
    assert_eq!(read().await.0, Some(MoveState::Draft), "{transport}");

    let _: Value = moves.action_post([invoice]).await.expect("action_post");
    let (state, name) = read().await;
    assert_eq!(state, Some(MoveState::Posted), "{transport}");
    assert!(
        name.is_some_and(|n| n.starts_with("INV/")),
        "{transport}: a posted invoice gets its number"
    );

    // Clean up: back to draft, then delete (Odoo allows it for the last number of a sequence);
    // cancelled if it refuses.
    let _: Value = moves.button_draft([invoice]).await.expect("button_draft");
    if let Err(e) = moves.unlink([invoice]).await {
        eprintln!("{transport}: invoice not deleted ({e}); cancelling it");
        let _: Value = moves.button_cancel([invoice]).await.expect("button_cancel");
        assert_eq!(read().await.0, Some(MoveState::Cancel), "{transport}");
    }
    ResPartner::on(c)
        .action_archive([partner])
        .await
        .expect("partner archived");
}

async fn validate_a_picking(c: &Client, transport: Transport) {
    let tag = tag(transport);
    let product = new_product(c, &format!("methods live {tag}")).await;
    // The first receipt type, and its default locations.
    #[derive(serde::Deserialize)]
    struct PickingType {
        id: i64,
        default_location_src_id: (i64, String),
        default_location_dest_id: (i64, String),
    }
    let types: Vec<PickingType> = c
        .search_read(
            "stock.picking.type",
            &json!([["code", "=", "incoming"]]),
            &["default_location_src_id", "default_location_dest_id"],
            SearchOptions::new().limit(1).order("id"),
        )
        .await
        .expect("receipt type");
    let receipt = &types[0];
    let (from, to) = (
        Id::<AnyModel>::new(receipt.default_location_src_id.0),
        Id::<AnyModel>::new(receipt.default_location_dest_id.0),
    );
    let pickings = StockPicking::on(c);
    let picking = pickings
        .create(
            StockPickingCreate::new()
                .picking_type_id(Id::<AnyModel>::new(receipt.id))
                .location_id(from)
                .location_dest_id(to)
                .move_ids([Command::create(
                    StockMoveCreate::new()
                        .product_id(product)
                        .product_uom_qty(3.0)
                        .location_id(from)
                        .location_dest_id(to),
                )]),
        )
        .await
        .expect("picking created");
    let f = StockPicking::F;
    let read = || async {
        let rows = pickings
            .read([picking], Fields::none().with(&f.state))
            .await
            .expect("picking read");
        rows[0].state.clone().into_value()
    };
    let _: Value = pickings
        .action_confirm([picking])
        .await
        .expect("action_confirm");
    assert_eq!(read().await, Some(PickingState::Assigned), "{transport}");

    // Every move done in full, then the typed `button_validate`.
    let moves: Vec<i64> = c
        .search(
            "stock.move",
            &json!([["picking_id", "=", picking.get()]]),
            SearchOptions::new(),
        )
        .await
        .expect("moves");
    c.write(
        "stock.move",
        &moves,
        &json!({"quantity": 3.0, "picked": true}),
    )
    .await
    .expect("quantities set");
    let answer: Value = pickings
        .button_validate([picking])
        .await
        .expect("button_validate");
    assert_eq!(answer, Value::Bool(true), "{transport}: no wizard expected");
    assert_eq!(read().await, Some(PickingState::Done), "{transport}");
    archive_product(c, product).await;
}

async fn post_a_chatter_message(c: &Client, transport: Transport) {
    let tag = tag(transport);
    let partner = new_partner(c, &format!("methods live {tag}")).await;
    let body = format!("Typed message_post over {tag}");
    // `message_post`'s parameters are all keyword-only: options of the call.
    let posted: Value = ResPartner::on(c)
        .message_post([partner])
        .body(body.as_str())
        .message_type("comment")
        .subtype_xmlid("mail.mt_note")
        .await
        .expect("message_post");
    let message = match &posted {
        Value::Int(id) => *id,
        Value::Array(ids) if ids.len() == 1 => match ids[0] {
            Value::Int(id) => id,
            ref other => panic!("{transport}: message id {other:?}"),
        },
        other => panic!("{transport}: message_post answered {other:?}"),
    };
    #[derive(serde::Deserialize)]
    struct Message {
        body: String,
        model: String,
        res_id: i64,
        message_type: String,
    }
    let rows: Vec<Message> = c
        .read(
            "mail.message",
            &[message],
            &["body", "model", "res_id", "message_type"],
        )
        .await
        .expect("message read");
    assert_eq!(rows.len(), 1, "{transport}");
    assert!(
        rows[0].body.contains(&body),
        "{transport}: {}",
        rows[0].body
    );
    assert_eq!(
        (rows[0].model.as_str(), rows[0].res_id),
        ("res.partner", partner.get())
    );
    assert_eq!(rows[0].message_type, "comment");
    // Clean up: the message, then the partner.
    assert!(
        c.unlink("mail.message", &[message])
            .await
            .expect("message deleted")
    );
    ResPartner::on(c)
        .unlink([partner])
        .await
        .expect("partner deleted");
}

async fn call_a_model_method(c: &Client, transport: Transport) {
    let name = format!("methods live {}", tag(transport));
    // `@api.model name_create(name)`: no ids.
    let created: Value = ResPartner::on(c)
        .name_create(name.as_str())
        .await
        .expect("name_create");
    let Value::Array(pair) = &created else {
        panic!("{transport}: name_create answered {created:?}");
    };
    let Some(Value::Int(id)) = pair.first() else {
        panic!("{transport}: name_create answered {created:?}");
    };
    let id = Id::new(*id);
    let rows = ResPartner::on(c)
        .read([id], Fields::none().with(&ResPartner::F.name))
        .await
        .expect("partner read");
    assert_eq!(rows[0].name.value(), Some(&name), "{transport}");
    // A copy through the shared `copy(default=None) -> list[int]`, with an option.
    let copies = ResPartner::on(c)
        .copy([id])
        .default(ResPartnerCreate::new().name(format!("{name} (copy)")))
        .await
        .expect("copy");
    assert_eq!(copies.len(), 1, "{transport}");
    let copy = Id::new(copies[0]);
    let rows = ResPartner::on(c)
        .read([copy], Fields::none().with(&ResPartner::F.name))
        .await
        .expect("copy read");
    assert_eq!(
        rows[0].name.value().map(String::as_str),
        Some(format!("{name} (copy)").as_str())
    );
    ResPartner::on(c)
        .unlink([id, copy])
        .await
        .expect("partners deleted");
    // JSON-2 refuses ids for an `@api.model` method (a typed call cannot send any: see the
    // compile-fail tests); the untyped `method_on` can, and gets the server's 422.
    if transport == Transport::Json2 {
        let err = ResPartner::on(c)
            .records()
            .method_on([id], "get_views")
            .kwarg("views", json!([[false, "form"]]))
            .value()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Server(e) if e.http_status == Some(422)
                && e.message.contains("cannot call res.partner.get_views with ids")),
            "{err}"
        );
    }
}

/// `sale.order.action_confirm() -> bool`, then `action_cancel` with a context key.
pub fn sale_order_confirmed(server: &Server) {
    on_each_transport(server, confirm_a_sale_order);
}

/// `account.move.action_post`, `button_draft`, `button_cancel`.
pub fn invoice_posted(server: &Server) {
    on_each_transport(server, post_an_invoice);
}

/// `stock.picking.action_confirm`, `button_validate`.
pub fn picking_validated(server: &Server) {
    on_each_transport(server, validate_a_picking);
}

/// `res.partner.message_post` with options (keyword-only parameters).
pub fn chatter_message_posted(server: &Server) {
    on_each_transport(server, post_a_chatter_message);
}

/// `@api.model name_create`, the shared `copy` with an option, and JSON-2's refusal of ids for an
/// `@api.model` method.
pub fn model_method_called(server: &Server) {
    on_each_transport(server, call_a_model_method);
}
