//! Renal dose rules at each threshold boundary.

mod common;
use common::*;
use iris_meds::Severity::{self, Contraindicated, Major, Minor, Moderate};
use iris_meds::{AlertKind, CheckInput, check};

fn worst(m: &str, egfr: f64) -> Option<Severity> {
    renal_alerts(&[m], egfr).iter().map(|a| a.severity).max()
}

#[track_caller]
fn bands(m: &str, cases: &[(f64, Option<Severity>)]) {
    for &(e, s) in cases {
        assert_eq!(worst(m, e), s, "{m} at eGFR {e}");
    }
}

#[test]
fn metformin() {
    bands(
        "metformin 500 mg",
        &[
            (5.0, Some(Contraindicated)),
            (29.9, Some(Contraindicated)),
            (30.0, Some(Moderate)),
            (44.9, Some(Moderate)),
            (45.0, None),
            (90.0, None),
        ],
    );
    bands("Janumet", &[(29.9, Some(Contraindicated))]);
}

#[test]
fn anticoagulants() {
    bands(
        "dabigatran",
        &[
            (14.9, Some(Major)),
            (15.0, Some(Major)),
            (29.9, Some(Major)),
            (30.0, Some(Moderate)),
            (49.9, Some(Moderate)),
            (50.0, None),
        ],
    );
    bands(
        "Xarelto",
        &[
            (14.9, Some(Major)),
            (15.0, Some(Moderate)),
            (49.9, Some(Moderate)),
            (50.0, None),
        ],
    );
    bands("Eliquis", &[(24.9, Some(Moderate)), (25.0, None)]);
    bands("enoxaparin", &[(29.9, Some(Major)), (30.0, None)]);
    bands(
        "fondaparinux",
        &[(29.9, Some(Contraindicated)), (30.0, None)],
    );
    bands(
        "edoxaban",
        &[
            (14.9, Some(Major)),
            (15.0, Some(Moderate)),
            (50.0, None),
            (95.0, Some(Moderate)),
        ],
    );
}

#[test]
fn others() {
    bands(
        "nitrofurantoin",
        &[
            (29.9, Some(Major)),
            (30.0, Some(Minor)),
            (59.9, Some(Minor)),
            (60.0, None),
        ],
    );
    bands(
        "gabapentin",
        &[
            (14.9, Some(Major)),
            (15.0, Some(Moderate)),
            (59.9, Some(Moderate)),
            (60.0, None),
        ],
    );
    bands(
        "pregabalin",
        &[(14.9, Some(Major)), (15.0, Some(Moderate)), (60.0, None)],
    );
    bands("allopurinol", &[(29.9, Some(Moderate)), (30.0, None)]);
    bands(
        "spironolactone",
        &[
            (29.9, Some(Major)),
            (30.0, Some(Moderate)),
            (49.9, Some(Moderate)),
            (50.0, None),
        ],
    );
    bands("ibuprofen", &[(29.9, Some(Major)), (30.0, None)]);
    bands("celecoxib", &[(29.9, Some(Major)), (30.0, None)]);
    bands("colchicine", &[(29.9, Some(Major)), (30.0, None)]);
    bands(
        "lithium",
        &[
            (29.9, Some(Major)),
            (30.0, Some(Moderate)),
            (59.9, Some(Moderate)),
            (60.0, None),
        ],
    );
    bands("digoxin", &[(49.9, Some(Moderate)), (50.0, None)]);
    bands("glyburide", &[(59.9, Some(Major)), (60.0, None)]);
    bands(
        "sitagliptin",
        &[
            (29.9, Some(Moderate)),
            (30.0, Some(Moderate)),
            (44.9, Some(Moderate)),
            (45.0, None),
        ],
    );
    bands("levetiracetam", &[(49.9, Some(Moderate)), (50.0, None)]);
    bands("tramadol", &[(29.9, Some(Major)), (30.0, None)]);
    bands(
        "empagliflozin",
        &[
            (19.9, Some(Major)),
            (20.0, Some(Moderate)),
            (30.0, Some(Minor)),
            (44.9, Some(Minor)),
            (45.0, None),
        ],
    );
    bands(
        "dofetilide",
        &[
            (19.9, Some(Contraindicated)),
            (20.0, Some(Major)),
            (60.0, None),
        ],
    );
    bands("aspirin 81", &[(10.0, None)]);
}

#[test]
fn renal_messages_have_no_egfr_value() {
    let a = renal_alerts(&["metformin"], 27.3);
    assert_eq!(a.len(), 1);
    assert!(!a[0].message.contains("27.3"));
    assert!(a[0].message.contains("below 30") && a[0].message.contains("What to do"));
    assert!(!a[0].source.is_empty());
}

#[test]
fn missing_and_invalid_egfr() {
    assert!(
        check(&CheckInput {
            medications: &["metformin"],
            allergies: &[],
            egfr: None
        })
        .is_empty()
    );
    for bad in [f64::NAN, -1.0, f64::INFINITY] {
        let a = check(&CheckInput {
            medications: &["metformin"],
            allergies: &[],
            egfr: Some(bad),
        });
        assert_eq!(a.len(), 1, "{bad}: {a:#?}");
        assert_eq!(a[0].kind, AlertKind::RenalDose);
        assert!(a[0].message.contains("not a valid"));
    }
}
