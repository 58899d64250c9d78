//! The boundary between the record model (iris-record, iris-vault's stored forms) and the wire
//! DTOs (iris-types): every conversion between them is here, once, in both directions.

use iris_record::{
    Address, Date, FieldError, Measurement, ObsValue, Observation, PatientRecord, Pregnancy,
    Record, Sex, Soap,
};
use iris_types::{
    AddendumDto, AddressDto, AllergyDto, ApiError, AuditEntryDto, ChartDto, ConditionDto,
    EncounterDto, MedicationDto, NoteDto, ObservationDto, PatientDto, PatientInput,
    PatientSummaryDto, SoapDto, UnstructuredDto, UserDto,
};
use iris_vault::{Note, StoredRecord};

/// A closed-list code from the wire: the enum, or the field error `code`.
pub(crate) fn code<T>(
    field: &str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let v = parse(text.trim());
    if v.is_none() {
        errors.push(FieldError::new(field, "code"));
    }
    v
}

/// Field errors as the one validation error of the API.
pub(crate) fn invalid(errors: Vec<FieldError>) -> ApiError {
    crate::errors::api_error(iris_vault::VaultError::Invalid(errors))
}

/// The patient record of a form, or every field error at once (codes of closed lists here,
/// the other rules by the record's own validation).
pub(crate) fn record_of(p: PatientInput, today: Date) -> Result<PatientRecord, ApiError> {
    let mut errors = Vec::new();
    let sex = code("sex", &p.sex, Sex::parse, &mut errors);
    let pregnancy = match p.pregnancy.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => code("pregnancy", t, Pregnancy::parse, &mut errors),
    };
    let rec = PatientRecord {
        family: p.family.trim().to_string(),
        given: p
            .given
            .into_iter()
            .map(|g| g.trim().to_string())
            .filter(|g| !g.is_empty())
            .collect(),
        birth_date: p.birth_date.trim().to_string(),
        sex: sex.unwrap_or(Sex::Unknown),
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
        pregnancy,
    };
    if let Err(more) = rec.validate(today) {
        errors.extend(more);
    }
    if errors.is_empty() {
        Ok(rec)
    } else {
        Err(invalid(errors))
    }
}

pub(crate) fn patient_dto(id: String, p: PatientRecord, today: Date) -> PatientDto {
    let age = today.years_since(&p.birth_date);
    PatientDto {
        id,
        age,
        patient: PatientInput {
            family: p.family,
            given: p.given,
            birth_date: p.birth_date,
            sex: p.sex.as_str().to_string(),
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
            pregnancy: p.pregnancy.map(|x| x.as_str().to_string()),
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
        age: today.years_since(&p.birth_date),
        birth_date: p.birth_date,
        sex: p.sex.as_str().to_string(),
        mrn: p.mrn,
    }
}

/// One stored record into its list of the chart.
pub(crate) fn add_record(dto: &mut ChartDto, r: StoredRecord) {
    let id = r.id;
    match r.record {
        Record::Observation(o) => observation_rows(&mut dto.observations, id, &o),
        Record::Condition(c) => dto.problems.push(ConditionDto {
            id,
            system: c.system,
            code: c.code,
            display: c.display,
            onset: c.onset,
            clinical_status: c.clinical_status.as_str().to_string(),
        }),
        Record::Medication(m) => dto.medications.push(MedicationDto {
            id,
            code: m.code,
            display: m.display,
            dose_value: m.dose_value,
            dose_unit: m.dose_unit,
            route: m.route.as_str().to_string(),
            frequency: m.frequency,
            status: m.status.as_str().to_string(),
            start: m.start,
            end: m.end,
        }),
        Record::Allergy(a) => dto.allergies.push(AllergyDto {
            id,
            system: a.system,
            code: a.code,
            display: a.display,
            reaction: a.reaction,
            criticality: a.criticality.as_str().to_string(),
            recorded: a.recorded,
        }),
        Record::Procedure(p) => dto.procedures.push(iris_types::ProcedureDto {
            id,
            system: p.system,
            code: p.code,
            display: p.display,
            performed_at: p.performed_at,
            status: p.status.as_str().to_string(),
        }),
        Record::Immunization(i) => dto.immunizations.push(iris_types::ImmunizationDto {
            id,
            code: i.code,
            display: i.display,
            date: i.date,
            status: i.status.as_str().to_string(),
        }),
        Record::Encounter(e) => dto.encounters.push(EncounterDto {
            id,
            class: e.class.as_str().to_string(),
            status: e.status.as_str().to_string(),
            start: e.start,
            end: e.end,
            reason: e.reason,
        }),
    }
}

/// One row per measurement of an observation (its value, then each component's), all under
/// the record's id; an observation with no value at all is one row saying why.
fn observation_rows(rows: &mut Vec<ObservationDto>, id: String, o: &Observation) {
    let category = o
        .primary_category()
        .map(|c| c.as_str().to_string())
        .unwrap_or_default();
    let before = rows.len();
    for m in o.measurements() {
        rows.push(measurement_dto(&id, &category, &m));
    }
    if rows.len() == before {
        rows.push(ObservationDto {
            id,
            code: o.code.clone(),
            display: o.display.clone(),
            category,
            value: None,
            unit: None,
            text: Some(match &o.data_absent {
                Some(r) => format!("no value ({})", r.replace('-', " ")),
                None => "no value".into(),
            }),
            reference_low: None,
            reference_high: None,
            effective_at: o.effective_at,
            interpretation: None,
        });
    }
}

pub(crate) fn measurement_dto(id: &str, category: &str, m: &Measurement<'_>) -> ObservationDto {
    let (value, unit, text) = match m.value {
        ObsValue::Quantity { value, unit } => (Some(*value), Some(unit.clone()), None),
        ObsValue::Integer { value } => (Some(*value as f64), None, None),
        other => (None, None, Some(value_text(other))),
    };
    ObservationDto {
        id: id.to_string(),
        code: m.code.to_string(),
        display: m.display.to_string(),
        category: category.to_string(),
        value,
        unit,
        text,
        reference_low: m.reference_low,
        reference_high: m.reference_high,
        effective_at: m.effective_at,
        interpretation: m.interpretation.map(|i| i.as_str().to_string()),
    }
}

/// How a value that is not a number reads in a chart row.
fn value_text(v: &ObsValue) -> String {
    let q = |q: &Option<iris_record::Quantity>| {
        q.as_ref()
            .map(|q| format!("{} {}", q.value, q.unit).trim().to_string())
            .unwrap_or_else(|| "?".into())
    };
    let when = |ms: i64| {
        let d = Date::from_unix_ms(ms);
        let sec = ms.rem_euclid(86_400_000) / 1000;
        format!("{d} {:02}:{:02}", sec / 3600, sec % 3600 / 60)
    };
    match v {
        ObsValue::Quantity { value, unit } => format!("{value} {unit}"),
        ObsValue::Integer { value } => value.to_string(),
        ObsValue::Text { text } => text.clone(),
        ObsValue::Coded { display, code, .. } => {
            if display.is_empty() {
                code.clone()
            } else {
                display.clone()
            }
        }
        ObsValue::Boolean { value } => if *value { "yes" } else { "no" }.into(),
        ObsValue::Range { low, high } => format!("{} – {}", q(low), q(high)),
        ObsValue::Ratio {
            numerator,
            denominator,
        } => format!("{} : {}", q(numerator), q(denominator)),
        ObsValue::SampledData { data, .. } => {
            format!("waveform, {} samples", data.split_whitespace().count())
        }
        ObsValue::Time { time } => time.clone(),
        ObsValue::DateTime { at } => when(*at),
        ObsValue::Period { start, end } => format!(
            "{} – {}",
            start.map(when).unwrap_or_default(),
            end.map(when).unwrap_or_default()
        ),
    }
}

/// The date elements a resource may carry, most telling first (clinical time before
/// administrative time).
const DATE_ELEMENTS: [&[&str]; 16] = [
    &["effectiveDateTime"],
    &["effectivePeriod", "start"],
    &["occurrenceDateTime"],
    &["performedDateTime"],
    &["performedPeriod", "start"],
    &["onsetDateTime"],
    &["authoredOn"],
    &["recordedDate"],
    &["issued"],
    &["period", "start"],
    &["billablePeriod", "start"],
    &["started"],
    &["date"],
    &["created"],
    &["dateAsserted"],
    &["occurrencePeriod", "start"],
];

/// The date (`YYYY-MM-DD`) a raw resource is about, when it says.
fn resource_date(json: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(json).ok()?;
    DATE_ELEMENTS.iter().find_map(|path| {
        let s = path.iter().try_fold(&v, |v, k| v.get(k))?.as_str()?;
        (s.len() >= 10 && Date::parse(&s[..10]).is_some()).then(|| s[..10].to_string())
    })
}

/// The chart's resources kept whole, by type with their count and newest date.
pub(crate) fn unstructured(raw: &[iris_vault::RawResource]) -> Vec<UnstructuredDto> {
    let mut by_type: std::collections::BTreeMap<&str, UnstructuredDto> = Default::default();
    for r in raw {
        let e = by_type
            .entry(r.resource_type.as_str())
            .or_insert_with(|| UnstructuredDto {
                resource_type: r.resource_type.clone(),
                count: 0,
                latest: None,
            });
        e.count += 1;
        if let Some(d) = resource_date(&r.json)
            && e.latest.as_ref().is_none_or(|l| *l < d)
        {
            e.latest = Some(d);
        }
    }
    by_type.into_values().collect()
}

pub(crate) fn note_dto(n: Note) -> NoteDto {
    NoteDto {
        id: n.id,
        encounter_id: n.encounter_id,
        kind: n.content.kind.as_str().to_string(),
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
