//! The streaming readers.

use std::cell::Cell;
use std::io::{self, Read};
use std::ops::ControlFlow;
use std::rc::Rc;

use iris_fhir::synthetic::{bundle_string, population};
use iris_fhir::{
    BundleType, Entry, Item, ReadError, ReadErrorKind, Summary, read_bundle, read_json,
    read_ndjson, read_path,
};

const NOW: i64 = 1_767_225_600_000;

fn collect_with(
    f: impl FnOnce(&mut dyn FnMut(Item) -> ControlFlow<()>) -> Result<Summary, ReadError>,
) -> (Vec<Item>, Result<Summary, ReadError>) {
    let mut items = Vec::new();
    let r = f(&mut |i| {
        items.push(i);
        ControlFlow::Continue(())
    });
    (items, r)
}

fn bundle(text: &str) -> (Vec<Item>, Result<Summary, ReadError>) {
    collect_with(|on| read_bundle(text.as_bytes(), on))
}

fn resources(items: &[Item]) -> Vec<&Entry> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Resource(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn invalids(items: &[Item]) -> Vec<(u64, &str, &str)> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Invalid { line, path, reason } => Some((*line, path.as_str(), reason.as_str())),
            _ => None,
        })
        .collect()
}

#[test]
fn ndjson_skips_bad_lines_and_goes_on() {
    let text = concat!(
        "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n",
        "{\"resourceType\":\"Observation\",\"id\":\"o1\",\n", // truncated
        "\n",
        "   \r\n",
        "not json at all\n",
        "[1,2,3]\n",
        "{\"id\":\"no-type\"}\n",
        "{\"resourceType\":\"lowercase\"}\n",
        "{\"resourceType\":\"Condition\",\"id\":\"bad id!\"}\n",
        "{\"resourceType\":\"Condition\",\"id\":\"c1\"}\r\n",
        "{\"resourceType\":\"Unheard\",\"id\":\"u1\",\"x\": 1.50}", // no final newline
    );
    let (items, r) = collect_with(|on| read_ndjson(text.as_bytes(), on));
    let s = r.unwrap();
    let res = resources(&items);
    assert_eq!(
        res.iter()
            .map(|e| (e.line, e.resource_type.as_str(), e.id.as_deref()))
            .collect::<Vec<_>>(),
        [
            (1, "Patient", Some("p1")),
            (10, "Condition", Some("c1")),
            (11, "Unheard", Some("u1"))
        ]
    );
    assert_eq!(
        invalids(&items),
        [
            (2, "$", "truncated JSON"),
            (5, "$", "malformed JSON"),
            (6, "$", "resource is not a JSON object"),
            (7, "$.resourceType", "missing resourceType"),
            (
                8,
                "$.resourceType",
                "resourceType is not a FHIR resource type name"
            ),
            (9, "$.id", "id is not a valid FHIR id"),
        ]
    );
    // Unknown types are kept byte for byte.
    assert_eq!(
        res[2].resource.get(),
        "{\"resourceType\":\"Unheard\",\"id\":\"u1\",\"x\": 1.50}"
    );
    assert_eq!((s.resources, s.invalid, s.lines), (3, 6, 11));
    assert_eq!(s.bytes, text.len() as u64);
    assert!(!s.stopped);
}

#[test]
fn ndjson_break_stops() {
    let text = "{\"resourceType\":\"Patient\"}\n".repeat(10);
    let mut n = 0;
    let s = read_ndjson(text.as_bytes(), |_| {
        n += 1;
        if n == 3 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap();
    assert!(s.stopped);
    assert_eq!((n, s.resources, s.lines), (3, 3, 3));
}

/// A reader that counts the bytes taken from it.
struct Metered<R> {
    inner: R,
    taken: Rc<Cell<u64>>,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.taken.set(self.taken.get() + n as u64);
        Ok(n)
    }
}

/// Entries are handed over while the file is still being read, not after it was collected.
#[test]
fn bundle_entries_arrive_while_reading() {
    // One Bundle with the entries of 30 synthetic patients (a few MB).
    let mut all = Vec::new();
    for b in population(30, 9, NOW) {
        all.extend(b["entry"].as_array().unwrap().iter().cloned());
    }
    let n = all.len();
    let big = serde_json::json!({ "resourceType": "Bundle", "type": "batch", "entry": all });
    let text = bundle_string(&big);
    assert!(text.len() > 2_000_000, "{}", text.len());
    let taken = Rc::new(Cell::new(0));
    let reader = Metered {
        inner: text.as_bytes(),
        taken: Rc::clone(&taken),
    };
    let mut at = Vec::new();
    let mut header_at = None;
    let s = read_bundle(reader, |item| {
        match item {
            Item::Bundle { bundle_type } => {
                assert_eq!(bundle_type, Some(BundleType::Batch));
                header_at = Some(taken.get());
            }
            Item::Resource(_) => at.push(taken.get()),
            Item::Invalid { .. } => panic!("invalid"),
        }
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(at.len(), n);
    assert_eq!(s.resources as usize, n);
    // The header and the first entry came after at most one 64 KiB read-ahead…
    assert!(header_at.unwrap() <= 64 * 1024);
    assert!(at[0] <= 128 * 1024, "{}", at[0]);
    // … and entries kept coming as the input was consumed, in small steps.
    assert!(at.windows(2).all(|w| w[0] <= w[1]));
    let distinct = at.windows(2).filter(|w| w[0] < w[1]).count();
    assert!(distinct as u64 >= text.len() as u64 / (64 * 1024) - 1);
    assert!(at[n / 2] < text.len() as u64 * 3 / 4);
    assert_eq!(taken.get(), text.len() as u64);
}

/// A Bundle produced on the fly: `{"resourceType":"Bundle","type":"batch","entry":[e,e,…]}`
/// with a million entries (about 150 MB), never held in memory.
struct Endless {
    head: Vec<u8>,
    entry: Vec<u8>,
    remaining: u64,
    buf: Vec<u8>,
    pos: usize,
}

impl Read for Endless {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
            if !self.head.is_empty() {
                self.buf = std::mem::take(&mut self.head);
            } else if self.remaining > 0 {
                self.remaining -= 1;
                self.buf.extend_from_slice(&self.entry);
                self.buf
                    .extend_from_slice(if self.remaining > 0 { b",\n" } else { b"]}" });
            } else {
                return Ok(0);
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[test]
fn bundle_stops_early_without_reading_the_rest() {
    let entry = br#"{"fullUrl":"urn:uuid:0b6b6d4e-4cc2-4d3a-a4a5-0c1d2e3f4a5b","resource":{"resourceType":"Observation","id":"o","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"valueQuantity":{"value":72,"unit":"/min"}},"request":{"method":"POST","url":"Observation"}}"#;
    let taken = Rc::new(Cell::new(0));
    let reader = Metered {
        inner: Endless {
            head: br#"{"resourceType":"Bundle","type":"batch","entry":["#.to_vec(),
            entry: entry.to_vec(),
            remaining: 1_000_000,
            buf: Vec::new(),
            pos: 0,
        },
        taken: Rc::clone(&taken),
    };
    let mut n = 0;
    let s = read_bundle(reader, |item| {
        if let Item::Resource(_) = item {
            n += 1;
        }
        if n == 5_000 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap();
    assert!(s.stopped);
    assert_eq!(s.resources, 5_000);
    let used = taken.get();
    assert!(
        used < 5_001 * (entry.len() as u64 + 2) + 64 * 1024,
        "{used}"
    );
}

#[test]
fn truncated_bundle_errors_after_the_complete_entries() {
    let b = population(1, 4, NOW).next().unwrap();
    let text = bundle_string(&b);
    let n = b["entry"].as_array().unwrap().len();
    // Cut in the middle of the 6th entry (entries are one per line).
    let line_starts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
    let cut = line_starts[5] + 40;
    let (items, r) = bundle(&text[..cut]);
    let e = r.unwrap_err();
    assert!(matches!(e.kind, ReadErrorKind::Truncated), "{e}");
    assert_eq!(resources(&items).len(), 5);
    assert_eq!(e.delivered, 5);
    assert_eq!(e.line, 7);
    assert_eq!(e.offset, cut as u64);
    assert!(n > 5);
    assert!(matches!(items[0], Item::Bundle { .. }));

    // Malformed JSON in the middle: the entries before it, then the error with its line.
    let at = text.match_indices("\"resource\":{").nth(7).unwrap().0 + 12;
    let broken = format!("{},{}", &text[..at], &text[at..]);
    let (items, r) = bundle(&broken);
    let e = r.unwrap_err();
    assert!(matches!(e.kind, ReadErrorKind::Malformed), "{e}");
    assert_eq!(resources(&items).len(), 7);
    assert_eq!(e.line, 9);
    assert!(e.to_string().contains("line 9"));
}

#[test]
fn type_after_entry_is_buffered_until_known() {
    let text = r#"{"entry":[
        {"resource":{"resourceType":"Patient","id":"p"}},
        {"resource":{"resourceType":"Condition","id":"c"}}
    ],"id":"b1","resourceType":"Bundle","type":"transaction"}"#;
    let (items, r) = bundle(text);
    let s = r.unwrap();
    assert!(matches!(
        items[0],
        Item::Bundle {
            bundle_type: Some(BundleType::Transaction)
        }
    ));
    let res = resources(&items);
    assert_eq!(res.len(), 2);
    assert_eq!((res[0].index, res[0].line), (Some(0), 2));
    assert_eq!((res[1].index, res[1].line), (Some(1), 3));
    assert_eq!(s.bundle_type, Some(BundleType::Transaction));
    assert!(BundleType::Transaction.is_atomic());

    // `type` before `entry`, `resourceType` last: streamed once both are known.
    let text = r#"{"type":"collection","entry":[{"resource":{"resourceType":"Patient"}}],"resourceType":"Bundle"}"#;
    let (items, _) = bundle(text);
    assert!(matches!(
        items[0],
        Item::Bundle {
            bundle_type: Some(BundleType::Collection)
        }
    ));
    assert_eq!(items.len(), 2);

    // No `type` at all: the header says so, at the end.
    let text = r#"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}}]}"#;
    let (items, r) = bundle(text);
    assert!(matches!(items[0], Item::Bundle { bundle_type: None }));
    assert_eq!(r.unwrap().resources, 1);

    // An unknown type value.
    let (items, _) = bundle(r#"{"resourceType":"Bundle","type":"weird","entry":[]}"#);
    assert!(matches!(
        items[0],
        Item::Bundle {
            bundle_type: Some(BundleType::Unknown)
        }
    ));
}

#[test]
fn top_level_problems_are_errors() {
    let kind = |t: &str| bundle(t).1.unwrap_err().kind;
    assert!(
        matches!(kind(r#"{"resourceType":"Patient","id":"p"}"#), ReadErrorKind::NotABundle(t) if t == "Patient")
    );
    assert!(matches!(
        kind(r#"{"resourceType":"bundle"}"#),
        ReadErrorKind::BadResourceType
    ));
    assert!(matches!(
        kind(r#"{"resourceType":5}"#),
        ReadErrorKind::BadResourceType
    ));
    assert!(matches!(kind("[1,2]"), ReadErrorKind::NotAnObject));
    assert!(matches!(kind("\"Bundle\""), ReadErrorKind::NotAnObject));
    assert!(matches!(kind("{}"), ReadErrorKind::MissingResourceType));
    assert!(matches!(kind(""), ReadErrorKind::Truncated));
    assert!(matches!(
        kind(r#"{"resourceType":"Bundle","type":"batch","entry":{}}"#),
        ReadErrorKind::EntryNotArray
    ));
    assert!(matches!(
        kind(r#"{"resourceType":"Bundle","type":"batch","entry":[],"entry":[]}"#),
        ReadErrorKind::DuplicateMember
    ));
    assert!(matches!(
        kind(r#"{"resourceType":"Bundle","type":"batch"} x"#),
        ReadErrorKind::Malformed
    ));
    // The error text never quotes the input.
    let e = bundle(r#"{"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Patient","name":"SECRET"}"#).1.unwrap_err();
    assert!(!e.to_string().contains("SECRET"));
}

#[test]
fn bad_entries_are_skipped_with_paths() {
    let text = r#"{"resourceType":"Bundle","type":"transaction","entry":[
        {"fullUrl":"urn:uuid:0b6b6d4e-4cc2-4d3a-a4a5-0c1d2e3f4a5b","resource":{"resourceType":"Patient","id":"p"},
         "request":{"method":"POST","url":"Patient","ifNoneExist":"identifier=http://x|1"}},
        {"request":{"method":"DELETE","url":"Patient/1"}},
        42,
        {"resource":{"id":"x"}},
        {"resource":{"resourceType":"Patient"},"request":{"url":"Patient"}},
        {"fullUrl":17,"resource":{"resourceType":"Patient"}},
        {"resource":"Patient"},
        {"resource":{"resourceType":"Observation","id":"o"}}
    ]}"#;
    let (items, r) = bundle(text);
    let s = r.unwrap();
    let res = resources(&items);
    assert_eq!(res.len(), 2);
    let req = res[0].request.as_ref().unwrap();
    assert_eq!(
        (
            req.method.as_str(),
            req.url.as_str(),
            req.if_none_exist.as_deref()
        ),
        ("POST", "Patient", Some("identifier=http://x|1"))
    );
    assert_eq!(
        res[0].full_url.as_deref(),
        Some("urn:uuid:0b6b6d4e-4cc2-4d3a-a4a5-0c1d2e3f4a5b")
    );
    assert_eq!((res[1].index, res[1].line), (Some(7), 10));
    assert_eq!(res[1].path(), "$.entry[7].resource");
    let inv: Vec<(&str, &str)> = invalids(&items).iter().map(|(_, p, r)| (*p, *r)).collect();
    assert_eq!(
        inv,
        [
            ("$.entry[1].resource", "entry has no resource"),
            ("$.entry[2]", "entry is not a JSON object"),
            ("$.entry[3].resource.resourceType", "missing resourceType"),
            ("$.entry[4].request", "request without method or url"),
            (
                "$.entry[5]",
                "entry has a member of the wrong JSON type or a member twice"
            ),
            ("$.entry[6].resource", "resource is not a JSON object"),
        ]
    );
    assert_eq!((s.resources, s.invalid), (2, 6));
}

#[test]
fn entry_lines_in_pretty_printed_bundles() {
    let b = population(1, 8, NOW).next().unwrap();
    let text = serde_json::to_string_pretty(&b).unwrap();
    let (items, r) = bundle(&text);
    r.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for e in resources(&items) {
        // The entry's `{` is alone on its line, and the next line starts the entry's members.
        let l = e.line as usize;
        assert_eq!(lines[l - 1].trim(), "{", "entry {:?} at line {l}", e.index);
    }
}

#[test]
fn read_json_accepts_a_single_resource() {
    let text = "{\n  \"resourceType\": \"Patient\",\n  \"id\": \"p1\",\n  \"entry\": [1, 2],\n  \"birthDate\": \"1970-01-01\", \"x\": 1.50\n}";
    let (items, r) = collect_with(|on| read_json(text.as_bytes(), on));
    r.unwrap();
    let res = resources(&items);
    assert_eq!(res.len(), 1);
    assert_eq!((res[0].index, res[0].line), (None, 1));
    // Member values byte for byte (whitespace between members is not kept).
    assert_eq!(
        res[0].resource.get(),
        r#"{"resourceType":"Patient","id":"p1","entry":[1, 2],"birthDate":"1970-01-01","x":1.50}"#
    );
    // Members before resourceType, entry included.
    let text = r#"{"entry":[{"item":1}],"id":"l","resourceType":"List"}"#;
    let (items, r) = collect_with(|on| read_json(text.as_bytes(), on));
    r.unwrap();
    assert_eq!(resources(&items)[0].resource.get(), text);
    assert_eq!(resources(&items)[0].resource_type, "List");
}

#[test]
fn read_path_chooses_by_extension() {
    let dir = std::env::temp_dir().join(format!("iris-fhir-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let nd = dir.join("x.NDJSON");
    std::fs::write(
        &nd,
        "{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Condition\"}\n",
    )
    .unwrap();
    let js = dir.join("x.json");
    std::fs::write(
        &js,
        r#"{"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Patient"}}]}"#,
    )
    .unwrap();
    let one = dir.join("one.json");
    std::fs::write(&one, r#"{"resourceType":"Patient","id":"a"}"#).unwrap();
    let count = |p: &std::path::Path| read_path(p, |_| ControlFlow::Continue(())).unwrap();
    assert_eq!(count(&nd).resources, 2);
    let s = count(&js);
    assert_eq!((s.resources, s.bundle_type), (1, Some(BundleType::Batch)));
    assert_eq!(count(&one).by_type.get("Patient"), Some(&1));
    let e = read_path(dir.join("missing.json"), |_| ControlFlow::Continue(())).unwrap_err();
    assert!(matches!(e.kind, ReadErrorKind::Io(_)));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn entries_before_type_have_a_memory_limit() {
    // 70 MB of entries before `type`: refused rather than held without bound.
    let entry = format!(
        r#"{{"resource":{{"resourceType":"Basic","id":"b","x":"{}"}}}}"#,
        "a".repeat(1 << 20)
    );
    let mut text = String::from(r#"{"resourceType":"Bundle","entry":["#);
    for i in 0..70 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&entry);
    }
    text.push_str(r#"],"type":"batch"}"#);
    let (items, r) = bundle(&text);
    assert!(matches!(r.unwrap_err().kind, ReadErrorKind::BufferLimit(_)));
    assert!(items.is_empty());
}

#[test]
fn byte_order_marks_are_skipped() {
    let text = "\u{FEFF}{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\"}}]}";
    let (items, r) = bundle(text);
    assert_eq!(r.unwrap().bytes, text.len() as u64);
    assert_eq!(resources(&items).len(), 1);
    let text = "\u{FEFF}{\"resourceType\":\"Patient\"}\n\u{FEFF}{\"resourceType\":\"Patient\"}\n";
    let (items, r) = collect_with(|on| read_ndjson(text.as_bytes(), on));
    let s = r.unwrap();
    // Only a mark at the very start of the file is skipped.
    assert_eq!((s.resources, s.invalid), (1, 1));
    assert_eq!(invalids(&items), [(2, "$", "malformed JSON")]);
}

/// Files up to `IN_MEMORY_LIMIT` are parsed in memory by `read_path`: the items (with their
/// lines) and the errors (with line, column and offset) are the ones streaming gives.
#[test]
fn in_memory_and_streaming_reads_agree() {
    let dir = std::env::temp_dir().join(format!("iris-fhir-mem-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bundle = iris_fhir::synthetic::patient_bundle(9, 0, 1_795_000_000_000);
    // Pretty-printed (entries on many lines), `type` before `entry` as Synthea writes it.
    let pretty = format!(
        "{{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"transaction\",\n  \"entry\": {}\n}}\n",
        serde_json::to_string_pretty(&bundle["entry"]).unwrap()
    );
    let whole = dir.join("pretty.json");
    std::fs::write(&whole, &pretty).unwrap();
    let cut = dir.join("cut.json");
    std::fs::write(&cut, &pretty[..pretty.len() * 2 / 3]).unwrap();
    let bom = dir.join("bom.json");
    std::fs::write(&bom, format!("\u{feff}{pretty}")).unwrap();
    for f in [&whole, &cut, &bom] {
        let collect = |streaming: bool| {
            let mut items = Vec::new();
            let on = |i: Item| {
                items.push(match i {
                    Item::Resource(e) => format!("{:?} {} {:?}", e.index, e.line, e.id),
                    other => format!("{other:?}"),
                });
                ControlFlow::Continue(())
            };
            let r = if streaming {
                read_json(std::fs::File::open(f).unwrap(), on)
            } else {
                read_path(f, on)
            };
            let r = r.map_err(|e| (e.line, e.column, e.offset, e.delivered, e.kind.to_string()));
            (items, r.map(|s| (s.resources, s.bytes, s.lines)))
        };
        let (a, ra) = collect(true);
        let (b, rb) = collect(false);
        assert!(a.len() > 10, "{f:?}");
        assert_eq!(a, b, "{f:?}");
        assert_eq!(ra, rb, "{f:?}: streaming {ra:?} / in memory {rb:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
