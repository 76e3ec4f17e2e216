//! The Odoo value types behave the same under serde_json as under the XML-RPC codec.

mod common_codec;

use odoo_runtime::Value;
use odoo_runtime::types::{
    Binary, Date, DateTime, Id, Many2one, OrFalse, Reference, Selection, X2many, opt_int, selection,
};
use odoo_runtime::xmlrpc::{Response, decode_response, encode_value};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

enum Country {}

#[derive(Debug, Deserialize, PartialEq)]
struct PartnerRead {
    #[serde(default, with = "opt_int")]
    id: Option<i64>,
    #[serde(default)]
    name: OrFalse<String>,
    #[serde(default)]
    comment: OrFalse<String>,
    #[serde(default)]
    country_id: OrFalse<Many2one<Country>>,
    #[serde(default)]
    is_company: Option<bool>,
}

#[test]
fn jsonrpc_search_read_decodes_like_xmlrpc() {
    let bytes = common_codec::read_maybe_gz(
        &common_codec::jsonrpc_dir().join("03-search_read.response.json"),
    );
    #[derive(Deserialize)]
    struct Envelope {
        result: Vec<PartnerRead>,
    }
    let rows = serde_json::from_slice::<Envelope>(&bytes).unwrap().result;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].id, Some(15));
    assert_eq!(rows[0].name, OrFalse::Value("Azure Interior".into()));
    assert_eq!(rows[0].comment, OrFalse::Empty);
    let c = rows[0].country_id.value().unwrap();
    assert_eq!(
        (c.id, c.name.as_deref()),
        (Id::new(233), Some("United States"))
    );
    assert!(rows[1].country_id.is_empty());
    assert!(rows[1].is_company.is_none(), "not fetched");

    // The same record over XML-RPC (12-res.partner.read-3-fields) decodes to the same struct.
    let body = common_codec::response(&common_codec::find("12"));
    let Response::Success(xml_rows) = decode_response::<Vec<PartnerRead>>(&body).unwrap() else {
        panic!()
    };
    assert_eq!(xml_rows[0], rows[0]);
}

/// Decodes `json` with serde_json and the same value (encoded by the codec) with the XML-RPC
/// decoder, and checks that both agree.
fn both<T: for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(
    json: &str,
) -> Result<T, String> {
    let from_json = serde_json::from_str::<T>(json).map_err(|e| e.to_string());
    let value = Value::from_json(&serde_json::from_str(json).unwrap());
    let body = format!(
        "<?xml version=\"1.0\"?><methodResponse><params><param><value>{}</value></param></params></methodResponse>",
        encode_value(&value).unwrap()
    );
    let from_xml = match decode_response::<T>(body.as_bytes()) {
        Ok(Response::Success(v)) => Ok(v),
        Ok(Response::Fault(f)) => Err(f.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match (&from_json, &from_xml) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{json}"),
        (Err(_), Err(_)) => {}
        _ => panic!("serde_json and XML-RPC disagree on {json}: {from_json:?} vs {from_xml:?}"),
    }
    from_json
}

#[derive(Debug, Deserialize, PartialEq)]
struct Row {
    #[serde(default)]
    text: OrFalse<String>,
    #[serde(default)]
    m2o: OrFalse<Many2one>,
    #[serde(default)]
    ids: Option<X2many>,
    #[serde(default, with = "opt_int")]
    int: Option<i64>,
    #[serde(default)]
    date: OrFalse<Date>,
    #[serde(default)]
    dt: OrFalse<DateTime>,
    #[serde(default)]
    reference: OrFalse<Reference>,
    #[serde(default)]
    bin: OrFalse<Binary>,
    #[serde(default)]
    state: OrFalse<State>,
    #[serde(default)]
    json: OrFalse<Value>,
}

#[derive(Debug, PartialEq, Clone)]
enum State {
    Draft,
    Done,
    Unknown(String),
}

impl Selection for State {
    fn from_key(key: &str) -> Self {
        match key {
            "draft" => State::Draft,
            "done" => State::Done,
            other => State::Unknown(other.to_owned()),
        }
    }
    fn key(&self) -> &str {
        match self {
            State::Draft => "draft",
            State::Done => "done",
            State::Unknown(k) => k,
        }
    }
}

impl<'de> Deserialize<'de> for State {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        selection::deserialize(d)
    }
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        selection::serialize(self, s)
    }
}

#[test]
fn or_false_keeps_three_states() {
    let r: Row = both(r#"{"text": false}"#).unwrap();
    assert!(r.text.is_empty());
    assert!(r.m2o.is_not_fetched());
    let r: Row = both(r#"{"text": "hello"}"#).unwrap();
    assert_eq!(r.text.value().map(String::as_str), Some("hello"));
    let r: Row = both(r#"{}"#).unwrap();
    assert!(r.text.is_not_fetched() && r.date.is_not_fetched() && r.json.is_not_fetched());
    // A non-string where a string is expected is an error on both transports.
    assert!(both::<Row>(r#"{"text": 5}"#).is_err());
    assert!(both::<Row>(r#"{"text": true}"#).is_err());
}

#[test]
fn or_false_serializes_false_and_value_and_refuses_not_fetched() {
    assert_eq!(
        serde_json::to_string(&OrFalse::<String>::Empty).unwrap(),
        "false"
    );
    assert_eq!(
        serde_json::to_string(&OrFalse::Value("x".to_owned())).unwrap(),
        "\"x\""
    );
    let err = serde_json::to_string(&OrFalse::<String>::NotFetched)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not-fetched"), "{err}");
    assert_eq!(
        encode_value(&OrFalse::<i64>::Empty).unwrap(),
        "<boolean>0</boolean>"
    );
    assert_eq!(
        encode_value(&OrFalse::Value(State::Done)).unwrap(),
        "<string>done</string>"
    );
}

#[test]
fn many2one_forms() {
    let r: Row = both(r#"{"m2o": [7, "Seven"]}"#).unwrap();
    assert_eq!(
        r.m2o.value().unwrap(),
        &Many2one {
            id: Id::new(7),
            name: Some("Seven".into())
        }
    );
    let r: Row = both(r#"{"m2o": [7, false]}"#).unwrap();
    assert_eq!(r.m2o.value().unwrap(), &Many2one::new(Id::new(7)));
    let r: Row = both(r#"{"m2o": 7}"#).unwrap();
    assert_eq!(r.m2o.value().unwrap().id.get(), 7);
    let r: Row = both(r#"{"m2o": false}"#).unwrap();
    assert!(r.m2o.is_empty());
    assert!(both::<Row>(r#"{"m2o": []}"#).is_err());
    assert!(both::<Row>(r#"{"m2o": [7, "a", 3]}"#).is_err());
    assert!(both::<Row>(r#"{"m2o": "seven"}"#).is_err());
    // Written back as the bare id.
    assert_eq!(
        serde_json::to_string(&Many2one::<Country>::new(Id::new(9))).unwrap(),
        "9"
    );
}

#[test]
fn x2many_forms() {
    let r: Row = both(r#"{"ids": [3, 1, 2]}"#).unwrap();
    assert_eq!(r.ids.unwrap().0, [Id::new(3), Id::new(1), Id::new(2)]);
    let r: Row = both(r#"{"ids": false}"#).unwrap();
    assert!(r.ids.unwrap().is_empty());
    assert!(both::<Row>(r#"{"ids": ["a"]}"#).is_err());
}

#[test]
fn opt_int_accepts_integral_floats_only() {
    assert_eq!(both::<Row>(r#"{"int": 5}"#).unwrap().int, Some(5));
    // Odoo sends integers above 2^31-1 as doubles.
    assert_eq!(
        both::<Row>(r#"{"int": 3000000000.0}"#).unwrap().int,
        Some(3_000_000_000)
    );
    assert_eq!(both::<Row>(r#"{"int": false}"#).unwrap().int, None);
    let err = both::<Row>(r#"{"int": 1.5}"#).unwrap_err();
    assert!(err.contains("non-integral number 1.5"), "{err}");
    let err = both::<Row>(r#"{"int": 1e30}"#).unwrap_err();
    assert!(err.contains("out of the i64 range"), "{err}");
    let err = both::<Row>(r#"{"int": "5"}"#).unwrap_err();
    assert!(err.contains("integer"), "{err}");
}

#[test]
fn dates_and_datetimes_are_validated() {
    let r: Row = both(r#"{"date": "2024-02-29", "dt": "2024-02-29 23:59:59"}"#).unwrap();
    assert_eq!(r.date.value().unwrap().as_str(), "2024-02-29");
    assert_eq!(
        r.dt.value().unwrap().date(),
        "2024-02-29".parse::<Date>().unwrap()
    );
    for bad in [
        "2023-02-29",
        "2024-13-01",
        "2024-1-01",
        "2024-01-01T00:00:00",
        "",
        "2024-01-32",
    ] {
        assert!(Date::parse(bad).is_err(), "{bad}");
    }
    for bad in [
        "2024-01-01T10:00:00",
        "2024-01-01 24:00:00",
        "2024-01-01 10:00",
        "2024-01-01 10:00:00+02",
    ] {
        let err = DateTime::parse(bad).unwrap_err().to_string();
        assert!(err.contains(bad), "the error names the text: {err}");
    }
    let err = both::<Row>(r#"{"date": "2024-02-30"}"#).unwrap_err();
    assert!(err.contains("2024-02-30"), "{err}");
    assert_eq!(
        DateTime::try_from("2024-01-01 00:00:00".to_owned())
            .unwrap()
            .as_str(),
        "2024-01-01 00:00:00"
    );
}

#[test]
fn reference_selection_binary_json() {
    let r: Row = both(r#"{"reference": "res.partner,42"}"#).unwrap();
    assert_eq!(
        r.reference.value().unwrap(),
        &Reference {
            model: "res.partner".into(),
            id: 42
        }
    );
    assert_eq!(
        serde_json::to_string(r.reference.value().unwrap()).unwrap(),
        "\"res.partner,42\""
    );
    assert!(both::<Row>(r#"{"reference": "res.partner"}"#).is_err());
    assert!(both::<Row>(r#"{"reference": "res.partner,x"}"#).is_err());

    assert_eq!(
        both::<Row>(r#"{"state": "done"}"#).unwrap().state,
        OrFalse::Value(State::Done)
    );
    assert_eq!(
        both::<Row>(r#"{"state": "weird"}"#).unwrap().state,
        OrFalse::Value(State::Unknown("weird".into()))
    );
    // Integer selection keys are read as their text.
    assert_eq!(
        both::<Row>(r#"{"state": 3}"#).unwrap().state,
        OrFalse::Value(State::Unknown("3".into()))
    );
    assert!(both::<Row>(r#"{"state": false}"#).unwrap().state.is_empty());

    let r: Row = both(r#"{"bin": "aGVsbG8="}"#).unwrap();
    assert_eq!(r.bin.value().unwrap().decode().unwrap(), b"hello");
    assert_eq!(Binary::from_bytes(b"hello").as_str(), "aGVsbG8=");
    assert_eq!(
        format!("{:?}", r.bin.value().unwrap()),
        "Binary(8 base64 chars)"
    );

    let r: Row = both(r#"{"json": {"a": [1, 2.5, "x", true]}}"#).unwrap();
    assert_eq!(
        r.json.value().unwrap().to_json(),
        serde_json::json!({"a": [1, 2.5, "x", true]})
    );
}

#[test]
fn id_is_copy_ord_hash_debug_for_any_marker() {
    enum Marker {}
    let a: Id<Marker> = Id::new(1);
    let b = a;
    assert!(a < Id::new(2));
    assert_eq!(format!("{a:?}"), "Id(1)");
    let mut set = std::collections::HashSet::new();
    set.insert(a);
    set.insert(b);
    assert_eq!(set.len(), 1);
    assert_eq!(serde_json::to_string(&a).unwrap(), "1");
    assert_eq!(
        serde_json::from_str::<Id<Marker>>("12.0").unwrap(),
        Id::new(12)
    );
    assert!(serde_json::from_str::<Id<Marker>>("1.5").is_err());
}

#[test]
fn value_round_trips_through_serde_json() {
    let json = serde_json::json!({"a": null, "b": [1, -2, 3.5, "s", false], "c": {"d": {}}});
    let v: Value = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(
        v.get("b").unwrap().as_array().unwrap()[2],
        Value::Double(3.5)
    );
    assert_eq!(serde_json::to_value(&v).unwrap(), json);
    assert_eq!(v.to_json(), json);
}
