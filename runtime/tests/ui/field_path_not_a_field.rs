// A path through a relation builds domains, but it is not a field of the model: Odoo answers
// `read(ids, ["parent_id.name"])` and `read_group(.., ["parent_id.name"])` with `Invalid field`.
use odoo_runtime::domain::Domain;
use odoo_runtime::model::Fields;
use odoo_runtime::query::Executor;
use odoo_sale_bindings::markers;
use odoo_sale_bindings::res_partner::ResPartner;

fn group<C: Executor>(client: &C) {
    let f = ResPartner::F;
    let parent_name = f.parent_id.then(ResPartner::F.name);
    let _ = ResPartner::on(client).read_group(Domain::all()).by(&parent_name);
}

fn main() {
    let f = ResPartner::F;
    // Fine in a domain.
    let _ = f.parent_id.then(ResPartner::F.name).ilike("Azure");
    // Refused as a field to read.
    let _ = Fields::none().with(&f.name).with(&f.parent_id.then(ResPartner::F.name));
    let _: Fields<markers::ResPartner> = Fields::from(&f.parent_id.then(ResPartner::F.name));
}
