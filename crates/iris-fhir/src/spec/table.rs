//! The compact table (`spec/r4.json`, written by `cargo xtask fhir-spec`) turned into nodes
//! the validator walks: one [`Node`] per complex type, resource and BackboneElement, each with
//! its elements and an index from every JSON property name it accepts (`valueQuantity`,
//! `_status`) to the element and type it stands for. Built once, on first use.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use serde_json::Value;

use super::primitive::Primitive;

/// FNV-1a: property names are short, and SipHash's setup dominates hashing them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

pub(crate) type NodeId = u32;

/// The most elements one node may have: the validator keeps a bitset of this size on the
/// stack (the largest R4 node has well under half of it; the table test checks).
pub(crate) const MAX_ELEMENTS: usize = 256;
/// The most choice elements one node may have (same reason).
pub(crate) const MAX_CHOICES: usize = 16;

/// What an element holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    /// A primitive; `companion`: whether `_name` may carry its id and extensions (not for the
    /// FHIRPath System.String elements `Element.id`, `Extension.url`, `Resource.id`, nor
    /// `xhtml`).
    Primitive { p: Primitive, companion: bool },
    /// A complex type, BackboneElement or content reference: the node of its children.
    Complex(NodeId),
    /// Any resource (`contained`, `Bundle.entry.resource`, `Parameters.parameter.resource`).
    Resource,
}

#[derive(Debug)]
pub(crate) struct Elem {
    /// The name as a path shows it: `status`, or `value[x]` for a choice element.
    pub name: Box<str>,
    pub min: u32,
    /// `u32::MAX` for `*`.
    pub max: u32,
    pub types: Vec<Ty>,
    /// For each type: the JSON property name and its `_` companion (`valueString`,
    /// `_valueString`).
    pub keys: Vec<(Box<str>, Box<str>)>,
    pub choice: bool,
    /// Index of the required value set, when it could be expanded.
    pub binding: Option<u32>,
    /// `DomainResource.contained`: resources checked with dom-1, -2, -4.
    pub contained: bool,
}

/// A JSON property name of a node: which element and type it is, and whether it is the `_`
/// companion of a primitive.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prop {
    pub elem: u16,
    pub ty: u16,
    pub underscore: bool,
}

/// Invariants attached to a node, as bit flags.
pub(crate) mod inv {
    pub const ELE_1: u16 = 1;
    pub const EXT_1: u16 = 1 << 1;
    pub const REF_1: u16 = 1 << 2;
    pub const OBS_6: u16 = 1 << 3;
    pub const OBS_7: u16 = 1 << 4;
    pub const OBS_3: u16 = 1 << 5;
    pub const BDL_7: u16 = 1 << 6;
}

#[derive(Debug)]
pub(crate) struct Node {
    /// `Observation`, `Observation.component`, `Quantity`.
    pub name: Box<str>,
    pub elements: Vec<Elem>,
    pub index: FastMap<Box<str>, Prop>,
    /// Elements with min > 0.
    pub required: Vec<u16>,
    pub invariants: u16,
    /// Concrete resource types' root nodes.
    pub resource: bool,
}

#[derive(Debug)]
pub(crate) struct ValueSet {
    /// Systems and their codes, sorted.
    pub systems: Vec<(Box<str>, Vec<Box<str>>)>,
}

impl ValueSet {
    pub fn has_code(&self, code: &str) -> bool {
        self.systems.iter().any(|(_, c)| find(c, code))
    }
    pub fn has(&self, system: &str, code: &str) -> bool {
        self.systems
            .iter()
            .any(|(s, c)| &**s == system && find(c, code))
    }
}

fn find(codes: &[Box<str>], code: &str) -> bool {
    codes.binary_search_by(|c| (**c).cmp(code)).is_ok()
}

#[derive(Debug)]
pub(crate) struct Spec {
    pub package: String,
    pub version: String,
    pub integrity: String,
    pub nodes: Vec<Node>,
    /// Concrete resource types → root node.
    pub resources: FastMap<Box<str>, NodeId>,
    /// By index in the table; `None` where the table records it could not be expanded.
    pub value_sets: Vec<Option<ValueSet>>,
    pub unexpanded: Vec<(String, String)>,
    pub regexes: BTreeMap<Primitive, String>,
    pub coding: NodeId,
    pub codeable_concept: NodeId,
    /// `Element`, the node of `_name` companions.
    pub element: NodeId,
}

/// One element of a type as the table lists it.
struct RawElem {
    rel: String,
    min: u32,
    max: u32,
    types: Vec<String>,
    binding: Option<u32>,
}

struct RawType {
    kind: String,
    base: Option<String>,
    elements: Vec<RawElem>,
}

fn parse_elem(v: &Value) -> Result<RawElem, String> {
    let a = v.as_array().ok_or("element is not an array")?;
    let rel = a.first().and_then(Value::as_str).ok_or("element path")?;
    let num = |v: Option<&Value>| {
        v.and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    let min = num(a.get(1)).ok_or("element min")?;
    let max = match a.get(2) {
        Some(Value::String(s)) if s == "*" => u32::MAX,
        other => num(other).ok_or("element max")?,
    };
    let types = a
        .get(3)
        .and_then(Value::as_array)
        .ok_or("element types")?
        .iter()
        .map(|t| t.as_str().map(str::to_string).ok_or("type code"))
        .collect::<Result<_, _>>()?;
    Ok(RawElem {
        rel: rel.to_string(),
        min,
        max,
        types,
        binding: num(a.get(4)),
    })
}

/// `valueQuantity` from `value[x]` and `Quantity`.
fn choice_key(base: &str, code: &str) -> String {
    let mut k = String::with_capacity(base.len() + code.len());
    k.push_str(base);
    let mut cs = code.chars();
    if let Some(f) = cs.next() {
        k.extend(f.to_uppercase());
        k.push_str(cs.as_str());
    }
    k
}

struct Builder<'a> {
    raw: &'a BTreeMap<String, RawType>,
    nodes: Vec<Node>,
    by_name: HashMap<String, NodeId>,
    /// Type roots, allocated before any element refers to them.
    roots: HashMap<&'a str, NodeId>,
    /// Content references to resolve once every node exists: (node, element, type, target).
    pending: Vec<(NodeId, usize, usize, String)>,
    value_sets_ok: Vec<bool>,
}

impl<'a> Builder<'a> {
    /// A type's elements with everything it inherits, base first; an element of the type
    /// replaces its base's of the same path (SimpleQuantity's `comparator`).
    fn full(&self, name: &str) -> Result<Vec<&'a RawElem>, String> {
        let t = self
            .raw
            .get(name)
            .ok_or_else(|| format!("unknown type {name}"))?;
        let mut out = match &t.base {
            Some(b) => self.full(b)?,
            None => Vec::new(),
        };
        for e in &t.elements {
            match out.iter_mut().find(|o| o.rel == e.rel) {
                Some(o) => *o = e,
                None => out.push(e),
            }
        }
        Ok(out)
    }

    fn alloc(&mut self, name: &str) -> NodeId {
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node {
            name: name.into(),
            elements: Vec::new(),
            index: FastMap::default(),
            required: Vec::new(),
            invariants: 0,
            resource: false,
        });
        self.by_name.insert(name.to_string(), id);
        id
    }

    /// Fills node `id` (named `path`) with the direct children of `prefix` in `elems`
    /// (`prefix` empty for a type's root), preceded by `inherited`.
    fn fill(
        &mut self,
        id: NodeId,
        path: &str,
        prefix: &str,
        elems: &[&'a RawElem],
        inherited: &[&'a RawElem],
    ) -> Result<(), String> {
        let children: Vec<&RawElem> = inherited
            .iter()
            .copied()
            .chain(elems.iter().copied().filter(|e| {
                e.rel
                    .strip_prefix(prefix)
                    .is_some_and(|rest| !rest.is_empty() && !rest.contains('.'))
            }))
            .collect();
        if children.len() > MAX_ELEMENTS {
            return Err(format!("{path} has more than {MAX_ELEMENTS} elements"));
        }
        for raw in children {
            let local = raw.rel.rsplit('.').next().unwrap_or(&raw.rel);
            let choice = local.ends_with("[x]");
            let base = local.trim_end_matches("[x]");
            let mut types = Vec::new();
            let mut keys = Vec::new();
            for code in &raw.types {
                let (ty, suffix) = if let Some(target) = code.strip_prefix('#') {
                    let e = self.nodes[id as usize].elements.len();
                    self.pending.push((id, e, types.len(), target.to_string()));
                    (Ty::Complex(NodeId::MAX), code.as_str())
                } else if let Some(p) = code.strip_prefix('~') {
                    let p = Primitive::from_name(p).ok_or_else(|| format!("primitive {p}"))?;
                    (
                        Ty::Primitive {
                            p,
                            companion: false,
                        },
                        code.as_str(),
                    )
                } else if let Some(p) = Primitive::from_name(code) {
                    let companion = p != Primitive::Xhtml;
                    (Ty::Primitive { p, companion }, code.as_str())
                } else if code == "Resource" {
                    (Ty::Resource, code.as_str())
                } else if code == "BackboneElement" || code == "Element" {
                    let child_path = format!("{path}.{local}");
                    let child = self.alloc(&child_path);
                    let inherit = self.full(code)?;
                    let child_prefix = format!("{}{local}.", prefix);
                    self.fill(child, &child_path, &child_prefix, elems, &inherit)?;
                    (Ty::Complex(child), code.as_str())
                } else {
                    let root = *self
                        .roots
                        .get(code.as_str())
                        .ok_or_else(|| format!("{path}.{local}: unknown type {code}"))?;
                    // A profile keeps its base type's JSON name: doseQuantity, not
                    // doseSimpleQuantity.
                    let suffix = match self.raw.get(code.as_str()) {
                        Some(t) if t.kind == "constraint" => t.base.as_deref().unwrap_or(code),
                        _ => code.as_str(),
                    };
                    (Ty::Complex(root), suffix)
                };
                let key = if choice {
                    choice_key(base, suffix)
                } else {
                    base.to_string()
                };
                keys.push((
                    key.clone().into_boxed_str(),
                    format!("_{key}").into_boxed_str(),
                ));
                types.push(ty);
            }
            let binding = raw.binding.filter(|b| {
                self.value_sets_ok
                    .get(*b as usize)
                    .copied()
                    .unwrap_or(false)
            });
            let node = &mut self.nodes[id as usize];
            let e = node.elements.len();
            for (t, (key, underscore)) in keys.iter().enumerate() {
                let prop = Prop {
                    elem: e as u16,
                    ty: t as u16,
                    underscore: false,
                };
                if node.index.insert(key.clone(), prop).is_some() {
                    return Err(format!("{path}: property {key} twice"));
                }
                if let Ty::Primitive {
                    companion: true, ..
                } = types[t]
                {
                    node.index.insert(
                        underscore.clone(),
                        Prop {
                            underscore: true,
                            ..prop
                        },
                    );
                }
            }
            if raw.min > 0 {
                node.required.push(e as u16);
            }
            node.elements.push(Elem {
                name: local.into(),
                min: raw.min,
                max: raw.max,
                types,
                keys,
                choice,
                binding,
                contained: raw.rel == "contained" && path_is_resource(self.raw, path),
            });
        }
        let node = &self.nodes[id as usize];
        if node.elements.iter().filter(|e| e.choice).count() > MAX_CHOICES {
            return Err(format!(
                "{path} has more than {MAX_CHOICES} choice elements"
            ));
        }
        Ok(())
    }
}

fn path_is_resource(raw: &BTreeMap<String, RawType>, path: &str) -> bool {
    raw.get(path)
        .is_some_and(|t| t.kind == "resource" || t.kind == "abstract-resource")
}

/// Parses the table and builds the nodes.
pub(crate) fn load(text: &str) -> Result<Spec, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("table: {e}"))?;
    let field = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("table without {k}"))
    };
    let mut regexes = BTreeMap::new();
    for (name, p) in v["primitives"].as_object().ok_or("primitives")? {
        let prim = Primitive::from_name(name).ok_or_else(|| format!("primitive {name}"))?;
        if let Some(r) = p.get("regex").and_then(Value::as_str) {
            regexes.insert(prim, r.to_string());
        }
    }
    let mut raw = BTreeMap::new();
    for (name, t) in v["types"].as_object().ok_or("types")? {
        let elements = t["elements"]
            .as_array()
            .ok_or("elements")?
            .iter()
            .map(parse_elem)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("{name}: {e}"))?;
        raw.insert(
            name.clone(),
            RawType {
                kind: t["kind"].as_str().ok_or("kind")?.to_string(),
                base: t.get("base").and_then(Value::as_str).map(str::to_string),
                elements,
            },
        );
    }
    let mut value_sets = Vec::new();
    let mut unexpanded = Vec::new();
    for vs in v["valueSets"].as_array().ok_or("valueSets")? {
        let url = vs["url"].as_str().ok_or("value set url")?;
        if let Some(why) = vs.get("unexpanded").and_then(Value::as_str) {
            unexpanded.push((url.to_string(), why.to_string()));
            value_sets.push(None);
            continue;
        }
        let mut systems = Vec::new();
        for g in vs["codes"].as_array().ok_or("codes")? {
            let system = g[0].as_str().ok_or("system")?;
            let mut codes: Vec<Box<str>> = g[1]
                .as_array()
                .ok_or("codes")?
                .iter()
                .filter_map(|c| c.as_str().map(Into::into))
                .collect();
            codes.sort();
            systems.push((system.into(), codes));
        }
        value_sets.push(Some(ValueSet { systems }));
    }

    let mut b = Builder {
        raw: &raw,
        nodes: Vec::new(),
        by_name: HashMap::new(),
        roots: HashMap::new(),
        pending: Vec::new(),
        value_sets_ok: value_sets.iter().map(Option::is_some).collect(),
    };
    for name in raw.keys() {
        let id = b.alloc(name);
        b.roots.insert(name.as_str(), id);
    }
    for (name, t) in &raw {
        let id = b.roots[name.as_str()];
        let elems = b.full(name)?;
        b.fill(id, name, "", &elems, &[])?;
        b.nodes[id as usize].resource = t.kind == "resource";
    }
    for (node, e, t, target) in std::mem::take(&mut b.pending) {
        let target_id = *b
            .by_name
            .get(&target)
            .ok_or_else(|| format!("content reference to unknown {target}"))?;
        b.nodes[node as usize].elements[e].types[t] = Ty::Complex(target_id);
    }
    let mut resources = FastMap::default();
    for (name, t) in &raw {
        if t.kind == "resource" {
            resources.insert(name.as_str().into(), b.roots[name.as_str()]);
        }
    }
    let root = |n: &str| b.roots.get(n).copied().ok_or(format!("no {n} type"));
    let (coding, codeable_concept, element) =
        (root("Coding")?, root("CodeableConcept")?, root("Element")?);
    let mut nodes = b.nodes;
    for n in &mut nodes {
        let name = &*n.name;
        let mut f = if n.resource || name == "Resource" || name == "DomainResource" {
            0
        } else {
            inv::ELE_1
        };
        f |= match name {
            "Extension" => inv::EXT_1,
            "Reference" => inv::REF_1,
            "Observation" => inv::OBS_6 | inv::OBS_7,
            "Observation.referenceRange" => inv::OBS_3,
            "Bundle" => inv::BDL_7,
            _ => 0,
        };
        n.invariants = f;
    }
    Ok(Spec {
        package: field("package")?,
        version: field("version")?,
        integrity: field("integrity")?,
        nodes,
        resources,
        value_sets,
        unexpanded,
        regexes,
        coding,
        codeable_concept,
        element,
    })
}
