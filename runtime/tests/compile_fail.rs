//! What Odoo would reject at runtime does not compile (expected messages in `tests/ui/*.stderr`),
//! written against generated bindings: `examples/sale-bindings` (a dev-dependency), generated from
//! the committed 18.0 snapshot and kept fresh by `examples/tests/bindings_fresh.rs`.

#[test]
fn typed_api_rejects_invalid_programs() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
