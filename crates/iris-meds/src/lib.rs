//! Medication safety for Iris: a curated, versioned knowledge base and pure checking functions.
//!
//! No IO, no network, no clock, no dependencies: the same input always gives the same alerts.
//! Called by `iris meds check` and by the chart UI.
//!
//! # What it checks
//! * **drug-drug**: rules written per class (class x class, class x drug, drug x drug), with
//!   severity, mechanism, management and source. All 15 interactions of the ONC high-priority
//!   list (Phansalkar 2012) are covered at contraindicated or major severity, for every class
//!   member, not only the members the list names.
//! * **drug-allergy**: ingredient match, class match ("penicillin" flags amoxicillin), and
//!   cross-sensitivity (penicillin -> cephalosporins/carbapenems; sulfonamide antibiotics ->
//!   non-antibiotic sulfonamides only as a minor note; aspirin/NSAID -> other NSAIDs).
//! * **renal-dose**: eGFR thresholds from FDA labeling and the Beers Criteria.
//! * **duplicate-therapy**: the same ingredient twice (e.g. "Zocor" and "simvastatin 20 mg"), or
//!   two members of a class where duplication is a warning.
//! * **unknown-drug**: every medication or allergy entry that cannot be resolved gets an alert;
//!   nothing is silently skipped.
//!
//! # Choices (documented for callers)
//! * [`Alert::drugs`] holds the entries exactly as the caller wrote them (trimmed): one or two
//!   medications, and for drug-allergy alerts the medication followed by the allergy entry.
//!   [`Alert::ingredients`] holds the resolved RxNorm ingredient names that triggered the alert.
//! * Unknown medications and allergens are reported at **major** severity: every check for that
//!   entry was skipped, which a clinician must see before relying on the result.
//! * An invalid eGFR (NaN, negative, infinite) gives a moderate renal-dose alert saying renal
//!   checks were not performed. A missing eGFR (`None`) means no renal checks.
//! * Blank entries are ignored. Allergy entries that say "NKDA"/"none", or name a recognised
//!   non-drug allergen (latex, foods, ...), produce no alert.
//! * Ingredients inside one combination product are not checked against each other (the product
//!   is designed that way); every pair across different entries is.
//! * When several rules about the same concern (e.g. serotonin toxicity) match the same two
//!   entries, only the most severe is reported.
//! * Messages name the drugs and say what to do; they contain no patient data (the eGFR value is
//!   never echoed, only the threshold band).

mod check;
pub mod data;
mod index;
mod resolve;

use std::cmp::Ordering;

pub use check::check;
pub use resolve::resolve;

/// Version of the knowledge tables. Bump when any table changes.
pub const KNOWLEDGE_VERSION: &str = "2026.12";

/// Alert severity. Ordering: `Contraindicated > Major > Moderate > Minor` (greater = more severe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Contraindicated,
    Major,
    Moderate,
    Minor,
}

impl Severity {
    /// `"contraindicated" | "major" | "moderate" | "minor"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Contraindicated => "contraindicated",
            Severity::Major => "major",
            Severity::Moderate => "moderate",
            Severity::Minor => "minor",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Severity::Contraindicated => 3,
            Severity::Major => 2,
            Severity::Moderate => 1,
            Severity::Minor => 0,
        }
    }
}

impl Ord for Severity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl PartialOrd for Severity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of problem an alert reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlertKind {
    DrugDrug,
    DrugAllergy,
    RenalDose,
    DuplicateTherapy,
    UnknownDrug,
}

impl AlertKind {
    /// `"drug-drug" | "drug-allergy" | "renal-dose" | "duplicate-therapy" | "unknown-drug"`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::DrugDrug => "drug-drug",
            AlertKind::DrugAllergy => "drug-allergy",
            AlertKind::RenalDose => "renal-dose",
            AlertKind::DuplicateTherapy => "duplicate-therapy",
            AlertKind::UnknownDrug => "unknown-drug",
        }
    }
}

impl std::fmt::Display for AlertKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub kind: AlertKind,
    pub severity: Severity,
    /// The entries involved, as the caller wrote them (trimmed). Drug-allergy: the medication,
    /// then the allergy entry. Duplicate therapy: every entry of the duplicated ingredient/class.
    /// Unknown allergen: the allergy entry. Invalid eGFR: empty.
    pub drugs: Vec<String>,
    /// The RxNorm ingredient names that triggered the alert (empty for unknown-drug alerts).
    pub ingredients: Vec<&'static str>,
    /// Names the drugs, explains the problem and says what to do. No patient data.
    pub message: String,
    /// Stable identifier of the rule that fired (e.g. `"onc-statin-cyp3a4"`).
    pub rule: &'static str,
    /// Citation of the source the rule was curated from.
    pub source: &'static str,
}

/// Input of [`check`]. Medications and allergies are free text as clinicians write them:
/// ingredient or brand names, optionally with salt, strength, form and sig text.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckInput<'a> {
    pub medications: &'a [&'a str],
    pub allergies: &'a [&'a str],
    /// Estimated GFR in mL/min/1.73m² (`None`: unknown, no renal checks).
    pub egfr: Option<f64>,
}

/// One ingredient of the dictionary.
#[derive(Debug)]
pub struct Drug {
    /// RxNorm ingredient (IN) name, lower case.
    pub name: &'static str,
    /// RxNorm ingredient RxCUI, only where cross-checked (see [`data::RXCUI_PROVENANCE`]).
    pub rxcui: Option<&'static str>,
    /// US brand names of single-ingredient products.
    pub brands: &'static [&'static str],
    /// Other names that denote exactly this ingredient (INN/BAN names, abbreviations).
    pub aliases: &'static [&'static str],
    /// Why the entry is in the dictionary and where its names come from.
    pub source: &'static str,
}

impl Drug {
    /// The classes this ingredient belongs to (computed from the class tables).
    pub fn classes(&self) -> Vec<&'static Class> {
        index::classes_of_name(self.name)
    }
}

/// A combination product (brand or shorthand) and its ingredients.
#[derive(Debug)]
pub struct Combination {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// RxNorm ingredient names.
    pub ingredients: &'static [&'static str],
    pub source: &'static str,
}

/// A drug class with every member listed.
#[derive(Debug)]
pub struct Class {
    pub id: &'static str,
    pub name: &'static str,
    /// RxNorm ingredient names of every member.
    pub members: &'static [&'static str],
    pub source: &'static str,
}

/// A rule side: one ingredient or a whole class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An RxNorm ingredient name.
    Drug(&'static str),
    /// A class id.
    Class(&'static str),
}

/// A drug-drug interaction rule (unordered pair).
#[derive(Debug)]
pub struct InteractionRule {
    pub id: &'static str,
    pub a: Target,
    pub b: Target,
    pub severity: Severity,
    /// Clinical concern; among matching rules of one group only the most severe is reported.
    pub group: Option<&'static str>,
    /// Whether the rule implements an interaction of the ONC high-priority list.
    pub onc: bool,
    pub mechanism: &'static str,
    pub management: &'static str,
    pub source: &'static str,
}

/// An allergy-list word that denotes a class.
#[derive(Debug)]
pub struct AllergyTerm {
    pub term: &'static str,
    pub classes: &'static [&'static str],
}

/// How an allergy propagates within a class.
#[derive(Debug)]
pub struct AllergyClass {
    pub class: &'static str,
    /// Severity when the allergy was recorded as the class word and a member is prescribed.
    pub by_class_term: Severity,
    /// Severity when the allergy was recorded as one member and another member is prescribed.
    pub by_member: Severity,
    pub source: &'static str,
}

/// Cross-sensitivity from an allergy class to other drugs.
#[derive(Debug)]
pub struct AllergyCrossRule {
    pub id: &'static str,
    /// Allergy class the patient is allergic to.
    pub from: &'static str,
    /// Drugs that may cross-react.
    pub to: Target,
    pub severity: Severity,
    /// The cross-sensitivity and what to do (a full sentence, shown after the drug and allergy).
    pub message: &'static str,
    pub source: &'static str,
}

/// A renal dose rule: applies when `min <= eGFR < max`.
#[derive(Debug)]
pub struct RenalRule {
    pub id: &'static str,
    pub target: Target,
    pub min: f64,
    pub max: f64,
    pub severity: Severity,
    /// Completes "<drug>: eGFR band: ...": the problem and what to do.
    pub message: &'static str,
    pub source: &'static str,
}

/// A class where two members together are a duplication warning.
#[derive(Debug)]
pub struct DuplicateClass {
    pub class: &'static str,
    pub severity: Severity,
    pub rationale: &'static str,
    pub source: &'static str,
}

/// Result of resolving a medication name.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// One ingredient (ingredient name, brand, alias, salt form, with or without strength text).
    Single(&'static Drug),
    /// Several ingredients: a combination brand ("Percocet") or a written combination
    /// ("hydrocodone/acetaminophen 5/325").
    Combination(Vec<&'static Drug>),
    /// Not recognised.
    Unknown,
}

impl PartialEq for Drug {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Resolution {
    /// The ingredients (empty when unknown).
    pub fn ingredients(&self) -> Vec<&'static Drug> {
        match self {
            Resolution::Single(d) => vec![*d],
            Resolution::Combination(v) => v.clone(),
            Resolution::Unknown => Vec::new(),
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Resolution::Unknown)
    }
}

/// The ingredient dictionary.
pub fn drugs() -> &'static [Drug] {
    data::drugs::DRUGS
}

/// Combination products.
pub fn combinations() -> &'static [Combination] {
    data::drugs::COMBINATIONS
}

/// Class tables.
pub fn classes() -> &'static [Class] {
    data::classes::CLASSES
}

/// Drug-drug rules.
pub fn interaction_rules() -> &'static [InteractionRule] {
    data::rules::INTERACTIONS
}

/// Renal dose rules.
pub fn renal_rules() -> &'static [RenalRule] {
    data::renal::RENAL_RULES
}

/// Duplicate-therapy classes.
pub fn duplicate_classes() -> &'static [DuplicateClass] {
    data::duplicates::DUPLICATE_CLASSES
}

/// Allergy class words.
pub fn allergy_terms() -> &'static [AllergyTerm] {
    data::allergy::ALLERGY_TERMS
}

/// Within-class allergy propagation.
pub fn allergy_classes() -> &'static [AllergyClass] {
    data::allergy::ALLERGY_CLASSES
}

/// Cross-sensitivity rules.
pub fn allergy_cross_rules() -> &'static [AllergyCrossRule] {
    data::allergy::ALLERGY_CROSS
}

/// The ingredient with exactly this RxNorm name (case-insensitive), without fuzzy resolution.
pub fn ingredient(name: &str) -> Option<&'static Drug> {
    index::drug_by_name(&name.trim().to_lowercase())
}

/// The class with this id.
pub fn class(id: &str) -> Option<&'static Class> {
    index::class_by_id(id)
}

/// Consistency problems found when the lookup tables were built: dangling ingredient or class
/// names, duplicate ids, name collisions. Empty for a valid knowledge base (tests assert it).
pub fn knowledge_problems() -> &'static [String] {
    index::problems()
}
