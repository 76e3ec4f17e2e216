//! Rustdoc text from Odoo labels and help strings.
//!
//! Odoo help text is free text, sometimes HTML. What reaches a `#[doc]` attribute must not change
//! meaning under markdown nor trip rustdoc or clippy: HTML tags are stripped (`<br>`/`<p>` become line
//! breaks), URLs are wrapped in `<...>` (autolinks), and markdown-active characters are escaped
//! (`[`/`]` would be intra-doc links, backticks and `~~~` could open code blocks that become doctests,
//! `<`/`>` could be read as HTML). Every source line becomes its own paragraph (no lazy list
//! continuations, no indented code blocks). Doc attributes print as `///` lines, so `*/` is inert.

/// Sanitises free text into doc lines (paragraphs separated by empty strings; no leading/trailing empty).
pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    text_paragraphs(&strip_html(text))
}

/// One paragraph per non-empty line of plain text, each escaped.
fn text_paragraphs(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line_start_safe(&escape_line(line.trim()));
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(line);
    }
    out
}

/// Sanitises HTML (Odoo 19's method docs, rendered by docutils) into doc lines: tags removed as in
/// [`paragraphs`], then the character entities decoded (`&lt;` is a `<` of the text, escaped again
/// like any other).
pub(crate) fn html_paragraphs(html: &str) -> Vec<String> {
    text_paragraphs(&decode_entities(&strip_html(html)))
}

/// [`html_paragraphs`] on one line (newlines become spaces).
pub(crate) fn html_inline(html: &str) -> String {
    text_inline(&decode_entities(&strip_html(html)))
}

/// Decodes the character entities docutils writes (`&lt;`, `&gt;`, `&amp;`, `&quot;`, `&#39;`,
/// `&nbsp;`, numeric ones); anything else stays as it is.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let decoded = after.find(';').filter(|end| *end <= 10).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let code = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse().ok())
                    };
                    code.and_then(char::from_u32)
                }
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One line of text, sanitised, for inline use (newlines become spaces).
pub(crate) fn inline(text: &str) -> String {
    text_inline(&strip_html(text))
}

/// Plain text on one line, escaped.
fn text_inline(text: &str) -> String {
    let joined: Vec<&str> = text.split_whitespace().collect();
    escape_line(&joined.join(" "))
}

/// A technical name as inline code, or as sanitised text if it cannot be a code span.
pub(crate) fn code(name: &str) -> String {
    if name.is_empty() {
        "(empty)".to_owned()
    } else if name.contains('`') || name.chars().any(|c| c.is_control() || is_bidi(c)) {
        inline(name)
    } else {
        format!("`{name}`")
    }
}

/// Removes HTML tags; `<br>`, `</p>`, `</li>`, `</div>` and friends become newlines.
fn strip_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let looks_like_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (looks_like_tag, after.find('>')) {
            (true, Some(end)) => {
                let tag = after[..end].trim_start_matches('/').to_ascii_lowercase();
                let tag_name: String = tag
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if matches!(
                    tag_name.as_str(),
                    "br" | "p"
                        | "li"
                        | "div"
                        | "ul"
                        | "ol"
                        | "tr"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                ) {
                    out.push('\n');
                } else if !tag_name.is_empty() {
                    out.push(' ');
                }
                rest = &after[end + 1..];
            }
            _ => {
                // Not a tag (`a < b`, or a lone `<`): keep it; escape_line makes it inert.
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text-direction code points (embeddings, overrides, isolates): rustc denies them in comments and
/// literals (`text_direction_codepoint_in_comment`), so doc text drops them.
pub(crate) fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn is_url_start(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// Escapes one line for markdown and wraps URLs in `<...>`.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        // Wherever it starts: rustdoc's `bare_urls` also flags `labelhttps://...`.
        if is_url_start(rest) {
            let end = rest
                .find(|c: char| {
                    c.is_whitespace()
                        || c.is_control()
                        || is_bidi(c)
                        || matches!(c, '<' | '>' | '"' | '\'' | '`' | '[' | ']')
                })
                .unwrap_or(rest.len());
            let mut url = &rest[..end];
            while let Some(last) = url.chars().last() {
                if matches!(last, '.' | ',' | ';' | ':' | ')' | '!' | '?') {
                    url = &url[..url.len() - last.len_utf8()];
                } else {
                    break;
                }
            }
            if url.len() > "https://".len() {
                out.push('<');
                out.push_str(url);
                out.push('>');
                i += url.len();
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '[' | ']' | '`' | '\\' | '~' | '*' | '_' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\t' => out.push(' '),
            c if c.is_control() || is_bidi(c) => {}
            c => out.push(c),
        }
        i += c.len_utf8();
    }
    out.trim().to_owned()
}

/// Keeps a doc line literal when it starts like a list item, a thematic break or a setext underline
/// (idempotent).
pub(crate) fn line_start_safe(line: &str) -> String {
    let trimmed = line.trim_start();
    let list_like = trimmed.starts_with("- ")
        || trimmed.starts_with("+ ")
        || trimmed == "-"
        || trimmed == "+"
        || (!trimmed.is_empty() && trimmed.chars().all(|c| c == '-' || c == '='));
    let mut out = trimmed.to_owned();
    if list_like {
        out.insert(0, '\\');
    } else if let Some(at) = ordered_list_marker(&out) {
        out.insert(at, '\\');
    }
    out
}

/// Byte offset of the `.`/`)` of an ordered-list marker starting the line (`1.`, `12)`).
fn ordered_list_marker(s: &str) -> Option<usize> {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && matches!(s[digits..].chars().next(), Some('.' | ')'))).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_text_is_made_inert() {
        let help = "Use [x] for <b>bold</b> see https://odoo.com/doc. and */ end\n\n  indented `code`\n~~~\n- item";
        let got = paragraphs(help);
        assert_eq!(
            got,
            vec![
                "Use \\[x\\] for  bold  see <https://odoo.com/doc>. and \\*/ end",
                "",
                "indented \\`code\\`",
                "",
                "\\~\\~\\~",
                "",
                "\\- item",
            ]
        );
    }

    #[test]
    fn lone_angle_brackets_are_escaped_not_dropped() {
        assert_eq!(inline("a < b > c"), "a &lt; b &gt; c");
        assert_eq!(inline("x<br/>y"), "x y");
        assert_eq!(paragraphs("x<br/>y"), vec!["x", "", "y"]);
        assert_eq!(line_start_safe(&inline("1. first")), "1\\. first");
        assert_eq!(inline("Odoo 18.0"), "Odoo 18.0");
        assert_eq!(line_start_safe("18.0"), "18\\.0");
    }

    #[test]
    fn html_docs_are_made_inert_with_entities_decoded() {
        let html = "<div class=\"document\">\n<p>Search <tt class=\"docutils literal\">&lt;reference/orm&gt;</tt> [x] &amp; more &#39;q&#39;</p>\n<pre class=\"literal-block\">\n&lt;script&gt;alert(1)&lt;/script&gt;\n</pre></div>";
        assert_eq!(
            html_paragraphs(html),
            vec![
                "Search  &lt;reference/orm&gt;  \\[x\\] &amp; more 'q'",
                "",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ]
        );
        assert_eq!(html_inline("<p>a &lt; b</p>\n<p>c</p>"), "a &lt; b c");
        assert_eq!(decode_entities("&bogus; & &#x41;&#66;"), "&bogus; & AB");
    }

    #[test]
    fn code_spans_only_when_safe() {
        assert_eq!(code("res.partner"), "`res.partner`");
        assert_eq!(code("a`b"), "a\\`b");
        assert_eq!(code(""), "(empty)");
        assert_eq!(code("x_\u{202e}y"), "x\\_y");
        assert_eq!(inline("a\u{2066}b\u{2069}c"), "abc");
        // A URL glued to a word is still a URL for rustdoc.
        assert_eq!(
            inline("labelhttps://odoo.com/a."),
            "label<https://odoo.com/a>."
        );
        // A URL ends before a control or text-direction character (dropped like anywhere else).
        assert_eq!(
            inline("see https://odoo.com/x\u{0}\u{202e}y"),
            "see <https://odoo.com/x>y"
        );
    }
}
