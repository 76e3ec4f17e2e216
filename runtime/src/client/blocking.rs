//! A blocking facade over the async [`super::Client`], for scripts and tools.
//!
//! It owns a small single-threaded tokio runtime and blocks on each call. Do not use it from
//! inside an async runtime (calls then fail with [`Error::Config`] instead of panicking): use the
//! async client there.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::sync::Arc;

use super::{NameSearchOptions, ReadGroupOptions, SearchOptions, Transport, Version};
use crate::error::{Error, Result};

/// The blocking client. Cheap to clone (clones share the runtime and the connections).
#[derive(Debug, Clone)]
pub struct Client {
    inner: super::Client,
    runtime: Arc<OwnedRuntime>,
}

/// The runtime, shut down without blocking when the last clone goes (so that dropping a blocking
/// client inside an async context does not panic).
#[derive(Debug)]
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl Client {
    /// Starts a builder; finish it with [`super::ClientBuilder::build_blocking`].
    pub fn builder() -> super::ClientBuilder {
        super::ClientBuilder::default()
    }

    pub(super) fn from_async(inner: super::Client) -> Result<Client> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                Error::Config(format!("cannot start the blocking client's runtime: {e}"))
            })?;
        Ok(Client {
            inner,
            runtime: Arc::new(OwnedRuntime(Some(runtime))),
        })
    }

    /// The async client behind this one.
    pub fn as_async(&self) -> &super::Client {
        &self.inner
    }

    /// Runs a future of the async API on this client's runtime and waits for it: the way to use
    /// the typed API (generated models, domains, queries) from blocking code.
    ///
    /// ```no_run
    /// # use odoo_runtime::client::blocking::Client;
    /// # fn main() -> odoo_runtime::Result<()> {
    /// let client = Client::builder().url("https://odoo.example.com").database("db")
    ///     .login("bot").api_key_env("ODOO_API_KEY").build_blocking()?;
    /// // With generated bindings: `ResPartner::on(client.as_async()).search(..).count()`.
    /// let uid = client.run(client.as_async().authenticate())?;
    /// # let _ = uid; Ok(()) }
    /// ```
    ///
    /// Like every call of this client, it fails with [`Error::Config`] inside an async runtime.
    pub fn run<F: std::future::Future<Output = Result<T>>, T>(&self, future: F) -> Result<T> {
        self.block(future)
    }

    fn block<F: std::future::Future<Output = Result<T>>, T>(&self, future: F) -> Result<T> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Config(
                "the blocking client cannot be used inside an async runtime: use the async Client"
                    .to_owned(),
            ));
        }
        match &self.runtime.0 {
            Some(runtime) => runtime.block_on(future),
            None => Err(Error::Config(
                "the blocking client's runtime is gone".to_owned(),
            )),
        }
    }

    /// A client with `context` added to the default context (see [`super::Client::with_context`]).
    pub fn with_context(&self, context: Map<String, Value>) -> Client {
        Client {
            inner: self.inner.with_context(context),
            runtime: Arc::clone(&self.runtime),
        }
    }

    /// See [`super::Client::transport`].
    pub fn transport(&self) -> Result<Transport> {
        self.block(self.inner.transport())
    }

    /// See [`super::Client::version`].
    pub fn version(&self) -> Result<Version> {
        self.block(self.inner.version())
    }

    /// See [`super::Client::authenticate`].
    pub fn authenticate(&self) -> Result<i64> {
        self.block(self.inner.authenticate())
    }

    /// See [`super::Client::execute_kw`].
    pub fn execute_kw<R, A, K>(&self, model: &str, method: &str, args: &A, kwargs: &K) -> Result<R>
    where
        R: DeserializeOwned,
        A: Serialize + ?Sized,
        K: Serialize + ?Sized,
    {
        self.block(self.inner.execute_kw(model, method, args, kwargs))
    }

    /// See [`super::Client::search`].
    pub fn search<D: Serialize + ?Sized>(
        &self,
        model: &str,
        domain: &D,
        options: SearchOptions,
    ) -> Result<Vec<i64>> {
        self.block(self.inner.search(model, domain, options))
    }

    /// See [`super::Client::search_count`].
    pub fn search_count<D: Serialize + ?Sized>(&self, model: &str, domain: &D) -> Result<i64> {
        self.block(self.inner.search_count(model, domain))
    }

    /// See [`super::Client::read`].
    pub fn read<R: DeserializeOwned>(
        &self,
        model: &str,
        ids: &[i64],
        fields: &[&str],
    ) -> Result<Vec<R>> {
        self.block(self.inner.read(model, ids, fields))
    }

    /// See [`super::Client::search_read`].
    pub fn search_read<R: DeserializeOwned, D: Serialize + ?Sized>(
        &self,
        model: &str,
        domain: &D,
        fields: &[&str],
        options: SearchOptions,
    ) -> Result<Vec<R>> {
        self.block(self.inner.search_read(model, domain, fields, options))
    }

    /// See [`super::Client::create`].
    pub fn create<V: Serialize + ?Sized>(&self, model: &str, values: &V) -> Result<i64> {
        self.block(self.inner.create(model, values))
    }

    /// See [`super::Client::create_many`].
    pub fn create_many<V: Serialize>(&self, model: &str, values: &[V]) -> Result<Vec<i64>> {
        self.block(self.inner.create_many(model, values))
    }

    /// See [`super::Client::write`].
    pub fn write<V: Serialize + ?Sized>(
        &self,
        model: &str,
        ids: &[i64],
        values: &V,
    ) -> Result<bool> {
        self.block(self.inner.write(model, ids, values))
    }

    /// See [`super::Client::unlink`].
    pub fn unlink(&self, model: &str, ids: &[i64]) -> Result<bool> {
        self.block(self.inner.unlink(model, ids))
    }

    /// See [`super::Client::name_search`].
    pub fn name_search(
        &self,
        model: &str,
        name: &str,
        options: NameSearchOptions,
    ) -> Result<Vec<(i64, String)>> {
        self.block(self.inner.name_search(model, name, options))
    }

    /// See [`super::Client::fields_get`].
    pub fn fields_get<R: DeserializeOwned>(&self, model: &str, attributes: &[&str]) -> Result<R> {
        self.block(self.inner.fields_get(model, attributes))
    }

    /// See [`super::Client::read_group`].
    pub fn read_group<R: DeserializeOwned, D: Serialize + ?Sized>(
        &self,
        model: &str,
        domain: &D,
        fields: &[&str],
        groupby: &[&str],
        options: ReadGroupOptions,
    ) -> Result<Vec<R>> {
        self.block(
            self.inner
                .read_group(model, domain, fields, groupby, options),
        )
    }

    /// See [`super::Client::check_access_rights`].
    pub fn check_access_rights(
        &self,
        model: &str,
        operation: &str,
        raise_exception: bool,
    ) -> Result<bool> {
        self.block(
            self.inner
                .check_access_rights(model, operation, raise_exception),
        )
    }
}
