//! x2many write commands (`Command` in Odoo's `fields.py`), typed by the target model `T`.
//!
//! Over RPC each command is a 3-element array:
//!
//! | command | wire |
//! |---|---|
//! | [`Command::create`] | `[0, 0, {values}]` |
//! | [`Command::update`] | `[1, id, {values}]` |
//! | [`Command::delete`] | `[2, id, 0]` |
//! | [`Command::unlink`] | `[3, id, 0]` |
//! | [`Command::link`] | `[4, id, 0]` |
//! | [`Command::clear`] | `[5, 0, 0]` |
//! | [`Command::set`] | `[6, 0, [ids]]` |

use std::fmt;

use serde::{Serialize, Serializer};

use crate::domain::Term;
use crate::model::{CreateValues, Values, WriteValues};
use crate::types::Id;

/// One x2many command on records of the target model `T`.
pub enum Command<T> {
    /// `(0, 0, values)`: create a new record of `T` and link it.
    Create(Values<T>),
    /// `(1, id, values)`: write `values` on the linked record `id`.
    Update(Id<T>, Values<T>),
    /// `(2, id, 0)`: delete the record `id` (and so unlink it).
    Delete(Id<T>),
    /// `(3, id, 0)`: drop the link to `id` (a one2many may delete it, see Odoo's `ondelete`).
    Unlink(Id<T>),
    /// `(4, id, 0)`: link the existing record `id`.
    Link(Id<T>),
    /// `(5, 0, 0)`: drop every link.
    Clear,
    /// `(6, 0, ids)`: replace the links by `ids`.
    Set(Vec<Id<T>>),
}

impl<T> Command<T> {
    /// `CREATE`: a new record of `T` from its create values (`<Target>Create`).
    pub fn create(values: impl CreateValues<T>) -> Self {
        Command::Create(values.into())
    }
    /// `UPDATE`: write `values` on the linked record `id`.
    pub fn update(id: Id<T>, values: impl WriteValues<T>) -> Self {
        Command::Update(id, values.into())
    }
    /// `DELETE`: delete the record `id`.
    pub fn delete(id: Id<T>) -> Self {
        Command::Delete(id)
    }
    /// `UNLINK`: drop the link to `id`.
    pub fn unlink(id: Id<T>) -> Self {
        Command::Unlink(id)
    }
    /// `LINK`: link the existing record `id`.
    pub fn link(id: Id<T>) -> Self {
        Command::Link(id)
    }
    /// `CLEAR`: drop every link.
    pub fn clear() -> Self {
        Command::Clear
    }
    /// `SET`: replace the links by `ids`.
    pub fn set(ids: impl IntoIterator<Item = Id<T>>) -> Self {
        Command::Set(ids.into_iter().collect())
    }

    /// The command code (0–6).
    pub fn code(&self) -> i64 {
        match self {
            Command::Create(_) => 0,
            Command::Update(..) => 1,
            Command::Delete(_) => 2,
            Command::Unlink(_) => 3,
            Command::Link(_) => 4,
            Command::Clear => 5,
            Command::Set(_) => 6,
        }
    }

    /// The wire triple.
    pub fn into_term(self) -> Term {
        let code = Term::Int(self.code());
        let (id, last) = match self {
            Command::Create(values) => (0, values.into_term()),
            Command::Update(id, values) => (id.get(), values.into_term()),
            Command::Delete(id) | Command::Unlink(id) | Command::Link(id) => {
                (id.get(), Term::Int(0))
            }
            Command::Clear => (0, Term::Int(0)),
            Command::Set(ids) => (
                0,
                Term::List(ids.into_iter().map(|i| Term::Int(i.get())).collect()),
            ),
        };
        Term::List(vec![code, Term::Int(id), last])
    }
}

impl<T> Clone for Command<T> {
    fn clone(&self) -> Self {
        match self {
            Command::Create(v) => Command::Create(v.clone()),
            Command::Update(id, v) => Command::Update(*id, v.clone()),
            Command::Delete(id) => Command::Delete(*id),
            Command::Unlink(id) => Command::Unlink(*id),
            Command::Link(id) => Command::Link(*id),
            Command::Clear => Command::Clear,
            Command::Set(ids) => Command::Set(ids.clone()),
        }
    }
}

impl<T> PartialEq for Command<T> {
    fn eq(&self, other: &Self) -> bool {
        self.clone().into_term() == other.clone().into_term()
    }
}

impl<T> fmt::Debug for Command<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Create(v) => f.debug_tuple("Create").field(v).finish(),
            Command::Update(id, v) => f.debug_tuple("Update").field(id).field(v).finish(),
            Command::Delete(id) => f.debug_tuple("Delete").field(id).finish(),
            Command::Unlink(id) => f.debug_tuple("Unlink").field(id).finish(),
            Command::Link(id) => f.debug_tuple("Link").field(id).finish(),
            Command::Clear => f.write_str("Clear"),
            Command::Set(ids) => f.debug_tuple("Set").field(ids).finish(),
        }
    }
}

impl<T> Serialize for Command<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.clone().into_term().serialize(serializer)
    }
}
