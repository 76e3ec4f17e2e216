//! Calls on a typed model: search, read, create, write, unlink and any other public method.
//!
//! ```text
//! let partners = ResPartner::on(&client);
//! let f = ResPartner::F;
//! let ids = partners.search(f.is_company.eq(true)).offset(10).limit(5).ids().await?;
//! let rows = partners.search(f.is_company.eq(true)).fields(Fields::none().with(&f.name)).rows().await?;
//! let id = partners.create(ResPartnerCreate::new().name("New Partner")).await?;
//! partners.write([id], ResPartnerWrite::new().name("Newer partner")).await?;
//! partners.unlink([id]).await?;
//! ```
//!
//! Every call is an `execute_kw(model, method, args, kwargs)` sent through an [`Executor`] (the
//! [`Client`](crate::client) implements it). Keyword arguments are sent in the order they were given;
//! an empty set of keyword arguments is not sent.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

use futures::Stream;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::OneId;
use crate::domain::{Domain, Term};
use crate::model::{CreateValues, Fields, Model, WriteValues};
use crate::types::{Id, OrFalse};
use crate::{Error, Result, Value};

/// One `execute_kw` call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Technical model name, e.g. `res.partner`.
    pub model: Cow<'static, str>,
    /// Method name, e.g. `search_read`.
    pub method: Cow<'static, str>,
    /// Positional arguments.
    pub args: Vec<Term>,
    /// Keyword arguments, in the order given. Not sent when empty.
    pub kwargs: Vec<(String, Term)>,
}

impl Call {
    /// A call without arguments.
    pub fn new(model: impl Into<Cow<'static, str>>, method: impl Into<Cow<'static, str>>) -> Self {
        Call {
            model: model.into(),
            method: method.into(),
            args: Vec::new(),
            kwargs: Vec::new(),
        }
    }

    /// `model.method`, for error messages.
    pub fn name(&self) -> String {
        format!("{}.{}", self.model, self.method)
    }

    /// The keyword arguments as one struct term.
    pub fn kwargs_term(&self) -> Term {
        Term::Map(self.kwargs.clone())
    }

    pub(crate) fn put_kwarg(&mut self, name: &str, value: Term) {
        put_entry(&mut self.kwargs, name.to_owned(), value);
    }
}

/// Something that runs `execute_kw` calls and decodes their result: the client, or a test double.
pub trait Executor {
    /// Runs `call` and decodes its result as `R`. Errors name the call (`res.partner.search`).
    fn execute<R: DeserializeOwned>(&self, call: Call) -> impl Future<Output = Result<R>>;
}

impl<E: Executor> Executor for &E {
    fn execute<R: DeserializeOwned>(&self, call: Call) -> impl Future<Output = Result<R>> {
        (**self).execute(call)
    }
}

/// Entry point of the typed API on every model: `ResPartner::on(&client)`.
pub trait On: Model {
    /// The records of this model, through `client`.
    fn on<C: Executor>(client: &C) -> Records<'_, C, Self> {
        Records::new(client)
    }
}

impl<M: Model> On for M {}

/// The records of model `M` reached through the executor `C`.
pub struct Records<'c, C, M> {
    client: &'c C,
    context: Vec<(String, Term)>,
    _model: PhantomData<fn() -> M>,
}

impl<C, M> Clone for Records<'_, C, M> {
    fn clone(&self) -> Self {
        Records {
            client: self.client,
            context: self.context.clone(),
            _model: PhantomData,
        }
    }
}

impl<C, M: Model> fmt::Debug for Records<'_, C, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Records")
            .field("model", &M::NAME)
            .field("context", &self.context)
            .finish()
    }
}

/// Sets `key` to `value` in `entries` (in its place when already there, else at the end).
fn put_entry(entries: &mut Vec<(String, Term)>, key: String, value: Term) {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => entries.push((key, value)),
    }
}

fn ids_term<M>(ids: impl IntoIterator<Item = Id<M>>) -> Term {
    Term::List(ids.into_iter().map(|id| Term::Int(id.get())).collect())
}

impl<'c, C: Executor, M: Model> Records<'c, C, M> {
    /// The records of `M` through `client`.
    pub fn new(client: &'c C) -> Self {
        Records {
            client,
            context: Vec::new(),
            _model: PhantomData,
        }
    }

    /// Adds `key: value` to the `context` keyword argument of every call (e.g. `lang`).
    ///
    /// A `context` keyword argument given to one call ([`MethodCall::kwarg`]) is merged over it:
    /// both sets of keys are sent, the per-call value winning for a key set in both.
    pub fn with_context(mut self, key: impl Into<String>, value: impl Into<Term>) -> Self {
        put_entry(&mut self.context, key.into(), value.into());
        self
    }

    pub(crate) fn call(&self, method: &'static str, args: Vec<Term>) -> Call {
        Call {
            model: Cow::Borrowed(M::NAME),
            method: Cow::Borrowed(method),
            args,
            kwargs: Vec::new(),
        }
    }

    pub(crate) async fn run<R: DeserializeOwned>(&self, mut call: Call) -> Result<R> {
        if !self.context.is_empty() {
            let context = self.context_for(&call)?;
            call.put_kwarg("context", context);
        }
        self.client.execute(call).await
    }

    /// This context with the call's own `context` keyword argument over it (per-call keys win),
    /// by the rules of the client's default context: a missing or `null` per-call context is
    /// replaced, anything but a map is refused.
    fn context_for(&self, call: &Call) -> Result<Term> {
        let mut merged = self.context.clone();
        match call
            .kwargs
            .iter()
            .find(|(n, _)| n == "context")
            .map(|(_, v)| v)
        {
            None | Some(Term::Json(serde_json::Value::Null)) => {}
            Some(Term::Map(per_call)) => {
                for (key, value) in per_call {
                    put_entry(&mut merged, key.clone(), value.clone());
                }
            }
            Some(Term::Json(serde_json::Value::Object(per_call))) => {
                for (key, value) in per_call {
                    put_entry(&mut merged, key.clone(), Term::Json(value.clone()));
                }
            }
            Some(other) => {
                let kind = match other {
                    Term::False | Term::Bool(_) | Term::Json(serde_json::Value::Bool(_)) => {
                        "a boolean"
                    }
                    Term::Int(_) | Term::Float(_) | Term::Json(serde_json::Value::Number(_)) => {
                        "a number"
                    }
                    Term::Str(_) | Term::Json(serde_json::Value::String(_)) => "a string",
                    _ => "a list",
                };
                return Err(Error::Encode(format!(
                    "{}: the context must be a map, got {kind}",
                    call.name()
                )));
            }
        }
        Ok(Term::Map(merged))
    }

    /// A search on `domain`; run it with [`Search::ids`], [`Search::count`], [`Search::rows`] or
    /// [`Search::pages`].
    pub fn search(&self, domain: Domain<M>) -> Search<'c, C, M> {
        Search {
            records: self.clone(),
            domain,
            kwargs: Vec::new(),
        }
    }

    /// `read(ids, fields=...)`: the rows of `ids`, with `fields` only (or every field).
    pub async fn read(
        &self,
        ids: impl IntoIterator<Item = Id<M>>,
        fields: impl Into<Fields<M>>,
    ) -> Result<Vec<M::Row>> {
        let mut call = self.call("read", vec![ids_term(ids)]);
        if let Some(fields) = fields.into().term() {
            call.put_kwarg("fields", fields);
        }
        self.run(call).await
    }

    /// `name_search(name, limit=...)`: `(id, display name)` of the records whose name matches.
    ///
    /// A display name Odoo answers as `false` is read as an empty string, as
    /// [`Client::name_search`](crate::client::Client::name_search) does.
    pub async fn name_search(&self, name: &str, limit: u32) -> Result<Vec<(Id<M>, String)>> {
        self.name_search_call(vec![Term::Str(name.to_owned())], limit)
            .await
    }

    /// `name_search(name, domain, limit=...)`: as [`Records::name_search`], among the records
    /// `domain` matches (a partner's contacts, the active products...).
    pub async fn name_search_in(
        &self,
        domain: Domain<M>,
        name: &str,
        limit: u32,
    ) -> Result<Vec<(Id<M>, String)>> {
        let args = vec![
            Term::Str(name.to_owned()),
            Term::Domain(Box::new(domain.node().clone())),
        ];
        self.name_search_call(args, limit).await
    }

    async fn name_search_call(&self, args: Vec<Term>, limit: u32) -> Result<Vec<(Id<M>, String)>> {
        let mut call = self.call("name_search", args);
        call.put_kwarg("limit", Term::Int(i64::from(limit)));
        let hits: Vec<(Id<M>, OrFalse<String>)> = self.run(call).await?;
        Ok(hits
            .into_iter()
            .map(|(id, name)| (id, name.into_value().unwrap_or_default()))
            .collect())
    }

    /// `create(values)`: one new record, its id.
    ///
    /// The answer may be the id (XML-RPC, JSON-RPC) or a list holding the one id (JSON-2 answers
    /// with the new recordset's ids), as for [`Client::create`](crate::client::Client::create).
    pub async fn create(&self, values: impl CreateValues<M>) -> Result<Id<M>> {
        let id: OneId<Id<M>> = self
            .run(self.call("create", vec![values.into().into_term()]))
            .await?;
        Ok(id.0)
    }

    /// `create([values, ...])`: new records, their ids in the same order.
    pub async fn create_many<V: CreateValues<M>>(
        &self,
        values: impl IntoIterator<Item = V>,
    ) -> Result<Vec<Id<M>>> {
        let list = values.into_iter().map(|v| v.into().into_term()).collect();
        self.run(self.call("create", vec![Term::List(list)])).await
    }

    /// `write(ids, values)`: sets `values` on every record of `ids`.
    pub async fn write(
        &self,
        ids: impl IntoIterator<Item = Id<M>>,
        values: impl WriteValues<M>,
    ) -> Result<bool> {
        self.run(self.call("write", vec![ids_term(ids), values.into().into_term()]))
            .await
    }

    /// `unlink(ids)`: deletes the records.
    pub async fn unlink(&self, ids: impl IntoIterator<Item = Id<M>>) -> Result<bool> {
        self.run(self.call("unlink", vec![ids_term(ids)])).await
    }

    /// `fields_get(attributes=[...])`: the server's description of every field (an empty list asks
    /// for every attribute), as a dynamic struct keyed by field name.
    pub async fn fields_get(&self, attributes: &[&str]) -> Result<Value> {
        let mut call = self.call("fields_get", Vec::new());
        if !attributes.is_empty() {
            let list = attributes
                .iter()
                .map(|a| Term::Str((*a).to_owned()))
                .collect();
            call.put_kwarg("attributes", Term::List(list));
        }
        self.run(call).await
    }

    /// Any other public method called on the model (`@api.model` methods: no ids).
    pub fn method(&self, name: impl Into<Cow<'static, str>>) -> MethodCall<'c, C, M> {
        let call = Call {
            model: Cow::Borrowed(M::NAME),
            method: name.into(),
            args: Vec::new(),
            kwargs: Vec::new(),
        };
        MethodCall {
            records: self.clone(),
            call,
            error: None,
        }
    }

    /// Any other public method called on records (`action_confirm`): `ids` are the first argument.
    pub fn method_on(
        &self,
        ids: impl IntoIterator<Item = Id<M>>,
        name: impl Into<Cow<'static, str>>,
    ) -> MethodCall<'c, C, M> {
        let mut call = self.method(name);
        call.call.args.push(ids_term(ids));
        call
    }
}

/// A search being built: `offset`, `limit`, `order`, `fields`; keyword arguments are sent in the
/// order they were set.
pub struct Search<'c, C, M> {
    records: Records<'c, C, M>,
    domain: Domain<M>,
    kwargs: Vec<(&'static str, Term)>,
}

impl<C, M> Clone for Search<'_, C, M> {
    fn clone(&self) -> Self {
        Search {
            records: self.records.clone(),
            domain: self.domain.clone(),
            kwargs: self.kwargs.clone(),
        }
    }
}

impl<C, M: Model> fmt::Debug for Search<'_, C, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Search")
            .field("model", &M::NAME)
            .field("domain", &self.domain)
            .field("kwargs", &self.kwargs)
            .finish()
    }
}

/// Sets the keyword argument `name` (a later value replaces an earlier one in its place).
pub(crate) fn set_kwarg(kwargs: &mut Vec<(&'static str, Term)>, name: &'static str, value: Term) {
    match kwargs.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => kwargs.push((name, value)),
    }
}

/// An offset or a limit as a term (saturated to `i64`).
pub(crate) fn count_term(n: u64) -> Term {
    Term::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

impl<'c, C: Executor, M: Model> Search<'c, C, M> {
    fn put(mut self, name: &'static str, value: Term) -> Self {
        set_kwarg(&mut self.kwargs, name, value);
        self
    }

    /// Skips the first `offset` records.
    pub fn offset(self, offset: u64) -> Self {
        self.put("offset", count_term(offset))
    }

    /// Returns at most `limit` records.
    pub fn limit(self, limit: u64) -> Self {
        self.put("limit", count_term(limit))
    }

    /// Sort order, Odoo syntax: `"name asc, id desc"`.
    pub fn order(self, order: impl Into<String>) -> Self {
        self.put("order", Term::Str(order.into()))
    }

    /// The fields [`Search::rows`] fetches (every field when not set).
    pub fn fields(self, fields: impl Into<Fields<M>>) -> Self {
        match fields.into().term() {
            Some(list) => self.put("fields", list),
            None => {
                let mut this = self;
                this.kwargs.retain(|(n, _)| *n != "fields");
                this
            }
        }
    }

    fn call(&self, method: &'static str, keep: &[&str]) -> Call {
        let mut call = self.records.call(
            method,
            vec![Term::Domain(Box::new(self.domain.node().clone()))],
        );
        for (name, value) in &self.kwargs {
            if keep.contains(name) {
                call.put_kwarg(name, value.clone());
            }
        }
        call
    }

    /// `search(domain, offset, limit, order)`: the ids.
    pub async fn ids(&self) -> Result<Vec<Id<M>>> {
        self.records
            .run(self.call("search", &["offset", "limit", "order"]))
            .await
    }

    /// `search_count(domain)`: how many records the domain matches, all of them.
    ///
    /// Paging does not apply: `offset` and `limit` (and `order`, `fields`) are not sent, so
    /// `search(d).offset(10).limit(5).count()` counts every record matching `d`.
    pub async fn count(&self) -> Result<u64> {
        self.records.run(self.call("search_count", &[])).await
    }

    /// `search_read(domain, fields, offset, limit, order)`: the rows.
    pub async fn rows(&self) -> Result<Vec<M::Row>> {
        self.records
            .run(self.call("search_read", &["fields", "offset", "limit", "order"]))
            .await
    }

    /// The value of the paging keyword argument `name` (`offset`, `limit`), if set.
    fn paging(&self, name: &str) -> Option<u64> {
        self.kwargs
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| match v {
                Term::Int(i) => u64::try_from(*i).ok(),
                _ => None,
            })
    }

    /// The rows in pages of `page_size` (`search_read` with a growing offset), until a short page.
    /// Without an explicit order, pages are sorted by `id` so that no record is skipped or repeated.
    ///
    /// The search's own paging is kept: the first page starts at its `offset`, and with a `limit`
    /// the pages stop after `limit` records (the last page asks for what is left; `limit(0)`
    /// yields no page and sends nothing).
    pub fn pages(&self, page_size: u64) -> impl Stream<Item = Result<Vec<M::Row>>> + use<'c, C, M> {
        let mut base = self.clone();
        if !base.kwargs.iter().any(|(n, _)| *n == "order") {
            base = base.order("id");
        }
        let page_size = page_size.max(1);
        let start = self.paging("offset").unwrap_or(0);
        // Records still to fetch: `None` without a limit.
        let left = self.paging("limit");
        futures::stream::unfold(Some((base, start, left)), move |state| async move {
            let (search, offset, left) = state?;
            let size = left.map_or(page_size, |left| left.min(page_size));
            if size == 0 {
                return None;
            }
            let page = search.clone().offset(offset).limit(size);
            match page.rows().await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let got = u64::try_from(rows.len()).unwrap_or(u64::MAX);
                    let next = (got >= size).then(|| {
                        let left = left.map(|left| left.saturating_sub(got));
                        (search, offset.saturating_add(got), left)
                    });
                    Some((Ok(rows), next))
                }
                Err(e) => Some((Err(e), None)),
            }
        })
    }
}

/// A call of any public method: add positional and keyword arguments, then run it for a typed
/// ([`MethodCall::returning`]) or dynamic ([`MethodCall::value`]) result.
pub struct MethodCall<'c, C, M> {
    records: Records<'c, C, M>,
    call: Call,
    error: Option<String>,
}

impl<C, M: Model> fmt::Debug for MethodCall<'_, C, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MethodCall")
            .field("call", &self.call)
            .finish()
    }
}

impl<C: Executor, M: Model> MethodCall<'_, C, M> {
    fn encode(&mut self, what: &str, value: impl Serialize) -> Option<Term> {
        match serde_json::to_value(value) {
            Ok(json) => Some(Term::Json(json)),
            Err(e) => {
                if self.error.is_none() {
                    self.error = Some(format!("{} of {}: {e}", what, self.call.name()));
                }
                None
            }
        }
    }

    /// Appends a positional argument.
    pub fn arg(mut self, value: impl Serialize) -> Self {
        let what = format!("argument {}", self.call.args.len());
        if let Some(term) = self.encode(&what, value) {
            self.call.args.push(term);
        }
        self
    }

    /// Sets a keyword argument.
    pub fn kwarg(mut self, name: &str, value: impl Serialize) -> Self {
        let what = format!("keyword argument `{name}`");
        if let Some(term) = self.encode(&what, value) {
            self.call.put_kwarg(name, term);
        }
        self
    }

    /// The call as it will be sent.
    pub fn as_call(&self) -> &Call {
        &self.call
    }

    /// Runs the call and decodes its result as `R`.
    pub async fn returning<R: DeserializeOwned>(self) -> Result<R> {
        if let Some(message) = self.error {
            return Err(Error::Encode(message));
        }
        self.records.run(self.call).await
    }

    /// Runs the call and returns its result as a dynamic value.
    pub async fn value(self) -> Result<Value> {
        self.returning().await
    }
}

/// The client runs typed calls with [`Client::execute_kw`](crate::client::Client::execute_kw).
impl Executor for crate::client::Client {
    async fn execute<R: DeserializeOwned>(&self, call: Call) -> Result<R> {
        let kwargs = call.kwargs_term();
        self.execute_kw(&call.model, &call.method, &call.args, &kwargs)
            .await
    }
}
