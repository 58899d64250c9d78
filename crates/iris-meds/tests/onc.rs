//! Every interaction of the ONC high-priority list (Phansalkar S, et al. JAMIA 2012;19:735-743)
//! raises a contraindicated or major alert for several member pairs, including members the list
//! does not name, and for brand names.

mod common;
use common::*;
use iris_meds::Severity::{Contraindicated, Major};
use iris_meds::{AlertKind, interaction_rules};

#[test]
fn onc_1_amphetamine_derivatives_maoi() {
    for (a, b) in [
        ("phenelzine", "pseudoephedrine"),
        ("tranylcypromine", "Adderall XR 20 mg"),
        ("isocarboxazid", "phentermine"),
        ("selegiline", "methylphenidate"),
        ("procarbazine", "lisdexamfetamine"),
        ("Nardil", "Vyvanse"),
        ("phenelzine", "phenylephrine"), // not named by ONC
        ("tranylcypromine", "atomoxetine"),
    ] {
        assert_pair_exact(a, b, Contraindicated);
    }
    assert_pair("linezolid", "pseudoephedrine", Major);
    assert_pair("rasagiline", "dextroamphetamine", Major);
}

#[test]
fn onc_2_atazanavir_ppis() {
    for (a, b) in [
        ("atazanavir", "omeprazole"),
        ("Reyataz", "Nexium"),
        ("atazanavir", "dexlansoprazole"),
        ("Evotaz", "pantoprazole 40 mg"),
        ("atazanavir sulfate 300 mg", "rabeprazole"),
        ("atazanavir", "Prevacid"),
    ] {
        assert_pair(a, b, Major);
    }
}

#[test]
fn onc_3_febuxostat_thiopurines() {
    assert_pair_exact("febuxostat", "azathioprine", Contraindicated);
    assert_pair_exact("Uloric", "mercaptopurine", Contraindicated);
    assert_pair_exact("febuxostat 40 mg", "Imuran", Contraindicated);
    assert_pair_exact("allopurinol", "azathioprine", Major); // same mechanism, not on the list
}

#[test]
fn onc_4_serotonergic_maoi() {
    for (a, b) in [
        ("phenelzine", "sertraline"),
        ("tranylcypromine", "venlafaxine"),
        ("isocarboxazid", "vortioxetine"),
        ("Emsam", "Zoloft"),
        ("Parnate", "St. John's wort"),
        ("selegiline", "tramadol"),
        ("phenelzine", "buspirone"),
        ("tranylcypromine", "dextromethorphan"),
        ("rasagiline", "meperidine"),
    ] {
        assert_pair_exact(a, b, Contraindicated);
    }
    for (a, b) in [
        ("linezolid", "duloxetine"),
        ("methylene blue", "fluoxetine"),
        ("rasagiline", "escitalopram"),
        ("Zyvox", "Lexapro"),
    ] {
        assert_pair(a, b, Major);
    }
}

#[test]
fn onc_5_irinotecan_cyp3a4() {
    for (a, b) in [
        ("irinotecan", "ketoconazole"),
        ("irinotecan", "clarithromycin"),
        ("irinotecan", "cobicistat"),
        ("Camptosar", "Paxlovid"),
        ("irinotecan", "rifampin"),
        ("irinotecan", "St John's wort"),
        ("irinotecan", "carbamazepine"),
        ("Camptosar", "Dilantin"),
    ] {
        assert_pair(a, b, Major);
    }
}

#[test]
fn onc_6_narcotic_analgesics_maoi() {
    assert_pair_exact("meperidine", "phenelzine", Contraindicated);
    assert_pair_exact("Demerol", "linezolid", Contraindicated);
    for (a, b) in [
        ("oxycodone", "tranylcypromine"),
        ("morphine", "isocarboxazid"),
        ("hydromorphone", "selegiline"),
        ("methadone", "rasagiline"),
        ("fentanyl patch 25 mcg/hr", "phenelzine"),
        ("tapentadol", "safinamide"),
        ("Percocet", "Nardil"),
        ("codeine", "linezolid"),
    ] {
        assert_pair(a, b, Major);
    }
}

#[test]
fn onc_7_tca_maoi() {
    for (a, b) in [
        ("amitriptyline", "phenelzine"),
        ("nortriptyline", "tranylcypromine"),
        ("clomipramine", "selegiline"),
        ("doxepin", "isocarboxazid"),
        ("Pamelor", "Marplan"),
        ("protriptyline", "procarbazine"),
    ] {
        assert_pair_exact(a, b, Contraindicated);
    }
    assert_pair("imipramine", "linezolid", Major);
}

#[test]
fn onc_8_qt_high_risk() {
    for (a, b) in [
        ("thioridazine", "haloperidol"),
        ("pimozide", "citalopram"),
        ("ziprasidone", "methadone"),
        ("dronedarone", "azithromycin"),
        ("Geodon", "Zofran"),
        ("pimozide", "clarithromycin"),
        ("Orap", "Zoloft"),
        ("thioridazine", "fluoxetine"),
        ("dofetilide", "hydrochlorothiazide"),
        ("Tikosyn", "Bactrim DS"),
        ("Multaq", "levofloxacin"),
    ] {
        assert_pair_exact(a, b, Contraindicated);
    }
    for (a, b) in [
        ("amiodarone", "levofloxacin"),
        ("ondansetron", "methadone"),
        ("citalopram", "azithromycin"),
        ("sotalol", "erythromycin"),
    ] {
        assert_pair_exact(a, b, Major);
    }
}

#[test]
fn onc_9_ramelteon_cyp1a2() {
    assert_pair_exact("ramelteon", "fluvoxamine", Contraindicated);
    assert_pair_exact("Rozerem", "Luvox", Contraindicated);
    assert_pair("ramelteon", "ciprofloxacin", Major);
    assert_pair("ramelteon", "enoxacin", Major);
}

#[test]
fn onc_10_inducers_protease_inhibitors() {
    for (a, b) in [
        ("rifampin", "atazanavir"),
        ("carbamazepine", "darunavir"),
        ("St. John's wort", "Kaletra"),
        ("phenytoin", "ritonavir"),
        ("rifapentine", "saquinavir"),
        ("enzalutamide", "Prezcobix"),
        ("Tegretol", "Reyataz"),
        ("rifampin", "Paxlovid"),
        ("phenobarbital", "fosamprenavir"),
    ] {
        assert_pair_exact(a, b, Contraindicated);
    }
}

#[test]
fn onc_11_statins_cyp3a4_and_protease_inhibitors() {
    for (a, b) in [
        ("simvastatin", "clarithromycin"),
        ("lovastatin", "itraconazole"),
        ("simvastatin", "posaconazole"),
        ("lovastatin", "cobicistat"),
        ("Zocor", "Biaxin"),
        ("simvastatin 40 mg", "Paxlovid"),
        ("Vytorin", "ketoconazole"),
        ("lovastatin", "voriconazole"),
        ("simvastatin", "atazanavir"),
        ("simvastatin", "nefazodone"),
        ("Altoprev", "Norvir"),
        ("simvastatin", "erythromycin"),
        ("simvastatin", "gemfibrozil"),
    ] {
        assert_pair_exact(a, b, Contraindicated);
    }
    assert_pair_exact("atorvastatin", "clarithromycin", Major);
    assert_pair_exact("simvastatin", "diltiazem", Major);
}

#[test]
fn onc_12_ergots_cyp3a4() {
    for (a, b) in [
        ("ergotamine", "ritonavir"),
        ("dihydroergotamine", "clarithromycin"),
        ("Cafergot", "ketoconazole"),
        ("methylergonovine", "itraconazole"),
        ("ergotamine", "erythromycin"),
        ("D.H.E. 45", "Paxlovid"),
        ("ergonovine", "cobicistat"),
        ("Migranal", "voriconazole"),
    ] {
        assert_pair_exact(a, b, Contraindicated);
    }
    assert_pair_exact("ergotamine", "sumatriptan", Contraindicated);
}

#[test]
fn onc_13_tizanidine_cyp1a2() {
    for (a, b) in [
        ("tizanidine", "fluvoxamine"),
        ("Zanaflex", "Cipro"),
        ("tizanidine 4 mg", "ciprofloxacin 500 mg"),
        ("tizanidine", "enoxacin"),
    ] {
        assert_pair_exact(a, b, Contraindicated);
    }
    for (a, b) in [
        ("tizanidine", "amiodarone"),
        ("tizanidine", "levofloxacin"),
        ("tizanidine", "Loestrin"),
        ("tizanidine", "famotidine"),
        ("tizanidine", "zileuton"),
    ] {
        assert_pair_exact(a, b, Major);
    }
}

#[test]
fn onc_14_tranylcypromine_procarbazine() {
    for (a, b) in [
        ("tranylcypromine", "procarbazine"),
        ("phenelzine", "procarbazine"),
        ("Matulane", "selegiline"),
        ("procarbazine", "linezolid"),
        ("Parnate", "Matulane"),
    ] {
        assert_pair_exact(a, b, Contraindicated);
    }
}

#[test]
fn onc_15_triptans_maoi() {
    for (a, b) in [
        ("sumatriptan", "phenelzine"),
        ("rizatriptan", "tranylcypromine"),
        ("zolmitriptan", "isocarboxazid"),
        ("eletriptan", "selegiline"),
        ("Imitrex", "Nardil"),
        ("frovatriptan", "phenelzine"),
        ("Maxalt-MLT", "Emsam"),
    ] {
        assert_pair_exact(a, b, Contraindicated);
    }
    assert_pair("naratriptan", "linezolid", Major);
    assert_pair("almotriptan", "rasagiline", Major);
}

#[test]
fn onc_rules_are_contraindicated_or_major_and_cited() {
    let onc: Vec<_> = interaction_rules().iter().filter(|r| r.onc).collect();
    assert!(onc.len() >= 15);
    for r in onc {
        assert!(r.severity >= Major, "{}", r.id);
        assert!(r.source.contains("Phansalkar"), "{}", r.id);
    }
}

#[test]
fn onc_alert_carries_source_and_both_entries() {
    let a = meds(&["Zocor 20 mg", "Biaxin"]);
    let ddi: Vec<_> = a.iter().filter(|x| x.kind == AlertKind::DrugDrug).collect();
    assert_eq!(ddi.len(), 1, "{a:#?}");
    assert_eq!(ddi[0].severity, Contraindicated);
    assert_eq!(
        ddi[0].drugs,
        vec!["Zocor 20 mg".to_string(), "Biaxin".to_string()]
    );
    assert_eq!(ddi[0].ingredients, vec!["simvastatin", "clarithromycin"]);
    assert!(
        ddi[0].message.contains("Zocor 20 mg (simvastatin)")
            && ddi[0].message.contains("Biaxin (clarithromycin)")
    );
    assert!(ddi[0].message.contains("What to do:"));
    assert!(ddi[0].source.contains("Phansalkar") && ddi[0].source.contains("Zocor"));
}

/// The 15 interactions of the ONC list (as tabulated in PMC9218784 Table 4) and the rules that
/// implement each; every rule must exist, be flagged `onc` and be contraindicated or major.
#[test]
fn all_fifteen_onc_interactions_have_rules() {
    let map: [(&str, &[&str]); 15] = [
        (
            "amphetamine derivatives - MAOIs",
            &["onc-maoi-sympathomimetic"],
        ),
        ("atazanavir - PPIs", &["onc-atazanavir-ppi"]),
        (
            "febuxostat - azathioprine/mercaptopurine",
            &["onc-febuxostat-thiopurine"],
        ),
        (
            "SSRIs/serotonergic agents - MAOIs",
            &["onc-maoi-serotonergic"],
        ),
        (
            "irinotecan - strong CYP3A4 inhibitors",
            &["onc-irinotecan-cyp3a4-inhibitor"],
        ),
        (
            "narcotic analgesics - MAOIs",
            &["onc-meperidine-maoi", "onc-opioid-maoi"],
        ),
        ("TCAs - MAOIs", &["onc-maoi-tca"]),
        ("high-risk QT prolonging agents", &["onc-qt-high-risk"]),
        (
            "ramelteon - strong CYP1A2 inhibitors",
            &["onc-ramelteon-fluvoxamine", "onc-ramelteon-cyp1a2"],
        ),
        (
            "strong CYP3A4 inducers - protease inhibitors",
            &["onc-pi-cyp3a4-inducer"],
        ),
        (
            "HMG-CoA reductase inhibitors - CYP3A4 and protease inhibitors",
            &["onc-statin-cyp3a4"],
        ),
        (
            "CYP3A4 and protease inhibitors - ergot alkaloids",
            &["onc-ergot-cyp3a4", "onc-ergot-erythromycin"],
        ),
        (
            "tizanidine - CYP1A2 inhibitors",
            &["onc-tizanidine-cyp1a2", "onc-tizanidine-cyp1a2-other"],
        ),
        ("tranylcypromine - procarbazine", &["onc-maoi-procarbazine"]),
        ("triptans - MAOIs", &["onc-maoi-triptan"]),
    ];
    for (pair, ids) in map {
        for id in ids {
            let r = interaction_rules()
                .iter()
                .find(|r| r.id == *id)
                .unwrap_or_else(|| panic!("{pair}: no rule {id}"));
            assert!(r.onc && r.severity >= Major, "{pair}: {id}");
        }
    }
}
