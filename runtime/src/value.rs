//! Dynamic value (being written).

/// A dynamic Odoo value (being written).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Placeholder.
    Nil,
}
