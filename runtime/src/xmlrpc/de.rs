//! Streaming serde `Deserializer` for XML-RPC responses, over quick-xml's borrowing slice reader.
//!
//! No tree is built: `deserialize_*` calls pull events and hand scalars straight to the visitor,
//! borrowing strings from the body when no entity or `\r` needs rewriting.

use std::borrow::Cow;
use std::fmt::Write as _;

use quick_xml::events::{BytesRef, BytesText, Event};
use quick_xml::reader::Reader;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;

use crate::error::DecodeError;
use crate::value::{DATETIME_KEY, VALUE_TOKEN};

/// Boxed so that the `Result`s passed around for every event stay small.
pub(crate) type Error = Box<DecodeError>;
type Result<T, E = Error> = std::result::Result<T, E>;

impl de::Error for Box<DecodeError> {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Box::new(DecodeError::new(msg.to_string()))
    }
}

/// Deepest nesting of arrays/structs accepted; deeper input is an error (not a stack overflow).
pub const MAX_DEPTH: usize = 256;

/// One step of the path to the value being decoded.
enum Seg<'de> {
    Index(usize),
    Key(Cow<'de, str>),
}

/// Where the deserializer's events come from: quick-xml's `Reader` (every form of XML), or
/// [`CanonicalEvents`](super::fast::CanonicalEvents) (the subset servers write, faster).
pub(crate) trait EventSource<'de> {
    /// The next event, as `quick_xml::reader::Reader::read_event` returns it.
    fn read_event(&mut self) -> Result<Event<'de>, String>;
    /// Byte offset just past the last event read.
    fn position(&self) -> u64;
    /// Byte offset where the last error was found.
    fn error_position(&self) -> u64;

    // Shortcuts a source may take for what the deserializer expects most; each one is only an
    // acceleration of reading events, and by default takes none.

    /// Drops whitespace-only text before a tag.
    #[inline(always)]
    fn skip_blank(&mut self) {}
    /// Consumes `<name>` (`Some(false)`) or `<name/>` (`Some(true)`) if it comes next.
    #[inline(always)]
    fn eat_start(&mut self, _name: &'static str) -> Option<bool> {
        None
    }
    /// Consumes `</name>` if it comes next.
    #[inline(always)]
    fn eat_end(&mut self, _name: &'static str) -> bool {
        false
    }
    /// Consumes plain text and the end tag of the innermost element if they come next.
    #[inline(always)]
    fn eat_text(&mut self) -> Option<&'de str> {
        None
    }
    /// Consumes the start tag that comes next, whatever its name: `(name, empty)`.
    #[inline(always)]
    fn eat_any_start(&mut self) -> Option<(&'de str, bool)> {
        None
    }
    /// The content of a text event, line ends normalised.
    #[inline(always)]
    fn text(t: BytesText<'de>) -> Cow<'de, str> {
        t.xml10_content()
    }
}

impl<'de> EventSource<'de> for Reader<&'de [u8]> {
    #[inline(always)]
    fn read_event(&mut self) -> Result<Event<'de>, String> {
        Reader::read_event(self).map_err(|e| e.to_string())
    }
    fn position(&self) -> u64 {
        self.buffer_position()
    }
    fn error_position(&self) -> u64 {
        Reader::error_position(self)
    }
}

/// The event source plus the decoding state shared by every nested deserializer.
pub(crate) struct XmlReader<'de, S> {
    reader: S,
    path: Vec<Seg<'de>>,
    depth: usize,
}

/// What a `<value>` holds, read up to the point where its kind is known.
enum Head<'de> {
    /// Untyped `<value>text</value>` (already consumed through `</value>`).
    Untyped(Cow<'de, str>),
    /// A scalar element whose text was read through its end tag (`</value>` still pending).
    Scalar(Kind, Cow<'de, str>),
    /// `<nil/>` (`</value>` still pending).
    Nil,
    /// Inside `<array>`; `empty` when it was `<array/>`.
    Array { empty: bool },
    /// Inside `<struct>`; `empty` when it was `<struct/>`.
    Struct { empty: bool },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Bool,
    Double,
    String,
    DateTime,
    Base64,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::Int => "int",
            Kind::Bool => "boolean",
            Kind::Double => "double",
            Kind::String => "string",
            Kind::DateTime => "dateTime.iso8601",
            Kind::Base64 => "base64",
        }
    }
}

enum TagKind {
    Scalar(Kind),
    Nil,
    Array,
    Struct,
}

#[inline]
fn tag_kind(name: &str) -> Option<TagKind> {
    // Byte patterns: compared inline, with no `memcmp` call per value.
    Some(match name.as_bytes() {
        b"string" => TagKind::Scalar(Kind::String),
        b"int" | b"i4" | b"i8" | b"i1" | b"i2" | b"biginteger" => TagKind::Scalar(Kind::Int),
        b"boolean" => TagKind::Scalar(Kind::Bool),
        b"double" | b"float" | b"bigdecimal" => TagKind::Scalar(Kind::Double),
        b"dateTime.iso8601" => TagKind::Scalar(Kind::DateTime),
        b"base64" => TagKind::Scalar(Kind::Base64),
        b"nil" => TagKind::Nil,
        b"array" => TagKind::Array,
        b"struct" => TagKind::Struct,
        _ => return None,
    })
}

/// Local part of a (possibly prefixed) element name: `ex:nil` → `nil`.
#[inline]
fn local(name: &str) -> &str {
    // Names are short: a plain loop beats a memrchr call.
    let bytes = name.as_bytes();
    let mut i = bytes.len();
    while i > 0 {
        i -= 1;
        if bytes[i] == b':' {
            return &name[i + 1..];
        }
    }
    name
}

fn describe(ev: &Event<'_>) -> String {
    fn snippet(s: &str) -> String {
        let t = s.trim();
        let cut: String = t.chars().take(60).collect();
        if cut.len() < t.len() {
            format!("{cut}...")
        } else {
            cut
        }
    }
    match ev {
        Event::Start(e) => format!("<{}>", e.name().into_inner()),
        Event::Empty(e) => format!("<{}/>", e.name().into_inner()),
        Event::End(e) => format!("</{}>", e.name().into_inner()),
        Event::Text(t) => format!("text {:?}", snippet(t)),
        Event::CData(t) => format!("CDATA {:?}", snippet(&t.clone().into_inner())),
        Event::GeneralRef(r) => format!("&{};", &**r),
        Event::Comment(_) => "a comment".into(),
        Event::Decl(_) => "an XML declaration".into(),
        Event::PI(_) => "a processing instruction".into(),
        Event::DocType(_) => "a DOCTYPE".into(),
        Event::Eof => "the end of the body (truncated?)".into(),
    }
}

fn append<'de>(acc: &mut Option<Cow<'de, str>>, piece: Cow<'de, str>) {
    match acc {
        None => *acc = Some(piece),
        Some(cur) => cur.to_mut().push_str(&piece),
    }
}

fn resolve_ref(r: &BytesRef<'_>) -> Result<char, String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Ok(c),
        Ok(None) => match quick_xml::escape::resolve_predefined_entity(r) {
            Some(s) => s
                .chars()
                .next()
                .ok_or_else(|| format!("empty entity &{};", &**r)),
            None => Err(format!("unknown entity &{};", &**r)),
        },
        Err(e) => Err(format!("invalid character reference &{};: {e}", &**r)),
    }
}

fn is_ws(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

impl<'de, S: EventSource<'de>> XmlReader<'de, S> {
    pub(crate) fn new(reader: S) -> Self {
        XmlReader {
            reader,
            path: Vec::new(),
            depth: 0,
        }
    }

    /// Byte offset of the reader (just past the last event read).
    pub(crate) fn position(&self) -> u64 {
        self.reader.position()
    }

    /// Path of the value being decoded, e.g. `[3].partner_id[1]`.
    pub(crate) fn path_string(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Seg::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
            }
        }
        out
    }

    #[cold]
    pub(crate) fn err(&self, message: impl Into<String>) -> Error {
        Box::new(DecodeError {
            message: message.into(),
            path: String::new(),
            offset: Some(self.position()),
            call: None,
        })
    }

    /// Next event, comments and processing instructions skipped.
    fn next(&mut self) -> Result<Event<'de>> {
        loop {
            match self.reader.read_event() {
                Ok(Event::Comment(_) | Event::PI(_)) => continue,
                Ok(ev) => return Ok(ev),
                Err(e) => {
                    return Err(Box::new(DecodeError {
                        message: format!("malformed XML: {e}"),
                        path: String::new(),
                        offset: Some(self.reader.error_position()),
                        call: None,
                    }));
                }
            }
        }
    }

    /// Next event that is not whitespace-only text (nor a comment).
    fn next_tag(&mut self) -> Result<Event<'de>> {
        self.reader.skip_blank();
        loop {
            match self.next()? {
                Event::Text(t) if is_ws(&t) => continue,
                ev => return Ok(ev),
            }
        }
    }

    fn expect_start(&mut self, name: &'static str, context: &str) -> Result<bool> {
        if let Some(empty) = self.reader.eat_start(name) {
            return Ok(empty);
        }
        match self.next_tag()? {
            Event::Start(e) if local(e.name().into_inner()) == name => Ok(false),
            Event::Empty(e) if local(e.name().into_inner()) == name => Ok(true),
            ev => Err(self.err(format!(
                "expected <{name}> {context}, found {}",
                describe(&ev)
            ))),
        }
    }

    fn expect_end(&mut self, name: &'static str) -> Result<()> {
        if self.reader.eat_end(name) {
            return Ok(());
        }
        match self.next_tag()? {
            Event::End(e) if local(e.name().into_inner()) == name => Ok(()),
            ev => Err(self.err(format!("expected </{name}>, found {}", describe(&ev)))),
        }
    }

    /// Text content up to the end tag of the current element (`what` names it in errors).
    fn read_text(&mut self, what: &str) -> Result<Cow<'de, str>> {
        if let Some(text) = self.reader.eat_text() {
            return Ok(Cow::Borrowed(text));
        }
        let mut acc: Option<Cow<'de, str>> = None;
        loop {
            match self.next()? {
                Event::Text(t) => append(&mut acc, S::text(t)),
                Event::CData(t) => append(&mut acc, t.into_inner()),
                Event::GeneralRef(r) => {
                    let c = resolve_ref(&r).map_err(|m| self.err(m))?;
                    acc.get_or_insert_with(|| Cow::Owned(String::new()))
                        .to_mut()
                        .push(c);
                }
                Event::End(_) => return Ok(acc.unwrap_or(Cow::Borrowed(""))),
                ev => return Err(self.err(format!("unexpected {} inside <{what}>", describe(&ev)))),
            }
        }
    }

    /// Reads the inside of a `<value>` (its start tag consumed) up to the point its kind is known.
    fn head(&mut self) -> Result<Head<'de>> {
        if let Some((name, empty)) = self.reader.eat_any_start() {
            return if empty {
                self.head_empty(name)
            } else {
                self.head_start(name)
            };
        }
        let mut acc: Option<Cow<'de, str>> = None;
        loop {
            match self.next()? {
                Event::Text(t) => append(&mut acc, S::text(t)),
                Event::CData(t) => append(&mut acc, t.into_inner()),
                Event::GeneralRef(r) => {
                    let c = resolve_ref(&r).map_err(|m| self.err(m))?;
                    acc.get_or_insert_with(|| Cow::Owned(String::new()))
                        .to_mut()
                        .push(c);
                }
                Event::End(e) => {
                    let name = e.name().into_inner();
                    return if local(name) == "value" {
                        Ok(Head::Untyped(acc.unwrap_or(Cow::Borrowed(""))))
                    } else {
                        Err(self.err(format!("unexpected </{name}> inside <value>")))
                    };
                }
                Event::Start(e) => return self.head_start(e.name().into_inner()),
                Event::Empty(e) => return self.head_empty(e.name().into_inner()),
                ev => return Err(self.err(format!("unexpected {} inside <value>", describe(&ev)))),
            }
        }
    }

    /// The head of a `<value>` whose first child is the start tag `<name>`.
    #[inline(always)]
    fn head_start(&mut self, name: &str) -> Result<Head<'de>> {
        match tag_kind(local(name)) {
            Some(TagKind::Scalar(kind)) => Ok(Head::Scalar(kind, self.read_text(kind.tag())?)),
            Some(TagKind::Nil) => {
                self.read_text("nil")?;
                Ok(Head::Nil)
            }
            Some(TagKind::Array) => Ok(Head::Array { empty: false }),
            Some(TagKind::Struct) => Ok(Head::Struct { empty: false }),
            None => Err(self.err(format!("unknown tag <{name}> inside <value>"))),
        }
    }

    /// The head of a `<value>` whose first child is the empty element `<name/>`.
    fn head_empty(&mut self, name: &str) -> Result<Head<'de>> {
        match tag_kind(local(name)) {
            Some(TagKind::Scalar(kind)) => Ok(Head::Scalar(kind, Cow::Borrowed(""))),
            Some(TagKind::Nil) => Ok(Head::Nil),
            Some(TagKind::Array) => Ok(Head::Array { empty: true }),
            Some(TagKind::Struct) => Ok(Head::Struct { empty: true }),
            None => Err(self.err(format!("unknown tag <{name}/> inside <value>"))),
        }
    }

    /// After a typed element: skips text up to `</value>` (Python ignores it too).
    fn finish_value(&mut self) -> Result<()> {
        if self.reader.eat_end("value") {
            return Ok(());
        }
        loop {
            match self.next()? {
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => continue,
                Event::End(e) if local(e.name().into_inner()) == "value" => return Ok(()),
                ev => return Err(self.err(format!("expected </value>, found {}", describe(&ev)))),
            }
        }
    }

    /// Skips the rest of a `<value>` (its start tag consumed) without interpreting it.
    fn skip_value(&mut self) -> Result<()> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return Ok(()),
                Event::End(_) => depth -= 1,
                Event::Eof => {
                    return Err(self.err("unexpected end of the body inside <value> (truncated?)"));
                }
                _ => {}
            }
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(format!(
                "arrays/structs nested deeper than {MAX_DEPTH} levels"
            )));
        }
        Ok(())
    }

    /// Deserializes a `methodResponse`: the single `<param>` value into `T`, or a fault as a
    /// dynamic value.
    pub(crate) fn response<T: de::Deserialize<'de>>(&mut self) -> Result<super::Response<T>> {
        // Prolog: declaration, doctype-free.
        let root = loop {
            match self.next_tag()? {
                Event::Decl(_) => continue,
                ev => break ev,
            }
        };
        match &root {
            Event::Start(e) if local(e.name().into_inner()) == "methodResponse" => {}
            ev => {
                return Err(self.err(format!(
                    "expected <methodResponse>, found {} (the body is not an XML-RPC response)",
                    describe(ev)
                )));
            }
        }
        let out = match self.next_tag()? {
            Event::Start(e) if local(e.name().into_inner()) == "params" => {
                if self.expect_start("param", "(the response holds no value)")? {
                    return Err(self.err("empty <param/>: the response holds no value"));
                }
                let empty = self.expect_start("value", "inside <param>")?;
                let value = T::deserialize(ValueDe::new(self, empty))?;
                self.expect_end("param")?;
                match self.next_tag()? {
                    Event::End(e) if local(e.name().into_inner()) == "params" => {}
                    Event::Start(e) if local(e.name().into_inner()) == "param" => {
                        return Err(self.err("the response holds more than one <param>"));
                    }
                    ev => {
                        return Err(
                            self.err(format!("expected </params>, found {}", describe(&ev)))
                        );
                    }
                }
                super::Response::Success(value)
            }
            Event::Start(e) if local(e.name().into_inner()) == "fault" => {
                let empty = self.expect_start("value", "inside <fault>")?;
                let value =
                    <crate::Value as de::Deserialize>::deserialize(ValueDe::new(self, empty))?;
                self.expect_end("fault")?;
                super::Response::Fault(super::Fault::from_value(&value).map_err(|m| self.err(m))?)
            }
            Event::Empty(e) if local(e.name().into_inner()) == "params" => {
                return Err(self.err("empty <params/>: the response holds no value"));
            }
            ev => {
                return Err(self.err(format!(
                    "expected <params> or <fault>, found {}",
                    describe(&ev)
                )));
            }
        };
        self.expect_end("methodResponse")?;
        match self.next_tag()? {
            Event::Eof => Ok(out),
            ev => Err(self.err(format!(
                "unexpected {} after </methodResponse>",
                describe(&ev)
            ))),
        }
    }

    /// Deserializes a `methodCall` into its method name and parameters (a sequence).
    pub(crate) fn call<P: de::Deserialize<'de>>(&mut self) -> Result<(Cow<'de, str>, P)> {
        let root = loop {
            match self.next_tag()? {
                Event::Decl(_) => continue,
                ev => break ev,
            }
        };
        match &root {
            Event::Start(e) if local(e.name().into_inner()) == "methodCall" => {}
            ev => return Err(self.err(format!("expected <methodCall>, found {}", describe(ev)))),
        }
        if self.expect_start("methodName", "in <methodCall>")? {
            return Err(self.err("empty <methodName/>"));
        }
        let method = self.read_text("methodName")?;
        let (empty, closes_call) = match self.next_tag()? {
            Event::Start(e) if local(e.name().into_inner()) == "params" => (false, true),
            Event::Empty(e) if local(e.name().into_inner()) == "params" => (true, true),
            // No <params> at all: `</methodCall>` was just consumed.
            Event::End(e) if local(e.name().into_inner()) == "methodCall" => (true, false),
            ev => return Err(self.err(format!("expected <params>, found {}", describe(&ev)))),
        };
        let mut access = ParamsAccess {
            r: self,
            done: empty,
            index: 0,
        };
        let params = P::deserialize(ParamsDe {
            access: &mut access,
        })?;
        // A fixed-size target (a tuple) stops reading early: nothing may remain.
        if access.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(self.err("the call has more parameters than expected"));
        }
        if closes_call {
            self.expect_end("methodCall")?;
        }
        match self.next_tag()? {
            Event::Eof => Ok((method, params)),
            ev => Err(self.err(format!("unexpected {} after </methodCall>", describe(&ev)))),
        }
    }
}

/// `<params>` of a method call, as a sequence of values.
struct ParamsDe<'s, 'a, 'de, S> {
    access: &'s mut ParamsAccess<'a, 'de, S>,
}

impl<'de, S: EventSource<'de>> Deserializer<'de> for ParamsDe<'_, '_, 'de, S> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_seq(self.access)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct ParamsAccess<'a, 'de, S> {
    r: &'a mut XmlReader<'de, S>,
    done: bool,
    index: usize,
}

impl<'de, S: EventSource<'de>> SeqAccess<'de> for ParamsAccess<'_, 'de, S> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.done {
            return Ok(None);
        }
        match self.r.next_tag()? {
            Event::End(e) if local(e.name().into_inner()) == "params" => {
                self.done = true;
                Ok(None)
            }
            Event::Start(e) if local(e.name().into_inner()) == "param" => {
                let empty = self.r.expect_start("value", "inside <param>")?;
                self.r.path.push(Seg::Index(self.index));
                let v = seed.deserialize(ValueDe::new(self.r, empty))?;
                self.r.path.pop();
                self.r.expect_end("param")?;
                self.index += 1;
                Ok(Some(v))
            }
            ev => Err(self.r.err(format!(
                "expected <param> or </params>, found {}",
                describe(&ev)
            ))),
        }
    }
}

/// Deserializer for one `<value>` whose start tag was consumed (`empty` for `<value/>`).
pub(crate) struct ValueDe<'a, 'de, S> {
    r: &'a mut XmlReader<'de, S>,
    empty: bool,
    value_mode: bool,
    head: Option<Head<'de>>,
}

impl<'a, 'de, S: EventSource<'de>> ValueDe<'a, 'de, S> {
    fn new(r: &'a mut XmlReader<'de, S>, empty: bool) -> Self {
        ValueDe {
            r,
            empty,
            value_mode: false,
            head: None,
        }
    }

    fn take_head(&mut self) -> Result<Head<'de>> {
        if let Some(h) = self.head.take() {
            return Ok(h);
        }
        if self.empty {
            self.empty = false;
            return Ok(Head::Untyped(Cow::Borrowed("")));
        }
        self.r.head()
    }

    fn parse_int(&self, text: &str) -> Result<i64> {
        let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
        t.parse::<i64>().map_err(|e| {
            use std::num::IntErrorKind::*;
            match e.kind() {
                PosOverflow | NegOverflow => self
                    .r
                    .err(format!("<int> {t:?} is out of the 64-bit range")),
                _ => self.r.err(format!("<int> {t:?} is not an integer")),
            }
        })
    }

    fn parse_double(&self, text: &str) -> Result<f64> {
        let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
        t.parse::<f64>()
            .map_err(|_| self.r.err(format!("<double> {t:?} is not a number")))
    }

    fn parse_bool(&self, text: &str) -> Result<bool> {
        match text {
            "1" => Ok(true),
            "0" => Ok(false),
            _ => Err(self
                .r
                .err(format!("<boolean> must be 0 or 1, found {text:?}"))),
        }
    }

    fn visit_text<V: Visitor<'de>>(visitor: V, text: Cow<'de, str>) -> Result<V::Value> {
        match text {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    /// Gives the head to the visitor. `as_str`: the caller asked for a string, so dateTime and
    /// base64 are handed over as their text.
    fn dispatch<V: Visitor<'de>>(mut self, visitor: V, as_str: bool) -> Result<V::Value> {
        // Each kind is handled in its own function so that the frames on the recursion path
        // (arrays, structs) stay small, even in debug builds.
        match self.take_head()? {
            Head::Untyped(s) => Self::visit_text(visitor, s),
            Head::Scalar(kind, text) => {
                let v = self.scalar(kind, text, visitor, as_str)?;
                self.r.finish_value()?;
                Ok(v)
            }
            Head::Nil => {
                let v = visitor.visit_unit::<Error>()?;
                self.r.finish_value()?;
                Ok(v)
            }
            Head::Array { empty } => array(self.r, empty, visitor),
            Head::Struct { empty } => structure(self.r, empty, visitor),
        }
    }

    fn scalar<V: Visitor<'de>>(
        &self,
        kind: Kind,
        text: Cow<'de, str>,
        visitor: V,
        as_str: bool,
    ) -> Result<V::Value> {
        match kind {
            Kind::String => Self::visit_text(visitor, text),
            Kind::Int => visitor.visit_i64(self.parse_int(&text)?),
            Kind::Bool => visitor.visit_bool(self.parse_bool(&text)?),
            Kind::Double => visitor.visit_f64(self.parse_double(&text)?),
            Kind::DateTime if self.value_mode && !as_str => {
                let t = text
                    .trim_matches(|c: char| c.is_ascii_whitespace())
                    .to_owned();
                visitor.visit_map(DateTimeAccess { text: Some(t) })
            }
            Kind::DateTime => {
                let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
                if t.len() == text.len() {
                    Self::visit_text(visitor, text)
                } else {
                    visitor.visit_str(t)
                }
            }
            Kind::Base64 if as_str => {
                let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
                visitor.visit_string(compact)
            }
            Kind::Base64 => {
                let bytes = crate::types::decode_base64(&text)
                    .map_err(|e| self.r.err(format!("invalid <base64>: {e}")))?;
                visitor.visit_byte_buf(bytes)
            }
        }
    }
}

fn array<'de, S: EventSource<'de>, V: Visitor<'de>>(
    r: &mut XmlReader<'de, S>,
    empty: bool,
    visitor: V,
) -> Result<V::Value> {
    r.enter()?;
    let mut access = ArrayAccess {
        r,
        done: empty,
        closed: empty,
        index: 0,
    };
    let v = visitor.visit_seq(&mut access)?;
    access.end()?;
    Ok(v)
}

fn structure<'de, S: EventSource<'de>, V: Visitor<'de>>(
    r: &mut XmlReader<'de, S>,
    empty: bool,
    visitor: V,
) -> Result<V::Value> {
    r.enter()?;
    let mut access = StructAccess { r, done: empty };
    let v = visitor.visit_map(&mut access)?;
    access.end()?;
    Ok(v)
}

impl<'de, S: EventSource<'de>> Deserializer<'de> for ValueDe<'_, 'de, S> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.dispatch(visitor, false)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.dispatch(visitor, true)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.dispatch(visitor, true)
    }

    fn deserialize_option<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        match self.take_head()? {
            Head::Nil => {
                let v = visitor.visit_none::<Error>()?;
                self.r.finish_value()?;
                Ok(v)
            }
            head => {
                self.head = Some(head);
                visitor.visit_some(self)
            }
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        mut self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        if name == VALUE_TOKEN {
            self.value_mode = true;
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        match self.head.take() {
            Some(head) => {
                self.head = Some(head);
                self.dispatch(de::IgnoredAny, false)?;
            }
            None if self.empty => {}
            None => self.r.skip_value()?,
        }
        visitor.visit_unit()
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // Unit variants arrive as strings, the others as a one-member struct `{variant: value}`
        // (the forms the serializer writes).
        match self.take_head()? {
            Head::Untyped(s) => visitor.visit_enum(CowStrDe(s)),
            Head::Scalar(Kind::String, s) => {
                let v = visitor.visit_enum(CowStrDe(s))?;
                self.r.finish_value()?;
                Ok(v)
            }
            Head::Struct { empty: false } => {
                self.r.enter()?;
                let mut access = StructAccess {
                    r: self.r,
                    done: false,
                };
                let Some(variant) = access.next_name()? else {
                    return Err(access
                        .r
                        .err("expected an enum variant, found an empty struct"));
                };
                access.r.path.push(Seg::Key(variant.clone()));
                let v = visitor.visit_enum(StructEnum {
                    access: &mut access,
                    variant,
                })?;
                access.r.path.pop();
                access.end()?;
                Ok(v)
            }
            head => {
                self.head = Some(head);
                self.dispatch(EnumAsOther(visitor), false)
            }
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier
    }
}

/// An enum variant with data: the member of a one-member struct.
struct StructEnum<'s, 'a, 'de, S> {
    access: &'s mut StructAccess<'a, 'de, S>,
    variant: Cow<'de, str>,
}

impl<'s, 'a, 'de, S: EventSource<'de>> de::EnumAccess<'de> for StructEnum<'s, 'a, 'de, S> {
    type Error = Error;
    type Variant = StructVariant<'s, 'a, 'de, S>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self::Variant)> {
        let v = seed.deserialize(CowStrDe(self.variant))?;
        Ok((
            v,
            StructVariant {
                access: self.access,
            },
        ))
    }
}

struct StructVariant<'s, 'a, 'de, S> {
    access: &'s mut StructAccess<'a, 'de, S>,
}

impl<'de, S: EventSource<'de>> StructVariant<'_, '_, 'de, S> {
    fn with_value<T>(self, f: impl FnOnce(ValueDe<'_, 'de, S>) -> Result<T>) -> Result<T> {
        let r = &mut *self.access.r;
        let empty = r.expect_start("value", "in <member>")?;
        let v = f(ValueDe::new(r, empty))?;
        r.expect_end("member")?;
        Ok(v)
    }
}

impl<'de, S: EventSource<'de>> de::VariantAccess<'de> for StructVariant<'_, '_, 'de, S> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        self.with_value(|d| de::Deserialize::deserialize(d).map(|_: de::IgnoredAny| ()))
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.with_value(|d| seed.deserialize(d))
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.with_value(|d| d.deserialize_seq(visitor))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.with_value(|d| d.deserialize_map(visitor))
    }
}

/// Reports a non-string value where an enum was expected.
struct EnumAsOther<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for EnumAsOther<V> {
    type Value = V::Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.expecting(f)
    }
}

/// A string (key or unit variant) that may borrow from the body.
struct CowStrDe<'de>(Cow<'de, str>);

impl<'de> Deserializer<'de> for CowStrDe<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de> de::EnumAccess<'de> for CowStrDe<'de> {
    type Error = Error;
    type Variant = UnitOnly;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, UnitOnly)> {
        Ok((seed.deserialize(self)?, UnitOnly))
    }
}

struct UnitOnly;

impl<'de> de::VariantAccess<'de> for UnitOnly {
    type Error = Error;
    fn unit_variant(self) -> Result<()> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value> {
        Err(de::Error::custom(
            "expected a unit variant (a string), found a newtype variant",
        ))
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(de::Error::custom(
            "expected a unit variant (a string), found a tuple variant",
        ))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(de::Error::custom(
            "expected a unit variant (a string), found a struct variant",
        ))
    }
}

struct DateTimeAccess {
    text: Option<String>,
}

impl<'de> MapAccess<'de> for DateTimeAccess {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.text.is_none() {
            return Ok(None);
        }
        seed.deserialize(CowStrDe(Cow::Borrowed(DATETIME_KEY)))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let text = self.text.take().unwrap_or_default();
        seed.deserialize(CowStrDe(Cow::Owned(text)))
    }
}

struct ArrayAccess<'a, 'de, S> {
    r: &'a mut XmlReader<'de, S>,
    /// No more elements.
    done: bool,
    /// `</array>` was consumed.
    closed: bool,
    index: usize,
}

impl<'de, S: EventSource<'de>> ArrayAccess<'_, 'de, S> {
    /// Moves to the next element: `Some(empty)` after its `<value>` (or `<value/>`), `None` at the end.
    fn next_item(&mut self) -> Result<Option<bool>> {
        if self.done {
            return Ok(None);
        }
        if self.index > 0
            && let Some(empty) = self.r.reader.eat_start("value")
        {
            return Ok(Some(empty));
        }
        loop {
            let ev = self.r.next_tag()?;
            let (name, start) = match &ev {
                Event::Start(e) => (local(e.name().into_inner()), true),
                Event::Empty(e) => (local(e.name().into_inner()), false),
                Event::End(e) => {
                    match local(e.name().into_inner()) {
                        "data" => {}
                        // `<array>` without `<data>` (Python accepts it too).
                        "array" => self.closed = true,
                        _ => {
                            return Err(self
                                .r
                                .err(format!("unexpected {} in <array>", describe(&ev))));
                        }
                    }
                    self.done = true;
                    return Ok(None);
                }
                _ => {
                    return Err(self.r.err(format!(
                        "expected <value> in <array>, found {}",
                        describe(&ev)
                    )));
                }
            };
            match name {
                "value" => return Ok(Some(!start)),
                "data" if self.index == 0 && start => continue,
                "data" if self.index == 0 => {
                    self.done = true;
                    return Ok(None);
                }
                _ => {
                    return Err(self.r.err(format!(
                        "expected <value> in <array>, found {}",
                        describe(&ev)
                    )));
                }
            }
        }
    }

    /// After the visitor: no element may remain; consumes `</array>` and `</value>`.
    fn end(&mut self) -> Result<()> {
        if self.next_item()?.is_some() {
            return Err(self.r.err("the array has more elements than expected"));
        }
        if !self.closed {
            self.r.expect_end("array")?;
        }
        self.r.depth -= 1;
        self.r.finish_value()
    }
}

impl<'de, S: EventSource<'de>> SeqAccess<'de> for ArrayAccess<'_, 'de, S> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let Some(empty) = self.next_item()? else {
            return Ok(None);
        };
        self.r.path.push(Seg::Index(self.index));
        let v = seed.deserialize(ValueDe::new(self.r, empty))?;
        self.r.path.pop();
        self.index += 1;
        Ok(Some(v))
    }
}

struct StructAccess<'a, 'de, S> {
    r: &'a mut XmlReader<'de, S>,
    done: bool,
}

impl<'de, S: EventSource<'de>> StructAccess<'_, 'de, S> {
    /// Moves to the next member: its name, or `None` at `</struct>`.
    fn next_name(&mut self) -> Result<Option<Cow<'de, str>>> {
        if self.done {
            return Ok(None);
        }
        match self.r.reader.eat_start("member") {
            Some(false) => return self.member_name().map(Some),
            Some(true) => {
                return Err(self.r.err("expected <member> in <struct>, found <member/>"));
            }
            None => {}
        }
        match self.r.next_tag()? {
            Event::Start(e) if local(e.name().into_inner()) == "member" => {}
            Event::End(e) if local(e.name().into_inner()) == "struct" => {
                self.done = true;
                return Ok(None);
            }
            ev => {
                return Err(self.r.err(format!(
                    "expected <member> in <struct>, found {}",
                    describe(&ev)
                )));
            }
        }
        self.member_name().map(Some)
    }

    /// `<name>...</name>` of a member whose start tag was consumed.
    fn member_name(&mut self) -> Result<Cow<'de, str>> {
        if self.r.expect_start("name", "in <member>")? {
            Ok(Cow::Borrowed(""))
        } else {
            self.r.read_text("name")
        }
    }

    /// After the visitor: no member may remain; consumes `</value>`.
    fn end(&mut self) -> Result<()> {
        if self.next_name()?.is_some() {
            return Err(self.r.err("the struct has more members than expected"));
        }
        self.r.depth -= 1;
        self.r.finish_value()
    }
}

impl<'de, S: EventSource<'de>> MapAccess<'de> for StructAccess<'_, 'de, S> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some(key) = self.next_name()? else {
            return Ok(None);
        };
        self.r.path.push(Seg::Key(key.clone()));
        seed.deserialize(CowStrDe(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let empty = self.r.expect_start("value", "in <member>")?;
        let v = seed.deserialize(ValueDe::new(self.r, empty))?;
        self.r.expect_end("member")?;
        self.r.path.pop();
        Ok(v)
    }
}
