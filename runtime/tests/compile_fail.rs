//! What Odoo would reject at runtime does not compile (expected messages in `tests/ui/*.stderr`).

#[test]
fn typed_api_rejects_invalid_programs() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
