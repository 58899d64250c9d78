//! The knowledge tables themselves: size, consistency, sources, names.

mod common;
use common::*;
use iris_meds::*;

#[test]
fn no_consistency_problems() {
    let p = knowledge_problems();
    assert!(p.is_empty(), "{p:#?}");
}

#[test]
fn at_least_300_distinct_ingredients() {
    let mut names: Vec<&str> = drugs().iter().map(|d| d.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), drugs().len());
    assert!(names.len() >= 300, "{}", names.len());
    let top: usize = drugs()
        .iter()
        .filter(|d| d.source.contains("ClinCalc"))
        .count();
    assert!(top >= 250, "top-300 selection entries: {top}");
}

#[test]
fn every_name_and_rule_refers_to_known_things() {
    let known = |n: &str| ingredient(n).is_some();
    let target_ok = |t: &Target| match t {
        Target::Drug(n) => known(n),
        Target::Class(c) => class(c).is_some(),
    };
    for c in classes() {
        assert!(!c.members.is_empty(), "{}", c.id);
        for m in c.members {
            assert!(known(m), "class {} member {m}", c.id);
        }
        assert!(!c.source.trim().is_empty(), "{}", c.id);
    }
    for c in combinations() {
        for i in c.ingredients {
            assert!(known(i), "combination {} ingredient {i}", c.name);
        }
        assert!(!c.source.trim().is_empty());
    }
    for r in interaction_rules() {
        assert!(target_ok(&r.a) && target_ok(&r.b), "rule {}", r.id);
        assert!(
            !r.source.trim().is_empty()
                && !r.mechanism.trim().is_empty()
                && !r.management.trim().is_empty(),
            "rule {}",
            r.id
        );
    }
    for r in renal_rules() {
        assert!(target_ok(&r.target), "renal {}", r.id);
        assert!(
            !r.source.trim().is_empty() && r.message.contains("What to do"),
            "renal {}",
            r.id
        );
        assert!(r.min < r.max, "renal {}", r.id);
    }
    for d in duplicate_classes() {
        assert!(class(d.class).is_some(), "duplicate {}", d.class);
        assert!(!d.source.trim().is_empty());
    }
    for t in allergy_terms() {
        for c in t.classes {
            assert!(class(c).is_some(), "allergy term {} class {c}", t.term);
        }
    }
    for a in allergy_classes() {
        assert!(class(a.class).is_some(), "{}", a.class);
        assert!(!a.source.trim().is_empty());
    }
    for r in allergy_cross_rules() {
        assert!(class(r.from).is_some() && target_ok(&r.to), "{}", r.id);
        assert!(
            !r.source.trim().is_empty() && r.message.contains("What to do"),
            "{}",
            r.id
        );
    }
    for d in drugs() {
        assert!(!d.source.trim().is_empty(), "{}", d.name);
        assert_eq!(d.name, d.name.to_lowercase());
        if let Some(c) = d.rxcui {
            assert!(
                !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit()),
                "{}: {c}",
                d.name
            );
        }
    }
    let mut cuis: Vec<&str> = drugs().iter().filter_map(|d| d.rxcui).collect();
    let n = cuis.len();
    cuis.sort_unstable();
    cuis.dedup();
    assert_eq!(cuis.len(), n, "an RxCUI is used twice");
}

#[test]
fn spot_check_rxcuis() {
    for (name, cui) in [
        ("simvastatin", "36567"),
        ("warfarin", "11289"),
        ("lisinopril", "29046"),
        ("metformin", "6809"),
        ("aspirin", "1191"),
        ("atorvastatin", "83367"),
    ] {
        assert_eq!(ingredient(name).and_then(|d| d.rxcui), Some(cui), "{name}");
    }
}

#[test]
fn brands_map_to_ingredients() {
    let single = [
        ("Zocor", "simvastatin"),
        ("Biaxin", "clarithromycin"),
        ("Lipitor", "atorvastatin"),
        ("Norvasc", "amlodipine"),
        ("Glucophage", "metformin"),
        ("Coumadin", "warfarin"),
        ("Jantoven", "warfarin"),
        ("Plavix", "clopidogrel"),
        ("Eliquis", "apixaban"),
        ("Xarelto", "rivaroxaban"),
        ("Zoloft", "sertraline"),
        ("Prozac", "fluoxetine"),
        ("Lexapro", "escitalopram"),
        ("Synthroid", "levothyroxine"),
        ("Lasix", "furosemide"),
        ("Zyprexa", "olanzapine"),
        ("Crestor", "rosuvastatin"),
        ("Prilosec", "omeprazole"),
        ("Nexium", "esomeprazole"),
        ("Protonix", "pantoprazole"),
        ("Neurontin", "gabapentin"),
        ("Lyrica", "pregabalin"),
        ("Cymbalta", "duloxetine"),
        ("Wellbutrin XL", "bupropion"),
        ("Seroquel", "quetiapine"),
        ("Abilify", "aripiprazole"),
        ("Xanax", "alprazolam"),
        ("Ambien", "zolpidem"),
        ("Singulair", "montelukast"),
        ("ProAir HFA", "albuterol"),
        ("Flomax", "tamsulosin"),
        ("Cozaar", "losartan"),
        ("Diovan", "valsartan"),
        ("Zestril", "lisinopril"),
        ("Prinivil", "lisinopril"),
        ("Toprol XL", "metoprolol"),
        ("Lopressor", "metoprolol"),
        ("Coreg", "carvedilol"),
        ("Lanoxin", "digoxin"),
        ("Pradaxa", "dabigatran etexilate"),
        ("Januvia", "sitagliptin"),
        ("Jardiance", "empagliflozin"),
        ("Ozempic", "semaglutide"),
        ("Lantus", "insulin glargine"),
        ("Ultram", "tramadol"),
        ("OxyContin", "oxycodone"),
        ("Keflex", "cephalexin"),
        ("Cipro", "ciprofloxacin"),
        ("Zithromax", "azithromycin"),
        ("Z-Pak", "azithromycin"),
        ("Diflucan", "fluconazole"),
        ("Flagyl", "metronidazole"),
        ("Macrobid", "nitrofurantoin"),
        ("Valtrex", "valacyclovir"),
        ("Viagra", "sildenafil"),
        ("Cialis", "tadalafil"),
        ("Nardil", "phenelzine"),
        ("Zyvox", "linezolid"),
        ("Zanaflex", "tizanidine"),
        ("Imitrex", "sumatriptan"),
        ("Tylenol", "acetaminophen"),
        ("Advil", "ibuprofen"),
        ("Aleve", "naproxen"),
        ("Celebrex", "celecoxib"),
    ];
    assert!(single.len() >= 40);
    for (brand, ing) in single {
        match resolve(brand) {
            Resolution::Single(d) => assert_eq!(d.name, ing, "{brand}"),
            other => panic!("{brand}: {other:?}"),
        }
        // Case-insensitive and trimmed.
        assert_eq!(
            resolve(&format!("  {}  ", brand.to_uppercase()))
                .ingredients()
                .first()
                .map(|d| d.name),
            Some(ing),
            "{brand}"
        );
    }
    let combos: &[(&str, &[&str])] = &[
        ("Augmentin", &["amoxicillin", "clavulanate"]),
        ("Bactrim", &["sulfamethoxazole", "trimethoprim"]),
        ("Bactrim DS", &["sulfamethoxazole", "trimethoprim"]),
        ("Percocet", &["oxycodone", "acetaminophen"]),
        ("Vicodin", &["hydrocodone", "acetaminophen"]),
        ("Norco", &["hydrocodone", "acetaminophen"]),
        ("Advair Diskus", &["fluticasone", "salmeterol"]),
        ("Hyzaar", &["losartan", "hydrochlorothiazide"]),
        ("Janumet", &["sitagliptin", "metformin"]),
        ("Entresto", &["sacubitril", "valsartan"]),
        ("Paxlovid", &["nirmatrelvir", "ritonavir"]),
        ("Adderall", &["amphetamine", "dextroamphetamine"]),
        ("Suboxone", &["buprenorphine", "naloxone"]),
        ("Tylenol #3", &["acetaminophen", "codeine"]),
        ("Tylenol with Codeine", &["acetaminophen", "codeine"]),
        (
            "amoxicillin-clavulanate 875-125 mg",
            &["amoxicillin", "clavulanate"],
        ),
        ("hydrocodone/APAP 10/325", &["hydrocodone", "acetaminophen"]),
        (
            "sulfamethoxazole and trimethoprim DS",
            &["sulfamethoxazole", "trimethoprim"],
        ),
        ("TMP-SMX", &["trimethoprim", "sulfamethoxazole"]),
        ("Zyrtec-D", &["cetirizine", "pseudoephedrine"]),
    ];
    for (name, want) in combos {
        let mut got: Vec<&str> = resolve(name).ingredients().iter().map(|d| d.name).collect();
        let mut want = want.to_vec();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn salts_strengths_and_forms_resolve() {
    for (text, ing) in [
        ("metoprolol tartrate", "metoprolol"),
        ("metoprolol succinate", "metoprolol"),
        ("Metoprolol Succinate ER 25 mg tablet", "metoprolol"),
        ("amlodipine besylate", "amlodipine"),
        ("amlodipine besylate 10mg", "amlodipine"),
        ("lisinopril 10 mg tablet", "lisinopril"),
        ("LISINOPRIL 10 MG TAB PO DAILY", "lisinopril"),
        ("atorvastatin calcium 40 mg", "atorvastatin"),
        ("losartan potassium 50 mg", "losartan"),
        ("levothyroxine sodium 0.05 mg", "levothyroxine"),
        ("levothyroxine 75 mcg", "levothyroxine"),
        ("sertraline HCl 50 mg", "sertraline"),
        ("esomeprazole magnesium 40 mg DR capsule", "esomeprazole"),
        ("naproxen sodium 220 mg", "naproxen"),
        ("doxycycline hyclate 100 mg", "doxycycline"),
        ("aspirin 81", "aspirin"),
        ("aspirin EC 81 mg", "aspirin"),
        ("baby aspirin", "aspirin"),
        ("potassium chloride ER 20 mEq", "potassium chloride"),
        (
            "insulin glargine 100 units/mL, 20 units at bedtime",
            "insulin glargine",
        ),
        (
            "albuterol sulfate HFA 90 mcg/actuation 2 puffs q4-6h prn",
            "albuterol",
        ),
        ("fentanyl 25 mcg/hr patch", "fentanyl"),
        ("Zocor (simvastatin) 20 mg", "simvastatin"),
        ("paracetamol 500 mg", "acetaminophen"),
        ("St. John's Wort 300 mg", "st. john's wort"),
        ("tramadol 50 mg q6h prn pain", "tramadol"),
        ("warfarin sodium 5 mg", "warfarin"),
        ("clopidogrel bisulfate 75 mg", "clopidogrel"),
        ("valsartan 160 mg", "valsartan"),
        ("escitalopram oxalate 10 mg", "escitalopram"),
    ] {
        match resolve(text) {
            Resolution::Single(d) => assert_eq!(d.name, ing, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn unknown_names_are_unknown_and_alerted() {
    for text in [
        "xyzzy",
        "lisinopril foo",
        "asdf 10 mg",
        "Diovan XYZ",
        "metoprolol lisinoprill",
        "10 mg",
        "vitamin",
        "insulin",
    ] {
        assert!(resolve(text).is_unknown(), "{text}: {:?}", resolve(text));
    }
    let a = meds(&["lisinopril", "Frobozz 10 mg"]);
    let u = of_kind(&a, AlertKind::UnknownDrug);
    assert_eq!(u.len(), 1, "{a:#?}");
    assert_eq!(u[0].drugs, vec!["Frobozz 10 mg".to_string()]);
    assert!(u[0].message.contains("Frobozz 10 mg") && u[0].message.contains("not recognised"));
    assert!(u[0].severity >= Severity::Moderate);
    // Blank entries are ignored, not unknown.
    assert!(meds(&["", "   "]).is_empty());
}

#[test]
fn classes_of_a_drug() {
    let ids: Vec<&str> = ingredient("simvastatin")
        .unwrap()
        .classes()
        .iter()
        .map(|c| c.id)
        .collect();
    assert!(ids.contains(&"statins") && ids.contains(&"statins-cyp3a4-sensitive"));
    let ids: Vec<&str> = ingredient("linezolid")
        .unwrap()
        .classes()
        .iter()
        .map(|c| c.id)
        .collect();
    assert!(ids.contains(&"maoi"));
    for (class_id, members) in [
        (
            "maoi",
            &[
                "phenelzine",
                "tranylcypromine",
                "isocarboxazid",
                "selegiline",
                "rasagiline",
                "safinamide",
                "linezolid",
                "methylene blue",
            ][..],
        ),
        (
            "strong-cyp3a4-inhibitors",
            &[
                "clarithromycin",
                "itraconazole",
                "ketoconazole",
                "posaconazole",
                "voriconazole",
                "ritonavir",
                "cobicistat",
                "nefazodone",
            ][..],
        ),
        (
            "strong-cyp3a4-inducers",
            &["rifampin", "carbamazepine", "phenytoin", "st. john's wort"][..],
        ),
        (
            "cyp1a2-strong-inhibitors",
            &["ciprofloxacin", "fluvoxamine"][..],
        ),
        (
            "moderate-cyp3a4-inhibitors",
            &["diltiazem", "verapamil", "erythromycin", "fluconazole"][..],
        ),
    ] {
        let c = class(class_id).unwrap();
        for m in members {
            assert!(c.members.contains(m), "{class_id} lacks {m}");
        }
    }
}
