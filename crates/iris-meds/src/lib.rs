//! Medication safety (being written).
