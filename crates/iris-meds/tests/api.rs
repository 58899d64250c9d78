//! API behavior: ordering, strings, determinism, performance.

mod common;
use common::*;
use iris_meds::*;
use std::time::Instant;

#[test]
fn severity_order_and_strings() {
    use Severity::*;
    assert!(Contraindicated > Major && Major > Moderate && Moderate > Minor);
    assert_eq!(
        [Contraindicated, Major, Moderate, Minor].map(Severity::as_str),
        ["contraindicated", "major", "moderate", "minor"]
    );
    assert_eq!(
        [
            AlertKind::DrugDrug,
            AlertKind::DrugAllergy,
            AlertKind::RenalDose,
            AlertKind::DuplicateTherapy,
            AlertKind::UnknownDrug
        ]
        .map(AlertKind::as_str),
        [
            "drug-drug",
            "drug-allergy",
            "renal-dose",
            "duplicate-therapy",
            "unknown-drug"
        ]
    );
    assert_eq!(KNOWLEDGE_VERSION, "2026.12");
}

#[test]
fn alerts_sorted_and_deterministic() {
    let input = CheckInput {
        medications: &[
            "warfarin",
            "ibuprofen",
            "Zocor",
            "Biaxin",
            "Frobozz",
            "metformin",
            "clopidogrel",
            "omeprazole",
            "simvastatin",
        ],
        allergies: &["sulfa", "Bactrim"],
        egfr: Some(25.0),
    };
    let a = check(&input);
    assert!(
        a.windows(2).all(|w| w[0].severity >= w[1].severity),
        "{a:#?}"
    );
    assert_eq!(a[0].severity, Severity::Contraindicated);
    for _ in 0..5 {
        assert_eq!(check(&input), a);
    }
    for x in &a {
        assert!(!x.message.is_empty() && !x.source.is_empty() && !x.rule.is_empty());
        assert!(x.message.contains("What to do"), "{}", x.message);
    }
}

#[test]
fn check_of_ten_drugs_is_fast() {
    let meds = [
        "metoprolol succinate ER 50 mg",
        "lisinopril 20 mg",
        "atorvastatin 80 mg",
        "metformin 1000 mg",
        "aspirin 81 mg",
        "warfarin 5 mg",
        "sertraline 100 mg",
        "Norco 5/325",
        "omeprazole 20 mg",
        "clarithromycin 500 mg",
    ];
    let input = CheckInput {
        medications: &meds,
        allergies: &["penicillin", "sulfa"],
        egfr: Some(40.0),
    };
    let _ = check(&input); // build the lazy index
    let n = 200;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(check(std::hint::black_box(&input)));
    }
    let per = t.elapsed() / n;
    let limit = if cfg!(debug_assertions) {
        std::time::Duration::from_millis(20)
    } else {
        std::time::Duration::from_micros(1000)
    };
    assert!(per < limit, "{per:?} per check");
    println!("check of 10 drugs: {per:?}");
}

#[test]
fn resolution_variants() {
    assert!(matches!(resolve("Percocet"), Resolution::Combination(ref v) if v.len() == 2));
    assert!(matches!(resolve("simvastatin"), Resolution::Single(d) if d.name == "simvastatin"));
    assert_eq!(resolve(""), Resolution::Unknown);
    assert!(resolve("nothing-known-here").ingredients().is_empty());
}

#[test]
fn meds_helper_smoke() {
    assert!(meds(&["lisinopril"]).is_empty());
}
