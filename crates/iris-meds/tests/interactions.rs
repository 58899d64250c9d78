//! High-value interactions beyond the ONC list, self/ordering behavior, and harmless combinations.

mod common;
use common::*;
use iris_meds::AlertKind;
use iris_meds::Severity::{Contraindicated, Major, Minor, Moderate};

#[test]
fn anticoagulant_bleeding() {
    for (a, b) in [
        ("warfarin", "ibuprofen"),
        ("Coumadin", "naproxen"),
        ("Jantoven", "aspirin 81 mg"),
        ("warfarin", "clopidogrel"),
        ("Eliquis", "Advil"),
        ("Xarelto", "Plavix"),
        ("apixaban", "rivaroxaban"),
        ("enoxaparin", "warfarin"),
        ("warfarin", "Bactrim DS"),
        ("warfarin", "fluconazole"),
        ("warfarin", "amiodarone"),
        ("warfarin", "metronidazole"),
        ("warfarin", "rifampin"),
        ("apixaban", "ketoconazole"),
    ] {
        assert_pair_exact(a, b, Major);
    }
    assert_pair_exact("warfarin", "ciprofloxacin", Moderate);
    assert_pair_exact("sertraline", "ibuprofen", Moderate);
    assert_pair_exact("escitalopram", "warfarin", Moderate);
    assert_pair_exact("aspirin", "ibuprofen", Moderate);
}

#[test]
fn renin_angiotensin_and_potassium() {
    for (a, b) in [
        ("lisinopril", "spironolactone"),
        ("losartan", "amiloride"),
        ("Zestril", "Dyazide"),
        ("valsartan", "eplerenone"),
        ("lisinopril", "losartan"),
        ("enalapril", "Diovan"),
        ("ramipril", "aliskiren"),
        ("spironolactone", "potassium chloride 20 mEq"),
    ] {
        assert_pair_exact(a, b, Major);
    }
    assert_pair_exact("lisinopril", "Entresto", Contraindicated);
    assert_pair_exact("lisinopril", "Klor-Con", Moderate);
    assert_pair_exact("losartan", "ibuprofen", Moderate);
}

#[test]
fn cns_depressants() {
    for (a, b) in [
        ("oxycodone", "lorazepam"),
        ("Norco", "Xanax"),
        ("methadone", "clonazepam"),
        ("tramadol", "diazepam"),
        ("Percocet 5/325", "Valium"),
    ] {
        assert_pair_exact(a, b, Major);
    }
    assert_pair_exact("oxycodone", "gabapentin", Moderate);
    assert_pair_exact("zolpidem", "temazepam", Moderate);
}

#[test]
fn other_high_value() {
    for (a, b) in [
        ("lithium", "ibuprofen"),
        ("lithium carbonate 300 mg", "lisinopril"),
        ("lithium", "hydrochlorothiazide"),
        ("lithium", "losartan"),
        ("digoxin", "amiodarone"),
        ("Lanoxin", "verapamil"),
        ("digoxin", "clarithromycin"),
        ("colchicine", "clarithromycin"),
        ("colchicine", "cyclosporine"),
        ("colchicine", "diltiazem"),
        ("methotrexate", "Bactrim"),
        ("methotrexate", "trimethoprim"),
        ("rasagiline", "ciprofloxacin"),
        ("theophylline", "ciprofloxacin"),
        ("clozapine", "fluvoxamine"),
        ("sildenafil", "ketoconazole"),
        ("quetiapine", "ritonavir"),
        ("fentanyl", "clarithromycin"),
        ("tacrolimus", "voriconazole"),
        ("valproic acid", "meropenem"),
    ] {
        assert_pair(a, b, Major);
    }
    for (a, b) in [
        ("sildenafil", "nitroglycerin"),
        ("Cialis", "isosorbide mononitrate"),
        ("Viagra", "Imdur"),
        ("vardenafil", "Nitrostat"),
        ("riociguat", "sildenafil"),
        ("bosentan", "glyburide"),
        ("Tracleer", "Diabeta"),
        ("ivabradine", "clarithromycin"),
        ("ranolazine", "ketoconazole"),
        ("lurasidone", "rifampin"),
    ] {
        assert_pair_exact(a, b, Contraindicated);
    }
    assert_pair_exact("clopidogrel", "omeprazole", Moderate);
    assert_pair_exact("Plavix", "Nexium", Moderate);
    assert_eq!(worst_ddi(&["clopidogrel", "pantoprazole"]), None);
    assert_pair_exact("sildenafil", "tamsulosin", Moderate);
    assert_pair_exact("methotrexate", "omeprazole", Minor);
}

#[test]
fn serotonergic_pairs_are_moderate_unless_maoi() {
    assert_pair_exact("sertraline", "tramadol", Moderate);
    assert_pair_exact("sumatriptan", "escitalopram", Moderate);
    // Only one serotonin alert per pair: the most severe.
    let a = meds(&["phenelzine", "sertraline"]);
    assert_eq!(of_kind(&a, AlertKind::DrugDrug).len(), 1, "{a:#?}");
}

#[test]
fn no_self_interaction_and_unordered() {
    // The same drug twice is a duplicate, not an interaction.
    let a = meds(&["citalopram 20 mg", "citalopram"]);
    assert!(of_kind(&a, AlertKind::DrugDrug).is_empty(), "{a:#?}");
    assert_eq!(of_kind(&a, AlertKind::DuplicateTherapy).len(), 1);
    // A QT drug alone: nothing.
    assert!(meds(&["methadone"]).is_empty());
    // Ingredients inside one combination product are not checked against each other.
    assert!(meds(&["Paxlovid"]).is_empty(), "{:#?}", meds(&["Paxlovid"]));
    assert!(meds(&["Bactrim DS"]).is_empty());
    // Pairs are unordered.
    let x = meds(&["warfarin", "ibuprofen"]);
    let y = meds(&["ibuprofen", "warfarin"]);
    assert_eq!(x.len(), y.len());
    assert_eq!(x[0].severity, y[0].severity);
    assert_eq!(x[0].rule, y[0].rule);
}

#[test]
fn combination_ingredients_are_checked_across_entries() {
    // Percocet contains acetaminophen and oxycodone; clarithromycin raises oxycodone.
    assert_pair("Percocet", "clarithromycin", Major);
    // Vytorin contains simvastatin.
    assert_pair_exact("Vytorin 10/40", "itraconazole", Contraindicated);
    // Written combination.
    assert_pair_exact("hydrocodone/acetaminophen 5/325", "alprazolam", Major);
}

/// At least 25 common combinations that must raise no contraindicated or major alert.
#[test]
fn harmless_combinations() {
    let cases: &[&[&str]] = &[
        &["lisinopril", "amlodipine"],
        &["metformin", "atorvastatin"],
        &["levothyroxine", "amlodipine"],
        &["acetaminophen", "lisinopril"],
        &["metformin", "lisinopril", "atorvastatin", "aspirin 81"],
        &["omeprazole", "amlodipine"],
        &["losartan", "hydrochlorothiazide"],
        &["metoprolol tartrate 25 mg", "atorvastatin 40 mg"],
        &["levothyroxine 50 mcg", "sertraline 50 mg"],
        &["albuterol HFA", "montelukast 10 mg"],
        &["Flonase", "Zyrtec"],
        &["metformin ER 500 mg", "glipizide 5 mg"],
        &["Caduet"],
        &["escitalopram", "levothyroxine"],
        &["gabapentin 300 mg", "acetaminophen 500 mg"],
        &["pantoprazole", "metoprolol succinate"],
        &["tamsulosin", "finasteride"],
        &["vitamin D3 1000 IU", "levothyroxine"],
        &["apixaban 5 mg", "metoprolol"],
        &["Lantus", "metformin"],
        &["Jardiance", "metformin"],
        &["carvedilol", "lisinopril", "furosemide"],
        &["montelukast", "loratadine"],
        &["rosuvastatin", "ezetimibe"],
        &["donepezil", "memantine"],
        &["amoxicillin", "acetaminophen"],
        &["cephalexin", "ibuprofen"],
        &["prednisone", "omeprazole"],
        &["famotidine", "acetaminophen"],
        &["Exforge"],
        &["clopidogrel", "pantoprazole"],
        &["clopidogrel", "aspirin 81 mg"],
        &["warfarin", "acetaminophen"],
        &["Synthroid", "Norvasc", "Lipitor", "Glucophage"],
        &[
            "metoprolol succinate ER 50 mg",
            "lisinopril 20 mg",
            "atorvastatin 80 mg",
            "metformin 1000 mg",
            "aspirin 81 mg",
            "omeprazole 20 mg",
        ],
        &["Zestoretic", "Crestor"],
        &["Augmentin 875", "Tylenol"],
    ];
    assert!(cases.len() >= 25);
    for m in cases {
        let a = meds(m);
        let bad: Vec<_> = a.iter().filter(|x| x.severity >= Major).collect();
        assert!(bad.is_empty(), "{m:?} raised {bad:#?}");
    }
}

#[test]
fn added_pharmacokinetic_and_absorption_rules() {
    assert_pair_exact("metoprolol", "diltiazem", Moderate);
    assert_pair_exact("levothyroxine", "calcium carbonate", Minor);
    assert_pair_exact("ciprofloxacin", "ferrous sulfate", Moderate);
    assert_pair_exact("doxycycline", "Tums", Moderate);
    assert_pair_exact("flibanserin", "fluconazole", Contraindicated);
    assert_pair_exact("lomitapide", "diltiazem", Contraindicated);
}
