//! The boundary between the record model (iris-record, iris-vault's stored forms) and the wire
//! DTOs (iris-types): every conversion between them is here, once, in both directions.

use iris_record::{Address, Date, ObsValue, PatientRecord, Record, Soap};
use iris_types::{
    AddendumDto, AddressDto, AllergyDto, AuditEntryDto, ChartDto, ConditionDto, EncounterDto,
    MedicationDto, NoteDto, ObservationDto, PatientDto, PatientInput, PatientSummaryDto, SoapDto,
    UserDto,
};
use iris_vault::{Note, StoredRecord};

use crate::chart::age_on;

pub(crate) fn record_of(p: PatientInput) -> PatientRecord {
    PatientRecord {
        family: p.family.trim().to_string(),
        given: p
            .given
            .into_iter()
            .map(|g| g.trim().to_string())
            .filter(|g| !g.is_empty())
            .collect(),
        birth_date: p.birth_date.trim().to_string(),
        sex: p.sex,
        mrn: p.mrn.trim().to_string(),
        address: p.address.map(|a| Address {
            lines: a.lines,
            city: a.city,
            state: a.state,
            postal_code: a.postal_code,
            country: a.country,
        }),
        phone: p.phone.filter(|s| !s.trim().is_empty()),
        email: p.email.filter(|s| !s.trim().is_empty()),
        pregnancy: p.pregnancy.filter(|s| !s.is_empty()),
    }
}

pub(crate) fn patient_dto(id: String, p: PatientRecord, today: Date) -> PatientDto {
    let age = age_on(&p.birth_date, today);
    PatientDto {
        id,
        age,
        patient: PatientInput {
            family: p.family,
            given: p.given,
            birth_date: p.birth_date,
            sex: p.sex,
            mrn: p.mrn,
            address: p.address.map(|a| AddressDto {
                lines: a.lines,
                city: a.city,
                state: a.state,
                postal_code: a.postal_code,
                country: a.country,
            }),
            phone: p.phone,
            email: p.email,
            pregnancy: p.pregnancy,
        },
    }
}

pub(crate) fn summary(id: String, p: PatientRecord, today: Date) -> PatientSummaryDto {
    PatientSummaryDto {
        id,
        name: if p.given.is_empty() {
            p.family.clone()
        } else {
            format!("{}, {}", p.family, p.given.join(" "))
        },
        age: age_on(&p.birth_date, today),
        birth_date: p.birth_date,
        sex: p.sex,
        mrn: p.mrn,
    }
}

/// One stored record into its list of the chart.
pub(crate) fn add_record(dto: &mut ChartDto, r: StoredRecord) {
    let id = r.id;
    match r.record {
        Record::Observation(o) => {
            let (value, unit, text) = match o.value {
                ObsValue::Quantity { value, unit } => (Some(value), Some(unit), None),
                ObsValue::Text { text } => (None, None, Some(text)),
            };
            dto.observations.push(ObservationDto {
                id,
                code: o.code,
                display: o.display,
                category: o.category,
                value,
                unit,
                text,
                reference_low: o.reference_low,
                reference_high: o.reference_high,
                effective_at: o.effective_at,
                interpretation: o.interpretation,
            });
        }
        Record::Condition(c) => dto.problems.push(ConditionDto {
            id,
            system: c.system,
            code: c.code,
            display: c.display,
            onset: c.onset,
            clinical_status: c.clinical_status,
        }),
        Record::Medication(m) => dto.medications.push(MedicationDto {
            id,
            code: m.code,
            display: m.display,
            dose_value: m.dose_value,
            dose_unit: m.dose_unit,
            route: m.route,
            frequency: m.frequency,
            status: m.status,
            start: m.start,
            end: m.end,
        }),
        Record::Allergy(a) => dto.allergies.push(AllergyDto {
            id,
            system: a.system,
            code: a.code,
            display: a.display,
            reaction: a.reaction,
            criticality: a.criticality,
            recorded: a.recorded,
        }),
        Record::Procedure(p) => dto.procedures.push(iris_types::ProcedureDto {
            id,
            system: p.system,
            code: p.code,
            display: p.display,
            performed_at: p.performed_at,
            status: p.status,
        }),
        Record::Immunization(i) => dto.immunizations.push(iris_types::ImmunizationDto {
            id,
            code: i.code,
            display: i.display,
            date: i.date,
            status: i.status,
        }),
        Record::Encounter(e) => dto.encounters.push(EncounterDto {
            id,
            class: e.class,
            status: e.status,
            start: e.start,
            end: e.end,
            reason: e.reason,
        }),
    }
}

pub(crate) fn note_dto(n: Note) -> NoteDto {
    NoteDto {
        id: n.id,
        encounter_id: n.encounter_id,
        kind: n.content.kind,
        title: n.content.title,
        text: n.content.text,
        soap: n.content.soap.map(soap_dto),
        author: n.author,
        created_at: n.created_at,
        signed_at: n.signed_at,
        signed_by: n.signed_by,
        addenda: n
            .addenda
            .into_iter()
            .map(|a| AddendumDto {
                id: a.id,
                author: a.author,
                signed_at: a.signed_at,
                text: a.text,
            })
            .collect(),
    }
}

pub(crate) fn soap_of(s: SoapDto) -> Soap {
    Soap {
        subjective: s.subjective,
        objective: s.objective,
        assessment: s.assessment,
        plan: s.plan,
    }
}

pub(crate) fn soap_dto(s: Soap) -> SoapDto {
    SoapDto {
        subjective: s.subjective,
        objective: s.objective,
        assessment: s.assessment,
        plan: s.plan,
    }
}

pub(crate) fn user_dto(u: iris_vault::UserInfo) -> UserDto {
    UserDto {
        name: u.name,
        role: u.role.as_str().to_string(),
        disabled: u.disabled,
        locked_until: u.locked_until,
        must_change_password: u.must_change_password,
    }
}

pub(crate) fn entry_dto(e: iris_vault::AuditEntry) -> AuditEntryDto {
    AuditEntryDto {
        seq: e.seq,
        at: e.at,
        user: e.user,
        role: e.role,
        action: e.action,
        patient: e.patient,
        outcome: e.outcome,
        count: e.count,
        detail: e.detail,
        prev_hash: hex(&e.prev_hash),
        hash: hex(&e.hash),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
