//! Renal dose warnings by eGFR (mL/min/1.73m²).
//!
//! A rule applies when `min <= eGFR < max`. Several rows for one drug make tiers; boundaries are
//! half-open so that each eGFR value falls in exactly one tier. Labels are written in terms of
//! creatinine clearance (Cockcroft-Gault); eGFR is used as the available surrogate, which the
//! messages say where it matters (drug dosing in older or low-weight patients should use CrCl).

use crate::{RenalRule, Severity, Target};

use Severity::{Contraindicated, Major, Minor, Moderate};

const BEERS: &str = "American Geriatrics Society 2023 Updated AGS Beers Criteria. J Am Geriatr Soc 2023;71:2052-2081 (Table 6: renal dose)";
const INF: f64 = f64::INFINITY;

macro_rules! renal {
    ($id:literal, $t:expr, $min:expr, $max:expr, $sev:expr, $msg:expr, $src:expr $(,)?) => {
        RenalRule {
            id: $id,
            target: $t,
            min: $min,
            max: $max,
            severity: $sev,
            message: $msg,
            source: $src,
        }
    };
}

const fn d(name: &'static str) -> Target {
    Target::Drug(name)
}
const fn c(id: &'static str) -> Target {
    Target::Class(id)
}

/// Every renal rule.
pub static RENAL_RULES: &[RenalRule] = &[
    renal!(
        "metformin-lt30",
        d("metformin"),
        0.0,
        30.0,
        Contraindicated,
        "metformin is contraindicated below eGFR 30 (lactic acidosis). What to do: stop metformin and choose another glucose-lowering agent.",
        "FDA label: Glucophage (metformin) Contraindications; FDA Drug Safety Communication 2016-04-08 (eGFR-based use)"
    ),
    renal!(
        "metformin-30-45",
        d("metformin"),
        30.0,
        45.0,
        Moderate,
        "starting metformin is not recommended at eGFR 30-45. What to do: do not initiate; if already taking it, reassess benefit and risk (consider dose reduction, e.g. max 1000 mg/day) and monitor eGFR every 3-6 months.",
        "FDA label: Glucophage (metformin) Dosage and Administration (renal impairment); FDA Drug Safety Communication 2016-04-08"
    ),
    renal!(
        "nitrofurantoin-lt30",
        d("nitrofurantoin"),
        0.0,
        30.0,
        Major,
        "avoid nitrofurantoin below CrCl 30 (ineffective urinary levels, accumulation: neuropathy, pulmonary and hepatic toxicity). What to do: choose another antibiotic.",
        concat!(
            "American Geriatrics Society 2023 Updated AGS Beers Criteria. J Am Geriatr Soc 2023;71:2052-2081 (Table 6: renal dose)",
            "; FDA label: Macrobid (nitrofurantoin) Contraindications (significant renal impairment)"
        )
    ),
    renal!(
        "nitrofurantoin-30-60",
        d("nitrofurantoin"),
        30.0,
        60.0,
        Minor,
        "the nitrofurantoin label lists CrCl below 60 as a contraindication; the Beers Criteria allow short courses down to CrCl 30. What to do: prefer a 5-day course at most and consider another agent if eGFR is falling.",
        concat!(
            "FDA label: Macrobid (nitrofurantoin) Contraindications; ",
            "American Geriatrics Society 2023 Updated AGS Beers Criteria. J Am Geriatr Soc 2023;71:2052-2081 (Table 6: renal dose)"
        )
    ),
    renal!(
        "dabigatran-lt15",
        d("dabigatran etexilate"),
        0.0,
        15.0,
        Major,
        "dabigatran dosing cannot be recommended below CrCl 15 or on dialysis. What to do: use another anticoagulant (e.g. warfarin or apixaban per label).",
        "FDA label: Pradaxa (dabigatran) Dosage and Administration; Use in Specific Populations (renal impairment)"
    ),
    renal!(
        "dabigatran-15-30",
        d("dabigatran etexilate"),
        15.0,
        30.0,
        Major,
        "dabigatran at CrCl 15-30: atrial fibrillation dose is 75 mg twice daily; not recommended for VTE treatment or prophylaxis. What to do: confirm the indication and dose, avoid P-gp inhibitors.",
        "FDA label: Pradaxa (dabigatran) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "dabigatran-30-50",
        d("dabigatran etexilate"),
        30.0,
        50.0,
        Moderate,
        "dabigatran at CrCl 30-50: bleeding risk rises with P-gp inhibitors. What to do: reduce to 75 mg twice daily with dronedarone or systemic ketoconazole (AF); avoid P-gp inhibitors for VTE indications.",
        "FDA label: Pradaxa (dabigatran) Dosage and Administration (renal impairment and P-gp inhibitors)"
    ),
    renal!(
        "rivaroxaban-lt15",
        d("rivaroxaban"),
        0.0,
        15.0,
        Major,
        "avoid rivaroxaban below CrCl 15 (except the AF dose of 15 mg on dialysis per label). What to do: review anticoagulant choice.",
        "FDA label: Xarelto (rivaroxaban) Dosage and Administration; Use in Specific Populations (renal impairment)"
    ),
    renal!(
        "rivaroxaban-15-50",
        d("rivaroxaban"),
        15.0,
        50.0,
        Moderate,
        "rivaroxaban at CrCl 15-50: the atrial fibrillation dose is 15 mg once daily with the evening meal. What to do: check the dose for the indication; avoid combined P-gp and CYP3A4 inhibitors.",
        "FDA label: Xarelto (rivaroxaban) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "apixaban-lt25",
        d("apixaban"),
        0.0,
        25.0,
        Moderate,
        "apixaban below CrCl 25: limited trial data. What to do: the label dose reduction (2.5 mg twice daily in AF) is based on two of age >=80 years, weight <=60 kg and serum creatinine >=1.5 mg/dL, not on eGFR alone; confirm the dose and monitor for bleeding.",
        "FDA label: Eliquis (apixaban) Dosage and Administration; Use in Specific Populations (renal impairment)"
    ),
    renal!(
        "edoxaban-lt15",
        d("edoxaban"),
        0.0,
        15.0,
        Major,
        "edoxaban is not recommended below CrCl 15. What to do: use another anticoagulant.",
        "FDA label: Savaysa (edoxaban) Dosage and Administration"
    ),
    renal!(
        "edoxaban-15-50",
        d("edoxaban"),
        15.0,
        50.0,
        Moderate,
        "edoxaban at CrCl 15-50: reduce to 30 mg once daily. What to do: check the dose.",
        "FDA label: Savaysa (edoxaban) Dosage and Administration"
    ),
    renal!(
        "edoxaban-gt95",
        d("edoxaban"),
        95.0,
        INF,
        Moderate,
        "edoxaban should not be used for atrial fibrillation when CrCl exceeds 95 (reduced efficacy, more ischemic stroke). What to do: use another anticoagulant for AF.",
        "FDA label: Savaysa (edoxaban) Boxed Warning (reduced efficacy in NVAF patients with CrCl > 95 mL/min)"
    ),
    renal!(
        "enoxaparin-lt30",
        d("enoxaparin"),
        0.0,
        30.0,
        Major,
        "enoxaparin accumulates below CrCl 30 (bleeding). What to do: reduce the dose (prophylaxis 30 mg once daily; treatment 1 mg/kg once daily) or use unfractionated heparin; consider anti-Xa monitoring.",
        "FDA label: Lovenox (enoxaparin) Dosage and Administration (severe renal impairment)"
    ),
    renal!(
        "fondaparinux-lt30",
        d("fondaparinux"),
        0.0,
        30.0,
        Contraindicated,
        "fondaparinux is contraindicated below CrCl 30 (accumulation, bleeding). What to do: use another anticoagulant.",
        "FDA label: Arixtra (fondaparinux) Contraindications"
    ),
    renal!(
        "gabapentin-lt15",
        d("gabapentin"),
        0.0,
        15.0,
        Major,
        "gabapentin accumulates below CrCl 15 (sedation, ataxia, encephalopathy). What to do: limit to 100-300 mg/day (supplemental dose after dialysis).",
        "FDA label: Neurontin (gabapentin) Dosage and Administration (renal impairment table)"
    ),
    renal!(
        "gabapentin-15-60",
        d("gabapentin"),
        15.0,
        60.0,
        Moderate,
        "gabapentin needs renal dose reduction below CrCl 60. What to do: CrCl 30-59: 400-1400 mg/day in 2 doses; CrCl 15-29: 200-700 mg/day in 1 dose.",
        "FDA label: Neurontin (gabapentin) Dosage and Administration (renal impairment table)"
    ),
    renal!(
        "pregabalin-lt15",
        d("pregabalin"),
        0.0,
        15.0,
        Major,
        "pregabalin accumulates below CrCl 15. What to do: limit to 25-75 mg/day once daily.",
        "FDA label: Lyrica (pregabalin) Dosage and Administration (renal impairment table)"
    ),
    renal!(
        "pregabalin-15-60",
        d("pregabalin"),
        15.0,
        60.0,
        Moderate,
        "pregabalin needs renal dose reduction below CrCl 60. What to do: CrCl 30-60: 75-300 mg/day; CrCl 15-30: 25-150 mg/day.",
        "FDA label: Lyrica (pregabalin) Dosage and Administration (renal impairment table)"
    ),
    renal!(
        "allopurinol-lt30",
        d("allopurinol"),
        0.0,
        30.0,
        Moderate,
        "allopurinol in advanced CKD: higher risk of hypersensitivity syndrome with high starting doses. What to do: start at 50 mg/day or less and titrate to the serum urate target.",
        "FitzGerald JD, et al. 2020 American College of Rheumatology Guideline for the Management of Gout. Arthritis Care Res 2020;72:744-760; FDA label: Zyloprim (allopurinol) Dosage (renal impairment)"
    ),
    renal!(
        "spironolactone-lt30",
        d("spironolactone"),
        0.0,
        30.0,
        Major,
        "spironolactone below eGFR 30: high risk of hyperkalemia. What to do: avoid; if used by a specialist, monitor potassium closely.",
        "FDA label: Aldactone (spironolactone) Dosage and Administration, Warnings (hyperkalemia; eGFR < 30 not recommended for heart failure)"
    ),
    renal!(
        "spironolactone-30-50",
        d("spironolactone"),
        30.0,
        50.0,
        Moderate,
        "spironolactone at eGFR 30-50: hyperkalemia risk. What to do: in heart failure start at 25 mg every other day; check potassium within 1 week.",
        "FDA label: Aldactone (spironolactone) Dosage and Administration (heart failure, eGFR 30-50)"
    ),
    renal!(
        "eplerenone-lt30",
        d("eplerenone"),
        0.0,
        30.0,
        Contraindicated,
        "eplerenone is contraindicated at CrCl 30 or below (hyperkalemia). What to do: stop or do not start.",
        "FDA label: Inspra (eplerenone) Contraindications"
    ),
    renal!(
        "eplerenone-30-50",
        d("eplerenone"),
        30.0,
        50.0,
        Major,
        "eplerenone is contraindicated for hypertension when CrCl is below 50. What to do: for post-MI heart failure use with close potassium monitoring; for hypertension choose another agent.",
        "FDA label: Inspra (eplerenone) Contraindications (hypertension: CrCl < 50)"
    ),
    renal!(
        "nsaid-lt30",
        c("nsaids"),
        0.0,
        30.0,
        Major,
        "avoid NSAIDs below CrCl 30 (acute kidney injury, hyperkalemia, fluid retention). What to do: use acetaminophen or topical agents; stop the NSAID.",
        concat!(
            "American Geriatrics Society 2023 Updated AGS Beers Criteria. J Am Geriatr Soc 2023;71:2052-2081 (Table 6: renal dose)",
            "; FDA NSAID class labeling Warnings (renal toxicity; not recommended in advanced renal disease)"
        )
    ),
    renal!(
        "colchicine-lt30",
        d("colchicine"),
        0.0,
        30.0,
        Major,
        "colchicine toxicity risk below CrCl 30. What to do: prophylaxis start 0.3 mg/day; do not repeat flare treatment within 14 days; dialysis 0.3 mg twice weekly; never combine with P-gp or strong CYP3A4 inhibitors.",
        "FDA label: Colcrys (colchicine) Dosage and Administration (renal impairment), Contraindications"
    ),
    renal!(
        "lithium-lt30",
        d("lithium"),
        0.0,
        30.0,
        Major,
        "lithium is not recommended below CrCl 30 (toxicity). What to do: seek psychiatric advice on an alternative; if continued, reduce dose and monitor levels closely.",
        "FDA label: Lithobid (lithium) Use in Specific Populations (renal impairment)"
    ),
    renal!(
        "lithium-30-60",
        d("lithium"),
        30.0,
        60.0,
        Moderate,
        "lithium clearance falls with renal function. What to do: use a lower starting dose, titrate slowly and monitor levels and renal function more often.",
        "FDA label: Lithobid (lithium) Dosage and Administration, Use in Specific Populations (renal impairment)"
    ),
    renal!(
        "digoxin-lt50",
        d("digoxin"),
        0.0,
        50.0,
        Moderate,
        "digoxin is renally cleared: toxicity risk in renal impairment. What to do: reduce the maintenance dose and check serum digoxin levels.",
        "FDA label: Lanoxin (digoxin) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "glyburide-lt60",
        d("glyburide"),
        0.0,
        60.0,
        Major,
        "glyburide and its active metabolites accumulate in CKD: prolonged hypoglycemia. What to do: avoid; glipizide is preferred if a sulfonylurea is needed.",
        "American Diabetes Association. Standards of Care in Diabetes, section 11 (CKD: avoid glyburide); FDA label: Diabeta (glyburide) Precautions (renal insufficiency)"
    ),
    renal!(
        "glimepiride-lt30",
        d("glimepiride"),
        0.0,
        30.0,
        Moderate,
        "glimepiride in advanced CKD: hypoglycemia. What to do: start at 1 mg/day and titrate cautiously.",
        "FDA label: Amaryl (glimepiride) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "sitagliptin-30-45",
        d("sitagliptin"),
        30.0,
        45.0,
        Moderate,
        "sitagliptin needs dose reduction at eGFR 30-45. What to do: use 50 mg once daily.",
        "FDA label: Januvia (sitagliptin) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "sitagliptin-lt30",
        d("sitagliptin"),
        0.0,
        30.0,
        Moderate,
        "sitagliptin needs dose reduction below eGFR 30. What to do: use 25 mg once daily.",
        "FDA label: Januvia (sitagliptin) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "saxagliptin-lt45",
        d("saxagliptin"),
        0.0,
        45.0,
        Moderate,
        "saxagliptin needs dose reduction below eGFR 45. What to do: use 2.5 mg once daily.",
        "FDA label: Onglyza (saxagliptin) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "alogliptin-lt60",
        d("alogliptin"),
        0.0,
        60.0,
        Moderate,
        "alogliptin needs dose reduction below CrCl 60. What to do: CrCl 30-60: 12.5 mg daily; below 30: 6.25 mg daily.",
        "FDA label: Nesina (alogliptin) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "exenatide-lt30",
        d("exenatide"),
        0.0,
        30.0,
        Major,
        "exenatide is not recommended below CrCl 30 (GI adverse effects, acute kidney injury). What to do: choose another GLP-1 receptor agonist.",
        "FDA labels: Byetta, Bydureon BCise (exenatide) Use in Specific Populations (renal impairment)"
    ),
    renal!(
        "sglt2-lt20",
        c("sglt2-inhibitors"),
        0.0,
        20.0,
        Major,
        "SGLT2 inhibitors should not be started below eGFR 20 and are contraindicated on dialysis. What to do: do not initiate; stop on dialysis.",
        "FDA labels Dosage and Contraindications: Jardiance (empagliflozin), Farxiga (dapagliflozin), Invokana (canagliflozin), Steglatro (ertugliflozin)"
    ),
    renal!(
        "sglt2-20-30",
        c("sglt2-inhibitors"),
        20.0,
        30.0,
        Moderate,
        "SGLT2 inhibitors below eGFR 30 have little glucose-lowering effect; heart-failure/CKD indications allow use (empagliflozin from eGFR 20, dapagliflozin from 25). What to do: check the indication and label initiation threshold.",
        "FDA labels Dosage and Administration: Jardiance, Farxiga, Invokana, Steglatro (renal impairment)"
    ),
    renal!(
        "sglt2-30-45",
        c("sglt2-inhibitors"),
        30.0,
        45.0,
        Minor,
        "SGLT2 inhibitors at eGFR 30-45 have reduced glucose-lowering efficacy (canagliflozin max 100 mg; ertugliflozin not recommended to start). What to do: add other glucose-lowering therapy if needed.",
        "FDA labels Dosage and Administration: Invokana, Steglatro, Jardiance, Farxiga (renal impairment)"
    ),
    renal!(
        "levetiracetam-lt50",
        d("levetiracetam"),
        0.0,
        50.0,
        Moderate,
        "levetiracetam needs renal dose reduction below CrCl 50. What to do: CrCl 30-50: 250-750 mg every 12 h; below 30: 250-500 mg every 12 h; dialysis: 500-1000 mg daily plus a supplement after dialysis.",
        "FDA label: Keppra (levetiracetam) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "tramadol-lt30",
        d("tramadol"),
        0.0,
        30.0,
        Major,
        "tramadol accumulates below CrCl 30 (seizures, sedation). What to do: immediate-release only, every 12 h, maximum 200 mg/day; do not use extended-release tramadol.",
        concat!(
            "FDA label: Ultram (tramadol) Dosage and Administration (renal impairment); ",
            "American Geriatrics Society 2023 Updated AGS Beers Criteria. J Am Geriatr Soc 2023;71:2052-2081 (Table 6: renal dose)"
        )
    ),
    renal!(
        "morphine-lt30",
        d("morphine"),
        0.0,
        30.0,
        Moderate,
        "morphine metabolites (M6G, M3G) accumulate in renal failure: sedation, respiratory depression, neurotoxicity. What to do: prefer another opioid or reduce dose and extend the interval.",
        "FDA label: MS Contin (morphine) Use in Specific Populations (renal impairment)"
    ),
    renal!(
        "metoclopramide-lt60",
        d("metoclopramide"),
        0.0,
        60.0,
        Moderate,
        "metoclopramide accumulates in renal impairment (tardive dyskinesia, extrapyramidal effects). What to do: halve the dose.",
        "FDA label: Reglan (metoclopramide) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "famotidine-lt60",
        d("famotidine"),
        0.0,
        60.0,
        Moderate,
        "famotidine accumulates below CrCl 60 (confusion, QT prolongation). What to do: reduce the dose or extend the interval per label.",
        "FDA label: Pepcid (famotidine) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "valacyclovir-lt50",
        d("valacyclovir"),
        0.0,
        50.0,
        Moderate,
        "valacyclovir needs renal dose adjustment below CrCl 50 (acute kidney injury, neurotoxicity). What to do: adjust dose and interval per label table.",
        "FDA label: Valtrex (valacyclovir) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "acyclovir-lt50",
        d("acyclovir"),
        0.0,
        50.0,
        Moderate,
        "acyclovir needs renal dose adjustment below CrCl 50 (neurotoxicity, crystal nephropathy). What to do: adjust dose and interval per label; keep the patient hydrated.",
        "FDA label: Zovirax (acyclovir) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "ciprofloxacin-lt50",
        d("ciprofloxacin"),
        0.0,
        50.0,
        Moderate,
        "ciprofloxacin needs renal dose adjustment below CrCl 50. What to do: CrCl 30-50: 250-500 mg every 12 h; 5-29: 250-500 mg every 18 h.",
        "FDA label: Cipro (ciprofloxacin) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "levofloxacin-lt50",
        d("levofloxacin"),
        0.0,
        50.0,
        Moderate,
        "levofloxacin needs renal dose adjustment below CrCl 50. What to do: reduce dose and/or extend the interval per label table.",
        "FDA label: Levaquin (levofloxacin) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "smx-lt15",
        d("sulfamethoxazole"),
        0.0,
        15.0,
        Major,
        "sulfamethoxazole-trimethoprim is not recommended below CrCl 15. What to do: choose another antibiotic.",
        "FDA label: Bactrim (sulfamethoxazole/trimethoprim) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "smx-15-30",
        d("sulfamethoxazole"),
        15.0,
        30.0,
        Moderate,
        "sulfamethoxazole-trimethoprim at CrCl 15-30: use half the usual dose; hyperkalemia risk. What to do: halve the dose and check potassium.",
        "FDA label: Bactrim (sulfamethoxazole/trimethoprim) Dosage and Administration (renal impairment), Warnings (hyperkalemia)"
    ),
    renal!(
        "baclofen-lt30",
        d("baclofen"),
        0.0,
        30.0,
        Major,
        "baclofen is renally cleared: encephalopathy and coma reported in renal failure. What to do: avoid, or use a greatly reduced dose with monitoring.",
        "FDA labels: Ozobax, Lyvispah (baclofen) Warnings and Use in Specific Populations (renal impairment)"
    ),
    renal!(
        "dofetilide-lt20",
        d("dofetilide"),
        0.0,
        20.0,
        Contraindicated,
        "dofetilide is contraindicated below CrCl 20. What to do: choose another antiarrhythmic.",
        "FDA label: Tikosyn (dofetilide) Contraindications, Dosage and Administration"
    ),
    renal!(
        "dofetilide-20-60",
        d("dofetilide"),
        20.0,
        60.0,
        Major,
        "dofetilide dose depends on CrCl (40-60: 250 mcg twice daily; 20-40: 125 mcg twice daily). What to do: dose by Cockcroft-Gault CrCl in a monitored setting.",
        "FDA label: Tikosyn (dofetilide) Dosage and Administration"
    ),
    renal!(
        "sotalol-lt40",
        d("sotalol"),
        0.0,
        40.0,
        Major,
        "sotalol accumulates in renal impairment (torsades de pointes); Betapace AF is contraindicated below CrCl 40. What to do: extend the dosing interval per label or choose another agent; initiate with ECG monitoring.",
        "FDA label: Betapace/Betapace AF (sotalol) Contraindications, Dosage and Administration (renal impairment)"
    ),
    renal!(
        "memantine-lt30",
        d("memantine"),
        0.0,
        30.0,
        Moderate,
        "memantine needs dose reduction below CrCl 30. What to do: target 5 mg twice daily (ER: 14 mg daily).",
        "FDA label: Namenda (memantine) Dosage and Administration (severe renal impairment)"
    ),
    renal!(
        "duloxetine-lt30",
        d("duloxetine"),
        0.0,
        30.0,
        Major,
        "avoid duloxetine below CrCl 30 (markedly increased exposure). What to do: choose another agent.",
        "FDA label: Cymbalta (duloxetine) Dosage and Administration, Use in Specific Populations (severe renal impairment)"
    ),
    renal!(
        "venlafaxine-lt30",
        d("venlafaxine"),
        0.0,
        30.0,
        Moderate,
        "venlafaxine clearance falls in severe renal impairment. What to do: reduce the total daily dose by 50% or more.",
        "FDA label: Effexor XR (venlafaxine) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "rosuvastatin-lt30",
        d("rosuvastatin"),
        0.0,
        30.0,
        Moderate,
        "rosuvastatin exposure triples in severe renal impairment (myopathy). What to do: start 5 mg, do not exceed 10 mg daily.",
        "FDA label: Crestor (rosuvastatin) Dosage and Administration (severe renal impairment)"
    ),
    renal!(
        "pramipexole-lt50",
        d("pramipexole"),
        0.0,
        50.0,
        Moderate,
        "pramipexole is renally cleared. What to do: extend the dosing interval (CrCl 30-50: twice daily; 15-30: once daily) per label.",
        "FDA label: Mirapex (pramipexole) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "topiramate-lt70",
        d("topiramate"),
        0.0,
        70.0,
        Moderate,
        "topiramate clearance is reduced below CrCl 70. What to do: use half the usual dose.",
        "FDA label: Topamax (topiramate) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "oxcarbazepine-lt30",
        d("oxcarbazepine"),
        0.0,
        30.0,
        Moderate,
        "oxcarbazepine active metabolite accumulates below CrCl 30. What to do: start at 300 mg/day and titrate slowly.",
        "FDA label: Trileptal (oxcarbazepine) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "alendronate-lt35",
        d("alendronate"),
        0.0,
        35.0,
        Major,
        "alendronate is not recommended below CrCl 35. What to do: stop; consider denosumab or specialist advice.",
        "FDA label: Fosamax (alendronate) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "risedronate-lt30",
        d("risedronate"),
        0.0,
        30.0,
        Major,
        "risedronate is not recommended below CrCl 30. What to do: stop; consider an alternative.",
        "FDA label: Actonel (risedronate) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "ibandronate-lt30",
        d("ibandronate"),
        0.0,
        30.0,
        Major,
        "ibandronate is not recommended below CrCl 30. What to do: stop; consider an alternative.",
        "FDA label: Boniva (ibandronate) Dosage and Administration (renal impairment)"
    ),
    renal!(
        "zoledronic-lt35",
        d("zoledronic acid"),
        0.0,
        35.0,
        Contraindicated,
        "zoledronic acid (Reclast) is contraindicated below CrCl 35 (acute renal failure). What to do: do not give.",
        "FDA label: Reclast (zoledronic acid) Contraindications"
    ),
    renal!(
        "methotrexate-lt30",
        d("methotrexate"),
        0.0,
        30.0,
        Major,
        "methotrexate is renally cleared: severe toxicity (marrow, mucositis) in renal impairment. What to do: avoid below CrCl 30 or reduce the dose substantially with specialist advice and close blood-count monitoring.",
        "FDA labels: Trexall, Xatmep (methotrexate) Use in Specific Populations (renal impairment)"
    ),
    renal!(
        "potassium-lt30",
        c("potassium-supplements"),
        0.0,
        30.0,
        Moderate,
        "potassium supplements in advanced CKD: hyperkalemia. What to do: confirm the indication and check potassium frequently.",
        "FDA label: Klor-Con (potassium chloride) Warnings (hyperkalemia in renal impairment)"
    ),
    renal!(
        "thiazide-lt30",
        c("thiazides"),
        0.0,
        30.0,
        Minor,
        "thiazide diuretics lose much of their effect below eGFR 30 (chlorthalidone and metolazone retain some activity). What to do: consider a loop diuretic if diuresis is needed.",
        "FDA label: Microzide (hydrochlorothiazide) Warnings (renal disease); Agarwal R, et al. N Engl J Med 2021;385:2507-2519 (CLICK: chlorthalidone in stage 4 CKD)"
    ),
];

/// The Beers table citation, exposed for the report.
pub const BEERS_RENAL: &str = BEERS;
