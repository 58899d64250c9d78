//! The checker: medications, allergies and eGFR in, sorted alerts out.

use std::collections::HashMap;

use crate::data::{allergy, classes, duplicates, renal, rules};
use crate::index::{Index, idx};
use crate::resolve::{hits_of, ingredients_of, norm_key};
use crate::{Alert, AlertKind, CheckInput, Severity};

/// One non-blank medication entry.
struct Entry<'a> {
    text: &'a str,
    /// Ingredient indices (empty: unknown).
    ingredients: Vec<usize>,
}

/// An alert plus its sort key.
struct Keyed {
    alert: Alert,
    first: usize,
    second: usize,
}

/// Runs every check. Alerts are sorted most severe first; ties are broken by kind
/// (drug-drug, drug-allergy, renal-dose, duplicate-therapy, unknown-drug), then by the position of
/// the entries in the input, then by rule id, so the order is deterministic.
pub fn check(input: &CheckInput) -> Vec<Alert> {
    let ix = idx();
    let entries: Vec<Entry> = input
        .medications
        .iter()
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
        .map(|text| {
            let norm = norm_key(text);
            let ingredients = if norm.is_empty() {
                Vec::new()
            } else {
                hits_of(&norm)
                    .map(|h| ingredients_of(&h))
                    .unwrap_or_default()
            };
            Entry { text, ingredients }
        })
        .collect();

    let mut out: Vec<Keyed> = Vec::new();
    unknown_medications(&entries, &mut out);
    drug_drug(ix, &entries, &mut out);
    drug_allergy(ix, &entries, input.allergies, &mut out);
    renal_dose(ix, &entries, input.egfr, &mut out);
    duplicate_therapy(ix, &entries, &mut out);

    out.sort_by(|x, y| {
        y.alert
            .severity
            .cmp(&x.alert.severity)
            .then(x.alert.kind.cmp(&y.alert.kind))
            .then(x.first.cmp(&y.first))
            .then(x.second.cmp(&y.second))
            .then(x.alert.rule.cmp(y.alert.rule))
            .then(x.alert.message.cmp(&y.alert.message))
    });
    out.into_iter().map(|k| k.alert).collect()
}

/// "Zocor (simvastatin)" or just "simvastatin" when the entry is the bare ingredient name.
fn display(entry_text: &str, ingredient: &str) -> String {
    if norm_key(entry_text) == norm_key(ingredient) {
        ingredient.to_string()
    } else {
        format!("{entry_text} ({ingredient})")
    }
}

fn unknown_medications(entries: &[Entry], out: &mut Vec<Keyed>) {
    for (i, e) in entries.iter().enumerate() {
        if e.ingredients.is_empty() {
            out.push(Keyed {
                alert: Alert {
                    kind: AlertKind::UnknownDrug,
                    severity: Severity::Major,
                    drugs: vec![e.text.to_string()],
                    ingredients: Vec::new(),
                    message: format!(
                        "\"{}\" was not recognised as a medication: no interaction, allergy, renal or duplicate checks were done for it. \
                         What to do: check the spelling or enter the generic (ingredient) name, and review this medication manually.",
                        e.text
                    ),
                    rule: "unknown-medication",
                    source: "Iris medication dictionary (no match)",
                },
                first: i,
                second: usize::MAX,
            });
        }
    }
}

fn drug_drug(ix: &Index, entries: &[Entry], out: &mut Vec<Keyed>) {
    for i in 0..entries.len() {
        for j in (i + 1)..entries.len() {
            // Best match per concern: group (or rule id when ungrouped) -> (rule, x, y).
            let mut best: HashMap<&'static str, (usize, usize, usize)> = HashMap::new();
            let mut order: Vec<&'static str> = Vec::new();
            for &x in &entries[i].ingredients {
                for &y in &entries[j].ingredients {
                    if x == y {
                        continue; // same ingredient twice: duplicate therapy, not an interaction
                    }
                    for &(ri, x_is_a) in &ix.rule_sides[x] {
                        let (a, b) = ix.rule_targets[ri];
                        let other = if x_is_a { b } else { a };
                        if !ix.matches(y, other) {
                            continue;
                        }
                        let r = &rules::INTERACTIONS[ri];
                        let key = r.group.unwrap_or(r.id);
                        match best.get(key) {
                            Some(&(prev, _, _)) => {
                                let p = &rules::INTERACTIONS[prev];
                                if r.severity > p.severity
                                    || (r.severity == p.severity && ri < prev)
                                {
                                    best.insert(key, (ri, x, y));
                                }
                            }
                            None => {
                                best.insert(key, (ri, x, y));
                                order.push(key);
                            }
                        }
                    }
                }
            }
            for key in order {
                let (ri, x, y) = best[key];
                let r = &rules::INTERACTIONS[ri];
                let (dx, dy) = (ix.drug(x).name, ix.drug(y).name);
                let message = format!(
                    "{} + {}: {} interaction. {} What to do: {}",
                    display(entries[i].text, dx),
                    display(entries[j].text, dy),
                    r.severity,
                    r.mechanism,
                    r.management
                );
                out.push(Keyed {
                    alert: Alert {
                        kind: AlertKind::DrugDrug,
                        severity: r.severity,
                        drugs: vec![entries[i].text.to_string(), entries[j].text.to_string()],
                        ingredients: vec![dx, dy],
                        message,
                        rule: r.id,
                        source: r.source,
                    },
                    first: i,
                    second: j,
                });
            }
        }
    }
}

/// Words dropped from allergy entries before matching ("penicillin allergy (hives)").
const ALLERGY_FILLER: &[&str] = &[
    "allergy",
    "allergies",
    "allergic",
    "allergen",
    "to",
    "intolerance",
    "intolerant",
    "hypersensitivity",
    "sensitivity",
    "reaction",
    "reactions",
    "rash",
    "hives",
    "urticaria",
    "anaphylaxis",
    "anaphylactic",
    "angioedema",
    "swelling",
    "itching",
    "itch",
    "pruritus",
    "nausea",
    "vomiting",
    "gi",
    "upset",
    "diarrhea",
    "sob",
    "shortness",
    "breath",
    "wheezing",
    "unknown",
    "severe",
    "mild",
    "moderate",
    "causes",
    "caused",
    "childhood",
    "as",
    "a",
    "child",
    "history",
    "of",
    "h",
    "o",
    "hx",
    "side",
    "effect",
    "effects",
    "sjs",
    "ten",
    "stevens-johnson",
    "syndrome",
    "throat",
    "tongue",
    "lip",
    "lips",
    "face",
    "facial",
    "breathing",
    "difficulty",
    "dizziness",
    "headache",
    "palpitations",
    "cough",
    "myalgia",
    "myalgias",
    "muscle",
    "aches",
    "class",
    "drugs",
    "drug",
    "family",
    "all",
    "any",
    "and",
    "or",
    "with",
    "per",
    "patient",
    "pt",
    "reports",
    "reported",
    "questionable",
    "possible",
    "probable",
    "suspected",
    "e",
    "g",
    "eg",
    "ie",
    "upset",
    "stomach",
    "blisters",
    "fever",
    "jaundice",
    "hepatitis",
    "nephritis",
    "dystonia",
    "confusion",
    "hallucinations",
    "edema",
    "lightheaded",
    "hypotension",
    "bradycardia",
    "tachycardia",
    "swollen",
    "red",
    "man",
    "flushing",
    "constipation",
];

struct Allergen<'a> {
    text: &'a str,
    /// Class word: class indices the patient is allergic to as a whole.
    term_classes: Vec<usize>,
    /// Ingredient allergens.
    ingredients: Vec<usize>,
}

fn classify_allergy<'a>(ix: &Index, text: &'a str) -> Option<Option<Allergen<'a>>> {
    let norm = norm_key(text);
    if norm.is_empty() || allergy::NO_ALLERGY_TERMS.contains(&norm.as_str()) {
        return Some(None);
    }
    let kept: Vec<&str> = norm
        .split(' ')
        .filter(|t| !ALLERGY_FILLER.contains(t))
        .collect();
    let core = kept.join(" ");
    for candidate in [norm.as_str(), core.as_str()] {
        if candidate.is_empty() {
            continue;
        }
        if allergy::NO_ALLERGY_TERMS.contains(&candidate)
            || allergy::NON_DRUG_ALLERGENS.contains(&candidate)
        {
            return Some(None);
        }
        if let Some(cs) = ix.allergy_terms.get(candidate) {
            return Some(Some(Allergen {
                text,
                term_classes: cs.clone(),
                ingredients: Vec::new(),
            }));
        }
        if let Some(h) = hits_of(candidate) {
            let ing = ingredients_of(&h);
            if !ing.is_empty() {
                return Some(Some(Allergen {
                    text,
                    term_classes: Vec::new(),
                    ingredients: ing,
                }));
            }
        }
    }
    // Several class words in one entry ("penicillins, sulfa"): each token as a term.
    let mut term_classes = Vec::new();
    let mut ingredients = Vec::new();
    for t in &kept {
        if let Some(cs) = ix.allergy_terms.get(*t) {
            term_classes.extend(cs.iter().copied());
            continue;
        }
        match hits_of(t) {
            // Empty hits: a filler word.
            Some(h) => ingredients.extend(ingredients_of(&h)),
            None if allergy::NON_DRUG_ALLERGENS.contains(t) => {}
            None => return None,
        }
    }
    if term_classes.is_empty() && ingredients.is_empty() {
        return None;
    }
    Some(Some(Allergen {
        text,
        term_classes,
        ingredients,
    }))
}

fn drug_allergy(ix: &Index, entries: &[Entry], allergies: &[&str], out: &mut Vec<Keyed>) {
    let mut allergens = Vec::new();
    for (ai, raw) in allergies.iter().enumerate() {
        let text = raw.trim();
        if text.is_empty() {
            continue;
        }
        match classify_allergy(ix, text) {
            Some(Some(a)) => allergens.push((ai, a)),
            Some(None) => {}
            None => out.push(Keyed {
                alert: Alert {
                    kind: AlertKind::UnknownDrug,
                    severity: Severity::Major,
                    drugs: vec![text.to_string()],
                    ingredients: Vec::new(),
                    message: format!(
                        "Allergy entry \"{text}\" was not recognised as an allergen: no drug-allergy checks were done for it. \
                         What to do: record the allergy as an ingredient, brand or drug class name (e.g. \"penicillin\", \"sulfa\", \"NSAIDs\") \
                         and review the medication list against it manually."
                    ),
                    rule: "unknown-allergen",
                    source: "Iris medication dictionary and allergy class table (no match)",
                },
                first: usize::MAX - 1,
                second: ai,
            }),
        }
    }

    for (ei, e) in entries.iter().enumerate() {
        for (ai, a) in &allergens {
            // Most severe finding per (medication entry, allergy entry).
            let mut best: Option<(Severity, usize, String, &'static str, &'static str)> = None;
            let mut consider =
                |sev: Severity, ing: usize, msg: String, rule: &'static str, src: &'static str| {
                    if best.as_ref().is_none_or(|b| sev > b.0) {
                        best = Some((sev, ing, msg, rule, src));
                    }
                };
            // Classes implied by the allergen: class words, or every allergy class of the ingredient(s).
            let derived: Vec<usize> = a
                .ingredients
                .iter()
                .flat_map(|&d| ix.drug_classes[d].iter().copied())
                .filter(|c| ix.allergy_class.contains_key(c))
                .collect();
            for &m in &e.ingredients {
                let mname = ix.drug(m).name;
                let shown = display(e.text, mname);
                if a.ingredients.contains(&m) {
                    consider(
                        Severity::Contraindicated,
                        m,
                        format!(
                            "{shown}: documented allergy \"{}\" to {mname}. What to do: do not give; choose an alternative and confirm the reaction history.",
                            a.text
                        ),
                        "allergy-ingredient",
                        "Documented patient allergy (same ingredient)",
                    );
                    continue;
                }
                for &c in &a.term_classes {
                    if ix.in_class(m, c) {
                        let ac = &allergy::ALLERGY_CLASSES[ix.allergy_class[&c]];
                        let cname = classes::CLASSES[c].name;
                        consider(
                            ac.by_class_term,
                            m,
                            format!(
                                "{shown}: documented allergy \"{}\" covers {cname}, and {mname} is one of them. What to do: do not give unless the allergy \
                                 has been evaluated and cleared; choose a drug from another class.",
                                a.text
                            ),
                            "allergy-class",
                            ac.source,
                        );
                    }
                }
                for &c in &derived {
                    if ix.in_class(m, c) {
                        let ac = &allergy::ALLERGY_CLASSES[ix.allergy_class[&c]];
                        let cname = classes::CLASSES[c].name;
                        consider(
                            ac.by_member,
                            m,
                            format!(
                                "{shown}: documented allergy \"{}\" is to a drug of the same class ({cname}); cross-sensitivity within the class is likely. \
                                 What to do: avoid unless the reaction was a non-allergic intolerance or allergy evaluation allows it; choose another class.",
                                a.text
                            ),
                            "allergy-class-member",
                            ac.source,
                        );
                    }
                }
                let from_classes = a.term_classes.iter().chain(derived.iter());
                for &fc in from_classes {
                    for (ri, &(from, to)) in ix.allergy_cross.iter().enumerate() {
                        if from == fc && ix.matches(m, to) {
                            let r = &allergy::ALLERGY_CROSS[ri];
                            consider(
                                r.severity,
                                m,
                                format!(
                                    "{shown} with documented allergy \"{}\": {}",
                                    a.text, r.message
                                ),
                                r.id,
                                r.source,
                            );
                        }
                    }
                }
            }
            if let Some((severity, ing, message, rule, source)) = best {
                out.push(Keyed {
                    alert: Alert {
                        kind: AlertKind::DrugAllergy,
                        severity,
                        drugs: vec![e.text.to_string(), a.text.to_string()],
                        ingredients: vec![ix.drug(ing).name],
                        message,
                        rule,
                        source,
                    },
                    first: ei,
                    second: *ai,
                });
            }
        }
    }
}

fn band(min: f64, max: f64) -> String {
    if max.is_infinite() {
        format!("eGFR {min} or above")
    } else if min <= 0.0 {
        format!("eGFR below {max}")
    } else {
        format!("eGFR {min} to below {max}")
    }
}

fn renal_dose(ix: &Index, entries: &[Entry], egfr: Option<f64>, out: &mut Vec<Keyed>) {
    let Some(egfr) = egfr else { return };
    if !egfr.is_finite() || egfr < 0.0 {
        out.push(Keyed {
            alert: Alert {
                kind: AlertKind::RenalDose,
                severity: Severity::Moderate,
                drugs: Vec::new(),
                ingredients: Vec::new(),
                message: "The eGFR value given is not a valid number: renal dose checks were not performed. \
                          What to do: re-enter the eGFR (mL/min/1.73m²) and review renally cleared drugs manually."
                    .to_string(),
                rule: "renal-invalid-egfr",
                source: "Iris input validation",
            },
            first: 0,
            second: 0,
        });
        return;
    }
    for (ei, e) in entries.iter().enumerate() {
        let mut seen: Vec<usize> = Vec::new();
        for &m in &e.ingredients {
            for &ri in &ix.renal_by_drug[m] {
                let r = &renal::RENAL_RULES[ri];
                if egfr >= r.min && egfr < r.max && !seen.contains(&ri) {
                    seen.push(ri);
                    let mname = ix.drug(m).name;
                    out.push(Keyed {
                        alert: Alert {
                            kind: AlertKind::RenalDose,
                            severity: r.severity,
                            drugs: vec![e.text.to_string()],
                            ingredients: vec![mname],
                            message: format!(
                                "{} at {}: {}",
                                display(e.text, mname),
                                band(r.min, r.max),
                                r.message
                            ),
                            rule: r.id,
                            source: r.source,
                        },
                        first: ei,
                        second: ri,
                    });
                }
            }
        }
    }
}

fn duplicate_therapy(ix: &Index, entries: &[Entry], out: &mut Vec<Keyed>) {
    // Same ingredient on two or more entries.
    let mut by_ingredient: Vec<(usize, Vec<usize>)> = Vec::new();
    for (ei, e) in entries.iter().enumerate() {
        for &m in &e.ingredients {
            match by_ingredient.iter_mut().find(|(d, _)| *d == m) {
                Some((_, v)) => v.push(ei),
                None => by_ingredient.push((m, vec![ei])),
            }
        }
    }
    for (m, es) in &by_ingredient {
        if es.len() < 2 {
            continue;
        }
        let name = ix.drug(*m).name;
        let listed: Vec<String> = es
            .iter()
            .map(|&i| format!("\"{}\"", entries[i].text))
            .collect();
        out.push(Keyed {
            alert: Alert {
                kind: AlertKind::DuplicateTherapy,
                severity: Severity::Major,
                drugs: es.iter().map(|&i| entries[i].text.to_string()).collect(),
                ingredients: vec![name],
                message: format!(
                    "{name} appears in {} entries ({}): risk of double dosing. What to do: confirm the total daily dose and keep a single entry.",
                    es.len(),
                    listed.join(", ")
                ),
                rule: "duplicate-ingredient",
                source: "Same RxNorm ingredient on more than one medication entry",
            },
            first: es[0],
            second: es[1],
        });
    }

    // Two different members of a duplicate-therapy class on different entries.
    for &(ci, di) in &ix.duplicate {
        let members: Vec<(usize, Vec<usize>)> = entries
            .iter()
            .enumerate()
            .map(|(ei, e)| {
                (
                    ei,
                    e.ingredients
                        .iter()
                        .copied()
                        .filter(|&m| ix.in_class(m, ci))
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let mut involved: Vec<usize> = Vec::new();
        let mut ings: Vec<&'static str> = Vec::new();
        for (p, (ei, si)) in members.iter().enumerate() {
            for (ej, sj) in members.iter().skip(p + 1) {
                if si.iter().any(|a| sj.iter().any(|b| a != b)) {
                    for e in [*ei, *ej] {
                        if !involved.contains(&e) {
                            involved.push(e);
                        }
                    }
                    for &m in si.iter().chain(sj.iter()) {
                        let n = ix.drug(m).name;
                        if !ings.contains(&n) {
                            ings.push(n);
                        }
                    }
                }
            }
        }
        if involved.len() < 2 {
            continue;
        }
        involved.sort_unstable();
        let d = &duplicates::DUPLICATE_CLASSES[di];
        let cname = classes::CLASSES[ci].name;
        let listed: Vec<String> = involved
            .iter()
            .map(|&i| format!("\"{}\"", entries[i].text))
            .collect();
        out.push(Keyed {
            alert: Alert {
                kind: AlertKind::DuplicateTherapy,
                severity: d.severity,
                drugs: involved.iter().map(|&i| entries[i].text.to_string()).collect(),
                ingredients: ings.clone(),
                message: format!(
                    "Duplicate therapy ({cname}): {} ({}). {} What to do: confirm both are intended (e.g. a switch in progress); otherwise keep one.",
                    listed.join(", "),
                    ings.join(", "),
                    d.rationale
                ),
                rule: d.class,
                source: d.source,
            },
            first: involved[0],
            second: involved[1],
        });
    }
}
