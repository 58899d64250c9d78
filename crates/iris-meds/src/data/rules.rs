//! Drug-drug interaction rules, written per class wherever the mechanism is a class effect.
//!
//! Pairs are unordered. `group` names the clinical concern: when several rules of one group match
//! the same two medication entries, only the most severe is reported (ties: the earlier rule), so
//! that e.g. phenelzine + sertraline gives one contraindicated serotonin alert, not also the
//! generic moderate serotonergic one.
//!
//! The 15 interactions of the ONC high-priority list (Phansalkar S, et al. J Am Med Inform Assoc
//! 2012;19:735-743, Table 2) come first and carry `onc: true`. The list of 15 pairs was verified
//! with the search tool against the 2022 AJHP review that tabulates it (PMC9218784, Table 4) and
//! against the parts of the article's Tables 2 and 3 that could be read (PMC3422823):
//! amphetamine derivatives-MAOIs; atazanavir-PPIs; febuxostat-azathioprine/mercaptopurine;
//! SSRIs (serotonergic agents)-MAOIs; irinotecan-strong CYP3A4 inhibitors; narcotic
//! analgesics-MAOIs; TCAs-MAOIs; high-risk QT-prolonging agents; ramelteon-strong CYP1A2
//! inhibitors (fluvoxamine); strong CYP3A4 inducers-protease inhibitors; HMG-CoA reductase
//! inhibitors-CYP3A4 and protease inhibitors; CYP3A4 and protease inhibitors-ergot alkaloids;
//! tizanidine-CYP1A2 inhibitors; tranylcypromine-procarbazine; triptans-MAOIs.
//! Bosentan-glyburide, methotrexate-trimethoprim, PDE5 inhibitors-nitrates and
//! rasagiline-ciprofloxacin are NOT on that list (the panel explicitly rejected nitrates-PDE5
//! inhibitors, Table 3 #18); they are covered here from FDA labeling.

use crate::{InteractionRule, Severity, Target};

use Severity::{Contraindicated, Major, Minor, Moderate};

const fn d(name: &'static str) -> Target {
    Target::Drug(name)
}
const fn c(id: &'static str) -> Target {
    Target::Class(id)
}

/// Citation of the ONC high-priority list.
pub const ONC_SOURCE: &str = "ONC high-priority DDI list: Phansalkar S, et al. High-priority drug-drug interactions for use in electronic health records. J Am Med Inform Assoc 2012;19:735-743";

macro_rules! rule {
    ($id:literal, $a:expr, $b:expr, $sev:expr, $group:expr, $onc:expr, $mech:expr, $mgmt:expr, $src:expr $(,)?) => {
        InteractionRule {
            id: $id,
            a: $a,
            b: $b,
            severity: $sev,
            group: $group,
            onc: $onc,
            mechanism: $mech,
            management: $mgmt,
            source: $src,
        }
    };
}

/// Every drug-drug rule.
pub static INTERACTIONS: &[InteractionRule] = &[
    // ================= ONC high-priority list =================
    rule!(
        "onc-maoi-sympathomimetic",
        c("maoi-nonselective"),
        c("sympathomimetics"),
        Contraindicated,
        Some("maoi-adrenergic"),
        true,
        "MAO inhibition prevents breakdown of the noradrenaline released by amphetamine-type and indirect sympathomimetics: hypertensive crisis, stroke.",
        "Do not combine. Allow 14 days after stopping the MAO inhibitor before starting the sympathomimetic.",
        concat!(
            "ONC high-priority DDI list (amphetamine derivatives-MAO inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA labels: Nardil (phenelzine), Parnate (tranylcypromine), Emsam (selegiline) Contraindications"
        )
    ),
    rule!(
        "onc-atazanavir-ppi",
        d("atazanavir"),
        c("ppis"),
        Major,
        None,
        true,
        "Proton pump inhibitors raise gastric pH and sharply reduce atazanavir absorption: loss of virologic response and resistance.",
        "Avoid. In treatment-experienced patients do not coadminister; in treatment-naive patients only omeprazole-equivalent <=20 mg with ritonavir-boosted atazanavir, 12 hours apart; consult HIV pharmacist.",
        concat!(
            "ONC high-priority DDI list (atazanavir-proton pump inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA label: Reyataz (atazanavir) Dosage and Administration, Drug Interactions"
        )
    ),
    rule!(
        "onc-febuxostat-thiopurine",
        d("febuxostat"),
        c("thiopurines"),
        Contraindicated,
        Some("thiopurine"),
        true,
        "Xanthine oxidase inhibition blocks thiopurine inactivation: life-threatening bone marrow suppression.",
        "Do not combine. Use an alternative urate-lowering strategy or thiopurine alternative.",
        concat!(
            "ONC high-priority DDI list (febuxostat-azathioprine/mercaptopurine): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA label: Uloric (febuxostat) Contraindications"
        )
    ),
    rule!(
        "onc-maoi-serotonergic",
        c("maoi-nonselective"),
        c("serotonergic"),
        Contraindicated,
        Some("serotonin"),
        true,
        "MAO inhibition plus a serotonergic drug: serotonin syndrome (hyperthermia, rigidity, autonomic instability), potentially fatal.",
        "Do not combine. Allow 14 days after stopping the MAO inhibitor (5 weeks after fluoxetine) before switching.",
        concat!(
            "ONC high-priority DDI list (SSRIs/serotonergic agents-MAO inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA labels: Nardil, Parnate, Marplan, Emsam Contraindications; SSRI/SNRI labels Contraindications (MAOIs)"
        )
    ),
    rule!(
        "onc-maoi-tca",
        c("maoi-nonselective"),
        c("tcas"),
        Contraindicated,
        Some("serotonin"),
        true,
        "MAO inhibitor with a tricyclic antidepressant: serotonin syndrome and hypertensive reactions.",
        "Do not combine. Allow 14 days between the two drugs.",
        concat!(
            "ONC high-priority DDI list (tricyclic antidepressants-MAO inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA labels: Nardil (phenelzine), Parnate (tranylcypromine) Contraindications"
        )
    ),
    rule!(
        "onc-maoi-triptan",
        c("maoi-nonselective"),
        c("triptans"),
        Contraindicated,
        Some("serotonin"),
        true,
        "MAO-A inhibitors block metabolism of sumatriptan, rizatriptan and zolmitriptan (several-fold exposure) and add serotonergic toxicity.",
        "Do not combine, or within 2 weeks of stopping the MAO inhibitor. Choose a non-triptan migraine treatment.",
        concat!(
            "ONC high-priority DDI list (triptans-MAO inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA labels: Imitrex (sumatriptan), Maxalt (rizatriptan), Zomig (zolmitriptan) Contraindications"
        )
    ),
    rule!(
        "onc-meperidine-maoi",
        d("meperidine"),
        c("maoi"),
        Contraindicated,
        Some("serotonin"),
        true,
        "Meperidine with an MAO inhibitor: serotonin syndrome or severe opioid toxicity (coma, hypotension, hyperpyrexia); deaths reported.",
        "Do not combine, or within 14 days of an MAO inhibitor. Use a non-serotonergic opioid (e.g. morphine) at reduced dose if an opioid is essential.",
        concat!(
            "ONC high-priority DDI list (narcotic analgesics-MAO inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA label: Demerol (meperidine) Contraindications"
        )
    ),
    rule!(
        "onc-opioid-maoi",
        c("opioids"),
        c("maoi"),
        Major,
        Some("serotonin"),
        true,
        "Opioids with MAO inhibitors: serotonin syndrome (serotonergic opioids) or potentiated opioid toxicity (respiratory depression, coma).",
        "Avoid within 14 days of an MAO inhibitor. If unavoidable, use a non-serotonergic opioid at a reduced dose with close monitoring.",
        concat!(
            "ONC high-priority DDI list (narcotic analgesics-MAO inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA opioid class labeling Drug Interactions (MAOIs)"
        )
    ),
    rule!(
        "onc-irinotecan-cyp3a4-inhibitor",
        d("irinotecan"),
        c("strong-cyp3a4-inhibitors"),
        Major,
        Some("cyp3a4-inhibition"),
        true,
        "Strong CYP3A4 inhibition raises exposure to irinotecan and SN-38: severe neutropenia and diarrhea.",
        "Do not give strong CYP3A4 inhibitors with irinotecan; stop them at least 1 week before irinotecan.",
        concat!(
            "ONC high-priority DDI list (irinotecan-strong CYP3A4 inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA label: Camptosar (irinotecan) Drug Interactions"
        )
    ),
    rule!(
        "irinotecan-cyp3a4-inducer",
        d("irinotecan"),
        c("strong-cyp3a4-inducers"),
        Major,
        Some("cyp3a4-induction"),
        false,
        "Strong CYP3A4 induction lowers SN-38 exposure: loss of antitumor efficacy.",
        "Do not give strong CYP3A4 inducers with irinotecan; replace them at least 2 weeks before irinotecan.",
        "FDA label: Camptosar (irinotecan) Drug Interactions (strong CYP3A4 inducers). The ONC list itself pairs irinotecan with strong CYP3A4 inhibitors."
    ),
    rule!(
        "onc-qt-high-risk",
        c("qt-contraindicated"),
        c("qt-prolonging"),
        Contraindicated,
        Some("qt"),
        true,
        "Additive QT prolongation with a drug whose label forbids any other QT-prolonging drug: torsades de pointes, sudden death.",
        "Do not combine. Choose an alternative without QT liability; if already co-prescribed, obtain an ECG and potassium/magnesium.",
        concat!(
            "ONC high-priority DDI list (QT prolonging agents): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA labels Contraindications: thioridazine, Orap (pimozide), Geodon (ziprasidone), Multaq (dronedarone), Propulsid (cisapride)"
        )
    ),
    rule!(
        "onc-ramelteon-fluvoxamine",
        d("ramelteon"),
        d("fluvoxamine"),
        Contraindicated,
        Some("cyp1a2"),
        true,
        "Fluvoxamine (strong CYP1A2 inhibitor) raises ramelteon exposure about 190-fold.",
        "Do not combine. Use another hypnotic or another antidepressant.",
        concat!(
            "ONC high-priority DDI list (ramelteon-fluvoxamine): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA labels: Rozerem (ramelteon) Drug Interactions; Luvox (fluvoxamine) Contraindications"
        )
    ),
    rule!(
        "onc-ramelteon-cyp1a2",
        d("ramelteon"),
        c("cyp1a2-strong-inhibitors"),
        Major,
        Some("cyp1a2"),
        true,
        "Strong CYP1A2 inhibition markedly raises ramelteon exposure: excessive sedation.",
        "Avoid; use another hypnotic.",
        concat!(
            "ONC high-priority DDI list (ramelteon-strong CYP1A2 inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA label: Rozerem (ramelteon) Drug Interactions"
        )
    ),
    rule!(
        "onc-pi-cyp3a4-inducer",
        c("hiv-protease-inhibitors"),
        c("strong-cyp3a4-inducers"),
        Contraindicated,
        Some("cyp3a4-induction"),
        true,
        "Strong CYP3A4 induction lowers protease-inhibitor concentrations: virologic failure and resistance.",
        "Do not combine. Choose a non-inducing alternative (e.g. rifabutin with dose adjustment instead of rifampin); consult HIV pharmacist.",
        concat!(
            "ONC high-priority DDI list (strong CYP3A4 inducers-protease inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA labels Contraindications: Reyataz, Prezista, Kaletra, Norvir, Invirase (rifampin, St John's wort, carbamazepine, phenytoin)"
        )
    ),
    rule!(
        "onc-statin-cyp3a4",
        c("statins-cyp3a4-sensitive"),
        c("strong-cyp3a4-inhibitors"),
        Contraindicated,
        Some("statin-myopathy"),
        true,
        "Strong CYP3A4 inhibition raises simvastatin/lovastatin exposure 10-20-fold: myopathy and rhabdomyolysis.",
        "Do not combine. Suspend the statin during a short course of the inhibitor, or switch to pravastatin or rosuvastatin.",
        concat!(
            "ONC high-priority DDI list (HMG-CoA reductase inhibitors-CYP3A4 and protease inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA labels: Zocor (simvastatin) Contraindications; Mevacor/Altoprev (lovastatin) Contraindications"
        )
    ),
    rule!(
        "onc-ergot-cyp3a4",
        c("ergot-alkaloids"),
        c("strong-cyp3a4-inhibitors"),
        Contraindicated,
        Some("cyp3a4-inhibition"),
        true,
        "CYP3A4 inhibition raises ergot alkaloid levels: ergotism with vasospasm and ischemia of limbs and brain.",
        "Do not combine. Use a non-ergot alternative (e.g. a triptan without CYP3A4 liability, or an NSAID).",
        concat!(
            "ONC high-priority DDI list (CYP3A4 and protease inhibitors-ergot alkaloids): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA labels: Cafergot (ergotamine), D.H.E. 45 (dihydroergotamine) Boxed Warning and Contraindications"
        )
    ),
    rule!(
        "onc-ergot-erythromycin",
        c("ergot-alkaloids"),
        d("erythromycin"),
        Contraindicated,
        Some("cyp3a4-inhibition"),
        true,
        "Macrolide CYP3A4 inhibition raises ergot alkaloid levels: ergotism with vasospasm and ischemia.",
        "Do not combine. Use azithromycin or a non-macrolide antibiotic.",
        concat!(
            "ONC high-priority DDI list (CYP3A4 inhibitors-ergot alkaloids): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA label: Cafergot (ergotamine) Boxed Warning (macrolide antibiotics)"
        )
    ),
    rule!(
        "onc-tizanidine-cyp1a2",
        d("tizanidine"),
        c("cyp1a2-strong-inhibitors"),
        Contraindicated,
        Some("cyp1a2"),
        true,
        "Strong CYP1A2 inhibition raises tizanidine exposure 10-33-fold: profound hypotension, bradycardia and sedation.",
        "Do not combine. Choose a different muscle relaxant or antibiotic/antidepressant.",
        concat!(
            "ONC high-priority DDI list (tizanidine-CYP1A2 inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA label: Zanaflex (tizanidine) Contraindications (fluvoxamine, ciprofloxacin)"
        )
    ),
    rule!(
        "onc-tizanidine-cyp1a2-other",
        d("tizanidine"),
        c("cyp1a2-inhibitors-tizanidine"),
        Major,
        Some("cyp1a2"),
        true,
        "CYP1A2 inhibition raises tizanidine exposure: hypotension, bradycardia, excessive sedation.",
        "Avoid. If unavoidable, start tizanidine at 2 mg and titrate slowly with blood pressure and heart rate checks.",
        concat!(
            "ONC high-priority DDI list (tizanidine-CYP1A2 inhibitors): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA label: Zanaflex (tizanidine) Warnings and Precautions"
        )
    ),
    rule!(
        "onc-maoi-procarbazine",
        c("maoi-nonselective"),
        d("procarbazine"),
        Contraindicated,
        Some("serotonin"),
        true,
        "Procarbazine is itself an MAO inhibitor: additive MAO inhibition with hypertensive crisis and serotonin toxicity.",
        "Do not combine; allow 14 days after stopping the MAO inhibitor.",
        concat!(
            "ONC high-priority DDI list (tranylcypromine-procarbazine): Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743; ",
            "FDA label: Matulane (procarbazine) Warnings"
        )
    ),
    // ================= MAO inhibitors beyond the ONC membership =================
    rule!(
        "maoi-maoi",
        c("maoi"),
        c("maoi"),
        Contraindicated,
        Some("serotonin"),
        false,
        "Two MAO inhibitors (including linezolid, methylene blue, MAO-B inhibitors): additive MAO inhibition, hypertensive crisis and serotonin syndrome.",
        "Do not combine; allow 14 days between MAO inhibitors.",
        "FDA labels Contraindications: Nardil, Parnate, Azilect (other MAO inhibitors), Zyvox (linezolid: drugs inhibiting MAO A or B)"
    ),
    rule!(
        "maob-contraindicated",
        c("mao-b-inhibitors"),
        c("maob-contraindicated"),
        Contraindicated,
        Some("serotonin"),
        false,
        "MAO-B inhibitor with meperidine, tramadol, methadone, tapentadol, dextromethorphan, St John's wort or cyclobenzaprine: serotonin syndrome; deaths reported.",
        "Do not combine, or within 14 days of stopping the MAO-B inhibitor.",
        "FDA labels Contraindications: Azilect (rasagiline), Xadago (safinamide), Zelapar/Eldepryl (selegiline); Nucynta (tapentadol)"
    ),
    rule!(
        "maob-serotonergic",
        c("mao-b-inhibitors"),
        c("serotonergic"),
        Major,
        Some("serotonin"),
        false,
        "MAO-B inhibitor with a serotonergic antidepressant or triptan: serotonin syndrome reported (selectivity is lost at higher doses).",
        "Avoid where possible; if used, keep the MAO-B inhibitor at the lowest dose and monitor for serotonin toxicity.",
        "FDA labels Warnings: Azilect (rasagiline), Xadago (safinamide), Zelapar (selegiline) - serotonin syndrome with antidepressants"
    ),
    rule!(
        "maob-sympathomimetic",
        c("mao-b-inhibitors"),
        c("sympathomimetics"),
        Major,
        Some("maoi-adrenergic"),
        false,
        "MAO-B inhibitors with sympathomimetics or stimulants: hypertensive reactions reported.",
        "Avoid; if needed monitor blood pressure closely.",
        "FDA labels: Xadago (safinamide) Contraindications (methylphenidate, amphetamine); Azilect (rasagiline) Warnings (sympathomimetics)"
    ),
    rule!(
        "linezolid-serotonergic",
        d("linezolid"),
        c("serotonergic"),
        Major,
        Some("serotonin"),
        false,
        "Linezolid is a reversible MAO inhibitor: serotonin syndrome with serotonergic drugs.",
        "Avoid. If linezolid is essential, stop the serotonergic drug (consider washout) and monitor for serotonin toxicity for 2 weeks (5 weeks after fluoxetine).",
        "FDA label: Zyvox (linezolid) Warnings and Precautions (serotonin syndrome); FDA Drug Safety Communication 2011-07-26"
    ),
    rule!(
        "linezolid-sympathomimetic",
        d("linezolid"),
        c("sympathomimetics"),
        Major,
        Some("maoi-adrenergic"),
        false,
        "Linezolid (MAO inhibitor) potentiates indirect sympathomimetics: blood pressure elevation.",
        "Avoid or reduce the sympathomimetic dose and monitor blood pressure.",
        "FDA label: Zyvox (linezolid) Warnings and Precautions (potential interactions producing elevation of blood pressure)"
    ),
    rule!(
        "methylene-blue-serotonergic",
        d("methylene blue"),
        c("serotonergic"),
        Major,
        Some("serotonin"),
        false,
        "Methylene blue is a potent MAO-A inhibitor: serotonin syndrome with serotonergic psychiatric drugs.",
        "Avoid; if urgent use is necessary, stop the serotonergic drug and monitor for serotonin toxicity.",
        "FDA label: ProvayBlue (methylene blue) Boxed Warning (serotonin syndrome); FDA Drug Safety Communication 2011-07-26"
    ),
    rule!(
        "bupropion-maoi",
        d("bupropion"),
        c("maoi"),
        Contraindicated,
        Some("maoi-adrenergic"),
        false,
        "Bupropion (noradrenaline/dopamine reuptake inhibitor) with MAO inhibition: hypertensive reactions.",
        "Do not combine, or within 14 days of stopping an MAO inhibitor (including linezolid or IV methylene blue).",
        "FDA label: Wellbutrin (bupropion) Contraindications"
    ),
    rule!(
        "serotonergic-serotonergic",
        c("serotonergic"),
        c("serotonergic"),
        Moderate,
        Some("serotonin"),
        false,
        "Two serotonergic drugs: additive risk of serotonin syndrome.",
        "Use the lowest effective doses; counsel the patient about agitation, tremor, hyperthermia, diarrhea and seek review if they occur.",
        "FDA labels Warnings and Precautions 'Serotonin syndrome' (SSRIs, SNRIs, triptans, tramadol, TCAs, lithium, buspirone, trazodone)"
    ),
    // ================= QT =================
    rule!(
        "qt-qt",
        c("qt-prolonging"),
        c("qt-prolonging"),
        Major,
        Some("qt"),
        false,
        "Two drugs that prolong the QT interval: additive risk of torsades de pointes.",
        "Avoid if an alternative exists. Otherwise obtain a baseline ECG, correct potassium and magnesium, and repeat the ECG after steady state.",
        "FDA labeling of each drug (Warnings and Precautions: QT prolongation/torsades de pointes)"
    ),
    rule!(
        "thioridazine-cyp2d6",
        d("thioridazine"),
        c("thioridazine-contraindicated"),
        Contraindicated,
        Some("qt-pk"),
        false,
        "Inhibition of thioridazine clearance (CYP2D6) raises its levels: dose-related QT prolongation and torsades de pointes.",
        "Do not combine. Choose another antipsychotic or another interacting drug.",
        "FDA label: thioridazine Contraindications (fluvoxamine, propranolol, pindolol, CYP2D6 inhibitors such as fluoxetine and paroxetine)"
    ),
    rule!(
        "pimozide-contraindicated",
        d("pimozide"),
        c("pimozide-contraindicated"),
        Contraindicated,
        Some("qt-pk"),
        false,
        "Inhibition of pimozide metabolism (CYP3A4/CYP2D6) or additive effect raises QT risk: ventricular arrhythmia, sudden death.",
        "Do not combine. Choose an alternative to one of the drugs.",
        "FDA label: Orap (pimozide) Contraindications; Zoloft, Paxil, Celexa, Lexapro, Prozac, Luvox Contraindications (pimozide)"
    ),
    rule!(
        "dofetilide-contraindicated",
        d("dofetilide"),
        c("dofetilide-contraindicated"),
        Contraindicated,
        Some("qt-pk"),
        false,
        "These drugs raise dofetilide concentrations (renal cation transport or CYP3A4 inhibition) or potassium loss: torsades de pointes.",
        "Do not combine. Choose an alternative.",
        "FDA label: Tikosyn (dofetilide) Contraindications"
    ),
    // ================= CYP3A4 =================
    rule!(
        "statin-cyp3a4-other",
        c("statins-cyp3a4-sensitive"),
        c("simvastatin-contraindicated-other"),
        Contraindicated,
        Some("statin-myopathy"),
        false,
        "Raised simvastatin/lovastatin exposure or additive muscle toxicity: myopathy and rhabdomyolysis.",
        "Do not combine. Use pravastatin or rosuvastatin (dose-limited) instead.",
        "FDA labels: Zocor (simvastatin) Contraindications (gemfibrozil, cyclosporine, danazol, erythromycin); Mevacor (lovastatin) Contraindications"
    ),
    rule!(
        "statin-dose-limit-10",
        c("statins-cyp3a4-sensitive"),
        c("simvastatin-dose-limit-10"),
        Major,
        Some("statin-myopathy"),
        false,
        "Moderate CYP3A4 inhibition raises simvastatin/lovastatin exposure: myopathy.",
        "Do not exceed simvastatin 10 mg/day (lovastatin 20 mg/day), or switch to a statin not dependent on CYP3A4.",
        "FDA labels: Zocor (simvastatin) and Mevacor (lovastatin) Dosage and Administration, Drug Interactions"
    ),
    rule!(
        "statin-dose-limit-20",
        c("statins-cyp3a4-sensitive"),
        c("simvastatin-dose-limit-20"),
        Moderate,
        Some("statin-myopathy"),
        false,
        "Raised simvastatin/lovastatin exposure: myopathy risk.",
        "Do not exceed simvastatin 20 mg/day (lovastatin 40 mg/day with amiodarone); consider another statin.",
        "FDA labels: Zocor (simvastatin) and Mevacor (lovastatin) Dosage and Administration, Drug Interactions"
    ),
    rule!(
        "atorvastatin-cyp3a4",
        d("atorvastatin"),
        c("strong-cyp3a4-inhibitors"),
        Major,
        Some("statin-myopathy"),
        false,
        "Strong CYP3A4 inhibition raises atorvastatin exposure: myopathy and rhabdomyolysis.",
        "Limit atorvastatin to 20 mg/day with clarithromycin, itraconazole or boosted protease inhibitors (avoid with tipranavir/ritonavir); or switch to pravastatin/rosuvastatin.",
        "FDA label: Lipitor (atorvastatin) Dosage and Administration, Drug Interactions"
    ),
    rule!(
        "atorvastatin-cyclosporine",
        d("atorvastatin"),
        d("cyclosporine"),
        Major,
        Some("statin-myopathy"),
        false,
        "Cyclosporine (CYP3A4/OATP1B1 inhibition) raises atorvastatin exposure about 8-fold: myopathy.",
        "Avoid; if a statin is needed use pravastatin or fluvastatin at low dose.",
        "FDA label: Lipitor (atorvastatin) Drug Interactions (cyclosporine: avoid)"
    ),
    rule!(
        "statin-fibrate",
        c("statins"),
        d("gemfibrozil"),
        Major,
        Some("statin-myopathy"),
        false,
        "Gemfibrozil inhibits statin glucuronidation/OATP1B1 and adds muscle toxicity: myopathy and rhabdomyolysis.",
        "Avoid gemfibrozil with statins; fenofibrate is preferred if a fibrate is needed.",
        "FDA labels Drug Interactions: Crestor (rosuvastatin), Pravachol (pravastatin), Lipitor (atorvastatin) - avoid gemfibrozil"
    ),
    rule!(
        "statin-cyclosporine",
        c("statins"),
        d("cyclosporine"),
        Major,
        Some("statin-myopathy"),
        false,
        "Cyclosporine raises statin exposure several-fold: myopathy.",
        "Use the label-specified maximum statin dose (e.g. rosuvastatin 5 mg, pravastatin 20 mg) or avoid.",
        "FDA labels Dosage and Administration: Crestor (rosuvastatin), Pravachol (pravastatin), Livalo (pitavastatin: contraindicated), Lescol (fluvastatin)"
    ),
    rule!(
        "cyp3a4-contraindicated-substrate",
        c("strong-cyp3a4-inhibitors"),
        c("cyp3a4-contraindicated-substrates"),
        Contraindicated,
        Some("cyp3a4-inhibition"),
        false,
        "Strong CYP3A4 inhibition raises exposure of a drug whose label forbids this combination (e.g. ivabradine, ranolazine, lurasidone, eplerenone, dronedarone, triazolam, alprazolam).",
        "Do not combine. Choose an alternative to one of the drugs.",
        "FDA labels Contraindications: Corlanor, Ranexa, Latuda, Inspra, Multaq, Halcion, Xanax, Juxtapid, Addyi, Movantik, Samsca, Uroxatral, Propulsid"
    ),
    rule!(
        "cyp3a4-moderate-contraindicated-substrate",
        c("moderate-cyp3a4-inhibitors"),
        c("cyp3a4-contraindicated-substrates"),
        Moderate,
        Some("cyp3a4-inhibition"),
        false,
        "Moderate CYP3A4 inhibition raises exposure of a CYP3A4-sensitive drug (e.g. ivabradine, ranolazine, lurasidone, eplerenone).",
        "Check the substrate label: several require a dose cap (ranolazine 500 mg twice daily, lurasidone half dose, eplerenone 25 mg) or avoidance (ivabradine).",
        "FDA labels Dosage and Drug Interactions: Ranexa, Latuda, Inspra, Corlanor, Halcion, Samsca"
    ),
    rule!(
        "cyp3a4-moderate-contraindicated",
        c("moderate-cyp3a4-inhibitors"),
        c("cyp3a4-moderate-contraindicated-substrates"),
        Contraindicated,
        Some("cyp3a4-inhibition"),
        false,
        "Even moderate CYP3A4 inhibition raises flibanserin (severe hypotension, syncope) or lomitapide (hepatotoxicity) exposure.",
        "Do not combine.",
        "FDA labels Contraindications: Addyi (flibanserin), Juxtapid (lomitapide)"
    ),
    rule!(
        "cyp3a4-major-substrate",
        c("strong-cyp3a4-inhibitors"),
        c("cyp3a4-substrates-major"),
        Major,
        Some("cyp3a4-inhibition"),
        false,
        "Strong CYP3A4 inhibition markedly raises exposure of this CYP3A4 substrate (toxicity: sedation, bleeding, hypotension, Cushing syndrome, immunosuppressant toxicity, QT).",
        "Avoid, or reduce the substrate dose as its label specifies and monitor (drug levels for tacrolimus/cyclosporine/sirolimus).",
        "FDA labels Drug Interactions/Dosage: Seroquel, Brilinta, Viagra, Cialis, Levitra, Stendra, Serevent, Flovent, Pulmicort, Prograf, Neoral, Rapamune, Zortress, Eliquis, Xarelto, Belsomra, Flomax"
    ),
    rule!(
        "cyp3a4-opioid",
        c("strong-cyp3a4-inhibitors"),
        c("opioids-cyp3a4"),
        Major,
        Some("cyp3a4-inhibition"),
        false,
        "CYP3A4 inhibition raises opioid concentrations (fentanyl, oxycodone, hydrocodone, methadone, buprenorphine): fatal respiratory depression.",
        "Avoid, or reduce the opioid dose and monitor closely for sedation and respiratory depression, also when the inhibitor is stopped (opioid withdrawal).",
        "FDA opioid labels Boxed Warning: Cytochrome P450 3A4 interaction (Duragesic, OxyContin, Hysingla ER, Dolophine, Butrans, Ultram)"
    ),
    rule!(
        "cyp3a4-moderate-opioid",
        c("moderate-cyp3a4-inhibitors"),
        c("opioids-cyp3a4"),
        Moderate,
        Some("cyp3a4-inhibition"),
        false,
        "Moderate CYP3A4 inhibition raises opioid concentrations: sedation and respiratory depression.",
        "Monitor for sedation and respiratory depression; reduce the opioid dose if needed.",
        "FDA opioid labels Boxed Warning: Cytochrome P450 3A4 interaction"
    ),
    rule!(
        "pde5-cyp3a4-moderate",
        c("pde5-inhibitors"),
        c("moderate-cyp3a4-inhibitors"),
        Moderate,
        Some("cyp3a4-inhibition"),
        false,
        "Moderate CYP3A4 inhibition raises PDE5 inhibitor exposure: hypotension, priapism.",
        "Use a lower PDE5 inhibitor dose (e.g. sildenafil 25 mg start).",
        "FDA labels Dosage and Drug Interactions: Viagra (sildenafil), Cialis (tadalafil), Levitra (vardenafil)"
    ),
    rule!(
        "colchicine-cyp3a4",
        d("colchicine"),
        c("strong-cyp3a4-inhibitors"),
        Major,
        Some("colchicine"),
        false,
        "Strong CYP3A4 inhibition raises colchicine levels: fatal colchicine toxicity (myopathy, marrow failure), especially with renal or hepatic impairment.",
        "Avoid. Contraindicated in renal or hepatic impairment. Otherwise reduce colchicine dose per label (e.g. prophylaxis 0.3 mg once daily or every other day).",
        "FDA label: Colcrys (colchicine) Contraindications, Dosage and Administration (dose adjustment table), Drug Interactions"
    ),
    rule!(
        "colchicine-cyp3a4-moderate",
        d("colchicine"),
        c("moderate-cyp3a4-inhibitors"),
        Major,
        Some("colchicine"),
        false,
        "Moderate CYP3A4 inhibition raises colchicine levels: colchicine toxicity.",
        "Reduce colchicine dose per label (e.g. flare 1.2 mg once, not repeated within 3 days; prophylaxis 0.3 mg twice daily or 0.6 mg once daily).",
        "FDA label: Colcrys (colchicine) Dosage and Administration (dose adjustment table), Drug Interactions"
    ),
    rule!(
        "colchicine-pgp",
        d("colchicine"),
        c("pgp-inhibitors-colchicine"),
        Major,
        Some("colchicine"),
        false,
        "P-glycoprotein inhibition raises colchicine levels: colchicine toxicity.",
        "Avoid in renal or hepatic impairment (contraindicated); otherwise reduce colchicine dose per label.",
        "FDA label: Colcrys (colchicine) Contraindications, Drug Interactions (P-gp inhibitors)"
    ),
    rule!(
        "colchicine-statin",
        d("colchicine"),
        c("statins"),
        Moderate,
        Some("colchicine-myopathy"),
        false,
        "Colchicine with a statin: additive myopathy and rhabdomyolysis reported.",
        "Monitor for muscle pain or weakness; check CK if symptoms occur.",
        "FDA label: Colcrys (colchicine) Drug Interactions (HMG-CoA reductase inhibitors)"
    ),
    // ================= CYP3A4 induction =================
    rule!(
        "inducer-contraindicated",
        c("strong-cyp3a4-inducers"),
        c("inducer-contraindicated"),
        Contraindicated,
        Some("cyp3a4-induction"),
        false,
        "Strong CYP3A4 induction lowers exposure of this drug to ineffective levels (virologic failure, loss of antipsychotic/antianginal/antifungal effect).",
        "Do not combine; the induction persists about 2 weeks after the inducer is stopped.",
        "FDA labels Contraindications: Paxlovid, Latuda, Ranexa, Edurant, Biktarvy, Vfend, Genvoya/Stribild, Tybost"
    ),
    rule!(
        "inducer-major",
        c("strong-cyp3a4-inducers"),
        c("inducer-major"),
        Major,
        Some("cyp3a4-induction"),
        false,
        "Strong CYP3A4/P-gp induction lowers exposure of this drug: loss of anticoagulation, transplant rejection, contraceptive failure, opioid withdrawal or loss of effect.",
        "Avoid; if unavoidable, monitor drug levels/effect and adjust dose (use a non-hormonal contraceptive method).",
        "FDA labels Drug Interactions (strong CYP3A4 inducers): Eliquis, Xarelto, Savaysa, Pradaxa, Brilinta, Prograf, Neoral, Rapamune, hormonal contraceptives, Seroquel, Dolophine, Duragesic, OxyContin"
    ),
    // ================= CYP1A2 =================
    rule!(
        "rasagiline-cyp1a2",
        d("rasagiline"),
        c("cyp1a2-strong-inhibitors"),
        Major,
        Some("cyp1a2"),
        false,
        "CYP1A2 inhibition (e.g. ciprofloxacin) about doubles rasagiline exposure.",
        "Limit rasagiline to 0.5 mg once daily while the inhibitor is given.",
        "FDA label: Azilect (rasagiline) Dosage and Administration, Drug Interactions (ciprofloxacin)"
    ),
    rule!(
        "theophylline-cyp1a2",
        d("theophylline"),
        c("cyp1a2-strong-inhibitors"),
        Major,
        Some("cyp1a2"),
        false,
        "CYP1A2 inhibition raises theophylline levels: seizures, arrhythmias.",
        "Avoid or reduce theophylline dose (about one third with fluvoxamine) and monitor serum levels.",
        "FDA label: theophylline (Theo-24, Elixophyllin) Drug Interactions (ciprofloxacin, fluvoxamine)"
    ),
    rule!(
        "clozapine-cyp1a2",
        d("clozapine"),
        c("cyp1a2-strong-inhibitors"),
        Major,
        Some("cyp1a2"),
        false,
        "Strong CYP1A2 inhibition raises clozapine levels: seizures, sedation, hypotension.",
        "Reduce clozapine to one third of the dose and monitor levels, or avoid.",
        "FDA label: Clozaril (clozapine) Dosage and Administration, Drug Interactions (strong CYP1A2 inhibitors)"
    ),
    rule!(
        "duloxetine-cyp1a2",
        d("duloxetine"),
        c("cyp1a2-strong-inhibitors"),
        Major,
        Some("cyp1a2"),
        false,
        "Potent CYP1A2 inhibition raises duloxetine exposure about 5-fold.",
        "Avoid the combination.",
        "FDA label: Cymbalta (duloxetine) Drug Interactions (potent CYP1A2 inhibitors)"
    ),
    // ================= Other high-value pairs named in the brief =================
    rule!(
        "bosentan-glyburide",
        d("bosentan"),
        d("glyburide"),
        Contraindicated,
        None,
        false,
        "Bosentan with glyburide: raised liver aminotransferases (hepatotoxicity) and reduced levels of both drugs.",
        "Do not combine; use another antidiabetic agent.",
        "FDA label: Tracleer (bosentan) Contraindications (glyburide)"
    ),
    rule!(
        "bosentan-cyclosporine",
        d("bosentan"),
        d("cyclosporine"),
        Contraindicated,
        None,
        false,
        "Cyclosporine raises bosentan trough concentrations about 30-fold.",
        "Do not combine.",
        "FDA label: Tracleer (bosentan) Contraindications (cyclosporine A)"
    ),
    rule!(
        "methotrexate-trimethoprim",
        d("methotrexate"),
        d("trimethoprim"),
        Major,
        Some("methotrexate"),
        false,
        "Trimethoprim (incl. in sulfamethoxazole-trimethoprim) adds antifolate effect and reduces methotrexate clearance: pancytopenia, even with low-dose methotrexate.",
        "Avoid; choose another antibiotic. If unavoidable, monitor blood counts closely.",
        "FDA labels: methotrexate (Trexall, Xatmep) Drug Interactions; Bactrim (sulfamethoxazole/trimethoprim) Warnings"
    ),
    rule!(
        "methotrexate-nsaid",
        d("methotrexate"),
        c("nsaids"),
        Moderate,
        Some("methotrexate"),
        false,
        "NSAIDs reduce methotrexate renal clearance: methotrexate toxicity (marrow, GI, renal), mainly with high-dose methotrexate.",
        "Avoid with high-dose methotrexate; with low-dose regimens monitor blood counts and renal function.",
        "FDA labels: methotrexate (Trexall, Otrexup) Drug Interactions (NSAIDs)"
    ),
    rule!(
        "methotrexate-ppi",
        d("methotrexate"),
        c("ppis"),
        Minor,
        Some("methotrexate"),
        false,
        "PPIs may delay methotrexate elimination (high-dose regimens).",
        "With high-dose methotrexate consider holding the PPI; no action for low-dose weekly methotrexate.",
        "FDA labels: methotrexate (Trexall) Drug Interactions (proton pump inhibitors); Prilosec Drug Interactions"
    ),
    rule!(
        "pde5-nitrate",
        c("pde5-inhibitors"),
        c("nitrates"),
        Contraindicated,
        Some("pde5"),
        false,
        "PDE5 inhibitors potentiate nitrate-induced vasodilation: profound hypotension, syncope, myocardial ischemia.",
        "Do not combine. Do not give nitrates within 24 h of sildenafil/vardenafil or 48 h of tadalafil.",
        "FDA labels Contraindications: Viagra/Revatio (sildenafil), Cialis/Adcirca (tadalafil), Levitra (vardenafil), Stendra (avanafil). (Considered but not retained by the ONC panel, Phansalkar 2012 Table 3.)"
    ),
    rule!(
        "riociguat-pde5",
        d("riociguat"),
        c("pde5-inhibitors"),
        Contraindicated,
        Some("pde5"),
        false,
        "Riociguat with a PDE5 inhibitor: additive vasodilation and hypotension.",
        "Do not combine.",
        "FDA label: Adempas (riociguat) Contraindications"
    ),
    rule!(
        "riociguat-nitrate",
        d("riociguat"),
        c("nitrates"),
        Contraindicated,
        Some("pde5"),
        false,
        "Riociguat with nitrates: additive vasodilation and hypotension.",
        "Do not combine.",
        "FDA label: Adempas (riociguat) Contraindications"
    ),
    rule!(
        "pde5-alpha-blocker",
        c("pde5-inhibitors"),
        c("alpha-blockers"),
        Moderate,
        Some("pde5"),
        false,
        "Additive vasodilation: symptomatic orthostatic hypotension.",
        "Stabilize on the alpha-blocker first and start the PDE5 inhibitor at the lowest dose.",
        "FDA labels Warnings: Viagra, Cialis, Levitra (alpha-blockers)"
    ),
    rule!(
        "pde5-cyp3a4",
        c("pde5-inhibitors"),
        c("strong-cyp3a4-inhibitors"),
        Major,
        Some("cyp3a4-inhibition"),
        false,
        "Strong CYP3A4 inhibition raises PDE5 inhibitor exposure many-fold: hypotension, priapism, visual changes.",
        "Use the label maximum (sildenafil 25 mg per 48 h with ritonavir; tadalafil 10 mg per 72 h; vardenafil 2.5 mg per 72 h with ritonavir; avoid avanafil).",
        "FDA labels Dosage and Drug Interactions: Viagra, Cialis, Levitra, Stendra"
    ),
    // ================= Bleeding =================
    rule!(
        "anticoagulant-anticoagulant",
        c("anticoagulants"),
        c("anticoagulants"),
        Major,
        Some("bleeding"),
        false,
        "Two anticoagulants: additive anticoagulation and major bleeding.",
        "Do not use together except during a planned transition (bridging/switching per label); confirm one is being stopped.",
        "FDA labels Warnings and Drug Interactions: Coumadin, Eliquis, Xarelto, Pradaxa, Lovenox (other anticoagulants)"
    ),
    rule!(
        "anticoagulant-nsaid",
        c("anticoagulants"),
        c("nsaids"),
        Major,
        Some("bleeding"),
        false,
        "NSAIDs impair platelet function and injure the GI mucosa: major (especially GI) bleeding on anticoagulants.",
        "Avoid; use acetaminophen for analgesia. If an NSAID is essential, use the shortest course with a PPI and monitor for bleeding.",
        "FDA labels Drug Interactions: Coumadin (warfarin), Eliquis (apixaban), Xarelto (rivaroxaban), Pradaxa (dabigatran) - NSAIDs"
    ),
    rule!(
        "anticoagulant-antiplatelet",
        c("anticoagulants"),
        c("antiplatelets"),
        Major,
        Some("bleeding"),
        false,
        "Anticoagulant plus antiplatelet: additive bleeding risk.",
        "Confirm a specific indication for both (e.g. recent stent) and the planned duration; otherwise stop the antiplatelet. Consider PPI protection.",
        "FDA labels Drug Interactions: Coumadin, Eliquis, Xarelto, Pradaxa (aspirin, P2Y12 inhibitors)"
    ),
    rule!(
        "antiplatelet-nsaid",
        c("antiplatelets"),
        c("nsaids"),
        Moderate,
        Some("bleeding"),
        false,
        "NSAIDs add GI bleeding risk to antiplatelet therapy; ibuprofen can block low-dose aspirin's antiplatelet effect.",
        "Avoid regular NSAID use; if needed take ibuprofen at least 8 h before or 30 min after immediate-release aspirin and consider a PPI.",
        "FDA labels Warnings: Plavix, Brilinta (NSAIDs); FDA Science Paper: concomitant use of ibuprofen and aspirin (2006)"
    ),
    rule!(
        "ssri-anticoagulant",
        c("ssri-snri"),
        c("anticoagulants"),
        Moderate,
        Some("bleeding"),
        false,
        "SSRIs/SNRIs deplete platelet serotonin: added bleeding risk on anticoagulants.",
        "Monitor for bleeding (and INR with warfarin when starting or stopping).",
        "FDA labels Warnings 'Increased risk of bleeding': SSRIs and SNRIs (warfarin, other anticoagulants)"
    ),
    rule!(
        "ssri-nsaid",
        c("ssri-snri"),
        c("nsaids"),
        Moderate,
        Some("bleeding"),
        false,
        "SSRIs/SNRIs with NSAIDs: increased upper GI bleeding risk.",
        "Prefer acetaminophen; if an NSAID is needed consider a PPI, especially in older adults.",
        "FDA labels Warnings 'Increased risk of bleeding': SSRIs and SNRIs (NSAIDs, aspirin)"
    ),
    rule!(
        "ssri-antiplatelet",
        c("ssri-snri"),
        c("antiplatelets"),
        Minor,
        Some("bleeding"),
        false,
        "SSRIs/SNRIs with antiplatelets: small additional bleeding risk.",
        "Usually acceptable; counsel about bleeding signs.",
        "FDA labels Warnings 'Increased risk of bleeding': SSRIs and SNRIs (aspirin)"
    ),
    rule!(
        "nsaid-corticosteroid",
        c("nsaids"),
        c("systemic-corticosteroids"),
        Moderate,
        Some("gi-bleeding"),
        false,
        "NSAIDs with systemic corticosteroids: increased GI ulceration and bleeding.",
        "Avoid if possible; otherwise add a PPI and use the shortest course.",
        "FDA NSAID class labeling Warnings (GI bleeding, ulceration, perforation: concomitant corticosteroids)"
    ),
    rule!(
        "warfarin-cyp2c9",
        d("warfarin"),
        c("cyp2c9-warfarin-major"),
        Major,
        Some("warfarin-pk"),
        false,
        "Inhibition of warfarin metabolism (CYP2C9) or other potentiation: INR rise and bleeding.",
        "Avoid if possible (e.g. choose another antibiotic than sulfamethoxazole-trimethoprim or metronidazole); otherwise empirically reduce warfarin (amiodarone: by about 30-50%) and check INR within 3-5 days.",
        "FDA label: Coumadin (warfarin) Drug Interactions (CYP2C9 inhibitors); Holbrook AM, et al. Arch Intern Med 2005;165:1095-1106"
    ),
    rule!(
        "warfarin-potentiator-moderate",
        d("warfarin"),
        c("warfarin-potentiators-moderate"),
        Moderate,
        Some("warfarin-pk"),
        false,
        "May raise the INR (altered gut flora, metabolism or displacement).",
        "Check INR within a week of starting or stopping the drug.",
        "FDA label: Coumadin (warfarin) Drug Interactions (antibiotics, fibrates); Holbrook AM, et al. Arch Intern Med 2005;165:1095-1106"
    ),
    rule!(
        "warfarin-inducer",
        d("warfarin"),
        c("strong-cyp3a4-inducers"),
        Major,
        Some("warfarin-pk"),
        false,
        "Enzyme induction lowers warfarin levels: loss of anticoagulation (and INR rise when the inducer is stopped).",
        "Avoid if possible; otherwise monitor INR closely for several weeks after starting and stopping the inducer.",
        "FDA label: Coumadin (warfarin) Drug Interactions (CYP inducers: rifampin, carbamazepine, phenytoin, St John's wort)"
    ),
    rule!(
        "doac-strong-cyp3a4",
        c("doacs-cyp3a4-pgp"),
        c("strong-cyp3a4-inhibitors"),
        Major,
        Some("doac-pk"),
        false,
        "Combined strong CYP3A4 and P-gp inhibition raises DOAC exposure: bleeding.",
        "Apixaban: reduce dose by 50% (avoid if already 2.5 mg twice daily). Rivaroxaban: avoid.",
        "FDA labels Dosage and Drug Interactions: Eliquis (apixaban), Xarelto (rivaroxaban)"
    ),
    rule!(
        "dabigatran-pgp",
        d("dabigatran etexilate"),
        d("dronedarone"),
        Major,
        Some("doac-pk"),
        false,
        "Dronedarone (P-gp inhibitor) raises dabigatran exposure: bleeding.",
        "Reduce dabigatran to 75 mg twice daily when CrCl is 30-50 mL/min; avoid when CrCl is below 30.",
        "FDA label: Pradaxa (dabigatran) Dosage and Administration (P-gp inhibitors)"
    ),
    // ================= Potassium and RAAS =================
    rule!(
        "raas-potassium-sparing",
        c("raas-inhibitors"),
        c("potassium-sparing-diuretics"),
        Major,
        Some("hyperkalemia"),
        false,
        "ACE inhibitor/ARB/aliskiren with a potassium-sparing diuretic or mineralocorticoid antagonist: hyperkalemia (life-threatening arrhythmia), especially with CKD, diabetes or older age.",
        "Use only with an indication (e.g. HFrEF), potassium <5.0 mmol/L and eGFR >30; check potassium and creatinine within 3 days to 1 week and regularly; avoid potassium supplements.",
        "FDA labels Warnings: Aldactone (spironolactone), Inspra (eplerenone), Midamor (amiloride), Dyrenium (triamterene), Kerendia (finerenone); Juurlink DN, et al. N Engl J Med 2004;351:543-551"
    ),
    rule!(
        "raas-potassium-supplement",
        c("raas-inhibitors"),
        c("potassium-supplements"),
        Moderate,
        Some("hyperkalemia"),
        false,
        "RAAS inhibitors reduce potassium excretion: hyperkalemia with potassium supplements.",
        "Confirm the supplement is still needed; monitor potassium.",
        "FDA labels Warnings/Drug Interactions: ACE inhibitors and ARBs (potassium supplements)"
    ),
    rule!(
        "potassium-sparing-supplement",
        c("potassium-sparing-diuretics"),
        c("potassium-supplements"),
        Major,
        Some("hyperkalemia"),
        false,
        "Potassium-sparing diuretic with potassium supplementation: severe hyperkalemia.",
        "Avoid unless documented hypokalemia; monitor potassium closely.",
        "FDA labels: Dyrenium (triamterene) and Midamor (amiloride) Contraindications (potassium supplementation); Inspra (eplerenone) Contraindications"
    ),
    rule!(
        "potassium-sparing-potassium-sparing",
        c("potassium-sparing-diuretics"),
        c("potassium-sparing-diuretics"),
        Major,
        Some("hyperkalemia"),
        false,
        "Two potassium-sparing agents: severe hyperkalemia.",
        "Do not combine; keep one agent.",
        "FDA labels: Inspra (eplerenone) Contraindications (potassium-sparing diuretics); Dyrenium (triamterene) Contraindications"
    ),
    rule!(
        "raas-trimethoprim",
        c("raas-inhibitors"),
        d("trimethoprim"),
        Moderate,
        Some("hyperkalemia"),
        false,
        "Trimethoprim blocks renal potassium excretion (amiloride-like): hyperkalemia with ACE inhibitors/ARBs, particularly in older adults.",
        "Prefer another antibiotic in older or CKD patients; otherwise check potassium within 3-5 days.",
        "FDA label: Bactrim (sulfamethoxazole/trimethoprim) Warnings (hyperkalemia)"
    ),
    rule!(
        "ace-arb",
        c("ace-inhibitors"),
        c("arbs"),
        Major,
        Some("raas-dual"),
        false,
        "Dual RAAS blockade (ACE inhibitor + ARB): hyperkalemia, hypotension and acute kidney injury without outcome benefit.",
        "Avoid; use a single RAAS agent. If combined on specialist advice, monitor potassium, creatinine and blood pressure closely.",
        "FDA labels Warnings 'Dual blockade of the renin-angiotensin system' (ACE inhibitors, ARBs); ONTARGET (N Engl J Med 2008;358:1547-1559); VA NEPHRON-D (N Engl J Med 2013;369:1892-1903)"
    ),
    rule!(
        "acei-aliskiren",
        c("ace-inhibitors"),
        d("aliskiren"),
        Major,
        Some("raas-dual"),
        false,
        "Dual RAAS blockade with aliskiren: hyperkalemia, hypotension, renal impairment; contraindicated in diabetes.",
        "Do not combine in patients with diabetes; avoid when eGFR <60.",
        "FDA labels: Tekturna (aliskiren) Contraindications and Warnings; ACE inhibitor labels (aliskiren in diabetes)"
    ),
    rule!(
        "arb-aliskiren",
        c("arbs"),
        d("aliskiren"),
        Major,
        Some("raas-dual"),
        false,
        "Dual RAAS blockade with aliskiren: hyperkalemia, hypotension, renal impairment; contraindicated in diabetes.",
        "Do not combine in patients with diabetes; avoid when eGFR <60.",
        "FDA labels: Tekturna (aliskiren) Contraindications and Warnings; ARB labels (aliskiren in diabetes)"
    ),
    rule!(
        "acei-sacubitril",
        c("ace-inhibitors"),
        d("sacubitril"),
        Contraindicated,
        Some("raas-dual"),
        false,
        "Neprilysin inhibition with an ACE inhibitor: bradykinin accumulation and angioedema.",
        "Do not combine; stop the ACE inhibitor at least 36 hours before starting sacubitril/valsartan.",
        "FDA label: Entresto (sacubitril/valsartan) Contraindications"
    ),
    rule!(
        "raas-nsaid",
        c("raas-inhibitors"),
        c("nsaids"),
        Moderate,
        Some("nsaid-renal"),
        false,
        "NSAIDs blunt the antihypertensive effect and, with RAAS inhibitors (especially plus a diuretic), can cause acute kidney injury and hyperkalemia.",
        "Avoid regular NSAID use; if needed, use the lowest dose for the shortest time and check creatinine and potassium.",
        "FDA labels Drug Interactions: ACE inhibitors and ARBs (NSAIDs including COX-2 inhibitors)"
    ),
    // ================= CNS depression =================
    rule!(
        "opioid-benzodiazepine",
        c("opioids"),
        c("benzodiazepines"),
        Major,
        Some("cns-depression"),
        false,
        "Opioid with a benzodiazepine: profound sedation, respiratory depression, coma and death.",
        "Avoid. If unavoidable, use the lowest doses for the shortest time, monitor for sedation and respiratory depression, and prescribe naloxone.",
        "FDA Boxed Warning (2016) on opioid analgesic and benzodiazepine labels: risks from concomitant use"
    ),
    rule!(
        "opioid-cns-depressant",
        c("opioids"),
        c("cns-depressants-other"),
        Moderate,
        Some("cns-depression"),
        false,
        "Opioid with another CNS depressant (hypnotic, gabapentinoid, muscle relaxant, barbiturate, sedating antihistamine): additive sedation and respiratory depression.",
        "Use the lowest effective doses, monitor for sedation, and consider naloxone; gabapentinoids need extra care in older adults and COPD.",
        "FDA opioid labels Boxed Warning (other CNS depressants); FDA Drug Safety Communication 2019-12-19 (gabapentin, pregabalin)"
    ),
    rule!(
        "benzodiazepine-z-drug",
        c("benzodiazepines"),
        c("z-drugs"),
        Moderate,
        Some("cns-depression"),
        false,
        "Benzodiazepine with a Z-drug hypnotic: additive sedation, falls, complex sleep behaviors.",
        "Avoid combining two sedative-hypnotics; keep one.",
        "FDA labels Warnings: Ambien, Lunesta (CNS depressants); American Geriatrics Society 2023 Beers Criteria (avoid >=3 CNS-active drugs)"
    ),
    // ================= Lithium, digoxin, antiepileptics =================
    rule!(
        "lithium-nsaid",
        d("lithium"),
        c("nsaids"),
        Major,
        Some("lithium"),
        false,
        "NSAIDs reduce renal lithium clearance: lithium toxicity.",
        "Avoid; if needed check lithium levels within 5 days and after dose changes.",
        "FDA label: Lithobid (lithium) Drug Interactions (NSAIDs)"
    ),
    rule!(
        "lithium-acei",
        d("lithium"),
        c("ace-inhibitors"),
        Major,
        Some("lithium"),
        false,
        "ACE inhibitors reduce lithium clearance: lithium toxicity.",
        "Avoid if possible; otherwise check lithium levels frequently when starting or changing the dose.",
        "FDA label: Lithobid (lithium) Drug Interactions (ACE inhibitors)"
    ),
    rule!(
        "lithium-arb",
        d("lithium"),
        c("arbs"),
        Major,
        Some("lithium"),
        false,
        "ARBs reduce lithium clearance: lithium toxicity.",
        "Avoid if possible; otherwise check lithium levels frequently when starting or changing the dose.",
        "FDA label: Lithobid (lithium) Drug Interactions (angiotensin receptor blockers)"
    ),
    rule!(
        "lithium-thiazide",
        d("lithium"),
        c("thiazides"),
        Major,
        Some("lithium"),
        false,
        "Thiazides increase proximal lithium reabsorption (levels rise 25-40%): lithium toxicity.",
        "Avoid; if needed reduce lithium dose and monitor levels closely.",
        "FDA label: Lithobid (lithium) Drug Interactions (diuretics)"
    ),
    rule!(
        "lithium-loop",
        d("lithium"),
        c("loop-diuretics"),
        Moderate,
        Some("lithium"),
        false,
        "Loop diuretics can raise lithium levels (volume/sodium depletion).",
        "Monitor lithium levels and hydration.",
        "FDA label: Lithobid (lithium) Drug Interactions (diuretics)"
    ),
    rule!(
        "digoxin-major",
        d("digoxin"),
        c("digoxin-raisers-major"),
        Major,
        Some("digoxin"),
        false,
        "P-glycoprotein inhibition raises digoxin levels (up to 2-fold): digoxin toxicity (arrhythmia, nausea, visual change).",
        "Measure digoxin concentration before starting; reduce digoxin by 30-50% (amiodarone: 50%) and recheck levels.",
        "FDA label: Lanoxin (digoxin) Drug Interactions (Table: amiodarone, dronedarone, verapamil, clarithromycin, quinidine, propafenone, itraconazole, ritonavir)"
    ),
    rule!(
        "digoxin-moderate",
        d("digoxin"),
        c("digoxin-raisers-moderate"),
        Moderate,
        Some("digoxin"),
        false,
        "May raise digoxin levels.",
        "Monitor digoxin levels and heart rate.",
        "FDA label: Lanoxin (digoxin) Drug Interactions"
    ),
    rule!(
        "valproate-lamotrigine",
        c("valproates"),
        d("lamotrigine"),
        Moderate,
        None,
        false,
        "Valproate doubles lamotrigine exposure: serious rash (Stevens-Johnson syndrome) risk.",
        "Use the valproate-specific lamotrigine titration (about half the usual dose) per label.",
        "FDA label: Lamictal (lamotrigine) Boxed Warning and Dosage and Administration (valproate)"
    ),
    rule!(
        "valproate-carbapenem",
        c("valproates"),
        c("carbapenems"),
        Major,
        None,
        false,
        "Carbapenems lower valproate concentrations by 60-100% within a day: breakthrough seizures.",
        "Avoid; use a non-carbapenem antibiotic or a supplemental antiepileptic.",
        "FDA labels: Depakote (divalproex) Drug Interactions; Merrem (meropenem), Invanz (ertapenem) Drug Interactions"
    ),
    // ================= Miscellaneous =================
    rule!(
        "clopidogrel-ppi",
        d("clopidogrel"),
        c("ppis-cyp2c19-clopidogrel"),
        Moderate,
        None,
        false,
        "Omeprazole/esomeprazole inhibit CYP2C19 activation of clopidogrel: reduced antiplatelet effect.",
        "Avoid; use pantoprazole (or an H2 blocker) if gastroprotection is needed.",
        "FDA label: Plavix (clopidogrel) Warnings and Precautions, Drug Interactions (omeprazole, esomeprazole)"
    ),
    rule!(
        "allopurinol-thiopurine",
        d("allopurinol"),
        c("thiopurines"),
        Major,
        Some("thiopurine"),
        false,
        "Allopurinol blocks thiopurine inactivation by xanthine oxidase: bone marrow suppression.",
        "Reduce azathioprine/mercaptopurine to one third to one quarter of the usual dose and monitor blood counts, or avoid.",
        "FDA labels: Imuran (azathioprine) Drug Interactions; Zyloprim (allopurinol) Drug Interactions"
    ),
    rule!(
        "tamoxifen-cyp2d6",
        d("tamoxifen"),
        c("strong-cyp2d6-inhibitors"),
        Moderate,
        None,
        false,
        "Strong CYP2D6 inhibition lowers formation of endoxifen, the active tamoxifen metabolite: possible loss of efficacy.",
        "Prefer an antidepressant with little CYP2D6 inhibition (e.g. venlafaxine, citalopram).",
        "Kelly CM, et al. Selective serotonin reuptake inhibitors and breast cancer mortality in women receiving tamoxifen. BMJ 2010;340:c693"
    ),
    rule!(
        "beta-blocker-nondhp",
        c("beta-blockers"),
        c("non-dhp-ccbs"),
        Moderate,
        None,
        false,
        "Beta-blocker with diltiazem or verapamil: additive bradycardia, AV block and heart-failure worsening.",
        "Monitor heart rate, PR interval and blood pressure; avoid in conduction disease or reduced ejection fraction.",
        "FDA labels Warnings/Drug Interactions: Calan (verapamil), Cardizem (diltiazem) - beta-adrenergic blockers"
    ),
    rule!(
        "levothyroxine-binder",
        d("levothyroxine"),
        c("levothyroxine-binders"),
        Minor,
        None,
        false,
        "Calcium, iron, magnesium, bile acid sequestrants, sevelamer and sucralfate bind levothyroxine and reduce its absorption.",
        "Take levothyroxine at least 4 hours apart from these products; recheck TSH if the regimen changes.",
        "FDA label: Synthroid (levothyroxine) Drug Interactions"
    ),
    rule!(
        "fluoroquinolone-cation",
        c("fluoroquinolones"),
        c("polyvalent-cations"),
        Moderate,
        Some("chelation"),
        false,
        "Calcium, iron and magnesium chelate fluoroquinolones: much lower absorption and treatment failure.",
        "Give the fluoroquinolone at least 2 hours before or 6 hours after the cation-containing product (per label).",
        "FDA labels Drug Interactions: Cipro (ciprofloxacin), Levaquin (levofloxacin), Avelox (moxifloxacin) - multivalent cations"
    ),
    rule!(
        "tetracycline-cation",
        c("tetracyclines"),
        c("polyvalent-cations"),
        Moderate,
        Some("chelation"),
        false,
        "Calcium, iron and magnesium chelate tetracyclines: much lower absorption.",
        "Separate doses by at least 2-3 hours.",
        "FDA labels Drug Interactions: doxycycline (Vibramycin), minocycline (Minocin) - antacids, calcium, iron, magnesium"
    ),
    rule!(
        "fluoroquinolone-corticosteroid",
        c("fluoroquinolones"),
        c("systemic-corticosteroids"),
        Moderate,
        None,
        false,
        "Fluoroquinolones with corticosteroids: increased risk of tendinitis and tendon rupture, especially over age 60.",
        "Prefer a non-fluoroquinolone antibiotic; counsel to stop and report tendon pain.",
        "FDA fluoroquinolone labels Boxed Warning (tendinitis and tendon rupture: corticosteroids)"
    ),
    rule!(
        "sulfonylurea-fluconazole",
        c("sulfonylureas"),
        d("fluconazole"),
        Moderate,
        None,
        false,
        "Fluconazole inhibits sulfonylurea metabolism (CYP2C9): hypoglycemia.",
        "Monitor glucose; consider reducing the sulfonylurea dose.",
        "FDA label: Diflucan (fluconazole) Drug Interactions (oral hypoglycemics)"
    ),
    rule!(
        "ergot-triptan",
        c("ergot-alkaloids"),
        c("triptans"),
        Contraindicated,
        None,
        false,
        "Ergot alkaloid with a triptan: additive vasoconstriction (coronary vasospasm).",
        "Do not use within 24 hours of each other.",
        "FDA labels Contraindications: Imitrex, Maxalt, Zomig, Relpax (ergotamine-containing or ergot-type medication within 24 hours)"
    ),
];
