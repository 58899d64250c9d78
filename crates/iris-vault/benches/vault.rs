//! Vault benchmarks (`cargo bench -p iris-vault`), on the machine's real disk (the vault lives
//! under the target directory) with `synchronous=FULL`. Prints one line per figure; the
//! figures go to BENCHMARKS.md with this command.
//!
//! A plain harness rather than criterion: each figure is a direct measurement (a rate, a
//! median or a p99 over many runs), and criterion's dependency tree would double this crate's
//! bench build time on a 2-core machine.

use std::time::{Duration, Instant};

use iris_record::{ObsCategory, ObservationStatus, Sex};
use iris_record::{ObsValue, Observation, PatientRecord, Record};
use iris_vault::{Actor, InitArgs, Place, Role, Unlock, Vault};

const T0: i64 = 1_795_000_000_000;

fn vital(i: i64) -> Record {
    Record::Observation(Observation {
        code: "8867-4".into(),
        display: "Heart rate".into(),
        status: ObservationStatus::Final,
        category: vec![ObsCategory::VitalSigns],
        value: Some(ObsValue::Quantity {
            value: 60.0 + (i % 50) as f64,
            unit: "/min".into(),
        }),
        data_absent: None,
        components: vec![],
        reference_low: Some(60.0),
        reference_high: Some(100.0),
        effective_at: T0 - i * 60_000,
        interpretation: None,
    })
}

fn patient(i: usize) -> PatientRecord {
    PatientRecord {
        family: format!("Benchley{i}"),
        given: vec!["Pat".into()],
        birth_date: "1961-05-06".into(),
        sex: Sex::Male,
        mrn: format!("B{i}"),
        address: None,
        phone: Some("555-010-2000".into()),
        email: None,
        pregnancy: None,
    }
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn setup(dir: &std::path::Path) -> (Vault, Actor) {
    let (v, _) = Vault::init(
        dir,
        InitArgs {
            admin: "admin",
            admin_password: "admin password 1",
            unlock: Unlock::Passphrase("benchmark passphrase".into()),
            now: T0,
        },
    )
    .await
    .unwrap();
    let admin = v.login("admin", "admin password 1", T0).await.unwrap();
    v.add_user(
        &admin,
        "dr.bench",
        Role::Physician,
        "initial password 1",
        T0,
    )
    .await
    .unwrap();
    let doc = v
        .change_password("dr.bench", "initial password 1", "chosen password 1", T0)
        .await
        .unwrap();
    (v, doc)
}

fn main() {
    // `cargo bench` passes --bench; a filter argument is accepted and ignored.
    let base = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vault-bench");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (v, doc) = setup(&base).await;

        // 1. 10,000 encrypted observations in one transaction (one audit entry), 5 runs.
        let mut rates = Vec::new();
        for run in 0..5 {
            let pid = v.create_patient(&doc, &patient(run), T0).await.unwrap();
            let batch: Vec<Record> = (0..10_000).map(vital).collect();
            let t = Instant::now();
            v.add_records(&doc, &pid, batch, T0).await.unwrap();
            rates.push(10_000.0 / t.elapsed().as_secs_f64());
        }
        rates.sort_by(f64::total_cmp);
        println!(
            "insert_10k_observations_one_tx: median {:.0} obs/s (min {:.0}, max {:.0}; 5 runs)",
            rates[2], rates[0], rates[4]
        );

        // 2. Open a chart with 2,000 observations (decrypt and decode all, audited), 30 runs.
        let pid = v.create_patient(&doc, &patient(100), T0).await.unwrap();
        v.add_records(&doc, &pid, (0..2000).map(vital).collect(), T0)
            .await
            .unwrap();
        let mut times = Vec::new();
        for _ in 0..30 {
            let t = Instant::now();
            let chart = v.open_chart(&doc, &pid, T0).await.unwrap();
            times.push(t.elapsed());
            assert_eq!(chart.records.len(), 2000);
        }
        times.sort();
        println!(
            "open_chart_2000_observations: median {:.2} ms, p95 {:.2} ms (30 runs)",
            ms(pct(&times, 0.5)),
            ms(pct(&times, 0.95))
        );

        // 3. A single audited write (one observation + its audit entry + signed head, one
        //    transaction, synchronous=FULL), 1,000 runs.
        let mut times = Vec::new();
        for i in 0..1000 {
            let t = Instant::now();
            v.add_record(&doc, &pid, vital(i), T0).await.unwrap();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "single_audited_write_sync_full: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (1000 runs)",
            ms(pct(&times, 0.5)),
            ms(pct(&times, 0.99)),
            ms(times[times.len() - 1])
        );

        // 4. Decrypt one value (AES-256-GCM, 64-byte plaintext), 200,000 runs.
        let place = Place {
            table: "records",
            column: "observation",
            row: "0123456789abcdef0123456789abcdef",
        };
        let sealed = v.keys().seal(place, &[7u8; 64]);
        let n = 200_000;
        let t = Instant::now();
        let mut total = 0usize;
        for _ in 0..n {
            total += v
                .keys()
                .open(place, std::hint::black_box(&sealed))
                .unwrap()
                .len();
        }
        let per = t.elapsed().as_secs_f64() / n as f64;
        assert_eq!(total, 64 * n);
        println!(
            "decrypt_one_value: {:.2} us per value ({} runs)",
            per * 1e6,
            n
        );
        v.close().await;
    });
    let _ = std::fs::remove_dir_all(&base);
}
