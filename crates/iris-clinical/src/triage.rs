//! ESI v4 triage (being written).
