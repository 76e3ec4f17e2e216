//! Replay server for recorded Odoo traffic (being written).
