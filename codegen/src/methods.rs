//! Odoo 19's `/doc-bearer` (module `api_doc`): its answers parsed into [`Method`]s, and what a
//! method's annotations mean for a typed call.
//!
//! `GET /doc-bearer/index.json` lists the models the user may read (`{"modules": [...], "models":
//! [{"model", "name", "fields", "methods": [names]}]}`); `GET /doc-bearer/<model>.json` describes one
//! (`{"model", "name", "doc", "fields": {name: fields_get attributes + "module"}, "methods": {name:
//! {"signature", "parameters", "return", "raise", "doc", "api", "model", "module"}}}`). Parameters
//! come in declaration order, `kind` is absent for positional-or-keyword ones, and `default` is
//! absent when the default is not JSON (the signature text still shows it: `index_map=<...>`).
//!
//! Everything here is pure: bytes in, IR out. [`apply`] puts the methods (and the fields'
//! introducing modules) into a [`Schema`].

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result, Warning};
use crate::schema::{Method, Parameter, ParameterKind, Schema};

/// The index: which models the user may read, with their public method names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocIndex {
    /// Installed modules, in loading order.
    pub modules: Vec<String>,
    /// Model technical name → public method names, sorted.
    pub models: BTreeMap<String, Vec<String>>,
}

/// One model's description.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModelDoc {
    /// The model's technical name.
    pub model: String,
    /// Public methods by name.
    pub methods: BTreeMap<String, Method>,
    /// Field name → the module that introduced the field (fields without one are left out).
    pub field_modules: BTreeMap<String, String>,
}

fn invalid(what: &str, reason: impl Into<String>) -> Error {
    Error::Input {
        what: what.to_owned(),
        reason: reason.into(),
    }
}

/// Parses `/doc-bearer/index.json`.
pub fn parse_index(json: &[u8]) -> Result<DocIndex> {
    const WHAT: &str = "/doc-bearer/index.json";
    #[derive(Deserialize)]
    struct Raw {
        #[serde(default)]
        modules: Vec<String>,
        models: Vec<RawEntry>,
    }
    #[derive(Deserialize)]
    struct RawEntry {
        model: String,
        #[serde(default)]
        methods: Vec<String>,
    }
    let raw: Raw = serde_json::from_slice(json).map_err(|error| Error::Json {
        what: WHAT.to_owned(),
        error,
    })?;
    let mut models = BTreeMap::new();
    for entry in raw.models {
        let mut methods = entry.methods;
        methods.sort();
        methods.dedup();
        if models.insert(entry.model.clone(), methods).is_some() {
            return Err(invalid(
                WHAT,
                format!("model `{}` is listed twice", entry.model),
            ));
        }
    }
    Ok(DocIndex {
        modules: raw.modules,
        models,
    })
}

#[derive(Deserialize)]
struct RawMethod {
    signature: String,
    #[serde(default)]
    parameters: serde_json::Map<String, Value>,
    #[serde(default, rename = "return")]
    returns: Option<RawReturn>,
    #[serde(default, rename = "raise")]
    raises: Option<serde_json::Map<String, Value>>,
    #[serde(default)]
    doc: Option<String>,
    #[serde(default)]
    api: Vec<String>,
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    module: Option<String>,
}

#[derive(Deserialize)]
struct RawReturn {
    #[serde(default)]
    annotation: Option<String>,
    #[serde(default)]
    doc: Option<String>,
}

#[derive(Deserialize)]
struct RawParameter {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default, deserialize_with = "present")]
    default: Option<Value>,
    #[serde(default)]
    annotation: Option<String>,
    #[serde(default)]
    doc: Option<String>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Parses `/doc-bearer/<model>.json`. A method whose description is not the expected shape is left
/// out with a warning naming it; an answer that is not a model description is an error.
pub fn parse_model(json: &[u8]) -> Result<(ModelDoc, Vec<Warning>)> {
    #[derive(Deserialize)]
    struct Raw {
        model: String,
        #[serde(default)]
        fields: serde_json::Map<String, Value>,
        #[serde(default)]
        methods: serde_json::Map<String, Value>,
    }
    let raw: Raw = serde_json::from_slice(json).map_err(|error| Error::Json {
        what: "/doc-bearer/<model>.json".to_owned(),
        error,
    })?;
    let mut warnings = Vec::new();
    let mut methods = BTreeMap::new();
    for (name, value) in raw.methods {
        match serde_json::from_value::<RawMethod>(value) {
            Ok(method) => {
                let (method, mut more) = method_from_raw(&raw.model, &name, method);
                warnings.append(&mut more);
                methods.insert(name, method);
            }
            Err(e) => warnings.push(Warning::model(
                &raw.model,
                format!("method `{name}`: unexpected description ({e}); left out"),
            )),
        }
    }
    let field_modules = raw
        .fields
        .iter()
        .filter_map(|(name, attrs)| {
            let module = attrs.get("module")?.as_str()?;
            (!module.is_empty()).then(|| (name.clone(), module.to_owned()))
        })
        .collect();
    Ok((
        ModelDoc {
            model: raw.model,
            methods,
            field_modules,
        },
        warnings,
    ))
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

fn method_from_raw(model: &str, name: &str, raw: RawMethod) -> (Method, Vec<Warning>) {
    let mut warnings = Vec::new();
    let signature = without_addresses(&raw.signature);
    let defaults = signature_defaults(&signature);
    if defaults.is_none() {
        warnings.push(Warning::model(
            model,
            format!(
                "method `{name}`: cannot read the signature {signature:?}; parameters without a \
                 JSON default are taken as required"
            ),
        ));
    }
    let mut parameters = Vec::with_capacity(raw.parameters.len());
    for (pname, value) in raw.parameters {
        let p = match serde_json::from_value::<RawParameter>(value) {
            Ok(p) => p,
            Err(e) => {
                warnings.push(Warning::model(
                    model,
                    format!(
                        "method `{name}`, parameter `{pname}`: unexpected description ({e}); \
                         taken as a dynamic optional value"
                    ),
                ));
                RawParameter {
                    kind: None,
                    default: None,
                    annotation: None,
                    doc: None,
                }
            }
        };
        let kind = p
            .kind
            .as_deref()
            .map_or(ParameterKind::PositionalOrKeyword, ParameterKind::parse);
        let optional = p.default.is_some()
            || defaults
                .as_ref()
                .is_some_and(|with_default| with_default.contains(pname.as_str()));
        parameters.push(Parameter {
            name: pname,
            kind,
            optional,
            default: p.default,
            annotation: non_empty(p.annotation),
            doc: non_empty(p.doc),
        });
    }
    let (returns, returns_doc) = match raw.returns {
        Some(r) => (non_empty(r.annotation), non_empty(r.doc)),
        None => (None, None),
    };
    let raises = raw
        .raises
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect();
    let method = Method {
        name: name.to_owned(),
        signature,
        parameters,
        api_model: raw.api.iter().any(|a| a == "model"),
        readonly: raw.api.iter().any(|a| a == "readonly"),
        returns,
        returns_doc,
        raises,
        doc: non_empty(raw.doc),
        model: raw.model.unwrap_or_default(),
        module: raw.module.unwrap_or_default(),
    };
    (method, warnings)
}

/// Removes ` at 0x...` from default values' reprs (`<object object at 0x7f3a...>`): the address
/// changes each time the server starts.
pub fn without_addresses(signature: &str) -> String {
    const MARK: &str = " at 0x";
    let mut out = String::with_capacity(signature.len());
    let mut rest = signature;
    while let Some(at) = rest.find(MARK) {
        let after = &rest[at + MARK.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_hexdigit).count();
        if digits == 0 {
            out.push_str(&rest[..at + MARK.len()]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..at]);
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// The names of the parameters written with a default (`name=...`) in Odoo's signature text
/// (`(domain, offset=0, limit=None) -> list[int]`); `None` when the text is not of that form.
///
/// Default values are Python reprs: commas inside brackets and quotes do not separate parameters.
pub fn signature_defaults(signature: &str) -> Option<BTreeSet<&str>> {
    let body = signature.strip_prefix('(')?;
    let mut names = BTreeSet::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut start = 0;
    let mut end = None;
    for (i, c) in body.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' | '<' => depth += 1,
            ')' if depth == 0 => {
                end = Some(i);
                break;
            }
            ')' | ']' | '}' | '>' => depth = depth.checked_sub(1)?,
            ',' if depth == 0 => {
                parameter_default(&body[start..i], &mut names);
                start = i + 1;
            }
            _ => {}
        }
    }
    let end = end?;
    parameter_default(&body[start..end], &mut names);
    Some(names)
}

fn parameter_default<'a>(piece: &'a str, names: &mut BTreeSet<&'a str>) {
    if let Some((name, _)) = piece.split_once('=') {
        let name = name.trim().trim_start_matches('*');
        if !name.is_empty() {
            names.insert(name);
        }
    }
}

/// The models whose description to ask for: those of `schema` that the index lists, in name
/// order (the index leaves out models the user may not read, such as abstract ones).
pub fn models_to_read<'a>(index: &DocIndex, schema: &'a Schema) -> Vec<&'a str> {
    schema
        .models
        .keys()
        .filter(|m| index.models.contains_key(*m))
        .map(String::as_str)
        .collect()
}

/// The major version of an `odoo_version` text (`19` for `19.0`, `saas~18.4`, `19.0+e`).
pub fn major_version(odoo_version: &str) -> Option<u32> {
    let text = odoo_version
        .trim()
        .trim_start_matches("saas~")
        .trim_start_matches("saas-");
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Puts the methods of `docs` into the schema's models (replacing what they had), and each field's
/// introducing module where the description names one. Descriptions of models the schema does not
/// hold are skipped, and so are field modules of fields it does not hold.
pub fn apply(schema: &mut Schema, docs: impl IntoIterator<Item = ModelDoc>) {
    for doc in docs {
        let Some(model) = schema.models.get_mut(&doc.model) else {
            continue;
        };
        model.methods = doc.methods;
        for (field, module) in doc.field_modules {
            if let Some(f) = model.fields.get_mut(&field) {
                if !f.modules.contains(&module) {
                    f.modules.push(module.clone());
                    f.modules.sort();
                }
                f.module = Some(module);
            }
        }
    }
}

/// How a typed call takes a parameter (generated code and the changelog follow this).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Passing {
    /// A required argument of the typed call, sent by name (in `kwargs`; JSON-2: in the body).
    Named,
    /// A required argument sent by position after the ids (positional-only parameters).
    Positional,
    /// A setter of the call's builder, sent by name when set.
    Option,
    /// Not offered: `*args`, `**kwargs` (the builder's `kwarg` sends those), optional
    /// positional-only parameters.
    Skipped,
}

impl Passing {
    /// How a typed call takes `parameter`.
    pub fn of(parameter: &Parameter) -> Passing {
        match (&parameter.kind, parameter.optional) {
            (ParameterKind::VarPositional | ParameterKind::VarKeyword, _) => Passing::Skipped,
            (ParameterKind::PositionalOnly, false) => Passing::Positional,
            (ParameterKind::PositionalOnly, true) => Passing::Skipped,
            (_, false) => Passing::Named,
            (_, true) => Passing::Option,
        }
    }

    /// An argument of the typed call (named or positional).
    pub fn is_argument(self) -> bool {
        matches!(self, Passing::Named | Passing::Positional)
    }
}

/// What a parameter's annotation lets a typed call take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ArgType {
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `str` (also `str | Markup`: RPC can only send text).
    Str,
    /// `bool`.
    Bool,
    /// `list[int]` and the like.
    IntList,
    /// `list[str]`, `Sequence[str]`, `Collection[str]` and the like.
    StrList,
    /// `DomainType`: a domain on the method's model.
    Domain,
    /// `ValuesType`: field values of the method's model.
    Values,
    /// `list[ValuesType]`.
    ValuesList,
    /// Anything else (no annotation, `dict`, `record/str`, `list(int)`...): a dynamic value.
    Any,
}

impl ArgType {
    /// A short name (`int`, `list of str`, `domain`, `dynamic`...), for changelogs and docs.
    pub fn as_str(self) -> &'static str {
        match self {
            ArgType::Int => "int",
            ArgType::Float => "float",
            ArgType::Str => "str",
            ArgType::Bool => "bool",
            ArgType::IntList => "list of int",
            ArgType::StrList => "list of str",
            ArgType::Domain => "domain",
            ArgType::Values => "values",
            ArgType::ValuesList => "list of values",
            ArgType::Any => "dynamic",
        }
    }
}

/// What a method's return annotation lets a typed call decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReturnType {
    /// `bool`, `Literal[True]`.
    Bool,
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `str`.
    Str,
    /// `list[int]` (records come back as their ids).
    IntList,
    /// `None`.
    Unit,
    /// Anything else: a dynamic value.
    Any,
}

impl ReturnType {
    /// The Rust type a typed call answers (as docs show it).
    pub fn rust(self) -> &'static str {
        match self {
            ReturnType::Bool => "bool",
            ReturnType::Int => "i64",
            ReturnType::Float => "f64",
            ReturnType::Str => "String",
            ReturnType::IntList => "Vec<i64>",
            ReturnType::Unit => "()",
            ReturnType::Any => "odoo_runtime::Value",
        }
    }

    /// A short name, for changelogs and docs.
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnType::Bool => "bool",
            ReturnType::Int => "int",
            ReturnType::Float => "float",
            ReturnType::Str => "str",
            ReturnType::IntList => "list of int",
            ReturnType::Unit => "None",
            ReturnType::Any => "dynamic",
        }
    }
}

/// The annotation without spaces and `typing.` prefixes.
fn normalise(annotation: &str) -> String {
    annotation
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace("typing.", "")
}

/// Splits on `|` outside brackets.
fn union_members(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            '|' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

fn single_arg(member: &str) -> Option<ArgType> {
    Some(match member {
        "int" => ArgType::Int,
        "float" => ArgType::Float,
        "str" | "Markup" => ArgType::Str,
        "bool" => ArgType::Bool,
        "DomainType" => ArgType::Domain,
        "ValuesType" => ArgType::Values,
        _ => {
            let (outer, inner) = member.strip_suffix(']')?.split_once('[')?;
            let inner = inner.strip_suffix(",...").unwrap_or(inner);
            if !matches!(
                outer,
                "list" | "List" | "Sequence" | "Collection" | "Iterable" | "tuple" | "Tuple"
            ) {
                return None;
            }
            match inner {
                "int" => ArgType::IntList,
                "str" => ArgType::StrList,
                "ValuesType" if matches!(outer, "list" | "List") => ArgType::ValuesList,
                _ => return None,
            }
        }
    })
}

/// The type a typed call takes for an annotation, and whether `None` is allowed. Only exact,
/// well-known forms map to a type; anything else is [`ArgType::Any`]: a guess could refuse valid
/// input.
pub fn arg_type(annotation: Option<&str>) -> (ArgType, bool) {
    let Some(annotation) = annotation else {
        return (ArgType::Any, false);
    };
    let text = normalise(annotation);
    let text = match text
        .strip_prefix("Optional[")
        .and_then(|t| t.strip_suffix(']'))
    {
        Some(inner) => format!("{inner}|None"),
        None => text,
    };
    let mut nullable = false;
    let mut kinds = BTreeSet::new();
    for member in union_members(&text) {
        if member == "None" {
            nullable = true;
            continue;
        }
        match single_arg(member) {
            Some(kind) => {
                kinds.insert(kind);
            }
            None => return (ArgType::Any, nullable),
        }
    }
    let mut kinds = kinds.into_iter();
    match (kinds.next(), kinds.next()) {
        (Some(kind), None) => (kind, nullable),
        _ => (ArgType::Any, nullable),
    }
}

/// The type a typed call decodes for a return annotation ([`ReturnType::Any`] unless it is one of
/// the exact forms listed there).
pub fn return_type(annotation: Option<&str>) -> ReturnType {
    let Some(annotation) = annotation else {
        return ReturnType::Any;
    };
    match normalise(annotation).as_str() {
        "bool" | "Literal[True]" | "Literal[False]" => ReturnType::Bool,
        "int" => ReturnType::Int,
        "float" => ReturnType::Float,
        "str" => ReturnType::Str,
        "list[int]" | "List[int]" => ReturnType::IntList,
        "None" => ReturnType::Unit,
        _ => ReturnType::Any,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_read_from_the_signature_text() {
        let got = signature_defaults("(domain, offset=0, limit=None, order=None) -> list[int]");
        assert_eq!(
            got.unwrap().into_iter().collect::<Vec<_>>(),
            ["limit", "offset", "order"]
        );
        let got = signature_defaults(
            "(e, branding=None, parent_xpath='', index_map=<odoo.tools.misc.ConstantMapping object>)",
        )
        .unwrap();
        assert!(got.contains("index_map") && got.contains("parent_xpath"));
        assert!(!got.contains("e"));
        // Commas and brackets inside reprs and strings do not split.
        let got = signature_defaults("(a=(1, 2), b='x, y)', c={'k': [1, 2]}, d)").unwrap();
        assert_eq!(got.into_iter().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(signature_defaults("()").unwrap().len(), 0);
        assert!(signature_defaults("no parens").is_none());
        assert!(signature_defaults("(a=[1, 2)").is_none());
    }

    #[test]
    fn addresses_are_removed() {
        assert_eq!(
            without_addresses("(m=<object object at 0x7fe796571570>, x=1)"),
            "(m=<object object>, x=1)"
        );
        assert_eq!(
            without_addresses("(x='look at 0xzz')"),
            "(x='look at 0xzz')"
        );
    }

    #[test]
    fn annotations_map_only_when_exact() {
        assert_eq!(arg_type(Some("int")), (ArgType::Int, false));
        assert_eq!(arg_type(Some("int | None")), (ArgType::Int, true));
        assert_eq!(arg_type(Some("Optional[int]")), (ArgType::Int, true));
        assert_eq!(arg_type(Some("str|Markup")), (ArgType::Str, false));
        assert_eq!(
            arg_type(Some("Sequence[str] | None")),
            (ArgType::StrList, true)
        );
        assert_eq!(
            arg_type(Some("list[str] | tuple[str, ...]")),
            (ArgType::StrList, false)
        );
        assert_eq!(arg_type(Some("list[int]")), (ArgType::IntList, false));
        assert_eq!(arg_type(Some("DomainType")), (ArgType::Domain, false));
        assert_eq!(arg_type(Some("ValuesType | None")), (ArgType::Values, true));
        assert_eq!(
            arg_type(Some("list[ValuesType]")),
            (ArgType::ValuesList, false)
        );
        for free in [
            "record/str",
            "list(int)",
            "dict",
            "int | str",
            "list[dict] | None",
            "Self",
            "(optional)",
        ] {
            assert_eq!(arg_type(Some(free)).0, ArgType::Any, "{free}");
        }
        assert_eq!(arg_type(None), (ArgType::Any, false));
        assert_eq!(return_type(Some("typing.Literal[True]")), ReturnType::Bool);
        assert_eq!(return_type(Some("list[int]")), ReturnType::IntList);
        assert_eq!(return_type(Some("None")), ReturnType::Unit);
        assert_eq!(return_type(Some("int | None")), ReturnType::Any);
        assert_eq!(return_type(Some("list(int)")), ReturnType::Any);
        assert_eq!(return_type(None), ReturnType::Any);
    }
}
