-- Clinical records. One table for the FHIR resources that are plain facts (Observation,
-- Condition, MedicationStatement, AllergyIntolerance, Encounter): the clinical content is one
-- AES-256-GCM blob per row, bound to (records, kind, id), so a body cannot move between rows
-- or kinds. In clear: ids, the kind, the time used for ordering, and the entered-in-error mark.

CREATE TABLE records (
    id                 TEXT    PRIMARY KEY,
    patient_id         TEXT    NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    kind               TEXT    NOT NULL CHECK (kind IN ('observation', 'condition', 'medication', 'allergy', 'encounter')),
    at                 INTEGER NOT NULL,          -- effective / onset / period start, unix ms
    key_generation     INTEGER NOT NULL,
    body               BLOB    NOT NULL,
    created_at         INTEGER NOT NULL,
    created_by         TEXT    NOT NULL,
    updated_at         INTEGER NOT NULL,
    entered_in_error   INTEGER NOT NULL DEFAULT 0,
    error_reason       BLOB
) STRICT;
CREATE INDEX records_by_patient ON records (patient_id, kind, at);

-- Notes: drafts can change; a signed note is locked (addenda or entered-in-error only). The
-- content hash is a keyed HMAC of the content, also written into the audit entry of the
-- signature, so a rolled-back or swapped body is caught on every read.
CREATE TABLE notes (
    id                 TEXT    PRIMARY KEY,
    patient_id         TEXT    NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    encounter_id       TEXT    REFERENCES records (id),
    key_generation     INTEGER NOT NULL,
    body               BLOB    NOT NULL,
    author             TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    signed_at          INTEGER,
    signed_by          TEXT,
    content_hash       BLOB,
    entered_in_error   INTEGER NOT NULL DEFAULT 0,
    error_reason       BLOB
) STRICT;
CREATE INDEX notes_by_patient ON notes (patient_id, created_at);

CREATE TABLE note_addenda (
    id              TEXT    PRIMARY KEY,
    note_id         TEXT    NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    key_generation  INTEGER NOT NULL,
    body            BLOB    NOT NULL,
    author          TEXT    NOT NULL,
    signed_at       INTEGER NOT NULL,
    content_hash    BLOB    NOT NULL
) STRICT;
CREATE INDEX addenda_by_note ON note_addenda (note_id, signed_at);

-- "No known allergies" is a statement someone made at a time, distinct from "not recorded"
-- (no row). Sealed like any clinical fact.
CREATE TABLE allergy_status (
    patient_id      TEXT    PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,
    key_generation  INTEGER NOT NULL,
    body            BLOB    NOT NULL
) STRICT;
