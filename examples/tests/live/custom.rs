//! The custom-model example (`custom_model::run_as`) against a real server, with a model of its
//! own per run (`x_lt...`), every step checked by reading back, everything removed after: the
//! records, the access rule, the field, the model.

use odoo_example_bindings::ir_model::IrModel;
use odoo_example_bindings::ir_model_access::{IrModelAccess, IrModelAccessWrite};
use odoo_example_bindings::ir_model_data::IrModelData;
use odoo_example_bindings::ir_model_fields::IrModelFields;
use odoo_example_bindings::x_custom::{XCustom, XCustomCreate};
use odoo_examples::custom_model::{self, As};
use odoo_replay::live::{self, Server};
use odoo_runtime::Error;
use odoo_runtime::client::{Client, Transport};
use odoo_runtime::model::Fields;

/// A model name of this run: `x_` and lowercase letters and digits, short enough for a table name.
fn model_name(transport: Transport) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        % 100_000_000;
    format!("x_lt{}{}{secs}", std::process::id(), transport.name())
}

/// Every transport once, the secrets taking turns (the password over XML-RPC, the API key where
/// there is one otherwise): each run creates and removes a model, which reloads Odoo's registry.
pub fn custom_model_example(server: &Server) {
    for transport in server.transports() {
        let credential = crate::typed::taking_turns(server, transport);
        let client = server.client(transport, credential);
        let how = format!("{transport} with the {credential}");
        let name = model_name(transport);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            live::block_on(check(&client, &name, &how));
        }));
        let removed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            live::block_on(remove(&client, &name, &how));
        }));
        if let Err(panic) = outcome.and(removed) {
            std::panic::resume_unwind(panic);
        }
    }
}

async fn check(client: &Client, name: &str, how: &str) {
    let out = custom_model::run_as(client, name).await.unwrap();
    assert_eq!(out.name, name);

    // The model, read back.
    let models = IrModel::on(client);
    let m = IrModel::F;
    let row = &models
        .read(
            [out.model],
            Fields::none().with(&m.model).with(&m.state).with(&m.name),
        )
        .await
        .unwrap()[0];
    assert_eq!(row.model.value().map(String::as_str), Some(name), "{how}");
    assert_eq!(
        row.state.value().map(odoo_runtime::types::Selection::key),
        Some("manual"),
        "{how}"
    );
    assert!(
        out.x_name_listed,
        "{how}: a manual model has x_name at once"
    );

    // x_name: the model's own, so creating it again is refused; x_score: created.
    let f = IrModelFields::F;
    let fields = IrModelFields::on(client)
        .search(f.model_id.eq(out.model) & f.name.is_in(["x_name", "x_score"]))
        .fields(Fields::none().with(&f.name).with(&f.ttype).with(&f.state))
        .order("name")
        .rows()
        .await
        .unwrap();
    let names: Vec<_> = fields.iter().map(|r| r.name.value().cloned()).collect();
    assert_eq!(
        names,
        [Some("x_name".to_owned()), Some("x_score".to_owned())],
        "{how}: one x_name, and x_score"
    );
    assert!(out.x_name_field.is_err(), "{how}: {:?}", out.x_name_field);
    assert_eq!(fields[1].id, out.x_score_field, "{how}");
    assert_eq!(
        fields[1]
            .ttype
            .value()
            .map(odoo_runtime::types::Selection::key),
        Some("integer"),
        "{how}"
    );

    // No access rule yet: creating a record is refused; then the rule, read back.
    assert!(out.first_record.is_err(), "{how}: {:?}", out.first_record);
    let rule = out.access_rule.expect("a rule after the refusal");
    let a = IrModelAccess::F;
    let rules = IrModelAccess::on(client)
        .read(
            [rule],
            Fields::none()
                .with(&a.model_id)
                .with(&a.group_id)
                .with(&a.perm_read)
                .with(&a.perm_create),
        )
        .await
        .unwrap();
    let (_, group): (String, i64) = IrModelData::on(client)
        .method("check_object_reference")
        .arg("base")
        .arg("group_user")
        .returning()
        .await
        .unwrap();
    assert_eq!(
        rules[0].model_id.value().map(|r| r.id),
        Some(out.model),
        "{how}"
    );
    assert_eq!(
        rules[0].group_id.value().map(|g| g.id.get()),
        Some(group),
        "{how}"
    );
    assert_eq!(
        (rules[0].perm_read, rules[0].perm_create),
        (Some(true), Some(true))
    );

    // The second attempt: refused while Odoo's `create` ACL cache still lacks the rule (see the
    // example's docs), created when something cleared it in between. Either way the records
    // read back are what was created.
    let records = As {
        client,
        model: name,
    };
    let x = XCustom::F;
    match (
        out.second_record.as_ref().expect("a second attempt"),
        &out.records,
    ) {
        (Ok(id), Ok(rows)) => {
            assert_eq!(rows.len(), 1, "{how}");
            assert_eq!(rows[0].id, *id);
            assert_eq!(
                rows[0].x_name.value().map(String::as_str),
                Some("test record")
            );
            assert_eq!(rows[0].x_score, Some(7), "{how}");
        }
        (Ok(id), Err(refused)) => panic!("{how}: created #{} but cannot read: {refused}", id.get()),
        (Err(refused), listed) => {
            if let Ok(rows) = listed {
                assert!(rows.is_empty(), "{how}: {refused}");
            }
            // Creating (and reading) is allowed once the cache is cleared: writing the rule
            // again clears it (and fills only the cache of `write`).
            IrModelAccess::on(client)
                .write([rule], IrModelAccessWrite::new().perm_create(true))
                .await
                .unwrap();
            let id = XCustom::on(&records)
                .create(XCustomCreate::new().x_name("test record").x_score(7))
                .await
                .unwrap_or_else(|e| panic!("{how}: after clearing the ACL cache: {e}"));
            let rows = XCustom::on(&records)
                .search(x.id.eq(id))
                .fields(Fields::none().with(&x.x_name).with(&x.x_score))
                .rows()
                .await
                .unwrap();
            assert_eq!(
                rows[0].x_name.value().map(String::as_str),
                Some("test record")
            );
            assert_eq!(rows[0].x_score, Some(7), "{how}");
        }
    }
}

/// Removes what a run made for `name` (found by name: the run may have stopped half-way), in
/// order: records, access rules, the manual fields, the model; then checks nothing is left.
async fn remove(client: &Client, name: &str, how: &str) {
    let models = IrModel::on(client);
    let ids = models
        .search(IrModel::F.model.eq(name))
        .ids()
        .await
        .unwrap();
    if ids.is_empty() {
        return;
    }
    let records = As {
        client,
        model: name,
    };
    let x = XCustom::on(&records);
    match x.search(odoo_runtime::domain::Domain::all()).ids().await {
        Ok(rows) if !rows.is_empty() => {
            x.unlink(rows).await.unwrap();
        }
        Ok(_) | Err(Error::AccessError(_)) => {}
        Err(e) => panic!("{how}: listing the records of {name}: {e}"),
    }
    let rules = IrModelAccess::on(client)
        .search(IrModelAccess::F.model_id.is_in(ids.iter().copied()))
        .ids()
        .await
        .unwrap();
    if !rules.is_empty() {
        IrModelAccess::on(client).unlink(rules).await.unwrap();
    }
    let f = IrModelFields::F;
    let manual_fields = f.model_id.is_in(ids.iter().copied()) & f.name.eq("x_score");
    let fields = IrModelFields::on(client)
        .search(manual_fields.clone())
        .ids()
        .await
        .unwrap();
    if !fields.is_empty() {
        IrModelFields::on(client).unlink(fields).await.unwrap();
    }
    models.unlink(ids.clone()).await.unwrap();
    let left_models = models
        .search(IrModel::F.model.eq(name))
        .count()
        .await
        .unwrap();
    let left_fields = IrModelFields::on(client)
        .search(f.model_id.is_in(ids.iter().copied()))
        .count()
        .await
        .unwrap();
    let left_rules = IrModelAccess::on(client)
        .search(IrModelAccess::F.model_id.is_in(ids.iter().copied()))
        .count()
        .await
        .unwrap();
    assert_eq!(
        (left_models, left_fields, left_rules),
        (0, 0, 0),
        "{how}: {name} removed"
    );
}
