//! Hand-written code shaped like what `codegen` emits for a model (read struct, `Model` impl, field
//! handles `F`, `XValues<Mode>` with the `XCreate`/`XWrite` aliases: setters of writable fields in
//! both modes, of stored readonly fields at creation only). Field facts (types, readonly, relations)
//! are those of `testdata/odoo-18.0/schema/fields_get/<model>.json`.

use odoo_runtime::domain::{Field, kind};
use std::marker::PhantomData;

use odoo_runtime::model::{
    CreateValues, ForCreate, ForWrite, Model, SetValue, Values, WriteValues,
};
use odoo_runtime::types::{Date, DateTime, Id, Many2one, OrFalse, Selection, X2many};

macro_rules! model {
    ($ty:ident, $name:literal, $values:ident, $create:ident, $write:ident, $fields_ty:ident {
        $($f:ident : $kind:ty),* $(,)?
    }) => {
        pub struct $fields_ty {
            $(pub $f: Field<$ty, $kind>,)*
        }
        impl $ty {
            pub const F: $fields_ty = $fields_ty { $($f: Field::new(stringify!($f)),)* };
        }
        impl Model for $ty {
            const NAME: &'static str = $name;
            const FIELD_NAMES: &'static [&'static str] = &[$(stringify!($f)),*];
            type Row = $ty;
            type Create = $create;
            type Write = $write;
        }
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $values<Mode>(Values<$ty>, PhantomData<Mode>);
        pub type $create = $values<ForCreate>;
        pub type $write = $values<ForWrite>;
        impl<Mode> $values<Mode> {
            #[allow(dead_code)]
            pub fn new() -> Self {
                Self(Values::new(), PhantomData)
            }
        }
        impl<Mode> From<$values<Mode>> for Values<$ty> {
            fn from(v: $values<Mode>) -> Values<$ty> {
                v.0
            }
        }
        impl<Mode> CreateValues<$ty> for $values<Mode> {}
        impl WriteValues<$ty> for $write {}
    };
}

macro_rules! setters {
    // Stored readonly fields: settable at creation only.
    (create $values:ident { $($f:ident : $kind:ty),* $(,)? }) => {
        #[allow(clippy::wrong_self_convention)]
        impl $values<ForCreate> {
            $(
                pub fn $f(self, value: impl SetValue<$kind>) -> Self {
                    Self(self.0.set::<$kind, _>(stringify!($f), value), PhantomData)
                }
            )*
        }
    };
    // Writable fields: one setter for both modes.
    ($values:ident { $($f:ident : $kind:ty),* $(,)? }) => {
        #[allow(clippy::wrong_self_convention)]
        impl<Mode> $values<Mode> {
            $(
                pub fn $f(self, value: impl SetValue<$kind>) -> Self {
                    Self(self.0.set::<$kind, _>(stringify!($f), value), PhantomData)
                }
            )*
        }
    };
}

#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct ResCountry {
    #[serde(default)]
    pub id: Option<Id<ResCountry>>,
    #[serde(default)]
    pub name: OrFalse<String>,
    #[serde(default)]
    pub code: OrFalse<String>,
}
model!(
    ResCountry,
    "res.country",
    ResCountryValues,
    ResCountryCreate,
    ResCountryWrite,
    ResCountryFields {
        id: kind::RecordId,
        name: kind::Char,
        code: kind::Char,
    }
);
setters!(ResCountryValues {
    name: kind::Char,
    code: kind::Char,
});

#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct ResPartnerCategory {
    #[serde(default)]
    pub id: Option<Id<ResPartnerCategory>>,
    #[serde(default)]
    pub name: OrFalse<String>,
}
model!(
    ResPartnerCategory,
    "res.partner.category",
    ResPartnerCategoryValues,
    ResPartnerCategoryCreate,
    ResPartnerCategoryWrite,
    ResPartnerCategoryFields {
        id: kind::RecordId,
        name: kind::Char,
    }
);
setters!(ResPartnerCategoryValues { name: kind::Char });

#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct ResPartner {
    #[serde(default)]
    pub id: Option<Id<ResPartner>>,
    #[serde(default)]
    pub name: OrFalse<String>,
    #[serde(default)]
    pub display_name: OrFalse<String>,
    #[serde(default)]
    pub is_company: Option<bool>,
    #[serde(default)]
    pub comment: OrFalse<String>,
    #[serde(default)]
    pub country_id: OrFalse<Many2one<ResCountry>>,
    #[serde(default)]
    pub parent_id: OrFalse<Many2one<ResPartner>>,
    #[serde(default)]
    pub category_id: Option<X2many<ResPartnerCategory>>,
    #[serde(default)]
    pub child_ids: Option<X2many<ResPartner>>,
    #[serde(default)]
    pub create_date: OrFalse<DateTime>,
    #[serde(default, with = "::odoo_runtime::types::opt_int")]
    pub color: Option<i64>,
}
model!(ResPartner, "res.partner", ResPartnerValues, ResPartnerCreate, ResPartnerWrite, ResPartnerFields {
    id: kind::RecordId,
    name: kind::Char,
    display_name: kind::Char,
    is_company: kind::Boolean,
    comment: kind::Char,
    country_id: kind::Many2one<ResCountry>,
    parent_id: kind::Many2one<ResPartner>,
    category_id: kind::Many2many<ResPartnerCategory>,
    child_ids: kind::One2many<ResPartner>,
    create_date: kind::DateTime,
    color: kind::Integer,
});
// display_name (computed) and create_date (readonly) have no setter.
setters!(ResPartnerValues {
    name: kind::Char,
    is_company: kind::Boolean,
    comment: kind::Char,
    country_id: kind::Many2one<ResCountry>,
    parent_id: kind::Many2one<ResPartner>,
    category_id: kind::Many2many<ResPartnerCategory>,
    child_ids: kind::One2many<ResPartner>,
    color: kind::Integer,
});

/// `sale.order.state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaleOrderState {
    Draft,
    Sent,
    Sale,
    Cancel,
    Unknown(String),
}
impl Selection for SaleOrderState {
    fn from_key(key: &str) -> Self {
        match key {
            "draft" => Self::Draft,
            "sent" => Self::Sent,
            "sale" => Self::Sale,
            "cancel" => Self::Cancel,
            other => Self::Unknown(other.to_owned()),
        }
    }
    fn key(&self) -> &str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Sale => "sale",
            Self::Cancel => "cancel",
            Self::Unknown(k) => k,
        }
    }
}
impl<'de> serde::Deserialize<'de> for SaleOrderState {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        odoo_runtime::types::selection::deserialize(d)
    }
}

#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct SaleOrder {
    #[serde(default)]
    pub id: Option<Id<SaleOrder>>,
    #[serde(default)]
    pub name: OrFalse<String>,
    #[serde(default)]
    pub state: OrFalse<SaleOrderState>,
    #[serde(default)]
    pub partner_id: OrFalse<Many2one<ResPartner>>,
    #[serde(default)]
    pub amount_total: Option<f64>,
}
model!(SaleOrder, "sale.order", SaleOrderValues, SaleOrderCreate, SaleOrderWrite, SaleOrderFields {
    id: kind::RecordId,
    name: kind::Char,
    state: kind::Selection<SaleOrderState>,
    partner_id: kind::Many2one<ResPartner>,
    amount_total: kind::Float,
});
// state and amount_total are readonly: state (stored, not computed) can be set at creation.
setters!(SaleOrderValues {
    name: kind::Char,
    partner_id: kind::Many2one<ResPartner>,
});
setters!(create SaleOrderValues {
    state: kind::Selection<SaleOrderState>,
});

#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct SaleOrderLine {
    #[serde(default)]
    pub id: Option<Id<SaleOrderLine>>,
    #[serde(default)]
    pub order_id: OrFalse<Many2one<SaleOrder>>,
}
model!(SaleOrderLine, "sale.order.line", SaleOrderLineValues, SaleOrderLineCreate, SaleOrderLineWrite, SaleOrderLineFields {
    id: kind::RecordId,
    order_id: kind::Many2one<SaleOrder>,
});
setters!(SaleOrderLineValues {
    order_id: kind::Many2one<SaleOrder>,
});

/// `crm.lead.priority`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrmLeadPriority {
    V0,
    V1,
    V2,
    V3,
    Unknown(String),
}
impl Selection for CrmLeadPriority {
    fn from_key(key: &str) -> Self {
        match key {
            "0" => Self::V0,
            "1" => Self::V1,
            "2" => Self::V2,
            "3" => Self::V3,
            other => Self::Unknown(other.to_owned()),
        }
    }
    fn key(&self) -> &str {
        match self {
            Self::V0 => "0",
            Self::V1 => "1",
            Self::V2 => "2",
            Self::V3 => "3",
            Self::Unknown(k) => k,
        }
    }
}
impl<'de> serde::Deserialize<'de> for CrmLeadPriority {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        odoo_runtime::types::selection::deserialize(d)
    }
}

#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct CrmLead {
    #[serde(default)]
    pub id: Option<Id<CrmLead>>,
    #[serde(default)]
    pub date_deadline: OrFalse<Date>,
    #[serde(default)]
    pub description: OrFalse<String>,
    #[serde(default)]
    pub priority: OrFalse<CrmLeadPriority>,
    #[serde(default)]
    pub write_date: OrFalse<DateTime>,
    #[serde(default)]
    pub create_date: OrFalse<DateTime>,
}
model!(CrmLead, "crm.lead", CrmLeadValues, CrmLeadCreate, CrmLeadWrite, CrmLeadFields {
    id: kind::RecordId,
    date_deadline: kind::Date,
    description: kind::Char,
    priority: kind::Selection<CrmLeadPriority>,
    write_date: kind::DateTime,
    create_date: kind::DateTime,
});
setters!(CrmLeadValues {
    date_deadline: kind::Date,
    description: kind::Char,
    priority: kind::Selection<CrmLeadPriority>,
});
