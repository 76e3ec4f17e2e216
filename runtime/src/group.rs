//! Typed `read_group`: records grouped by fields, with counts and aggregates.
//!
//! ```text
//! let f = SaleOrder::F;
//! let groups = SaleOrder::on(&client)
//!     .read_group(Domain::all())
//!     .by(&f.state)
//!     .sum(&f.amount_total)
//!     .groups()
//!     .await?;
//! for g in &groups {
//!     let state: OrFalse<SaleOrderState> = g.key(&f.state)?;
//!     println!("{state:?}: {} orders, {:?} in total", g.count(), g.aggregate(&f.amount_total));
//! }
//! ```
//!
//! The call is `read_group(domain, ["amount_total:sum"], ["state"], lazy=False)`: every group-by
//! field at once, so each group holds its `__count`. A group's key has the field's Rust type
//! ([`GroupKey`]); aggregates are numbers. Grouping by a date or datetime (which Odoo does by
//! period and answers with a translated label) is not typed: call `read_group` by name through
//! [`Records::method`](crate::query::Records::method) for it.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use crate::domain::{Domain, Field, OwnField, Term, kind};
use crate::model::Model;
use crate::query::{Executor, Records, count_term, set_kwarg};
use crate::types::{Many2one, OrFalse};
use crate::{DecodeError, Error, Result, Value};

/// Field kinds a `read_group` can group by, and the Rust type of a group's key: the field's value
/// or `false` (the group of records where the field is empty).
pub trait GroupKey {
    /// The key of one group.
    type Key: DeserializeOwned;
}

impl GroupKey for kind::Char {
    type Key = OrFalse<String>;
}
impl GroupKey for kind::Boolean {
    type Key = bool;
}
impl GroupKey for kind::Integer {
    type Key = OrFalse<i64>;
}
impl<E: DeserializeOwned> GroupKey for kind::Selection<E> {
    type Key = OrFalse<E>;
}
impl<T> GroupKey for kind::Many2one<T> {
    type Key = OrFalse<Many2one<T>>;
}

/// Field kinds that can be aggregated (`sum`, `avg`, `min`, `max`).
pub trait Numeric {}
impl Numeric for kind::Integer {}
impl Numeric for kind::Float {}

/// A `read_group` on model `M`, built with [`Records::read_group`]; run it with
/// [`ReadGroup::groups`].
pub struct ReadGroup<'c, C, M> {
    records: Records<'c, C, M>,
    domain: Domain<M>,
    groupby: Vec<String>,
    aggregates: Vec<String>,
    kwargs: Vec<(&'static str, Term)>,
}

impl<C, M: Model> fmt::Debug for ReadGroup<'_, C, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadGroup")
            .field("model", &M::NAME)
            .field("domain", &self.domain)
            .field("groupby", &self.groupby)
            .field("aggregates", &self.aggregates)
            .finish()
    }
}

impl<'c, C: Executor, M: Model> Records<'c, C, M> {
    /// A `read_group` on the records of `domain`: add group-by fields with [`ReadGroup::by`] and
    /// aggregates with [`ReadGroup::sum`] (and `avg`, `min`, `max`).
    pub fn read_group(&self, domain: Domain<M>) -> ReadGroup<'c, C, M> {
        ReadGroup {
            records: self.clone(),
            domain,
            groupby: Vec::new(),
            aggregates: Vec::new(),
            kwargs: Vec::new(),
        }
    }
}

impl<'c, C: Executor, M: Model> ReadGroup<'c, C, M> {
    /// Groups by `field` too (in the order given): a field of `M` itself, not a path ([`OwnField`]).
    pub fn by<K: GroupKey, P: OwnField>(mut self, field: &Field<M, K, P>) -> Self {
        self.groupby.push(field.name().to_owned());
        self
    }

    fn aggregate(mut self, field: &str, function: &str) -> Self {
        self.aggregates.push(format!("{field}:{function}"));
        self
    }

    /// The sum of `field` in each group.
    pub fn sum<K: Numeric, P: OwnField>(self, field: &Field<M, K, P>) -> Self {
        self.aggregate(field.name(), "sum")
    }

    /// The average of `field` in each group.
    pub fn avg<K: Numeric, P: OwnField>(self, field: &Field<M, K, P>) -> Self {
        self.aggregate(field.name(), "avg")
    }

    /// The smallest `field` in each group.
    pub fn min<K: Numeric, P: OwnField>(self, field: &Field<M, K, P>) -> Self {
        self.aggregate(field.name(), "min")
    }

    /// The largest `field` in each group.
    pub fn max<K: Numeric, P: OwnField>(self, field: &Field<M, K, P>) -> Self {
        self.aggregate(field.name(), "max")
    }

    fn put(mut self, name: &'static str, value: Term) -> Self {
        set_kwarg(&mut self.kwargs, name, value);
        self
    }

    /// Skips the first `offset` groups.
    pub fn offset(self, offset: u64) -> Self {
        self.put("offset", count_term(offset))
    }

    /// Returns at most `limit` groups.
    pub fn limit(self, limit: u64) -> Self {
        self.put("limit", count_term(limit))
    }

    /// Order of the groups, Odoo syntax (`"amount_total desc"`).
    pub fn order(self, order: impl Into<String>) -> Self {
        self.put("orderby", Term::Str(order.into()))
    }

    /// `read_group(domain, aggregates, groupby, ..., lazy=False)`: the groups.
    pub async fn groups(&self) -> Result<Vec<Group<M>>> {
        if self.groupby.is_empty() {
            return Err(Error::Encode(format!(
                "{}.read_group: no group-by field (add one with `by`)",
                M::NAME
            )));
        }
        let strings = |v: &[String]| Term::List(v.iter().map(|s| Term::Str(s.clone())).collect());
        let mut call = self.records.call(
            "read_group",
            vec![
                Term::Domain(Box::new(self.domain.node().clone())),
                strings(&self.aggregates),
                strings(&self.groupby),
            ],
        );
        for (name, value) in &self.kwargs {
            call.put_kwarg(name, value.clone());
        }
        call.put_kwarg("lazy", Term::Bool(false));
        let rows: Vec<BTreeMap<String, Value>> = self.records.run(call).await?;
        Ok(rows
            .into_iter()
            .map(|values| Group {
                values,
                _model: PhantomData,
            })
            .collect())
    }
}

/// One group of a [`ReadGroup`]: its key per group-by field, its record count and aggregates.
pub struct Group<M> {
    values: BTreeMap<String, Value>,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Group<M> {
    fn clone(&self) -> Self {
        Group {
            values: self.values.clone(),
            _model: PhantomData,
        }
    }
}

impl<M> fmt::Debug for Group<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.values.iter()).finish()
    }
}

impl<M: Model> Group<M> {
    /// How many records the group holds (`__count`).
    pub fn count(&self) -> u64 {
        self.values
            .get("__count")
            .and_then(Value::as_i64)
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0)
    }

    /// The group's value of the group-by `field`, typed as the field is (`false`: the records where
    /// it is empty). An error names the field when the answer does not hold it in that type.
    pub fn key<K: GroupKey, P: OwnField>(&self, field: &Field<M, K, P>) -> Result<K::Key> {
        let name = field.name();
        let value = self.values.get(name).ok_or_else(|| {
            decode_error(
                name,
                "the group has no such key (was the field passed to `by`?)",
            )
        })?;
        serde_json::from_value(value.to_json()).map_err(|e| decode_error(name, &e.to_string()))
    }

    /// The group's aggregate of `field` (`None` when the answer holds none, e.g. no `sum`
    /// was asked for it, or Odoo sent `false` for an empty group).
    pub fn aggregate<K: Numeric, P: OwnField>(&self, field: &Field<M, K, P>) -> Option<f64> {
        self.values.get(field.name()).and_then(Value::as_f64)
    }

    /// The domain of the group's records (`__domain`), as Odoo sent it.
    pub fn domain(&self) -> Option<&Value> {
        self.values.get("__domain")
    }

    /// Any member of the answer by name, as Odoo sent it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }
}

fn decode_error(field: &str, message: &str) -> Error {
    Error::Decode(DecodeError {
        message: message.to_owned(),
        path: field.to_owned(),
        offset: None,
        call: Some(format!("read_group key `{field}`")),
    })
}
