//! `iris`: the headless face of Iris for scripts, IT and CI.
//!
//! Contract: results on stdout, errors on stderr, progress only on stderr and only when stderr is
//! a terminal. Exit status 0 on success, 1 on failure, 2 on usage errors or invalid input
//! (including invalid configuration). `--json` switches commands that have a human form to JSON.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use iris_config::args::ConfigArgs;
use iris_core::AppCore;
use iris_types::{
    AboutDto, AboutRequest, AddUserRequest, ApiError, AuditEntryDto, AuditListRequest,
    AuditVerifyDto, ChangePasswordRequest, ChangeUserRequest, ErrorCode, InitDto, InitRequest,
    LoginRequest, PatientSummaryDto, UserChange, UserDto, VaultStatusDto,
};

#[derive(Debug, Parser)]
#[command(name = "iris", version = iris_core::VERSION, about = "Iris clinician workstation, headless")]
struct Cli {
    /// Print machine-readable JSON instead of the human form.
    #[arg(long, global = true)]
    json: bool,

    /// Act as this Iris user (also IRIS_USER); commands that touch the vault require it.
    #[arg(long = "as", value_name = "USER", global = true, env = "IRIS_USER", value_parser = parse_user_name)]
    as_user: Option<String>,

    #[command(flatten)]
    config: ConfigArgs,

    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Version, build, directories, system policy and locked settings, inference devices.
    About,
    /// Create the vault in the data dir and its first administrator (password from
    /// IRIS_PASSWORD or the first line of stdin). The vault key is kept in the OS keyring, or
    /// derived from IRIS_PASSPHRASE when that is set. Prints the recovery key once.
    Init {
        /// The administrator's user name.
        #[arg(long, value_name = "NAME", value_parser = parse_user_name)]
        admin: String,
    },
    /// User administration (admin).
    #[command(subcommand)]
    User(UserCmd),
    /// The tamper-evident audit log (admin).
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Vault keys and state.
    #[command(subcommand)]
    Vault(VaultCmd),
    /// Write an encrypted, consistent backup of the vault while it is in use (admin).
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore a backup into this (empty) data dir, with the vault passphrase (IRIS_PASSPHRASE)
    /// or the recovery key (IRIS_RECOVERY_KEY). Then `iris vault rekey` enrolls this machine's
    /// keyring.
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Clinical decision support scores. Stateless: no sign-in, nothing stored; JSON on stdin,
    /// JSON on stdout; exit 2 when the input is invalid or physiologically impossible.
    #[command(subcommand)]
    Cds(CdsCmd),
    /// ESI v4 emergency triage. JSON on stdin (`age_years` or `age_months`, vitals,
    /// `chief_complaint`, the A–C answers) → `{"esi", "decision_point", "reasons", "proposed"}`.
    /// Stateless.
    Triage,
    /// Medication safety. Stateless.
    #[command(subcommand)]
    Meds(MedsCmd),
    /// Sentence embeddings from a local model. Stateless (no sign-in, nothing stored); always
    /// JSON: `{"model": "minilm", "dim": 384, "vectors": [[…], …]}`.
    Embed {
        /// An embedding model of models/models.toml.
        #[arg(long, default_value = "minilm", value_name = "NAME")]
        model: String,
        #[arg(required = true, value_name = "TEXT")]
        texts: Vec<String>,
    },
    /// Speech to text from a WAV file (any sample rate and channel count), with a local
    /// Whisper. Stateless. Prints the bare transcript; `--json` prints segments with times.
    Transcribe {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long, default_value = "whisper-tiny", value_name = "NAME")]
        model: String,
    },
    /// Text generation with a local model (greedy). Stateless. The model's chat template is
    /// applied unless `--raw`; text streams to stdout as it is generated.
    Generate {
        /// A text-generation model of models/models.toml (`smollm2`, `gemma3`).
        #[arg(long, value_name = "NAME")]
        model: String,
        /// Send the prompt as written, without the chat template.
        #[arg(long)]
        raw: bool,
        #[arg(long, default_value_t = 256, value_name = "N")]
        max_tokens: usize,
        /// Stop when this text is generated (repeatable); it is not printed.
        #[arg(long = "stop", value_name = "TEXT")]
        stop: Vec<String>,
        #[arg(value_name = "PROMPT")]
        prompt: String,
    },
    /// Benchmarks on this workstation. Stateless.
    #[command(subcommand)]
    Bench(BenchCmd),
    /// Import FHIR R4 (admin): Bundles (.json) and bulk NDJSON (.ndjson), files or folders.
    /// What R4 refuses is quarantined (kept encrypted) with where and why, and so is what
    /// references it; the rest is imported, structured when Iris can and kept whole otherwise.
    /// Exit 0 when everything was imported, 4 when the import ran with resources quarantined,
    /// 1 when it could not run.
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Transaction Bundles all or nothing: one quarantined entry quarantines its Bundle.
        #[arg(long)]
        atomic: bool,
    },
    /// Patients in the vault (physicians and administrators).
    #[command(subcommand)]
    Patient(PatientCmd),
    /// Write a patient's whole record as a FHIR R4 Bundle (admin; right of access and
    /// portability). The file is created owner-only.
    Export {
        /// Iris's patient id, as `iris patient list` shows it.
        #[arg(long, value_name = "ID")]
        patient: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Erase a patient on request (admin): their rows and ciphertexts are removed from the
    /// database file, its WAL and free pages; the audit entry of the erasure is kept.
    Erase {
        /// Iris's patient id, as `iris patient list` shows it.
        #[arg(long, value_name = "ID")]
        patient: String,
        /// Why (10-500 characters; recorded in the audit log as an erasure, not its text).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
enum PatientCmd {
    /// Ids and display fields of every patient.
    List,
}

#[derive(Debug, Subcommand)]
enum BenchCmd {
    /// Speed and memory of each installed local model on the configured device, with built-in
    /// synthetic inputs: embeddings/s (batch 32 and 1), Whisper real-time factor on ~30 s of
    /// speech, prompt and decode tokens/s, load times, peak memory. Exit 0 when every
    /// installed model was measured and at least one was, 1 otherwise.
    Inference {
        /// Timed runs per figure, after one warm-up; the best is reported.
        #[arg(long, default_value_t = 3, value_name = "N")]
        runs: usize,
        /// Only this model (repeatable): minilm, whisper-tiny, smollm2, gemma3.
        #[arg(long = "model", value_name = "NAME")]
        models: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
enum CdsCmd {
    /// Every score (news2, qsofa, sirs, mews, morse, shock_index, lace, egfr, bmi) from one JSON
    /// object of optional inputs in canonical units: age_years, sex, pregnant,
    /// respiratory_rate, spo2, spo2_scale, on_oxygen, systolic_bp, diastolic_bp, heart_rate,
    /// consciousness (A|C|V|P|U), gcs, temperature_c, wbc_10e9_per_l, weight_kg, height_cm,
    /// creatinine_mg_dl, morse {history_of_falling, secondary_diagnosis, ambulatory_aid,
    /// iv_or_heparin_lock, gait, mental_status}, lace {length_of_stay_days, acute_admission,
    /// charlson_index, ed_visits_6_months}.
    Evaluate,
}

#[derive(Debug, Subcommand)]
enum MedsCmd {
    /// Drug-drug, drug-allergy, renal-dose, duplicate-therapy and unknown-drug alerts for
    /// `{"medications": [...], "allergies": [...], "egfr": n}` on stdin.
    Check,
}

#[derive(Debug, Subcommand)]
enum UserCmd {
    /// Add a user; their initial password (IRIS_NEW_PASSWORD or the next stdin line) must be
    /// changed at first sign-in.
    Add {
        #[arg(value_parser = parse_user_name)]
        name: String,
        #[arg(long, value_parser = ["admin", "physician", "nurse", "analyst"])]
        role: String,
    },
    /// Stop a user from signing in.
    Disable {
        #[arg(value_parser = parse_user_name)]
        name: String,
    },
    /// Let a disabled user sign in again.
    Enable {
        #[arg(value_parser = parse_user_name)]
        name: String,
    },
    /// Clear a lockout after failed sign-ins.
    Unlock {
        #[arg(value_parser = parse_user_name)]
        name: String,
    },
    /// Change the acting user's own password (new one from IRIS_NEW_PASSWORD or the next
    /// stdin line).
    Passwd,
    /// List users, roles and account state.
    List,
}

#[derive(Debug, Subcommand)]
enum AuditCmd {
    /// Check the hash chain and its signed head. Exit 0 intact, 3 tampering found (first broken
    /// sequence number on stderr), 1 could not run.
    Verify {
        /// A head exported earlier with `iris audit head`; also detects truncation.
        #[arg(long, value_name = "FILE")]
        head: Option<PathBuf>,
    },
    /// Write the current signed chain head to FILE, for safekeeping off the workstation.
    Head {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Accounting of disclosures: entries for one patient or one user.
    List {
        /// Opaque patient id.
        #[arg(long, conflicts_with = "user")]
        patient: Option<String>,
        #[arg(long, value_parser = parse_user_name)]
        user: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum VaultCmd {
    /// Whether the data dir has a vault and which key opened it.
    Status,
    /// Re-wrap the vault key: under a new OS keyring secret, or under IRIS_NEW_PASSPHRASE when
    /// set. Records are not touched.
    Rekey,
    /// Re-encrypt every value under a new data key. Resumable: run it again after an
    /// interruption, or limit the work per run with --batches.
    Reencrypt {
        /// Batches (of 500 rows) to move in this run; all when omitted.
        #[arg(long)]
        batches: Option<u32>,
    },
}

/// User names are lower-case ASCII so that they are unambiguous in audit trails and scripts.
fn parse_user_name(s: &str) -> Result<String, String> {
    let ok = (1..=32).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if ok {
        Ok(s.to_string())
    } else {
        Err("a user name is 1-32 characters: a lower-case letter, then lower-case letters, digits, '.', '_' or '-'".into())
    }
}

fn main() -> ExitCode {
    let started = Instant::now();
    let cli = Cli::parse();
    // Decision support is stateless: no configuration, data dir or log is touched.
    match &cli.command {
        Cmd::Cds(CdsCmd::Evaluate) => return stateless(iris_core::cds::evaluate),
        Cmd::Triage => return stateless(iris_core::cds::triage),
        Cmd::Meds(MedsCmd::Check) => return stateless(iris_core::cds::meds_check),
        Cmd::Embed { model, texts } => {
            return local_ai(&cli, |ai| {
                let dto = ai.embed(Some(model), texts.clone())?;
                Ok(serde_json::to_string(&dto).expect("DTOs always serialize"))
            });
        }
        Cmd::Transcribe { file, model } => {
            let json = cli.json;
            return local_ai(&cli, |ai| {
                let t = ai.transcribe(Some(model), file, &mut |_| {})?;
                Ok(if json { to_json(&t) } else { t.text })
            });
        }
        Cmd::Generate {
            model,
            raw,
            max_tokens,
            stop,
            prompt,
        } => {
            let json = cli.json;
            return local_ai(&cli, |ai| {
                let req = iris_types::GenerateRequestDto {
                    model: model.clone(),
                    prompt: prompt.clone(),
                    raw: *raw,
                    max_tokens: *max_tokens,
                    stop: stop.clone(),
                };
                let cancel = iris_core::ai::Cancel::new();
                let mut out = std::io::stdout();
                let g = ai.generate(req, &cancel, &mut |piece| {
                    if !json {
                        // A closed stdout (`| head`) stops the generation.
                        if write!(out, "{piece}").and_then(|()| out.flush()).is_err() {
                            cancel.cancel();
                        }
                    }
                })?;
                Ok(if json { to_json(&g) } else { String::new() })
            });
        }
        Cmd::Bench(BenchCmd::Inference { runs, models }) => {
            return bench_inference(&cli, *runs, models);
        }
        _ => {}
    }
    let (core, _log) = iris_core::start(
        &cli.config,
        "iris-cli",
        false,
        started,
        iris_config::env::key_source(),
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a single-threaded runtime");
    let result = match core {
        Ok(core) => {
            for ignored in core.config().ignored() {
                eprintln!(
                    "iris: note: setting `{}` is locked by the system policy; the value from the {} was ignored",
                    ignored.key,
                    ignored.source.label()
                );
            }
            rt.block_on(async {
                let r = run(&core, &cli).await;
                core.close_vault().await;
                r
            })
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(out) => match out.print(cli.json) {
            Ok(code) => code,
            // stdout closed (e.g. `| head`): nothing more to say.
            Err(_) => ExitCode::from(1),
        },
        Err(e) => report(&e, cli.json),
    }
}

/// Secrets for non-interactive use: from the named environment variable, else the next line of
/// stdin (so a script can pipe them without putting them in the process list).
struct Secrets {
    lines: std::io::Lines<std::io::StdinLock<'static>>,
}

impl Secrets {
    fn new() -> Secrets {
        Secrets {
            lines: std::io::stdin().lock().lines(),
        }
    }

    fn get(&mut self, var: &str, what: &str) -> Result<String, ApiError> {
        if let Ok(v) = std::env::var(var) {
            return Ok(v);
        }
        match self.lines.next() {
            Some(Ok(line)) if !line.is_empty() => Ok(line),
            _ => Err(ApiError::new(
                ErrorCode::Validation,
                format!("{what} is required: set {var} or give it on a line of stdin"),
            )),
        }
    }
}

fn acting_user(cli: &Cli) -> Result<String, ApiError> {
    cli.as_user.clone().ok_or_else(|| {
        ApiError::new(
            ErrorCode::Validation,
            "this command acts on the vault: name the acting user with --as USER or IRIS_USER",
        )
    })
}

/// Opens the vault (keyring, IRIS_PASSPHRASE or IRIS_RECOVERY_KEY) and signs the acting user in.
async fn sign_in(core: &AppCore, cli: &Cli, secrets: &mut Secrets) -> Result<(), ApiError> {
    let user = acting_user(cli)?;
    let password = secrets.get("IRIS_PASSWORD", "the acting user's password")?;
    core.open_vault(&core.default_unlock()).await?;
    core.login(LoginRequest { user, password }).await?;
    Ok(())
}

async fn run(core: &AppCore, cli: &Cli) -> Result<Output, ApiError> {
    let mut secrets = Secrets::new();
    match &cli.command {
        Cmd::About => core
            .about(AboutRequest {})
            .map(|a| Output::About(Box::new(a))),
        Cmd::Init { admin } => {
            let password = secrets.get("IRIS_PASSWORD", "the administrator's password")?;
            core.init_vault(InitRequest {
                admin: admin.clone(),
                password,
                passphrase: None,
            })
            .await
            .map(Output::Init)
        }
        Cmd::Vault(VaultCmd::Status) => {
            if iris_vault_exists(core) {
                // Status tries the key but needs no user: it says whether the key works.
                let _ = core.open_vault(&core.default_unlock()).await;
            }
            Ok(Output::Status(core.vault_status()))
        }
        Cmd::Vault(VaultCmd::Rekey) => {
            sign_in(core, cli, &mut secrets).await?;
            let to = std::env::var("IRIS_NEW_PASSPHRASE").ok();
            core.rekey(to).await.map(Output::Slots)
        }
        Cmd::Vault(VaultCmd::Reencrypt { batches }) => {
            sign_in(core, cli, &mut secrets).await?;
            let r = core.reencrypt(*batches).await?;
            Ok(Output::Done(if r.remaining == 0 {
                format!(
                    "re-encryption complete: {} rows moved, every value is under data key {}",
                    r.rows, r.generation
                )
            } else {
                format!(
                    "re-encryption in progress: {} rows moved, {} left; run the command again to continue",
                    r.rows, r.remaining
                )
            }))
        }
        Cmd::Backup { out } => {
            sign_in(core, cli, &mut secrets).await?;
            let bytes = core.backup(out).await?;
            Ok(Output::Done(format!(
                "backup written to {} ({bytes} bytes)",
                out.display()
            )))
        }
        Cmd::Import { paths, atomic } => {
            sign_in(core, cli, &mut secrets).await?;
            let req = iris_types::ImportRequest {
                paths: paths.iter().map(|p| p.display().to_string()).collect(),
                atomic: *atomic,
            };
            // A progress line on a terminal only (stderr), never in scripts.
            let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let r = core
                .import_fhir(req, |p| {
                    if terminal {
                        eprint!(
                            "\r\x1b[2Kimporting: file {}/{} · {} resources read · {} quarantined",
                            (p.files_done + 1).min(p.files_total),
                            p.files_total,
                            p.resources_read,
                            p.quarantined
                        );
                    }
                })
                .await;
            if terminal {
                eprint!("\r\x1b[2K");
            }
            r.map(|r| Output::Import(Box::new(r)))
        }
        Cmd::Patient(PatientCmd::List) => {
            sign_in(core, cli, &mut secrets).await?;
            core.list_patients().await.map(Output::Patients)
        }
        Cmd::Export { patient, out } => {
            sign_in(core, cli, &mut secrets).await?;
            let bundle = core.export_patient(patient).await?;
            let n = bundle["entry"].as_array().map_or(0, Vec::len);
            let text = serde_json::to_vec_pretty(&bundle).expect("JSON values serialize");
            std::fs::write(out, text).map_err(|e| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("could not write {}: {}", out.display(), e.kind()),
                )
            })?;
            Ok(Output::Done(format!(
                "{n} resources written to {}",
                out.display()
            )))
        }
        Cmd::Erase { patient, reason } => {
            sign_in(core, cli, &mut secrets).await?;
            let n = core.erase_patient(patient, reason).await?;
            Ok(Output::Done(format!(
                "patient {patient} erased ({n} rows); the erasure is in the audit log"
            )))
        }
        // Answered in `main` before any configuration is read.
        Cmd::Cds(_)
        | Cmd::Triage
        | Cmd::Meds(_)
        | Cmd::Embed { .. }
        | Cmd::Transcribe { .. }
        | Cmd::Generate { .. }
        | Cmd::Bench(_) => Err(ApiError::internal()),
        Cmd::Restore { file } => {
            let unlock = core.default_unlock();
            if matches!(unlock, iris_core::Unlock::Keyring) {
                return Err(ApiError::new(
                    ErrorCode::Validation,
                    "restore needs the vault passphrase (IRIS_PASSPHRASE) or the recovery key (IRIS_RECOVERY_KEY)",
                ));
            }
            core.restore(file, &unlock).await?;
            Ok(Output::Done(format!(
                "restored into {}; run `iris vault rekey` to keep the key in this machine's keyring",
                core.config().data_dir().display()
            )))
        }
        Cmd::User(UserCmd::Passwd) => {
            let user = acting_user(cli)?;
            let current = secrets.get("IRIS_PASSWORD", "the current password")?;
            let new = secrets.get("IRIS_NEW_PASSWORD", "the new password")?;
            core.open_vault(&core.default_unlock()).await?;
            // A user whose password must change may still sign in to change it.
            core.login(LoginRequest {
                user,
                password: current.clone(),
            })
            .await?;
            core.change_password(ChangePasswordRequest { current, new })
                .await
                .map(|_| Output::Done("password changed".into()))
        }
        Cmd::User(cmd) => {
            sign_in(core, cli, &mut secrets).await?;
            let change = |name: &String, change| ChangeUserRequest {
                name: name.clone(),
                change,
            };
            match cmd {
                UserCmd::Add { name, role } => {
                    let initial_password =
                        secrets.get("IRIS_NEW_PASSWORD", "the new user's initial password")?;
                    core.add_user(AddUserRequest {
                        name: name.clone(),
                        role: role.clone(),
                        initial_password,
                    })
                    .await
                }
                UserCmd::Disable { name } => {
                    core.change_user(change(name, UserChange::Disable)).await
                }
                UserCmd::Enable { name } => {
                    core.change_user(change(name, UserChange::Enable)).await
                }
                UserCmd::Unlock { name } => {
                    core.change_user(change(name, UserChange::Unlock)).await
                }
                UserCmd::List => core.list_users().await,
                UserCmd::Passwd => unreachable!("handled above"),
            }
            .map(Output::Users)
        }
        Cmd::Audit(cmd) => {
            // Read the head file before touching the vault: a bad path is a usage error.
            let head = match cmd {
                AuditCmd::Verify { head: Some(path) } => {
                    Some(std::fs::read_to_string(path).map_err(|e| {
                        ApiError::new(
                            ErrorCode::Validation,
                            format!("cannot read the head file {}: {}", path.display(), e.kind()),
                        )
                    })?)
                }
                _ => None,
            };
            sign_in(core, cli, &mut secrets).await?;
            match cmd {
                AuditCmd::Verify { .. } => {
                    core.audit_verify(head.as_deref()).await.map(Output::Verify)
                }
                AuditCmd::Head { out } => {
                    let json = core.audit_head().await?;
                    write_private(out, &json)?;
                    Ok(Output::Done(format!(
                        "signed head written to {}",
                        out.display()
                    )))
                }
                AuditCmd::List { patient, user } => core
                    .audit_list(AuditListRequest {
                        patient: patient.clone(),
                        user: user.clone(),
                    })
                    .await
                    .map(Output::Audit),
            }
        }
    }
}

fn iris_vault_exists(core: &AppCore) -> bool {
    core.vault_status().initialized
}

fn write_private(path: &std::path::Path, text: &str) -> Result<(), ApiError> {
    std::fs::write(path, format!("{text}\n")).map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("cannot write {}: {}", path.display(), e.kind()),
        )
    })
}

enum Output {
    About(Box<AboutDto>),
    Init(InitDto),
    Status(VaultStatusDto),
    Users(Vec<UserDto>),
    Slots(Vec<String>),
    Verify(AuditVerifyDto),
    Audit(Vec<AuditEntryDto>),
    Patients(Vec<PatientSummaryDto>),
    Import(Box<iris_types::ImportReportDto>),
    Done(String),
}

impl Output {
    fn print(&self, json: bool) -> std::io::Result<ExitCode> {
        let mut out = std::io::stdout().lock();
        match self {
            Output::About(a) if json => writeln!(out, "{}", to_json(a))?,
            Output::About(a) => write_about(&mut out, a)?,
            Output::Init(i) if json => writeln!(out, "{}", to_json(i))?,
            Output::Init(i) => {
                writeln!(
                    out,
                    "Vault {} created; key slots: {}.",
                    i.vault_id,
                    i.slots.join(", ")
                )?;
                writeln!(
                    out,
                    "Recovery key (shown once: store it offline, away from this workstation):"
                )?;
                writeln!(out, "  {}", i.recovery_key)?;
            }
            Output::Status(s) if json => writeln!(out, "{}", to_json(s))?,
            Output::Status(s) => {
                let state = match (s.initialized, s.open) {
                    (false, _) => "no vault in this data dir".to_string(),
                    (true, true) => format!(
                        "vault opens with the {} key",
                        s.unlocked_with.as_deref().unwrap_or("?")
                    ),
                    (true, false) => format!(
                        "vault present but not opened: {}",
                        s.open_error.as_deref().unwrap_or("no key")
                    ),
                };
                writeln!(out, "{state}")?;
            }
            Output::Users(u) if json => writeln!(out, "{}", to_json(u))?,
            Output::Users(users) => {
                for u in users {
                    let mut state = Vec::new();
                    if u.disabled {
                        state.push("disabled");
                    }
                    if u.locked_until.is_some() {
                        state.push("locked out");
                    }
                    if u.must_change_password {
                        state.push("must change password");
                    }
                    writeln!(out, "{:32} {:10} {}", u.name, u.role, state.join(", "))?;
                }
            }
            Output::Import(r) => {
                if json {
                    writeln!(out, "{}", to_json(r))?;
                } else {
                    writeln!(
                        out,
                        "imported {} of {} resources in {:.1} s: {} patients, {} of them whole; {} quarantined, {} warnings",
                        r.resources_imported,
                        r.resources_read,
                        r.seconds,
                        r.patients,
                        r.patients_whole,
                        r.quarantined,
                        r.warnings
                    )?;
                    for (t, n) in &r.by_type {
                        writeln!(out, "  {t:24} {n}")?;
                    }
                    for q in &r.quarantine_report {
                        writeln!(out, "quarantined: {} {}: {}", q.file, q.path, q.reason)?;
                    }
                    for w in &r.warning_report {
                        writeln!(out, "warning: {} {}: {}", w.file, w.path, w.reason)?;
                    }
                }
                if r.quarantined > 0 {
                    return Ok(ExitCode::from(4));
                }
            }
            Output::Patients(p) if json => writeln!(out, "{}", to_json(p))?,
            Output::Patients(list) => {
                for p in list {
                    writeln!(
                        out,
                        "{}  {:40} {}  {:7}  {}",
                        p.id, p.name, p.birth_date, p.sex, p.mrn
                    )?;
                }
            }
            Output::Slots(s) if json => writeln!(out, "{}", to_json(s))?,
            Output::Slots(s) => writeln!(out, "vault key re-wrapped; key slots: {}", s.join(", "))?,
            Output::Verify(v) => {
                if json {
                    writeln!(out, "{}", to_json(v))?;
                } else if v.intact {
                    writeln!(
                        out,
                        "audit log intact: {} entries, signed head at {}",
                        v.entries, v.head_seq
                    )?;
                }
                if !v.intact {
                    eprintln!(
                        "iris: audit log TAMPERED: first broken entry {} ({})",
                        v.first_bad_seq.unwrap_or(0),
                        v.problem.as_deref().unwrap_or("")
                    );
                    return Ok(ExitCode::from(3));
                }
            }
            Output::Audit(a) if json => writeln!(out, "{}", to_json(a))?,
            Output::Audit(entries) => {
                for e in entries {
                    writeln!(
                        out,
                        "{:>6} {} {:16} {:9} {:16} {:7} n={} {} {}",
                        e.seq,
                        e.at,
                        e.user,
                        e.role,
                        e.action,
                        e.outcome,
                        e.count,
                        e.patient.as_deref().unwrap_or("-"),
                        e.detail.as_deref().unwrap_or("")
                    )?;
                }
            }
            Output::Done(msg) if json => writeln!(out, "{}", serde_json::json!({"ok": msg}))?,
            Output::Done(msg) => writeln!(out, "{msg}")?,
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).expect("DTOs always serialize")
}

fn write_about(out: &mut impl Write, a: &AboutDto) -> std::io::Result<()> {
    writeln!(
        out,
        "Iris {} ({} build, {})",
        a.version, a.build_profile, a.target
    )?;
    writeln!(out, "Data dir      {}", a.data_dir)?;
    writeln!(out, "Models dir    {}", a.models_dir)?;
    writeln!(out, "Log dir       {}", a.log_dir)?;
    writeln!(
        out,
        "Config file   {}",
        a.config_file.as_deref().unwrap_or("(none)")
    )?;
    let present = if a.policy.present {
        "in effect"
    } else {
        "not present"
    };
    writeln!(out, "Policy file   {} ({present})", a.policy.path)?;
    let locked = if a.policy.locked.is_empty() {
        "(none)".to_string()
    } else {
        a.policy.locked.join(", ")
    };
    writeln!(out, "Locked keys   {locked}")?;
    writeln!(out, "Inference     {}", a.inference_devices.join(", "))?;
    writeln!(
        out,
        "Models run on {} ({}; configured: {})",
        a.inference.device, a.inference.reason, a.inference.configured
    )?;
    for m in &a.inference.models {
        let state = if m.loaded {
            format!(
                "loaded on {}, {} MiB",
                m.device.as_deref().unwrap_or("?"),
                m.memory_mib
            )
        } else {
            "not loaded".to_string()
        };
        writeln!(
            out,
            "  {:<13} {:<16} {:<14} {state}",
            m.name,
            m.task,
            if m.installed {
                "installed"
            } else {
                "not installed"
            }
        )?;
    }
    writeln!(out, "Settings")?;
    let width = a.settings.iter().map(|s| s.key.len()).max().unwrap_or(0);
    for s in &a.settings {
        let lock = if s.locked { ", locked" } else { "" };
        writeln!(
            out,
            "  {:width$}  {}  ({}{lock})",
            s.key,
            s.value,
            s.source.label()
        )?;
    }
    Ok(())
}

/// JSON in on stdin, JSON out on stdout. Invalid input exits 2 with a message on stderr that
/// names fields and rules, never values (the input may carry patient data).
fn stateless<Req, Res>(f: impl Fn(&Req) -> Result<Res, ApiError>) -> ExitCode
where
    Req: serde::de::DeserializeOwned,
    Res: serde::Serialize,
{
    let mut input = String::new();
    if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut input) {
        eprintln!("iris: error: could not read stdin ({})", e.kind());
        return ExitCode::from(1);
    }
    let req: Req = match serde_json::from_str(&input) {
        Ok(r) => r,
        Err(e) => {
            let what = match e.classify() {
                serde_json::error::Category::Syntax => "is not valid JSON",
                serde_json::error::Category::Eof => "ends early (truncated JSON)",
                serde_json::error::Category::Data => {
                    "does not match the expected fields and types (unknown fields are refused)"
                }
                serde_json::error::Category::Io => "could not be read",
            };
            eprintln!(
                "iris: error: the input {what}, at line {} column {}; see `iris {} --help`",
                e.line(),
                e.column(),
                std::env::args()
                    .skip(1)
                    .filter(|a| !a.starts_with('-'))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            return ExitCode::from(2);
        }
    };
    match f(&req) {
        Ok(res) => match writeln!(std::io::stdout().lock(), "{}", to_json(&res)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(1),
        },
        Err(e) => report(&e, false),
    }
}

/// A local-AI command: configuration is read (models dir, device; invalid configuration exits
/// 2) but no data dir, vault or log is touched; `f` prints nothing itself and returns what goes
/// to stdout.
fn local_ai(cli: &Cli, f: impl FnOnce(&iris_core::ai::Ai) -> Result<String, ApiError>) -> ExitCode {
    let config = match iris_config::config::Config::resolve(&cli.config.sources()) {
        Ok(c) => c,
        Err(e) => return report(&ApiError::from(e), cli.json),
    };
    let ai = iris_core::ai::Ai::from_config(&config);
    match f(&ai) {
        Ok(out) => match writeln!(std::io::stdout().lock(), "{out}") {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(1),
        },
        Err(e) => report(&e, cli.json),
    }
}

fn bench_inference(cli: &Cli, runs: usize, models: &[String]) -> ExitCode {
    let config = match iris_config::config::Config::resolve(&cli.config.sources()) {
        Ok(c) => c,
        Err(e) => return report(&ApiError::from(e), cli.json),
    };
    let ai = iris_core::ai::Ai::from_config(&config);
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let r = match ai.bench(models, runs, &mut |m| {
        if tty {
            eprintln!("iris: benchmarking {m}…");
        }
    }) {
        Ok(r) => r,
        Err(e) => return report(&e, cli.json),
    };
    let mut out = std::io::stdout().lock();
    let written = if cli.json {
        writeln!(out, "{}", to_json(&r))
    } else {
        write_bench(&mut out, &r)
    };
    if written.is_err() {
        return ExitCode::from(1);
    }
    let measured = r.models.iter().filter(|m| m.status == "ok").count();
    let failed = r
        .models
        .iter()
        .any(|m| m.status != "ok" && m.status != "not_installed");
    if measured == 0 || failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn write_bench(out: &mut impl Write, r: &iris_types::InferenceBenchDto) -> std::io::Result<()> {
    writeln!(
        out,
        "device {}, {} threads, best of {} after a warm-up",
        r.device, r.threads, r.runs
    )?;
    for m in &r.models {
        let head = match (m.status.as_str(), &m.message) {
            ("ok", _) => String::new(),
            (s, Some(msg)) => format!(" — {s}: {msg}"),
            (s, None) => format!(" — {s}"),
        };
        writeln!(out, "{}{head}", m.model)?;
        if let Some(l) = m.load_seconds {
            writeln!(out, "  {:<34} {l:>10.2} s", "load (file checks included)")?;
        }
        for f in &m.figures {
            let value = if f.value >= 100.0 {
                format!("{:.0}", f.value)
            } else if f.value >= 1.0 {
                format!("{:.1}", f.value)
            } else {
                format!("{:.3}", f.value)
            };
            writeln!(
                out,
                "  {:<34} {value:>10} {}",
                f.name.replace('_', " "),
                f.unit
            )?;
        }
        if let Some(p) = m.peak_rss_mib
            && m.status == "ok"
        {
            writeln!(out, "  {:<34} {p:>10} MiB", "peak resident memory")?;
        }
    }
    Ok(())
}

fn report(e: &ApiError, json: bool) -> ExitCode {
    if json {
        eprintln!("{}", to_json(e));
    } else {
        eprintln!("iris: error: {e}");
    }
    ExitCode::from(u8::try_from(e.code.exit_code()).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_validated() {
        for ok in ["dr.house", "nurse_1", "a"] {
            assert!(parse_user_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Dr", "1abc", "a b", "x".repeat(33).as_str(), "rm -rf"] {
            assert!(parse_user_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
