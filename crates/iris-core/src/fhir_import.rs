//! Administration of whole records through AppCore: the patient list, export as FHIR, erasure,
//! and FHIR import (iris-fhir reads and normalizes, the vault stores in batches).

use iris_types::{ApiError, PatientSummaryDto};

use crate::AppCore;
use crate::api_error;

/// Patients listed per page by `list_patients`.
pub const LIST_PAGE: u32 = 10_000;

impl AppCore {
    /// Every patient, with the fields a list shows (physicians and administrators).
    pub async fn list_patients(&self) -> Result<Vec<PatientSummaryDto>, ApiError> {
        let (v, actor) = self.actor().await?;
        let today = iris_record::Date::from_unix_ms(self.now_ms());
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let page = v
                .list_patients(&actor, LIST_PAGE, offset, self.now_ms())
                .await
                .map_err(api_error)?;
            let n = page.len() as u32;
            out.extend(
                page.into_iter()
                    .map(|(id, p)| crate::chart::summary(id, p, today)),
            );
            if n < LIST_PAGE {
                return Ok(out);
            }
            offset += n;
        }
    }

    /// Erases a patient (administrators): rows and ciphertexts are gone from every file; the
    /// audit entry of the erasure stays (it holds no PHI). Returns the rows removed.
    pub async fn erase_patient(&self, id: &str, reason: &str) -> Result<i64, ApiError> {
        let (v, actor) = self.actor().await?;
        v.erase_patient(&actor, id, reason, self.now_ms())
            .await
            .map_err(api_error)
    }
}

impl AppCore {
    /// A patient's whole record as a FHIR R4 `collection` Bundle (administrators; right of
    /// access and portability): demographics and identifiers, every clinical record, and the
    /// resources kept whole at import.
    pub async fn export_patient(&self, id: &str) -> Result<serde_json::Value, ApiError> {
        let (v, actor) = self.actor().await?;
        let x = v
            .export_patient(&actor, id, self.now_ms())
            .await
            .map_err(api_error)?;
        let (patient, items) = crate::fhir_map::to_fhir(&x);
        let mut bundle = iris_fhir::export_bundle(&patient, &x.id, &items);
        if let Some(entries) = bundle["entry"].as_array_mut() {
            for (_, json) in &x.raw {
                if let Ok(resource) = serde_json::from_slice::<serde_json::Value>(json) {
                    entries.push(serde_json::json!({ "resource": resource }));
                }
            }
        }
        Ok(bundle)
    }
}
