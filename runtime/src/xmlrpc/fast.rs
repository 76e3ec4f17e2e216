//! A quick-xml event source for the canonical subset of XML that XML-RPC servers write.
//!
//! Odoo answers through Python's `xmlrpc.client` marshaller, whose output uses a small part of
//! XML: one declaration, elements without attributes, text with the predefined entities and
//! character references. [`CanonicalEvents`] tokenizes exactly that subset and hands the
//! deserializer the same quick-xml [`Event`]s that [`quick_xml::reader::Reader`] produces for
//! those bytes (same names, same text pieces split at references). It also takes the
//! [`EventSource`] shortcuts (`eat_start("value")`, `eat_text()`...) that consume what the
//! deserializer expects in one step. A typed decode over it runs about a third of the instructions
//! of a bare quick-xml event loop over the same bytes.
//!
//! Anything outside the subset (attributes, comments, CDATA, a DOCTYPE, a processing instruction
//! after the start, `\r`, a non-ASCII name, a mismatched end tag, a malformed reference) stops it
//! with [`Unsupported`]. The caller then decodes the whole body again with quick-xml's `Reader`,
//! which accepts every form and produces the error messages: the canonical path is an
//! accelerator, never a second grammar. `tests/xmlrpc_fast_path.rs` checks that the two agree.

use quick_xml::events::{BytesDecl, BytesEnd, BytesRef, BytesStart, BytesText, Event};

use super::de::EventSource;

/// The body left the canonical subset at this byte offset (the full reader takes over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unsupported(pub(crate) usize);

/// Tokenizer of canonical XML-RPC bodies into quick-xml events.
pub(crate) struct CanonicalEvents<'de> {
    text: &'de str,
    pos: usize,
    /// Names of the open elements, innermost last (end tags must match, as quick-xml checks).
    open: Vec<&'de str>,
    /// No event has been read yet (a declaration is accepted only there).
    at_start: bool,
}

/// Bytes allowed in an element name: ASCII letters, digits, `_`, `-`, `.`, and `:` for prefixes.
const fn name_bytes() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':');
        b += 1;
    }
    t
}

static NAME: [bool; 256] = name_bytes();

/// Byte equality for names (a few bytes: an inline loop beats a `memcmp` call).
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Name equality, by address first: the names `eat_start` pushes are the deserializer's own.
#[inline(always)]
fn same_name(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || same(a.as_bytes(), b.as_bytes())
}

impl<'de> CanonicalEvents<'de> {
    pub(crate) fn new(text: &'de str) -> Self {
        CanonicalEvents {
            text,
            pos: 0,
            open: Vec::with_capacity(16),
            at_start: true,
        }
    }

    /// End of the name starting at `from` (the first byte that is not a name byte).
    #[inline(always)]
    fn name_end(&self, from: usize) -> usize {
        let b = self.text.as_bytes();
        let mut i = from;
        while i < b.len() && NAME[b[i] as usize] {
            i += 1;
        }
        i
    }

    /// Ends the start tag of `name`, whose name ends at `end`: `>` opens the element
    /// (`Some(false)`), `/>` is an empty element (`Some(true)`), anything else (attributes, a
    /// longer name) is `None` and nothing is consumed.
    #[inline(always)]
    fn close_start_tag(&mut self, name: &'de str, end: usize) -> Option<bool> {
        let b = self.text.as_bytes();
        match b.get(end) {
            Some(b'>') => {
                self.open.push(name);
                self.pos = end + 1;
                self.at_start = false;
                Some(false)
            }
            Some(b'/') if b.get(end + 1) == Some(&b'>') => {
                self.pos = end + 2;
                self.at_start = false;
                Some(true)
            }
            _ => None,
        }
    }

    /// The next event, as quick-xml's `Reader::read_event` gives it for these bytes.
    #[inline(always)]
    fn next_event(&mut self) -> Result<Event<'de>, Unsupported> {
        let b = self.text.as_bytes();
        let p = self.pos;
        let at_start = std::mem::replace(&mut self.at_start, false);
        let Some(&first) = b.get(p) else {
            // quick-xml reports elements left open at the end; let it say so.
            return if self.open.is_empty() {
                Ok(Event::Eof)
            } else {
                Err(Unsupported(p))
            };
        };
        match first {
            b'<' => self.markup(p, at_start),
            b'&' => self.reference(p),
            _ => {
                let end = memchr::memchr3(b'<', b'&', b'\r', &b[p..]).map_or(b.len(), |i| p + i);
                if b.get(end) == Some(&b'\r') {
                    // Line ends to normalise: quick-xml's `xml10_content` does it.
                    return Err(Unsupported(end));
                }
                self.pos = end;
                Ok(Event::Text(BytesText::from_escaped(&self.text[p..end])))
            }
        }
    }

    #[inline(always)]
    fn markup(&mut self, p: usize, at_start: bool) -> Result<Event<'de>, Unsupported> {
        let b = self.text.as_bytes();
        match b.get(p + 1) {
            Some(b'/') => {
                let end = self.name_end(p + 2);
                if end == p + 2 || b.get(end) != Some(&b'>') {
                    return Err(Unsupported(p));
                }
                let name = &self.text[p + 2..end];
                match self.open.pop() {
                    Some(open) if same_name(open, name) => {}
                    _ => return Err(Unsupported(p)),
                }
                self.pos = end + 1;
                Ok(Event::End(BytesEnd::new(name)))
            }
            Some(c) if NAME[*c as usize] && !c.is_ascii_digit() && !matches!(c, b'-' | b'.') => {
                let end = self.name_end(p + 1);
                let name = &self.text[p + 1..end];
                match self.close_start_tag(name, end) {
                    Some(false) => Ok(Event::Start(BytesStart::new(name))),
                    Some(true) => Ok(Event::Empty(BytesStart::new(name))),
                    None => Err(Unsupported(p)),
                }
            }
            Some(b'?') if at_start => self.declaration(p),
            _ => Err(Unsupported(p)),
        }
    }

    /// `<?xml version="1.0"?>`, with optional encoding and standalone, as Python writes it.
    fn declaration(&mut self, p: usize) -> Result<Event<'de>, Unsupported> {
        let rest = &self.text[p + 2..];
        let Some(close) = rest.find("?>") else {
            return Err(Unsupported(p));
        };
        let inner = &rest[..close];
        let attrs = inner.strip_prefix("xml ").ok_or(Unsupported(p))?;
        // Only plain `name='value'` pairs; anything else is the full reader's to judge.
        if !attrs
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b" \t\n=\"'.-_".contains(&c))
            || !attrs.trim_start().starts_with("version")
        {
            return Err(Unsupported(p));
        }
        self.pos = p + 2 + close + 2;
        Ok(Event::Decl(BytesDecl::new("1.0", None, None)))
    }

    /// `&name;` or `&#...;`: a general reference event, as quick-xml splits text at them.
    fn reference(&mut self, p: usize) -> Result<Event<'de>, Unsupported> {
        let b = self.text.as_bytes();
        // The longest reference worth taking here: `&#x10FFFF;` (10 bytes).
        let window = &b[p + 1..b.len().min(p + 12)];
        let Some(semi) = memchr::memchr(b';', window) else {
            return Err(Unsupported(p));
        };
        let name = &self.text[p + 1..p + 1 + semi];
        let ok = match name.as_bytes() {
            b"amp" | b"lt" | b"gt" | b"quot" | b"apos" => true,
            [b'#', b'x', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
            [b'#', dec @ ..] => !dec.is_empty() && dec.iter().all(u8::is_ascii_digit),
            _ => false,
        };
        if !ok {
            return Err(Unsupported(p));
        }
        self.pos = p + 2 + semi;
        Ok(Event::GeneralRef(BytesRef::new(name)))
    }
}

impl<'de> EventSource<'de> for CanonicalEvents<'de> {
    #[inline(always)]
    fn read_event(&mut self) -> Result<Event<'de>, String> {
        self.next_event()
            .map_err(|u| format!("outside the canonical subset at byte {}", u.0))
    }

    /// Byte offset just past the last event read.
    fn position(&self) -> u64 {
        self.pos as u64
    }

    /// Skips whitespace when a tag or the end of the body follows it: the text event that
    /// `next_tag` would read and drop.
    #[inline(always)]
    fn skip_blank(&mut self) {
        let b = self.text.as_bytes();
        let mut i = self.pos;
        while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\t' | b'\r') {
            i += 1;
        }
        if i != self.pos && (i == b.len() || b[i] == b'<') {
            self.pos = i;
            self.at_start = false;
        }
    }

    /// Consumes `<name>` (`Some(false)`) or `<name/>` (`Some(true)`) when it comes next, blank
    /// text before it skipped; `None` (nothing consumed) otherwise.
    #[inline(always)]
    fn eat_start(&mut self, name: &'static str) -> Option<bool> {
        self.skip_blank();
        let b = self.text.as_bytes();
        let p = self.pos;
        let n = name.len();
        if b.len() < p + n + 2 || b[p] != b'<' || !same(&b[p + 1..p + 1 + n], name.as_bytes()) {
            return None;
        }
        self.close_start_tag(name, p + 1 + n)
    }

    /// Consumes the start tag `<name>` or `<name/>` that comes next (no blank skipped), whatever
    /// its name; `None` (nothing consumed) when something else comes.
    #[inline(always)]
    fn eat_any_start(&mut self) -> Option<(&'de str, bool)> {
        let b = self.text.as_bytes();
        let p = self.pos;
        if b.get(p) != Some(&b'<') || !b.get(p + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        let end = self.name_end(p + 1);
        let name = &self.text[p + 1..end];
        let empty = self.close_start_tag(name, end)?;
        Some((name, empty))
    }

    /// Consumes `</name>` when it comes next and closes the innermost open element, blank text
    /// before it skipped; `false` (nothing consumed) otherwise.
    #[inline(always)]
    fn eat_end(&mut self, name: &'static str) -> bool {
        self.skip_blank();
        let b = self.text.as_bytes();
        let p = self.pos;
        let n = name.len();
        if b.len() < p + n + 3
            || b[p] != b'<'
            || b[p + 1] != b'/'
            || !same(&b[p + 2..p + 2 + n], name.as_bytes())
            || b[p + 2 + n] != b'>'
            || self.open.last().is_none_or(|open| !same_name(open, name))
        {
            return false;
        }
        self.open.pop();
        self.pos = p + n + 3;
        true
    }

    /// Consumes plain text (no reference, no `\r`) and the end tag of the innermost open element
    /// when that is what comes next, and returns the text; `None` (nothing consumed) otherwise.
    #[inline(always)]
    fn eat_text(&mut self) -> Option<&'de str> {
        let b = self.text.as_bytes();
        let p = self.pos;
        let end = if b.get(p) == Some(&b'<') {
            p
        } else {
            p + memchr::memchr3(b'<', b'&', b'\r', b.get(p..)?)?
        };
        let open = *self.open.last()?;
        let n = open.len();
        if b[end] != b'<'
            || b.len() < end + n + 3
            || b[end + 1] != b'/'
            || !same(&b[end + 2..end + 2 + n], open.as_bytes())
            || b[end + 2 + n] != b'>'
        {
            return None;
        }
        self.open.pop();
        self.pos = end + n + 3;
        self.at_start = false;
        Some(&self.text[p..end])
    }

    fn error_position(&self) -> u64 {
        self.pos as u64
    }

    /// This source never hands over text holding `\r`: nothing to normalise.
    #[inline(always)]
    fn text(t: BytesText<'de>) -> std::borrow::Cow<'de, str> {
        t.into_inner()
    }
}
