//! Methods (Odoo 19's `/doc-bearer`): the recorded answers parsed into the IR, the committed 19.0
//! subset snapshot kept equal to them, snapshots with methods round-tripping byte for byte, and
//! the typed calls generated for a hostile schema (insta snapshot, compiled with clippy and rustdoc
//! warnings denied).

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use odoo_codegen::methods::{self, ModelDoc};
use odoo_codegen::{
    Field, FieldType, Method, Model, Parameter, ParameterKind, Schema, generate, snapshot,
};
use odoo_replay::fixtures::{read_dump_tree, read_text_tree};
use support::{CLIPPY, DOC, settings, workspace, write_and_check};

fn testdata() -> PathBuf {
    workspace().join("testdata/odoo-19.0")
}

/// The recorded answers: `index.json` and `models/<model>.json`, inflated.
fn recorded() -> BTreeMap<String, Vec<u8>> {
    read_dump_tree(&testdata().join("doc-bearer")).unwrap()
}

fn recorded_docs() -> Vec<ModelDoc> {
    recorded()
        .iter()
        .filter(|(path, _)| path.starts_with("models/"))
        .map(|(path, body)| {
            let (doc, warnings) = methods::parse_model(body).unwrap();
            assert!(warnings.is_empty(), "{path}: {warnings:?}");
            assert_eq!(format!("models/{}.json", doc.model), *path);
            doc
        })
        .collect()
}

fn committed_subset() -> Schema {
    let files = read_text_tree(&testdata().join("snapshot")).unwrap();
    snapshot::from_files(&files).unwrap()
}

#[test]
fn recorded_answers_parse() {
    let files = recorded();
    let index = methods::parse_index(&files["index.json"]).unwrap();
    assert_eq!(
        index.models.len(),
        405,
        "models admin may read on the test bed"
    );
    assert_eq!(index.modules.len(), 103);
    let docs = recorded_docs();
    assert_eq!(docs.len(), 7);
    for doc in &docs {
        // The index lists the same public methods as the model's description.
        let names: Vec<&String> = doc.methods.keys().collect();
        let listed: Vec<&String> = index.models[&doc.model].iter().collect();
        assert_eq!(names, listed, "{}", doc.model);
        for (name, method) in &doc.methods {
            assert_eq!(&method.name, name);
            assert!(
                !method.model.is_empty() && !method.module.is_empty(),
                "{name}"
            );
            assert!(method.signature.starts_with('('), "{name}");
            assert!(!method.signature.contains(" at 0x"), "{name}");
        }
    }
    let order = docs.iter().find(|d| d.model == "sale.order").unwrap();
    assert_eq!(order.methods.len(), 104, "the issue's count");
    let confirm = &order.methods["action_confirm"];
    assert_eq!(
        (confirm.model.as_str(), confirm.module.as_str()),
        ("sale.order", "sale")
    );
    assert_eq!(confirm.returns.as_deref(), Some("bool"));
    assert!(confirm.parameters.is_empty() && !confirm.api_model);
    assert!(
        confirm
            .doc
            .as_deref()
            .unwrap()
            .contains("Confirm the given quotation")
    );
    // `message_post`: every parameter keyword-only with a default, then `**kwargs`.
    let post = &order.methods["message_post"];
    assert_eq!(post.parameters.len(), 16);
    let (last, rest) = post.parameters.split_last().unwrap();
    assert_eq!(
        (last.name.as_str(), &last.kind),
        ("kwargs", &ParameterKind::VarKeyword)
    );
    assert!(!last.is_required());
    for p in rest {
        assert_eq!(p.kind, ParameterKind::KeywordOnly, "{}", p.name);
        assert!(p.optional && p.default.is_some(), "{}", p.name);
    }
    let body = &post.parameters[0];
    assert_eq!(body.name, "body");
    assert_eq!(body.default, Some(serde_json::json!("")));
    assert_eq!(body.annotation.as_deref(), Some("str|Markup"));
    assert_eq!(
        methods::arg_type(body.annotation.as_deref()),
        (methods::ArgType::Str, false)
    );
    // `search`: `@api.model` and read-only; `domain` required, the rest optional.
    let search = &order.methods["search"];
    assert!(search.api_model && search.readonly);
    let required: Vec<&str> = search
        .parameters
        .iter()
        .filter(|p| p.is_required())
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(required, ["domain"]);
    assert_eq!(search.parameters[2].default, Some(serde_json::Value::Null));
    // Fields' introducing modules: a mixin's field is `mail`'s, not the model's module's.
    assert_eq!(
        order.field_modules.get("activity_ids").map(String::as_str),
        Some("mail")
    );
    assert_eq!(
        order.field_modules.get("partner_id").map(String::as_str),
        Some("sale")
    );
    assert!(!order.field_modules.contains_key("id"));
}

/// `testdata/odoo-19.0/snapshot` (what introspection wrote, cut to seven models) holds exactly
/// the methods and field modules the recorded answers give.
#[test]
fn committed_subset_snapshot_matches_the_recordings() {
    let committed = committed_subset();
    let mut rebuilt = committed.clone();
    for model in rebuilt.models.values_mut() {
        model.methods.clear();
        for field in model.fields.values_mut() {
            field.module = None;
        }
    }
    methods::apply(&mut rebuilt, recorded_docs());
    for (name, model) in &committed.models {
        assert_eq!(
            model.methods, rebuilt.models[name].methods,
            "{name}: methods differ from the recorded answer"
        );
        for (field, f) in &model.fields {
            assert_eq!(
                f.module, rebuilt.models[name].fields[field].module,
                "{name}.{field}"
            );
            if let Some(module) = &f.module {
                assert!(f.modules.contains(module), "{name}.{field}");
            }
        }
    }
    assert_eq!(committed, rebuilt);
}

#[test]
fn snapshots_with_methods_round_trip_and_share_descriptions() {
    let schema = committed_subset();
    let files = snapshot::to_files(&schema);
    let back = snapshot::from_files(&files).unwrap();
    assert_eq!(back, schema);
    assert_eq!(snapshot::to_files(&back), files, "same schema, same bytes");
    // The committed files are what this code writes.
    let committed = read_text_tree(&testdata().join("snapshot")).unwrap();
    assert_eq!(files, committed);
    // `copy` is described once (BaseModel's), listed by the seven models.
    let core: serde_json::Value = serde_json::from_str(&files["methods/core.json"]).unwrap();
    assert!(core["core"]["copy"]["signature"].is_string());
    assert!(core["core"]["copy"].get("name").is_none());
    let order: serde_json::Value = serde_json::from_str(&files["models/sale.order.json"]).unwrap();
    let listed = order["methods"]["sale.order"]["sale"].as_array().unwrap();
    assert!(listed.iter().any(|m| m == "action_confirm"));
    assert!(order.get("own_methods").is_none());
    // Each description is written once: the methods cost the snapshot a fraction of their inline
    // size.
    let total =
        |files: &BTreeMap<String, String>| -> usize { files.values().map(String::len).sum() };
    let mut bare = schema.clone();
    for model in bare.models.values_mut() {
        model.methods.clear();
    }
    let shared = total(&files) - total(&snapshot::to_files(&bare));
    let inline: usize = schema
        .models
        .values()
        .map(|m| serde_json::to_string_pretty(&m.methods).unwrap().len())
        .sum();
    assert!(
        shared * 3 < inline,
        "methods cost {shared} bytes, {inline} inline"
    );
}

/// Two models describing one (introducer, module, method) differently: the shared file keeps the
/// one most models have, the other model its own.
#[test]
fn a_differing_description_stays_with_its_model() {
    let mut schema = committed_subset();
    let line = schema.models.get_mut("sale.order.line").unwrap();
    let copy = line.methods.get_mut("copy").unwrap();
    copy.doc = Some("<p>Another description</p>".to_owned());
    let files = snapshot::to_files(&schema);
    let line: serde_json::Value =
        serde_json::from_str(&files["models/sale.order.line.json"]).unwrap();
    assert_eq!(
        line["own_methods"]["copy"]["doc"],
        "<p>Another description</p>"
    );
    assert!(
        !line["methods"]["core"]["core"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "copy")
    );
    assert_eq!(snapshot::from_files(&files).unwrap(), schema);
}

#[test]
fn broken_method_references_are_errors_naming_the_file() {
    let files = snapshot::to_files(&committed_subset());
    let mut missing = files.clone();
    missing.remove("methods/sale.order.json");
    let err = snapshot::from_files(&missing).unwrap_err().to_string();
    assert!(
        err.contains("methods/sale.order.json") && err.contains("missing"),
        "{err}"
    );

    let mut dangling = files.clone();
    let text = dangling["models/sale.order.json"].replace("\"action_confirm\"", "\"action_gone\"");
    dangling.insert("models/sale.order.json".to_owned(), text);
    let err = snapshot::from_files(&dangling).unwrap_err().to_string();
    assert!(
        err.contains("models/sale.order.json") && err.contains("action_gone"),
        "{err}"
    );

    let mut stray = files;
    stray.insert("methods/x.json".to_owned(), "{}".to_owned());
    let err = snapshot::from_files(&stray).unwrap_err().to_string();
    assert!(
        err.contains("methods/x.json") && err.contains("not listed"),
        "{err}"
    );
}

#[test]
fn unexpected_answers_are_errors_or_warnings_never_panics() {
    for body in [&b"<html>404</html>"[..], b"[]", b"{\"methods\": {}}", b""] {
        assert!(methods::parse_model(body).is_err());
        assert!(methods::parse_index(body).is_err());
    }
    let (doc, warnings) = methods::parse_model(
        br#"{"model": "x", "fields": {"a": {"module": 3}},
            "methods": {"ok": {"signature": "(a, b=1)", "parameters": {"a": {}, "b": {"default": 1}}},
                        "bad": {"parameters": 3},
                        "odd": {"signature": "(a", "parameters": {"a": {"kind": "FUTURE_KIND"}}}}}"#,
    )
    .unwrap();
    assert_eq!(doc.methods.len(), 2);
    assert!(doc.field_modules.is_empty());
    let odd = &doc.methods["odd"];
    assert_eq!(
        odd.parameters[0].kind,
        ParameterKind::Unknown("FUTURE_KIND".to_owned())
    );
    assert!(odd.parameters[0].is_required());
    let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(
        text[0].starts_with("x: method `bad`: unexpected description"),
        "{text:?}"
    );
    assert!(
        text[1].starts_with("x: method `odd`: cannot read the signature"),
        "{text:?}"
    );
}

// ---- generated code -------------------------------------------------------------------------------

fn param(name: &str, annotation: Option<&str>, kind: ParameterKind, optional: bool) -> Parameter {
    Parameter {
        name: name.to_owned(),
        kind,
        optional,
        annotation: annotation.map(str::to_owned),
        doc: Some(format!("<p>The <tt>{name}</tt> [x] `*/` &lt;b&gt;</p>")),
        ..Parameter::default()
    }
}

fn method(name: &str, introducer: &str, parameters: Vec<Parameter>) -> Method {
    Method {
        name: name.to_owned(),
        signature: format!(
            "({})",
            parameters
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        parameters,
        model: introducer.to_owned(),
        module: "hostile".to_owned(),
        doc: Some(format!(
            "<div class=\"document\"><p>Does {name}: see <a href=\"https://odoo.com\">[docs]</a> &amp; ```rust\npanic!()```</p>\n<pre>&lt;script&gt;alert(1)&lt;/script&gt;\n- not a list\n1. nor this</pre></div>"
        )),
        raises: [
            ("UserError".to_owned(), "<p>when *bad*</p>".to_owned()),
            (String::new(), "<p>anything</p>".to_owned()),
        ]
        .into(),
        ..Method::default()
    }
}

/// Two models sharing `BaseModel`'s methods; one with methods whose names, parameters and
/// annotations exercise every rule (keywords, reserved names, collisions, every kind, every type).
fn hostile() -> Schema {
    use ParameterKind::*;
    let shared = || {
        let mut copy = method(
            "copy",
            "core",
            vec![param(
                "default",
                Some("ValuesType | None"),
                PositionalOrKeyword,
                true,
            )],
        );
        copy.returns = Some("list[int]".to_owned());
        let mut name_create = method(
            "name_create",
            "core",
            vec![param("name", Some("str"), PositionalOrKeyword, false)],
        );
        name_create.api_model = true;
        let mut search = method(
            "search",
            "core",
            vec![
                param("domain", Some("DomainType"), PositionalOrKeyword, false),
                param("offset", Some("int"), PositionalOrKeyword, true),
                param("limit", Some("int | None"), PositionalOrKeyword, true),
            ],
        );
        search.api_model = true;
        search.returns = Some("list[int]".to_owned());
        [copy, name_create, search]
            .map(|m| (m.name.clone(), m))
            .into_iter()
            .collect::<BTreeMap<_, _>>()
    };
    let mut own = shared();
    let every_type = method(
        "every_type",
        "hostile.model",
        vec![
            param("i", Some("int"), PositionalOrKeyword, false),
            param("f", Some("float"), PositionalOrKeyword, false),
            param("s", Some("str"), PositionalOrKeyword, false),
            param("b", Some("bool"), PositionalOrKeyword, false),
            param("ints", Some("list[int]"), PositionalOrKeyword, false),
            param("strs", Some("Sequence[str]"), PositionalOrKeyword, false),
            param("maybe", Some("int | None"), PositionalOrKeyword, false),
            param("domain", Some("DomainType"), KeywordOnly, true),
            param("vals", Some("ValuesType"), KeywordOnly, true),
            param("vals_list", Some("list[ValuesType]"), KeywordOnly, true),
            param("free", Some("record/str"), KeywordOnly, true),
            param("none", None, KeywordOnly, true),
        ],
    );
    let names = method(
        "names",
        "hostile.model",
        vec![
            param("ids", Some("list[int]"), PositionalOrKeyword, false),
            param("self", None, PositionalOrKeyword, false),
            param("type", Some("str"), PositionalOrKeyword, true),
            param("send", Some("bool"), KeywordOnly, true),
            param("kwarg", None, KeywordOnly, true),
            param("add", Some("int"), KeywordOnly, true),
            param("args", None, VarPositional, true),
            param("kwargs", None, VarKeyword, true),
        ],
    );
    let positional = method(
        "positional",
        "hostile.model",
        vec![
            param("first", Some("int"), PositionalOnly, false),
            param("second", Some("int"), PositionalOnly, true),
            param("third", Some("str"), PositionalOrKeyword, false),
        ],
    );
    let mut returns = Vec::new();
    for (name, annotation) in [
        ("returns_bool", "typing.Literal[True]"),
        ("returns_int", "int"),
        ("returns_float", "float"),
        ("returns_str", "str"),
        ("returns_ids", "list[int]"),
        ("returns_none", "None"),
        ("returns_dict", "dict[str, int]"),
    ] {
        let mut m = method(name, "hostile.model", vec![]);
        m.returns = Some(annotation.to_owned());
        m.returns_doc = Some("<p>What it gives</p>".to_owned());
        returns.push(m);
    }
    let mut unicode = method("naïve", "hostile.model", vec![]);
    unicode.api_model = true;
    for m in [
        every_type,
        names,
        positional,
        unicode,
        method("type", "hostile.model", vec![]),
        method("self", "hostile.model", vec![]),
        method("read", "hostile.model", vec![]),
        method("call_read", "hostile.model", vec![]),
        method("Action_Done", "hostile.model", vec![]),
        method("action_done", "hostile.model", vec![]),
        method("state", "hostile.model", vec![]),
        method("with_context", "hostile.model", vec![]),
    ]
    .into_iter()
    .chain(returns)
    {
        own.insert(m.name.clone(), m);
    }
    let field = |name: &str, field_type: FieldType| Field {
        name: name.to_owned(),
        field_type,
        label: name.to_owned(),
        store: true,
        ..Field::default()
    };
    let model = |name: &str, methods: BTreeMap<String, Method>| Model {
        name: name.to_owned(),
        description: name.to_owned(),
        modules: vec!["hostile".to_owned()],
        fields: [
            field("state", FieldType::Char),
            field("name", FieldType::Char),
        ]
        .into_iter()
        .map(|f| (f.name.clone(), f))
        .collect(),
        methods,
        ..Model::default()
    };
    Schema {
        odoo_version: "19.0".to_owned(),
        models: [
            model("hostile.model", own),
            model("other.model", shared()),
            // A model without methods still gets the handle (and the shared methods).
            model("plain.model", BTreeMap::new()),
        ]
        .into_iter()
        .map(|m| (m.name.clone(), m))
        .collect(),
    }
}

fn snapshot_file(name: &str, contents: &str) {
    insta::with_settings!({
        snapshot_path => "../../snapshots/generated",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, contents);
    });
}

#[test]
fn hostile_methods_snapshot_and_compile() {
    let schema = hostile();
    let generated = generate(&schema, &settings("hostile_methods")).unwrap();
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let methods_rs = generated.file("src/methods.rs").unwrap();
    let model_rs = generated.file("src/hostile_model.rs").unwrap();
    // Shared: `copy`, `name_create`, `search` (as `call_search`), once, generic.
    for item in ["pub fn copy(", "pub fn name_create(", "pub fn call_search("] {
        assert!(methods_rs.contents.contains(item), "{item}");
    }
    // Own methods: reserved names, keywords, collisions, never a shared identifier.
    for item in [
        "pub fn r#type(",
        "pub fn self_(",
        "pub fn call_read(",
        "pub fn call_read_2(",
        "pub fn action_done(",
        "pub fn action_done_2(",
        "pub fn state(",
        "pub fn call_with_context(",
        "pub fn naive(",
    ] {
        assert!(model_rs.contents.contains(item), "{item}");
    }
    assert!(!model_rs.contents.contains("pub fn copy("));
    // The start of the model's own methods (the read struct and values before it are the usual).
    let own = &model_rs.contents[model_rs
        .contents
        .find("/// The methods of `hostile.model`")
        .unwrap()..];
    snapshot_file("hostile_methods__methods_rs", &methods_rs.contents);
    snapshot_file("hostile_methods__hostile_model_methods", own);
    write_and_check(
        "hostile_methods",
        &generated,
        &[("tests/calls.rs", CALLS_TEST)],
        &[CLIPPY, DOC, &["test", "--all-features"]],
    );
}

/// Compiled and run in the generated crate: the typed calls build the `execute_kw` Odoo expects.
const CALLS_TEST: &str = r##"
use emit_test_hostile_methods::hostile_model::{HostileModel, HostileModelCreate};
use emit_test_hostile_methods::markers;
use odoo_runtime::method::Dynamic;
use odoo_runtime::query::{Call, Executor};
use odoo_runtime::types::Id;

/// An executor that records the call and answers a unit (calls expecting more fail to decode it,
/// which these tests ignore: they check what was sent).
struct Recorder(std::sync::Mutex<Vec<Call>>);

impl Executor for Recorder {
    async fn execute<R: serde::de::DeserializeOwned>(&self, call: Call) -> odoo_runtime::Result<R> {
        self.0.lock().unwrap().push(call);
        R::deserialize(serde::de::value::UnitDeserializer::<serde::de::value::Error>::new())
            .map_err(|e| odoo_runtime::Error::Encode(e.to_string()))
    }
}

/// `model.method args kwargs`, the arguments as JSON.
fn json(call: &Call) -> String {
    let body = odoo_runtime::jsonrpc::encode_call("object", "execute_kw", &(&call.args, call.kwargs_term()), 1).unwrap();
    let body = String::from_utf8(body).unwrap();
    let start = body.find("\"args\":[").unwrap() + "\"args\":[".len();
    let end = body.rfind("]}").unwrap();
    format!("{} {}", call.name(), &body[start..end])
}

#[test]
fn calls_are_what_odoo_expects() {
    let rec = Recorder(std::sync::Mutex::new(Vec::new()));
    let h = HostileModel::on(&rec);
    let id: Id<markers::HostileModel> = Id::new(7);
    let f = HostileModel::F;
    fn block<T>(f: impl std::future::Future<Output = odoo_runtime::Result<T>>) {
        let _ = futures_lite(f);
    }
    block(h.every_type([id], 1, 2.5, "s", true, [1, 2], vec!["a", "b"], Some(3))
        .domain(f.name.eq("x"))
        .vals(HostileModelCreate::new().name("n"))
        .vals_list(vec![HostileModelCreate::new().name("m")])
        .free(std::collections::BTreeMap::from([("any", vec![1])]))
        .none(Dynamic(false))
        .send());
    block(h.names([id], [4, 5], "me").r#type("t").send_2(true).kwarg_2(1).add(2).kwarg("extra", "e").send());
    block(h.positional([id], 1, "third").send());
    block(h.naive().with_context("lang", "fr_FR").send());
    block(h.name_create("new").send());
    block(h.call_search(f.state.eq("done")).limit(5).send());
    block(h.copy([id]).default(HostileModelCreate::new().name("copy")).send());
    let calls: Vec<String> = rec.0.lock().unwrap().iter().map(json).collect();
    assert_eq!(calls, [
        r#"hostile.model.every_type [[7]],{"i":1,"f":2.5,"s":"s","b":true,"ints":[1,2],"strs":["a","b"],"maybe":3,"domain":[["name","=","x"]],"vals":{"name":"n"},"vals_list":[{"name":"m"}],"free":{"any":[1]},"none":false}"#,
        r#"hostile.model.names [[7]],{"ids":[4,5],"self":"me","type":"t","send":true,"kwarg":1,"add":2,"extra":"e"}"#,
        r#"hostile.model.positional [[7],1],{"third":"third"}"#,
        r#"hostile.model.naïve [],{"context":{"lang":"fr_FR"}}"#,
        r#"hostile.model.name_create [],{"name":"new"}"#,
        r#"hostile.model.search [],{"domain":[["state","=","done"]],"limit":5}"#,
        r#"hostile.model.copy [[7]],{"default":{"name":"copy"}}"#,
    ]);
}

/// Runs a future that never waits (the recorder answers at once).
fn futures_lite<F: std::future::Future>(f: F) -> F::Output {
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}
"##;

// ---- diff ---------------------------------------------------------------------------------------

#[test]
fn diff_compares_methods_only_where_both_sides_read_them() {
    use odoo_codegen::diff::{ChangeKind, Changelog, Impact, diff};
    let with = committed_subset();
    let mut without = with.clone();
    for model in without.models.values_mut() {
        model.methods.clear();
    }
    // Methods read on one side only (a snapshot made before they were read, or with a password):
    // not compared, and a warning says so, instead of every method added or removed.
    for (old, new) in [(&without, &with), (&with, &without)] {
        let log = diff(old, new);
        assert_eq!(log.summary.total(), 0, "{}", log.to_text());
        assert_eq!(log.warnings.len(), 1, "{:?}", log.warnings);
        assert!(
            log.warnings[0].contains("methods not compared"),
            "{:?}",
            log.warnings
        );
    }
    // A method removed from a model whose methods both sides read: its typed call is gone.
    let mut fewer = with.clone();
    let order = fewer.models.get_mut("sale.order").unwrap();
    order.methods.remove("action_confirm");
    let log = diff(&with, &fewer);
    assert_eq!(log.summary.methods_removed, 1);
    assert_eq!(log.summary.does_not_compile, 1);
    assert!(
        log.to_text()
            .contains("\n    - method action_confirm: () -> bool  [BREAKING, does not compile"),
        "{}",
        log.to_text()
    );
    // ... and back: a new typed call, compatible.
    let log = diff(&fewer, &with);
    assert_eq!(log.summary.methods_added, 1);
    assert_eq!(log.summary.breaking, 0);

    // An upgrade: action_confirm gets a required parameter and a new return type, message_post
    // loses `body`'s default, search's `limit` another default.
    let mut upgraded = with.clone();
    let order = upgraded.models.get_mut("sale.order").unwrap();
    let confirm = order.methods.get_mut("action_confirm").unwrap();
    confirm.parameters.push(Parameter {
        name: "force".to_owned(),
        annotation: Some("bool".to_owned()),
        ..Parameter::default()
    });
    confirm.returns = Some("dict".to_owned());
    let post = order.methods.get_mut("message_post").unwrap();
    post.parameters[0].optional = false;
    post.parameters[0].default = None;
    let log = diff(&with, &upgraded);
    let text = log.to_text();
    for line in [
        "~ model sale.order",
        "    ~ method action_confirm: returns bool -> dict  [BREAKING, does not compile: the call's answer type changes]",
        "    ~ method action_confirm: required parameter force added (bool)  [BREAKING, does not compile: a new argument of the typed call]",
        "    ~ method message_post: parameter body required no -> yes  [BREAKING, does not compile: it becomes an argument of the typed call]",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(
        text.contains("0 methods added, 0 removed, 3 method signature changes;"),
        "{text}"
    );
    // The default changed only with both sides optional: not reported here.
    assert!(
        !log.changes()
            .any(|(_, c)| matches!(c.kind, ChangeKind::ParameterDefaultChanged { .. }))
    );
    assert_eq!(log.summary.does_not_compile, 3, "{text}");
    assert!(
        log.changes()
            .all(|(_, c)| c.impact == Impact::DoesNotCompile)
    );
    // The JSON report reads back.
    let json = log.to_json().unwrap();
    let back: Changelog = serde_json::from_str(&json).unwrap();
    assert_eq!(back, log);
    assert!(json.contains("\"kind\": \"parameter_added\""), "{json}");
}
