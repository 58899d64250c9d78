-- The workstation vault. In clear: opaque ids, timestamps for ordering, key-slot metadata, staff
-- accounts (not patient data), the audit chain (PHI-free by construction) and keyed blind
-- indexes. Every clinical or identifying value is an AES-256-GCM blob bound to its
-- table/column/row (see crates/iris-vault/src/crypto.rs).

CREATE TABLE vault_meta (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    vault_id        TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,            -- unix ms
    key_generation  INTEGER NOT NULL,            -- current data-key generation
    -- The latest signed audit head (Ed25519 over vault id, sequence and hash).
    head_seq        INTEGER NOT NULL,
    head_hash       BLOB    NOT NULL,
    head_sig        BLOB    NOT NULL
) STRICT;

-- Each slot wraps the same key material (data keys + audit signing seed) under one
-- key-encryption key: the OS keyring, an Argon2id passphrase, or the recovery key.
CREATE TABLE key_slots (
    kind        TEXT    PRIMARY KEY CHECK (kind IN ('keyring', 'passphrase', 'recovery')),
    kdf_salt    BLOB,
    kdf_m_kib   INTEGER,
    kdf_t       INTEGER,
    kdf_p       INTEGER,
    wrapped     BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

-- Data keys by generation, each wrapped by the master key. `reencrypt` adds a generation,
-- moves every row to it, then deletes the older ones.
CREATE TABLE data_keys (
    generation  INTEGER PRIMARY KEY,
    wrapped     BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT    NOT NULL UNIQUE,
    role                  TEXT    NOT NULL CHECK (role IN ('admin', 'physician', 'nurse', 'analyst')),
    password_hash         TEXT    NOT NULL,
    must_change_password  INTEGER NOT NULL DEFAULT 0,
    disabled              INTEGER NOT NULL DEFAULT 0,
    failed_logins         INTEGER NOT NULL DEFAULT 0,
    locked_until          INTEGER,               -- unix ms
    created_at            INTEGER NOT NULL
) STRICT;

-- Append-only, hash-chained. hash = SHA-256 over a canonical encoding of every other column
-- (crates/iris-vault/src/audit.rs). No PHI: the patient is an opaque id, detail is a code.
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    user_name  TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    patient    TEXT,
    outcome    TEXT    NOT NULL,
    count      INTEGER NOT NULL,
    detail     TEXT,
    prev_hash  BLOB    NOT NULL,
    hash       BLOB    NOT NULL
) STRICT;
CREATE INDEX audit_by_patient ON audit (patient, seq);
CREATE INDEX audit_by_user ON audit (user_name, seq);

CREATE TABLE patients (
    id              TEXT    PRIMARY KEY,          -- random, opaque
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    key_generation  INTEGER NOT NULL,
    name            BLOB    NOT NULL,
    birth_date      BLOB    NOT NULL,
    sex             BLOB    NOT NULL,
    mrn             BLOB    NOT NULL,
    address         BLOB,
    phone           BLOB,
    email           BLOB,
    pregnancy       BLOB
) STRICT;

-- Keyed HMAC tokens over normalized MRN, birth date, name tokens and name prefixes.
CREATE TABLE patient_index (
    token       BLOB NOT NULL,
    patient_id  TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    PRIMARY KEY (token, patient_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX patient_index_by_patient ON patient_index (patient_id);

-- Break-glass grants: the reason is free text and may name the patient, so it is sealed.
CREATE TABLE break_glass (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    patient_id  TEXT    NOT NULL REFERENCES patients (id),
    key_generation INTEGER NOT NULL,
    reason      BLOB    NOT NULL,
    granted_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT;
