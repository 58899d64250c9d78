//! Drug-allergy checks.

mod common;
use common::*;
use iris_meds::Severity::{Contraindicated, Major, Minor, Moderate};
use iris_meds::{AlertKind, CheckInput, Severity, check};

fn worst(m: &str, allergy: &str) -> Option<Severity> {
    allergy_alerts(&[m], &[allergy])
        .iter()
        .map(|a| a.severity)
        .max()
}

#[test]
fn penicillin_class_and_cross_sensitivity() {
    for m in [
        "amoxicillin",
        "Augmentin",
        "piperacillin",
        "Zosyn",
        "penicillin VK 500 mg",
        "dicloxacillin",
        "Unasyn",
    ] {
        assert_eq!(worst(m, "penicillin"), Some(Contraindicated), "{m}");
        assert_eq!(
            worst(m, "Penicillins (hives)"),
            Some(Contraindicated),
            "{m}"
        );
        assert_eq!(worst(m, "PCN allergy"), Some(Contraindicated), "{m}");
    }
    assert_eq!(worst("cefazolin", "penicillin"), Some(Moderate));
    assert_eq!(worst("cephalexin", "penicillin"), Some(Moderate));
    assert_eq!(worst("ceftriaxone", "penicillin"), Some(Moderate));
    assert_eq!(worst("meropenem", "penicillin"), Some(Minor));
    assert_eq!(worst("azithromycin", "penicillin"), None);
    // Side-chain message for aminopenicillin-like cephalosporins.
    let a = allergy_alerts(&["Keflex"], &["amoxicillin"]);
    assert_eq!(a.len(), 1);
    assert!(a[0].message.contains("side chain"), "{}", a[0].message);
    // Allergy recorded as one member: other members are major.
    assert_eq!(worst("penicillin V", "amoxicillin"), Some(Major));
    assert_eq!(worst("Amoxil", "amoxicillin"), Some(Contraindicated));
    assert_eq!(worst("Augmentin", "Amoxil"), Some(Contraindicated));
}

#[test]
fn sulfonamides() {
    for m in [
        "sulfamethoxazole",
        "Bactrim DS",
        "Septra",
        "sulfadiazine",
        "sulfasalazine",
    ] {
        assert_eq!(worst(m, "sulfa"), Some(Contraindicated), "{m}");
        assert_eq!(worst(m, "Sulfa drugs (rash)"), Some(Contraindicated), "{m}");
    }
    for m in [
        "furosemide",
        "hydrochlorothiazide",
        "Lasix 40 mg",
        "celecoxib",
        "glipizide",
        "torsemide",
    ] {
        let w = worst(m, "sulfa");
        assert!(w.is_none_or(|s| s < Major), "{m}: {w:?}");
        assert!(w.is_none_or(|s| s <= Minor), "{m}: {w:?}");
    }
    let a = allergy_alerts(&["furosemide"], &["sulfa"]);
    assert!(a[0].source.contains("Strom"), "{}", a[0].source);
    assert_eq!(worst("trimethoprim", "sulfa"), None);
}

#[test]
fn nsaids_and_aspirin() {
    assert_eq!(worst("ibuprofen", "aspirin"), Some(Major));
    assert_eq!(worst("naproxen 500 mg", "aspirin"), Some(Major));
    assert_eq!(worst("Advil", "ASA"), Some(Major));
    assert_eq!(worst("aspirin 81", "aspirin"), Some(Contraindicated));
    assert_eq!(worst("ibuprofen", "NSAIDs"), Some(Contraindicated));
    assert_eq!(worst("aspirin", "NSAIDs"), Some(Contraindicated));
    assert_eq!(worst("aspirin", "ibuprofen"), Some(Major));
    assert_eq!(worst("acetaminophen", "NSAIDs"), None);
}

#[test]
fn other_allergies() {
    assert_eq!(worst("Tylenol #3", "codeine"), Some(Contraindicated));
    assert_eq!(worst("morphine", "codeine"), Some(Moderate));
    assert_eq!(
        worst("ceftriaxone", "cephalosporins"),
        Some(Contraindicated)
    );
    assert_eq!(worst("cefdinir", "Keflex"), Some(Major));
    assert_eq!(worst("amoxicillin", "cephalexin"), Some(Minor));
    assert_eq!(worst("levofloxacin", "Cipro"), Some(Major));
    assert_eq!(worst("azithromycin", "macrolides"), Some(Contraindicated));
    assert_eq!(worst("lisinopril", "ACE inhibitors"), Some(Contraindicated));
    assert_eq!(worst("enalapril", "lisinopril (angioedema)"), Some(Major));
    assert_eq!(worst("Zocor", "simvastatin"), Some(Contraindicated));
}

#[test]
fn unknown_and_non_drug_allergens() {
    let all = check(&CheckInput {
        medications: &["amoxicillin"],
        allergies: &["flibbertigibbet"],
        egfr: None,
    });
    let u: Vec<_> = all
        .iter()
        .filter(|a| a.kind == AlertKind::UnknownDrug)
        .collect();
    assert_eq!(u.len(), 1, "{all:#?}");
    assert!(u[0].message.contains("not recognised") && u[0].message.contains("flibbertigibbet"));
    assert_eq!(u[0].severity, Major);
    for harmless in [
        "NKDA",
        "none",
        "No Known Drug Allergies",
        "latex",
        "shellfish",
        "peanuts",
        "",
    ] {
        let all = check(&CheckInput {
            medications: &["amoxicillin"],
            allergies: &[harmless],
            egfr: None,
        });
        assert!(all.is_empty(), "{harmless}: {all:#?}");
    }
}

#[test]
fn allergy_alert_names_drug_and_allergen() {
    let a = allergy_alerts(&["Augmentin 875"], &["penicillin"]);
    assert_eq!(a.len(), 1);
    assert_eq!(
        a[0].drugs,
        vec!["Augmentin 875".to_string(), "penicillin".to_string()]
    );
    assert_eq!(a[0].ingredients, vec!["amoxicillin"]);
    assert!(
        a[0].message.contains("amoxicillin")
            && a[0].message.contains("penicillin")
            && a[0].message.contains("What to do")
    );
}
