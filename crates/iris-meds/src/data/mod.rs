//! The knowledge tables. Pure data; every entry carries its source.

pub mod allergy;
pub mod classes;
pub mod drugs;
pub mod duplicates;
pub mod renal;
pub mod rules;

/// Where the RxCUIs in the dictionary were cross-checked. A CUI is present only if it appeared,
/// paired with the same ingredient name, in one of these public RxNorm-derived tables.
pub const RXCUI_PROVENANCE: &str = "RxCUIs cross-checked against: CPIC drug table (github.com/cpicpgx/cpic-schema drug.sql, RxNorm ids); \
     NLM VSAC value sets 2.16.840.1.113883.3.526.3.1489 (ACE inhibitor/ARB/ARNI ingredients), 2.16.840.1.113883.3.526.3.1493 \
     (beta blocker ingredients), 2.16.840.1.113762.1.4.1110.42 (statin allergens) as published in canvas-medical/canvas-plugins; \
     RXNCONSO.RRF excerpts in public test fixtures (warfarin 11289, simvastatin 36567, naproxen 7258, metoprolol 6918, atorvastatin 83367); \
     public code listing apixaban 1364430, rivaroxaban 1114195, dabigatran etexilate 1037042, acetaminophen 161, ibuprofen 5640, diphenhydramine 3498. \
     Not verified against a live RxNorm release.";
