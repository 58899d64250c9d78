//! `cargo bench -p iris-core --bench chart`: from asking for a chart with 2,000 observations to
//! its trend charts drawn (open, decrypt, decode, audit, build every panel's SVG), through
//! AppCore exactly as the desktop calls it. Target < 300 ms.

use std::time::{Duration, Instant};

use iris_config::config::{Config, Sources};
use iris_core::AppCore;
use iris_record::{ObsCategory, ObsValue, Observation, Record};
use iris_types::{
    AddUserRequest, ChangePasswordRequest, InitRequest, LoginRequest, PatientInput, TrendsRequest,
};

fn main() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("chart-bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let config = Config::resolve(&Sources::isolated(&dir)).unwrap();
        let core = AppCore::open(config, Instant::now()).unwrap();
        core.init_vault(InitRequest {
            admin: "admin".into(),
            password: "admin password 1".into(),
            passphrase: Some("benchmark passphrase".into()),
        })
        .await
        .unwrap();
        core.login(LoginRequest { user: "admin".into(), password: "admin password 1".into() })
            .await
            .unwrap();
        core.add_user(AddUserRequest {
            name: "dr.bench".into(),
            role: "physician".into(),
            initial_password: "initial password 1".into(),
        })
        .await
        .unwrap();
        core.login(LoginRequest { user: "dr.bench".into(), password: "initial password 1".into() })
            .await
            .unwrap();
        core.change_password(ChangePasswordRequest {
            current: "initial password 1".into(),
            new: "chosen password 1".into(),
        })
        .await
        .unwrap();
        let p = core
            .create_patient(PatientInput {
                family: "Benchmark".into(),
                given: vec!["Trend".into()],
                birth_date: "1955-03-04".into(),
                sex: "male".into(),
                mrn: "TREND-1".into(),
                ..PatientInput::default()
            })
            .await
            .unwrap();
        // 2,000 observations across the eleven trend panels' codes, over ~5 years.
        let now = core.now_ms();
        let codes = [
            ("8480-6", 135.0, "mm[Hg]"), ("8462-4", 84.0, "mm[Hg]"), ("8867-4", 72.0, "/min"),
            ("9279-1", 16.0, "/min"), ("59408-5", 97.0, "%"), ("8310-5", 36.8, "Cel"),
            ("29463-7", 82.0, "kg"), ("39156-5", 27.0, "kg/m2"), ("4548-4", 7.1, "%"),
            ("2345-7", 130.0, "mg/dL"), ("18262-6", 120.0, "mg/dL"), ("2160-0", 1.1, "mg/dL"),
        ];
        let records: Vec<Record> = (0..2000i64)
            .map(|i| {
                let (code, base, unit) = codes[i as usize % codes.len()];
                let category = if i % 12 >= 8 { ObsCategory::Laboratory } else { ObsCategory::VitalSigns };
                let value = ObsValue::Quantity { value: base * (1.0 + ((i % 7) as f64 - 3.0) / 100.0), unit: unit.into() };
                let at = now - (i / 12) * 10 * 86_400_000 - 3_600_000;
                Record::Observation(Observation { display: String::new(), ..Observation::charted(code, category, value, at) })
            })
            .collect();
        let (v, actor) = core.actor().await.unwrap();
        v.add_records(&actor, &p.id, records, now).await.unwrap();
        drop(v);

        let mut times: Vec<Duration> = Vec::new();
        let mut panels = 0;
        for _ in 0..20 {
            let t = Instant::now();
            let trends = core
                .chart_trends(TrendsRequest { id: p.id.clone(), days: None })
                .await
                .unwrap();
            times.push(t.elapsed());
            panels = trends.len();
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "open_chart_2000_observations_to_trends_drawn: median {:.1} ms, p95 {:.1} ms, max {:.1} ms ({panels} panels, 20 runs)",
            ms(times[10]),
            ms(times[19 * 95 / 100]),
            ms(times[19])
        );
        let t = Instant::now();
        let (v, actor) = core.actor().await.unwrap();
        let chart = v.open_chart(&actor, &p.id, now).await.unwrap();
        let open = t.elapsed();
        let t = Instant::now();
        let ms_ = iris_clinical::chart::measurements(chart.observations());
        let drawn = iris_core::trends::draw(iris_clinical::chart::panels(&ms_, &chart.patient), now, None);
        println!(
            "  of which: open_chart {:.1} ms, drawing {} panels {:.1} ms",
            ms(open),
            drawn.len(),
            ms(t.elapsed())
        );
    });
    let _ = std::fs::remove_dir_all(&dir);
}
