//! Edits that turn a recorded body into a hostile one, for the differential and no-panic tests.

/// One edit of a body. Positions and lengths are taken modulo the body's length and moved to a
/// character boundary; `which` picks a snippet modulo the snippet list.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Inserts snippet `which` at a position.
    Insert(usize, usize),
    /// Deletes up to `len` bytes at a position.
    Delete(usize, usize),
    /// Inserts a copy of the `len` bytes at a position right after them.
    Duplicate(usize, usize),
    /// Inserts snippet `which` just after the first `>` at or after a position (between tags).
    InsertAfterTag(usize, usize),
    /// Replaces up to `len` bytes at a position with snippet `which`.
    Replace(usize, usize, usize),
}

fn char_floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `base` with `mutations` applied in order, snippets drawn from `snippets`.
pub fn apply(base: &str, mutations: &[Mutation], snippets: &[&str]) -> String {
    let mut s = base.to_owned();
    let snippet = |which: usize| snippets[which % snippets.len()];
    for m in mutations {
        let start = |s: &str, at: usize| char_floor(s, at % (s.len() + 1));
        match *m {
            Mutation::Insert(at, which) => {
                let at = start(&s, at);
                s.insert_str(at, snippet(which));
            }
            Mutation::Delete(at, len) => {
                let a = start(&s, at);
                let b = char_floor(&s, a + len);
                s.replace_range(a..b, "");
            }
            Mutation::Duplicate(at, len) => {
                let a = start(&s, at);
                let b = char_floor(&s, a + len);
                let piece = s[a..b].to_owned();
                s.insert_str(b, &piece);
            }
            Mutation::InsertAfterTag(at, which) => {
                let from = start(&s, at);
                let at = s[from..].find('>').map_or(s.len(), |i| from + i + 1);
                s.insert_str(at, snippet(which));
            }
            Mutation::Replace(at, len, which) => {
                let a = start(&s, at);
                let b = char_floor(&s, a + len);
                s.replace_range(a..b, snippet(which));
            }
        }
    }
    s
}
