//! The demo workstation (`cargo xtask run`, `iris-desktop --demo`): its fixed, documented
//! credentials. Demo data is synthetic; these constants are configuration of the demo mode,
//! shared by the app, the build tool that prints them, and the tests that sign in with them.

/// The passphrase of demo vaults: a fixed, documented passphrase lets the demo open on
/// machines without a keyring.
pub const DEMO_PASSPHRASE: &str = "iris demo passphrase";

/// Demo accounts: (user, password, role). Documented in the README; demo only.
pub const DEMO_ACCOUNTS: [(&str, &str, &str); 3] = [
    ("admin", "demo admin password", "admin"),
    ("dr.demo", "demo physician password", "physician"),
    ("nurse.demo", "demo nurse password", "nurse"),
];

/// Patients in the demo cohort.
pub const DEMO_PATIENTS: u32 = 60;
