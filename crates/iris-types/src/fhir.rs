//! FHIR import, export and erasure DTOs (administrators).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Command;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// Files (`.json` Bundles or single resources, `.ndjson`) or folders of them, on this
    /// workstation.
    pub paths: Vec<String>,
    /// Transaction Bundles all or nothing (one quarantined entry quarantines the Bundle);
    /// otherwise every entry is imported on its own.
    #[serde(default)]
    pub atomic: bool,
}

/// One quarantined resource (or transaction bundle): where and why. Never its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantineItemDto {
    pub file: String,
    /// JSONPath-like location, e.g. `$.entry[3].resource.code` or `line 12`.
    pub path: String,
    pub reason: String,
}

/// The import report, exactly as `iris import --json` prints it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportReportDto {
    pub resources_read: u64,
    /// Accepted: stored now, or already present from an earlier import of the same data.
    pub resources_imported: u64,
    pub quarantined: u64,
    /// Patient resources imported.
    pub patients: u64,
    /// Patients none of whose resources in this import was quarantined.
    pub patients_whole: u64,
    pub seconds: f64,
    /// Resources imported, by resourceType.
    pub by_type: BTreeMap<String, u64>,
    /// Of those, the ones kept whole (not structured: a type Iris does not chart, or a
    /// resource it could not structure), by resourceType.
    pub kept_whole: BTreeMap<String, u64>,
    pub quarantine_report: Vec<QuarantineItemDto>,
    /// Imported with something left out or not structured (kept whole), with the reason.
    pub warnings: u64,
    pub warning_report: Vec<QuarantineItemDto>,
}

/// Runs an import to the end, streaming its progress before the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportFhir;
impl Command for ImportFhir {
    const NAME: &'static str = "import_fhir";
    type Req = ImportRequest;
    type Res = ImportReportDto;
}
impl crate::StreamCommand for ImportFhir {
    type Item = ImportProgressDto;
}

/// Progress of a running import.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportProgressDto {
    pub files_done: u64,
    pub files_total: u64,
    pub resources_read: u64,
    pub quarantined: u64,
}
