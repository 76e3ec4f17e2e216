//! Schema IR, naming and Rust emission for typed Odoo bindings.
//!
//! This crate does no network and no file I/O: introspection produces a [`schema::Schema`], and
//! generation turns it into a list of output files held in memory.

pub mod diff;
pub mod dump;
pub mod emit;
pub mod error;
pub mod filter;
pub mod generate;
pub mod methods;
pub mod names;
pub mod schema;
pub mod snapshot;

pub use error::{Error, Result, Warning};
pub use generate::{
    DefaultFeatures, Generated, ModelDoneHook, OutputFile, RuntimeDependency, Settings, generate,
};
pub use schema::{
    Field, FieldType, Method, Model, Parameter, ParameterKind, Schema, SelectionOption,
};
