//! Odoo 19's model documentation (module `api_doc`): `GET /doc-bearer/index.json` and
//! `GET /doc-bearer/<model>.json`, answered to the API key of a user in the group
//! `api_doc.group_allow_doc` (administrators are).
//!
//! The answers are returned as the server sent them (JSON bytes): `odoo_codegen::methods` reads
//! them. Errors, as a real Odoo 19.0 answers them (recorded in `testdata/odoo-19.0/doc-bearer/errors`):
//!
//! | situation | answer | [`Error`] |
//! |---|---|---|
//! | a password instead of an API key | (not sent) | [`Error::Config`] |
//! | no or a refused key | 401 `werkzeug.exceptions.Unauthorized` | [`Error::AccessDenied`] |
//! | a user outside `api_doc.group_allow_doc`, a model the user may not read | 403 `odoo.exceptions.AccessError` | [`Error::AccessError`] |
//! | a model that does not exist | 404 `werkzeug.exceptions.NotFound` | [`Error::Server`] (`http_status` 404) |
//! | Odoo 18 and older (no such route) | 404 HTML page | [`Error::Http`] (status 404) |

use bytes::Bytes;
use futures::StreamExt as _;

use super::{Client, http};
use crate::error::{Error, Result};

impl Client {
    /// `GET /doc-bearer/index.json`: every model the user may read, with its fields' labels and
    /// its public method names (Odoo 19 and later; about 0.9 MB for 400 models).
    pub async fn doc_index(&self) -> Result<Bytes> {
        self.doc_get("doc-bearer/index.json", "/doc-bearer/index.json")
            .await
            .map_err(|e| self.redact(e))
    }

    /// `GET /doc-bearer/<model>.json`: the model's fields (`fields_get` plus the introducing
    /// module) and public methods (signature, parameters, annotations, docs, `api`).
    pub async fn doc_model(&self, model: &str) -> Result<Bytes> {
        let ok = !model.is_empty()
            && !model.starts_with('.')
            && model
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
        if !ok {
            return Err(Error::Encode(format!(
                "invalid model name {model:?} for /doc-bearer"
            )));
        }
        let what = format!("/doc-bearer/{model}.json");
        self.doc_get(what.trim_start_matches('/'), &what)
            .await
            .map_err(|e| self.redact(e))
    }

    /// [`Client::doc_model`] of each of `models`, at most `concurrency` requests in flight,
    /// calling `done` with each model's name when its answer arrives. The answers come back in
    /// the order of `models`; one model's failure does not stop the others.
    pub async fn doc_models<'a>(
        &self,
        models: impl IntoIterator<Item = &'a str>,
        concurrency: usize,
        done: impl Fn(&str),
    ) -> Vec<(&'a str, Result<Bytes>)> {
        let models: Vec<&'a str> = models.into_iter().collect();
        let mut answers: Vec<(usize, &'a str, Result<Bytes>)> =
            futures::stream::iter(models.into_iter().enumerate())
                .map(|(i, model)| async move { (i, model, self.doc_model(model).await) })
                .buffer_unordered(concurrency.max(1))
                .inspect(|(_, model, _)| done(model))
                .collect()
                .await;
        answers.sort_by_key(|(i, _, _)| *i);
        answers
            .into_iter()
            .map(|(_, model, answer)| (model, answer))
            .collect()
    }

    /// GETs `path` with the bearer key through [`Client::exchange_as`]: paced like every request,
    /// and retried as a read-only call (the route only reads) on the transient failures the
    /// retry policy names.
    async fn doc_get(&self, path: &str, what: &str) -> Result<Bytes> {
        let key = match self.api_key() {
            Ok(key) => key,
            Err(_) => {
                return Err(Error::Config(format!(
                    "{what} needs an API key (api_key), not a password"
                )));
            }
        };
        let (url, shown) = self.endpoint(path)?;
        let call = format!("GET {what}");
        let http::Answer {
            status,
            body,
            location,
            ..
        } = self
            .exchange_as(&call, true, &shown, || {
                let request = self
                    .inner
                    .http
                    .get(url.clone())
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header(
                        reqwest::header::AUTHORIZATION,
                        format!("bearer {}", key.expose()),
                    );
                match &self.inner.database {
                    Some(db) => request.header("X-Odoo-Database", db),
                    None => request,
                }
            })
            .await?;
        if status == 200 {
            return Ok(body);
        }
        match crate::json2::decode_response::<serde_json::Value>(status, &body, what)? {
            crate::json2::Outcome::Error(e) => Err(e),
            crate::json2::Outcome::Success(_) | crate::json2::Outcome::NotJson2 => {
                Err(http::error(shown, status, &body, location.as_deref()))
            }
        }
    }
}
