-- no-transaction
-- FHIR import (issue 5). The records table gains two kinds (procedure, immunization) and a
-- source key; SQLite cannot change a CHECK constraint in place, so the table is rebuilt with
-- foreign keys off for the copy (the documented 12-step procedure) inside one transaction.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE records_v2 (
    id                 TEXT    PRIMARY KEY,
    patient_id         TEXT    NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    kind               TEXT    NOT NULL CHECK (kind IN ('observation', 'condition', 'medication', 'allergy', 'encounter', 'procedure', 'immunization')),
    at                 INTEGER NOT NULL,          -- effective / onset / period start, unix ms
    key_generation     INTEGER NOT NULL,
    body               BLOB    NOT NULL,
    created_at         INTEGER NOT NULL,
    created_by         TEXT    NOT NULL,
    updated_at         INTEGER NOT NULL,
    entered_in_error   INTEGER NOT NULL DEFAULT 0,
    error_reason       BLOB,
    -- Keyed HMAC of where an imported record came from (resource type and id, or its content
    -- when it has no id), so that importing the same data again adds nothing. NULL for
    -- records entered in Iris.
    source_key         BLOB
) STRICT;
INSERT INTO records_v2 (id, patient_id, kind, at, key_generation, body, created_at, created_by,
                        updated_at, entered_in_error, error_reason)
    SELECT id, patient_id, kind, at, key_generation, body, created_at, created_by, updated_at,
           entered_in_error, error_reason
    FROM records;
DROP TABLE records;
ALTER TABLE records_v2 RENAME TO records;
CREATE INDEX records_by_patient ON records (patient_id, kind, at);
CREATE UNIQUE INDEX records_by_source ON records (source_key) WHERE source_key IS NOT NULL;

-- The same for patients (a Patient resource imported twice is one patient).
ALTER TABLE patients ADD COLUMN source_key BLOB;
CREATE UNIQUE INDEX patients_by_source ON patients (source_key) WHERE source_key IS NOT NULL;

-- Every identifier of a patient (MRN, SSN, driver's licence, insurance numbers): the value
-- sealed, a keyed HMAC of system|value for conditional references and deduplication. The
-- system URI is not patient data.
CREATE TABLE patient_identifiers (
    id              TEXT    PRIMARY KEY,
    token           BLOB    NOT NULL UNIQUE,
    patient_id      TEXT    NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    system          TEXT    NOT NULL,
    key_generation  INTEGER NOT NULL,
    value           BLOB    NOT NULL
) STRICT;
CREATE INDEX patient_identifiers_by_patient ON patient_identifiers (patient_id);

-- Resources Iris does not normalize, kept whole (sealed JSON) so that nothing is dropped:
-- attached to their patient when they have one, else shared (Organization, Practitioner, …).
CREATE TABLE fhir_resources (
    id              TEXT    PRIMARY KEY,
    patient_id      TEXT    REFERENCES patients (id) ON DELETE CASCADE,
    resource_type   TEXT    NOT NULL,
    source_key      BLOB    NOT NULL UNIQUE,
    key_generation  INTEGER NOT NULL,
    body            BLOB    NOT NULL,
    imported_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX fhir_resources_by_patient ON fhir_resources (patient_id);

-- Invalid input, kept sealed with the file, the JSON path and the reason, for IT to fix and
-- import again. Not linked to a patient (it may not have one).
CREATE TABLE quarantine (
    id              TEXT    PRIMARY KEY,
    import_id       TEXT    NOT NULL,
    key_generation  INTEGER NOT NULL,
    body            BLOB    NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;

-- Per-patient derived features (daily vital aggregates, lab trends, risk flags), sealed,
-- recomputed for the patients an import touched.
CREATE TABLE gold_features (
    patient_id      TEXT    PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,
    key_generation  INTEGER NOT NULL,
    body            BLOB    NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
