//! What Odoo would refuse at run time does not compile in generated typed method calls
//! (`examples/bindings19`, generated from Odoo 19's `/doc-bearer`): expected messages in
//! `tests/ui_methods/*.stderr` (`TRYBUILD=overwrite` rewrites them after an intended change).

#[test]
fn typed_methods_reject_invalid_calls() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui_methods/*.rs");
}
