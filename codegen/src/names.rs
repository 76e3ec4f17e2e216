//! Every identifier the generator emits is decided here, and only here.
//!
//! Odoo names are free text as far as Rust is concerned: model names hold dots (`res.partner`), field
//! names can be Rust keywords (`type`, `ref`, `move`, `self`), selection keys can be anything (`a-b`,
//! `1`, `False`, `""`, non-ASCII), and different Odoo names can become the same Rust name after
//! sanitising (`x_foo.bar` and `x_foo_bar` both give `XFooBar`). The rules:
//!
//! * Casing with `heck` after folding accented Latin letters to ASCII (`é` → `e`) and replacing every
//!   other character that is not ASCII alphanumeric by `_` (so generated identifiers are plain ASCII
//!   and trip no `uncommon_codepoints`/confusable lints).
//! * snake_case identifiers (fields, modules): a Rust keyword becomes a raw identifier (`r#type`), except
//!   the ones that cannot be raw (`self`, `Self`, `super`, `crate`, `extern`, `_`) which get a trailing
//!   `_`; a leading digit gets a `_` prefix; an empty result becomes a fallback word.
//! * UpperCamelCase identifiers (types, enum variants): a leading digit gets a `_` prefix (`_1`), and
//!   `Self` becomes `_Self` — a trailing `_` (`Self_`) would trip the `non_camel_case_types` lint.
//! * Collisions are resolved per namespace, deterministically: names in the namespace's reserved set
//!   (identifiers the generated code itself uses, like `id` or `Unknown`) are never given away; among the
//!   Odoo names that want the same identifier, the one that needed no change at all keeps it, otherwise
//!   the smallest one in byte order; the others, in byte order, get the first free numeric suffix
//!   (`x_name_2`, `AB2`).
//! * Identifiers (also file names, for modules and in rustdoc's output) are cut to [`MAX_IDENT_LEN`]
//!   bytes before collisions are resolved.
//! * The original name is kept for serde (`#[serde(rename)]`) only when the identifier differs from it
//!   (like typify's `recase`).

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Keywords (strict, reserved and 2018+ edition ones) that can be written as raw identifiers.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static",
    "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual",
    "where", "while", "yield",
];

/// Names that cannot be raw identifiers (or that the rules above escape with a trailing `_` anyway).
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "extern", "_"];

/// Is `s` a Rust keyword of any kind (strict, reserved, or edition 2018+)?
pub fn is_keyword(s: &str) -> bool {
    RAW_KEYWORDS.contains(&s) || NON_RAW_KEYWORDS.contains(&s)
}

/// An identifier decided by this module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustName {
    /// The identifier text without any `r#` (e.g. `type`, `self_`, `x_name_2`).
    pub name: String,
    /// Emit as a raw identifier (`r#type`).
    pub raw: bool,
}

impl RustName {
    fn plain(name: String) -> Self {
        RustName { name, raw: false }
    }

    /// The identifier as written in Rust source (`r#type`).
    pub fn to_source(&self) -> String {
        if self.raw {
            format!("r#{}", self.name)
        } else {
            self.name.clone()
        }
    }

    /// The `proc_macro2` identifier (raw when needed).
    pub fn ident(&self) -> proc_macro2::Ident {
        let span = proc_macro2::Span::call_site();
        if self.raw {
            proc_macro2::Ident::new_raw(&self.name, span)
        } else {
            proc_macro2::Ident::new(&self.name, span)
        }
    }
}

impl std::fmt::Display for RustName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_source())
    }
}

/// Folds accented Latin letters to ASCII (`é` → `e`, `ß` → `ss`); `None` for anything else.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' => "d",
        'Ď' | 'Đ' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ğ' => "g",
        'Ğ' => "G",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į' | 'İ' => "I",
        'ł' | 'ľ' => "l",
        'Ł' | 'Ľ' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ř' => "r",
        'Ř' => "R",
        'ś' | 'š' | 'ş' => "s",
        'Ś' | 'Š' | 'Ş' => "S",
        'ť' | 'ţ' => "t",
        'Ť' | 'Ţ' => "T",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        _ => return None,
    })
}

/// Folds accented Latin letters to ASCII and replaces every other character that is not ASCII
/// alphanumeric by `_`, so `heck` only sees ASCII words.
fn ascii_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(folded) = fold_latin(c) {
            out.push_str(folded);
        } else {
            out.push('_');
        }
    }
    out
}

/// snake_case identifier for `s` (field idents, module names), escaped as described in the module docs.
pub fn snake_ident(s: &str, fallback: &str) -> RustName {
    let mut name = cap(ascii_words(s).to_snake_case());
    if name.is_empty() {
        name = fallback.to_owned();
    }
    escape_snake(name)
}

fn escape_snake(mut name: String) -> RustName {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        name.push('_');
        RustName::plain(name)
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        RustName { name, raw: true }
    } else {
        RustName::plain(name)
    }
}

/// UpperCamelCase identifier for `s` (type names, enum variants), escaped as described in the module docs.
pub fn camel_ident(s: &str, fallback: &str) -> String {
    let mut name = cap(ascii_words(s).to_upper_camel_case());
    if name.is_empty() {
        name = fallback.to_owned();
    }
    escape_camel(name)
}

fn escape_camel(mut name: String) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) || name == "Self" {
        name.insert(0, '_');
    }
    name
}

/// SCREAMING_SNAKE_CASE constant name derived from an already resolved snake identifier.
///
/// Resolved snake identifiers are lowercase ASCII, so this is injective on them and keeps uniqueness.
pub fn const_ident(snake: &RustName) -> String {
    let upper = snake.name.to_ascii_uppercase();
    if upper.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{upper}")
    } else {
        upper
    }
}

/// SCREAMING_SNAKE_CASE of free text (not used for resolved names; kept for callers needing a label).
pub fn shouty(s: &str) -> String {
    let name = ascii_words(s).to_shouty_snake_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

/// Resolves the collisions of one namespace (see the module docs).
///
/// `originals` are the Odoo names, `sanitise` gives the wanted identifier of each, `suffix` appends a
/// numeric suffix to a wanted identifier, `reserved` holds identifiers that must never be given away.
fn resolve<'a, I, F, S>(
    originals: I,
    reserved: &BTreeSet<String>,
    prefer_unchanged: bool,
    sanitise: F,
    suffix: S,
) -> BTreeMap<&'a str, String>
where
    I: IntoIterator<Item = &'a str>,
    F: Fn(&str) -> String,
    S: Fn(&str, usize) -> String,
{
    let originals: BTreeSet<&'a str> = originals.into_iter().collect();
    let wanted: BTreeMap<&'a str, String> = originals.iter().map(|o| (*o, sanitise(o))).collect();
    let mut taken: BTreeSet<String> = reserved.clone();
    let mut out = BTreeMap::new();
    // Winners: per wanted identifier, the unchanged original if any, otherwise the smallest.
    let mut by_wanted: BTreeMap<&str, Vec<&'a str>> = BTreeMap::new();
    for (original, want) in &wanted {
        by_wanted.entry(want.as_str()).or_default().push(original);
    }
    for (want, candidates) in &by_wanted {
        if reserved.contains(*want) {
            continue;
        }
        let winner = candidates
            .iter()
            .find(|c| prefer_unchanged && **c == *want)
            .or_else(|| candidates.first());
        if let Some(winner) = winner {
            out.insert(*winner, (*want).to_owned());
            taken.insert((*want).to_owned());
        }
    }
    // Losers, in byte order of their Odoo names, take the first free suffix.
    for (original, want) in &wanted {
        if out.contains_key(original) {
            continue;
        }
        let mut n = 2;
        let name = loop {
            let candidate = suffix(want, n);
            if !taken.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        taken.insert(name.clone());
        out.insert(*original, name);
    }
    out
}

fn suffix_snake(want: &str, n: usize) -> String {
    // `self_` + 2 → `self_2`: a double underscore would trip `non_snake_case`.
    if want.ends_with('_') {
        format!("{want}{n}")
    } else {
        format!("{want}_{n}")
    }
}

fn suffix_camel(want: &str, n: usize) -> String {
    format!("{want}{n}")
}

/// The identifier text (as used for collision checks) of a snake name: raw keywords keep their plain text.
fn snake_key(s: &str, fallback: &str) -> String {
    snake_ident(s, fallback).name
}

/// Re-escapes a resolved snake identifier text (suffixes can turn a keyword into a free name and back).
fn snake_from_resolved(name: &str) -> RustName {
    escape_snake(name.to_owned())
}

/// The wanted module name of a model: snake, and never raw (a file `r#type.rs` would need `#[path]`),
/// so keywords get a trailing `_` (`type_`).
fn module_key(model: &str) -> String {
    let name = snake_ident(model, "model");
    if name.raw {
        format!("{}_", name.name)
    } else {
        name.name
    }
}

/// The longest identifier (ASCII, so bytes) [`snake_ident`] and [`camel_ident`] return, before any
/// collision suffix or prefix.
///
/// Identifiers become file names: `src/<module>.rs`, and rustdoc's `struct.<Type>.html`,
/// `constant.<CONST>.html`, which must stay under the 255 bytes file systems allow. Odoo names can
/// be that long: a model without table (abstract) or a field without column (not stored) escapes
/// PostgreSQL's 63-byte limit. Names cut to the same text are told apart by the usual suffixes.
pub const MAX_IDENT_LEN: usize = 128;

/// Cuts a sanitised identifier to [`MAX_IDENT_LEN`] (without leaving a trailing `_`).
fn cap(mut name: String) -> String {
    if name.len() > MAX_IDENT_LEN {
        name.truncate(MAX_IDENT_LEN);
        name.truncate(name.trim_end_matches('_').len());
    }
    name
}

/// Module names at the root of a generated crate that models cannot take.
pub const RESERVED_MODULES: &[&str] = &[
    "lib",
    "main",
    "markers",
    "fields",
    "default",
    "all",
    "prelude",
    "methods",
    "__private",
];

/// Field identifiers a generated read struct uses itself (`id` is the record id, always present).
pub const RESERVED_FIELDS: &[&str] = &["id"];

/// Selection variant names a generated enum uses itself (the fallback for keys unknown at generation).
pub const RESERVED_VARIANTS: &[&str] = &["Unknown"];

/// Per-model names: the Rust type name (also the marker name), module/file name and cargo feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelName {
    /// The Odoo technical name (`res.partner`).
    pub model: String,
    /// UpperCamel type name (`ResPartner`), used for the read struct and the marker type.
    pub type_name: String,
    /// snake module name (`res_partner`); the model's file is `src/<module>.rs`.
    pub module: RustName,
    /// The cargo feature enabling the model (same text as the module name).
    pub feature: String,
}

impl ModelName {
    /// The field handles type (`ResPartnerFields`, reached as `ResPartner::F`).
    pub fn fields_type(&self) -> String {
        format!("{}Fields", self.type_name)
    }

    /// The create/write values type (`ResPartnerValues<Mode>`), holding the setters.
    pub fn values_type(&self) -> String {
        format!("{}Values", self.type_name)
    }

    /// The alias of the values type for `create` (`ResPartnerCreate`).
    pub fn create_type(&self) -> String {
        format!("{}Create", self.type_name)
    }

    /// The alias of the values type for `write` (`ResPartnerWrite`).
    pub fn write_type(&self) -> String {
        format!("{}Write", self.type_name)
    }

    /// The mode parameter of the values type (`ResPartnerMode`): it starts with the type name, a
    /// space [`field_type_names`] keeps free of selection enums, so no enum can be shadowed by it.
    pub fn mode_param(&self) -> String {
        format!("{}Mode", self.type_name)
    }

    /// The path of an item of the model's module from the generated crate's root
    /// (`res_partner::ResPartner`, `res_partner::Type`).
    pub fn path(&self, item: &str) -> String {
        format!("{}::{item}", self.module.to_source())
    }
}

/// Names for every model of a schema, collisions resolved across the whole crate.
#[derive(Debug, Clone, Default)]
pub struct ModelNames {
    by_model: BTreeMap<String, ModelName>,
}

impl ModelNames {
    /// Decides the names of every model in `models` (technical names).
    pub fn new<'a>(models: impl IntoIterator<Item = &'a str>) -> Self {
        let models: Vec<&str> = models.into_iter().collect();
        let no_reserved = BTreeSet::new();
        let types = resolve(
            models.iter().copied(),
            &no_reserved,
            false,
            |m| camel_ident(m, "Model"),
            suffix_camel,
        );
        let reserved_modules: BTreeSet<String> =
            RESERVED_MODULES.iter().map(|s| (*s).to_owned()).collect();
        let modules = resolve(
            models.iter().copied(),
            &reserved_modules,
            false,
            module_key,
            suffix_snake,
        );
        let mut by_model = BTreeMap::new();
        for model in models {
            let (Some(type_name), Some(module)) = (types.get(model), modules.get(model)) else {
                continue;
            };
            let module = RustName::plain(module.clone());
            by_model.insert(
                model.to_owned(),
                ModelName {
                    model: model.to_owned(),
                    type_name: type_name.clone(),
                    feature: module.name.clone(),
                    module,
                },
            );
        }
        ModelNames { by_model }
    }

    /// The names of one model, if it was given to [`ModelNames::new`].
    pub fn get(&self, model: &str) -> Option<&ModelName> {
        self.by_model.get(model)
    }

    /// Every model's names, in technical-name order.
    pub fn iter(&self) -> impl Iterator<Item = &ModelName> {
        self.by_model.values()
    }
}

/// The decided name of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldName {
    /// The Odoo technical name (`type`).
    pub field: String,
    /// The struct field identifier (`r#type`).
    pub ident: RustName,
    /// The field-name constant (`TYPE`).
    pub constant: String,
    /// The UpperCamel base used for types derived from the field (`Type`, for a selection enum).
    pub camel: String,
    /// `Some(original)` when serde needs `#[serde(rename = original)]`.
    pub rename: Option<String>,
}

/// Decides the identifiers of the fields of one model (`id` excluded: it is always the struct's `id`).
pub fn field_names<'a>(fields: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, FieldName> {
    let fields: Vec<&str> = fields.into_iter().filter(|f| *f != "id").collect();
    let reserved: BTreeSet<String> = RESERVED_FIELDS.iter().map(|s| (*s).to_owned()).collect();
    let resolved = resolve(
        fields.iter().copied(),
        &reserved,
        true,
        |f| snake_key(f, "field"),
        suffix_snake,
    );
    let mut out = BTreeMap::new();
    for (field, name) in resolved {
        let ident = snake_from_resolved(&name);
        let rename = (ident.name != field).then(|| field.to_owned());
        out.insert(
            field.to_owned(),
            FieldName {
                field: field.to_owned(),
                constant: const_ident(&ident),
                camel: camel_ident(&ident.name, "Field"),
                ident,
                rename,
            },
        );
    }
    out
}

/// The decided name of one selection value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantName {
    /// The key sent over the wire (`draft`).
    pub key: String,
    /// The enum variant (`Draft`).
    pub variant: String,
}

/// Decides enum variants for selection keys, in the given (server) order; duplicate keys are dropped.
pub fn variant_names<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<VariantName> {
    let keys: Vec<&str> = keys.into_iter().collect();
    let reserved: BTreeSet<String> = RESERVED_VARIANTS.iter().map(|s| (*s).to_owned()).collect();
    let resolved = resolve(
        keys.iter().copied(),
        &reserved,
        true,
        |k| camel_ident(k, "Empty"),
        suffix_camel,
    );
    let mut seen = BTreeSet::new();
    keys.into_iter()
        .filter(|k| seen.insert(*k))
        .filter_map(|k| {
            resolved.get(k).map(|v| VariantName {
                key: k.to_owned(),
                variant: v.clone(),
            })
        })
        .collect()
}

/// Decides the names of the types a model module defines from its fields (selection enums).
///
/// `wanted` maps a field's technical name to its UpperCamel base ([`FieldName::camel`]). Reserved in
/// the model module: the read struct `struct_name`, and every name starting with `struct_name`, which
/// belong to the typed API (`ResPartnerCreate`...); a wanted name in that space gets a `Field` prefix
/// (`Selection` when `Field...` is in that space too), leading `_` dropped.
pub fn field_type_names(
    struct_name: &str,
    wanted: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let reserved: BTreeSet<String> = [struct_name.to_owned()].into_iter().collect();
    // `_1x` (field `1x`) gets `Field1x`, not `Field_1x` (`non_camel_case_types`). When `Field...` still
    // starts with the struct name (struct `Field`, field `fields`: `FieldFields` is the typed API's),
    // `Selection...` cannot: the two prefixes differ in their first letter.
    let fix = |camel: &str| -> String {
        if camel.starts_with(struct_name) {
            let bare = camel.trim_start_matches('_');
            let prefixed = format!("Field{bare}");
            if prefixed.starts_with(struct_name) {
                format!("Selection{bare}")
            } else {
                prefixed
            }
        } else {
            camel.to_owned()
        }
    };
    let resolved = resolve(
        wanted.keys().map(String::as_str),
        &reserved,
        false,
        |f| wanted.get(f).map(|c| fix(c)).unwrap_or_default(),
        |want, n| {
            let mut n = n;
            loop {
                let candidate = suffix_camel(want, n);
                if !candidate.starts_with(struct_name) {
                    break candidate;
                }
                n += 1;
            }
        },
    );
    resolved
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

/// Cargo feature for an Odoo module (`sale` → `module-sale`): the `-` keeps them apart from model
/// features, which are snake identifiers.
pub fn odoo_module_feature(module: &str) -> String {
    let mut name: String = module
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        name.push('_');
    }
    format!("module-{name}")
}

/// Method identifiers the model handle (`X::on(&client)`, `crate::methods::Handle`) already has:
/// its own (`new`, `with_context`, `records`), those of `odoo_runtime::query::Records` it derefs
/// to (the typed CRUD helpers), and the common traits' ones. An Odoo method wanting one of these
/// gets the prefix `call_` (`search` → `call_search`): an inherent method of the handle would
/// hide the helper, and one in a shared impl would clash with a model's own.
pub const RESERVED_METHODS: &[&str] = &[
    // The handle's own.
    "new",
    "records",
    "with_context",
    // `odoo_runtime::query::Records` (and `group.rs`'s `read_group`).
    "create",
    "create_many",
    "fields_get",
    "method",
    "method_on",
    "name_search",
    "name_search_in",
    "read",
    "read_group",
    "search",
    "unlink",
    "write",
    // Traits the handle implements or users call on it.
    "borrow",
    "clone",
    "clone_from",
    "deref",
    "eq",
    "fmt",
    "into",
    "to_owned",
    "try_into",
    "type_id",
];

/// Parameter identifiers a typed call uses itself: `ids` (the records a method runs on) and the
/// call builder's own methods. A parameter wanting one gets a numeric suffix (`send_2`).
pub const RESERVED_PARAMETERS: &[&str] = &[
    "ids",
    "as_call",
    "into_future",
    "kwarg",
    "send",
    "with_context",
];

/// The decided names of one method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodName {
    /// The Odoo method name (`action_confirm`).
    pub method: String,
    /// The identifier on the model handle (`action_confirm`, `call_search`, `r#type`).
    pub ident: RustName,
}

/// Decides the identifiers of methods on the model handle, one namespace at a time: the methods
/// every model shares (`crate::methods::Handle`'s own, `taken` empty), or one model's own methods
/// (`taken` holding the shared ones' identifiers, which a model's method must not reuse).
///
/// snake_case like fields; a name in [`RESERVED_METHODS`] or `taken` is prefixed with `call_`;
/// collisions are then resolved as everywhere (the unchanged name wins, the others get numeric
/// suffixes in byte order). Methods live on the handle and fields on the read struct and the
/// field handles: a method named like a field keeps its name.
pub fn method_names<'a>(
    methods: impl IntoIterator<Item = &'a str>,
    taken: &BTreeSet<String>,
) -> BTreeMap<String, MethodName> {
    let mut reserved: BTreeSet<String> = RESERVED_METHODS.iter().map(|s| (*s).to_owned()).collect();
    reserved.extend(taken.iter().cloned());
    let resolved = resolve(
        methods,
        &reserved,
        true,
        |m| {
            let want = snake_key(m, "method");
            if reserved.contains(&want) {
                cap(format!("call_{want}"))
            } else {
                want
            }
        },
        suffix_snake,
    );
    resolved
        .into_iter()
        .map(|(method, name)| {
            (
                method.to_owned(),
                MethodName {
                    method: method.to_owned(),
                    ident: snake_from_resolved(&name),
                },
            )
        })
        .collect()
}

/// The call builder type of each method: `{prefix}{Method}Call` (`SaleOrderMessagePostCall`
/// in a model's module, `CopyCall` in `crate::methods`), from the method's decided identifier.
/// Names that meet after casing get a numeric suffix before `Call` (`Foo2Call`). Every name ends
/// with `Call`, so none is a name the typed API or a selection enum uses (`XCreate`, `XValues`).
pub fn call_type_names(
    prefix: &str,
    idents: &BTreeMap<String, RustName>,
) -> BTreeMap<String, String> {
    let reserved = BTreeSet::new();
    let resolved = resolve(
        idents.keys().map(String::as_str),
        &reserved,
        false,
        |m| {
            let ident = idents.get(m).map(|i| i.name.as_str()).unwrap_or(m);
            let camel = camel_ident(ident, "Method");
            // `_1x` after a prefix would be `SaleOrder_1x` (`non_camel_case_types`).
            let camel = if prefix.is_empty() {
                camel.as_str()
            } else {
                camel.trim_start_matches('_')
            };
            format!("{prefix}{camel}")
        },
        suffix_camel,
    );
    resolved
        .into_iter()
        .map(|(m, name)| (m.to_owned(), format!("{name}Call")))
        .collect()
}

/// Decides the identifiers of a method's parameters (arguments of the typed call and setters of
/// its builder): snake_case, [`RESERVED_PARAMETERS`] never given away, collisions resolved as
/// everywhere.
pub fn parameter_names<'a>(
    parameters: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, RustName> {
    let reserved: BTreeSet<String> = RESERVED_PARAMETERS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    resolve(
        parameters,
        &reserved,
        true,
        |p| snake_key(p, "parameter"),
        suffix_snake,
    )
    .into_iter()
    .map(|(p, name)| (p.to_owned(), snake_from_resolved(&name)))
    .collect()
}
