//! Lookup structures built once, lazily, from the static tables.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::data::{allergy, classes, drugs, duplicates, renal, rules};
use crate::resolve::norm_key;
use crate::{Class, Drug, Target};

/// What a normalized name denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hit {
    Drug(usize),
    Combo(usize),
}

/// A rule side resolved to indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rt {
    Drug(usize),
    Class(usize),
    /// Names nothing known (a knowledge bug; reported in `problems`, never matches).
    Dangling,
}

#[derive(Debug)]
pub(crate) struct Index {
    pub names: HashMap<String, Hit>,
    pub max_words: usize,
    pub drug_by_name: HashMap<&'static str, usize>,
    pub class_by_id: HashMap<&'static str, usize>,
    /// Sorted class indices per drug.
    pub drug_classes: Vec<Vec<usize>>,
    pub combo_ingredients: Vec<Vec<usize>>,
    /// Per drug: (rule index, true if the drug matches side `a`, false for side `b`).
    pub rule_sides: Vec<Vec<(usize, bool)>>,
    pub rule_targets: Vec<(Rt, Rt)>,
    /// Per drug: renal rule indices.
    pub renal_by_drug: Vec<Vec<usize>>,
    /// Normalized allergy class words -> class indices.
    pub allergy_terms: HashMap<String, Vec<usize>>,
    /// Class index -> index into `ALLERGY_CLASSES`.
    pub allergy_class: HashMap<usize, usize>,
    /// Cross rules: (from class index, to target).
    pub allergy_cross: Vec<(usize, Rt)>,
    /// Duplicate classes resolved: (class index, index into DUPLICATE_CLASSES).
    pub duplicate: Vec<(usize, usize)>,
    pub problems: Vec<String>,
}

pub(crate) static INDEX: LazyLock<Index> = LazyLock::new(build);

pub(crate) fn idx() -> &'static Index {
    &INDEX
}

impl Index {
    pub fn drug(&self, i: usize) -> &'static Drug {
        &drugs::DRUGS[i]
    }

    pub fn in_class(&self, drug: usize, class: usize) -> bool {
        self.drug_classes[drug].binary_search(&class).is_ok()
    }

    pub fn matches(&self, drug: usize, t: Rt) -> bool {
        match t {
            Rt::Drug(d) => d == drug,
            Rt::Class(c) => self.in_class(drug, c),
            Rt::Dangling => false,
        }
    }
}

fn build() -> Index {
    let mut problems = Vec::new();
    let mut drug_by_name = HashMap::new();
    for (i, d) in drugs::DRUGS.iter().enumerate() {
        if d.name != d.name.to_lowercase() || d.name.trim() != d.name || d.name.is_empty() {
            problems.push(format!("drug name not lower case/trimmed: {:?}", d.name));
        }
        if drug_by_name.insert(d.name, i).is_some() {
            problems.push(format!("duplicate drug name: {}", d.name));
        }
    }
    let mut class_by_id = HashMap::new();
    let mut drug_classes = vec![Vec::new(); drugs::DRUGS.len()];
    for (ci, c) in classes::CLASSES.iter().enumerate() {
        if class_by_id.insert(c.id, ci).is_some() {
            problems.push(format!("duplicate class id: {}", c.id));
        }
        for m in c.members {
            match drug_by_name.get(m) {
                Some(&di) => {
                    if drug_classes[di].contains(&ci) {
                        problems.push(format!("class {} lists {} twice", c.id, m));
                    } else {
                        drug_classes[di].push(ci);
                    }
                }
                None => problems.push(format!(
                    "class {} member {} is not in the dictionary",
                    c.id, m
                )),
            }
        }
    }
    for v in &mut drug_classes {
        v.sort_unstable();
    }

    let resolve_target = |t: Target, what: &str, problems: &mut Vec<String>| -> Rt {
        match t {
            Target::Drug(n) => match drug_by_name.get(n) {
                Some(&i) => Rt::Drug(i),
                None => {
                    problems.push(format!("{what}: unknown ingredient {n}"));
                    Rt::Dangling
                }
            },
            Target::Class(c) => match class_by_id.get(c) {
                Some(&i) => Rt::Class(i),
                None => {
                    problems.push(format!("{what}: unknown class {c}"));
                    Rt::Dangling
                }
            },
        }
    };

    // Names: ingredient names, aliases, brands, combinations.
    let mut names: HashMap<String, Hit> = HashMap::new();
    let mut insert = |key: &str, hit: Hit, problems: &mut Vec<String>| {
        let k = norm_key(key);
        if k.is_empty() {
            problems.push(format!("empty name key for {key:?}"));
            return;
        }
        if let Some(prev) = names.get(&k) {
            if *prev != hit {
                problems.push(format!("name {k:?} maps to two different things"));
            }
            return;
        }
        names.insert(k, hit);
    };
    for (i, d) in drugs::DRUGS.iter().enumerate() {
        insert(d.name, Hit::Drug(i), &mut problems);
        for a in d.aliases {
            insert(a, Hit::Drug(i), &mut problems);
        }
        for b in d.brands {
            insert(b, Hit::Drug(i), &mut problems);
        }
        if d.source.trim().is_empty() {
            problems.push(format!("drug {} has no source", d.name));
        }
    }
    let mut combo_ingredients = Vec::new();
    for (ci, c) in drugs::COMBINATIONS.iter().enumerate() {
        let mut ing = Vec::new();
        for n in c.ingredients {
            match drug_by_name.get(n) {
                Some(&i) => ing.push(i),
                None => problems.push(format!(
                    "combination {} ingredient {} is not in the dictionary",
                    c.name, n
                )),
            }
        }
        if ing.len() < 2 {
            problems.push(format!(
                "combination {} has fewer than two known ingredients",
                c.name
            ));
        }
        combo_ingredients.push(ing);
        insert(c.name, Hit::Combo(ci), &mut problems);
        for a in c.aliases {
            insert(a, Hit::Combo(ci), &mut problems);
        }
    }
    let max_words = names
        .keys()
        .map(|k| k.split(' ').count())
        .max()
        .unwrap_or(1);

    // Interaction rules.
    let mut rule_sides = vec![Vec::new(); drugs::DRUGS.len()];
    let mut rule_targets = Vec::new();
    let mut seen_rule_ids = HashMap::new();
    for (ri, r) in rules::INTERACTIONS.iter().enumerate() {
        if seen_rule_ids.insert(r.id, ri).is_some() {
            problems.push(format!("duplicate rule id {}", r.id));
        }
        if r.source.trim().is_empty()
            || r.mechanism.trim().is_empty()
            || r.management.trim().is_empty()
        {
            problems.push(format!(
                "rule {} lacks source, mechanism or management",
                r.id
            ));
        }
        let a = resolve_target(r.a, r.id, &mut problems);
        let b = resolve_target(r.b, r.id, &mut problems);
        rule_targets.push((a, b));
    }
    for di in 0..drugs::DRUGS.len() {
        for (ri, &(a, b)) in rule_targets.iter().enumerate() {
            let matches = |t: Rt| match t {
                Rt::Drug(d) => d == di,
                Rt::Class(c) => drug_classes[di].binary_search(&c).is_ok(),
                Rt::Dangling => false,
            };
            if matches(a) {
                rule_sides[di].push((ri, true));
            }
            if matches(b) {
                rule_sides[di].push((ri, false));
            }
        }
    }

    // Renal rules.
    let mut renal_by_drug = vec![Vec::new(); drugs::DRUGS.len()];
    for (ri, r) in renal::RENAL_RULES.iter().enumerate() {
        if r.source.trim().is_empty() || r.message.trim().is_empty() {
            problems.push(format!("renal rule {} lacks source or message", r.id));
        }
        if r.min.is_nan() || r.max.is_nan() || r.min >= r.max || r.min < 0.0 {
            problems.push(format!("renal rule {} has an invalid band", r.id));
        }
        let t = resolve_target(r.target, r.id, &mut problems);
        for (di, v) in renal_by_drug.iter_mut().enumerate() {
            let m = match t {
                Rt::Drug(d) => d == di,
                Rt::Class(c) => drug_classes[di].binary_search(&c).is_ok(),
                Rt::Dangling => false,
            };
            if m {
                v.push(ri);
            }
        }
    }

    // Allergy tables.
    let mut allergy_terms = HashMap::new();
    for t in allergy::ALLERGY_TERMS {
        let mut cs = Vec::new();
        for c in t.classes {
            match class_by_id.get(c) {
                Some(&i) => cs.push(i),
                None => problems.push(format!("allergy term {} names unknown class {}", t.term, c)),
            }
        }
        if allergy_terms.insert(norm_key(t.term), cs).is_some() {
            problems.push(format!("duplicate allergy term {}", t.term));
        }
    }
    let mut allergy_class = HashMap::new();
    for (ai, a) in allergy::ALLERGY_CLASSES.iter().enumerate() {
        if a.source.trim().is_empty() {
            problems.push(format!("allergy class {} has no source", a.class));
        }
        match class_by_id.get(a.class) {
            Some(&ci) => {
                allergy_class.insert(ci, ai);
            }
            None => problems.push(format!("allergy class {} is unknown", a.class)),
        }
    }
    for t in allergy::ALLERGY_TERMS {
        for c in t.classes {
            if let Some(ci) = class_by_id.get(c)
                && !allergy_class.contains_key(ci)
            {
                problems.push(format!(
                    "allergy term {} maps to class {} without propagation rule",
                    t.term, c
                ));
            }
        }
    }
    let mut allergy_cross = Vec::new();
    for r in allergy::ALLERGY_CROSS {
        if r.source.trim().is_empty() || r.message.trim().is_empty() {
            problems.push(format!(
                "allergy cross rule {} lacks source or message",
                r.id
            ));
        }
        let from = match class_by_id.get(r.from) {
            Some(&i) => i,
            None => {
                problems.push(format!(
                    "allergy cross rule {} from unknown class {}",
                    r.id, r.from
                ));
                usize::MAX
            }
        };
        allergy_cross.push((from, resolve_target(r.to, r.id, &mut problems)));
    }
    for (key, _) in allergy_terms.iter() {
        if names.contains_key(key) {
            problems.push(format!("allergy term {key:?} is also a medication name"));
        }
    }

    let mut duplicate = Vec::new();
    for (i, d) in duplicates::DUPLICATE_CLASSES.iter().enumerate() {
        if d.source.trim().is_empty() || d.rationale.trim().is_empty() {
            problems.push(format!(
                "duplicate class {} lacks source or rationale",
                d.class
            ));
        }
        match class_by_id.get(d.class) {
            Some(&ci) => duplicate.push((ci, i)),
            None => problems.push(format!("duplicate class {} is unknown", d.class)),
        }
    }
    for c in classes::CLASSES {
        if c.source.trim().is_empty() {
            problems.push(format!("class {} has no source", c.id));
        }
    }

    Index {
        names,
        max_words,
        drug_by_name,
        class_by_id,
        drug_classes,
        combo_ingredients,
        rule_sides,
        rule_targets,
        renal_by_drug,
        allergy_terms,
        allergy_class,
        allergy_cross,
        duplicate,
        problems,
    }
}

pub(crate) fn classes_of_name(name: &str) -> Vec<&'static Class> {
    let ix = idx();
    match ix.drug_by_name.get(name) {
        Some(&d) => ix.drug_classes[d]
            .iter()
            .map(|&c| &classes::CLASSES[c])
            .collect(),
        None => Vec::new(),
    }
}

pub(crate) fn drug_by_name(name: &str) -> Option<&'static Drug> {
    idx().drug_by_name.get(name).map(|&i| &drugs::DRUGS[i])
}

pub(crate) fn class_by_id(id: &str) -> Option<&'static Class> {
    idx().class_by_id.get(id).map(|&i| &classes::CLASSES[i])
}

pub(crate) fn problems() -> &'static [String] {
    &idx().problems
}
