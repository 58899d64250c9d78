//! Streaming readers: NDJSON (one resource per line) and Bundle JSON (entries handed over one
//! at a time while the file is parsed), in bounded memory.
//!
//! # What a callback receives
//!
//! Every resource arrives as an [`Entry`]: its raw JSON ([`RawValue`], the bytes of the file,
//! so types this crate does not model are kept exactly), its `resourceType` and `id`, and for
//! a Bundle entry its `fullUrl` and `request`. A structurally unusable element (a line that is
//! not JSON, a resource without `resourceType`, an entry without a resource …) is an
//! [`Item::Invalid`] with a line, a JSONPath-like path and a fixed reason; reading goes on.
//! Only a problem that makes the rest of a file unreadable (malformed or truncated JSON in a
//! Bundle, an I/O error, a top level that is not a resource) is a [`ReadError`], returned after
//! everything before it was delivered. The callback can stop early with
//! `ControlFlow::Break(())` ([`Summary::stopped`]).
//!
//! # Bundle type before entries
//!
//! A transaction Bundle is all-or-nothing, so an importer must know the type before the first
//! entry. [`Item::Bundle`] is therefore delivered once, before any entry. When `type` precedes
//! `entry` in the file (Synthea and HAPI write `resourceType`, `type`, … `entry`), entries
//! stream with nothing held back. When `entry` comes first, its elements are buffered (raw,
//! at most [`MAX_BUFFERED_BYTES`]) until `resourceType` and `type` have been read, or until the
//! end of the Bundle when `type` is missing (then the header says `bundle_type: None`).
//!
//! # Positions
//!
//! Lines are 1-based. For a Bundle entry, `line` is the line of its opening `{`. Byte offsets
//! count bytes consumed from the input; for a parse error they may run one byte past the
//! offending character (the parser's look-ahead).

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::Path;
use std::rc::Rc;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::codes::{id_valid, resource_type_valid};
use crate::model::{Field, Head};

/// The most bytes of `entry` elements (or top-level members of a non-Bundle resource) held
/// while the Bundle's `resourceType`/`type` are not yet known.
pub const MAX_BUFFERED_BYTES: usize = 64 * 1024 * 1024;
/// The longest NDJSON line read; a longer line is skipped as [`Item::Invalid`].
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// `Bundle.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BundleType {
    Document,
    Message,
    Transaction,
    TransactionResponse,
    Batch,
    BatchResponse,
    History,
    Searchset,
    Collection,
    /// A value outside the R4 value set (not kept: it is not ours to interpret).
    Unknown,
}

impl BundleType {
    pub fn parse(s: &str) -> BundleType {
        match s {
            "document" => BundleType::Document,
            "message" => BundleType::Message,
            "transaction" => BundleType::Transaction,
            "transaction-response" => BundleType::TransactionResponse,
            "batch" => BundleType::Batch,
            "batch-response" => BundleType::BatchResponse,
            "history" => BundleType::History,
            "searchset" => BundleType::Searchset,
            "collection" => BundleType::Collection,
            _ => BundleType::Unknown,
        }
    }

    /// A transaction succeeds or fails as a whole.
    pub fn is_atomic(self) -> bool {
        self == BundleType::Transaction
    }
}

/// `Bundle.entry.request`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub url: String,
    pub if_none_exist: Option<String>,
}

/// One resource as read.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Position in `Bundle.entry` (0-based); `None` for an NDJSON line or a lone resource.
    pub index: Option<usize>,
    /// 1-based line where the resource (or its entry) starts.
    pub line: u64,
    pub full_url: Option<String>,
    pub request: Option<Request>,
    pub resource_type: String,
    pub id: Option<String>,
    /// The resource exactly as written in the input.
    pub resource: Box<RawValue>,
}

impl Entry {
    /// JSONPath-like location of the resource: `$.entry[3].resource`, or `$`.
    pub fn path(&self) -> String {
        match self.index {
            Some(i) => format!("$.entry[{i}].resource"),
            None => "$".to_string(),
        }
    }

    /// [`crate::normalize()`] of this resource, with the paths of its issues (and of the
    /// warnings of a structured one) rooted at [`Entry::path`].
    pub fn normalize(&self) -> Result<crate::Normalized, Vec<crate::Issue>> {
        let path = self.path();
        crate::normalize(self.resource.get())
            .map(|n| n.rooted_at(&path))
            .map_err(|v| v.into_iter().map(|i| i.rooted_at(&path)).collect())
    }
}

/// What a reader hands to its callback.
#[derive(Debug, Clone)]
pub enum Item {
    /// Once per Bundle, before its first entry.
    Bundle {
        bundle_type: Option<BundleType>,
    },
    Resource(Entry),
    /// An element that is skipped; `reason` is a fixed text that never quotes the input.
    Invalid {
        line: u64,
        path: String,
        reason: String,
    },
}

/// Totals of one read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub bundle_type: Option<BundleType>,
    /// [`Item::Resource`] items delivered.
    pub resources: u64,
    /// [`Item::Invalid`] items delivered.
    pub invalid: u64,
    /// Resources delivered, by `resourceType`.
    pub by_type: BTreeMap<String, u64>,
    /// Bytes consumed from the input.
    pub bytes: u64,
    /// Lines consumed (newline characters seen, plus one for a last line without one).
    pub lines: u64,
    /// The callback returned `Break`: the rest of the input was not read.
    pub stopped: bool,
}

/// Why reading stopped before the end. Items before the failure were delivered.
#[derive(Debug, thiserror::Error)]
#[error("{kind} at line {line}, column {column} (byte {offset})")]
pub struct ReadError {
    pub kind: ReadErrorKind,
    pub line: u64,
    pub column: u64,
    pub offset: u64,
    /// Items ([`Item::Resource`] and [`Item::Invalid`]) delivered before the failure.
    pub delivered: u64,
}

/// The kinds of [`ReadError`]; the texts never contain input values.
#[derive(Debug, thiserror::Error)]
pub enum ReadErrorKind {
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("unexpected end of input (truncated file)")]
    Truncated,
    #[error("malformed JSON")]
    Malformed,
    #[error("the top-level JSON value is not an object")]
    NotAnObject,
    #[error("no resourceType at the top level")]
    MissingResourceType,
    #[error("the top-level resourceType is not a FHIR resource type name")]
    BadResourceType,
    #[error("the top-level resource is a {0}, not a Bundle")]
    NotABundle(String),
    #[error("Bundle.entry is not an array")]
    EntryNotArray,
    #[error("a top-level member occurs twice")]
    DuplicateMember,
    #[error("more than {0} bytes of entries before Bundle.type")]
    BufferLimit(usize),
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Byte and line counters shared between the reader and the visitors.
#[derive(Debug, Default)]
struct Pos {
    bytes: Cell<u64>,
    newlines: Cell<u64>,
    line_start: Cell<u64>,
}

#[derive(Debug)]
struct Counting<R> {
    inner: R,
    pos: Rc<Pos>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let base = self.pos.bytes.get();
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' {
                self.pos.newlines.set(self.pos.newlines.get() + 1);
                self.pos.line_start.set(base + i as u64 + 1);
            }
        }
        self.pos.bytes.set(base + n as u64);
        Ok(n)
    }
}

/// How a read ended early, inside the visitors.
#[derive(Debug)]
enum Halt {
    Stopped,
    Fatal(ReadErrorKind),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    full_url: Option<String>,
    request: Option<RawRequest>,
    resource: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRequest {
    method: Option<String>,
    url: Option<String>,
    if_none_exist: Option<String>,
}

/// A member captured while the top-level object is not known to be a Bundle.
#[derive(Debug)]
enum Member {
    Raw(Box<RawValue>),
    /// `entry`, whose elements are in `pending`.
    PendingEntries,
}

struct Ctx<'f, F> {
    on: &'f mut F,
    pos: Rc<Pos>,
    summary: Summary,
    /// `read_bundle`: anything but a Bundle is an error.
    strict: bool,
    resource_type: Option<String>,
    bundle_type: Option<Option<BundleType>>,
    header_sent: bool,
    pending: Vec<(u64, Box<RawValue>)>,
    members: Vec<(String, Member)>,
    buffered: usize,
    next_index: usize,
    start_line: u64,
    halt: Option<Halt>,
    /// Parsing an in-memory file: its address and the offsets of its newlines, so an entry's
    /// line is found from where its borrowed text sits (the parser's reader is not counted).
    slice: Option<SliceMap>,
}

/// Where an in-memory input is, and its line starts.
struct SliceMap {
    base: usize,
    newlines: Vec<usize>,
    /// Bytes before the JSON (a byte order mark).
    skipped: usize,
}

impl SliceMap {
    fn new(bytes: &[u8]) -> SliceMap {
        SliceMap {
            skipped: if bytes.starts_with(BOM) { BOM.len() } else { 0 },
            base: bytes.as_ptr() as usize,
            newlines: bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// The 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> u64 {
        self.newlines.partition_point(|n| *n < offset) as u64 + 1
    }
}

impl<F: FnMut(Item) -> ControlFlow<()>> Ctx<'_, F> {
    fn emit(&mut self, item: Item) -> Result<(), Halt> {
        match &item {
            Item::Resource(e) => {
                self.summary.resources += 1;
                *self
                    .summary
                    .by_type
                    .entry(e.resource_type.clone())
                    .or_default() += 1;
            }
            Item::Invalid { .. } => self.summary.invalid += 1,
            Item::Bundle { bundle_type } => self.summary.bundle_type = *bundle_type,
        }
        match (self.on)(item) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Halt::Stopped),
        }
    }

    fn invalid(&mut self, line: u64, path: String, reason: &str) -> Result<(), Halt> {
        self.emit(Item::Invalid {
            line,
            path,
            reason: reason.to_string(),
        })
    }

    fn is_bundle(&self) -> Option<bool> {
        self.resource_type.as_deref().map(|t| t == "Bundle")
    }

    fn ready(&self) -> bool {
        self.is_bundle() == Some(true) && self.bundle_type.is_some()
    }

    fn hold(&mut self, n: usize) -> Result<(), Halt> {
        self.buffered += n;
        if self.buffered > MAX_BUFFERED_BYTES {
            return Err(Halt::Fatal(ReadErrorKind::BufferLimit(MAX_BUFFERED_BYTES)));
        }
        Ok(())
    }

    /// Sends the header and the entries held back, once the Bundle's type is known (or at
    /// the end of the Bundle).
    fn start(&mut self) -> Result<(), Halt> {
        if !self.header_sent {
            self.header_sent = true;
            self.members.clear();
            let bundle_type = self.bundle_type.flatten();
            self.emit(Item::Bundle { bundle_type })?;
            for (line, raw) in std::mem::take(&mut self.pending) {
                self.entry(line, &raw)?;
            }
            self.buffered = 0;
        }
        Ok(())
    }

    /// One `entry` element as it is parsed.
    fn on_entry(&mut self, line: u64, raw: Box<RawValue>) -> Result<(), Halt> {
        if self.ready() {
            self.start()?;
            self.entry(line, &raw)
        } else {
            self.hold(raw.get().len())?;
            self.pending.push((line, raw));
            Ok(())
        }
    }

    fn entry(&mut self, line: u64, raw: &RawValue) -> Result<(), Halt> {
        let index = self.next_index;
        self.next_index += 1;
        let path = format!("$.entry[{index}]");
        let text = raw.get();
        let e: RawEntry = match serde_json::from_str(text) {
            Ok(e) => e,
            Err(_) if !text.starts_with('{') => {
                return self.invalid(line, path, "entry is not a JSON object");
            }
            Err(_) => {
                return self.invalid(
                    line,
                    path,
                    "entry has a member of the wrong JSON type or a member twice",
                );
            }
        };
        let request = match e.request {
            None => None,
            Some(RawRequest {
                method: Some(method),
                url: Some(url),
                if_none_exist,
            }) => Some(Request {
                method,
                url,
                if_none_exist,
            }),
            Some(_) => {
                return self.invalid(
                    line,
                    format!("{path}.request"),
                    "request without method or url",
                );
            }
        };
        let Some(resource) = e.resource else {
            return self.invalid(line, format!("{path}.resource"), "entry has no resource");
        };
        match head(&resource) {
            Ok((resource_type, id)) => self.emit(Item::Resource(Entry {
                index: Some(index),
                line,
                full_url: e.full_url,
                request,
                resource_type,
                id,
                resource,
            })),
            Err((sub, reason)) => self.invalid(line, format!("{path}.resource{sub}"), reason),
        }
    }

    /// End of the top-level object.
    fn finish(&mut self) -> Result<(), Halt> {
        match self.is_bundle() {
            None => Err(Halt::Fatal(ReadErrorKind::MissingResourceType)),
            Some(true) => self.start(),
            Some(false) => {
                // A lone resource: put its members back together (values byte for byte;
                // whitespace between members is not kept).
                let mut s = String::from("{");
                for (i, (k, m)) in self.members.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(&serde_json::to_string(k).unwrap_or_default());
                    s.push(':');
                    match m {
                        Member::Raw(r) => s.push_str(r.get()),
                        Member::PendingEntries => {
                            s.push('[');
                            for (j, (_, r)) in self.pending.iter().enumerate() {
                                if j > 0 {
                                    s.push(',');
                                }
                                s.push_str(r.get());
                            }
                            s.push(']');
                        }
                    }
                }
                s.push('}');
                let raw =
                    RawValue::from_string(s).map_err(|_| Halt::Fatal(ReadErrorKind::Malformed))?;
                let line = self.start_line;
                match head(&raw) {
                    Ok((resource_type, id)) => self.emit(Item::Resource(Entry {
                        index: None,
                        line,
                        full_url: None,
                        request: None,
                        resource_type,
                        id,
                        resource: raw,
                    })),
                    Err((sub, reason)) => self.invalid(line, format!("${sub}"), reason),
                }
            }
        }
    }
}

/// `resourceType` and `id` of a resource, or the sub-path and reason it is unusable.
fn head(raw: &RawValue) -> Result<(String, Option<String>), (&'static str, &'static str)> {
    if !raw.get().starts_with('{') {
        return Err(("", "resource is not a JSON object"));
    }
    let h: Head = serde_json::from_str(raw.get())
        .map_err(|_| ("", "resource has a member twice or is not valid JSON"))?;
    let resource_type = match h.resource_type {
        Field::Absent => return Err((".resourceType", "missing resourceType")),
        Field::Present(t) if resource_type_valid(&t) => t,
        _ => {
            return Err((
                ".resourceType",
                "resourceType is not a FHIR resource type name",
            ));
        }
    };
    let id = match h.id {
        Field::Absent => None,
        Field::Present(id) if id_valid(&id) => Some(id),
        _ => return Err((".id", "id is not a valid FHIR id")),
    };
    Ok((resource_type, id))
}

fn halt<E: de::Error, F>(ctx: &mut Ctx<'_, F>, h: Halt) -> E {
    ctx.halt = Some(h);
    E::custom("halt")
}

struct Top<'a, 'f, F> {
    ctx: &'a mut Ctx<'f, F>,
}

impl<'de, F: FnMut(Item) -> ControlFlow<()>> Visitor<'de> for Top<'_, '_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a FHIR resource (JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        ctx.start_line = ctx.pos.newlines.get() + 1;
        let mut seen_type = false;
        let mut seen_entry = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "resourceType" => {
                    if ctx.resource_type.is_some() {
                        return Err(halt(ctx, Halt::Fatal(ReadErrorKind::DuplicateMember)));
                    }
                    let raw: Box<RawValue> = map.next_value()?;
                    let t = match serde_json::from_str::<String>(raw.get()) {
                        Ok(t) if resource_type_valid(&t) => t,
                        _ => {
                            return Err(halt(ctx, Halt::Fatal(ReadErrorKind::BadResourceType)));
                        }
                    };
                    if ctx.strict && t != "Bundle" {
                        return Err(halt(ctx, Halt::Fatal(ReadErrorKind::NotABundle(t))));
                    }
                    ctx.resource_type = Some(t);
                    ctx.members.push((key, Member::Raw(raw)));
                    if ctx.ready() {
                        ctx.start().map_err(|h| halt(ctx, h))?;
                    }
                }
                "entry" if ctx.is_bundle() != Some(false) => {
                    if seen_entry {
                        return Err(halt(ctx, Halt::Fatal(ReadErrorKind::DuplicateMember)));
                    }
                    seen_entry = true;
                    map.next_value_seed(Entries { ctx: &mut *ctx })?;
                    if ctx.is_bundle() != Some(true) {
                        ctx.members.push((key, Member::PendingEntries));
                    }
                }
                "type" if ctx.is_bundle() != Some(false) => {
                    if seen_type {
                        return Err(halt(ctx, Halt::Fatal(ReadErrorKind::DuplicateMember)));
                    }
                    seen_type = true;
                    let raw: Box<RawValue> = map.next_value()?;
                    let t = serde_json::from_str::<String>(raw.get()).ok();
                    ctx.bundle_type = Some(t.as_deref().map(BundleType::parse));
                    if ctx.is_bundle().is_none() {
                        ctx.hold(raw.get().len()).map_err(|h| halt(ctx, h))?;
                        ctx.members.push((key, Member::Raw(raw)));
                    } else if ctx.ready() {
                        ctx.start().map_err(|h| halt(ctx, h))?;
                    }
                }
                _ if ctx.is_bundle() == Some(true) => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    let raw: Box<RawValue> = map.next_value()?;
                    ctx.hold(raw.get().len()).map_err(|h| halt(ctx, h))?;
                    ctx.members.push((key, Member::Raw(raw)));
                }
            }
        }
        ctx.finish().map_err(|h| halt(ctx, h))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::NotAnObject)))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::NotAnObject)))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::NotAnObject)))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::NotAnObject)))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::NotAnObject)))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::NotAnObject)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::NotAnObject)))
    }
}

/// `Bundle.entry`, element by element.
struct Entries<'a, 'f, F> {
    ctx: &'a mut Ctx<'f, F>,
}

impl<'de, F: FnMut(Item) -> ControlFlow<()>> DeserializeSeed<'de> for Entries<'_, '_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Item) -> ControlFlow<()>> Visitor<'de> for Entries<'_, '_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of Bundle entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        if ctx.slice.is_some() {
            // In memory: the element's text is borrowed from the input, so its address says
            // where it starts.
            while let Some(raw) = seq.next_element::<&'de RawValue>()? {
                let line = ctx.slice.as_ref().map_or(0, |m| {
                    m.line_of((raw.get().as_ptr() as usize).saturating_sub(m.base))
                });
                ctx.on_entry(line, raw.to_owned())
                    .map_err(|h| halt(ctx, h))?;
            }
            return Ok(());
        }
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            // The parser stopped right after the element's closing brace: count back the
            // newlines inside it to find the line it started on.
            let inside = raw.get().bytes().filter(|b| *b == b'\n').count() as u64;
            let line = (ctx.pos.newlines.get() + 1).saturating_sub(inside);
            ctx.on_entry(line, raw).map_err(|h| halt(ctx, h))?;
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(()) // "entry": null
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::EntryNotArray)))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::EntryNotArray)))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::EntryNotArray)))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::EntryNotArray)))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::EntryNotArray)))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(halt(self.ctx, Halt::Fatal(ReadErrorKind::EntryNotArray)))
    }
}

fn read_object<R: Read, F: FnMut(Item) -> ControlFlow<()>>(
    r: R,
    on: &mut F,
    strict: bool,
) -> Result<Summary, ReadError> {
    let pos = Rc::new(Pos::default());
    let mut inner = BufReader::with_capacity(64 * 1024, r);
    // A UTF-8 byte order mark is not JSON; skip it (it still counts in offsets).
    loop {
        match inner.fill_buf() {
            Ok(b) => {
                if b.starts_with(BOM) {
                    inner.consume(BOM.len());
                    pos.bytes.set(BOM.len() as u64);
                    pos.line_start.set(BOM.len() as u64);
                }
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(ReadError {
                    kind: ReadErrorKind::Io(e),
                    line: 1,
                    column: 0,
                    offset: 0,
                    delivered: 0,
                });
            }
        }
    }
    let counting = Counting {
        inner,
        pos: Rc::clone(&pos),
    };
    let mut ctx = new_ctx(on, &pos, strict, None);
    let mut de = serde_json::Deserializer::from_reader(counting);
    let result = (&mut de)
        .deserialize_any(Top { ctx: &mut ctx })
        .and_then(|()| de.end());
    finish(result, ctx, &pos)
}

/// Files up to this size are read into memory and parsed there (several times faster than
/// parsing from a reader byte by byte); larger ones stream.
pub const IN_MEMORY_LIMIT: u64 = 64 * 1024 * 1024;

/// [`read_object`] over bytes in memory: the same visitors, the entries' lines found from
/// where their text sits.
fn read_object_slice<F: FnMut(Item) -> ControlFlow<()>>(
    bytes: &[u8],
    on: &mut F,
    strict: bool,
) -> Result<Summary, ReadError> {
    let pos = Rc::new(Pos::default());
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut ctx = new_ctx(on, &pos, strict, Some(SliceMap::new(bytes)));
    let mut de = serde_json::Deserializer::from_slice(body);
    let result = (&mut de)
        .deserialize_any(Top { ctx: &mut ctx })
        .and_then(|()| de.end());
    // The counters a reader would have kept, for the summary and errors.
    let newlines = bytes.iter().filter(|b| **b == b'\n').count() as u64;
    pos.bytes.set(bytes.len() as u64);
    pos.newlines.set(newlines);
    pos.line_start.set(
        bytes
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i as u64 + 1),
    );
    finish(result, ctx, &pos)
}

fn new_ctx<'f, F>(
    on: &'f mut F,
    pos: &Rc<Pos>,
    strict: bool,
    slice: Option<SliceMap>,
) -> Ctx<'f, F> {
    Ctx {
        on,
        pos: Rc::clone(pos),
        summary: Summary::default(),
        strict,
        resource_type: None,
        bundle_type: None,
        header_sent: false,
        pending: Vec::new(),
        members: Vec::new(),
        buffered: 0,
        next_index: 0,
        start_line: 1,
        halt: None,
        slice,
    }
}

/// The end of a read: the summary, or the error with where it happened.
fn finish<F>(
    result: Result<(), serde_json::Error>,
    mut ctx: Ctx<'_, F>,
    pos: &Pos,
) -> Result<Summary, ReadError> {
    let totals = |s: &mut Summary| {
        s.bytes = pos.bytes.get();
        s.lines = pos.newlines.get() + u64::from(pos.bytes.get() > pos.line_start.get());
    };
    match (result, ctx.halt.take()) {
        (Ok(()), _) => {
            totals(&mut ctx.summary);
            Ok(ctx.summary)
        }
        (Err(_), Some(Halt::Stopped)) => {
            ctx.summary.stopped = true;
            totals(&mut ctx.summary);
            Ok(ctx.summary)
        }
        (Err(e), halt) => {
            let (e_line, e_column) = (e.line() as u64, e.column() as u64);
            let kind = match halt {
                Some(Halt::Fatal(k)) => k,
                _ => match e.classify() {
                    serde_json::error::Category::Io => ReadErrorKind::Io(e.into()),
                    serde_json::error::Category::Eof => ReadErrorKind::Truncated,
                    _ => ReadErrorKind::Malformed,
                },
            };
            let (line, column) = if e_line > 0 {
                (e_line, e_column)
            } else {
                (
                    pos.newlines.get() + 1,
                    pos.bytes.get() - pos.line_start.get(),
                )
            };
            // In memory the parser's line and column give the offset exactly.
            // (the column counts the characters consumed on the line, as a reader would have).
            let offset = match &ctx.slice {
                Some(m) if e_line > 0 => {
                    let start = match (e_line as usize).checked_sub(2) {
                        Some(i) => m.newlines.get(i).map_or(0, |n| n + 1),
                        None => m.skipped,
                    };
                    (start as u64 + e_column).min(pos.bytes.get())
                }
                _ => pos.bytes.get(),
            };
            Err(ReadError {
                kind,
                line,
                column,
                offset,
                delivered: ctx.summary.resources + ctx.summary.invalid,
            })
        }
    }
}

/// Reads a Bundle, handing over [`Item::Bundle`] and then each entry as it is parsed. Any
/// other top-level resource is a [`ReadErrorKind::NotABundle`] error.
pub fn read_bundle<R: Read>(
    r: R,
    mut on: impl FnMut(Item) -> ControlFlow<()>,
) -> Result<Summary, ReadError> {
    read_object(r, &mut on, true)
}

/// Reads a JSON file holding a Bundle (as [`read_bundle`]) or a single resource of any other
/// type (one [`Item::Resource`] with `index: None`; its members are put back together, so
/// whitespace between them is not kept).
pub fn read_json<R: Read>(
    r: R,
    mut on: impl FnMut(Item) -> ControlFlow<()>,
) -> Result<Summary, ReadError> {
    read_object(r, &mut on, false)
}

/// Reads NDJSON: one resource per line. Blank lines are ignored; a line that is not a usable
/// resource is an [`Item::Invalid`] with path `$` (or `$.resourceType`, `$.id`) and reading
/// goes on. Only I/O errors stop it.
pub fn read_ndjson<R: BufRead>(
    mut r: R,
    mut on: impl FnMut(Item) -> ControlFlow<()>,
) -> Result<Summary, ReadError> {
    let mut summary = Summary::default();
    let mut buf = Vec::new();
    let mut line: u64 = 0;
    let mut offset: u64 = 0;
    loop {
        buf.clear();
        let (n, too_long) = match read_line_capped(&mut r, &mut buf) {
            Ok(x) => x,
            Err(e) => {
                return Err(ReadError {
                    kind: ReadErrorKind::Io(e),
                    line: line + 1,
                    column: 0,
                    offset,
                    delivered: summary.resources + summary.invalid,
                });
            }
        };
        if n == 0 {
            break;
        }
        line += 1;
        offset += n as u64;
        let item = if too_long {
            Some(Item::Invalid {
                line,
                path: "$".into(),
                reason: "line longer than the limit".into(),
            })
        } else {
            let content = match buf.strip_prefix(BOM) {
                Some(rest) if line == 1 => rest,
                _ => &buf[..],
            };
            (!content.iter().all(u8::is_ascii_whitespace)).then(|| ndjson_item(line, content))
        };
        let Some(item) = item else { continue };
        match &item {
            Item::Resource(e) => {
                summary.resources += 1;
                *summary.by_type.entry(e.resource_type.clone()).or_default() += 1;
            }
            Item::Invalid { .. } => summary.invalid += 1,
            Item::Bundle { .. } => {}
        }
        if on(item).is_break() {
            summary.stopped = true;
            break;
        }
    }
    summary.bytes = offset;
    summary.lines = line;
    Ok(summary)
}

fn ndjson_item(line: u64, buf: &[u8]) -> Item {
    let invalid = |path: &str, reason: &str| Item::Invalid {
        line,
        path: path.to_string(),
        reason: reason.to_string(),
    };
    let raw: Box<RawValue> = match serde_json::from_slice(buf) {
        Ok(r) => r,
        Err(e) if e.is_eof() => return invalid("$", "truncated JSON"),
        Err(_) => return invalid("$", "malformed JSON"),
    };
    match head(&raw) {
        Ok((resource_type, id)) => Item::Resource(Entry {
            index: None,
            line,
            full_url: None,
            request: None,
            resource_type,
            id,
            resource: raw,
        }),
        Err((sub, reason)) => invalid(&format!("${sub}"), reason),
    }
}

/// One line into `buf` (without the newline), keeping at most [`MAX_LINE_BYTES`]; returns the
/// bytes consumed and whether the line was longer.
fn read_line_capped<R: BufRead>(r: &mut R, buf: &mut Vec<u8>) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut too_long = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok((consumed, too_long));
        }
        let (take, done) = match avail.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        let content = if done { &avail[..take - 1] } else { avail };
        if !too_long {
            if buf.len() + content.len() > MAX_LINE_BYTES {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(content);
            }
        }
        r.consume(take);
        consumed += take;
        if done {
            return Ok((consumed, too_long));
        }
    }
}

/// Reads a file: NDJSON for `.ndjson` and `.jsonl`, otherwise a Bundle or a single resource
/// ([`read_json`]).
pub fn read_path(
    path: impl AsRef<Path>,
    on: impl FnMut(Item) -> ControlFlow<()>,
) -> Result<Summary, ReadError> {
    let path = path.as_ref();
    let file = std::fs::File::open(path).map_err(|e| ReadError {
        kind: ReadErrorKind::Io(e),
        line: 0,
        column: 0,
        offset: 0,
        delivered: 0,
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("ndjson" | "jsonl") => read_ndjson(BufReader::with_capacity(64 * 1024, file), on),
        _ if file.metadata().is_ok_and(|m| m.len() <= IN_MEMORY_LIMIT) => {
            let mut bytes = Vec::new();
            let mut file = file;
            Read::read_to_end(&mut file, &mut bytes).map_err(|e| ReadError {
                kind: ReadErrorKind::Io(e),
                line: 0,
                column: 0,
                offset: 0,
                delivered: 0,
            })?;
            let mut on = on;
            read_object_slice(&bytes, &mut on, false)
        }
        _ => read_json(file, on),
    }
}
