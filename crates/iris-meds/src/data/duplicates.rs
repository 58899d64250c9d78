//! Duplicate-therapy classes: two different members of one of these classes on separate
//! medication entries raise a duplicate-therapy alert. The same ingredient on two entries always
//! raises a major duplicate-therapy alert (no table needed).

use crate::{DuplicateClass, Severity};

use Severity::{Major, Minor, Moderate};

macro_rules! dup {
    ($class:literal, $sev:expr, $why:literal, $src:literal) => {
        DuplicateClass {
            class: $class,
            severity: $sev,
            rationale: $why,
            source: $src,
        }
    };
}

/// Classes where two members together are a duplication warning.
pub static DUPLICATE_CLASSES: &[DuplicateClass] = &[
    dup!(
        "statins",
        Moderate,
        "No added lipid benefit; additive myopathy risk.",
        "ACC/AHA 2018 Cholesterol Guideline (single statin therapy); WHO ATC C10AA"
    ),
    dup!(
        "ace-inhibitors",
        Moderate,
        "No added benefit; additive hypotension, hyperkalemia, renal impairment.",
        "FDA ACE inhibitor labeling (one agent per patient); WHO ATC C09AA"
    ),
    dup!(
        "arbs",
        Moderate,
        "No added benefit; additive hypotension, hyperkalemia, renal impairment.",
        "FDA ARB labeling; WHO ATC C09CA"
    ),
    dup!(
        "beta-blockers",
        Moderate,
        "Additive bradycardia and hypotension (check: ophthalmic timolol also counts).",
        "WHO ATC C07A"
    ),
    dup!(
        "dhp-ccbs",
        Moderate,
        "Two dihydropyridines: additive hypotension and edema without benefit.",
        "WHO ATC C08CA"
    ),
    dup!(
        "non-dhp-ccbs",
        Major,
        "Diltiazem with verapamil: additive bradycardia, AV block, heart failure.",
        "FDA labels: Calan (verapamil), Cardizem (diltiazem) Warnings (conduction)"
    ),
    dup!(
        "ssri-snri",
        Moderate,
        "Two serotonergic antidepressants: serotonin syndrome and bleeding risk without proven benefit (confirm cross-titration).",
        "FDA SSRI/SNRI labels Warnings (serotonin syndrome); WHO ATC N06AB/N06AX"
    ),
    dup!(
        "tcas",
        Moderate,
        "Two tricyclics: additive anticholinergic, cardiac (QRS/QT) and sedative toxicity.",
        "WHO ATC N06AA"
    ),
    dup!(
        "antipsychotics",
        Moderate,
        "Antipsychotic polypharmacy: additive metabolic, extrapyramidal and QT effects (confirm cross-titration or intent).",
        "American Geriatrics Society 2023 Beers Criteria (CNS-active polypharmacy); WHO ATC N05A"
    ),
    dup!(
        "benzodiazepines",
        Moderate,
        "Two benzodiazepines: additive sedation, falls, respiratory depression.",
        "American Geriatrics Society 2023 Beers Criteria; WHO ATC N05BA/N05CD"
    ),
    dup!(
        "z-drugs",
        Moderate,
        "Two Z-drug hypnotics: additive sedation and complex sleep behaviors.",
        "FDA Boxed Warning (2019) on eszopiclone, zaleplon, zolpidem"
    ),
    dup!(
        "opioids",
        Moderate,
        "Two opioids: additive respiratory depression; two long-acting opioids should not be combined (long-acting plus a short-acting rescue may be intended).",
        "CDC Clinical Practice Guideline for Prescribing Opioids for Pain, 2022 (MMWR Recomm Rep 2022;71(3):1-95)"
    ),
    dup!(
        "nsaids",
        Major,
        "Two NSAIDs: more GI bleeding and renal injury without added analgesia.",
        "FDA NSAID class labeling Warnings; American Geriatrics Society 2023 Beers Criteria"
    ),
    dup!(
        "ppis",
        Moderate,
        "Two proton pump inhibitors: no added acid suppression.",
        "WHO ATC A02BC"
    ),
    dup!(
        "h2-blockers",
        Moderate,
        "Two H2 blockers: no added benefit.",
        "WHO ATC A02BA"
    ),
    dup!(
        "anticoagulants",
        Major,
        "Two anticoagulants: major bleeding unless this is a planned transition.",
        "FDA anticoagulant labels (switching between anticoagulants)"
    ),
    dup!(
        "p2y12-inhibitors",
        Major,
        "Two P2Y12 inhibitors: bleeding without added benefit (confirm a switch is in progress).",
        "FDA labels: Plavix, Effient, Brilinta (transitioning between P2Y12 inhibitors)"
    ),
    dup!(
        "sulfonylureas",
        Major,
        "Two sulfonylureas: severe hypoglycemia without added benefit.",
        "WHO ATC A10BB; ADA Standards of Care in Diabetes"
    ),
    dup!(
        "incretin-therapies",
        Moderate,
        "DPP-4 inhibitor with a GLP-1 receptor agonist (or two of either): no additional glucose lowering.",
        "ADA Standards of Care in Diabetes (do not combine DPP-4 inhibitors with GLP-1 RAs)"
    ),
    dup!(
        "sglt2-inhibitors",
        Moderate,
        "Two SGLT2 inhibitors: no added benefit; volume depletion.",
        "WHO ATC A10BK"
    ),
    dup!(
        "labas",
        Major,
        "Two long-acting beta2 agonist products: LABA overdose (tachycardia, arrhythmia, hypokalemia); check combination inhalers.",
        "FDA LABA labeling Warnings (do not use with another LABA-containing medicine)"
    ),
    dup!(
        "lamas",
        Moderate,
        "Two long-acting muscarinic antagonists: additive anticholinergic effects; check combination inhalers.",
        "FDA LAMA labeling (avoid other anticholinergic-containing drugs)"
    ),
    dup!(
        "bisphosphonates",
        Moderate,
        "Two bisphosphonates: no added benefit; more adverse effects.",
        "WHO ATC M05BA"
    ),
    dup!(
        "stimulants",
        Moderate,
        "Two stimulant products: additive cardiovascular effects (confirm intended IR/ER combination).",
        "WHO ATC N06BA"
    ),
    dup!(
        "triptans",
        Moderate,
        "Two triptans within 24 h are not recommended.",
        "FDA triptan labels Contraindications (another 5-HT1 agonist within 24 hours)"
    ),
    dup!(
        "muscle-relaxants",
        Moderate,
        "Two centrally acting muscle relaxants: additive sedation and falls.",
        "American Geriatrics Society 2023 Beers Criteria"
    ),
    dup!(
        "gabapentinoids",
        Moderate,
        "Gabapentin with pregabalin: additive sedation, dizziness, respiratory depression.",
        "FDA Drug Safety Communication 2019-12-19 (gabapentinoids)"
    ),
    dup!(
        "valproates",
        Major,
        "Valproic acid and divalproex are the same active moiety: overdose risk.",
        "FDA labels: Depakote, Depakene (valproate)"
    ),
    dup!(
        "xanthine-oxidase-inhibitors",
        Moderate,
        "Allopurinol with febuxostat: no added benefit.",
        "WHO ATC M04AA"
    ),
    dup!(
        "systemic-corticosteroids",
        Moderate,
        "Two systemic corticosteroids: additive adverse effects; confirm the intended regimen.",
        "WHO ATC H02AB"
    ),
    dup!(
        "loop-diuretics",
        Minor,
        "Two loop diuretics: no added benefit; volume and electrolyte depletion.",
        "WHO ATC C03C"
    ),
    dup!(
        "fluoroquinolones",
        Moderate,
        "Two fluoroquinolones: no added coverage; additive QT and tendon toxicity.",
        "WHO ATC J01MA"
    ),
];
