-- Workstation facts that are not configuration: e.g. that this vault holds synthetic demo data.
CREATE TABLE vault_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
