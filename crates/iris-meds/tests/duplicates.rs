//! Duplicate therapy.

mod common;
use common::*;
use iris_meds::AlertKind;
use iris_meds::Severity::{self, Major, Moderate};

fn dup(m: &[&str]) -> Option<Severity> {
    of_kind(&meds(m), AlertKind::DuplicateTherapy)
        .iter()
        .map(|a| a.severity)
        .max()
}

#[test]
fn same_ingredient_twice() {
    assert_eq!(dup(&["Zocor", "simvastatin 20 mg"]), Some(Major));
    assert_eq!(dup(&["Norco 5/325", "Tylenol Extra Strength"]), Some(Major));
    assert_eq!(dup(&["metoprolol tartrate", "Toprol XL"]), Some(Major));
    assert_eq!(dup(&["Advair Diskus", "Serevent"]), Some(Major));
    let a = of_kind(
        &meds(&["Zocor", "simvastatin 20 mg"]),
        AlertKind::DuplicateTherapy,
    );
    assert_eq!(a.len(), 1);
    assert_eq!(
        a[0].drugs,
        vec!["Zocor".to_string(), "simvastatin 20 mg".to_string()]
    );
    assert!(a[0].message.contains("simvastatin"));
}

#[test]
fn class_duplicates() {
    for (m, s) in [
        (vec!["atorvastatin", "rosuvastatin"], Moderate),
        (vec!["lisinopril", "enalapril"], Moderate),
        (vec!["losartan", "valsartan"], Moderate),
        (vec!["sertraline", "fluoxetine"], Moderate),
        (vec!["ibuprofen", "naproxen"], Major),
        (vec!["omeprazole", "pantoprazole"], Moderate),
        (vec!["apixaban", "warfarin"], Major),
        (vec!["lorazepam", "alprazolam"], Moderate),
        (vec!["oxycodone", "morphine ER"], Moderate),
        (vec!["glipizide", "glyburide"], Major),
        (vec!["Symbicort", "Serevent"], Major),
        (vec!["Janumet", "Ozempic"], Moderate),
        (vec!["clopidogrel", "ticagrelor"], Major),
        (vec!["diltiazem", "verapamil"], Major),
        (vec!["Depakote", "valproic acid"], Major),
    ] {
        assert_eq!(dup(&m), Some(s), "{m:?}");
    }
}

#[test]
fn no_false_duplicates() {
    assert_eq!(dup(&["Adderall XR"]), None); // one product, two salts
    assert_eq!(dup(&["Glyxambi"]), None);
    assert_eq!(dup(&["lisinopril", "amlodipine"]), None);
    assert_eq!(dup(&["clopidogrel", "aspirin 81"]), None); // DAPT is intended
    assert_eq!(dup(&["insulin glargine", "insulin lispro"]), None); // basal-bolus
}
