//! Crate boundary rules, checked on `cargo metadata` (all targets, all dependency kinds):
//!
//! 1. `iris-types` depends on `serde` only, and nothing under it is tauri, candle or sqlx.
//! 2. No crate but `iris-desktop` depends on tauri, directly or not.
//! 3. The UI depends on no workspace crate but `iris-types`.
//! 4. Domain crates (everything but the faces, tests and tooling) never depend on `iris-core`.
//! 5. `iris-inference` knows nothing of storage: no sqlx under it.

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

/// Crates allowed to depend on iris-core: the two faces, the integration tests and tooling.
const CORE_USERS: &[&str] = &["iris-desktop", "iris-cli", "iris-tests", "xtask"];

pub fn check(root: &Path) -> Result<()> {
    step("checking crate boundaries");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
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
    let violations = violations(&meta);
    if violations.is_empty() {
        eprintln!("xtask: crate boundaries hold");
        Ok(())
    } else {
        bail!("crate boundaries broken:\n  {}", violations.join("\n  "))
    }
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
            let node = meta
                .resolve
                .nodes
                .iter()
                .find(|n| n.id == member)
                .expect("members are resolved");
            for d in node.deps.iter().filter(|d| d.is_normal()) {
                let dn = name[d.pkg.as_str()];
                if dn != "serde" {
                    out.push(format!("iris-types may depend on serde only, not {dn}"));
                }
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
    fn a_clean_graph_passes() {
        let m = meta(
            &["iris-types", "iris-core", "iris-desktop", "iris-ui"],
            &[
                ("iris-types", "serde"),
                ("iris-core", "iris-types"),
                ("iris-desktop", "iris-core"),
                ("iris-desktop", "tauri"),
                ("tauri", "tauri-utils"),
                ("iris-ui", "iris-types"),
                ("iris-ui", "leptos"),
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
        ];
        for (edges, expected) in cases {
            let m = meta(&["iris-types", "iris-core", "iris-ui", "iris-vault"], edges);
            let v = violations(&m);
            assert!(
                v.iter().any(|s| s.contains(expected)),
                "{expected:?} not in {v:?}"
            );
        }
    }
}
