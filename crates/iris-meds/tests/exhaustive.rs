//! Exhaustive checks over the tables: every member pair of every rule fires, every name resolves.

mod common;
use common::*;
use iris_meds::*;

fn members(t: &Target) -> Vec<&'static str> {
    match t {
        Target::Drug(n) => vec![ingredient(n).expect("known ingredient").name],
        Target::Class(c) => class(c).expect("known class").members.to_vec(),
    }
}

/// For every drug-drug rule, every pair of distinct members (written as ingredient names, in both
/// orders) raises a drug-drug alert at least as severe as the rule. This is what guarantees that
/// class rules cover members a source list does not name.
#[test]
fn every_member_pair_of_every_rule_fires() {
    let mut pairs = 0;
    for r in interaction_rules() {
        for x in members(&r.a) {
            for y in members(&r.b) {
                if x == y {
                    continue;
                }
                pairs += 1;
                let w = worst_ddi(&[x, y]);
                assert!(
                    w.is_some_and(|s| s >= r.severity),
                    "rule {}: {x} + {y} gave {w:?}",
                    r.id
                );
            }
        }
    }
    assert!(pairs > 5000, "{pairs}");
}

#[test]
fn every_onc_pair_is_major_or_worse_with_brand_names_too() {
    for r in interaction_rules().iter().filter(|r| r.onc) {
        for x in members(&r.a) {
            for y in members(&r.b) {
                if x == y {
                    continue;
                }
                // Use a brand name where one exists, to exercise brand resolution.
                let bx = ingredient(x).unwrap().brands.first().copied().unwrap_or(x);
                let by = ingredient(y).unwrap().brands.first().copied().unwrap_or(y);
                let w = worst_ddi(&[bx, by]);
                assert!(
                    w.is_some_and(|s| s >= Severity::Major),
                    "ONC rule {}: {bx} + {by} gave {w:?}",
                    r.id
                );
            }
        }
    }
}

#[test]
fn every_renal_rule_fires_inside_its_band_and_not_below_min_edge() {
    for r in renal_rules() {
        for m in members(&r.target) {
            let inside = if r.max.is_finite() {
                (r.min + r.max) / 2.0
            } else {
                r.min + 10.0
            };
            let got = renal_alerts(&[m], inside);
            assert!(
                got.iter()
                    .any(|a| a.rule == r.id && a.severity == r.severity),
                "renal {} for {m} at {inside}: {got:#?}",
                r.id
            );
            let at_min = renal_alerts(&[m], r.min);
            assert!(
                at_min.iter().any(|a| a.rule == r.id),
                "renal {} lower bound {} is inclusive",
                r.id,
                r.min
            );
            if r.max.is_finite() {
                let at_max = renal_alerts(&[m], r.max);
                assert!(
                    !at_max.iter().any(|a| a.rule == r.id),
                    "renal {} upper bound {} is exclusive",
                    r.id,
                    r.max
                );
            }
        }
    }
}

#[test]
fn every_name_resolves_with_and_without_strength_text() {
    for d in drugs() {
        let names = std::iter::once(d.name)
            .chain(d.aliases.iter().copied())
            .chain(d.brands.iter().copied());
        for n in names {
            for text in [
                n.to_string(),
                n.to_uppercase(),
                format!("  {n} 10 mg tablet daily "),
            ] {
                match resolve(&text) {
                    Resolution::Single(got) => assert_eq!(got.name, d.name, "{text:?}"),
                    other => panic!("{text:?} -> {other:?}"),
                }
            }
        }
    }
    for c in combinations() {
        for n in std::iter::once(c.name).chain(c.aliases.iter().copied()) {
            for text in [n.to_string(), format!("{n} 1 tab po bid")] {
                let mut got: Vec<&str> = resolve(&text)
                    .ingredients()
                    .iter()
                    .map(|d| d.name)
                    .collect();
                let mut want = c.ingredients.to_vec();
                got.sort_unstable();
                want.sort_unstable();
                assert_eq!(got, want, "{text:?}");
            }
        }
    }
}

#[test]
fn every_allergy_term_flags_its_class_members() {
    for t in allergy_terms() {
        for cid in t.classes {
            for m in class(cid).unwrap().members {
                let a = allergy_alerts(&[m], &[t.term]);
                assert!(!a.is_empty(), "allergy {} should flag {m}", t.term);
            }
        }
    }
}
