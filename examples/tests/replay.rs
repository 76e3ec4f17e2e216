//! Every example against the replay server of the recorded Odoo 18.0 traffic
//! (`testdata/odoo-18.0/xmlrpc`): each request an example sends must be one that was recorded (the
//! server matches them semantically; anything else is "unmatched" and fails the test), and the
//! recorded answers must come back typed as `.expected.json` says.

use odoo_examples::*;
use odoo_replay::ReplayServer;
use odoo_runtime::client::{Client, ClientBuilder, Transport};
use odoo_runtime::types::{Id, OrFalse};

fn server() -> ReplayServer {
    ReplayServer::from_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/odoo-18.0"
    ))
    .unwrap()
}

/// The recorded session: database `odoo18`, `admin`/`admin` over XML-RPC.
fn session(server: &ReplayServer) -> ClientBuilder {
    Client::builder()
        .url(server.url())
        .database("odoo18")
        .login("admin")
        .password("admin")
        .transport(Transport::XmlRpc)
}

fn client(server: &ReplayServer) -> Client {
    session(server).build().unwrap()
}

fn expected(name: &str) -> serde_json::Value {
    let path = format!(
        "{}/../testdata/odoo-18.0/xmlrpc/{name}.expected.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str::<serde_json::Value>(&text).unwrap()["result"].clone()
}

fn raw<M>(ids: &[Id<M>]) -> Vec<i64> {
    ids.iter().map(|id| id.get()).collect()
}

fn json_ids(v: &serde_json::Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_i64().unwrap())
        .collect()
}

/// Runs `f` against a fresh replay server and checks that every request it sent was recorded.
async fn replayed<T, F, Fut>(f: F) -> T
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = odoo_runtime::Result<T>>,
{
    let server = server();
    let result = f(client(&server)).await.unwrap();
    server.assert_every_request_recorded();
    assert!(!server.requests().is_empty());
    result
}

#[tokio::test]
async fn version() {
    let v = replayed(|c| async move { version::run(&c).await }).await;
    let e = expected("01-version");
    assert_eq!(v.server_version, e["server_version"].as_str().unwrap());
    assert_eq!(v.protocol_version, 1);
    assert_eq!(version::describe(&v), "Odoo 18.0 (series 18.0, protocol 1)");
}

#[tokio::test]
async fn authenticate() {
    let uid = replayed(|c| async move { authenticate::run(&c).await }).await;
    assert_eq!(uid, expected("02-authenticate").as_i64().unwrap());
}

#[tokio::test]
async fn check_access_rights() {
    let allowed = replayed(|c| async move { check_access_rights::run(&c).await }).await;
    assert_eq!(
        allowed,
        expected("06-res.partner.check_access_rights")
            .as_bool()
            .unwrap()
    );
}

#[tokio::test]
async fn list_records() {
    let ids = replayed(|c| async move { list_records::run(&c).await }).await;
    assert_eq!(raw(&ids), json_ids(&expected("07-res.partner.search")));
}

#[tokio::test]
async fn pagination() {
    let ids = replayed(|c| async move { pagination::run(&c).await }).await;
    assert_eq!(
        raw(&ids),
        json_ids(&expected("08-res.partner.search-paged"))
    );
}

#[tokio::test]
async fn count_records() {
    let n = replayed(|c| async move { count_records::run(&c).await }).await;
    assert_eq!(n, expected("09-res.partner.search_count").as_u64().unwrap());
}

/// The typed API from blocking code: the blocking client runs the query on its own runtime.
#[test]
fn count_records_from_a_blocking_client() {
    let server = server();
    let client = session(&server).build_blocking().unwrap();
    let n = client.run(count_records::run(client.as_async())).unwrap();
    assert_eq!(n, expected("09-res.partner.search_count").as_u64().unwrap());
    assert!(server.unmatched().is_empty());
}

#[tokio::test]
async fn read_records() {
    let out = replayed(|c| async move { read_records::run(&c).await }).await;
    let all = &expected("11-res.partner.read-all-fields")[0];
    let p = &out.all_fields[0];
    assert_eq!(p.id.get(), all["id"].as_i64().unwrap());
    assert_eq!(p.name.value().map(String::as_str), all["name"].as_str());
    assert_eq!(p.email.value().map(String::as_str), all["email"].as_str());
    assert!(!p.commercial_partner_id.is_not_fetched());
    let three = &expected("12-res.partner.read-3-fields")[0];
    let p = &out.three_fields[0];
    assert_eq!(p.name.value().map(String::as_str), three["name"].as_str());
    let country = p.country_id.value().unwrap();
    assert_eq!(country.id.get(), three["country_id"][0].as_i64().unwrap());
    assert_eq!(country.name.as_deref(), three["country_id"][1].as_str());
    assert_eq!(p.comment, OrFalse::Empty);
    // Only the three fields were asked for.
    assert!(p.email.is_not_fetched());
    assert!(read_records::describe(&out).contains("Azure Interior"));
}

#[tokio::test]
async fn list_fields() {
    let fields = replayed(|c| async move { list_fields::run(&c).await }).await;
    let e = expected("13-res.partner.fields_get-3-attrs");
    let e = e.as_object().unwrap();
    assert_eq!(fields.len(), e.len());
    for f in &fields {
        assert_eq!(
            f.field_type,
            e[&f.name]["type"].as_str().unwrap(),
            "{}",
            f.name
        );
        assert_eq!(
            f.string,
            e[&f.name]["string"].as_str().unwrap(),
            "{}",
            f.name
        );
    }
    let company = fields.iter().find(|f| f.name == "is_company").unwrap();
    assert_eq!(company.field_type, "boolean");
}

#[tokio::test]
async fn search_read() {
    let rows = replayed(|c| async move { search_read::run(&c).await }).await;
    let e = expected("14-res.partner.search_read");
    let e = e.as_array().unwrap();
    assert_eq!(rows.len(), e.len());
    for (row, e) in rows.iter().zip(e) {
        assert_eq!(row.id.get(), e["id"].as_i64().unwrap());
        assert_eq!(row.name.value().map(String::as_str), e["name"].as_str());
        match row.country_id.value() {
            Some(c) => assert_eq!(c.id.get(), e["country_id"][0].as_i64().unwrap()),
            None => assert_eq!(e["country_id"], serde_json::json!(false)),
        }
    }
}

#[tokio::test]
async fn create_record() {
    let id = replayed(|c| async move { create_record::run(&c).await }).await;
    assert_eq!(
        id.get(),
        expected("15-res.partner.create").as_i64().unwrap()
    );
}

#[tokio::test]
async fn update_record() {
    let name = replayed(|c| async move { update_record::run(&c, None).await }).await;
    let e = expected("18-res.partner.read-display_name");
    assert_eq!(name.as_deref(), e[0]["display_name"].as_str());
    assert_eq!(name.as_deref(), Some("Newer partner"));
}

#[tokio::test]
async fn delete_record() {
    let left = replayed(|c| async move { delete_record::run(&c, None).await }).await;
    assert!(left.is_empty());
    assert_eq!(
        expected("22-res.partner.search-deleted"),
        serde_json::json!([])
    );
}

#[tokio::test]
async fn custom_model() {
    let out = replayed(|c| async move { custom_model::run(&c).await }).await;
    assert_eq!(
        out.model.get(),
        expected("62-ir.model.create-custom").as_i64().unwrap()
    );
    assert!(out.x_name_listed);
    let refused = out.x_name_field.clone().unwrap_err();
    assert!(
        refused.contains("Field names must be unique per model"),
        "{refused}"
    );
    assert_eq!(
        out.x_score_field.get(),
        expected("65-ir.model.fields.create-custom-integer")
            .as_i64()
            .unwrap()
    );
    let denied = out.first_record.clone().unwrap_err();
    assert!(
        denied.contains("You are not allowed to create 'Custom Model' (x_custom) records"),
        "{denied}"
    );
    assert_eq!(
        out.access_rule.map(Id::get),
        expected("68-ir.model.access.create").as_i64()
    );
    assert!(matches!(&out.second_record, Some(Err(e)) if e.contains("Internal User")));
    assert!(out.records.is_empty());
    let text = custom_model::describe(&out);
    assert!(text.contains("ir.model x_custom: #680"), "{text}");
}

/// The programs themselves, configured through the `ODOO_*` environment, against the replay server.
#[test]
fn programs_print_the_recorded_answers() {
    let programs: [(&str, &str); 13] = [
        (
            env!("CARGO_BIN_EXE_version"),
            "Odoo 18.0 (series 18.0, protocol 1)",
        ),
        (env!("CARGO_BIN_EXE_authenticate"), "uid 2"),
        (
            env!("CARGO_BIN_EXE_check_access_rights"),
            "may read res.partner: true",
        ),
        (
            env!("CARGO_BIN_EXE_list_records"),
            "companies: [15, 74, 69, 64, 10, 11, 16, 60, 1, 13, 12, 14, 9]",
        ),
        (
            env!("CARGO_BIN_EXE_pagination"),
            "companies 11 to 15: [12, 14, 9]",
        ),
        (env!("CARGO_BIN_EXE_count_records"), "13 companies"),
        (
            env!("CARGO_BIN_EXE_read_records"),
            "country Some(\"United States\")",
        ),
        (
            env!("CARGO_BIN_EXE_list_fields"),
            "is_company (boolean): Is a Company",
        ),
        (
            env!("CARGO_BIN_EXE_search_read"),
            "#15 Some(\"Azure Interior\") country Some(\"United States\")",
        ),
        (
            env!("CARGO_BIN_EXE_create_record"),
            "created res.partner #77",
        ),
        (
            env!("CARGO_BIN_EXE_update_record"),
            "display name now: Some(\"Newer partner\")",
        ),
        (
            env!("CARGO_BIN_EXE_delete_record"),
            "deleted; a search for it finds []",
        ),
        (env!("CARGO_BIN_EXE_custom_model"), "x_custom records: 0"),
    ];
    for (program, wanted) in programs {
        let server = server();
        let output = std::process::Command::new(program)
            .env("ODOO_URL", server.url())
            .env("ODOO_DB", "odoo18")
            .env("ODOO_USER", "admin")
            .env("ODOO_PASSWORD", "admin")
            .env("ODOO_TRANSPORT", "xmlrpc")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains(wanted), "{program} printed:\n{stdout}");
        assert!(
            server.unmatched().is_empty(),
            "{program}: unrecorded requests"
        );
    }
    // Without configuration a program fails with a message naming the variable.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_count_records"))
        .env_remove("ODOO_URL")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("ODOO_URL"));
}
