//! Gold features as stored (sealed JSON): iris-clinical computes them from a patient's
//! observations; this module only feeds and encodes them.

use iris_clinical::features;
use iris_record::Observation;

/// The features of one patient as JSON: `{"daily_vitals": [...], "lab_trends": [...],
/// "flags": [{"kind", "rule", "evidence": [{"code", "value", "at"}]}]}`.
pub fn features_json(obs: &[Observation]) -> Vec<u8> {
    let ms = iris_clinical::chart::measurements(obs);
    let f = features::compute(&iris_clinical::chart::numeric(&ms));
    serde_json::json!({
        "version": 1,
        "daily_vitals": f.daily_vitals.iter().map(|d| serde_json::json!({
            "code": d.code, "day": d.day, "count": d.count, "mean": d.mean, "min": d.min, "max": d.max,
        })).collect::<Vec<_>>(),
        "lab_trends": f.lab_trends.iter().map(|t| serde_json::json!({
            "code": t.code, "latest": t.latest, "latest_at": t.latest_at, "mean_7d": t.mean_7d,
            "mean_30d": t.mean_30d, "mean_90d": t.mean_90d, "direction": t.direction.as_str(),
        })).collect::<Vec<_>>(),
        "flags": f.flags.iter().map(|fl| serde_json::json!({
            "kind": fl.kind.as_str(), "rule": fl.rule,
            "evidence": fl.evidence.iter().map(|e| serde_json::json!({
                "code": e.code, "value": e.value, "at": e.at,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
    .to_string()
    .into_bytes()
}
