//! Early-warning and risk scores (being written).
