//! Randomized schemas: the generator must survive any schema a real Odoo database could hold, custom
//! `x_` models and fields with hostile names included.
//!
//! A proptest strategy builds plausible-as-Odoo [`Schema`]s (1–12 models of 0–15 fields of every type
//! the IR knows, plus a future one; relations into and out of the schema; hostile names, keys, labels
//! and help texts). Each case is generated the way `cargo xtask generate` does it (a random
//! `--models/--modules/--exclude/--depth` filter or none, the same [`Settings`] builder calls, a
//! progress hook) and checked without compiling:
//!
//! * no panic, no error;
//! * every `.rs` file parses (`syn::parse_file`), and `Cargo.toml` parses as TOML (duplicate keys are
//!   errors there) with valid, resolvable feature names;
//! * the same schema generates the same bytes twice, and the progress hook runs once per model;
//! * every model gets its file (found through its `MODEL` constant), its read struct (`Model::Row`)
//!   and its marker;
//! * per module (file, inline `mod`, fn body) item names are unique; so are struct fields, enum
//!   variants, the associated items of a type's inherent impls, trait impls per type, and the string
//!   patterns of a `match`; identifiers are ASCII and follow rustc's case lints (camel types and
//!   variants, snake fields, fns and modules, upper-case constants) and short enough for rustdoc's file
//!   names;
//! * no text-direction code point (rustc denies them in literals and comments) reaches the output.
//!
//! One larger schema (fixed seed, ~50 models, the worst model names pinned, plus a model with one
//! writable field per name of the pool) is also written to `target/emit-tests/random/` and compiled
//! with `cargo clippy --all-features --all-targets -- -D warnings` and `cargo doc` (warnings denied).
//!
//! The random cases differ from run to run (proptest's random seed); a failure prints the minimal
//! schema found. Bugs found so far are pinned in `tests/names_table.rs` and
//! `tests/fixtures/hostile_schema.json`.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use odoo_codegen::filter::Filter;
use odoo_codegen::names::odoo_module_feature;
use odoo_codegen::{
    DefaultFeatures, Field, FieldType, Generated, Model, Schema, SelectionOption, Settings,
    generate,
};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use syn::ext::IdentExt;
use syn::visit::{self, Visit};

// ---------------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------------

/// Name material: ordinary names, keywords, collisions after casing, non-ASCII, generated item names.
const NAME_POOL: &[&str] = &[
    // ordinary
    "name",
    "partner_id",
    "state",
    "amount_total",
    "line_ids",
    "x_studio_field",
    "display_name",
    "create_uid",
    "write_date",
    "res.partner",
    "sale.order",
    "x_custom",
    // Rust keywords and friends
    "type",
    "ref",
    "self",
    "Self",
    "super",
    "crate",
    "move",
    "async",
    "await",
    "gen",
    "fn",
    "r#type",
    "r#self",
    "_",
    "__",
    "union",
    "macro_rules",
    "extern",
    "try",
    "dyn",
    "static",
    "mod",
    "impl",
    "where",
    "yield",
    "box",
    "abstract",
    "safe",
    "raw",
    "auto",
    // leading digits
    "1",
    "1st",
    "2fa",
    "007",
    "9_lives",
    // separators and casing collisions
    "a-b",
    "A_B",
    "a_b",
    "a.b",
    "ab",
    "AB",
    "x_foo.bar",
    "x_foo_bar",
    "x_Name",
    "x_name",
    "X_NAME",
    "with space",
    "a..b",
    ".",
    "-",
    "x.",
    "ID",
    "Id",
    "iD",
    "x_name_2",
    "AB2",
    "field",
    "field_2",
    "self_",
    "self_2",
    "type_",
    "model",
    "Model2",
    "1x",
    "_1",
    // non-ASCII
    "café",
    "cafe",
    "日本",
    "🦀",
    "x_🦀",
    "naïve",
    "ß",
    "Straße",
    "strasse",
    "é",
    "E",
    // empty
    "",
    // names of generated items
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Id",
    "Many2one",
    "Fields",
    "Create",
    "Write",
    "Model",
    "std",
    "core",
    "serde",
    "id",
    "NAME",
    "FIELDS",
    "default",
    "new",
    "F",
    "on",
    "MODEL",
    "FIELD_NAMES",
    "fields",
    "markers",
    "lib",
    "main",
    "all",
    "prelude",
    "__private",
    "Unknown",
    "unknown",
    "Value",
    "Key",
    "OptInt",
    "odoo_runtime",
    "odoo-runtime",
    "A",
    "D",
    "S",
    "C",
    "a",
    "d",
    "Visitor",
    "__Visitor",
    "f0",
    "map",
    "key",
    "value",
    // method names of std traits (inherent setters must not trip clippy)
    "add",
    "sub",
    "mul",
    "shl",
    "bitor",
    "index",
    "cmp",
    "clone",
    "from",
    "into",
    "from_str",
    "eq",
    "hash",
    "next",
    "deref",
    "as_ref",
    "to_owned",
    "is_empty",
    "drop",
    "fmt",
    "not",
    "neg",
    "borrow",
    "into_iter",
    "len",
];

/// Text material for labels, help texts, descriptions and selection labels.
const TEXT_POOL: &[&str] = &[
    "Plain label",
    " ",
    "[",
    "]",
    "[link]",
    "[`x`]",
    "<b>",
    "</b>",
    "<br/>",
    "<p>para</p>",
    "<",
    ">",
    "a < b",
    "*/",
    "/*",
    "/**",
    "https://example.com/a_b?x=[1]&y=`2`",
    "http://odoo.com.",
    "www.odoo.com",
    "`",
    "```",
    "```rust\nfn main() {}\n```",
    "#",
    "# Heading",
    "\n",
    "\r\n",
    "\t",
    "\\",
    "{}",
    "{0}",
    "{{",
    "\"",
    "'",
    "- item",
    "1. first",
    "12) twelfth",
    "~~~",
    "    indented code",
    "---",
    "===",
    "|a|b|",
    "*bold*",
    "_it_",
    "&amp;",
    "&",
    "é",
    "🦀",
    "日本語",
    "\u{202e}rtl override",
    "\u{2066}isolate\u{2069}",
    "\u{200f}",
    "\u{0}",
    "\u{7}",
    "\u{feff}",
    "r#\"raw\"#",
    "#[doc = \"x\"]",
    "//! inner",
    "/// outer",
];

fn token() -> impl Strategy<Value = String> {
    select(NAME_POOL).prop_map(str::to_owned)
}

/// A technical name: a pool entry, two joined, an `x_` custom one, a very long one, or Odoo-shaped.
fn name() -> BoxedStrategy<String> {
    prop_oneof![
        6 => token(),
        3 => (token(), select(&["_", ".", "-", " ", "", "__"][..]), token())
            .prop_map(|(a, sep, b)| format!("{a}{sep}{b}")),
        3 => token().prop_map(|t| format!("x_{t}")),
        1 => (token(), 8usize..40).prop_map(|(t, n)| format!("x_{}", vec![t; n].join("_"))),
        1 => "x_[a-zA-Z0-9_.]{0,30}",
    ]
    .boxed()
}

/// A model name: hostile, custom (`x_...`, dots, digits, uppercase), or a real one.
fn model_name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => name(),
        2 => "x_[a-z0-9_]{1,12}(\\.[a-zA-Z0-9_]{1,8}){0,2}",
        1 => select(&["res.partner", "sale.order", "sale.order.line", "ir.model", "x_custom"][..])
            .prop_map(str::to_owned),
    ]
    .boxed()
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(select(TEXT_POOL), 0..6).prop_map(|v| v.concat())
}

fn field_type() -> impl Strategy<Value = FieldType> {
    let mut types: Vec<FieldType> = FieldType::KNOWN.to_vec();
    types.push(FieldType::Unknown("vector".to_owned()));
    types.push(FieldType::Unknown("x_future`type".to_owned()));
    select(types)
}

/// Where a relation points.
#[derive(Debug, Clone)]
enum Target {
    /// A model of the schema (by index).
    InSchema(Index),
    /// A model not in the schema.
    Foreign(String),
    /// `relation` unset.
    Unset,
    /// `relation = ""`.
    Empty,
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        5 => any::<Index>().prop_map(Target::InSchema),
        2 => model_name().prop_map(Target::Foreign),
        1 => Just(Target::Unset),
        1 => Just(Target::Empty),
    ]
}

/// A field before its relation is resolved against the schema's models.
#[derive(Debug, Clone)]
struct FieldSpec {
    field: Field,
    target: Target,
}

fn modules() -> impl Strategy<Value = Vec<String>> {
    let pool = &[
        "base",
        "sale",
        "x_studio",
        "web.site",
        "",
        "Mödule",
        "a-b",
        "a_b",
        "module-x",
        "all",
        "default",
        "🦀",
        "sale_management",
    ][..];
    prop::collection::btree_set(select(pool).prop_map(str::to_owned), 0..3)
        .prop_map(|s| s.into_iter().collect())
}

fn selection() -> impl Strategy<Value = Option<Vec<SelectionOption>>> {
    let key = prop_oneof![
        3 => name(),
        1 => text(),
        1 => select(&["draft", "done", "Unknown", "unknown", "False", "false", "0", ""][..])
            .prop_map(str::to_owned),
    ];
    prop::option::weighted(
        0.9,
        prop::collection::vec(
            (key, text()).prop_map(|(value, label)| SelectionOption { value, label }),
            0..7,
        ),
    )
}

fn field() -> impl Strategy<Value = FieldSpec> {
    let names = (
        prop_oneof![6 => name(), 1 => Just("id".to_owned())],
        field_type(),
        text(),
        prop::option::of(text()),
        prop::array::uniform6(any::<bool>()),
    );
    let extra = (
        target(),
        selection(),
        modules(),
        prop::option::weighted(0.2, name()),
        prop::option::weighted(0.2, name()),
        prop::option::weighted(0.1, "[a-z_]{1,8}(\\.[a-z_]{1,8}){0,2}"),
    );
    (names, extra).prop_map(
        |(
            (name, field_type, label, help, flags),
            (target, selection, modules, inverse, currency_field, related),
        )| {
            let [
                required,
                readonly,
                store,
                custom,
                company_dependent,
                translate,
            ] = flags;
            let model_field =
                (field_type == FieldType::Many2oneReference).then(|| "res_model".to_owned());
            FieldSpec {
                field: Field {
                    name,
                    field_type,
                    label,
                    help,
                    required,
                    readonly,
                    store,
                    custom,
                    relation: None,
                    inverse,
                    model_field,
                    selection,
                    currency_field,
                    company_dependent,
                    related,
                    translate,
                    modules,
                    module: None,
                },
                target,
            }
        },
    )
}

/// A model before its relations are resolved.
#[derive(Debug, Clone)]
struct ModelSpec {
    model: Model,
    fields: Vec<FieldSpec>,
}

fn model() -> impl Strategy<Value = ModelSpec> {
    (
        model_name(),
        text(),
        prop::option::weighted(0.3, text()),
        prop::option::weighted(0.2, text()),
        any::<(bool, bool)>(),
        modules(),
        prop::collection::vec(field(), 0..=15),
    )
        .prop_map(
            |(name, description, info, order, (transient, custom), modules, fields)| ModelSpec {
                model: Model {
                    name,
                    description,
                    info,
                    order,
                    transient,
                    custom,
                    modules,
                    fields: BTreeMap::new(),
                    methods: BTreeMap::new(),
                },
                fields,
            },
        )
}

/// Builds the schema: the first model of each name wins, so does the first field of each name;
/// relations are resolved against the models kept.
fn build(odoo_version: String, specs: Vec<ModelSpec>) -> Schema {
    let mut kept: BTreeMap<String, ModelSpec> = BTreeMap::new();
    for spec in specs {
        kept.entry(spec.model.name.clone()).or_insert(spec);
    }
    let names: Vec<String> = kept.keys().cloned().collect();
    let models = kept
        .into_iter()
        .map(|(name, spec)| {
            let mut model = spec.model;
            for f in spec.fields {
                let mut field = f.field;
                field.relation = match f.target {
                    Target::InSchema(i) => Some(i.get(&names).clone()),
                    Target::Foreign(m) => Some(m),
                    Target::Unset => None,
                    Target::Empty => Some(String::new()),
                };
                model.fields.entry(field.name.clone()).or_insert(field);
            }
            (name, model)
        })
        .collect();
    Schema {
        odoo_version,
        models,
    }
}

fn odoo_version() -> impl Strategy<Value = String> {
    select(&["18.0", "19.0+e", "saas~17.4", "", "18.0\n<b>[x]</b>"][..]).prop_map(str::to_owned)
}

fn schema(models: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Schema> {
    (odoo_version(), prop::collection::vec(model(), models))
        .prop_map(|(version, specs)| build(version, specs))
}

/// Which `--default-features` the case uses (resolved against the schema).
#[derive(Debug, Clone)]
enum Defaults {
    None,
    All,
    /// Some model names and module features of the schema.
    List(Vec<Index>),
}

fn defaults() -> impl Strategy<Value = Defaults> {
    prop_oneof![
        Just(Defaults::None),
        Just(Defaults::All),
        prop::collection::vec(any::<Index>(), 0..4).prop_map(Defaults::List),
    ]
}

/// The settings `cargo xtask generate` builds (crate name, label, workspace, runtime path, default
/// features, progress hook), and the hook's call counter.
fn xtask_settings(schema: &Schema, defaults: &Defaults) -> (Settings, Arc<AtomicUsize>) {
    let features = match defaults {
        Defaults::None => DefaultFeatures::None,
        Defaults::All => DefaultFeatures::All,
        Defaults::List(picks) => {
            let mut choices: Vec<String> = schema.models.keys().cloned().collect();
            for model in schema.models.values() {
                choices.extend(model.modules.iter().map(|m| odoo_module_feature(m)));
            }
            DefaultFeatures::List(picks.iter().map(|i| i.get(&choices).clone()).collect())
        }
    };
    let done = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&done);
    let settings = Settings::new()
        .crate_name("emit-test-random")
        .snapshot_label("random")
        .standalone_workspace(true)
        .runtime_path("../../../runtime")
        .default_features(features)
        .on_model_done(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
    (settings, done)
}

// ---------------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------------

/// rustc's `non_camel_case_types` rule.
fn is_camel_case(name: &str) -> bool {
    let name = name.trim_matches('_');
    if name.is_empty() {
        return true;
    }
    let has_case = |c: char| c.is_lowercase() || c.is_uppercase();
    let chars: Vec<char> = name.chars().collect();
    !chars[0].is_lowercase()
        && !name.contains("__")
        && !chars
            .windows(2)
            .any(|w| has_case(w[0]) && w[1] == '_' || has_case(w[1]) && w[0] == '_')
}

/// rustc's `non_snake_case` rule.
fn is_snake_case(name: &str) -> bool {
    let name = name.trim_matches('_');
    let mut allow_underscore = true;
    name.chars().all(|c| {
        allow_underscore = match c {
            '_' if !allow_underscore => return false,
            '_' => false,
            c if !c.is_uppercase() => true,
            _ => return false,
        };
        true
    })
}

/// rustc's `non_upper_case_globals` rule.
fn is_upper_case(name: &str) -> bool {
    !name.chars().any(char::is_lowercase)
}

fn item_ident(item: &syn::Item) -> Option<&syn::Ident> {
    match item {
        syn::Item::Const(i) => Some(&i.ident),
        syn::Item::Enum(i) => Some(&i.ident),
        syn::Item::Fn(i) => Some(&i.sig.ident),
        syn::Item::Mod(i) => Some(&i.ident),
        syn::Item::Static(i) => Some(&i.ident),
        syn::Item::Struct(i) => Some(&i.ident),
        syn::Item::Trait(i) => Some(&i.ident),
        syn::Item::Type(i) => Some(&i.ident),
        syn::Item::Union(i) => Some(&i.ident),
        syn::Item::ExternCrate(i) => Some(&i.ident),
        syn::Item::Macro(i) => i.ident.as_ref(),
        _ => None,
    }
}

fn tokens(t: &impl quote::ToTokens) -> String {
    t.to_token_stream().to_string()
}

/// Walks one file and records every problem in `errors`.
struct Checker<'a> {
    file: &'a str,
    /// Module name of the file (`None` for `lib.rs`).
    module: Option<String>,
    /// `(trait, self type)` of every trait impl of the crate, local types qualified by file.
    trait_impls: &'a mut BTreeSet<(String, String)>,
    errors: Vec<String>,
}

impl Checker<'_> {
    fn error(&mut self, msg: String) {
        self.errors.push(format!("{}: {msg}", self.file));
    }

    fn unique<'i>(&mut self, scope: &str, idents: impl IntoIterator<Item = &'i syn::Ident>) {
        let mut seen = BTreeSet::new();
        for ident in idents {
            let name = ident.unraw().to_string();
            if !seen.insert(name.clone()) {
                self.error(format!("`{name}` defined twice in {scope}"));
            }
        }
    }

    fn items(&mut self, scope: &str, items: &[syn::Item]) {
        self.unique(scope, items.iter().filter_map(item_ident));
        // Inherent impls of one type share one namespace; a trait is implemented once per type.
        let mut inherent: BTreeMap<String, Vec<&syn::Ident>> = BTreeMap::new();
        for item in items {
            let syn::Item::Impl(imp) = item else { continue };
            let ty = tokens(&imp.self_ty);
            match &imp.trait_ {
                None => inherent
                    .entry(ty)
                    .or_default()
                    .extend(imp.items.iter().filter_map(|i| match i {
                        syn::ImplItem::Const(c) => Some(&c.ident),
                        syn::ImplItem::Fn(f) => Some(&f.sig.ident),
                        syn::ImplItem::Type(t) => Some(&t.ident),
                        _ => None,
                    })),
                Some((_, path, _)) => {
                    let ty = if ty.starts_with("crate ::") || ty.starts_with(":: ") {
                        ty
                    } else {
                        format!("{}::{scope}::{ty}", self.file)
                    };
                    let key = (tokens(path), ty);
                    if !self.trait_impls.insert(key.clone()) {
                        self.error(format!("`impl {} for {}` twice", key.0, key.1));
                    }
                }
            }
        }
        for (ty, idents) in inherent {
            self.unique(&format!("the inherent impls of `{ty}`"), idents);
        }
    }
}

impl<'ast> Visit<'ast> for Checker<'_> {
    fn visit_file(&mut self, f: &'ast syn::File) {
        self.items("the file", &f.items);
        visit::visit_file(self, f);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let name = m.ident.unraw().to_string();
        if !is_snake_case(&name) {
            self.error(format!("module `{name}` is not snake_case"));
        }
        if self.module.as_deref() == Some(name.as_str()) {
            self.error(format!(
                "module `{name}` inside the module of the same name"
            ));
        }
        if let Some((_, items)) = &m.content {
            self.items(&format!("mod {name}"), items);
        }
        visit::visit_item_mod(self, m);
    }

    fn visit_block(&mut self, b: &'ast syn::Block) {
        let items: Vec<syn::Item> = b
            .stmts
            .iter()
            .filter_map(|s| match s {
                syn::Stmt::Item(i) => Some(i.clone()),
                _ => None,
            })
            .collect();
        self.items("a block", &items);
        visit::visit_block(self, b);
    }

    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        let name = s.ident.unraw().to_string();
        if !is_camel_case(&name) {
            self.error(format!("struct `{name}` is not CamelCase"));
        }
        if let syn::Fields::Named(fields) = &s.fields {
            let idents: Vec<&syn::Ident> = fields
                .named
                .iter()
                .filter_map(|f| f.ident.as_ref())
                .collect();
            for ident in &idents {
                let field = ident.unraw().to_string();
                if !is_snake_case(&field) {
                    self.error(format!("field `{name}.{field}` is not snake_case"));
                }
            }
            self.unique(&format!("struct `{name}`"), idents);
        }
        visit::visit_item_struct(self, s);
    }

    fn visit_item_enum(&mut self, e: &'ast syn::ItemEnum) {
        let name = e.ident.unraw().to_string();
        if !is_camel_case(&name) {
            self.error(format!("enum `{name}` is not CamelCase"));
        }
        for v in &e.variants {
            let variant = v.ident.unraw().to_string();
            if !is_camel_case(&variant) {
                self.error(format!("variant `{name}::{variant}` is not CamelCase"));
            }
        }
        self.unique(
            &format!("enum `{name}`"),
            e.variants.iter().map(|v| &v.ident),
        );
        visit::visit_item_enum(self, e);
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let scope = format!("`impl {}`", tokens(&i.self_ty));
        self.unique(
            &scope,
            i.items.iter().filter_map(|item| match item {
                syn::ImplItem::Const(c) => Some(&c.ident),
                syn::ImplItem::Fn(f) => Some(&f.sig.ident),
                syn::ImplItem::Type(t) => Some(&t.ident),
                _ => None,
            }),
        );
        visit::visit_item_impl(self, i);
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        let name = c.ident.unraw().to_string();
        if !is_upper_case(&name) {
            self.error(format!("const `{name}` is not UPPER_CASE"));
        }
        visit::visit_item_const(self, c);
    }

    fn visit_impl_item_const(&mut self, c: &'ast syn::ImplItemConst) {
        let name = c.ident.unraw().to_string();
        if !is_upper_case(&name) {
            self.error(format!("associated const `{name}` is not UPPER_CASE"));
        }
        visit::visit_impl_item_const(self, c);
    }

    fn visit_signature(&mut self, s: &'ast syn::Signature) {
        let name = s.ident.unraw().to_string();
        if !is_snake_case(&name) {
            self.error(format!("fn `{name}` is not snake_case"));
        }
        visit::visit_signature(self, s);
    }

    fn visit_type_param(&mut self, p: &'ast syn::TypeParam) {
        let name = p.ident.unraw().to_string();
        if !is_camel_case(&name) {
            self.error(format!("type parameter `{name}` is not CamelCase"));
        }
        visit::visit_type_param(self, p);
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        let mut seen = BTreeSet::new();
        for arm in &m.arms {
            if let syn::Pat::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &arm.pat
                && !seen.insert(s.value())
            {
                self.error(format!("match arm {:?} twice", s.value()));
            }
        }
        visit::visit_expr_match(self, m);
    }

    fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
        let name = i.to_string();
        if !name.is_ascii() {
            self.error(format!("identifier `{name}` is not ASCII"));
        }
        // rustdoc writes `constant.<NAME>.html`, `struct.<Name>.html`...: 255 bytes at most.
        if name.len() > 200 {
            self.error(format!("identifier `{name}` is too long for a file name"));
        }
    }
}

/// Text-direction code points: rustc denies them in literals and comments.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Cargo's rule for feature names.
fn valid_feature(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.'))
}

/// Every check of one generated crate (see the module docs); panics with all problems found.
fn check(schema: &Schema, generated: &Generated) {
    let mut errors = Vec::new();
    let paths: BTreeSet<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.len(), generated.files.len(), "duplicate file paths");
    assert_eq!(generated.files.len(), schema.models.len() + 2);

    // Cargo.toml: TOML (no duplicate key), valid features, every member a feature.
    let cargo = generated.file("Cargo.toml").expect("Cargo.toml");
    let manifest: toml::Table = toml::from_str(&cargo.contents)
        .unwrap_or_else(|e| panic!("Cargo.toml: {e}\n{}", cargo.contents));
    let features = manifest["features"].as_table().expect("[features]");
    for (feature, members) in features {
        if !valid_feature(feature) {
            errors.push(format!("Cargo.toml: invalid feature name {feature:?}"));
        }
        for member in members.as_array().expect("a feature is a list") {
            let member = member.as_str().expect("a feature member is a string");
            if !features.contains_key(member) {
                errors.push(format!(
                    "Cargo.toml: {feature:?} enables {member:?}, not a feature"
                ));
            }
        }
    }

    let mut trait_impls = BTreeSet::new();
    let mut parsed: BTreeMap<&str, syn::File> = BTreeMap::new();
    for file in &generated.files {
        for line in file.contents.lines() {
            if line.chars().any(|c| is_bidi(c) || c == '\0') {
                errors.push(format!(
                    "{}: a text-direction code point: {line:?}",
                    file.path
                ));
            }
        }
        for component in file.path.split('/') {
            if component.len() > 255 {
                errors.push(format!("{}: a path component is too long", file.path));
            }
        }
        let Some(rs) = file.path.strip_suffix(".rs") else {
            continue;
        };
        let ast = match syn::parse_file(&file.contents) {
            Ok(ast) => ast,
            Err(e) => panic!("{} does not parse: {e}\n{}", file.path, file.contents),
        };
        let module = rs
            .strip_prefix("src/")
            .filter(|m| *m != "lib")
            .map(str::to_owned);
        let mut checker = Checker {
            file: &file.path,
            module,
            trait_impls: &mut trait_impls,
            errors: Vec::new(),
        };
        checker.visit_file(&ast);
        errors.extend(checker.errors);
        parsed.insert(&file.path, ast);
    }

    // lib.rs: markers, and one feature-gated module per model file.
    let lib = &parsed["src/lib.rs"];
    let mut markers = BTreeSet::new();
    let mut modules = BTreeSet::new();
    for item in &lib.items {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident == "markers" {
            for item in &m.content.as_ref().expect("inline markers").1 {
                if let syn::Item::Enum(e) = item {
                    markers.insert(e.ident.to_string());
                }
            }
        } else if m.content.is_none() {
            let module = m.ident.to_string();
            let feature = m.attrs.iter().find_map(|a| {
                let mut found = None;
                if a.path().is_ident("cfg") {
                    let _ = a.parse_nested_meta(|meta| {
                        if meta.path.is_ident("feature") {
                            found = Some(meta.value()?.parse::<syn::LitStr>()?.value());
                        }
                        Ok(())
                    });
                }
                found
            });
            match feature {
                Some(f) if features.contains_key(&f) => {}
                other => errors.push(format!("mod {module}: feature {other:?} not in Cargo.toml")),
            }
            if !paths.contains(format!("src/{module}.rs").as_str()) {
                errors.push(format!("mod {module}: no file"));
            }
            modules.insert(module);
        }
    }
    assert_eq!(markers.len(), schema.models.len(), "one marker per model");
    assert_eq!(modules.len(), schema.models.len(), "one module per model");

    // Each model: its file (by `MODEL`), its read struct (`Model::Row`), its marker.
    let mut seen_models = BTreeSet::new();
    for (path, ast) in &parsed {
        if *path == "src/lib.rs" {
            continue;
        }
        let model = ast.items.iter().find_map(|item| match item {
            syn::Item::Const(c) if c.ident == "MODEL" => match &*c.expr {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        });
        let Some(model) = model else {
            errors.push(format!("{path}: no MODEL constant"));
            continue;
        };
        if !seen_models.insert(model.clone()) {
            errors.push(format!("{path}: model {model:?} emitted twice"));
        }
        let structs: BTreeSet<String> = ast
            .items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Struct(s) => Some(s.ident.to_string()),
                _ => None,
            })
            .collect();
        let model_impl = ast.items.iter().find_map(|i| match i {
            syn::Item::Impl(imp)
                if imp
                    .trait_
                    .as_ref()
                    .is_some_and(|(_, p, _)| tokens(p) == ":: odoo_runtime :: model :: Model") =>
            {
                Some(imp)
            }
            _ => None,
        });
        let Some(model_impl) = model_impl else {
            errors.push(format!("{path}: no `impl Model`"));
            continue;
        };
        let row = model_impl.items.iter().find_map(|i| match i {
            syn::ImplItem::Type(t) if t.ident == "Row" => Some(tokens(&t.ty)),
            _ => None,
        });
        match row {
            Some(row) if structs.contains(&row) => {}
            other => errors.push(format!("{path}: Row {other:?} is not a struct of the file")),
        }
        let marker = tokens(&model_impl.self_ty);
        match marker.strip_prefix("crate :: markers :: ") {
            Some(m) if markers.contains(m) => {}
            _ => errors.push(format!("{path}: `impl Model for {marker}`: no such marker")),
        }
    }
    let expected: BTreeSet<String> = schema.models.keys().cloned().collect();
    if seen_models != expected {
        errors.push(format!(
            "models without a file: {:?}; files of unknown models: {:?}",
            expected.difference(&seen_models).collect::<Vec<_>>(),
            seen_models.difference(&expected).collect::<Vec<_>>()
        ));
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// Generates as `cargo xtask generate` does, twice; checks determinism and the progress hook.
fn generate_and_check(schema: &Schema, defaults: &Defaults) -> Generated {
    let (settings, done) = xtask_settings(schema, defaults);
    let first = generate(schema, &settings)
        .unwrap_or_else(|e| panic!("generate failed: {e}\n{}", schema_json(schema)));
    assert_eq!(
        done.load(Ordering::Relaxed),
        schema.models.len(),
        "progress hook calls"
    );
    let (settings, _) = xtask_settings(schema, defaults);
    let second = generate(schema, &settings).unwrap();
    assert_eq!(first, second, "generation is not deterministic");
    check(schema, &first);
    first
}

fn schema_json(schema: &Schema) -> String {
    serde_json::to_string_pretty(schema).unwrap()
}

/// The `--models/--modules/--exclude/--depth` of a case, picked among the schema's own names (so
/// the filter cannot fail); `None`: every model.
#[derive(Debug, Clone)]
struct FilterSpec {
    models: Vec<Index>,
    custom_glob: bool,
    modules: Vec<Index>,
    exclude: Option<Index>,
    depth: u32,
}

fn filter_spec() -> impl Strategy<Value = Option<FilterSpec>> {
    prop::option::of(
        (
            prop::collection::vec(any::<Index>(), 0..3),
            any::<bool>(),
            prop::collection::vec(any::<Index>(), 0..2),
            prop::option::of(any::<Index>()),
            0u32..3,
        )
            .prop_map(
                |(models, custom_glob, modules, exclude, depth)| FilterSpec {
                    models,
                    custom_glob,
                    modules,
                    exclude,
                    depth,
                },
            ),
    )
}

/// Applies the filter as `cargo xtask generate` does; `None` when no model is left (xtask stops there).
fn filtered(schema: &Schema, spec: &Option<FilterSpec>) -> Option<Schema> {
    let Some(spec) = spec else {
        return Some(schema.clone());
    };
    // Blank names (in the pools to test naming) cannot be asked for: the filter refuses blank
    // entries.
    let names: Vec<&String> = schema
        .models
        .keys()
        .filter(|m| !m.trim().is_empty())
        .collect();
    let pick = |picks: &[Index], from: &[&String]| -> Vec<String> {
        if from.is_empty() {
            Vec::new()
        } else {
            picks.iter().map(|i| i.get(from).to_string()).collect()
        }
    };
    let modules: Vec<&String> = schema
        .models
        .values()
        .flat_map(|m| &m.modules)
        .filter(|m| !m.trim().is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut models = pick(&spec.models, &names);
    if spec.custom_glob {
        models.push("x_*".to_owned());
    }
    let exclude: Vec<Index> = spec.exclude.iter().copied().collect();
    let filter = Filter {
        models,
        modules: pick(&spec.modules, &modules),
        exclude: pick(&exclude, &names),
        depth: spec.depth,
    };
    let (schema, _warnings) = filter
        .apply(schema)
        .unwrap_or_else(|e| panic!("{filter:?}: {e}"));
    (!schema.models.is_empty()).then_some(schema)
}

proptest! {
    #![proptest_config(Config {
        cases: 200,
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    })]

    #[test]
    fn random_schemas_generate_valid_crates(
        schema in schema(1..=12),
        filter in filter_spec(),
        defaults in defaults(),
    ) {
        if let Some(schema) = filtered(&schema, &filter) {
            generate_and_check(&schema, &defaults);
        }
    }
}

/// Model names pinned into the compiled schema: the ones most likely to break compilation.
const PINNED_MODELS: &[&str] = &[
    "a",
    "d",
    "1",
    "self",
    "Self",
    "serde",
    "odoo_runtime",
    "std",
    "core",
    "Option",
    "x_Name",
    "x_name",
    "x_foo.bar",
    "x_foo_bar",
    "fields",
    "__private",
    "a-b",
    "A_B",
    "café",
    "日本",
    "🦀",
    "",
];

/// A model with one writable field per name of [`NAME_POOL`] (so a setter of each name: `add`, `not`,
/// `next`... must not trip `clippy::should_implement_trait`), the types cycling through every known
/// type and a future one, and a selection keyed by every name of the pool.
fn kitchen_sink(schema: &Schema) -> Model {
    let mut types: Vec<FieldType> = FieldType::KNOWN.to_vec();
    types.push(FieldType::Unknown("vector".to_owned()));
    let targets: Vec<&String> = schema.models.keys().collect();
    let keys: Vec<SelectionOption> = NAME_POOL
        .iter()
        .map(|k| SelectionOption {
            value: (*k).to_owned(),
            label: format!("{k} [label]"),
        })
        .collect();
    let fields = NAME_POOL
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let field_type = types[i % types.len()].clone();
            let field = Field {
                name: (*name).to_owned(),
                relation: field_type
                    .is_relational()
                    .then(|| targets[i % targets.len()].clone()),
                selection: (field_type == FieldType::Selection).then(|| keys.clone()),
                label: TEXT_POOL[i % TEXT_POOL.len()].to_owned(),
                help: Some(TEXT_POOL[(i * 7) % TEXT_POOL.len()].to_owned()),
                store: true,
                field_type,
                ..Field::default()
            };
            ((*name).to_owned(), field)
        })
        .collect();
    Model {
        name: "x_kitchen.sink".to_owned(),
        description: "Every name of the pool".to_owned(),
        modules: vec!["x_studio".to_owned()],
        fields,
        ..Model::default()
    }
}

#[test]
fn large_hostile_schema_compiles_clippy_clean() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let total = 30 + PINNED_MODELS.len();
    let mut specs = prop::collection::vec(model(), total..=total)
        .new_tree(&mut runner)
        .unwrap()
        .current();
    for (spec, name) in specs.iter_mut().zip(PINNED_MODELS) {
        spec.model.name = (*name).to_owned();
    }
    let mut schema = build("18.0".to_owned(), specs);
    assert!(schema.models.len() >= 40, "{} models", schema.models.len());
    let sink = kitchen_sink(&schema);
    schema.models.insert(sink.name.clone(), sink);
    let generated = generate_and_check(&schema, &Defaults::None);
    support::write_and_check("random", &generated, &[], &[support::CLIPPY, support::DOC]);
}
