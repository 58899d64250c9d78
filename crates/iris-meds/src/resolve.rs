//! Name resolution: free text as clinicians write it -> ingredients.
//!
//! Accepted: ingredient names, brand names, aliases, salt forms ("metoprolol succinate"),
//! strength/form/sig text after (or around) the name ("lisinopril 10 mg tablet daily"), and written
//! combinations ("hydrocodone/acetaminophen 5/325", "sulfamethoxazole and trimethoprim").
//! Every word must be either part of a known name or a recognised non-drug word (number, unit,
//! dose form, salt, release modifier, route, frequency); anything else makes the whole entry
//! Unknown, so that an unrecognised second ingredient is never silently dropped.

use crate::index::{Hit, idx};
use crate::{Drug, Resolution};

/// Normalizes text for lookup: lower case, unified quotes and dashes, trademark signs removed,
/// periods removed except decimal points, separators (`/ , ; + & ( ) [ ] :`) turned into spaces,
/// whitespace collapsed.
pub(crate) fn norm_key(s: &str) -> String {
    let lower = s.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut out = String::with_capacity(lower.len());
    for (i, &ch) in chars.iter().enumerate() {
        let mapped = match ch {
            '\u{2018}' | '\u{2019}' | '`' | '\u{00b4}' => Some('\''),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => {
                Some('-')
            }
            '\u{00ae}' | '\u{2122}' | '\u{00a9}' => None,
            '.' => {
                let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
                let next_digit = chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
                if next_digit && (prev_digit || i == 0 || !chars[i - 1].is_alphanumeric()) {
                    Some('.')
                } else {
                    None
                }
            }
            '/' | ',' | ';' | '+' | '&' | '(' | ')' | '[' | ']' | ':' | '*' | '"' | '=' | '\\'
            | '|' | '{' | '}' => Some(' '),
            c if c.is_whitespace() => Some(' '),
            c => Some(c),
        };
        if let Some(m) = mapped {
            out.push(m);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words that carry no drug identity: connectors, units, dose forms, routes, release modifiers,
/// salts, frequency and sig words. None of them is, or abbreviates, an ingredient.
const FILLER: &[&str] = &[
    // connectors
    "and",
    "with",
    "w",
    "plus",
    "of",
    "in",
    "the",
    "a",
    "an",
    "for",
    "to",
    "at",
    "by",
    "per",
    "each",
    "or",
    "then",
    "as",
    // units
    "mg",
    "mcg",
    "ug",
    "\u{00b5}g",
    "g",
    "gm",
    "gram",
    "grams",
    "kg",
    "ml",
    "l",
    "unit",
    "units",
    "iu",
    "meq",
    "mmol",
    "%",
    "hr",
    "hrs",
    "h",
    "hour",
    "hours",
    "actuation",
    "actuations",
    "puff",
    "puffs",
    "spray",
    "sprays",
    "drop",
    "drops",
    "gtt",
    "gtts",
    "dose",
    "doses",
    "strength",
    "mg/ml",
    // dose forms
    "tablet",
    "tablets",
    "tab",
    "tabs",
    "capsule",
    "capsules",
    "cap",
    "caps",
    "caplet",
    "caplets",
    "softgel",
    "softgels",
    "gelcap",
    "gelcaps",
    "solution",
    "suspension",
    "syrup",
    "elixir",
    "liquid",
    "concentrate",
    "injection",
    "injectable",
    "inj",
    "vial",
    "vials",
    "syringe",
    "prefilled",
    "pen",
    "pens",
    "autoinjector",
    "auto-injector",
    "cartridge",
    "cream",
    "ointment",
    "gel",
    "lotion",
    "foam",
    "shampoo",
    "patch",
    "patches",
    "film",
    "films",
    "lozenge",
    "lozenges",
    "troche",
    "powder",
    "packet",
    "packets",
    "granules",
    "kit",
    "wafer",
    "inhaler",
    "inhalation",
    "aerosol",
    "nebulizer",
    "neb",
    "nebs",
    "nebulized",
    "mdi",
    "hfa",
    "dpi",
    "diskus",
    "ellipta",
    "respimat",
    "handihaler",
    "inhub",
    "flexhaler",
    "twisthaler",
    "redihaler",
    "digihaler",
    "respiclick",
    "pressair",
    "aerosphere",
    "flexpen",
    "kwikpen",
    "solostar",
    "flextouch",
    "penfill",
    "tempo",
    "suppository",
    "suppositories",
    "enema",
    "insert",
    "ring",
    "implant",
    "spansule",
    "sprinkle",
    "sprinkles",
    "chewable",
    "chew",
    "odt",
    "dispersible",
    "effervescent",
    // routes
    "oral",
    "orally",
    "po",
    "iv",
    "im",
    "sq",
    "sc",
    "subq",
    "subcut",
    "subcutaneous",
    "intravenous",
    "intramuscular",
    "sl",
    "sublingual",
    "buccal",
    "transdermal",
    "topical",
    "topically",
    "ophthalmic",
    "otic",
    "nasal",
    "intranasal",
    "rectal",
    "vaginal",
    "eye",
    "ear",
    "mouth",
    "inhaled",
    // release modifiers
    "er",
    "xr",
    "sr",
    "cr",
    "xl",
    "la",
    "dr",
    "ir",
    "ec",
    "cd",
    "xt",
    "ds",
    "ss",
    "extended",
    "extended-release",
    "delayed",
    "delayed-release",
    "immediate",
    "immediate-release",
    "release",
    "sustained",
    "sustained-release",
    "controlled",
    "modified",
    "long-acting",
    "short-acting",
    "rapid",
    "disintegrating",
    "orally-disintegrating",
    "enteric",
    "enteric-coated",
    "coated",
    "film-coated",
    "micronized",
    "regular",
    "extra",
    "maximum",
    "max",
    "low",
    "baby",
    "adult",
    "adults",
    "children's",
    "childrens",
    "pediatric",
    "infant",
    "infants",
    "junior",
    "generic",
    "brand",
    "otc",
    "preservative-free",
    "pf",
    // salts and forms of the moiety
    "hydrochloride",
    "hcl",
    "dihydrochloride",
    "hydrobromide",
    "hbr",
    "sodium",
    "disodium",
    "monosodium",
    "potassium",
    "calcium",
    "magnesium",
    "besylate",
    "besilate",
    "maleate",
    "tartrate",
    "succinate",
    "sulfate",
    "sulphate",
    "bisulfate",
    "citrate",
    "fumarate",
    "hemifumarate",
    "mesylate",
    "mesilate",
    "dimesylate",
    "bromide",
    "acetate",
    "phosphate",
    "diphosphate",
    "bitartrate",
    "chloride",
    "monohydrate",
    "dihydrate",
    "trihydrate",
    "hemihydrate",
    "sesquihydrate",
    "anhydrous",
    "hydrate",
    "hyclate",
    "medoxomil",
    "etexilate",
    "propionate",
    "dipropionate",
    "furoate",
    "xinafoate",
    "valerate",
    "acetonide",
    "tromethamine",
    "trometamol",
    "aspartate",
    "saccharate",
    "lactate",
    "gluconate",
    "carbonate",
    "oxide",
    "nitrate",
    "decanoate",
    "palmitate",
    "pamoate",
    "embonate",
    "axetil",
    "pivoxil",
    "proxetil",
    "erbumine",
    "tosylate",
    "benzoate",
    "stearate",
    "estolate",
    "ethylsuccinate",
    "lactobionate",
    "polistirex",
    "napsylate",
    "hippurate",
    "lysine",
    "oxalate",
    "tannate",
    "hemitartrate",
    "dihydrogen",
    "base",
    "salt",
    "human",
    "recombinant",
    // frequency and sig
    "daily",
    "once",
    "twice",
    "thrice",
    "times",
    "x",
    "bid",
    "tid",
    "qid",
    "qd",
    "qod",
    "qhs",
    "hs",
    "qam",
    "qpm",
    "prn",
    "stat",
    "weekly",
    "monthly",
    "nightly",
    "every",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "morning",
    "evening",
    "night",
    "bedtime",
    "noon",
    "take",
    "takes",
    "taking",
    "give",
    "use",
    "apply",
    "inhale",
    "instill",
    "needed",
    "meals",
    "meal",
    "food",
    "before",
    "after",
    "breakfast",
    "lunch",
    "dinner",
    "supper",
    "up",
    "one",
    "two",
    "three",
    "four",
    "half",
    "dose-pack",
    "dosepak",
    "pack",
    "taper",
    "as-needed",
    "pain",
    "only",
    "continue",
    "continued",
    "home",
    "med",
    "medication",
    "medications",
    "dosage",
];

fn is_filler(token: &str) -> bool {
    if FILLER.contains(&token) {
        return true;
    }
    // Numbers, optionally with a unit glued on: "10", "0.5", "10mg", "#3", "5-325", "20meq", "q6h", "x7".
    let rest = token.trim_start_matches(|c: char| {
        c.is_ascii_digit() || c == '.' || c == '%' || c == '#' || c == '-' || c == ','
    });
    if rest.len() < token.len() && token.chars().any(|c| c.is_ascii_digit()) {
        return rest.is_empty()
            || FILLER.contains(&rest)
            || rest.split('-').all(|p| p.is_empty() || FILLER.contains(&p));
    }
    // q4h, q6-8h, q12h, x10
    if let Some(r) = token.strip_prefix('q').or_else(|| token.strip_prefix('x'))
        && r.starts_with(|c: char| c.is_ascii_digit())
    {
        let r = r.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
        return matches!(r, "" | "h" | "hr" | "hrs" | "d" | "days" | "wk");
    }
    false
}

/// Greedy parse of a token sequence: known names (longest first) and filler words only.
fn parse_tokens(tokens: &[&str], out: &mut Vec<Hit>) -> bool {
    let ix = idx();
    let n = tokens.len();
    let mut i = 0;
    let mut key = String::new();
    'outer: while i < n {
        let max = ix.max_words.min(n - i);
        for k in (1..=max).rev() {
            key.clear();
            for (j, t) in tokens[i..i + k].iter().enumerate() {
                if j > 0 {
                    key.push(' ');
                }
                key.push_str(t);
            }
            if let Some(&hit) = ix.names.get(key.as_str()) {
                out.push(hit);
                i += k;
                continue 'outer;
            }
        }
        if is_filler(tokens[i]) {
            i += 1;
            continue;
        }
        return false;
    }
    true
}

/// Resolves normalized text to name hits. `None`: some word is neither a name nor filler.
pub(crate) fn hits_of(norm: &str) -> Option<Vec<Hit>> {
    let ix = idx();
    if let Some(&hit) = ix.names.get(norm) {
        return Some(vec![hit]);
    }
    let tokens: Vec<&str> = norm.split(' ').filter(|t| !t.is_empty()).collect();
    let mut hits = Vec::new();
    if parse_tokens(&tokens, &mut hits) {
        return Some(hits);
    }
    // Second chance: hyphens as separators ("amoxicillin-clavulanate", "oxycodone-acetaminophen").
    let split: Vec<&str> = tokens
        .iter()
        .flat_map(|t| t.split('-'))
        .filter(|t| !t.is_empty())
        .collect();
    if split.len() != tokens.len() {
        hits.clear();
        if parse_tokens(&split, &mut hits) {
            return Some(hits);
        }
    }
    None
}

/// Ingredient indices of hits, deduplicated, in first-seen order.
pub(crate) fn ingredients_of(hits: &[Hit]) -> Vec<usize> {
    let ix = idx();
    let mut out: Vec<usize> = Vec::new();
    for h in hits {
        match *h {
            Hit::Drug(d) => {
                if !out.contains(&d) {
                    out.push(d);
                }
            }
            Hit::Combo(c) => {
                for &d in &ix.combo_ingredients[c] {
                    if !out.contains(&d) {
                        out.push(d);
                    }
                }
            }
        }
    }
    out
}

/// Resolves a medication name to its ingredient(s). Case-insensitive; see the module docs for
/// what text is accepted. Anything else is [`Resolution::Unknown`].
pub fn resolve(name: &str) -> Resolution {
    let ix = idx();
    let norm = norm_key(name);
    if norm.is_empty() {
        return Resolution::Unknown;
    }
    match hits_of(&norm).map(|h| ingredients_of(&h)) {
        Some(ing) if ing.len() == 1 => Resolution::Single(ix.drug(ing[0])),
        Some(ing) if ing.len() > 1 => Resolution::Combination(
            ing.into_iter()
                .map(|i| ix.drug(i))
                .collect::<Vec<&'static Drug>>(),
        ),
        _ => Resolution::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_key_basics() {
        assert_eq!(norm_key("  Zocor®  20 MG "), "zocor 20 mg");
        assert_eq!(norm_key("D.H.E. 45"), "dhe 45");
        assert_eq!(norm_key("St. John\u{2019}s Wort"), "st john's wort");
        assert_eq!(norm_key("hydrocodone/APAP 5/325"), "hydrocodone apap 5 325");
        assert_eq!(norm_key("levothyroxine 0.05 mg"), "levothyroxine 0.05 mg");
        assert_eq!(norm_key("take .5 tab"), "take .5 tab");
        assert_eq!(
            norm_key("insulin isophane, human"),
            "insulin isophane human"
        );
    }

    #[test]
    fn filler_words() {
        for t in [
            "10",
            "0.5",
            "10mg",
            "#3",
            "5-325",
            "20meq",
            "q6h",
            "q4-6h",
            "x7",
            "mg",
            "er",
            "succinate",
            "bid",
            "24hr",
        ] {
            assert!(is_filler(t), "{t} should be filler");
        }
        for t in [
            "d", "hct", "pm", "dm", "plan", "zyrtec", "acid", "codeine", "q",
        ] {
            assert!(!is_filler(t), "{t} must not be filler");
        }
    }
}
