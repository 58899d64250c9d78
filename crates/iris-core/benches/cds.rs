//! `cargo bench -p iris-core --bench cds`: the full decision-support evaluation of one patient,
//! as the chart and the CLI run it: every score (NEWS2, qSOFA, SIRS, MEWS, Morse, shock index,
//! LACE, eGFR, BMI) from validated DTO inputs, plus the medication check of a 10-drug list with
//! allergies and an eGFR. Target < 5 ms.

use std::hint::black_box;
use std::time::{Duration, Instant};

use iris_types::{CdsInput, LaceDto, MedsCheckRequest, MorseDto};

fn main() {
    let input = CdsInput {
        age_years: Some(78.0),
        sex: Some("female".into()),
        pregnant: Some(false),
        respiratory_rate: Some(23.0),
        spo2: Some(93.0),
        spo2_scale: Some(1),
        on_oxygen: Some(true),
        systolic_bp: Some(98.0),
        diastolic_bp: Some(60.0),
        heart_rate: Some(112.0),
        consciousness: Some("C".into()),
        gcs: Some(14),
        temperature_c: Some(38.6),
        wbc_10e9_per_l: Some(14.2),
        weight_kg: Some(61.0),
        height_cm: Some(158.0),
        creatinine_mg_dl: Some(1.6),
        morse: Some(MorseDto {
            history_of_falling: true,
            secondary_diagnosis: true,
            ambulatory_aid: "walker".into(),
            iv_or_heparin_lock: true,
            gait: "impaired".into(),
            mental_status: "forgets_limitations".into(),
        }),
        lace: Some(LaceDto {
            length_of_stay_days: 6,
            acute_admission: true,
            charlson_index: 3,
            ed_visits_6_months: 2,
        }),
    };
    let meds = MedsCheckRequest {
        medications: [
            "Zocor 20 mg tablet",
            "Biaxin 500 mg",
            "warfarin 5 mg",
            "ibuprofen 400 mg",
            "lisinopril 10 mg",
            "spironolactone 25 mg",
            "metformin 1000 mg",
            "sertraline 50 mg",
            "tramadol 50 mg",
            "omeprazole 20 mg",
        ]
        .map(String::from)
        .to_vec(),
        allergies: vec!["penicillin".into(), "sulfa".into()],
        egfr: Some(38.0),
    };
    // Warm the lazily built indexes once, as the first check of a session does.
    let first = Instant::now();
    let alerts = iris_core::cds::meds_check(&meds).unwrap().alerts.len();
    let first = first.elapsed();

    let runs = 2_000;
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let e = iris_core::cds::evaluate(black_box(&input)).unwrap();
        let m = iris_core::cds::meds_check(black_box(&meds)).unwrap();
        black_box((e, m));
        times.push(t.elapsed());
    }
    times.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "cds_full_evaluation_9_scores_and_10_drug_check: median {:.1} µs, p99 {:.1} µs, max {:.1} µs ({runs} runs; {alerts} alerts; first check with index build {:.1} µs)",
        us(times[runs / 2]),
        us(times[runs * 99 / 100]),
        us(times[runs - 1]),
        us(first)
    );
}
