//! Property test of the domain serialisation: for random trees of leaves combined with `&`, `|` and
//! `!`, the prefix list sent to Odoo, read back the way Odoo reads it (`&`/`|` binary, `!` unary, a
//! list of several expressions implicitly ANDed), is the same boolean function as the tree.

use odoo_runtime::domain::{Domain, Field, kind};
use proptest::prelude::*;
use serde_json::Value as Json;

struct M;

const LEAVES: usize = 4;
const FIELDS: [Field<M, kind::Integer>; LEAVES] = [
    Field::new("a"),
    Field::new("b"),
    Field::new("c"),
    Field::new("d"),
];

#[derive(Debug, Clone)]
enum Tree {
    All,
    Leaf(usize),
    And(Box<Tree>, Box<Tree>),
    Or(Box<Tree>, Box<Tree>),
    Not(Box<Tree>),
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![Just(Tree::All), (0..LEAVES).prop_map(Tree::Leaf)];
    leaf.prop_recursive(6, 40, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Tree::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Tree::Or(Box::new(a), Box::new(b))),
            inner.prop_map(|a| Tree::Not(Box::new(a))),
        ]
    })
}

fn build(t: &Tree) -> Domain<M> {
    match t {
        Tree::All => Domain::all(),
        Tree::Leaf(i) => FIELDS[*i].eq(1),
        Tree::And(a, b) => build(a) & build(b),
        Tree::Or(a, b) => build(a) | build(b),
        Tree::Not(a) => !build(a),
    }
}

fn eval(t: &Tree, env: &[bool; LEAVES]) -> bool {
    match t {
        Tree::All => true,
        Tree::Leaf(i) => env[*i],
        Tree::And(a, b) => eval(a, env) && eval(b, env),
        Tree::Or(a, b) => eval(a, env) || eval(b, env),
        Tree::Not(a) => !eval(a, env),
    }
}

/// Reads one prefix expression from `items[*pos..]` and evaluates it.
fn eval_prefix(items: &[Json], pos: &mut usize, env: &[bool; LEAVES]) -> bool {
    let item = &items[*pos];
    *pos += 1;
    match item {
        Json::String(op) if op == "&" => {
            let a = eval_prefix(items, pos, env);
            let b = eval_prefix(items, pos, env);
            a && b
        }
        Json::String(op) if op == "|" => {
            let a = eval_prefix(items, pos, env);
            let b = eval_prefix(items, pos, env);
            a || b
        }
        Json::String(op) if op == "!" => !eval_prefix(items, pos, env),
        Json::Array(leaf) => {
            assert_eq!(leaf.len(), 3, "a leaf is a triple: {leaf:?}");
            match (&leaf[0], leaf[1].as_str(), &leaf[2]) {
                (Json::Number(l), Some("="), Json::Number(r)) => l == r, // TRUE_LEAF / FALSE_LEAF
                (Json::String(f), Some("="), r) => {
                    assert_eq!(r, &serde_json::json!(1));
                    env[(f.as_bytes()[0] - b'a') as usize]
                }
                other => panic!("unexpected leaf {other:?}"),
            }
        }
        other => panic!("unexpected item {other:?}"),
    }
}

fn eval_domain(json: &Json, env: &[bool; LEAVES]) -> bool {
    let items = json.as_array().expect("a domain is a list");
    let mut pos = 0;
    let mut result = true;
    while pos < items.len() {
        result &= eval_prefix(items, &mut pos, env);
    }
    result
}

proptest! {
    #[test]
    fn prefix_form_is_the_same_function(t in tree()) {
        let json = serde_json::to_value(build(&t)).unwrap();
        for bits in 0..(1u8 << LEAVES) {
            let env: [bool; LEAVES] = std::array::from_fn(|i| bits & (1 << i) != 0);
            prop_assert_eq!(eval_domain(&json, &env), eval(&t, &env), "{} for {:?}", json, env);
        }
    }
}
