//! The demo cohort: synthetic patients made by the one generator (`iris_fhir::synthetic`) and
//! imported through the FHIR importer like any hospital's data, then a signed progress note
//! written by the demo physician for each patient's two latest visits.

use iris_fhir::synthetic;
use iris_record::{
    ClinicalStatus, EncounterClass, EncounterStatus, NoteContent, NoteKind, Record, Soap,
};
use iris_types::{ApiError, ErrorCode, ImportReportDto};
use iris_vault::{Actor, Vault};

use crate::AppCore;
use crate::errors::api_error;
use crate::import_pipeline::Source;

/// The population seed of the demo cohort (its patients are `synthetic::identity(DEMO_SEED, i)`).
pub const DEMO_SEED: u64 = 2026;

/// The note the demo physician signed after a visit, listing the active problems.
pub fn visit_note(class: EncounterClass, problems: &[&str]) -> NoteContent {
    let assessment = if problems.is_empty() {
        "Well adult visit.".to_string()
    } else {
        problems.join("; ")
    };
    NoteContent {
        kind: NoteKind::Progress,
        title: crate::encounters::encounter_title(class).into(),
        text: "SYNTHETIC DEMO NOTE.".into(),
        soap: Some(Soap {
            subjective: "Feels well. No chest pain, no shortness of breath.".into(),
            objective: "Vitals as recorded. Lungs clear. Heart regular.".into(),
            assessment,
            plan: "Continue current medications. Labs before next visit. Return in 3 months."
                .into(),
        }),
    }
}

/// Imports the cohort as `admin`, then writes and signs the visit notes as `doc` (every
/// generated patient has at least three finished visits).
pub(crate) async fn seed(
    core: &AppCore,
    vault: &Vault,
    admin: &Actor,
    doc: &Actor,
) -> Result<ImportReportDto, ApiError> {
    let now = core.now_ms();
    let sources = (0..u64::from(iris_config::demo::DEMO_PATIENTS))
        .map(|i| {
            let b =
                synthetic::patient_bundle_with(DEMO_SEED, i, now, synthetic::History::Quarterly);
            Source::Memory {
                name: format!("demo-{i:03}.json"),
                json: synthetic::bundle_string(&b).into_bytes(),
            }
        })
        .collect();
    let report = core
        .run_import(vault, admin, sources, false, &|_| {})
        .await?;
    if report.quarantined > 0 {
        // The generator's output is valid by construction (tested); this is a bug.
        return Err(ApiError::new(
            ErrorCode::Internal,
            "The demo data could not be imported whole.",
        ));
    }
    let patients = vault
        .list_patients(admin, u32::MAX, 0, now)
        .await
        .map_err(api_error)?;
    for (id, _) in patients {
        let chart = vault.open_chart(doc, &id, now).await.map_err(api_error)?;
        let problems: Vec<&str> = chart
            .records
            .iter()
            .filter_map(|r| match &r.record {
                Record::Condition(c) if c.clinical_status == ClinicalStatus::Active => {
                    Some(c.display.as_str())
                }
                _ => None,
            })
            .collect();
        // Records come newest first.
        let visits: Vec<(&str, EncounterClass)> = chart
            .records
            .iter()
            .filter_map(|r| match &r.record {
                Record::Encounter(e) if e.status == EncounterStatus::Finished => {
                    Some((r.id.as_str(), e.class))
                }
                _ => None,
            })
            .take(2)
            .collect();
        for (eid, class) in visits {
            let note = visit_note(class, &problems);
            let nid = vault
                .create_note(doc, &id, Some(eid), &note, now)
                .await
                .map_err(api_error)?;
            vault.sign_note(doc, &nid, now).await.map_err(api_error)?;
        }
    }
    Ok(report)
}
