//! Ingredient dictionary and combination products.
//!
//! Names are RxNorm ingredient (IN) terms in lower case. RxCUIs are given only where they were
//! cross-checked against a public RxNorm-derived table (see [`crate::data::RXCUI_PROVENANCE`]);
//! every other entry carries `None` on purpose: a wrong CUI is worse than none.
//!
//! Which drugs: the ClinCalc DrugStats Top 300 list is the selection reference ([`TOP300`]);
//! further ingredients are added so that every class table lists every member ([`CLASS_FILL`]).
//! Brand names are US trade names as printed on FDA-approved labeling.

use crate::{Combination, Drug};

/// Selection source for the most prescribed US drugs.
pub const TOP300: &str = "Selection: ClinCalc DrugStats Top 300 (most prescribed US outpatient drugs, \
     from the Medical Expenditure Panel Survey); name: RxNorm ingredient (IN); brands: FDA labeling";
/// Selection source for members added so that class tables are complete.
pub const CLASS_FILL: &str = "Selection: class completeness (member of a class table in this crate); \
     name: RxNorm ingredient (IN); brands: FDA labeling";

macro_rules! drug {
    ($name:literal, $cui:expr, [$($b:literal),* $(,)?], [$($a:literal),* $(,)?], $src:expr) => {
        Drug { name: $name, rxcui: $cui, brands: &[$($b),*], aliases: &[$($a),*], source: $src }
    };
}

const T: &str = TOP300;
const C: &str = CLASS_FILL;

/// Every ingredient Iris knows. Order is irrelevant; names are unique (a test checks).
pub static DRUGS: &[Drug] = &[
    // ---- Lipid-lowering ----
    drug!(
        "atorvastatin",
        Some("83367"),
        ["Lipitor", "Atorvaliq"],
        [],
        T
    ),
    drug!("simvastatin", Some("36567"), ["Zocor", "FloLipid"], [], T),
    drug!(
        "rosuvastatin",
        Some("301542"),
        ["Crestor", "Ezallor"],
        [],
        T
    ),
    drug!("pravastatin", Some("42463"), ["Pravachol"], [], T),
    drug!("lovastatin", Some("6472"), ["Mevacor", "Altoprev"], [], T),
    drug!(
        "pitavastatin",
        Some("861634"),
        ["Livalo", "Zypitamag"],
        [],
        C
    ),
    drug!("fluvastatin", Some("41127"), ["Lescol", "Lescol XL"], [], C),
    drug!("ezetimibe", None, ["Zetia"], [], T),
    drug!(
        "fenofibrate",
        None,
        ["Tricor", "Lofibra", "Fenoglide", "Triglide", "Antara"],
        [],
        T
    ),
    drug!("fenofibric acid", None, ["Trilipix", "Fibricor"], [], C),
    drug!("gemfibrozil", None, ["Lopid"], [], T),
    drug!("icosapent ethyl", None, ["Vascepa"], [], T),
    drug!(
        "omega-3-acid ethyl esters",
        None,
        ["Lovaza"],
        ["fish oil", "omega-3 fatty acids", "omega 3"],
        T
    ),
    drug!("niacin", None, ["Niaspan", "Niacor"], ["nicotinic acid"], T),
    drug!("colesevelam", None, ["Welchol"], [], T),
    drug!("cholestyramine", None, ["Questran", "Prevalite"], [], C),
    // ---- ACE inhibitors, ARBs, renin/neprilysin ----
    drug!(
        "lisinopril",
        Some("29046"),
        ["Prinivil", "Zestril", "Qbrelis"],
        [],
        T
    ),
    drug!("enalapril", Some("3827"), ["Vasotec", "Epaned"], [], T),
    drug!("benazepril", Some("18867"), ["Lotensin"], [], T),
    drug!("ramipril", Some("35296"), ["Altace"], [], T),
    drug!("quinapril", Some("35208"), ["Accupril"], [], T),
    drug!("fosinopril", Some("50166"), ["Monopril"], [], C),
    drug!("captopril", Some("1998"), ["Capoten"], [], C),
    drug!("moexipril", Some("30131"), ["Univasc"], [], C),
    drug!("perindopril", Some("54552"), ["Aceon"], [], C),
    drug!("trandolapril", Some("38454"), ["Mavik"], [], C),
    drug!("losartan", Some("52175"), ["Cozaar"], [], T),
    drug!("valsartan", Some("69749"), ["Diovan"], [], T),
    drug!("olmesartan", Some("321064"), ["Benicar"], [], T),
    drug!("irbesartan", Some("83818"), ["Avapro"], [], T),
    drug!("telmisartan", Some("73494"), ["Micardis"], [], T),
    drug!("candesartan", Some("214354"), ["Atacand"], [], T),
    drug!("azilsartan", Some("1091643"), ["Edarbi"], [], C),
    drug!("eprosartan", Some("83515"), ["Teveten"], [], C),
    drug!("sacubitril", Some("1656328"), [], [], C),
    drug!("aliskiren", None, ["Tekturna"], [], C),
    // ---- Calcium channel blockers ----
    drug!(
        "amlodipine",
        None,
        ["Norvasc", "Katerzia", "Norliqva"],
        [],
        T
    ),
    drug!(
        "nifedipine",
        None,
        ["Procardia", "Procardia XL", "Adalat CC"],
        [],
        T
    ),
    drug!("felodipine", None, ["Plendil"], [], C),
    drug!("isradipine", None, [], [], C),
    drug!("nicardipine", None, ["Cardene"], [], C),
    drug!("nisoldipine", None, ["Sular"], [], C),
    drug!("nimodipine", None, ["Nymalize"], [], C),
    drug!("clevidipine", None, ["Cleviprex"], [], C),
    drug!(
        "diltiazem",
        None,
        [
            "Cardizem",
            "Cardizem CD",
            "Cardizem LA",
            "Tiazac",
            "Cartia XT",
            "Taztia XT",
            "Matzim LA"
        ],
        [],
        T
    ),
    drug!(
        "verapamil",
        None,
        ["Calan", "Calan SR", "Verelan", "Verelan PM", "Isoptin SR"],
        [],
        T
    ),
    // ---- Beta blockers ----
    drug!(
        "metoprolol",
        Some("6918"),
        ["Lopressor", "Toprol XL", "Toprol", "Kapspargo Sprinkle"],
        [],
        T
    ),
    drug!("atenolol", Some("1202"), ["Tenormin"], [], T),
    drug!("carvedilol", Some("20352"), ["Coreg", "Coreg CR"], [], T),
    drug!(
        "propranolol",
        Some("8787"),
        [
            "Inderal",
            "Inderal LA",
            "Inderal XL",
            "InnoPran XL",
            "Hemangeol"
        ],
        [],
        T
    ),
    drug!("bisoprolol", Some("19484"), ["Zebeta"], [], T),
    drug!("nebivolol", Some("31555"), ["Bystolic"], [], T),
    drug!("labetalol", Some("6185"), ["Trandate"], [], T),
    drug!("nadolol", Some("7226"), ["Corgard"], [], T),
    drug!("acebutolol", Some("149"), ["Sectral"], [], C),
    drug!("betaxolol", Some("1520"), ["Kerlone", "Betoptic S"], [], C),
    drug!("pindolol", Some("8332"), [], [], C),
    drug!(
        "sotalol",
        Some("9947"),
        ["Betapace", "Betapace AF", "Sorine", "Sotylize"],
        [],
        T
    ),
    drug!("timolol", Some("10600"), ["Timoptic", "Istalol"], [], T),
    drug!("esmolol", Some("49737"), ["Brevibloc"], [], C),
    // ---- Diuretics ----
    drug!(
        "hydrochlorothiazide",
        Some("5487"),
        ["Microzide"],
        ["hctz"],
        T
    ),
    drug!("chlorthalidone", None, ["Thalitone", "Hygroton"], [], T),
    drug!("metolazone", None, ["Zaroxolyn"], [], T),
    drug!("indapamide", None, [], [], C),
    drug!("chlorothiazide", None, ["Diuril"], [], C),
    drug!(
        "furosemide",
        Some("4603"),
        ["Lasix", "Furoscix"],
        ["frusemide"],
        T
    ),
    drug!("bumetanide", None, ["Bumex"], [], T),
    drug!("torsemide", None, ["Demadex", "Soaanz"], [], T),
    drug!("ethacrynic acid", None, ["Edecrin"], [], C),
    drug!(
        "spironolactone",
        Some("9997"),
        ["Aldactone", "CaroSpir"],
        [],
        T
    ),
    drug!("eplerenone", None, ["Inspra"], [], C),
    drug!("finerenone", None, ["Kerendia"], [], C),
    drug!("amiloride", None, ["Midamor"], [], C),
    drug!("triamterene", None, ["Dyrenium"], [], T),
    drug!("acetazolamide", None, ["Diamox Sequels"], [], C),
    // ---- Other cardiovascular ----
    drug!(
        "clonidine",
        None,
        ["Catapres", "Catapres-TTS", "Kapvay", "Nexiclon XR"],
        [],
        T
    ),
    drug!("guanfacine", None, ["Intuniv", "Tenex"], [], T),
    drug!("methyldopa", None, [], [], C),
    drug!("hydralazine", Some("5470"), [], [], T),
    drug!("minoxidil", None, ["Loniten", "Rogaine"], [], T),
    drug!("doxazosin", None, ["Cardura", "Cardura XL"], [], T),
    drug!("terazosin", None, [], [], T),
    drug!("prazosin", None, ["Minipress"], [], T),
    drug!(
        "isosorbide mononitrate",
        None,
        ["Imdur", "Monoket", "Ismo"],
        ["ismn"],
        T
    ),
    drug!(
        "isosorbide dinitrate",
        Some("6058"),
        ["Isordil", "Isordil Titradose", "Dilatrate-SR"],
        ["isdn"],
        T
    ),
    drug!(
        "nitroglycerin",
        None,
        [
            "Nitrostat",
            "Nitro-Dur",
            "Nitrolingual",
            "Minitran",
            "Nitro-Bid",
            "GoNitro",
            "Rectiv",
            "NitroMist"
        ],
        ["ntg", "glyceryl trinitrate"],
        T
    ),
    drug!("ranolazine", None, ["Ranexa", "Aspruzyo Sprinkle"], [], T),
    drug!("ivabradine", None, ["Corlanor"], [], C),
    drug!(
        "digoxin",
        Some("3407"),
        ["Lanoxin", "Digitek", "Digox"],
        [],
        T
    ),
    drug!(
        "amiodarone",
        None,
        ["Pacerone", "Cordarone", "Nexterone"],
        [],
        T
    ),
    drug!("dronedarone", None, ["Multaq"], [], C),
    drug!("dofetilide", None, ["Tikosyn"], [], C),
    drug!("flecainide", Some("4441"), ["Tambocor"], [], T),
    drug!(
        "propafenone",
        Some("8754"),
        ["Rythmol", "Rythmol SR"],
        [],
        C
    ),
    drug!("quinidine", Some("9068"), [], [], C),
    drug!("procainamide", None, [], [], C),
    drug!("disopyramide", None, ["Norpace", "Norpace CR"], [], C),
    drug!("mexiletine", None, [], [], C),
    drug!("ibutilide", None, ["Corvert"], [], C),
    // ---- Anticoagulants and antiplatelets ----
    drug!("warfarin", Some("11289"), ["Coumadin", "Jantoven"], [], T),
    drug!("apixaban", Some("1364430"), ["Eliquis"], [], T),
    drug!("rivaroxaban", Some("1114195"), ["Xarelto"], [], T),
    drug!(
        "dabigatran etexilate",
        Some("1037042"),
        ["Pradaxa"],
        ["dabigatran"],
        T
    ),
    drug!("edoxaban", None, ["Savaysa"], [], C),
    drug!("enoxaparin", None, ["Lovenox"], [], T),
    drug!("dalteparin", None, ["Fragmin"], [], C),
    drug!("heparin", None, [], ["unfractionated heparin", "ufh"], C),
    drug!("fondaparinux", None, ["Arixtra"], [], C),
    drug!("clopidogrel", Some("32968"), ["Plavix"], [], T),
    drug!("prasugrel", None, ["Effient"], [], T),
    drug!("ticagrelor", None, ["Brilinta"], [], T),
    drug!("ticlopidine", None, [], [], C),
    drug!(
        "aspirin",
        Some("1191"),
        [
            "Bayer",
            "Ecotrin",
            "Bufferin",
            "Durlaza",
            "Vazalore",
            "St. Joseph"
        ],
        [
            "acetylsalicylic acid",
            "asa",
            "baby aspirin",
            "low dose aspirin"
        ],
        T
    ),
    drug!("dipyridamole", None, ["Persantine"], [], C),
    drug!("cilostazol", None, [], [], T),
    drug!("vorapaxar", None, ["Zontivity"], [], C),
    // ---- Diabetes ----
    drug!(
        "metformin",
        Some("6809"),
        [
            "Glucophage",
            "Glucophage XR",
            "Glumetza",
            "Fortamet",
            "Riomet"
        ],
        [],
        T
    ),
    drug!(
        "glipizide",
        Some("4821"),
        ["Glucotrol", "Glucotrol XL"],
        [],
        T
    ),
    drug!("glimepiride", Some("25789"), ["Amaryl"], [], T),
    drug!(
        "glyburide",
        Some("4815"),
        ["Diabeta", "Glynase", "Micronase"],
        ["glibenclamide"],
        T
    ),
    drug!("chlorpropamide", Some("2404"), [], [], C),
    drug!("tolbutamide", None, [], [], C),
    drug!("tolazamide", None, [], [], C),
    drug!("pioglitazone", None, ["Actos"], [], T),
    drug!("rosiglitazone", Some("84108"), ["Avandia"], [], C),
    drug!("sitagliptin", None, ["Januvia", "Zituvio"], [], T),
    drug!("linagliptin", None, ["Tradjenta"], [], T),
    drug!("saxagliptin", None, ["Onglyza"], [], C),
    drug!("alogliptin", None, ["Nesina"], [], C),
    drug!("empagliflozin", None, ["Jardiance"], [], T),
    drug!("dapagliflozin", None, ["Farxiga"], [], T),
    drug!("canagliflozin", None, ["Invokana"], [], T),
    drug!("ertugliflozin", None, ["Steglatro"], [], C),
    drug!("bexagliflozin", None, ["Brenzavvy"], [], C),
    drug!("sotagliflozin", None, ["Inpefa"], [], C),
    drug!(
        "semaglutide",
        None,
        ["Ozempic", "Rybelsus", "Wegovy"],
        [],
        T
    ),
    drug!("liraglutide", None, ["Victoza", "Saxenda"], [], T),
    drug!("dulaglutide", None, ["Trulicity"], [], T),
    drug!(
        "exenatide",
        None,
        ["Byetta", "Bydureon", "Bydureon BCise"],
        [],
        C
    ),
    drug!("lixisenatide", None, ["Adlyxin"], [], C),
    drug!("tirzepatide", None, ["Mounjaro", "Zepbound"], [], T),
    drug!(
        "insulin glargine",
        None,
        ["Lantus", "Basaglar", "Toujeo", "Semglee", "Rezvoglar"],
        [],
        T
    ),
    drug!("insulin detemir", None, ["Levemir"], [], T),
    drug!("insulin degludec", None, ["Tresiba"], [], T),
    drug!(
        "insulin lispro",
        None,
        ["Humalog", "Admelog", "Lyumjev"],
        [],
        T
    ),
    drug!("insulin aspart", None, ["Novolog", "Fiasp"], [], T),
    drug!("insulin glulisine", None, ["Apidra"], [], C),
    drug!(
        "insulin isophane, human",
        None,
        ["Humulin N", "Novolin N"],
        ["nph insulin", "insulin nph", "insulin isophane"],
        T
    ),
    drug!(
        "insulin, regular, human",
        None,
        ["Humulin R", "Novolin R", "Myxredlin"],
        ["regular insulin", "insulin regular"],
        T
    ),
    drug!("repaglinide", None, ["Prandin"], [], C),
    drug!("nateglinide", None, ["Starlix"], [], C),
    drug!("acarbose", None, ["Precose"], [], C),
    // ---- Gastrointestinal ----
    drug!(
        "omeprazole",
        Some("7646"),
        ["Prilosec", "Prilosec OTC"],
        [],
        T
    ),
    drug!(
        "esomeprazole",
        Some("283742"),
        ["Nexium", "Nexium 24HR"],
        [],
        T
    ),
    drug!(
        "lansoprazole",
        Some("17128"),
        ["Prevacid", "Prevacid SoluTab"],
        [],
        T
    ),
    drug!("dexlansoprazole", Some("816346"), ["Dexilant"], [], T),
    drug!("pantoprazole", Some("40790"), ["Protonix"], [], T),
    drug!("rabeprazole", Some("114979"), ["Aciphex"], [], T),
    drug!(
        "famotidine",
        None,
        ["Pepcid", "Pepcid AC", "Zantac 360"],
        [],
        T
    ),
    drug!("cimetidine", None, ["Tagamet", "Tagamet HB"], [], C),
    drug!("nizatidine", None, [], [], C),
    drug!("ranitidine", None, [], [], C),
    drug!("sucralfate", None, ["Carafate"], [], T),
    drug!(
        "ondansetron",
        Some("26225"),
        ["Zofran", "Zofran ODT", "Zuplenz"],
        [],
        T
    ),
    drug!("dolasetron", Some("68091"), ["Anzemet"], [], C),
    drug!("promethazine", None, ["Phenergan", "Promethegan"], [], T),
    drug!("prochlorperazine", None, ["Compazine", "Compro"], [], T),
    drug!("metoclopramide", Some("6915"), ["Reglan", "Gimoti"], [], T),
    drug!("meclizine", None, ["Antivert", "Bonine"], [], T),
    drug!("dicyclomine", None, ["Bentyl"], [], T),
    drug!("hyoscyamine", None, ["Levsin", "Levbid"], [], T),
    drug!("docusate", None, ["Colace"], [], T),
    drug!(
        "polyethylene glycol 3350",
        None,
        ["Miralax", "GlycoLax"],
        ["peg 3350", "polyethylene glycol"],
        T
    ),
    drug!("sennosides", None, ["Senokot"], ["senna"], T),
    drug!("bisacodyl", None, ["Dulcolax"], [], T),
    drug!("lactulose", None, ["Enulose", "Kristalose"], [], T),
    drug!("loperamide", None, ["Imodium", "Imodium A-D"], [], T),
    drug!("linaclotide", None, ["Linzess"], [], T),
    drug!("lubiprostone", None, ["Amitiza"], [], C),
    drug!(
        "mesalamine",
        Some("52582"),
        [
            "Lialda",
            "Asacol",
            "Asacol HD",
            "Apriso",
            "Pentasa",
            "Delzicol",
            "Canasa"
        ],
        ["mesalazine"],
        T
    ),
    drug!(
        "sulfasalazine",
        Some("9524"),
        ["Azulfidine", "Azulfidine EN-tabs"],
        [],
        T
    ),
    drug!("ursodiol", None, ["Actigall", "Urso", "Urso Forte"], [], T),
    drug!("rifaximin", None, ["Xifaxan"], [], C),
    drug!("misoprostol", None, ["Cytotec"], [], C),
    drug!(
        "pancrelipase",
        None,
        ["Creon", "Zenpep", "Pancreaze", "Pertzye"],
        [],
        C
    ),
    drug!("diphenoxylate", None, [], [], C),
    drug!("atropine", None, ["Isopto Atropine"], [], C),
    drug!("clidinium", None, [], [], C),
    drug!("aprepitant", None, ["Emend", "Cinvanti", "Aponvie"], [], C),
    // ---- Respiratory and allergy ----
    drug!(
        "albuterol",
        Some("435"),
        [
            "ProAir",
            "ProAir HFA",
            "ProAir RespiClick",
            "Proventil",
            "Proventil HFA",
            "Ventolin",
            "Ventolin HFA",
            "AccuNeb"
        ],
        ["salbutamol"],
        T
    ),
    drug!("levalbuterol", None, ["Xopenex", "Xopenex HFA"], [], C),
    drug!("ipratropium", None, ["Atrovent", "Atrovent HFA"], [], T),
    drug!(
        "tiotropium",
        Some("69120"),
        ["Spiriva", "Spiriva Respimat", "Spiriva HandiHaler"],
        [],
        T
    ),
    drug!("umeclidinium", None, ["Incruse Ellipta"], [], T),
    drug!("aclidinium", None, ["Tudorza Pressair"], [], C),
    drug!("revefenacin", None, ["Yupelri"], [], C),
    drug!(
        "glycopyrrolate",
        None,
        ["Robinul", "Cuvposa", "Lonhala Magnair", "Seebri"],
        ["glycopyrronium"],
        T
    ),
    drug!(
        "salmeterol",
        Some("36117"),
        ["Serevent", "Serevent Diskus"],
        [],
        C
    ),
    drug!("formoterol", None, ["Perforomist"], [], C),
    drug!("vilanterol", None, [], [], C),
    drug!("olodaterol", None, ["Striverdi Respimat"], [], C),
    drug!("arformoterol", None, ["Brovana"], [], C),
    drug!("indacaterol", None, ["Arcapta Neohaler"], [], C),
    drug!(
        "fluticasone",
        None,
        [
            "Flonase",
            "Flovent",
            "Flovent HFA",
            "Flovent Diskus",
            "Arnuity Ellipta",
            "Xhance",
            "Cutivate",
            "ArmonAir Digihaler"
        ],
        [],
        T
    ),
    drug!(
        "mometasone",
        None,
        ["Nasonex", "Asmanex", "Asmanex Twisthaler", "Elocon"],
        [],
        T
    ),
    drug!(
        "beclomethasone",
        None,
        ["Qvar", "Qvar RediHaler", "Beconase AQ"],
        [],
        C
    ),
    drug!(
        "ciclesonide",
        None,
        ["Alvesco", "Omnaris", "Zetonna"],
        [],
        C
    ),
    drug!(
        "budesonide",
        Some("19831"),
        [
            "Entocort EC",
            "Uceris",
            "Pulmicort",
            "Pulmicort Flexhaler",
            "Pulmicort Respules",
            "Rhinocort",
            "Tarpeyo",
            "Ortikos"
        ],
        [],
        T
    ),
    drug!(
        "triamcinolone",
        Some("10759"),
        [
            "Kenalog",
            "Nasacort",
            "Nasacort Allergy 24HR",
            "Triesence",
            "Zilretta"
        ],
        [],
        T
    ),
    drug!("montelukast", None, ["Singulair"], [], T),
    drug!("zafirlukast", None, ["Accolate"], [], C),
    drug!("zileuton", None, ["Zyflo", "Zyflo CR"], [], C),
    drug!("roflumilast", None, ["Daliresp"], [], C),
    drug!(
        "theophylline",
        None,
        ["Theo-24", "Elixophyllin", "Uniphyl", "Theochron"],
        [],
        C
    ),
    drug!("cetirizine", None, ["Zyrtec"], [], T),
    drug!("levocetirizine", None, ["Xyzal"], [], T),
    drug!("loratadine", None, ["Claritin", "Alavert"], [], T),
    drug!("desloratadine", None, ["Clarinex"], [], C),
    drug!("fexofenadine", None, ["Allegra"], [], T),
    drug!(
        "diphenhydramine",
        Some("3498"),
        ["Benadryl", "ZzzQuil"],
        [],
        T
    ),
    drug!("hydroxyzine", None, ["Vistaril", "Atarax"], [], T),
    drug!("doxylamine", None, ["Unisom SleepTabs"], [], C),
    drug!("chlorpheniramine", None, ["Chlor-Trimeton"], [], C),
    drug!("azelastine", None, ["Astelin", "Astepro", "Optivar"], [], T),
    drug!(
        "olopatadine",
        None,
        ["Patanol", "Pataday", "Pazeo", "Patanase"],
        [],
        T
    ),
    drug!("benzonatate", None, ["Tessalon", "Tessalon Perles"], [], T),
    drug!("guaifenesin", None, ["Mucinex"], [], T),
    drug!("dextromethorphan", Some("3289"), ["Delsym"], [], T),
    drug!("pseudoephedrine", None, ["Sudafed"], [], T),
    drug!(
        "phenylephrine",
        None,
        ["Sudafed PE", "Neo-Synephrine", "Biorphen", "Vazculep"],
        [],
        C
    ),
    drug!(
        "ephedrine",
        None,
        ["Akovaz", "Corphedra", "Emerphed", "Rezipres"],
        [],
        C
    ),
    drug!(
        "epinephrine",
        None,
        [
            "EpiPen",
            "EpiPen Jr",
            "Auvi-Q",
            "Adrenaclick",
            "Symjepi",
            "Neffy"
        ],
        ["adrenaline"],
        T
    ),
    // ---- Antidepressants ----
    drug!("sertraline", Some("36437"), ["Zoloft"], [], T),
    drug!(
        "fluoxetine",
        Some("4493"),
        ["Prozac", "Prozac Weekly", "Sarafem"],
        [],
        T
    ),
    drug!("escitalopram", Some("321988"), ["Lexapro"], [], T),
    drug!("citalopram", Some("2556"), ["Celexa"], [], T),
    drug!(
        "paroxetine",
        Some("32937"),
        ["Paxil", "Paxil CR", "Pexeva", "Brisdelle"],
        [],
        T
    ),
    drug!("fluvoxamine", Some("42355"), ["Luvox"], [], C),
    drug!("vilazodone", None, ["Viibryd"], [], T),
    drug!("vortioxetine", Some("1455099"), ["Trintellix"], [], T),
    drug!(
        "duloxetine",
        Some("72625"),
        ["Cymbalta", "Drizalma Sprinkle"],
        [],
        T
    ),
    drug!(
        "venlafaxine",
        Some("39786"),
        ["Effexor", "Effexor XR"],
        [],
        T
    ),
    drug!("desvenlafaxine", None, ["Pristiq", "Khedezla"], [], T),
    drug!("levomilnacipran", None, ["Fetzima"], [], C),
    drug!("milnacipran", None, ["Savella"], [], C),
    drug!(
        "bupropion",
        Some("42347"),
        [
            "Wellbutrin",
            "Wellbutrin SR",
            "Wellbutrin XL",
            "Zyban",
            "Aplenzin",
            "Forfivo XL"
        ],
        [],
        T
    ),
    drug!(
        "mirtazapine",
        Some("15996"),
        ["Remeron", "RemeronSolTab"],
        [],
        T
    ),
    drug!("trazodone", None, ["Desyrel", "Oleptro"], [], T),
    drug!("nefazodone", None, [], [], C),
    drug!("amitriptyline", Some("704"), ["Elavil"], [], T),
    drug!("nortriptyline", Some("7531"), ["Pamelor"], [], T),
    drug!(
        "imipramine",
        Some("5691"),
        ["Tofranil", "Tofranil-PM"],
        [],
        C
    ),
    drug!("desipramine", Some("3247"), ["Norpramin"], [], C),
    drug!("clomipramine", Some("2597"), ["Anafranil"], [], C),
    drug!(
        "doxepin",
        Some("3638"),
        ["Silenor", "Zonalon", "Prudoxin"],
        [],
        T
    ),
    drug!("protriptyline", Some("8886"), [], [], C),
    drug!("trimipramine", Some("10834"), ["Surmontil"], [], C),
    drug!("amoxapine", None, [], [], C),
    // ---- MAO inhibitors ----
    drug!("phenelzine", None, ["Nardil"], [], C),
    drug!("tranylcypromine", None, ["Parnate"], [], C),
    drug!("isocarboxazid", None, ["Marplan"], [], C),
    drug!("selegiline", None, ["Eldepryl", "Zelapar", "Emsam"], [], C),
    drug!("rasagiline", None, ["Azilect"], [], C),
    drug!("safinamide", None, ["Xadago"], [], C),
    drug!("procarbazine", None, ["Matulane"], [], C),
    drug!("linezolid", None, ["Zyvox"], [], C),
    drug!(
        "methylene blue",
        Some("6878"),
        ["ProvayBlue"],
        ["methylthioninium chloride"],
        C
    ),
    // ---- Other psychiatric ----
    drug!("buspirone", None, ["Buspar"], [], T),
    drug!(
        "lithium",
        None,
        ["Lithobid"],
        ["lithium carbonate", "lithium citrate"],
        T
    ),
    drug!("quetiapine", None, ["Seroquel", "Seroquel XR"], [], T),
    drug!(
        "aripiprazole",
        Some("89013"),
        [
            "Abilify",
            "Abilify Maintena",
            "Abilify Mycite",
            "Abilify Asimtufii"
        ],
        [],
        T
    ),
    drug!(
        "olanzapine",
        Some("61381"),
        ["Zyprexa", "Zyprexa Zydis", "Zyprexa Relprevv"],
        [],
        T
    ),
    drug!(
        "risperidone",
        Some("35636"),
        [
            "Risperdal",
            "Risperdal Consta",
            "Perseris",
            "Uzedy",
            "Rykindo"
        ],
        [],
        T
    ),
    drug!("ziprasidone", None, ["Geodon"], [], T),
    drug!("lurasidone", None, ["Latuda"], [], T),
    drug!(
        "paliperidone",
        None,
        [
            "Invega",
            "Invega Sustenna",
            "Invega Trinza",
            "Invega Hafyera"
        ],
        [],
        T
    ),
    drug!("brexpiprazole", Some("1658314"), ["Rexulti"], [], T),
    drug!("cariprazine", None, ["Vraylar"], [], T),
    drug!(
        "haloperidol",
        Some("5093"),
        ["Haldol", "Haldol Decanoate"],
        [],
        T
    ),
    drug!(
        "clozapine",
        Some("2626"),
        ["Clozaril", "FazaClo", "Versacloz"],
        [],
        C
    ),
    drug!("chlorpromazine", None, [], [], C),
    drug!("fluphenazine", None, [], [], C),
    drug!("perphenazine", Some("8076"), [], [], C),
    drug!("thioridazine", Some("10502"), [], [], C),
    drug!("pimozide", Some("8331"), ["Orap"], [], C),
    drug!("iloperidone", Some("73178"), ["Fanapt"], [], C),
    drug!("asenapine", None, ["Saphris", "Secuado"], [], C),
    drug!("lumateperone", None, ["Caplyta"], [], C),
    drug!("droperidol", None, ["Inapsine"], [], C),
    drug!("pimavanserin", None, ["Nuplazid"], [], C),
    // ---- Benzodiazepines, hypnotics ----
    drug!("alprazolam", None, ["Xanax", "Xanax XR"], [], T),
    drug!("clonazepam", None, ["Klonopin"], [], T),
    drug!("lorazepam", None, ["Ativan", "Loreev XR"], [], T),
    drug!(
        "diazepam",
        Some("3322"),
        ["Valium", "Diastat", "Valtoco", "Libervant"],
        [],
        T
    ),
    drug!("temazepam", None, ["Restoril"], [], T),
    drug!("triazolam", None, ["Halcion"], [], C),
    drug!("chlordiazepoxide", None, ["Librium"], [], C),
    drug!("clorazepate", None, ["Tranxene T-Tab"], [], C),
    drug!("oxazepam", Some("7781"), [], [], C),
    drug!("midazolam", Some("6960"), ["Nayzilam", "Seizalam"], [], C),
    drug!("estazolam", None, [], [], C),
    drug!("flurazepam", None, [], [], C),
    drug!("clobazam", Some("21241"), ["Onfi", "Sympazan"], [], C),
    drug!(
        "zolpidem",
        None,
        ["Ambien", "Ambien CR", "Edluar", "Intermezzo"],
        [],
        T
    ),
    drug!("eszopiclone", None, ["Lunesta"], [], T),
    drug!("zaleplon", None, ["Sonata"], [], C),
    drug!("ramelteon", None, ["Rozerem"], [], C),
    drug!("suvorexant", None, ["Belsomra"], [], C),
    // ---- Antiepileptics, neuropathic pain ----
    drug!("gabapentin", None, ["Neurontin", "Gralise"], [], T),
    drug!("pregabalin", None, ["Lyrica", "Lyrica CR"], [], T),
    drug!(
        "topiramate",
        None,
        ["Topamax", "Trokendi XR", "Qudexy XR", "Eprontia"],
        [],
        T
    ),
    drug!(
        "lamotrigine",
        Some("28439"),
        ["Lamictal", "Lamictal XR", "Lamictal ODT", "Subvenite"],
        [],
        T
    ),
    drug!(
        "levetiracetam",
        None,
        ["Keppra", "Keppra XR", "Spritam", "Elepsia XR"],
        [],
        T
    ),
    drug!(
        "divalproex sodium",
        Some("266856"),
        ["Depakote", "Depakote ER", "Depakote Sprinkle"],
        ["divalproex"],
        T
    ),
    drug!(
        "valproic acid",
        Some("11118"),
        ["Depakene"],
        ["valproate"],
        T
    ),
    drug!(
        "carbamazepine",
        Some("2002"),
        ["Tegretol", "Tegretol XR", "Carbatrol", "Epitol", "Equetro"],
        [],
        T
    ),
    drug!(
        "oxcarbazepine",
        Some("32624"),
        ["Trileptal", "Oxtellar XR"],
        [],
        T
    ),
    drug!("phenytoin", Some("8183"), ["Dilantin", "Phenytek"], [], T),
    drug!("fosphenytoin", None, ["Cerebyx"], [], C),
    drug!("phenobarbital", None, ["Sezaby"], [], C),
    drug!("primidone", None, ["Mysoline"], [], T),
    drug!("lacosamide", None, ["Vimpat", "Motpoly XR"], [], T),
    drug!("zonisamide", None, ["Zonegran", "Zonisade"], [], T),
    // ---- Migraine ----
    drug!(
        "sumatriptan",
        None,
        ["Imitrex", "Tosymra", "Zembrace SymTouch", "Onzetra Xsail"],
        [],
        T
    ),
    drug!("rizatriptan", None, ["Maxalt", "Maxalt-MLT"], [], T),
    drug!("zolmitriptan", None, ["Zomig", "Zomig-ZMT"], [], C),
    drug!("eletriptan", None, ["Relpax"], [], T),
    drug!("naratriptan", None, ["Amerge"], [], C),
    drug!("almotriptan", None, [], [], C),
    drug!("frovatriptan", None, ["Frova"], [], C),
    drug!("ergotamine", None, ["Ergomar"], [], C),
    drug!(
        "dihydroergotamine",
        None,
        ["D.H.E. 45", "Migranal", "Trudhesa"],
        ["dhe"],
        C
    ),
    drug!("methylergonovine", None, ["Methergine"], [], C),
    drug!("ergonovine", None, [], [], C),
    // ---- Dementia, Parkinson, movement ----
    drug!("donepezil", Some("135447"), ["Aricept", "Adlarity"], [], T),
    drug!("memantine", None, ["Namenda", "Namenda XR"], [], T),
    drug!("rivastigmine", None, ["Exelon"], [], C),
    drug!(
        "galantamine",
        Some("4637"),
        ["Razadyne", "Razadyne ER"],
        [],
        C
    ),
    drug!("carbidopa", None, ["Lodosyn"], [], T),
    drug!("levodopa", None, ["Inbrija"], [], T),
    drug!("ropinirole", None, ["Requip", "Requip XL"], [], T),
    drug!("pramipexole", None, ["Mirapex", "Mirapex ER"], [], T),
    drug!("benztropine", None, [], [], T),
    drug!("amantadine", None, ["Gocovri", "Osmolex ER"], [], T),
    // ---- Muscle relaxants ----
    drug!(
        "baclofen",
        None,
        ["Lioresal", "Ozobax", "Fleqsuvy", "Lyvispah"],
        [],
        T
    ),
    drug!(
        "cyclobenzaprine",
        None,
        ["Flexeril", "Amrix", "Fexmid"],
        [],
        T
    ),
    drug!("methocarbamol", None, ["Robaxin"], [], T),
    drug!("tizanidine", None, ["Zanaflex"], [], T),
    drug!("carisoprodol", Some("2101"), ["Soma"], [], T),
    drug!("metaxalone", None, ["Skelaxin"], [], T),
    drug!("orphenadrine", None, ["Norflex"], [], C),
    drug!(
        "chlorzoxazone",
        None,
        ["Lorzone", "Parafon Forte DSC"],
        [],
        C
    ),
    // ---- Stimulants, sympathomimetics, smoking/alcohol ----
    drug!(
        "amphetamine",
        None,
        ["Evekeo", "Adzenys XR-ODT", "Dyanavel XR"],
        [],
        T
    ),
    drug!(
        "dextroamphetamine",
        None,
        ["Dexedrine", "Zenzedi", "ProCentra", "Xelstrym"],
        [],
        T
    ),
    drug!("lisdexamfetamine", None, ["Vyvanse"], [], T),
    drug!(
        "methylphenidate",
        Some("6901"),
        [
            "Ritalin",
            "Ritalin LA",
            "Concerta",
            "Metadate CD",
            "Methylin",
            "QuilliChew ER",
            "Quillivant XR",
            "Daytrana",
            "Cotempla XR-ODT",
            "Aptensio XR",
            "Jornay PM",
            "Adhansia XR",
            "Relexxii"
        ],
        [],
        T
    ),
    drug!("dexmethylphenidate", None, ["Focalin", "Focalin XR"], [], T),
    drug!("methamphetamine", None, ["Desoxyn"], [], C),
    drug!("atomoxetine", Some("38400"), ["Strattera"], [], T),
    drug!("phentermine", None, ["Adipex-P", "Lomaira"], [], T),
    drug!("phendimetrazine", None, [], [], C),
    drug!("benzphetamine", None, [], [], C),
    drug!("diethylpropion", None, [], [], C),
    drug!("modafinil", Some("30125"), ["Provigil"], [], T),
    drug!("armodafinil", None, ["Nuvigil"], [], T),
    drug!("varenicline", None, ["Chantix", "Tyrvaya"], [], T),
    drug!("naltrexone", Some("7243"), ["Revia", "Vivitrol"], [], T),
    drug!(
        "nicotine",
        Some("7407"),
        [
            "Nicoderm CQ",
            "Nicorette",
            "Nicotrol",
            "Nicotrol NS",
            "Habitrol"
        ],
        [],
        T
    ),
    drug!("disulfiram", None, ["Antabuse"], [], C),
    drug!("acamprosate", None, [], [], C),
    // ---- Analgesics ----
    drug!(
        "acetaminophen",
        Some("161"),
        ["Tylenol", "Ofirmev", "Mapap"],
        ["paracetamol", "apap"],
        T
    ),
    drug!(
        "ibuprofen",
        Some("5640"),
        ["Advil", "Motrin", "Motrin IB", "Caldolor"],
        [],
        T
    ),
    drug!(
        "naproxen",
        Some("7258"),
        [
            "Aleve",
            "Naprosyn",
            "Anaprox",
            "Anaprox DS",
            "EC-Naprosyn",
            "Naprelan"
        ],
        [],
        T
    ),
    drug!(
        "meloxicam",
        None,
        ["Mobic", "Vivlodex", "Anjeso", "Qmiiz ODT"],
        [],
        T
    ),
    drug!(
        "diclofenac",
        Some("3355"),
        [
            "Voltaren",
            "Voltaren Arthritis Pain",
            "Cataflam",
            "Zipsor",
            "Cambia",
            "Zorvolex",
            "Flector",
            "Pennsaid"
        ],
        [],
        T
    ),
    drug!("celecoxib", Some("140587"), ["Celebrex", "Elyxyb"], [], T),
    drug!("indomethacin", None, ["Indocin", "Tivorbex"], [], T),
    drug!("ketorolac", None, ["Toradol", "Sprix", "Acular"], [], T),
    drug!("etodolac", None, ["Lodine"], [], T),
    drug!("nabumetone", None, ["Relafen", "Relafen DS"], [], T),
    drug!("piroxicam", None, ["Feldene"], [], C),
    drug!("sulindac", None, ["Clinoril"], [], C),
    drug!("oxaprozin", None, ["Daypro"], [], C),
    drug!("flurbiprofen", Some("4502"), ["Ocufen"], [], C),
    drug!("ketoprofen", None, [], [], C),
    drug!("diflunisal", None, [], [], C),
    drug!("fenoprofen", None, ["Nalfon"], [], C),
    drug!("mefenamic acid", None, ["Ponstel"], [], C),
    drug!("meclofenamate", None, [], [], C),
    drug!("tolmetin", None, [], [], C),
    drug!(
        "tramadol",
        Some("10689"),
        ["Ultram", "ConZip", "Qdolo"],
        [],
        T
    ),
    drug!("tapentadol", None, ["Nucynta", "Nucynta ER"], [], C),
    drug!(
        "oxycodone",
        Some("7804"),
        [
            "OxyContin",
            "Roxicodone",
            "Oxaydo",
            "Xtampza ER",
            "RoxyBond"
        ],
        [],
        T
    ),
    drug!("hydrocodone", None, ["Hysingla ER", "Zohydro ER"], [], T),
    drug!(
        "morphine",
        Some("7052"),
        ["MS Contin", "Kadian", "Arymo ER", "MorphaBond ER"],
        [],
        T
    ),
    drug!("hydromorphone", None, ["Dilaudid", "Exalgo"], [], T),
    drug!("oxymorphone", None, ["Opana", "Opana ER"], [], C),
    drug!(
        "fentanyl",
        Some("4337"),
        [
            "Duragesic",
            "Actiq",
            "Fentora",
            "Subsys",
            "Abstral",
            "Lazanda"
        ],
        [],
        T
    ),
    drug!(
        "methadone",
        Some("6813"),
        ["Dolophine", "Methadose", "Diskets"],
        [],
        T
    ),
    drug!("meperidine", None, ["Demerol"], ["pethidine"], C),
    drug!("codeine", Some("2670"), [], [], T),
    drug!(
        "buprenorphine",
        None,
        [
            "Butrans",
            "Belbuca",
            "Sublocade",
            "Subutex",
            "Buprenex",
            "Brixadi"
        ],
        [],
        T
    ),
    drug!("levorphanol", None, [], [], C),
    drug!("butorphanol", None, [], [], C),
    drug!("pentazocine", None, [], [], C),
    drug!("butalbital", None, [], [], C),
    drug!("caffeine", Some("1886"), ["Cafcit"], [], C),
    drug!(
        "naloxone",
        Some("7242"),
        ["Narcan", "Kloxxado", "Zimhi", "Rextovy"],
        [],
        T
    ),
    drug!(
        "colchicine",
        None,
        ["Colcrys", "Mitigare", "Gloperba", "Lodoco"],
        [],
        T
    ),
    drug!("allopurinol", Some("519"), ["Zyloprim", "Aloprim"], [], T),
    drug!("febuxostat", None, ["Uloric"], [], T),
    drug!("probenecid", Some("8698"), [], [], C),
    // ---- Antibacterials ----
    drug!("amoxicillin", None, ["Amoxil", "Moxatag"], ["amox"], T),
    drug!("ampicillin", None, [], [], C),
    drug!(
        "penicillin v",
        None,
        [],
        [
            "penicillin vk",
            "pen vk",
            "penicillin v potassium",
            "phenoxymethylpenicillin"
        ],
        T
    ),
    drug!(
        "penicillin g",
        None,
        ["Bicillin L-A", "Pfizerpen"],
        [
            "benzylpenicillin",
            "penicillin g benzathine",
            "benzathine penicillin",
            "penicillin g potassium",
            "penicillin g procaine"
        ],
        C
    ),
    drug!("dicloxacillin", None, [], [], T),
    drug!("nafcillin", None, [], [], C),
    drug!("oxacillin", None, [], [], C),
    drug!("piperacillin", None, [], [], C),
    drug!("clavulanate", None, [], ["clavulanic acid", "clav"], T),
    drug!("sulbactam", None, [], [], C),
    drug!("tazobactam", None, [], [], C),
    drug!("avibactam", None, [], [], C),
    drug!("cephalexin", None, ["Keflex", "Daxbia"], ["cefalexin"], T),
    drug!("cefadroxil", None, [], [], T),
    drug!("cefazolin", None, ["Ancef"], [], C),
    drug!("cefuroxime", None, ["Ceftin", "Zinacef"], [], T),
    drug!("cefaclor", None, [], [], C),
    drug!("cefprozil", None, [], [], C),
    drug!("cefoxitin", None, [], [], C),
    drug!("cefotetan", None, [], [], C),
    drug!("ceftriaxone", None, ["Rocephin"], [], T),
    drug!("cefdinir", None, ["Omnicef"], [], T),
    drug!("cefpodoxime", None, ["Vantin"], [], T),
    drug!("cefixime", None, ["Suprax"], [], C),
    drug!("cefotaxime", None, ["Claforan"], [], C),
    drug!("ceftazidime", None, ["Fortaz", "Tazicef"], [], C),
    drug!("ceftibuten", None, ["Cedax"], [], C),
    drug!("cefditoren", None, ["Spectracef"], [], C),
    drug!("cefepime", None, ["Maxipime"], [], C),
    drug!("ceftaroline", None, ["Teflaro"], [], C),
    drug!("cefiderocol", None, ["Fetroja"], [], C),
    drug!("imipenem", None, [], [], C),
    drug!("cilastatin", None, [], [], C),
    drug!("meropenem", None, ["Merrem"], [], C),
    drug!("ertapenem", None, ["Invanz"], [], C),
    drug!("doripenem", None, ["Doribax"], [], C),
    drug!("aztreonam", None, ["Azactam", "Cayston"], [], C),
    drug!("sulfamethoxazole", None, [], ["smx"], T),
    drug!("trimethoprim", None, ["Primsol", "Proloprim"], ["tmp"], T),
    drug!("sulfadiazine", Some("10171"), [], [], C),
    drug!("sulfisoxazole", Some("10207"), [], [], C),
    drug!(
        "sulfacetamide",
        None,
        ["Bleph-10", "Klaron", "Ovace"],
        [],
        C
    ),
    drug!(
        "silver sulfadiazine",
        None,
        ["Silvadene", "SSD Cream"],
        [],
        C
    ),
    drug!("dapsone", Some("3108"), ["Aczone"], [], C),
    drug!(
        "ciprofloxacin",
        Some("2551"),
        ["Cipro", "Cipro XR", "Ciloxan", "Cetraxal", "Otiprio"],
        [],
        T
    ),
    drug!("levofloxacin", Some("82122"), ["Levaquin"], [], T),
    drug!(
        "moxifloxacin",
        Some("139462"),
        ["Avelox", "Vigamox", "Moxeza"],
        [],
        T
    ),
    drug!("ofloxacin", None, ["Ocuflox"], [], C),
    drug!("delafloxacin", None, ["Baxdela"], [], C),
    drug!("gemifloxacin", None, ["Factive"], [], C),
    drug!("norfloxacin", Some("7517"), [], [], C),
    drug!("enoxacin", None, [], [], C),
    drug!(
        "azithromycin",
        None,
        ["Zithromax", "Z-Pak", "Zmax", "AzaSite"],
        ["z-pack", "zpak", "zpack"],
        T
    ),
    drug!("clarithromycin", None, ["Biaxin", "Biaxin XL"], [], T),
    drug!(
        "erythromycin",
        Some("4053"),
        ["Ery-Tab", "Erythrocin", "EryPed", "E.E.S.", "PCE", "Eryc"],
        [],
        T
    ),
    drug!("telithromycin", None, ["Ketek"], [], C),
    drug!(
        "doxycycline",
        None,
        [
            "Vibramycin",
            "Doryx",
            "Acticlate",
            "Oracea",
            "Targadox",
            "Monodox",
            "Lymepak"
        ],
        [],
        T
    ),
    drug!(
        "minocycline",
        None,
        [
            "Minocin", "Solodyn", "Arestin", "Amzeeq", "Minolira", "Ximino"
        ],
        [],
        T
    ),
    drug!("tetracycline", None, [], [], C),
    drug!(
        "metronidazole",
        None,
        ["Flagyl", "MetroGel", "Nuvessa", "Vandazole", "Likmez"],
        [],
        T
    ),
    drug!(
        "clindamycin",
        None,
        ["Cleocin", "Cleocin T", "Clindesse", "Evoclin"],
        [],
        T
    ),
    drug!(
        "nitrofurantoin",
        Some("7454"),
        ["Macrobid", "Macrodantin", "Furadantin"],
        [],
        T
    ),
    drug!("fosfomycin", None, ["Monurol"], [], C),
    drug!("vancomycin", None, ["Vancocin", "Firvanq"], [], C),
    drug!("gentamicin", None, [], [], C),
    drug!("tobramycin", None, ["Tobrex", "TOBI", "Bethkis"], [], C),
    drug!("amikacin", None, ["Arikayce"], [], C),
    drug!(
        "rifampin",
        None,
        ["Rifadin", "Rimactane"],
        ["rifampicin"],
        C
    ),
    drug!("rifabutin", None, ["Mycobutin"], [], C),
    drug!("rifapentine", None, ["Priftin"], [], C),
    drug!("isoniazid", Some("6038"), [], [], C),
    drug!("bedaquiline", None, ["Sirturo"], [], C),
    // ---- Antifungals ----
    drug!("fluconazole", None, ["Diflucan"], [], T),
    drug!(
        "itraconazole",
        None,
        ["Sporanox", "Tolsura", "Onmel"],
        [],
        C
    ),
    drug!(
        "ketoconazole",
        None,
        ["Nizoral", "Extina", "Xolegel"],
        [],
        T
    ),
    drug!("posaconazole", None, ["Noxafil"], [], C),
    drug!("voriconazole", Some("121243"), ["Vfend"], [], C),
    drug!("isavuconazonium", None, ["Cresemba"], ["isavuconazole"], C),
    drug!("miconazole", None, ["Monistat", "Oravig"], [], C),
    drug!("terbinafine", Some("37801"), ["Lamisil"], [], T),
    drug!("nystatin", None, ["Mycostatin", "Nystop"], [], T),
    drug!("clotrimazole", None, ["Mycelex"], [], T),
    // ---- Antivirals ----
    drug!("acyclovir", None, ["Zovirax", "Sitavig"], [], T),
    drug!("valacyclovir", None, ["Valtrex"], [], T),
    drug!("famciclovir", None, [], [], C),
    drug!("oseltamivir", None, ["Tamiflu"], [], T),
    drug!("nirmatrelvir", None, [], [], C),
    drug!("ritonavir", None, ["Norvir"], [], C),
    drug!("cobicistat", None, ["Tybost"], [], C),
    drug!("atazanavir", Some("343047"), ["Reyataz"], [], C),
    drug!("darunavir", None, ["Prezista"], [], C),
    drug!("lopinavir", None, [], [], C),
    drug!("saquinavir", None, ["Invirase"], [], C),
    drug!("indinavir", None, ["Crixivan"], [], C),
    drug!("nelfinavir", None, ["Viracept"], [], C),
    drug!("fosamprenavir", None, ["Lexiva"], [], C),
    drug!("tipranavir", None, ["Aptivus"], [], C),
    drug!("boceprevir", None, ["Victrelis"], [], C),
    drug!("telaprevir", None, ["Incivek"], [], C),
    drug!("rilpivirine", None, ["Edurant"], [], C),
    drug!("efavirenz", Some("195085"), ["Sustiva"], [], C),
    drug!("dolutegravir", Some("1433868"), ["Tivicay"], [], C),
    drug!("bictegravir", None, [], [], C),
    drug!("elvitegravir", None, [], [], C),
    drug!("abacavir", Some("190521"), ["Ziagen"], [], C),
    drug!("lamivudine", None, ["Epivir", "Epivir-HBV"], [], C),
    drug!("emtricitabine", None, ["Emtriva"], [], C),
    drug!(
        "tenofovir disoproxil",
        None,
        ["Viread"],
        ["tenofovir disoproxil fumarate", "tdf"],
        C
    ),
    drug!("tenofovir alafenamide", None, ["Vemlidy"], ["taf"], C),
    // ---- Antiparasitic, antimalarial ----
    drug!("hydroxychloroquine", Some("5521"), ["Plaquenil"], [], T),
    drug!("chloroquine", Some("2393"), [], [], C),
    drug!("mefloquine", Some("6694"), [], [], C),
    drug!(
        "ivermectin",
        None,
        ["Stromectol", "Soolantra", "Sklice"],
        [],
        T
    ),
    drug!("permethrin", None, ["Elimite", "Nix"], [], C),
    drug!("pentamidine", None, ["Pentam 300", "NebuPent"], [], C),
    drug!("mupirocin", None, ["Bactroban", "Centany"], [], T),
    // ---- Endocrine ----
    drug!(
        "levothyroxine",
        None,
        [
            "Synthroid",
            "Levoxyl",
            "Unithroid",
            "Euthyrox",
            "Tirosint",
            "Levo-T"
        ],
        ["l-thyroxine"],
        T
    ),
    drug!("liothyronine", None, ["Cytomel", "Triostat"], [], T),
    drug!(
        "thyroid",
        None,
        ["Armour Thyroid", "NP Thyroid"],
        ["desiccated thyroid"],
        T
    ),
    drug!("methimazole", Some("6835"), ["Tapazole"], [], T),
    drug!("propylthiouracil", Some("8794"), [], [], C),
    drug!("prednisone", None, ["Rayos", "Deltasone"], [], T),
    drug!(
        "prednisolone",
        None,
        [
            "Orapred",
            "Orapred ODT",
            "Millipred",
            "Pred Forte",
            "Pediapred"
        ],
        [],
        T
    ),
    drug!(
        "methylprednisolone",
        None,
        ["Medrol", "Solu-Medrol", "Depo-Medrol"],
        [],
        T
    ),
    drug!(
        "dexamethasone",
        None,
        ["Decadron", "Hemady", "Ozurdex", "Maxidex", "Dexycu"],
        [],
        T
    ),
    drug!(
        "hydrocortisone",
        None,
        [
            "Cortef",
            "Solu-Cortef",
            "Anusol-HC",
            "Cortaid",
            "Alkindi Sprinkle"
        ],
        [],
        T
    ),
    drug!("fludrocortisone", None, [], [], C),
    drug!(
        "betamethasone",
        None,
        ["Diprolene", "Celestone Soluspan", "Luxiq", "Sernivo"],
        [],
        T
    ),
    drug!(
        "clobetasol",
        None,
        ["Temovate", "Clobex", "Olux", "Impoyz"],
        [],
        T
    ),
    drug!(
        "estradiol",
        None,
        [
            "Estrace",
            "Vivelle-Dot",
            "Climara",
            "Divigel",
            "Estrogel",
            "Vagifem",
            "Estring",
            "Minivelle",
            "Yuvafem",
            "Imvexxy",
            "Alora",
            "Evamist",
            "Femring"
        ],
        [],
        T
    ),
    drug!(
        "estrogens, conjugated (usp)",
        None,
        ["Premarin"],
        ["conjugated estrogens"],
        T
    ),
    drug!("ethinyl estradiol", None, [], [], T),
    drug!(
        "norethindrone",
        None,
        [
            "Camila", "Errin", "Heather", "Nora-BE", "Jencycla", "Aygestin"
        ],
        [],
        T
    ),
    drug!(
        "levonorgestrel",
        None,
        [
            "Plan B One-Step",
            "Mirena",
            "Kyleena",
            "Liletta",
            "Skyla",
            "Take Action",
            "My Way"
        ],
        [],
        T
    ),
    drug!("norgestimate", None, [], [], T),
    drug!("norelgestromin", None, [], [], C),
    drug!("drospirenone", None, ["Slynd"], [], T),
    drug!("desogestrel", None, [], [], C),
    drug!("etonogestrel", None, ["Nexplanon", "Implanon"], [], C),
    drug!(
        "medroxyprogesterone",
        None,
        ["Provera", "Depo-Provera", "Depo-SubQ Provera 104"],
        [],
        T
    ),
    drug!(
        "progesterone",
        None,
        ["Prometrium", "Crinone", "Endometrin"],
        [],
        T
    ),
    drug!("megestrol", None, ["Megace", "Megace ES"], [], C),
    drug!(
        "testosterone",
        None,
        [
            "AndroGel",
            "Testim",
            "Axiron",
            "Depo-Testosterone",
            "Xyosted",
            "Aveed",
            "Jatenzo",
            "Tlando",
            "Kyzatrex",
            "Natesto",
            "Fortesta",
            "Vogelxo",
            "Androderm"
        ],
        [],
        T
    ),
    drug!("danazol", None, [], [], C),
    drug!("finasteride", None, ["Proscar", "Propecia"], [], T),
    drug!("dutasteride", None, ["Avodart"], [], T),
    drug!("tamsulosin", Some("77492"), ["Flomax"], [], T),
    drug!("alfuzosin", None, ["Uroxatral"], [], T),
    drug!("silodosin", None, ["Rapaflo"], [], C),
    drug!(
        "oxybutynin",
        None,
        ["Ditropan", "Ditropan XL", "Oxytrol", "Gelnique"],
        [],
        T
    ),
    drug!(
        "tolterodine",
        Some("119565"),
        ["Detrol", "Detrol LA"],
        [],
        T
    ),
    drug!("solifenacin", None, ["Vesicare", "Vesicare LS"], [], T),
    drug!("trospium", None, [], [], C),
    drug!("darifenacin", Some("136198"), ["Enablex"], [], C),
    drug!("fesoterodine", Some("797195"), ["Toviaz"], [], C),
    drug!("mirabegron", None, ["Myrbetriq"], [], T),
    drug!("vibegron", None, ["Gemtesa"], [], C),
    drug!(
        "sildenafil",
        Some("136411"),
        ["Viagra", "Revatio", "Liqrev"],
        [],
        T
    ),
    drug!(
        "tadalafil",
        None,
        ["Cialis", "Adcirca", "Alyq", "Tadliq"],
        [],
        T
    ),
    drug!("vardenafil", None, ["Levitra", "Staxyn"], [], C),
    drug!("avanafil", None, ["Stendra"], [], C),
    drug!("riociguat", None, ["Adempas"], [], C),
    drug!("bosentan", None, ["Tracleer"], [], C),
    drug!("alendronate", None, ["Fosamax", "Binosto"], [], T),
    drug!("risedronate", None, ["Actonel", "Atelvia"], [], T),
    drug!("ibandronate", None, ["Boniva"], [], T),
    drug!("zoledronic acid", None, ["Reclast", "Zometa"], [], C),
    drug!("raloxifene", None, ["Evista"], [], T),
    drug!("denosumab", None, ["Prolia", "Xgeva"], [], C),
    drug!("calcitriol", None, ["Rocaltrol", "Vectical"], [], T),
    drug!("cholecalciferol", None, [], ["vitamin d3", "vitamin d"], T),
    drug!("ergocalciferol", None, ["Drisdol"], ["vitamin d2"], T),
    drug!("cyanocobalamin", None, ["Nascobal"], ["vitamin b12"], T),
    drug!("folic acid", None, [], ["folate"], T),
    drug!(
        "ferrous sulfate",
        None,
        ["Feosol", "Slow Fe"],
        ["iron sulfate"],
        T
    ),
    drug!(
        "potassium chloride",
        None,
        ["Klor-Con", "Klor-Con M", "K-Tab", "K-Dur", "Micro-K"],
        ["kcl"],
        T
    ),
    drug!("potassium citrate", None, ["Urocit-K"], [], T),
    drug!("magnesium oxide", None, ["Mag-Ox 400"], [], T),
    drug!("calcium carbonate", None, ["Tums", "Os-Cal"], [], C),
    drug!("sodium bicarbonate", None, [], [], C),
    drug!("sevelamer", None, ["Renvela", "Renagel"], [], T),
    // ---- Oncology, immunology, transplant ----
    drug!("anastrozole", None, ["Arimidex"], [], T),
    drug!("letrozole", None, ["Femara"], [], T),
    drug!("exemestane", None, ["Aromasin"], [], C),
    drug!("tamoxifen", Some("10324"), ["Soltamox"], [], T),
    drug!("capecitabine", Some("194000"), ["Xeloda"], [], C),
    drug!(
        "methotrexate",
        Some("6851"),
        [
            "Trexall", "Otrexup", "Rasuvo", "Xatmep", "Jylamvo", "RediTrex"
        ],
        [],
        T
    ),
    drug!("leflunomide", None, ["Arava"], [], T),
    drug!("azathioprine", Some("1256"), ["Imuran", "Azasan"], [], T),
    drug!("mercaptopurine", Some("103"), ["Purixan"], [], C),
    drug!("mycophenolate mofetil", None, ["CellCept"], [], C),
    drug!("mycophenolic acid", None, ["Myfortic"], [], C),
    drug!(
        "tacrolimus",
        Some("42316"),
        ["Prograf", "Envarsus XR", "Astagraf XL", "Protopic"],
        [],
        T
    ),
    drug!(
        "cyclosporine",
        Some("3008"),
        [
            "Sandimmune",
            "Neoral",
            "Gengraf",
            "Restasis",
            "Cequa",
            "Verkazia"
        ],
        ["ciclosporin"],
        T
    ),
    drug!(
        "sirolimus",
        Some("35302"),
        ["Rapamune", "Fyarro", "Hyftor"],
        [],
        C
    ),
    drug!("everolimus", None, ["Afinitor", "Zortress"], [], C),
    drug!(
        "adalimumab",
        None,
        [
            "Humira", "Amjevita", "Cyltezo", "Hadlima", "Hyrimoz", "Yusimry", "Idacio", "Hulio",
            "Yuflyma", "Simlandi"
        ],
        [],
        T
    ),
    drug!("etanercept", None, ["Enbrel", "Erelzi", "Eticovo"], [], T),
    drug!("dupilumab", None, ["Dupixent"], [], T),
    drug!("irinotecan", Some("51499"), ["Camptosar", "Onivyde"], [], C),
    drug!("arsenic trioxide", None, ["Trisenox"], [], C),
    drug!("vandetanib", None, ["Caprelsa"], [], C),
    drug!("nilotinib", None, ["Tasigna"], [], C),
    drug!("imatinib", None, ["Gleevec"], [], C),
    drug!("crizotinib", None, ["Xalkori"], [], C),
    drug!("idelalisib", None, ["Zydelig"], [], C),
    drug!("enzalutamide", None, ["Xtandi"], [], C),
    drug!("apalutamide", None, ["Erleada"], [], C),
    drug!("mitotane", None, ["Lysodren"], [], C),
    drug!("lumacaftor", None, [], [], C),
    drug!("ivacaftor", None, ["Kalydeco"], [], C),
    drug!("anagrelide", None, ["Agrylin"], [], C),
    drug!("cisapride", None, ["Propulsid"], [], C),
    drug!("conivaptan", None, ["Vaprisol"], [], C),
    drug!("tolvaptan", None, ["Samsca", "Jynarque"], [], C),
    drug!("lomitapide", None, ["Juxtapid"], [], C),
    drug!("flibanserin", None, ["Addyi"], [], C),
    drug!("naloxegol", None, ["Movantik"], [], C),
    // ---- Dermatology, ophthalmology, other ----
    drug!(
        "lidocaine",
        Some("6387"),
        ["Lidoderm", "Xylocaine", "ZTlido"],
        [],
        T
    ),
    drug!(
        "tretinoin",
        None,
        [
            "Retin-A",
            "Retin-A Micro",
            "Atralin",
            "Avita",
            "Renova",
            "Altreno"
        ],
        [],
        T
    ),
    drug!(
        "latanoprost",
        Some("43611"),
        ["Xalatan", "Xelpros", "Iyuzeh"],
        [],
        T
    ),
    drug!(
        "brimonidine",
        None,
        ["Alphagan P", "Mirvaso", "Lumify"],
        [],
        T
    ),
    drug!("dorzolamide", None, ["Trusopt"], [], T),
    drug!("scopolamine", None, ["Transderm Scop"], [], C),
    drug!(
        "st. john's wort",
        None,
        [],
        [
            "st john's wort",
            "st johns wort",
            "saint john's wort",
            "saint johns wort",
            "hypericum",
            "hypericum perforatum"
        ],
        C
    ),
];

macro_rules! combo {
    ($name:literal, [$($a:literal),* $(,)?], [$($i:literal),+ $(,)?]) => {
        Combination { name: $name, aliases: &[$($a),*], ingredients: &[$($i),+], source: COMBO_SOURCE }
    };
}

/// Source of the combination-product table.
pub const COMBO_SOURCE: &str = "FDA labeling (established name and active ingredients of the branded product); \
     ingredient names per RxNorm";

/// Branded (and common shorthand) combination products: one name, several ingredients.
pub static COMBINATIONS: &[Combination] = &[
    combo!(
        "Augmentin",
        ["Augmentin XR", "Augmentin ES-600", "amox-clav", "amox/clav"],
        ["amoxicillin", "clavulanate"]
    ),
    combo!(
        "Bactrim",
        [
            "Bactrim DS",
            "Septra",
            "Septra DS",
            "Sulfatrim",
            "co-trimoxazole",
            "cotrimoxazole",
            "tmp-smx",
            "smx-tmp",
            "tmp/smx",
            "smx/tmp"
        ],
        ["sulfamethoxazole", "trimethoprim"]
    ),
    combo!(
        "Percocet",
        ["Endocet", "Roxicet", "Primlev", "Nalocet", "Prolate"],
        ["oxycodone", "acetaminophen"]
    ),
    combo!("Percodan", [], ["oxycodone", "aspirin"]),
    combo!(
        "Vicodin",
        [
            "Vicodin ES",
            "Vicodin HP",
            "Norco",
            "Lortab",
            "Lorcet",
            "Lorcet Plus",
            "Xodol",
            "Verdrocet",
            "Hycet"
        ],
        ["hydrocodone", "acetaminophen"]
    ),
    combo!(
        "Tylenol with Codeine",
        [
            "Tylenol #3",
            "Tylenol #4",
            "Tylenol 3",
            "Tylenol 4",
            "Tylenol No. 3",
            "Tylenol No. 4",
            "Tylenol-Codeine"
        ],
        ["acetaminophen", "codeine"]
    ),
    combo!("Ultracet", [], ["tramadol", "acetaminophen"]),
    combo!(
        "Fioricet",
        ["Esgic"],
        ["butalbital", "acetaminophen", "caffeine"]
    ),
    combo!("Bupap", [], ["butalbital", "acetaminophen"]),
    combo!("Fiorinal", [], ["butalbital", "aspirin", "caffeine"]),
    combo!(
        "Excedrin",
        ["Excedrin Migraine", "Excedrin Extra Strength"],
        ["acetaminophen", "aspirin", "caffeine"]
    ),
    combo!(
        "Zestoretic",
        ["Prinzide"],
        ["lisinopril", "hydrochlorothiazide"]
    ),
    combo!("Hyzaar", [], ["losartan", "hydrochlorothiazide"]),
    combo!("Diovan HCT", [], ["valsartan", "hydrochlorothiazide"]),
    combo!("Benicar HCT", [], ["olmesartan", "hydrochlorothiazide"]),
    combo!("Micardis HCT", [], ["telmisartan", "hydrochlorothiazide"]),
    combo!("Avalide", [], ["irbesartan", "hydrochlorothiazide"]),
    combo!("Atacand HCT", [], ["candesartan", "hydrochlorothiazide"]),
    combo!("Lotensin HCT", [], ["benazepril", "hydrochlorothiazide"]),
    combo!("Vaseretic", [], ["enalapril", "hydrochlorothiazide"]),
    combo!("Accuretic", [], ["quinapril", "hydrochlorothiazide"]),
    combo!("Exforge", [], ["amlodipine", "valsartan"]),
    combo!(
        "Exforge HCT",
        [],
        ["amlodipine", "valsartan", "hydrochlorothiazide"]
    ),
    combo!("Azor", [], ["amlodipine", "olmesartan"]),
    combo!(
        "Tribenzor",
        [],
        ["olmesartan", "amlodipine", "hydrochlorothiazide"]
    ),
    combo!("Twynsta", [], ["telmisartan", "amlodipine"]),
    combo!("Lotrel", [], ["amlodipine", "benazepril"]),
    combo!("Caduet", [], ["amlodipine", "atorvastatin"]),
    combo!("Vytorin", [], ["ezetimibe", "simvastatin"]),
    combo!(
        "Entresto",
        ["Entresto Sprinkle"],
        ["sacubitril", "valsartan"]
    ),
    combo!(
        "Dyazide",
        ["Maxzide", "Maxzide-25"],
        ["triamterene", "hydrochlorothiazide"]
    ),
    combo!("Aldactazide", [], ["spironolactone", "hydrochlorothiazide"]),
    combo!("Tenoretic", [], ["atenolol", "chlorthalidone"]),
    combo!("Ziac", [], ["bisoprolol", "hydrochlorothiazide"]),
    combo!(
        "Lopressor HCT",
        ["Dutoprol"],
        ["metoprolol", "hydrochlorothiazide"]
    ),
    combo!("Tekturna HCT", [], ["aliskiren", "hydrochlorothiazide"]),
    combo!("Janumet", ["Janumet XR"], ["sitagliptin", "metformin"]),
    combo!(
        "Jentadueto",
        ["Jentadueto XR"],
        ["linagliptin", "metformin"]
    ),
    combo!("Synjardy", ["Synjardy XR"], ["empagliflozin", "metformin"]),
    combo!("Xigduo XR", ["Xigduo"], ["dapagliflozin", "metformin"]),
    combo!(
        "Invokamet",
        ["Invokamet XR"],
        ["canagliflozin", "metformin"]
    ),
    combo!("Glyxambi", [], ["empagliflozin", "linagliptin"]),
    combo!("Qtern", [], ["dapagliflozin", "saxagliptin"]),
    combo!("Kombiglyze XR", [], ["saxagliptin", "metformin"]),
    combo!("Glucovance", [], ["glyburide", "metformin"]),
    combo!("Actoplus Met", [], ["pioglitazone", "metformin"]),
    combo!("Soliqua", [], ["insulin glargine", "lixisenatide"]),
    combo!("Xultophy", [], ["insulin degludec", "liraglutide"]),
    combo!(
        "Humulin 70/30",
        ["Novolin 70/30"],
        ["insulin isophane, human", "insulin, regular, human"]
    ),
    combo!(
        "Advair",
        [
            "Advair Diskus",
            "Advair HFA",
            "Wixela Inhub",
            "AirDuo RespiClick",
            "AirDuo Digihaler"
        ],
        ["fluticasone", "salmeterol"]
    ),
    combo!("Symbicort", ["Breyna"], ["budesonide", "formoterol"]),
    combo!("Dulera", [], ["mometasone", "formoterol"]),
    combo!("Breo Ellipta", ["Breo"], ["fluticasone", "vilanterol"]),
    combo!(
        "Trelegy Ellipta",
        ["Trelegy"],
        ["fluticasone", "umeclidinium", "vilanterol"]
    ),
    combo!("Anoro Ellipta", ["Anoro"], ["umeclidinium", "vilanterol"]),
    combo!(
        "Stiolto Respimat",
        ["Stiolto"],
        ["tiotropium", "olodaterol"]
    ),
    combo!(
        "Bevespi Aerosphere",
        ["Bevespi"],
        ["glycopyrrolate", "formoterol"]
    ),
    combo!(
        "Breztri Aerosphere",
        ["Breztri"],
        ["budesonide", "glycopyrrolate", "formoterol"]
    ),
    combo!(
        "Combivent",
        ["Combivent Respimat", "DuoNeb"],
        ["ipratropium", "albuterol"]
    ),
    combo!(
        "Suboxone",
        ["Zubsolv", "Bunavail"],
        ["buprenorphine", "naloxone"]
    ),
    combo!(
        "Sinemet",
        ["Sinemet CR", "Rytary", "Dhivy", "Duopa", "Crexont"],
        ["carbidopa", "levodopa"]
    ),
    combo!(
        "Adderall",
        ["Adderall XR", "Mydayis"],
        ["amphetamine", "dextroamphetamine"]
    ),
    combo!("Contrave", [], ["naltrexone", "bupropion"]),
    combo!("Qsymia", [], ["phentermine", "topiramate"]),
    combo!("Paxlovid", [], ["nirmatrelvir", "ritonavir"]),
    combo!("Kaletra", [], ["lopinavir", "ritonavir"]),
    combo!("Evotaz", [], ["atazanavir", "cobicistat"]),
    combo!("Prezcobix", [], ["darunavir", "cobicistat"]),
    combo!(
        "Symtuza",
        [],
        [
            "darunavir",
            "cobicistat",
            "emtricitabine",
            "tenofovir alafenamide"
        ]
    ),
    combo!(
        "Genvoya",
        [],
        [
            "elvitegravir",
            "cobicistat",
            "emtricitabine",
            "tenofovir alafenamide"
        ]
    ),
    combo!(
        "Stribild",
        [],
        [
            "elvitegravir",
            "cobicistat",
            "emtricitabine",
            "tenofovir disoproxil"
        ]
    ),
    combo!(
        "Biktarvy",
        [],
        ["bictegravir", "emtricitabine", "tenofovir alafenamide"]
    ),
    combo!("Truvada", [], ["emtricitabine", "tenofovir disoproxil"]),
    combo!("Descovy", [], ["emtricitabine", "tenofovir alafenamide"]),
    combo!("Triumeq", [], ["abacavir", "dolutegravir", "lamivudine"]),
    combo!("Orkambi", [], ["lumacaftor", "ivacaftor"]),
    combo!("Cafergot", [], ["ergotamine", "caffeine"]),
    combo!("Treximet", [], ["sumatriptan", "naproxen"]),
    combo!("Arthrotec", [], ["diclofenac", "misoprostol"]),
    combo!("Vimovo", [], ["naproxen", "esomeprazole"]),
    combo!("Duexis", [], ["ibuprofen", "famotidine"]),
    combo!("Aggrenox", [], ["aspirin", "dipyridamole"]),
    combo!("Lomotil", [], ["diphenoxylate", "atropine"]),
    combo!("Librax", [], ["chlordiazepoxide", "clidinium"]),
    combo!("Unasyn", [], ["ampicillin", "sulbactam"]),
    combo!("Zosyn", [], ["piperacillin", "tazobactam"]),
    combo!("Primaxin", [], ["imipenem", "cilastatin"]),
    combo!("Avycaz", [], ["ceftazidime", "avibactam"]),
    combo!(
        "Yaz",
        ["Yasmin", "Ocella", "Loryna", "Nikki", "Syeda", "Gianvi"],
        ["drospirenone", "ethinyl estradiol"]
    ),
    combo!(
        "Loestrin",
        [
            "Loestrin Fe",
            "Lo Loestrin Fe",
            "Junel",
            "Junel Fe",
            "Microgestin",
            "Microgestin Fe",
            "Larin",
            "Blisovi Fe",
            "Hailey"
        ],
        ["norethindrone", "ethinyl estradiol"]
    ),
    combo!(
        "Sprintec",
        [
            "Tri-Sprintec",
            "Tri-Lo-Sprintec",
            "Ortho Tri-Cyclen",
            "Ortho-Cyclen",
            "Mononessa",
            "Estarylla",
            "Previfem"
        ],
        ["norgestimate", "ethinyl estradiol"]
    ),
    combo!(
        "Levora",
        [
            "Seasonique",
            "Seasonale",
            "Aviane",
            "Lutera",
            "Portia",
            "Altavera",
            "Amethyst",
            "Lessina",
            "Jolessa",
            "Twirla"
        ],
        ["levonorgestrel", "ethinyl estradiol"]
    ),
    combo!(
        "Apri",
        ["Desogen", "Kariva", "Enskyce", "Reclipsen"],
        ["desogestrel", "ethinyl estradiol"]
    ),
    combo!(
        "NuvaRing",
        ["EluRyng"],
        ["etonogestrel", "ethinyl estradiol"]
    ),
    combo!(
        "Xulane",
        ["Zafemy"],
        ["norelgestromin", "ethinyl estradiol"]
    ),
    combo!(
        "Prempro",
        ["Premphase"],
        ["estrogens, conjugated (usp)", "medroxyprogesterone"]
    ),
    combo!("Advil PM", [], ["ibuprofen", "diphenhydramine"]),
    combo!("Tylenol PM", [], ["acetaminophen", "diphenhydramine"]),
    combo!("Aleve PM", [], ["naproxen", "diphenhydramine"]),
    combo!("Zyrtec-D", ["Zyrtec D"], ["cetirizine", "pseudoephedrine"]),
    combo!(
        "Claritin-D",
        ["Claritin D"],
        ["loratadine", "pseudoephedrine"]
    ),
    combo!(
        "Allegra-D",
        ["Allegra D"],
        ["fexofenadine", "pseudoephedrine"]
    ),
    combo!("Mucinex D", [], ["guaifenesin", "pseudoephedrine"]),
    combo!(
        "Mucinex DM",
        ["Robitussin DM"],
        ["guaifenesin", "dextromethorphan"]
    ),
    combo!("Nuedexta", [], ["dextromethorphan", "quinidine"]),
    combo!("Tussionex", [], ["hydrocodone", "chlorpheniramine"]),
];
