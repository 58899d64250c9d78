//! The wire types of Iris: everything that crosses from the core to the webview, the CLI's JSON
//! output, or any other process boundary.
//!
//! This crate is the PHI gate's vocabulary. Domain types are never `Serialize`; only the DTOs
//! here are, and converting into them happens in `iris-core`. It depends on `serde` alone so it
//! builds unchanged for `wasm32-unknown-unknown` (the Leptos UI) and for the host.
//!
//! Every command is a zero-sized marker implementing [`Command`], which binds the command's
//! name to its request and response types; the UI's `ipc::call::<C>` and the desktop shell's
//! handler names are both derived from it, so the two sides cannot disagree on a name or shape.

mod about;
pub mod ai;
mod cds;
mod chart;
mod error;
mod fhir;
mod vault;

pub use about::{About, AboutDto, AboutRequest, PolicyDto, SettingDto, SettingSource};
pub use ai::*;
pub use cds::*;
pub use chart::*;
pub use error::{ApiError, ErrorCode, FieldError};
pub use fhir::*;
pub use vault::*;

/// The named LOINC codes of the record model, so the UI names a measure instead of spelling
/// its digits (iris-record is serde-only and builds for wasm32; no record type crosses here).
pub use iris_record::codes::loinc;

use serde::{Serialize, de::DeserializeOwned};

/// Binds a command name to its request and response types.
///
/// The desktop shell registers a handler named [`Command::NAME`] that takes one argument named
/// `req` of type [`Command::Req`] and returns `Result<Command::Res, ApiError>`.
pub trait Command {
    /// The IPC command name (snake_case, as Tauri registers it).
    const NAME: &'static str;
    /// Request body, sent as the `req` argument.
    type Req: Serialize + DeserializeOwned;
    /// Successful response body.
    type Res: Serialize + DeserializeOwned;
}

/// A command that streams items (progress, partial transcripts, generated tokens) before its
/// one reply. The desktop shell's handler takes a second argument, [`STREAM_ARG`], a typed
/// Tauri channel of `Item`s; the UI's `ipc::stream::<C>` passes a channel there and hands each
/// item to a callback, in the order sent, then returns the reply like `ipc::call`.
pub trait StreamCommand: Command {
    /// One streamed item.
    type Item: Serialize + DeserializeOwned;
}

/// The argument name of a stream command's channel (Tauri's camelCase of `channel`).
pub const STREAM_ARG: &str = "channel";

/// The argument envelope Tauri expects: command arguments are passed by name, and every Iris
/// command has exactly one, called `req`.
#[derive(Debug, Serialize)]
pub struct Args<'a, T> {
    /// The request.
    pub req: &'a T,
}

/// Every command the core exposes, by name, so transports can check their registrations
/// against one list.
pub const COMMANDS: &[&str] = &[
    About::NAME,
    VaultStatus::NAME,
    InitVault::NAME,
    Login::NAME,
    Logout::NAME,
    LockSession::NAME,
    ChangePassword::NAME,
    ListUsers::NAME,
    AddUser::NAME,
    ChangeUser::NAME,
    SearchPatients::NAME,
    RecentPatients::NAME,
    CreatePatient::NAME,
    UpdatePatient::NAME,
    OpenChart::NAME,
    ChartTrends::NAME,
    RecordVitals::NAME,
    StartEncounter::NAME,
    SaveNote::NAME,
    SignNote::NAME,
    AddAddendum::NAME,
    NoteEnteredInError::NAME,
    RecordEnteredInError::NAME,
    CdsEvaluate::NAME,
    Triage::NAME,
    MedsCheck::NAME,
    MedicationCheck::NAME,
    AddMedication::NAME,
    SaveTriage::NAME,
    ImportFhir::NAME,
];
