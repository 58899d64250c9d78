//! The audit log through the core: verifying the chain (against an exported head), exporting
//! the signed head, listing entries by patient or user.

use iris_types::{ApiError, AuditEntryDto, AuditListRequest, AuditVerifyDto};
use iris_vault::{AuditFilter, VaultError, Verdict};

use crate::AppCore;
use crate::dto::entry_dto;
use crate::errors::api_error;

impl AppCore {
    /// Verifies the audit chain; `head_json` is a head exported earlier by `audit_head`.
    pub async fn audit_verify(&self, head_json: Option<&str>) -> Result<AuditVerifyDto, ApiError> {
        let head = head_json
            .map(iris_vault::parse_head)
            .transpose()
            .map_err(api_error)?;
        let (v, actor) = self.actor().await?;
        let verdict = v
            .audit_verify(&actor, head.as_ref(), self.now_ms())
            .await
            .map_err(api_error)?;
        Ok(match verdict {
            Verdict::Intact { entries, head_seq } => AuditVerifyDto {
                intact: true,
                entries,
                head_seq,
                first_bad_seq: None,
                problem: None,
            },
            Verdict::Tampered { first_bad_seq, why } => AuditVerifyDto {
                intact: false,
                entries: 0,
                head_seq: 0,
                first_bad_seq: Some(first_bad_seq),
                problem: Some(why.to_string()),
            },
        })
    }

    /// The current signed chain head as JSON, for safekeeping away from the workstation.
    pub async fn audit_head(&self) -> Result<String, ApiError> {
        let (v, actor) = self.actor().await?;
        let head = v
            .audit_head(&actor, self.now_ms())
            .await
            .map_err(api_error)?;
        Ok(serde_json::to_string_pretty(&head).expect("a head always serializes"))
    }

    pub async fn audit_list(&self, req: AuditListRequest) -> Result<Vec<AuditEntryDto>, ApiError> {
        let filter = match (req.patient, req.user) {
            (Some(_), Some(_)) => {
                return Err(api_error(VaultError::invalid("filter", "patient_or_user")));
            }
            (Some(p), None) => AuditFilter::Patient(p),
            (None, Some(u)) => AuditFilter::User(u),
            (None, None) => AuditFilter::All,
        };
        let (v, actor) = self.actor().await?;
        Ok(v.audit_list(&actor, &filter, self.now_ms())
            .await
            .map_err(api_error)?
            .into_iter()
            .map(entry_dto)
            .collect())
    }
}
