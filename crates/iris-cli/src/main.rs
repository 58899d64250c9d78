//! `iris`: the headless face of Iris for scripts, IT and CI.
//!
//! Contract: results on stdout, errors on stderr, progress only on stderr and only when stderr is
//! a terminal. Exit status 0 on success, 1 on failure, 2 on usage errors or invalid input
//! (including invalid configuration). `--json` switches commands that have a human form to JSON.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use iris_core::args::ConfigArgs;
use iris_types::{AboutDto, AboutRequest, ApiError};

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
    let (core, _log) = iris_core::start(&cli.config, "iris-cli", false, started);
    let result = core.and_then(|core| {
        for ignored in core.config().ignored() {
            eprintln!(
                "iris: note: setting `{}` is locked by the system policy; the value from the {} was ignored",
                ignored.key,
                ignored.source.label()
            );
        }
        match cli.command {
            Cmd::About => core.about(AboutRequest {}).map(|a| Output::About(Box::new(a))),
        }
    });
    match result {
        Ok(out) => match out.print(cli.json) {
            Ok(()) => ExitCode::SUCCESS,
            // stdout closed (e.g. `| head`): nothing more to say.
            Err(_) => ExitCode::from(1),
        },
        Err(e) => report(&e, cli.json),
    }
}

enum Output {
    About(Box<AboutDto>),
}

impl Output {
    fn print(&self, json: bool) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        match self {
            Output::About(a) if json => writeln!(out, "{}", to_json(a)),
            Output::About(a) => write_about(&mut out, a),
        }
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
