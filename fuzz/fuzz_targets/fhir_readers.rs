//! Arbitrary bytes through every iris-fhir reader, and every resource delivered through
//! normalization. Nothing may panic; a resource that normalizes must also survive export and
//! normalize again to the same values.
#![no_main]

use std::ops::ControlFlow;

use iris_fhir::{Item, Normalized, SourcedPatient, export_bundle, normalize};
use iris_record::{PatientRecord, Sex};
use libfuzzer_sys::fuzz_target;

fn patient() -> SourcedPatient {
    SourcedPatient {
        source_id: Some("0b6b6d4e-4cc2-4d3a-a4a5-0c1d2e3f4a5b".into()),
        identifiers: vec![],
        record: PatientRecord {
            family: "F".into(),
            given: vec![],
            birth_date: "2000-01-01".into(),
            sex: Sex::Unknown,
            // No MRN.
            mrn: String::new(),
            address: None,
            phone: None,
            email: None,
            pregnancy: None,
        },
        deceased: None,
        marital_status: None,
        warnings: vec![],
    }
}

/// A normalized clinical item written out and read back is the same item.
fn round_trip(n: &Normalized) {
    if matches!(n, Normalized::Patient(_) | Normalized::Other { .. }) {
        return;
    }
    if n.source_id().is_none() {
        return;
    }
    let p = patient();
    let b = export_bundle(&p, p.source_id.as_deref().unwrap(), std::slice::from_ref(n));
    let entries = b["entry"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let back = normalize(&entries[1]["resource"].to_string())
        .unwrap_or_else(|i| panic!("exported item does not normalize: {i:?}"));
    // Subjects are rewritten to the exported patient; everything else must match.
    let again = export_bundle(
        &p,
        p.source_id.as_deref().unwrap(),
        std::slice::from_ref(&back),
    );
    assert_eq!(again, b, "export is not stable");
}

fuzz_target!(|data: &[u8]| {
    let mut on = |item: Item| {
        if let Item::Resource(e) = &item
            && let Ok(n) = e.normalize()
        {
            round_trip(&n);
        }
        ControlFlow::Continue(())
    };
    let _ = iris_fhir::read_bundle(data, &mut on);
    let _ = iris_fhir::read_json(data, &mut on);
    let _ = iris_fhir::read_ndjson(data, &mut on);
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(n) = normalize(s) {
            round_trip(&n);
        }
        let r = iris_fhir::parse_reference(s);
        let _ = iris_fhir::parse_reference(&r.to_fhir());
        if let Ok(ms) = iris_fhir::time::parse_datetime_ms(s) {
            assert_eq!(
                iris_fhir::time::parse_datetime_ms(&iris_fhir::time::format_ms(ms)),
                Ok(ms)
            );
        }
    }
});
