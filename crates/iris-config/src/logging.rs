//! Structured logging to daily-rotated files in the log dir.
//!
//! What may be logged: command names, codes, counts, timings, opaque ids and paths of the
//! workstation's own files. Never patient values: request bodies and errors from storage or
//! crypto layers are not logged verbatim (see `iris_types::ApiError`).

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::MakeWriterExt;

use crate::config::Config;
use crate::{ensure_private_dir, restrict_new_files};

/// Keeps the background log writer alive; dropping it flushes the remaining lines.
#[derive(Debug)]
pub struct LogGuard(#[allow(dead_code)] WorkerGuard);

/// Installs the global subscriber writing to `<log_dir>/<face>.<date>.log`.
///
/// `mirror_stderr` also writes warnings and errors to stderr (the desktop shell in a terminal);
/// the CLI passes false because its stderr belongs to the user.
pub fn init(config: &Config, face: &str, mirror_stderr: bool) -> std::io::Result<LogGuard> {
    restrict_new_files();
    ensure_private_dir(config.log_dir())?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix(face)
        .filename_suffix("log")
        .max_log_files(config.log_max_files())
        .build(config.log_dir())
        .map_err(std::io::Error::other)?;
    let (file, guard) = tracing_appender::non_blocking(appender);
    // Our crates at the configured level; dependencies at warn, except that debug and trace
    // also show sqlx's statement log (SQL text with placeholders, never bound values).
    let level = config.log_level();
    let mut directives = format!(
        "warn,iris={level},iris_core={level},iris_vault={level},iris_desktop={level},iris_cli={level}"
    );
    if matches!(level, "debug" | "trace") {
        directives.push_str(&format!(",sqlx={level}"));
    }
    let filter = EnvFilter::new(directives);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false);
    let installed = if mirror_stderr {
        builder
            .with_writer(file.and(std::io::stderr.with_max_level(tracing::Level::WARN)))
            .try_init()
    } else {
        builder.with_writer(file).try_init()
    };
    // A second init in one process (tests) keeps the first subscriber; that is fine.
    drop(installed);
    Ok(LogGuard(guard))
}
