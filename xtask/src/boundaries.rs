//! Crate boundary rules, checked on `cargo metadata` (all targets, all dependency kinds):
//!
//! 1. `iris-types` depends on `serde` only, and nothing under it is tauri, candle or sqlx.
//! 2. No crate but `iris-desktop` depends on tauri, directly or not.
//! 3. The UI depends on no workspace crate but `iris-types`.
//! 4. Domain crates (everything but the faces, tests and tooling) never depend on `iris-core`.
//! 5. `iris-inference` knows nothing of storage: no sqlx under it.
//! 6. The build tool (`xtask`) and `iris-config` compile no model runtime, storage or keyring:
//!    no candle, sqlx or keyring under them (also checked on `cargo tree -p xtask`).
//! 7. `iris-record` (the clinical record model) depends on `serde` only: no storage, no IO.
//! 8. What leaves the workstation is de-identified by type: `iris-sync`, `iris-analytics` and
//!    `iris-central` never reach `iris-vault`, `iris-fhir` or `iris-core` (the only records they
//!    can hold are `iris_privacy::Deidentified<T>`, whose constructor is private to
//!    `iris-privacy`), and `iris-privacy` itself reaches no storage.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::step;

#[derive(Debug, Deserialize)]
pub struct Metadata {
    packages: Vec<Package>,
    workspace_members: Vec<String>,
    resolve: Resolve,
}

#[derive(Debug, Deserialize)]
struct Package {
    id: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct Resolve {
    nodes: Vec<Node>,
}

#[derive(Debug, Deserialize)]
struct Node {
    id: String,
    deps: Vec<NodeDep>,
}

#[derive(Debug, Deserialize)]
struct NodeDep {
    pkg: String,
    #[serde(default)]
    dep_kinds: Vec<DepKind>,
}

#[derive(Debug, Deserialize)]
struct DepKind {
    /// `null` for a normal dependency, else "dev" or "build".
    kind: Option<String>,
}

impl NodeDep {
    fn is_normal(&self) -> bool {
        self.dep_kinds.is_empty() || self.dep_kinds.iter().any(|k| k.kind.is_none())
    }
}

/// Crates allowed to depend on iris-core: the two faces and the integration tests.
const CORE_USERS: &[&str] = &["iris-desktop", "iris-cli", "iris-tests"];

/// Heavy or stateful crates the build tool and configuration must not compile.
fn heavy(n: &str) -> bool {
    n.starts_with("candle") || n.starts_with("sqlx") || n == "keyring" || n.starts_with("keyring-")
}

/// Crates that hold identifiable patient data: nothing outbound may reach them.
const PHI_HOLDERS: &[&str] = &["iris-vault", "iris-fhir", "iris-core"];

/// Crates whose data leaves the workstation (the sync issue, the central store, analytics).
const OUTBOUND: &[&str] = &["iris-sync", "iris-analytics", "iris-central"];

pub fn check(root: &Path) -> Result<()> {
    step("checking crate boundaries");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(&cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"))
        .output()
        .context("cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let meta: Metadata = serde_json::from_slice(&out.stdout)?;
    let mut violations = violations(&meta);
    violations.extend(xtask_tree_violations(&cargo, root)?);
    if violations.is_empty() {
        eprintln!("xtask: crate boundaries hold");
        Ok(())
    } else {
        bail!("crate boundaries broken:\n  {}", violations.join("\n  "))
    }
}

/// Rule 6 once more, as `cargo tree` prints it for the build tool's own target platform: what
/// `cargo xtask fetch-models` on a fresh clone compiles.
fn xtask_tree_violations(cargo: &str, root: &Path) -> Result<Vec<String>> {
    let out = Command::new(cargo)
        .args([
            "tree",
            "-p",
            "xtask",
            "--prefix",
            "none",
            "--locked",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"))
        .output()
        .context("cargo tree -p xtask")?;
    if !out.status.success() {
        bail!(
            "cargo tree -p xtask failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(tree_violations(&String::from_utf8_lossy(&out.stdout)))
}

/// Heavy crates in `cargo tree --prefix none` output (one `name vX.Y.Z …` per line).
fn tree_violations(tree: &str) -> Vec<String> {
    let found: BTreeSet<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| heavy(n))
        .collect();
    found
        .into_iter()
        .map(|n| {
            format!(
                "cargo tree -p xtask lists {n}; the build tool compiles no candle, sqlx or keyring"
            )
        })
        .collect()
}

pub fn violations<'a>(meta: &'a Metadata) -> Vec<String> {
    let name: BTreeMap<&str, &str> = meta
        .packages
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let deps: BTreeMap<&str, Vec<&str>> = meta
        .resolve
        .nodes
        .iter()
        .map(|n| {
            (
                n.id.as_str(),
                n.deps.iter().map(|d| d.pkg.as_str()).collect(),
            )
        })
        .collect();
    let members: BTreeSet<&str> = meta.workspace_members.iter().map(String::as_str).collect();
    let member_names: BTreeSet<&str> = members
        .iter()
        .filter_map(|id| name.get(id).copied())
        .collect();

    // Every package reachable from `from`, with the chain that reaches it (for the message).
    let reach = |from: &'a str| -> BTreeMap<&'a str, Vec<&'a str>> {
        let mut seen: BTreeMap<&'a str, Vec<&'a str>> = BTreeMap::new();
        let mut stack = vec![(from, vec![name.get(from).copied().unwrap_or(from)])];
        while let Some((id, path)) = stack.pop() {
            for &d in deps.get(id).map(Vec::as_slice).unwrap_or(&[]) {
                if seen.contains_key(d) {
                    continue;
                }
                let mut p = path.clone();
                p.push(name.get(d).copied().unwrap_or(d));
                seen.insert(d, p.clone());
                stack.push((d, p));
            }
        }
        seen
    };

    let mut out = Vec::new();
    for &member in &members {
        let me = name[member];
        let reached = reach(member);
        let names = || {
            reached
                .iter()
                .map(|(id, path)| (name.get(id).copied().unwrap_or(id), path))
        };
        let is_tauri = |n: &str| n == "tauri" || n.starts_with("tauri-");
        if me != "iris-desktop"
            && let Some((n, path)) = names().find(|(n, _)| is_tauri(n))
        {
            out.push(format!(
                "{me} depends on {n} ({}); only iris-desktop may",
                path.join(" -> ")
            ));
        }
        if me == "iris-types" {
            let forbidden =
                |n: &str| is_tauri(n) || n.starts_with("candle") || n.starts_with("sqlx");
            if let Some((n, path)) = names().find(|(n, _)| forbidden(n)) {
                out.push(format!("iris-types depends on {n} ({})", path.join(" -> ")));
            }
        }
        if me == "iris-inference"
            && let Some((n, path)) = names().find(|(n, _)| n.starts_with("sqlx"))
        {
            out.push(format!(
                "iris-inference depends on {n} ({}); it knows nothing of storage",
                path.join(" -> ")
            ));
        }
        if (me == "xtask" || me == "iris-config")
            && let Some((n, path)) = names().find(|(n, _)| heavy(n))
        {
            out.push(format!(
                "{me} depends on {n} ({}); the build tool and configuration compile no candle, sqlx or keyring",
                path.join(" -> ")
            ));
        }
        if me == "iris-record" || me == "iris-types" {
            let node = meta
                .resolve
                .nodes
                .iter()
                .find(|n| n.id == member)
                .expect("members are resolved");
            for d in node.deps.iter().filter(|d| d.is_normal()) {
                let dn = name[d.pkg.as_str()];
                let allowed = dn == "serde" || (me == "iris-types" && dn == "iris-record");
                if !allowed {
                    out.push(format!("{me} may depend on serde only, not {dn}"));
                }
            }
        }
        if OUTBOUND.contains(&me) || me == "iris-privacy" {
            if let Some((n, path)) = names().find(|(n, _)| PHI_HOLDERS.contains(n)) {
                out.push(format!(
                    "{me} depends on {n} ({}); what leaves the workstation is Deidentified<T> only",
                    path.join(" -> ")
                ));
            }
            if me == "iris-privacy"
                && let Some((n, path)) = names().find(|(n, _)| n.starts_with("sqlx"))
            {
                out.push(format!(
                    "iris-privacy depends on {n} ({}); it is pure",
                    path.join(" -> ")
                ));
            }
        }
        let ws_deps: Vec<&str> = deps[member]
            .iter()
            .map(|d| name[d])
            .filter(|n| member_names.contains(n))
            .collect();
        if me == "iris-ui" {
            for d in ws_deps.iter().filter(|d| **d != "iris-types") {
                out.push(format!(
                    "iris-ui may depend on iris-types only among workspace crates, not {d}"
                ));
            }
        }
        if !CORE_USERS.contains(&me) && me != "iris-core" && ws_deps.contains(&"iris-core") {
            out.push(format!(
                "{me} depends on iris-core; domain crates sit below it"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(members: &[&str], edges: &[(&str, &str)]) -> Metadata {
        let mut all: BTreeSet<&str> = members.iter().copied().collect();
        for (a, b) in edges {
            all.insert(a);
            all.insert(b);
        }
        Metadata {
            packages: all
                .iter()
                .map(|n| Package {
                    id: format!("id-{n}"),
                    name: n.to_string(),
                })
                .collect(),
            workspace_members: members.iter().map(|n| format!("id-{n}")).collect(),
            resolve: Resolve {
                nodes: all
                    .iter()
                    .map(|n| Node {
                        id: format!("id-{n}"),
                        deps: edges
                            .iter()
                            .filter(|(a, _)| a == n)
                            .map(|(_, b)| NodeDep {
                                pkg: format!("id-{b}"),
                                dep_kinds: vec![],
                            })
                            .collect(),
                    })
                    .collect(),
            },
        }
    }

    #[test]
    fn heavy_crates_in_cargo_tree_output_are_reported() {
        let clean =
            "xtask v0.0.0 (/w/xtask)\niris-config v0.0.0 (/w/crates/iris-config)\nclap v4.6.0\n";
        assert_eq!(tree_violations(clean), Vec::<String>::new());
        let broken = format!("{clean}candle-core v0.11.0\nsqlx-core v0.9.0\nkeyring v4.2.0\n");
        let v = tree_violations(&broken);
        assert_eq!(v.len(), 3, "{v:?}");
        assert!(v.iter().any(|s| s.contains("candle-core")));
        assert!(v.iter().any(|s| s.contains("keyring")));
    }

    #[test]
    fn a_clean_graph_passes() {
        let m = meta(
            &[
                "iris-types",
                "iris-core",
                "iris-desktop",
                "iris-ui",
                "xtask",
                "iris-config",
                "iris-record",
                "iris-privacy",
                "iris-sync",
                "iris-vault",
            ],
            &[
                ("iris-types", "serde"),
                ("iris-core", "iris-types"),
                ("iris-desktop", "iris-core"),
                ("iris-desktop", "tauri"),
                ("tauri", "tauri-utils"),
                ("iris-ui", "iris-types"),
                ("iris-ui", "leptos"),
                ("iris-types", "iris-record"),
                ("iris-record", "serde"),
                ("xtask", "iris-config"),
                ("xtask", "iris-models"),
                ("iris-config", "iris-types"),
                ("iris-config", "clap"),
                ("iris-privacy", "iris-record"),
                ("iris-sync", "iris-privacy"),
                ("iris-vault", "sqlx"),
                ("iris-core", "iris-vault"),
            ],
        );
        assert_eq!(violations(&m), Vec::<String>::new());
    }

    #[test]
    fn each_rule_catches_its_violation() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("iris-core", "helper"), ("helper", "tauri-utils")],
                "iris-core depends on tauri-utils (iris-core -> helper -> tauri-utils)",
            ),
            (
                &[("iris-types", "sqlx-core")],
                "iris-types depends on sqlx-core",
            ),
            (
                &[("iris-types", "candle-core")],
                "iris-types depends on candle-core",
            ),
            (
                &[("iris-types", "chrono")],
                "iris-types may depend on serde only, not chrono",
            ),
            (
                &[("iris-ui", "iris-core")],
                "iris-ui may depend on iris-types only",
            ),
            (
                &[("iris-vault", "iris-core")],
                "iris-vault depends on iris-core",
            ),
            (
                &[("xtask", "iris-core")],
                "xtask depends on iris-core; domain crates sit below it",
            ),
            (
                &[
                    ("xtask", "iris-config"),
                    ("iris-config", "helper"),
                    ("helper", "sqlx-sqlite"),
                ],
                "xtask depends on sqlx-sqlite (xtask -> iris-config -> helper -> sqlx-sqlite)",
            ),
            (
                &[("xtask", "iris-models"), ("iris-models", "candle-core")],
                "xtask depends on candle-core",
            ),
            (
                &[("iris-config", "keyring")],
                "iris-config depends on keyring",
            ),
            (
                &[("iris-record", "sqlx")],
                "iris-record may depend on serde only, not sqlx",
            ),
            (
                &[("iris-record", "tokio")],
                "iris-record may depend on serde only, not tokio",
            ),
            (
                &[("iris-sync", "iris-vault")],
                "iris-sync depends on iris-vault (iris-sync -> iris-vault); what leaves the workstation is Deidentified<T> only",
            ),
            (
                &[("iris-analytics", "helper"), ("helper", "iris-fhir")],
                "iris-analytics depends on iris-fhir (iris-analytics -> helper -> iris-fhir)",
            ),
            (
                &[("iris-central", "iris-core")],
                "iris-central depends on iris-core",
            ),
            (
                &[("iris-privacy", "iris-vault")],
                "iris-privacy depends on iris-vault",
            ),
            (
                &[("iris-privacy", "sqlx-core")],
                "iris-privacy depends on sqlx-core (iris-privacy -> sqlx-core); it is pure",
            ),
        ];
        let members = [
            "iris-types",
            "iris-core",
            "iris-ui",
            "iris-vault",
            "xtask",
            "iris-config",
            "iris-record",
            "iris-sync",
            "iris-analytics",
            "iris-central",
            "iris-privacy",
        ];
        for (edges, expected) in cases {
            let m = meta(&members, edges);
            let v = violations(&m);
            assert!(
                v.iter().any(|s| s.contains(expected)),
                "{expected:?} not in {v:?}"
            );
        }
    }
}
