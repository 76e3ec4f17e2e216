//! Choosing which models to generate: names or globs, Odoo modules, excludes, and the relation
//! closure.
//!
//! Semantics of [`Filter::apply`]:
//! 1. The seed set is every model matching one of `models` (exact names or globs with `*` and `?`)
//!    or defined or extended by one of `modules`. With neither given, the seed is every model.
//! 2. Models matching one of `exclude` are removed, and are never pulled back in.
//! 3. The relation closure adds, `depth` times, the targets (`relation`) of the many2one, one2many and
//!    many2many fields of the models selected so far. Depth 0 adds nothing: relations to models left
//!    out are generated untyped.
//!
//! An exact model name that the schema does not hold, or a module that no model names, is an error
//! suggesting close names ([`close_names`]: a typo should not silently generate nothing); a glob
//! matching nothing is a warning. An empty or blank entry in any list is an error ([`Filter::check`]).

use std::collections::BTreeSet;

use crate::error::{Error, Result, Warning};
use crate::schema::Schema;

/// What to keep of a schema.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    /// Model names or globs (`sale.*`, `res.partner`). Empty with `modules` empty: every model.
    pub models: Vec<String>,
    /// Odoo modules (`sale`, `crm`): every model they define or extend.
    pub modules: Vec<String>,
    /// Model names or globs never to keep.
    pub exclude: Vec<String>,
    /// How many times to pull in the targets of relational fields.
    pub depth: u32,
}

impl Filter {
    /// Keeps everything.
    pub fn all() -> Self {
        Filter::default()
    }

    /// True when the filter keeps every model of any schema.
    pub fn is_all(&self) -> bool {
        self.models.is_empty() && self.modules.is_empty() && self.exclude.is_empty()
    }

    /// The names of the models kept, sorted.
    pub fn select(&self, schema: &Schema) -> Result<(BTreeSet<String>, Vec<Warning>)> {
        self.check()?;
        let mut warnings = Vec::new();
        let exclude = Patterns::new(&self.exclude);
        let mut selected: BTreeSet<String> = BTreeSet::new();

        if self.models.is_empty() && self.modules.is_empty() {
            selected.extend(schema.models.keys().cloned());
        }
        for pattern in &self.models {
            let mut matched = false;
            if is_glob(pattern) {
                for name in schema.models.keys() {
                    if glob_match(pattern, name) {
                        matched = true;
                        selected.insert(name.clone());
                    }
                }
                if !matched {
                    warnings.push(Warning::general(format!(
                        "model pattern `{pattern}` matches no model"
                    )));
                }
            } else if schema.models.contains_key(pattern) {
                selected.insert(pattern.clone());
            } else {
                return Err(Error::InvalidSetting {
                    setting: "models",
                    reason: format!(
                        "model `{pattern}` is not in the schema{}",
                        did_you_mean(pattern, schema.models.keys().map(String::as_str))
                    ),
                });
            }
        }
        for module in &self.modules {
            let mut matched = false;
            for (name, model) in &schema.models {
                if model.modules.iter().any(|m| m == module) {
                    matched = true;
                    selected.insert(name.clone());
                }
            }
            if !matched {
                let modules: BTreeSet<&str> = schema
                    .models
                    .values()
                    .flat_map(|m| m.modules.iter().map(String::as_str))
                    .collect();
                return Err(Error::InvalidSetting {
                    setting: "modules",
                    reason: format!(
                        "no model of the schema belongs to module `{module}`{}",
                        did_you_mean(module, modules)
                    ),
                });
            }
        }
        selected.retain(|name| !exclude.matches(name));

        let mut frontier: BTreeSet<String> = selected.clone();
        for _ in 0..self.depth {
            let mut next = BTreeSet::new();
            for name in &frontier {
                let Some(model) = schema.models.get(name) else {
                    continue;
                };
                for field in model.fields.values() {
                    if !field.field_type.is_relational() {
                        continue;
                    }
                    let Some(target) = &field.relation else {
                        continue;
                    };
                    if selected.contains(target) || exclude.matches(target) {
                        continue;
                    }
                    if schema.models.contains_key(target) {
                        next.insert(target.clone());
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            selected.extend(next.iter().cloned());
            frontier = next;
        }
        Ok((selected, warnings))
    }

    /// The schema restricted to the models kept (see the module docs).
    pub fn apply(&self, schema: &Schema) -> Result<(Schema, Vec<Warning>)> {
        let (selected, warnings) = self.select(schema)?;
        let models = schema
            .models
            .iter()
            .filter(|(name, _)| selected.contains(*name))
            .map(|(name, model)| (name.clone(), model.clone()))
            .collect();
        Ok((
            Schema {
                odoo_version: schema.odoo_version.clone(),
                models,
            },
            warnings,
        ))
    }
}

impl Filter {
    /// Refuses an empty or blank entry in `models`, `modules` or `exclude` (it names nothing; an
    /// empty list, not an empty entry, means "every model").
    pub fn check(&self) -> Result<()> {
        let lists = [
            ("models", &self.models, "a model name or glob"),
            ("modules", &self.modules, "an Odoo module name"),
            ("exclude", &self.exclude, "a model name or glob"),
        ];
        for (setting, list, wanted) in lists {
            if let Some(blank) = list.iter().find(|p| p.trim().is_empty()) {
                return Err(Error::InvalidSetting {
                    setting,
                    reason: format!("entry `{blank}` is empty: give {wanted}"),
                });
            }
        }
        Ok(())
    }
}

/// How many names [`close_names`] suggests at most.
pub const MAX_SUGGESTIONS: usize = 5;

/// The names among `candidates` that `wanted` is probably a typo of, closest first, at most
/// [`MAX_SUGGESTIONS`]: equal ignoring case, within a small edit distance (optimal string alignment
/// distance ignoring case, at most a third of `wanted`'s length, and at least 1 but at most 2), or
/// containing `wanted` or contained in it (ignoring case). Ties are broken by the case-sensitive distance, then by name,
/// so the order never depends on the order of `candidates`.
pub fn close_names<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let wanted_len = wanted_lower.chars().count();
    if wanted_len == 0 {
        return Vec::new();
    }
    // A third of the length, at least one edit and at most two (short names are all close otherwise).
    let tolerance = (wanted_len / 3).clamp(1, 2);
    let mut close: Vec<(usize, usize, &'a str)> = candidates
        .into_iter()
        .filter(|name| *name != wanted && !name.is_empty())
        .filter_map(|name| {
            let lower = name.to_lowercase();
            let distance = edit_distance(&wanted_lower, &lower);
            let near = distance <= tolerance;
            let nested = lower.contains(&wanted_lower) || wanted_lower.contains(&lower);
            (near || nested).then(|| (distance, edit_distance(wanted, name), name))
        })
        .collect();
    close.sort_unstable();
    close.dedup_by(|a, b| a.2 == b.2);
    close
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, _, name)| name)
        .collect()
}

/// ` (did you mean a, b?)` from [`close_names`], or nothing when no name is close.
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let close = close_names(wanted, candidates);
    if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(", "))
    }
}

/// The edit distance of `a` and `b`: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each count one (optimal string alignment).
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

struct Patterns<'a>(&'a [String]);

impl<'a> Patterns<'a> {
    fn new(patterns: &'a [String]) -> Self {
        Patterns(patterns)
    }
    fn matches(&self, name: &str) -> bool {
        self.0.iter().any(|p| glob_match(p, name))
    }
}

/// True when `pattern` holds a glob metacharacter (`*` or `?`).
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Glob matching on whole names: `*` matches any run of characters (dots included), `?` one
/// character; everything else matches itself.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn glob_table() {
        let table = [
            ("sale.*", "sale.order", true),
            ("sale.*", "sale.order.line", true),
            ("sale.*", "sale", false),
            ("sale*", "sale", true),
            ("*.line", "sale.order.line", true),
            ("*.line", "sale.order", false),
            ("res.partner", "res.partner", true),
            ("res.partner", "res.partner.bank", false),
            ("res.?artner", "res.partner", true),
            ("res.?artner", "res.artner", false),
            ("*", "x_custom", true),
            ("x_*", "x_custom", true),
            ("**a*", "banana", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "aXbY", false),
            ("", "", true),
            ("", "a", false),
        ];
        for (pattern, name, expected) in table {
            assert_eq!(glob_match(pattern, name), expected, "{pattern} vs {name}");
        }
    }
}
