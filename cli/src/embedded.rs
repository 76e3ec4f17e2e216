//! Snapshots compiled into the tool, so `generate --snapshot odoo-18.0` works anywhere with no
//! server and no checkout of this repository.
//!
//! Each one is a bundle: the snapshot's files (as [`odoo_codegen::snapshot::to_files`] writes them)
//! in one JSON object of file name to contents, gzipped. The bundles in `cli/snapshots/` are made
//! from the repository's `snapshots/<name>/` directories, and a test fails when one is stale.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};

use anyhow::Context as _;
use odoo_codegen::Schema;

/// A snapshot compiled into the tool.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// Its name (`odoo-18.0`), as `--snapshot` takes it.
    pub name: &'static str,
    bundle: &'static [u8],
}

/// Every snapshot compiled into the tool, oldest Odoo first.
pub static SNAPSHOTS: &[Snapshot] = &[
    Snapshot {
        name: "odoo-17.0",
        bundle: include_bytes!("../snapshots/odoo-17.0.json.gz"),
    },
    Snapshot {
        name: "odoo-18.0",
        bundle: include_bytes!("../snapshots/odoo-18.0.json.gz"),
    },
    Snapshot {
        name: "odoo-19.0",
        bundle: include_bytes!("../snapshots/odoo-19.0.json.gz"),
    },
];

/// The snapshot `generate` uses when no source is named.
pub const DEFAULT: &str = "odoo-18.0";

/// The snapshot named `name`, if the tool holds it.
pub fn find(name: &str) -> Option<&'static Snapshot> {
    SNAPSHOTS.iter().find(|s| s.name == name)
}

/// The default snapshot.
pub fn default() -> &'static Snapshot {
    find(DEFAULT).unwrap_or(&SNAPSHOTS[0])
}

/// The names of the snapshots the tool holds, for messages.
pub fn names() -> String {
    SNAPSHOTS
        .iter()
        .map(|s| s.name)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Snapshot {
    /// Its files, by name.
    pub fn files(&self) -> anyhow::Result<BTreeMap<String, String>> {
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(self.bundle)
            .read_to_end(&mut json)
            .with_context(|| format!("unpacking the built-in snapshot {}", self.name))?;
        serde_json::from_slice(&json)
            .with_context(|| format!("reading the built-in snapshot {}", self.name))
    }

    /// Its schema.
    pub fn schema(&self) -> anyhow::Result<Schema> {
        odoo_codegen::snapshot::from_files(&self.files()?)
            .with_context(|| format!("reading the built-in snapshot {}", self.name))
    }
}

/// The bundle of a snapshot's files: the same files always give the same bytes.
pub fn bundle(files: &BTreeMap<String, String>) -> Vec<u8> {
    let json = serde_json::to_vec(files).expect("a map of strings serializes");
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(&json)
        .and_then(|()| encoder.finish())
        .expect("writing to memory cannot fail")
}
