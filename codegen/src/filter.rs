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
//! (a typo should not silently generate nothing); a glob matching nothing is a warning.

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
                        suggest(schema, pattern)
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
                return Err(Error::InvalidSetting {
                    setting: "modules",
                    reason: format!("no model of the schema belongs to module `{module}`"),
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

fn suggest(schema: &Schema, wanted: &str) -> String {
    let close: Vec<&str> = schema
        .models
        .keys()
        .filter(|name| name.contains(wanted) || wanted.contains(name.as_str()))
        .map(String::as_str)
        .take(5)
        .collect();
    if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(", "))
    }
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
