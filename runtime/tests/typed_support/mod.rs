//! Shared by the `typed_*` tests: hand-written "as-generated" models, a recording executor that
//! answers with recorded responses, and a reader of recorded XML-RPC requests.

#![allow(dead_code)]

pub mod models;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::path::PathBuf;

use odoo_runtime::query::{Call, Executor};
use odoo_runtime::xmlrpc::{Response, decode_response};
use odoo_runtime::{Error, Result};
use serde::de::DeserializeOwned;
use serde_json::{Value as Json, json};

/// `testdata/odoo-18.0/xmlrpc/<name>.<ext>`.
pub fn recording(name: &str, ext: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/odoo-18.0/xmlrpc")
        .join(format!("{name}.{ext}"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An executor that records every call and answers with the recorded response of the next
/// recording in its queue, decoded by the XML-RPC codec into the type the typed API asks for.
#[derive(Default)]
pub struct Replay {
    queue: RefCell<VecDeque<&'static str>>,
    pub calls: RefCell<Vec<Call>>,
}

impl Replay {
    pub fn new(recordings: &[&'static str]) -> Self {
        Replay {
            queue: RefCell::new(recordings.iter().copied().collect()),
            calls: RefCell::default(),
        }
    }
}

impl Executor for Replay {
    async fn execute<R: DeserializeOwned>(&self, call: Call) -> Result<R> {
        let name = self
            .queue
            .borrow_mut()
            .pop_front()
            .expect("no recording left for this call");
        // The typed call must be exactly the recorded request.
        // Compared as text so that struct member order counts too.
        assert_eq!(
            call_json(&call).to_string(),
            recorded_call(name).to_string(),
            "{name}: the typed call differs from the recording"
        );
        self.calls.borrow_mut().push(call);
        let body = recording(name, "response.xml");
        match decode_response::<R>(&body)? {
            Response::Success(v) => Ok(v),
            Response::Fault(f) => Err(Error::Encode(format!("fault {}: {}", f.code, f.message))),
        }
    }
}

/// `[model, method, args, kwargs?]` of a typed call, as JSON (kwargs left out when empty, as sent).
pub fn call_json(call: &Call) -> Json {
    let mut v = vec![
        json!(call.model),
        json!(call.method),
        serde_json::to_value(&call.args).unwrap(),
    ];
    if !call.kwargs.is_empty() {
        v.push(serde_json::to_value(call.kwargs_term()).unwrap());
    }
    Json::Array(v)
}

/// `[model, method, args, kwargs?]` of a recorded `execute_kw` request (db, uid and password dropped).
pub fn recorded_call(name: &str) -> Json {
    let text = String::from_utf8(recording(name, "request.xml")).unwrap();
    let (method, params) = parse_method_call(&text);
    assert_eq!(method, "execute_kw", "{name}");
    Json::Array(params[3..].to_vec())
}

/// A minimal reader of XML-RPC `methodCall` bodies, independent of the runtime's codec.
pub fn parse_method_call(text: &str) -> (String, Vec<Json>) {
    let mut toks = Tokens::new(text);
    toks.expect_open("methodCall");
    toks.expect_open("methodName");
    let method = toks.text();
    toks.expect_close("methodName");
    let mut params = Vec::new();
    if toks.open_or_empty("params") {
        while toks.peek_open("param") {
            toks.expect_open("param");
            params.push(toks.value());
            toks.expect_close("param");
        }
        toks.expect_close("params");
    }
    (method, params)
}

enum Tok {
    Open(String),
    Close(String),
    Empty(String),
    Text(String),
}

struct Tokens {
    toks: Vec<Tok>,
    pos: usize,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

impl Tokens {
    fn new(text: &str) -> Self {
        let mut toks = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find('<') {
            let before = &rest[..start];
            if !before.trim().is_empty() {
                toks.push(Tok::Text(unescape(before)));
            }
            let end = rest[start..].find('>').unwrap() + start;
            let tag = &rest[start + 1..end];
            if tag.starts_with('?') {
            } else if let Some(name) = tag.strip_prefix('/') {
                toks.push(Tok::Close(name.to_owned()));
            } else if let Some(name) = tag.strip_suffix('/') {
                toks.push(Tok::Empty(name.to_owned()));
            } else {
                toks.push(Tok::Open(tag.to_owned()));
            }
            rest = &rest[end + 1..];
        }
        Tokens { toks, pos: 0 }
    }
    fn next(&mut self) -> &Tok {
        self.pos += 1;
        &self.toks[self.pos - 1]
    }
    fn expect_open(&mut self, name: &str) {
        match self.next() {
            Tok::Open(n) if n == name => {}
            _ => panic!("expected <{name}>"),
        }
    }
    fn expect_close(&mut self, name: &str) {
        match self.next() {
            Tok::Close(n) if n == name => {}
            _ => panic!("expected </{name}>"),
        }
    }
    fn open_or_empty(&mut self, name: &str) -> bool {
        match self.next() {
            Tok::Open(n) if n == name => true,
            Tok::Empty(n) if n == name => false,
            _ => panic!("expected <{name}>"),
        }
    }
    fn peek_open(&self, name: &str) -> bool {
        matches!(&self.toks[self.pos], Tok::Open(n) if n == name)
    }
    fn peek_close(&self) -> bool {
        matches!(&self.toks[self.pos], Tok::Close(_))
    }
    fn text(&mut self) -> String {
        if let Tok::Text(t) = &self.toks[self.pos] {
            let t = t.clone();
            self.pos += 1;
            t
        } else {
            String::new()
        }
    }
    fn value(&mut self) -> Json {
        self.expect_open("value");
        if let Tok::Text(_) = &self.toks[self.pos] {
            let t = self.text();
            self.expect_close("value");
            return Json::String(t);
        }
        let v = match self.next() {
            Tok::Close(n) if n == "value" => return Json::String(String::new()),
            Tok::Empty(n) if n == "nil" => Json::Null,
            Tok::Empty(n) if n == "string" => Json::String(String::new()),
            Tok::Open(tag) => {
                let tag = tag.clone();
                let v = match tag.as_str() {
                    "int" | "i4" | "i8" => json!(self.text().trim().parse::<i64>().unwrap()),
                    "boolean" => json!(self.text().trim() == "1"),
                    "double" => json!(self.text().trim().parse::<f64>().unwrap()),
                    "string" => json!(self.text()),
                    "array" => {
                        let mut items = Vec::new();
                        if self.open_or_empty("data") {
                            while !self.peek_close() {
                                items.push(self.value());
                            }
                            self.expect_close("data");
                        }
                        Json::Array(items)
                    }
                    "struct" => {
                        let mut map = serde_json::Map::new();
                        while self.peek_open("member") {
                            self.expect_open("member");
                            self.expect_open("name");
                            let k = self.text();
                            self.expect_close("name");
                            let v = self.value();
                            self.expect_close("member");
                            map.insert(k, v);
                        }
                        Json::Object(map)
                    }
                    other => panic!("unsupported tag {other}"),
                };
                self.expect_close(&tag);
                v
            }
            _ => panic!("bad value"),
        };
        self.expect_close("value");
        v
    }
}

/// A successful XML-RPC answer holding `value`, as Odoo writes it.
pub fn xml_reply(value: &Json) -> odoo_replay::Reply {
    let inner = odoo_runtime::xmlrpc::encode_value(value).unwrap();
    odoo_replay::Reply::xml(format!(
        "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value>{inner}</value>\n</param>\n</params>\n</methodResponse>\n"
    ))
}

/// A client of `server` over `transport`: the API key for JSON-2, uid 2 (no login exchange) and
/// the password otherwise; database `odoo19`.
pub fn connect(
    server: &odoo_replay::ReplayServer,
    transport: odoo_runtime::client::Transport,
    key: &str,
    password: &str,
) -> odoo_runtime::client::Client {
    let builder = odoo_runtime::client::Client::builder()
        .url(server.url())
        .database("odoo19")
        .transport(transport);
    match transport {
        odoo_runtime::client::Transport::Json2 => builder.api_key(key),
        _ => builder.uid(2).login("admin").password(password),
    }
    .build()
    .unwrap()
}
