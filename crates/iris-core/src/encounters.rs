//! Encounters and notes through AppCore: start an encounter with its draft SOAP note, save the
//! draft, sign it, add signed addenda, mark notes and records entered in error.

use iris_record::{EncounterClass, NoteContent, NoteKind, Soap};
use iris_types::{
    AddAddendumRequest, AddendumDto, ApiError, Empty, EnteredInErrorRequest, NoteRef,
    SaveNoteRequest, StartEncounterRequest, StartedEncounterDto,
};
use iris_vault::Role;

use crate::AppCore;
use crate::dto::soap_of;
use crate::errors::api_error;

/// The title a new encounter note starts with (the clinician may change it).
pub fn encounter_title(class: EncounterClass) -> &'static str {
    match class {
        EncounterClass::Ambulatory => "Clinic visit",
        EncounterClass::Emergency => "Emergency department visit",
        EncounterClass::Inpatient => "Inpatient progress note",
        EncounterClass::HomeHealth => "Home visit",
    }
}

impl AppCore {
    pub async fn start_encounter(
        &self,
        req: StartEncounterRequest,
    ) -> Result<StartedEncounterDto, ApiError> {
        let mut errors = Vec::new();
        let class = crate::dto::code("class", &req.class, EncounterClass::parse, &mut errors);
        let Some(class) = class else {
            return Err(crate::dto::invalid(errors));
        };
        let (v, actor) = self.actor().await?;
        // Nurses write nursing notes; everyone else a progress note.
        let kind = if actor.role == Role::Nurse {
            NoteKind::Nursing
        } else {
            NoteKind::Progress
        };
        let note = NoteContent {
            kind,
            title: encounter_title(class).into(),
            text: String::new(),
            soap: Some(Soap::default()),
        };
        let (encounter_id, note_id) = v
            .start_encounter(
                &actor,
                &req.patient_id,
                class,
                &req.reason,
                &note,
                self.now_ms(),
            )
            .await
            .map_err(api_error)?;
        Ok(StartedEncounterDto {
            encounter_id,
            note_id,
        })
    }

    pub async fn save_note(&self, req: SaveNoteRequest) -> Result<Empty, ApiError> {
        let mut errors = Vec::new();
        let kind = crate::dto::code("kind", &req.kind, NoteKind::parse, &mut errors);
        let Some(kind) = kind else {
            return Err(crate::dto::invalid(errors));
        };
        let (v, actor) = self.actor().await?;
        let content = NoteContent {
            kind,
            title: req.title.trim().to_string(),
            text: req.text,
            soap: req.soap.map(soap_of),
        };
        v.update_note(&actor, &req.id, &content, self.now_ms())
            .await
            .map_err(api_error)?;
        Ok(Empty {})
    }

    pub async fn sign_note(&self, req: NoteRef) -> Result<Empty, ApiError> {
        let (v, actor) = self.actor().await?;
        v.sign_note(&actor, &req.id, self.now_ms())
            .await
            .map_err(api_error)?;
        Ok(Empty {})
    }

    pub async fn add_addendum(&self, req: AddAddendumRequest) -> Result<AddendumDto, ApiError> {
        let (v, actor) = self.actor().await?;
        let now = self.now_ms();
        let text = req.text.trim().to_string();
        let id = v
            .add_addendum(&actor, &req.note_id, &text, now)
            .await
            .map_err(api_error)?;
        Ok(AddendumDto {
            id,
            author: actor.name,
            signed_at: now,
            text,
        })
    }

    pub async fn note_entered_in_error(
        &self,
        req: EnteredInErrorRequest,
    ) -> Result<Empty, ApiError> {
        let (v, actor) = self.actor().await?;
        v.note_entered_in_error(&actor, &req.id, &req.reason, self.now_ms())
            .await
            .map_err(api_error)?;
        Ok(Empty {})
    }

    pub async fn record_entered_in_error(
        &self,
        req: EnteredInErrorRequest,
    ) -> Result<Empty, ApiError> {
        let (v, actor) = self.actor().await?;
        v.record_entered_in_error(&actor, &req.id, &req.reason, self.now_ms())
            .await
            .map_err(api_error)?;
        Ok(Empty {})
    }
}
