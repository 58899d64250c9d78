//! Drug classes. Each class lists every member explicitly (members are RxNorm ingredient names
//! from the dictionary); membership is never inferred from names. A drug may belong to several
//! classes. Class ids are stable strings used by the rule tables.

use crate::Class;

macro_rules! class {
    ($id:literal, $name:literal, $src:literal, [$($m:literal),+ $(,)?]) => {
        Class { id: $id, name: $name, members: &[$($m),+], source: $src }
    };
}

/// Every class. Ids are unique (a test checks).
pub static CLASSES: &[Class] = &[
    // ---- Lipid ----
    class!(
        "statins",
        "HMG-CoA reductase inhibitors (statins)",
        "WHO ATC C10AA (HMG CoA reductase inhibitors)",
        [
            "atorvastatin",
            "fluvastatin",
            "lovastatin",
            "pitavastatin",
            "pravastatin",
            "rosuvastatin",
            "simvastatin"
        ]
    ),
    class!(
        "statins-cyp3a4-sensitive",
        "statins highly dependent on CYP3A4 (simvastatin, lovastatin)",
        "FDA labels: Zocor (simvastatin) and Mevacor/Altoprev (lovastatin) Contraindications (strong CYP3A4 inhibitors); ONC high-priority DDI list (Phansalkar S, et al. J Am Med Inform Assoc 2012;19:735-743)",
        ["simvastatin", "lovastatin"]
    ),
    class!(
        "simvastatin-contraindicated-other",
        "non-CYP3A4 drugs contraindicated with simvastatin/lovastatin",
        "FDA label: Zocor (simvastatin) Contraindications (gemfibrozil, cyclosporine, danazol) and erythromycin (listed with strong CYP3A4 inhibitors)",
        ["gemfibrozil", "cyclosporine", "danazol", "erythromycin"]
    ),
    class!(
        "simvastatin-dose-limit-10",
        "drugs limiting simvastatin to 10 mg/day",
        "FDA label: Zocor (simvastatin) Dosage and Administration and Drug Interactions (verapamil, diltiazem, dronedarone: do not exceed 10 mg)",
        ["verapamil", "diltiazem", "dronedarone"]
    ),
    class!(
        "simvastatin-dose-limit-20",
        "drugs limiting simvastatin to 20 mg/day",
        "FDA label: Zocor (simvastatin) Dosage and Administration and Drug Interactions (amiodarone, amlodipine, ranolazine: do not exceed 20 mg; lomitapide: reduce dose)",
        ["amiodarone", "amlodipine", "ranolazine", "lomitapide"]
    ),
    class!(
        "fibrates",
        "fibric acid derivatives",
        "WHO ATC C10AB (fibrates)",
        ["gemfibrozil", "fenofibrate", "fenofibric acid"]
    ),
    // ---- Acid suppression ----
    class!(
        "ppis",
        "proton pump inhibitors",
        "WHO ATC A02BC (proton pump inhibitors)",
        [
            "omeprazole",
            "esomeprazole",
            "lansoprazole",
            "dexlansoprazole",
            "pantoprazole",
            "rabeprazole"
        ]
    ),
    class!(
        "ppis-cyp2c19-clopidogrel",
        "PPIs that inhibit CYP2C19 strongly enough to reduce clopidogrel activation",
        "FDA label: Plavix (clopidogrel) Warnings and Precautions (avoid omeprazole or esomeprazole)",
        ["omeprazole", "esomeprazole"]
    ),
    class!(
        "h2-blockers",
        "H2-receptor antagonists",
        "WHO ATC A02BA (H2-receptor antagonists)",
        ["famotidine", "cimetidine", "nizatidine", "ranitidine"]
    ),
    // ---- NSAIDs, analgesics ----
    class!(
        "nsaids",
        "non-steroidal anti-inflammatory drugs (excluding aspirin)",
        "WHO ATC M01A (anti-inflammatory and antirheumatic products, non-steroids); diflunisal WHO ATC N02BA11",
        [
            "ibuprofen",
            "naproxen",
            "diclofenac",
            "meloxicam",
            "celecoxib",
            "indomethacin",
            "ketorolac",
            "etodolac",
            "nabumetone",
            "piroxicam",
            "sulindac",
            "oxaprozin",
            "flurbiprofen",
            "ketoprofen",
            "diflunisal",
            "fenoprofen",
            "mefenamic acid",
            "meclofenamate",
            "tolmetin"
        ]
    ),
    class!(
        "nsaid-cross-reactive",
        "aspirin and NSAIDs (cross-reactive NSAID hypersensitivity group)",
        "Khan DA, et al. Drug allergy: a 2022 practice parameter update. J Allergy Clin Immunol 2022;150:1333-1393 (NSAID hypersensitivity)",
        [
            "aspirin",
            "ibuprofen",
            "naproxen",
            "diclofenac",
            "meloxicam",
            "celecoxib",
            "indomethacin",
            "ketorolac",
            "etodolac",
            "nabumetone",
            "piroxicam",
            "sulindac",
            "oxaprozin",
            "flurbiprofen",
            "ketoprofen",
            "diflunisal",
            "fenoprofen",
            "mefenamic acid",
            "meclofenamate",
            "tolmetin"
        ]
    ),
    class!(
        "opioids",
        "opioid analgesics",
        "WHO ATC N02A (opioids); buprenorphine N02AE/N07BC; methadone N07BC02",
        [
            "morphine",
            "codeine",
            "hydrocodone",
            "oxycodone",
            "oxymorphone",
            "hydromorphone",
            "fentanyl",
            "methadone",
            "meperidine",
            "tramadol",
            "tapentadol",
            "buprenorphine",
            "levorphanol",
            "butorphanol",
            "pentazocine"
        ]
    ),
    class!(
        "opioid-phenanthrenes",
        "phenanthrene opioids (possible allergic cross-sensitivity)",
        "Structural class (phenanthrene opioids): morphine, codeine, hydrocodone, oxycodone, hydromorphone, oxymorphone",
        [
            "morphine",
            "codeine",
            "hydrocodone",
            "oxycodone",
            "hydromorphone",
            "oxymorphone"
        ]
    ),
    class!(
        "opioids-cyp3a4",
        "opioids whose labels carry the CYP3A4-interaction boxed warning",
        "FDA labels Boxed Warning 'Cytochrome P450 3A4 interaction': Duragesic (fentanyl), OxyContin (oxycodone), Hysingla ER (hydrocodone), Dolophine (methadone), Butrans/Belbuca (buprenorphine), Ultram (tramadol), codeine sulfate",
        [
            "fentanyl",
            "oxycodone",
            "hydrocodone",
            "methadone",
            "buprenorphine",
            "tramadol",
            "codeine"
        ]
    ),
    // ---- Anticoagulants, antiplatelets ----
    class!(
        "anticoagulants",
        "anticoagulants",
        "WHO ATC B01AA (vitamin K antagonists), B01AB (heparin group), B01AE (direct thrombin inhibitors), B01AF (direct factor Xa inhibitors), B01AX05 (fondaparinux)",
        [
            "warfarin",
            "apixaban",
            "rivaroxaban",
            "edoxaban",
            "dabigatran etexilate",
            "enoxaparin",
            "dalteparin",
            "heparin",
            "fondaparinux"
        ]
    ),
    class!(
        "doacs",
        "direct oral anticoagulants",
        "WHO ATC B01AE07 (dabigatran), B01AF (direct factor Xa inhibitors)",
        [
            "apixaban",
            "rivaroxaban",
            "edoxaban",
            "dabigatran etexilate"
        ]
    ),
    class!(
        "doacs-cyp3a4-pgp",
        "oral factor Xa inhibitors dependent on CYP3A4 and P-gp",
        "FDA labels Drug Interactions: Eliquis (apixaban), Xarelto (rivaroxaban) (combined strong CYP3A4 and P-gp inhibitors)",
        ["apixaban", "rivaroxaban"]
    ),
    class!(
        "antiplatelets",
        "platelet aggregation inhibitors",
        "WHO ATC B01AC (platelet aggregation inhibitors excl. heparin)",
        [
            "aspirin",
            "clopidogrel",
            "prasugrel",
            "ticagrelor",
            "ticlopidine",
            "dipyridamole",
            "cilostazol",
            "vorapaxar"
        ]
    ),
    class!(
        "p2y12-inhibitors",
        "P2Y12 inhibitors",
        "WHO ATC B01AC (clopidogrel B01AC04, ticlopidine B01AC05, prasugrel B01AC22, ticagrelor B01AC24)",
        ["clopidogrel", "prasugrel", "ticagrelor", "ticlopidine"]
    ),
    class!(
        "cyp2c9-warfarin-major",
        "drugs that markedly potentiate warfarin (CYP2C9 inhibition or other)",
        "FDA label: Coumadin (warfarin) Drug Interactions (CYP2C9 inhibitors: amiodarone, fluconazole, metronidazole, miconazole, voriconazole, sulfamethoxazole); Xeloda (capecitabine) Boxed Warning; Holbrook AM, et al. Arch Intern Med 2005;165:1095-1106",
        [
            "amiodarone",
            "fluconazole",
            "voriconazole",
            "miconazole",
            "metronidazole",
            "sulfamethoxazole",
            "capecitabine"
        ]
    ),
    class!(
        "warfarin-potentiators-moderate",
        "drugs that can raise the INR on warfarin (monitor)",
        "FDA label: Coumadin (warfarin) Drug Interactions (antibiotics, fibrates); Holbrook AM, et al. Arch Intern Med 2005;165:1095-1106",
        [
            "ciprofloxacin",
            "levofloxacin",
            "moxifloxacin",
            "ofloxacin",
            "clarithromycin",
            "erythromycin",
            "azithromycin",
            "fenofibrate",
            "fenofibric acid",
            "gemfibrozil",
            "tramadol"
        ]
    ),
    // ---- Renin-angiotensin, potassium ----
    class!(
        "ace-inhibitors",
        "ACE inhibitors",
        "WHO ATC C09AA (ACE inhibitors, plain); RxNorm codes per NLM VSAC value set 2.16.840.1.113883.3.526.3.1489",
        [
            "benazepril",
            "captopril",
            "enalapril",
            "fosinopril",
            "lisinopril",
            "moexipril",
            "perindopril",
            "quinapril",
            "ramipril",
            "trandolapril"
        ]
    ),
    class!(
        "arbs",
        "angiotensin II receptor blockers",
        "WHO ATC C09CA (angiotensin II receptor blockers, plain); RxNorm codes per NLM VSAC value set 2.16.840.1.113883.3.526.3.1489",
        [
            "azilsartan",
            "candesartan",
            "eprosartan",
            "irbesartan",
            "losartan",
            "olmesartan",
            "telmisartan",
            "valsartan"
        ]
    ),
    class!(
        "raas-inhibitors",
        "renin-angiotensin-aldosterone system inhibitors (ACE inhibitors, ARBs, aliskiren)",
        "WHO ATC C09 (agents acting on the renin-angiotensin system)",
        [
            "benazepril",
            "captopril",
            "enalapril",
            "fosinopril",
            "lisinopril",
            "moexipril",
            "perindopril",
            "quinapril",
            "ramipril",
            "trandolapril",
            "azilsartan",
            "candesartan",
            "eprosartan",
            "irbesartan",
            "losartan",
            "olmesartan",
            "telmisartan",
            "valsartan",
            "aliskiren"
        ]
    ),
    class!(
        "potassium-sparing-diuretics",
        "potassium-sparing diuretics and mineralocorticoid receptor antagonists",
        "WHO ATC C03DA (aldosterone antagonists), C03DB (other potassium-sparing agents); finerenone C03DA05",
        [
            "spironolactone",
            "eplerenone",
            "finerenone",
            "amiloride",
            "triamterene"
        ]
    ),
    class!(
        "potassium-supplements",
        "potassium supplements",
        "WHO ATC A12BA (potassium)",
        ["potassium chloride", "potassium citrate"]
    ),
    // ---- Other cardiovascular ----
    class!(
        "beta-blockers",
        "beta-adrenergic blockers",
        "WHO ATC C07A (beta blocking agents); RxNorm codes per NLM VSAC value set 2.16.840.1.113883.3.526.3.1493",
        [
            "acebutolol",
            "atenolol",
            "betaxolol",
            "bisoprolol",
            "carvedilol",
            "esmolol",
            "labetalol",
            "metoprolol",
            "nadolol",
            "nebivolol",
            "pindolol",
            "propranolol",
            "sotalol",
            "timolol"
        ]
    ),
    class!(
        "dhp-ccbs",
        "dihydropyridine calcium channel blockers",
        "WHO ATC C08CA (dihydropyridine derivatives)",
        [
            "amlodipine",
            "nifedipine",
            "felodipine",
            "isradipine",
            "nicardipine",
            "nisoldipine",
            "nimodipine",
            "clevidipine"
        ]
    ),
    class!(
        "non-dhp-ccbs",
        "non-dihydropyridine calcium channel blockers",
        "WHO ATC C08DA (phenylalkylamine: verapamil), C08DB (benzothiazepine: diltiazem)",
        ["diltiazem", "verapamil"]
    ),
    class!(
        "loop-diuretics",
        "loop diuretics",
        "WHO ATC C03CA (sulfonamides, plain), C03CC (aryloxyacetic acid derivatives)",
        ["furosemide", "bumetanide", "torsemide", "ethacrynic acid"]
    ),
    class!(
        "thiazides",
        "thiazide and thiazide-like diuretics",
        "WHO ATC C03AA (thiazides, plain), C03BA (sulfonamides, plain)",
        [
            "hydrochlorothiazide",
            "chlorthalidone",
            "metolazone",
            "indapamide",
            "chlorothiazide"
        ]
    ),
    class!(
        "nitrates",
        "organic nitrates",
        "WHO ATC C01DA (organic nitrates)",
        [
            "nitroglycerin",
            "isosorbide mononitrate",
            "isosorbide dinitrate"
        ]
    ),
    class!(
        "alpha-blockers",
        "alpha-1 adrenergic blockers",
        "WHO ATC C02CA (alpha-adrenoreceptor antagonists), G04CA (alpha-adrenoreceptor antagonists, urologic)",
        [
            "doxazosin",
            "terazosin",
            "prazosin",
            "tamsulosin",
            "alfuzosin",
            "silodosin"
        ]
    ),
    class!(
        "pde5-inhibitors",
        "phosphodiesterase-5 inhibitors",
        "WHO ATC G04BE (drugs used in erectile dysfunction): sildenafil G04BE03, tadalafil G04BE08, vardenafil G04BE09, avanafil G04BE10",
        ["sildenafil", "tadalafil", "vardenafil", "avanafil"]
    ),
    class!(
        "digoxin-raisers-major",
        "drugs that substantially raise digoxin concentrations",
        "FDA label: Lanoxin (digoxin) Drug Interactions (P-gp inhibitors: amiodarone, dronedarone, verapamil, clarithromycin, quinidine, propafenone, itraconazole, ritonavir: measure levels, reduce digoxin 30-50%)",
        [
            "amiodarone",
            "dronedarone",
            "verapamil",
            "clarithromycin",
            "quinidine",
            "propafenone",
            "itraconazole",
            "ritonavir"
        ]
    ),
    class!(
        "digoxin-raisers-moderate",
        "drugs that moderately raise digoxin concentrations",
        "FDA label: Lanoxin (digoxin) Drug Interactions (diltiazem, erythromycin, azithromycin, cyclosporine, carvedilol, ranolazine)",
        [
            "diltiazem",
            "erythromycin",
            "azithromycin",
            "cyclosporine",
            "carvedilol",
            "ranolazine"
        ]
    ),
    class!(
        "dofetilide-contraindicated",
        "drugs contraindicated with dofetilide",
        "FDA label: Tikosyn (dofetilide) Contraindications",
        [
            "verapamil",
            "cimetidine",
            "trimethoprim",
            "ketoconazole",
            "prochlorperazine",
            "megestrol",
            "dolutegravir",
            "hydrochlorothiazide"
        ]
    ),
    // ---- QT ----
    class!(
        "qt-prolonging",
        "drugs with QT prolongation / torsades de pointes in FDA labeling (Boxed Warning, Contraindications or Warnings)",
        "FDA labeling of each member (Boxed Warning, Contraindications or Warnings and Precautions: QT prolongation/torsades de pointes). CredibleMeds lists were not used (not redistributable).",
        [
            "amiodarone",
            "sotalol",
            "dofetilide",
            "dronedarone",
            "quinidine",
            "procainamide",
            "disopyramide",
            "ibutilide",
            "flecainide",
            "haloperidol",
            "chlorpromazine",
            "thioridazine",
            "pimozide",
            "droperidol",
            "ziprasidone",
            "iloperidone",
            "quetiapine",
            "methadone",
            "citalopram",
            "ondansetron",
            "dolasetron",
            "azithromycin",
            "clarithromycin",
            "erythromycin",
            "telithromycin",
            "levofloxacin",
            "moxifloxacin",
            "ciprofloxacin",
            "ofloxacin",
            "gemifloxacin",
            "fluconazole",
            "ketoconazole",
            "posaconazole",
            "voriconazole",
            "hydroxychloroquine",
            "chloroquine",
            "mefloquine",
            "arsenic trioxide",
            "vandetanib",
            "nilotinib",
            "pentamidine",
            "anagrelide",
            "cisapride",
            "bedaquiline",
            "trazodone",
            "ranolazine"
        ]
    ),
    class!(
        "qt-contraindicated",
        "drugs whose labels contraindicate use with any other QT-prolonging drug",
        "FDA labels Contraindications: thioridazine; Orap (pimozide); Geodon (ziprasidone); Multaq (dronedarone); Propulsid (cisapride); ONC high-priority DDI list (QT prolonging agents)",
        [
            "thioridazine",
            "pimozide",
            "ziprasidone",
            "dronedarone",
            "cisapride"
        ]
    ),
    class!(
        "thioridazine-contraindicated",
        "drugs contraindicated with thioridazine (CYP2D6 inhibition or reduced clearance)",
        "FDA label: thioridazine Contraindications (fluvoxamine, propranolol, pindolol, drugs that inhibit CYP2D6 such as fluoxetine, paroxetine); FDA table of strong CYP2D6 inhibitors (bupropion, quinidine, terbinafine)",
        [
            "fluoxetine",
            "paroxetine",
            "fluvoxamine",
            "propranolol",
            "pindolol",
            "bupropion",
            "quinidine",
            "terbinafine"
        ]
    ),
    class!(
        "pimozide-contraindicated",
        "drugs contraindicated with pimozide",
        "FDA label: Orap (pimozide) Contraindications (macrolide antibiotics, azole antifungals, protease inhibitors, nefazodone, zileuton, SSRIs: sertraline, paroxetine, citalopram, escitalopram, fluoxetine, fluvoxamine); Zoloft, Paxil, Celexa, Lexapro, Prozac, Luvox Contraindications",
        [
            "clarithromycin",
            "erythromycin",
            "azithromycin",
            "telithromycin",
            "ketoconazole",
            "itraconazole",
            "fluconazole",
            "posaconazole",
            "voriconazole",
            "isavuconazonium",
            "ritonavir",
            "cobicistat",
            "atazanavir",
            "darunavir",
            "lopinavir",
            "saquinavir",
            "indinavir",
            "nelfinavir",
            "fosamprenavir",
            "tipranavir",
            "nefazodone",
            "zileuton",
            "sertraline",
            "paroxetine",
            "citalopram",
            "escitalopram",
            "fluoxetine",
            "fluvoxamine"
        ]
    ),
    // ---- CYP enzymes ----
    class!(
        "strong-cyp3a4-inhibitors",
        "strong CYP3A4 inhibitors (incl. HIV/HCV protease inhibitors used boosted)",
        "FDA Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers (strong CYP3A inhibitors); ONC high-priority DDI list (CYP3A4 inhibitors and protease inhibitors)",
        [
            "clarithromycin",
            "telithromycin",
            "itraconazole",
            "ketoconazole",
            "posaconazole",
            "voriconazole",
            "ritonavir",
            "cobicistat",
            "nefazodone",
            "atazanavir",
            "darunavir",
            "lopinavir",
            "saquinavir",
            "indinavir",
            "nelfinavir",
            "fosamprenavir",
            "tipranavir",
            "boceprevir",
            "telaprevir",
            "conivaptan",
            "idelalisib"
        ]
    ),
    class!(
        "moderate-cyp3a4-inhibitors",
        "moderate CYP3A4 inhibitors",
        "FDA Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers (moderate CYP3A inhibitors)",
        [
            "aprepitant",
            "ciprofloxacin",
            "crizotinib",
            "cyclosporine",
            "diltiazem",
            "dronedarone",
            "erythromycin",
            "fluconazole",
            "fluvoxamine",
            "imatinib",
            "verapamil",
            "isavuconazonium"
        ]
    ),
    class!(
        "strong-cyp3a4-inducers",
        "strong CYP3A4 inducers",
        "FDA Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers (strong CYP3A inducers: apalutamide, carbamazepine, enzalutamide, lumacaftor, mitotane, phenytoin, rifampin, St John's wort); also phenobarbital, primidone, fosphenytoin and rifapentine, which protease-inhibitor and Paxlovid labels contraindicate alongside them",
        [
            "rifampin",
            "rifapentine",
            "carbamazepine",
            "phenytoin",
            "fosphenytoin",
            "phenobarbital",
            "primidone",
            "st. john's wort",
            "enzalutamide",
            "apalutamide",
            "mitotane",
            "lumacaftor"
        ]
    ),
    class!(
        "hiv-protease-inhibitors",
        "HIV protease inhibitors",
        "WHO ATC J05AE (protease inhibitors)",
        [
            "atazanavir",
            "darunavir",
            "lopinavir",
            "ritonavir",
            "saquinavir",
            "indinavir",
            "nelfinavir",
            "fosamprenavir",
            "tipranavir"
        ]
    ),
    class!(
        "cyp3a4-contraindicated-substrates",
        "CYP3A4 substrates contraindicated with strong CYP3A4 inhibitors",
        "FDA labels Contraindications: Corlanor (ivabradine), Ranexa (ranolazine), Latuda (lurasidone), Inspra (eplerenone), Multaq (dronedarone), Halcion (triazolam), Xanax (alprazolam: ketoconazole, itraconazole), Juxtapid (lomitapide), Addyi (flibanserin), Movantik (naloxegol), Samsca (tolvaptan), Uroxatral (alfuzosin), Propulsid (cisapride)",
        [
            "ivabradine",
            "ranolazine",
            "lurasidone",
            "eplerenone",
            "dronedarone",
            "triazolam",
            "alprazolam",
            "lomitapide",
            "flibanserin",
            "naloxegol",
            "tolvaptan",
            "alfuzosin",
            "cisapride"
        ]
    ),
    class!(
        "cyp3a4-substrates-major",
        "CYP3A4 substrates needing avoidance or dose reduction with strong CYP3A4 inhibitors",
        "FDA labels Drug Interactions / Dosage: Seroquel (quetiapine: reduce to 1/6), midazolam, Brilinta (ticagrelor: avoid), Viagra/Revatio, Cialis, Levitra, Stendra (dose limits), Serevent/Advair (salmeterol: not recommended), fluticasone and budesonide (Cushing syndrome with ritonavir), Prograf, Neoral/Sandimmune, Rapamune, Zortress (levels), Belsomra (suvorexant: not recommended), Flomax (tamsulosin: avoid strong inhibitors)",
        [
            "quetiapine",
            "midazolam",
            "ticagrelor",
            "sildenafil",
            "tadalafil",
            "vardenafil",
            "avanafil",
            "salmeterol",
            "fluticasone",
            "budesonide",
            "tacrolimus",
            "cyclosporine",
            "sirolimus",
            "everolimus",
            "suvorexant",
            "tamsulosin"
        ]
    ),
    class!(
        "inducer-contraindicated",
        "drugs contraindicated with strong CYP3A4 inducers (loss of efficacy)",
        "FDA labels Contraindications: Paxlovid (nirmatrelvir/ritonavir), Latuda (lurasidone), Ranexa (ranolazine), Edurant (rilpivirine), Biktarvy (bictegravir), Vfend (voriconazole), Genvoya/Stribild (elvitegravir/cobicistat), Tybost (cobicistat)",
        [
            "nirmatrelvir",
            "lurasidone",
            "ranolazine",
            "rilpivirine",
            "bictegravir",
            "voriconazole",
            "elvitegravir",
            "cobicistat"
        ]
    ),
    class!(
        "inducer-major",
        "drugs losing efficacy with strong CYP3A4 (and P-gp) inducers",
        "FDA labels Drug Interactions (avoid strong CYP3A4/P-gp inducers): Eliquis, Xarelto, Savaysa, Pradaxa, Brilinta, Prograf, Neoral, Rapamune, Zortress, combined hormonal contraceptives, Seroquel, Dolophine, Duragesic, OxyContin, Butrans, Hysingla ER, Revatio/Adcirca, Corlanor, Multaq, Tivicay, Procardia XL, Plendil",
        [
            "apixaban",
            "rivaroxaban",
            "edoxaban",
            "dabigatran etexilate",
            "ticagrelor",
            "tacrolimus",
            "cyclosporine",
            "sirolimus",
            "everolimus",
            "ethinyl estradiol",
            "levonorgestrel",
            "norethindrone",
            "etonogestrel",
            "drospirenone",
            "norgestimate",
            "desogestrel",
            "norelgestromin",
            "quetiapine",
            "methadone",
            "fentanyl",
            "oxycodone",
            "buprenorphine",
            "hydrocodone",
            "sildenafil",
            "tadalafil",
            "ivabradine",
            "dronedarone",
            "dolutegravir",
            "nifedipine",
            "felodipine"
        ]
    ),
    class!(
        "cyp1a2-strong-inhibitors",
        "strong CYP1A2 inhibitors",
        "FDA Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers (strong CYP1A2 inhibitors: ciprofloxacin, enoxacin, fluvoxamine)",
        ["fluvoxamine", "ciprofloxacin", "enoxacin"]
    ),
    class!(
        "cyp1a2-inhibitors-tizanidine",
        "other CYP1A2 inhibitors named in tizanidine labeling",
        "FDA label: Zanaflex (tizanidine) Warnings and Precautions (avoid with zileuton, other fluoroquinolones, antiarrhythmics (amiodarone, mexiletine, propafenone, verapamil), cimetidine, famotidine, oral contraceptives, acyclovir, ticlopidine)",
        [
            "zileuton",
            "levofloxacin",
            "moxifloxacin",
            "ofloxacin",
            "norfloxacin",
            "gemifloxacin",
            "delafloxacin",
            "amiodarone",
            "mexiletine",
            "propafenone",
            "verapamil",
            "cimetidine",
            "famotidine",
            "ethinyl estradiol",
            "acyclovir",
            "ticlopidine"
        ]
    ),
    class!(
        "cyp3a4-moderate-contraindicated-substrates",
        "CYP3A4 substrates contraindicated even with moderate CYP3A4 inhibitors",
        "FDA labels Contraindications: Addyi (flibanserin: moderate or strong CYP3A4 inhibitors), Juxtapid (lomitapide: moderate or strong CYP3A4 inhibitors)",
        ["flibanserin", "lomitapide"]
    ),
    class!(
        "polyvalent-cations",
        "products containing calcium, iron or magnesium (chelation)",
        "FDA labels: Cipro (ciprofloxacin) and doxycycline Drug Interactions (multivalent cations); Synthroid (levothyroxine) Drug Interactions (calcium carbonate, ferrous sulfate)",
        ["calcium carbonate", "ferrous sulfate", "magnesium oxide"]
    ),
    class!(
        "levothyroxine-binders",
        "drugs that bind levothyroxine in the gut",
        "FDA label: Synthroid (levothyroxine) Drug Interactions (calcium carbonate, ferrous sulfate, bile acid sequestrants, sevelamer, sucralfate, magnesium-containing antacids)",
        [
            "calcium carbonate",
            "ferrous sulfate",
            "magnesium oxide",
            "cholestyramine",
            "colesevelam",
            "sevelamer",
            "sucralfate"
        ]
    ),
    class!(
        "strong-cyp2d6-inhibitors",
        "strong CYP2D6 inhibitors",
        "FDA Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers (strong CYP2D6 inhibitors)",
        [
            "fluoxetine",
            "paroxetine",
            "bupropion",
            "quinidine",
            "terbinafine"
        ]
    ),
    class!(
        "pgp-inhibitors-colchicine",
        "P-gp inhibitors named in colchicine labeling",
        "FDA label: Colcrys (colchicine) Drug Interactions (P-gp inhibitors: cyclosporine, ranolazine)",
        ["cyclosporine", "ranolazine"]
    ),
    // ---- Serotonergic, MAOI, adrenergic ----
    class!(
        "ssris",
        "selective serotonin reuptake inhibitors",
        "WHO ATC N06AB (selective serotonin reuptake inhibitors)",
        [
            "citalopram",
            "escitalopram",
            "fluoxetine",
            "fluvoxamine",
            "paroxetine",
            "sertraline"
        ]
    ),
    class!(
        "snris",
        "serotonin-norepinephrine reuptake inhibitors",
        "WHO ATC N06AX (duloxetine N06AX21, venlafaxine N06AX16, desvenlafaxine N06AX23, levomilnacipran, milnacipran)",
        [
            "duloxetine",
            "venlafaxine",
            "desvenlafaxine",
            "levomilnacipran",
            "milnacipran"
        ]
    ),
    class!(
        "ssri-snri",
        "serotonergic antidepressants (SSRIs, SNRIs, vilazodone, vortioxetine)",
        "WHO ATC N06AB and N06AX; FDA labels Warnings: abnormal bleeding",
        [
            "citalopram",
            "escitalopram",
            "fluoxetine",
            "fluvoxamine",
            "paroxetine",
            "sertraline",
            "duloxetine",
            "venlafaxine",
            "desvenlafaxine",
            "levomilnacipran",
            "milnacipran",
            "vilazodone",
            "vortioxetine"
        ]
    ),
    class!(
        "tcas",
        "tricyclic antidepressants",
        "WHO ATC N06AA (non-selective monoamine reuptake inhibitors)",
        [
            "amitriptyline",
            "nortriptyline",
            "imipramine",
            "desipramine",
            "clomipramine",
            "doxepin",
            "protriptyline",
            "trimipramine",
            "amoxapine"
        ]
    ),
    class!(
        "triptans",
        "triptans (5-HT1B/1D agonists)",
        "WHO ATC N02CC (selective serotonin (5HT1) agonists)",
        [
            "sumatriptan",
            "rizatriptan",
            "zolmitriptan",
            "eletriptan",
            "naratriptan",
            "almotriptan",
            "frovatriptan"
        ]
    ),
    class!(
        "serotonergic",
        "serotonergic drugs (serotonin syndrome risk)",
        "FDA labels Warnings 'Serotonin syndrome' (SSRIs, SNRIs, TCAs, triptans, tramadol, tapentadol, meperidine, methadone, fentanyl, buspirone, mirtazapine, trazodone, lithium, linezolid, methylene blue, cyclobenzaprine, dextromethorphan); ONC high-priority DDI list (SSRIs/serotonergic agents-MAOIs)",
        [
            "citalopram",
            "escitalopram",
            "fluoxetine",
            "fluvoxamine",
            "paroxetine",
            "sertraline",
            "vilazodone",
            "vortioxetine",
            "duloxetine",
            "venlafaxine",
            "desvenlafaxine",
            "levomilnacipran",
            "milnacipran",
            "amitriptyline",
            "nortriptyline",
            "imipramine",
            "desipramine",
            "clomipramine",
            "doxepin",
            "protriptyline",
            "trimipramine",
            "amoxapine",
            "trazodone",
            "nefazodone",
            "mirtazapine",
            "buspirone",
            "lithium",
            "st. john's wort",
            "sumatriptan",
            "rizatriptan",
            "zolmitriptan",
            "eletriptan",
            "naratriptan",
            "almotriptan",
            "frovatriptan",
            "tramadol",
            "tapentadol",
            "meperidine",
            "methadone",
            "fentanyl",
            "dextromethorphan",
            "cyclobenzaprine",
            "linezolid",
            "methylene blue"
        ]
    ),
    class!(
        "maoi",
        "monoamine oxidase inhibitors (incl. MAO-B inhibitors, linezolid, methylene blue, procarbazine)",
        "WHO ATC N06AF (MAO inhibitors, non-selective), N06AG (MAO-A), N04BD (MAO-B inhibitors); FDA labels: Zyvox (linezolid) and ProvayBlue (methylene blue) Warnings (MAO inhibition); Matulane (procarbazine); ONC high-priority DDI list (MAO inhibitors incl. procarbazine)",
        [
            "phenelzine",
            "tranylcypromine",
            "isocarboxazid",
            "selegiline",
            "rasagiline",
            "safinamide",
            "procarbazine",
            "linezolid",
            "methylene blue"
        ]
    ),
    class!(
        "maoi-nonselective",
        "non-selective (MAO-A) inhibitors, incl. selegiline (transdermal doses) and procarbazine",
        "WHO ATC N06AF; FDA labels Contraindications: Nardil, Parnate, Marplan, Emsam (selegiline transdermal); ONC high-priority DDI list MAO inhibitor membership (tranylcypromine, phenelzine, isocarboxazid, procarbazine, selegiline)",
        [
            "phenelzine",
            "tranylcypromine",
            "isocarboxazid",
            "selegiline",
            "procarbazine"
        ]
    ),
    class!(
        "mao-b-inhibitors",
        "MAO-B inhibitors",
        "WHO ATC N04BD (monoamine oxidase B inhibitors)",
        ["selegiline", "rasagiline", "safinamide"]
    ),
    class!(
        "maob-contraindicated",
        "drugs contraindicated with MAO-B inhibitors",
        "FDA labels Contraindications: Azilect (rasagiline) and Xadago (safinamide): meperidine, tramadol, methadone, dextromethorphan, St John's wort, cyclobenzaprine; Nucynta (tapentadol) Contraindications: MAO inhibitors",
        [
            "meperidine",
            "tramadol",
            "methadone",
            "dextromethorphan",
            "st. john's wort",
            "cyclobenzaprine",
            "tapentadol"
        ]
    ),
    class!(
        "sympathomimetics",
        "amphetamine derivatives and other indirect sympathomimetics",
        "ONC high-priority DDI list (Phansalkar 2012) amphetamine derivatives membership: dexmethylphenidate, dextroamphetamine, methylphenidate, lisdexamfetamine, methamphetamine, phendimetrazine, pseudoephedrine, amphetamine, benzphetamine, diethylpropion, phentermine, atomoxetine; FDA labels Nardil/Parnate Contraindications (sympathomimetics incl. phenylephrine, ephedrine)",
        [
            "amphetamine",
            "dextroamphetamine",
            "lisdexamfetamine",
            "methamphetamine",
            "methylphenidate",
            "dexmethylphenidate",
            "phentermine",
            "phendimetrazine",
            "benzphetamine",
            "diethylpropion",
            "atomoxetine",
            "pseudoephedrine",
            "phenylephrine",
            "ephedrine"
        ]
    ),
    class!(
        "stimulants",
        "CNS stimulants for ADHD",
        "WHO ATC N06BA (centrally acting sympathomimetics)",
        [
            "amphetamine",
            "dextroamphetamine",
            "lisdexamfetamine",
            "methamphetamine",
            "methylphenidate",
            "dexmethylphenidate"
        ]
    ),
    class!(
        "ergot-alkaloids",
        "ergot alkaloids",
        "WHO ATC N02CA (ergot alkaloids), G02AB (ergot alkaloids, obstetric)",
        [
            "ergotamine",
            "dihydroergotamine",
            "methylergonovine",
            "ergonovine"
        ]
    ),
    // ---- CNS depressants ----
    class!(
        "benzodiazepines",
        "benzodiazepines",
        "WHO ATC N05BA (benzodiazepine derivatives, anxiolytics), N05CD (benzodiazepine derivatives, hypnotics), N03AE (clonazepam), clobazam N05BA09",
        [
            "alprazolam",
            "clonazepam",
            "lorazepam",
            "diazepam",
            "temazepam",
            "triazolam",
            "chlordiazepoxide",
            "clorazepate",
            "oxazepam",
            "midazolam",
            "estazolam",
            "flurazepam",
            "clobazam"
        ]
    ),
    class!(
        "z-drugs",
        "non-benzodiazepine hypnotics (Z-drugs)",
        "WHO ATC N05CF (benzodiazepine related drugs)",
        ["zolpidem", "eszopiclone", "zaleplon"]
    ),
    class!(
        "gabapentinoids",
        "gabapentinoids",
        "WHO ATC N03AX12 (gabapentin), N03AX16 (pregabalin)",
        ["gabapentin", "pregabalin"]
    ),
    class!(
        "muscle-relaxants",
        "centrally acting muscle relaxants",
        "WHO ATC M03B (muscle relaxants, centrally acting)",
        [
            "baclofen",
            "cyclobenzaprine",
            "methocarbamol",
            "tizanidine",
            "carisoprodol",
            "metaxalone",
            "orphenadrine",
            "chlorzoxazone"
        ]
    ),
    class!(
        "cns-depressants-other",
        "other CNS depressants (non-benzodiazepine)",
        "FDA opioid labels Boxed Warning (concomitant use with benzodiazepines or other CNS depressants); FDA Drug Safety Communication 2019-12-19 (gabapentinoids with opioids)",
        [
            "zolpidem",
            "eszopiclone",
            "zaleplon",
            "gabapentin",
            "pregabalin",
            "baclofen",
            "cyclobenzaprine",
            "methocarbamol",
            "tizanidine",
            "carisoprodol",
            "metaxalone",
            "orphenadrine",
            "chlorzoxazone",
            "phenobarbital",
            "butalbital",
            "primidone",
            "hydroxyzine",
            "promethazine",
            "diphenhydramine",
            "doxylamine"
        ]
    ),
    class!(
        "antipsychotics",
        "antipsychotics",
        "WHO ATC N05A (antipsychotics, excl. lithium N05AN)",
        [
            "aripiprazole",
            "brexpiprazole",
            "cariprazine",
            "clozapine",
            "haloperidol",
            "iloperidone",
            "lurasidone",
            "olanzapine",
            "paliperidone",
            "quetiapine",
            "risperidone",
            "ziprasidone",
            "chlorpromazine",
            "fluphenazine",
            "perphenazine",
            "thioridazine",
            "pimozide",
            "asenapine",
            "lumateperone",
            "droperidol",
            "pimavanserin",
            "prochlorperazine"
        ]
    ),
    class!(
        "aromatic-antiepileptics",
        "aromatic antiepileptics (cross-sensitivity of serious skin reactions)",
        "FDA labels Warnings: Tegretol (carbamazepine), Trileptal (oxcarbazepine: 25-30% cross-sensitivity with carbamazepine), Dilantin (phenytoin); phenobarbital/primidone per Khan DA, et al. J Allergy Clin Immunol 2022;150:1333-1393",
        [
            "carbamazepine",
            "oxcarbazepine",
            "phenytoin",
            "fosphenytoin",
            "phenobarbital",
            "primidone"
        ]
    ),
    class!(
        "valproates",
        "valproate products",
        "WHO ATC N03AG01 (valproic acid, incl. divalproex)",
        ["valproic acid", "divalproex sodium"]
    ),
    // ---- Diabetes ----
    class!(
        "sulfonylureas",
        "sulfonylureas",
        "WHO ATC A10BB (sulfonylureas)",
        [
            "glipizide",
            "glyburide",
            "glimepiride",
            "chlorpropamide",
            "tolbutamide",
            "tolazamide"
        ]
    ),
    class!(
        "sglt2-inhibitors",
        "SGLT2 inhibitors",
        "WHO ATC A10BK (SGLT2 inhibitors)",
        [
            "canagliflozin",
            "dapagliflozin",
            "empagliflozin",
            "ertugliflozin",
            "bexagliflozin",
            "sotagliflozin"
        ]
    ),
    class!(
        "dpp4-inhibitors",
        "DPP-4 inhibitors",
        "WHO ATC A10BH (DPP-4 inhibitors)",
        ["sitagliptin", "saxagliptin", "linagliptin", "alogliptin"]
    ),
    class!(
        "glp1-agonists",
        "GLP-1 receptor agonists (incl. GIP/GLP-1 tirzepatide)",
        "WHO ATC A10BJ (GLP-1 analogues); tirzepatide A10BX16",
        [
            "semaglutide",
            "liraglutide",
            "dulaglutide",
            "exenatide",
            "lixisenatide",
            "tirzepatide"
        ]
    ),
    class!(
        "incretin-therapies",
        "incretin-based therapies (DPP-4 inhibitors and GLP-1 receptor agonists)",
        "WHO ATC A10BH and A10BJ; ADA Standards of Care in Diabetes (no added benefit of DPP-4 inhibitor with GLP-1 RA)",
        [
            "sitagliptin",
            "saxagliptin",
            "linagliptin",
            "alogliptin",
            "semaglutide",
            "liraglutide",
            "dulaglutide",
            "exenatide",
            "lixisenatide",
            "tirzepatide"
        ]
    ),
    // ---- Respiratory ----
    class!(
        "labas",
        "long-acting beta2 agonists",
        "WHO ATC R03AC (selective beta-2-adrenoreceptor agonists, long-acting members)",
        [
            "salmeterol",
            "formoterol",
            "vilanterol",
            "olodaterol",
            "arformoterol",
            "indacaterol"
        ]
    ),
    class!(
        "lamas",
        "long-acting muscarinic antagonists (inhaled)",
        "WHO ATC R03BB (anticholinergics, inhaled long-acting members)",
        ["tiotropium", "umeclidinium", "aclidinium", "revefenacin"]
    ),
    // ---- Anti-infectives ----
    class!(
        "penicillins",
        "penicillins",
        "WHO ATC J01CA, J01CE, J01CF (penicillins)",
        [
            "amoxicillin",
            "ampicillin",
            "penicillin v",
            "penicillin g",
            "dicloxacillin",
            "nafcillin",
            "oxacillin",
            "piperacillin"
        ]
    ),
    class!(
        "aminopenicillins",
        "aminopenicillins",
        "WHO ATC J01CA01 (ampicillin), J01CA04 (amoxicillin)",
        ["amoxicillin", "ampicillin"]
    ),
    class!(
        "cephalosporins",
        "cephalosporins",
        "WHO ATC J01DB, J01DC, J01DD, J01DE, J01DI (cephalosporins)",
        [
            "cefazolin",
            "cephalexin",
            "cefadroxil",
            "cefuroxime",
            "cefaclor",
            "cefprozil",
            "cefoxitin",
            "cefotetan",
            "ceftriaxone",
            "cefdinir",
            "cefpodoxime",
            "cefixime",
            "cefotaxime",
            "ceftazidime",
            "ceftibuten",
            "cefditoren",
            "cefepime",
            "ceftaroline",
            "cefiderocol"
        ]
    ),
    class!(
        "cephalosporins-aminopenicillin-side-chain",
        "cephalosporins with an R1 side chain identical or similar to amoxicillin/ampicillin",
        "Khan DA, et al. Drug allergy: a 2022 practice parameter update. J Allergy Clin Immunol 2022;150:1333-1393 (R1 side-chain table: cephalexin, cefadroxil, cefaclor, cefprozil)",
        ["cephalexin", "cefadroxil", "cefaclor", "cefprozil"]
    ),
    class!(
        "carbapenems",
        "carbapenems",
        "WHO ATC J01DH (carbapenems)",
        ["imipenem", "meropenem", "ertapenem", "doripenem"]
    ),
    class!(
        "sulfonamide-antibiotics",
        "sulfonamide antimicrobials (arylamine sulfonamides)",
        "WHO ATC J01E (sulfonamides and trimethoprim), D06BA (sulfonamides, topical), S01AB04 (sulfacetamide), A07EC01 (sulfasalazine: sulfapyridine moiety)",
        [
            "sulfamethoxazole",
            "sulfadiazine",
            "sulfisoxazole",
            "sulfacetamide",
            "silver sulfadiazine",
            "sulfasalazine"
        ]
    ),
    class!(
        "sulfonamide-nonantibiotics",
        "non-antibiotic sulfonamides (no arylamine group)",
        "Strom BL, et al. Absence of cross-reactivity between sulfonamide antibiotics and sulfonamide nonantibiotics. N Engl J Med 2003;349:1628-1635",
        [
            "furosemide",
            "bumetanide",
            "torsemide",
            "hydrochlorothiazide",
            "chlorthalidone",
            "metolazone",
            "indapamide",
            "chlorothiazide",
            "acetazolamide",
            "celecoxib",
            "glipizide",
            "glyburide",
            "glimepiride",
            "sumatriptan",
            "zonisamide"
        ]
    ),
    class!(
        "fluoroquinolones",
        "fluoroquinolones",
        "WHO ATC J01MA (fluoroquinolones)",
        [
            "ciprofloxacin",
            "levofloxacin",
            "moxifloxacin",
            "ofloxacin",
            "delafloxacin",
            "gemifloxacin",
            "norfloxacin",
            "enoxacin"
        ]
    ),
    class!(
        "macrolides",
        "macrolides and ketolides",
        "WHO ATC J01FA (macrolides)",
        [
            "azithromycin",
            "clarithromycin",
            "erythromycin",
            "telithromycin"
        ]
    ),
    class!(
        "tetracyclines",
        "tetracyclines",
        "WHO ATC J01AA (tetracyclines)",
        ["doxycycline", "minocycline", "tetracycline"]
    ),
    class!(
        "aminoglycosides",
        "aminoglycosides",
        "WHO ATC J01GB (other aminoglycosides)",
        ["gentamicin", "tobramycin", "amikacin"]
    ),
    class!(
        "azole-antifungals",
        "azole antifungals (systemic)",
        "WHO ATC J02AB (imidazoles), J02AC (triazoles)",
        [
            "fluconazole",
            "itraconazole",
            "ketoconazole",
            "posaconazole",
            "voriconazole",
            "isavuconazonium"
        ]
    ),
    class!(
        "thiopurines",
        "thiopurines",
        "WHO ATC L04AX01 (azathioprine), L01BB02 (mercaptopurine)",
        ["azathioprine", "mercaptopurine"]
    ),
    class!(
        "xanthine-oxidase-inhibitors",
        "xanthine oxidase inhibitors",
        "WHO ATC M04AA (preparations inhibiting uric acid production)",
        ["allopurinol", "febuxostat"]
    ),
    // ---- Other ----
    class!(
        "systemic-corticosteroids",
        "systemic corticosteroids",
        "WHO ATC H02AB (glucocorticoids)",
        [
            "prednisone",
            "prednisolone",
            "methylprednisolone",
            "dexamethasone",
            "hydrocortisone"
        ]
    ),
    class!(
        "bisphosphonates",
        "bisphosphonates",
        "WHO ATC M05BA (bisphosphonates)",
        [
            "alendronate",
            "risedronate",
            "ibandronate",
            "zoledronic acid"
        ]
    ),
];
