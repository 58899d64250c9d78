//! Drug-allergy knowledge: class words clinicians write on allergy lists, how strongly an
//! allergy propagates within a class, and cross-sensitivity between classes.

use crate::{AllergyClass, AllergyCrossRule, AllergyTerm, Severity, Target};

use Severity::{Contraindicated, Major, Minor, Moderate};

const PRACTICE_PARAMETER: &str = "Khan DA, et al. Drug allergy: a 2022 practice parameter update. J Allergy Clin Immunol 2022;150:1333-1393";

macro_rules! term {
    ($term:literal, [$($c:literal),+]) => {
        AllergyTerm { term: $term, classes: &[$($c),+] }
    };
}

/// Allergy-list words that mean a whole class (matched on the whole normalized entry, after
/// words like "allergy" or a reaction in parentheses are dropped).
pub static ALLERGY_TERMS: &[AllergyTerm] = &[
    term!("penicillin", ["penicillins"]),
    term!("penicillins", ["penicillins"]),
    term!("pcn", ["penicillins"]),
    term!("pen", ["penicillins"]),
    term!("sulfa", ["sulfonamide-antibiotics"]),
    term!("sulpha", ["sulfonamide-antibiotics"]),
    term!("sulfa drugs", ["sulfonamide-antibiotics"]),
    term!("sulfa antibiotics", ["sulfonamide-antibiotics"]),
    term!("sulfonamide", ["sulfonamide-antibiotics"]),
    term!("sulfonamides", ["sulfonamide-antibiotics"]),
    term!("sulphonamide", ["sulfonamide-antibiotics"]),
    term!("sulphonamides", ["sulfonamide-antibiotics"]),
    term!("sulfonamide antibiotics", ["sulfonamide-antibiotics"]),
    term!("nsaid", ["nsaid-cross-reactive"]),
    term!("nsaids", ["nsaid-cross-reactive"]),
    term!(
        "non-steroidal anti-inflammatory drugs",
        ["nsaid-cross-reactive"]
    ),
    term!(
        "nonsteroidal anti-inflammatory drugs",
        ["nsaid-cross-reactive"]
    ),
    term!(
        "nonsteroidal anti-inflammatory drug",
        ["nsaid-cross-reactive"]
    ),
    term!("cephalosporin", ["cephalosporins"]),
    term!("cephalosporins", ["cephalosporins"]),
    term!("carbapenem", ["carbapenems"]),
    term!("carbapenems", ["carbapenems"]),
    term!(
        "beta-lactam",
        ["penicillins", "cephalosporins", "carbapenems"]
    ),
    term!(
        "beta-lactams",
        ["penicillins", "cephalosporins", "carbapenems"]
    ),
    term!(
        "beta lactam",
        ["penicillins", "cephalosporins", "carbapenems"]
    ),
    term!(
        "beta lactams",
        ["penicillins", "cephalosporins", "carbapenems"]
    ),
    term!("fluoroquinolone", ["fluoroquinolones"]),
    term!("fluoroquinolones", ["fluoroquinolones"]),
    term!("quinolone", ["fluoroquinolones"]),
    term!("quinolones", ["fluoroquinolones"]),
    term!("macrolide", ["macrolides"]),
    term!("macrolides", ["macrolides"]),
    term!("tetracyclines", ["tetracyclines"]),
    term!("aminoglycoside", ["aminoglycosides"]),
    term!("aminoglycosides", ["aminoglycosides"]),
    term!("ace inhibitor", ["ace-inhibitors"]),
    term!("ace inhibitors", ["ace-inhibitors"]),
    term!("acei", ["ace-inhibitors"]),
    term!("ace-i", ["ace-inhibitors"]),
    term!("arb", ["arbs"]),
    term!("arbs", ["arbs"]),
    term!("statin", ["statins"]),
    term!("statins", ["statins"]),
    term!("opioid", ["opioids"]),
    term!("opioids", ["opioids"]),
    term!("opiate", ["opioids"]),
    term!("opiates", ["opioids"]),
    term!("narcotic", ["opioids"]),
    term!("narcotics", ["opioids"]),
    term!("benzodiazepine", ["benzodiazepines"]),
    term!("benzodiazepines", ["benzodiazepines"]),
    term!("benzos", ["benzodiazepines"]),
    term!("sulfonylurea", ["sulfonylureas"]),
    term!("sulfonylureas", ["sulfonylureas"]),
    term!("aromatic antiepileptics", ["aromatic-antiepileptics"]),
    term!("aromatic anticonvulsants", ["aromatic-antiepileptics"]),
];

/// How an allergy propagates within a class: `by_class_term` when the allergy was recorded as the
/// class word ("penicillin"), `by_member` when it was recorded as one member ("amoxicillin") and
/// another member is prescribed. The same ingredient is always contraindicated.
pub static ALLERGY_CLASSES: &[AllergyClass] = &[
    AllergyClass {
        class: "penicillins",
        by_class_term: Contraindicated,
        by_member: Major,
        source: PRACTICE_PARAMETER,
    },
    AllergyClass {
        class: "cephalosporins",
        by_class_term: Contraindicated,
        by_member: Major,
        source: PRACTICE_PARAMETER,
    },
    AllergyClass {
        class: "carbapenems",
        by_class_term: Contraindicated,
        by_member: Major,
        source: PRACTICE_PARAMETER,
    },
    AllergyClass {
        class: "sulfonamide-antibiotics",
        by_class_term: Contraindicated,
        by_member: Major,
        source: PRACTICE_PARAMETER,
    },
    AllergyClass {
        class: "nsaid-cross-reactive",
        by_class_term: Contraindicated,
        by_member: Major,
        source: PRACTICE_PARAMETER,
    },
    AllergyClass {
        class: "fluoroquinolones",
        by_class_term: Contraindicated,
        by_member: Major,
        source: PRACTICE_PARAMETER,
    },
    AllergyClass {
        class: "macrolides",
        by_class_term: Contraindicated,
        by_member: Major,
        source: PRACTICE_PARAMETER,
    },
    AllergyClass {
        class: "tetracyclines",
        by_class_term: Contraindicated,
        by_member: Moderate,
        source: PRACTICE_PARAMETER,
    },
    AllergyClass {
        class: "aminoglycosides",
        by_class_term: Contraindicated,
        by_member: Moderate,
        source: PRACTICE_PARAMETER,
    },
    AllergyClass {
        class: "ace-inhibitors",
        by_class_term: Contraindicated,
        by_member: Major,
        source: "FDA labels of ACE inhibitors Contraindications (history of angioedema related to previous ACE inhibitor treatment)",
    },
    AllergyClass {
        class: "arbs",
        by_class_term: Contraindicated,
        by_member: Moderate,
        source: "FDA labels of ARBs Contraindications (hypersensitivity)",
    },
    AllergyClass {
        class: "statins",
        by_class_term: Contraindicated,
        by_member: Moderate,
        source: "FDA statin labels Contraindications (hypersensitivity)",
    },
    AllergyClass {
        class: "opioids",
        by_class_term: Major,
        by_member: Minor,
        source: PRACTICE_PARAMETER,
    },
    AllergyClass {
        class: "opioid-phenanthrenes",
        by_class_term: Major,
        by_member: Moderate,
        source: PRACTICE_PARAMETER,
    },
    AllergyClass {
        class: "benzodiazepines",
        by_class_term: Contraindicated,
        by_member: Moderate,
        source: "FDA benzodiazepine labels Contraindications (hypersensitivity)",
    },
    AllergyClass {
        class: "sulfonylureas",
        by_class_term: Contraindicated,
        by_member: Moderate,
        source: "FDA sulfonylurea labels Contraindications (hypersensitivity)",
    },
    AllergyClass {
        class: "aromatic-antiepileptics",
        by_class_term: Contraindicated,
        by_member: Major,
        source: "FDA labels Warnings: Tegretol (carbamazepine), Trileptal (oxcarbazepine), Dilantin (phenytoin) - cross-sensitivity of serious skin reactions; Khan DA, et al. J Allergy Clin Immunol 2022;150:1333-1393",
    },
];

/// Cross-sensitivity between classes (applied after the within-class check).
pub static ALLERGY_CROSS: &[AllergyCrossRule] = &[
    AllergyCrossRule {
        id: "pcn-ceph-side-chain",
        from: "penicillins",
        to: Target::Class("cephalosporins-aminopenicillin-side-chain"),
        severity: Moderate,
        message: "This cephalosporin shares an R1 side chain with amoxicillin/ampicillin, so cross-reactivity is higher than for other cephalosporins. \
                  What to do: avoid if the penicillin reaction was to amoxicillin/ampicillin or was severe; otherwise choose a cephalosporin \
                  with a dissimilar side chain, or give a test dose / refer for penicillin allergy evaluation.",
        source: PRACTICE_PARAMETER,
    },
    AllergyCrossRule {
        id: "pcn-ceph",
        from: "penicillins",
        to: Target::Class("cephalosporins"),
        severity: Moderate,
        message: "Cephalosporin cross-reactivity in penicillin allergy is about 1-2%, driven mostly by side chains (first-generation agents such \
                  as cephalexin and cefadroxil carry the highest risk; cefazolin has a unique side chain). \
                  What to do: clarify the reaction; for non-severe histories a cephalosporin with a dissimilar side chain may be given with monitoring; \
                  avoid after severe reactions (anaphylaxis, SJS/TEN) unless cleared by allergy evaluation.",
        source: PRACTICE_PARAMETER,
    },
    AllergyCrossRule {
        id: "pcn-carbapenem",
        from: "penicillins",
        to: Target::Class("carbapenems"),
        severity: Minor,
        message: "Carbapenem cross-reactivity in penicillin allergy is below 1%. \
                  What to do: may be given without testing in most patients; monitor after the first dose.",
        source: PRACTICE_PARAMETER,
    },
    AllergyCrossRule {
        id: "ceph-pcn",
        from: "cephalosporins",
        to: Target::Class("penicillins"),
        severity: Minor,
        message: "Penicillin cross-reactivity in cephalosporin allergy is low and side-chain dependent. \
                  What to do: check whether the penicillin shares the R1 side chain of the culprit cephalosporin (e.g. amoxicillin and cephalexin); \
                  if so avoid, otherwise give with monitoring.",
        source: PRACTICE_PARAMETER,
    },
    AllergyCrossRule {
        id: "ceph-carbapenem",
        from: "cephalosporins",
        to: Target::Class("carbapenems"),
        severity: Minor,
        message: "Carbapenem cross-reactivity in cephalosporin allergy is below 1%. What to do: may be given with monitoring.",
        source: PRACTICE_PARAMETER,
    },
    AllergyCrossRule {
        id: "sulfa-nonantibiotic",
        from: "sulfonamide-antibiotics",
        to: Target::Class("sulfonamide-nonantibiotics"),
        severity: Minor,
        message: "This is a non-antibiotic sulfonamide; there is no evidence of immunologic cross-reactivity with sulfonamide antibiotics \
                  (reactions are no more frequent than in patients allergic to penicillin). What to do: it may be used as usual; no test dose needed.",
        source: "Strom BL, et al. Absence of cross-reactivity between sulfonamide antibiotics and sulfonamide nonantibiotics. N Engl J Med 2003;349:1628-1635; Khan DA, et al. J Allergy Clin Immunol 2022;150:1333-1393",
    },
];

/// Entries that say "no allergies": they produce no alert.
pub static NO_ALLERGY_TERMS: &[&str] = &[
    "nkda",
    "nka",
    "nkfa",
    "none",
    "no known allergies",
    "no known drug allergies",
    "no allergies",
    "no drug allergies",
    "nil known",
];

/// Recognised allergens that are not medications in this dictionary (foods, environment,
/// materials). They produce no drug-allergy alert: no medication here cross-reacts with them.
pub static NON_DRUG_ALLERGENS: &[&str] = &[
    "latex",
    "shellfish",
    "seafood",
    "fish",
    "egg",
    "eggs",
    "peanut",
    "peanuts",
    "tree nut",
    "tree nuts",
    "nuts",
    "milk",
    "dairy",
    "soy",
    "wheat",
    "gluten",
    "bee sting",
    "bee stings",
    "bees",
    "wasp",
    "wasps",
    "pollen",
    "seasonal",
    "dust",
    "dust mites",
    "mold",
    "cat",
    "cats",
    "dog",
    "dogs",
    "adhesive",
    "tape",
    "adhesive tape",
    "nickel",
    "strawberries",
    "food",
    // Iodinated contrast: no medication in this dictionary is a contrast agent, and "iodine" or
    // shellfish allergy does not cross-react with any drug here.
    "iodine",
    "contrast",
    "contrast dye",
    "contrast media",
    "iodinated contrast",
    "iv contrast",
];
