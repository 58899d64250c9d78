//! Reader for CTranslate2 model files (`model.bin`), the format faster-whisper ships.
//!
//! Layout (little-endian, binary version 6):
//!
//! ```text
//! u32 version (6)
//! u16 len, bytes            spec name, e.g. "WhisperSpec" (NUL-terminated)
//! u32 revision              spec revision
//! u32 count                 number of variables, then per variable:
//!     u16 len, bytes        name, e.g. "encoder/conv1/weight" (NUL-terminated)
//!     u8 rank, u32 dims[rank]
//!     u8 dtype              0 f32, 1 i8, 2 i16, 3 i32, 4 f16, 5 bf16
//!     u32 byte count, raw data
//! u32 alias count, then (alias, target) string pairs
//! ```
//!
//! Rank-0 variables are metadata (`decoder/num_heads`, `decoder/activation`), read as
//! scalars. Aliases (`decoder/projection/weight -> decoder/embeddings/weight`, the tied output
//! projection) are resolved by [`Ct2Model::get`].
//!
//! Every read is bounds-checked: a truncated or corrupt file gives
//! [`InferenceError::Corrupt`] with what was wrong and where, never a panic, and counts and
//! sizes are checked against sane limits before anything is allocated.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use candle_core::{Device, Tensor};

use crate::error::{InferenceError, Result};

/// The binary format version this reader understands.
pub const SUPPORTED_VERSION: u32 = 6;
/// At most this many variables (Whisper large has a few thousand).
pub const MAX_VARIABLES: u32 = 1_000_000;
/// At most this many aliases.
pub const MAX_ALIASES: u32 = 1_000_000;
/// Tensors have at most this rank.
pub const MAX_RANK: u8 = 8;
/// One variable holds at most 4 GiB (the byte count is a u32 in the format anyway).
pub const MAX_VARIABLE_BYTES: u64 = u32::MAX as u64;

/// Element type of a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
    BF16,
}

impl DType {
    fn from_code(code: u8) -> Option<DType> {
        Some(match code {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            5 => DType::BF16,
            _ => return None,
        })
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 | DType::BF16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DType::F32 => "float32",
            DType::I8 => "int8",
            DType::I16 => "int16",
            DType::I32 => "int32",
            DType::F16 => "float16",
            DType::BF16 => "bfloat16",
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    dtype: DType,
    shape: Vec<usize>,
    data: Range<usize>,
}

/// A parsed model file: its variables (data kept in one buffer) and aliases.
#[derive(Debug)]
pub struct Ct2Model {
    pub version: u32,
    pub spec: String,
    pub revision: u32,
    bytes: Vec<u8>,
    names: Vec<String>,
    entries: HashMap<String, Entry>,
    aliases: HashMap<String, String>,
}

/// One variable, borrowed from the model's buffer.
#[derive(Debug, Clone, Copy)]
pub struct TensorView<'a> {
    pub dtype: DType,
    pub shape: &'a [usize],
    pub bytes: &'a [u8],
}

impl TensorView<'_> {
    pub fn elem_count(&self) -> usize {
        self.shape.iter().product()
    }

    /// The values converted to f32 (integers as their value, f16/bf16 widened exactly).
    pub fn to_f32_vec(&self) -> Vec<f32> {
        let b = self.bytes;
        match self.dtype {
            DType::F32 => b
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            DType::F16 => b
                .chunks_exact(2)
                .map(|c| f16_to_f32(u16::from_le_bytes([c[0], c[1]])))
                .collect(),
            DType::BF16 => b
                .chunks_exact(2)
                .map(|c| f32::from_bits((u16::from_le_bytes([c[0], c[1]]) as u32) << 16))
                .collect(),
            DType::I8 => b.iter().map(|&v| v as i8 as f32).collect(),
            DType::I16 => b
                .chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]) as f32)
                .collect(),
            DType::I32 => b
                .chunks_exact(4)
                .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f32)
                .collect(),
        }
    }

    /// The values as integers (for integer dtypes; floats are truncated toward zero).
    pub fn to_i64_vec(&self) -> Vec<i64> {
        let b = self.bytes;
        match self.dtype {
            DType::I8 => b.iter().map(|&v| v as i8 as i64).collect(),
            DType::I16 => b
                .chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]) as i64)
                .collect(),
            DType::I32 => b
                .chunks_exact(4)
                .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as i64)
                .collect(),
            _ => self.to_f32_vec().into_iter().map(|v| v as i64).collect(),
        }
    }

    /// An f32 candle tensor of this variable's shape on `device`.
    pub fn to_tensor(&self, device: &Device) -> Result<Tensor> {
        let v = self.to_f32_vec();
        Ok(Tensor::from_vec(v, self.shape.to_vec(), device)?)
    }
}

/// IEEE 754 half → single, exact (subnormals, infinities and NaN included).
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h >> 15) as u32) << 31;
    let exp = ((h >> 10) & 0x1f) as u32;
    let mant = (h & 0x3ff) as u32;
    let bits = match (exp, mant) {
        (0, 0) => sign,
        (0, m) => {
            // Subnormal: normalize.
            let mut e: i32 = -14;
            let mut m = m;
            while m & 0x400 == 0 {
                m <<= 1;
                e -= 1;
            }
            let m = m & 0x3ff;
            sign | (((e + 127) as u32) << 23) | (m << 13)
        }
        (0x1f, 0) => sign | 0x7f80_0000,
        (0x1f, m) => sign | 0x7f80_0000 | (m << 13) | 0x0040_0000,
        (e, m) => sign | ((e + 127 - 15) << 23) | (m << 13),
    };
    f32::from_bits(bits)
}

/// Bounds-checked little-endian cursor; every failure names the field and offset.
struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
    model: &'a str,
}

impl<'a> Cursor<'a> {
    fn err(&self, what: &str) -> InferenceError {
        InferenceError::corrupt(
            self.model,
            format!(
                "model.bin is truncated or corrupt: {what} at byte {} (file has {} bytes)",
                self.pos,
                self.b.len()
            ),
        )
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| self.err(&format!("{what} needs {n} bytes past the end")))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16> {
        let s = self.take(2, what)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }

    fn u32(&mut self, what: &str) -> Result<u32> {
        let s = self.take(4, what)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }

    /// A u16-length string, with its trailing NUL removed.
    fn string(&mut self, what: &str) -> Result<String> {
        let n = self.u16(what)? as usize;
        let start = self.pos;
        let s = self.take(n, what)?;
        let s = s.strip_suffix(&[0]).unwrap_or(s);
        if s.contains(&0) {
            self.pos = start;
            return Err(self.err(&format!("{what} contains a NUL byte")));
        }
        String::from_utf8(s.to_vec()).map_err(|_| {
            self.pos = start;
            self.err(&format!("{what} is not UTF-8"))
        })
    }
}

impl Ct2Model {
    /// Reads a model file from disk. `model` names the model in error messages.
    pub fn read_file(path: &Path, model: &str) -> Result<Ct2Model> {
        let bytes = std::fs::read(path).map_err(|e| InferenceError::NotInstalled {
            model: model.to_string(),
            detail: format!(
                "{} cannot be read: {e} (run `cargo xtask fetch-models`)",
                path.display()
            ),
        })?;
        Ct2Model::parse(bytes, model)
    }

    /// Parses a model file held in memory (takes ownership: variables point into it).
    pub fn parse(bytes: Vec<u8>, model: &str) -> Result<Ct2Model> {
        let mut c = Cursor {
            b: &bytes,
            pos: 0,
            model,
        };
        let version = c.u32("version")?;
        if version != SUPPORTED_VERSION {
            return Err(InferenceError::corrupt(
                model,
                format!(
                    "model.bin has CTranslate2 binary version {version}, this reader supports \
                     {SUPPORTED_VERSION} (not a CTranslate2 file, or a different version)"
                ),
            ));
        }
        let spec = c.string("spec name")?;
        let revision = c.u32("spec revision")?;
        let count = c.u32("variable count")?;
        if count > MAX_VARIABLES {
            return Err(c.err(&format!(
                "variable count {count} exceeds the limit {MAX_VARIABLES}"
            )));
        }
        // Each variable takes at least 2 + 1 + 1 + 4 bytes: a count larger than the file
        // allows is corrupt (and must not size an allocation).
        let remaining = bytes.len() - c.pos;
        if count as usize > remaining / 8 {
            return Err(c.err(&format!(
                "variable count {count} cannot fit in the remaining {remaining} bytes"
            )));
        }
        let mut names = Vec::with_capacity(count as usize);
        let mut entries = HashMap::with_capacity(count as usize);
        for i in 0..count {
            let name = c.string(&format!("name of variable {i}"))?;
            let rank = c.u8("rank")?;
            if rank > MAX_RANK {
                return Err(c.err(&format!(
                    "variable `{name}` has rank {rank} (limit {MAX_RANK})"
                )));
            }
            let mut shape = Vec::with_capacity(rank as usize);
            for _ in 0..rank {
                shape.push(c.u32("dimension")? as usize);
            }
            let code = c.u8("dtype")?;
            let dtype = DType::from_code(code)
                .ok_or_else(|| c.err(&format!("variable `{name}` has unknown dtype {code}")))?;
            let nbytes = c.u32("byte count")? as u64;
            let elems = shape
                .iter()
                .try_fold(1u64, |acc, &d| acc.checked_mul(d as u64))
                .ok_or_else(|| c.err(&format!("variable `{name}` has an absurd shape")))?;
            let expected = elems.checked_mul(dtype.size() as u64);
            if expected != Some(nbytes) || nbytes > MAX_VARIABLE_BYTES {
                return Err(c.err(&format!(
                    "variable `{name}` of shape {shape:?} ({}) declares {nbytes} bytes",
                    dtype.name()
                )));
            }
            let start = c.pos;
            c.take(nbytes as usize, &format!("data of variable `{name}`"))?;
            if entries.contains_key(&name) {
                return Err(c.err(&format!("variable `{name}` appears twice")));
            }
            names.push(name.clone());
            entries.insert(
                name,
                Entry {
                    dtype,
                    shape,
                    data: start..c.pos,
                },
            );
        }
        let alias_count = c.u32("alias count")?;
        if alias_count > MAX_ALIASES || alias_count as usize > (bytes.len() - c.pos) / 4 {
            return Err(c.err(&format!("alias count {alias_count} is implausible")));
        }
        let mut aliases = HashMap::with_capacity(alias_count as usize);
        for _ in 0..alias_count {
            let alias = c.string("alias name")?;
            let target = c.string("alias target")?;
            aliases.insert(alias, target);
        }
        if c.pos != bytes.len() {
            return Err(c.err(&format!(
                "{} unexpected bytes after the aliases",
                bytes.len() - c.pos
            )));
        }
        let m = Ct2Model {
            version,
            spec,
            revision,
            bytes: Vec::new(),
            names,
            entries,
            aliases,
        };
        // Every alias must end at a variable (no dangling targets, no cycles).
        for a in m.aliases.keys() {
            m.resolve(a).ok_or_else(|| {
                InferenceError::corrupt(
                    model,
                    format!("model.bin alias `{a}` does not lead to a variable"),
                )
            })?;
        }
        Ok(Ct2Model { bytes, ..m })
    }

    /// Variable names in file order (aliases not included).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Aliases and what they point to.
    pub fn aliases(&self) -> &HashMap<String, String> {
        &self.aliases
    }

    /// The variable name `name` resolves to (following aliases, at most 16 hops).
    pub fn resolve<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        let mut cur = name;
        for _ in 0..=16 {
            if self.entries.contains_key(cur) {
                return Some(cur);
            }
            cur = self.aliases.get(cur)?;
        }
        None
    }

    /// The variable `name` (or what the alias `name` points to).
    pub fn get(&self, name: &str) -> Option<TensorView<'_>> {
        let e = self.entries.get(self.resolve(name)?)?;
        Some(TensorView {
            dtype: e.dtype,
            shape: &e.shape,
            bytes: &self.bytes[e.data.clone()],
        })
    }

    /// Like [`get`](Self::get), but a missing variable is a `Corrupt` error naming it.
    pub fn require(&self, name: &str, model: &str) -> Result<TensorView<'_>> {
        self.get(name).ok_or_else(|| {
            InferenceError::corrupt(model, format!("model.bin has no variable `{name}`"))
        })
    }

    /// A rank-0 (metadata) entry as an integer; `None` if absent or not a scalar.
    pub fn scalar_i64(&self, name: &str) -> Option<i64> {
        let v = self.get(name)?;
        if !v.shape.is_empty() {
            return None;
        }
        v.to_i64_vec().first().copied()
    }

    /// A rank-0 (metadata) entry as a float; `None` if absent or not a scalar.
    pub fn scalar_f32(&self, name: &str) -> Option<f32> {
        let v = self.get(name)?;
        if !v.shape.is_empty() {
            return None;
        }
        v.to_f32_vec().first().copied()
    }
}

/// Writes a model file in the same format (used by tests and tools; `data` is raw
/// little-endian bytes of the given dtype).
pub fn write(
    spec: &str,
    revision: u32,
    variables: &[(&str, &[usize], DType, &[u8])],
    aliases: &[(&str, &str)],
) -> Vec<u8> {
    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }
    let mut out = Vec::new();
    out.extend_from_slice(&SUPPORTED_VERSION.to_le_bytes());
    string(&mut out, spec);
    out.extend_from_slice(&revision.to_le_bytes());
    out.extend_from_slice(&(variables.len() as u32).to_le_bytes());
    for (name, shape, dtype, data) in variables {
        string(&mut out, name);
        out.push(shape.len() as u8);
        for d in *shape {
            out.extend_from_slice(&(*d as u32).to_le_bytes());
        }
        let code: u8 = match dtype {
            DType::F32 => 0,
            DType::I8 => 1,
            DType::I16 => 2,
            DType::I32 => 3,
            DType::F16 => 4,
            DType::BF16 => 5,
        };
        out.push(code);
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
    }
    out.extend_from_slice(&(aliases.len() as u32).to_le_bytes());
    for (a, t) in aliases {
        string(&mut out, a);
        string(&mut out, t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32s(v: &[f32]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    fn sample() -> Vec<u8> {
        let w = f32s(&[1.0, -2.0, 3.5, 0.25, 5.0, 6.0]);
        // f16: 1.0 = 0x3c00, -2.0 = 0xc000, 0.5 = 0x3800
        let h: Vec<u8> = [0x3c00u16, 0xc000, 0x3800]
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        let heads = 6i16.to_le_bytes();
        let act = [3u8];
        let i32s: Vec<u8> = [7i32, -8].iter().flat_map(|x| x.to_le_bytes()).collect();
        write(
            "TestSpec",
            3,
            &[
                ("enc/w", &[2, 3], DType::F32, &w),
                ("enc/h", &[3], DType::F16, &h),
                ("enc/num_heads", &[], DType::I16, &heads),
                ("enc/activation", &[], DType::I8, &act),
                ("enc/ids", &[2], DType::I32, &i32s),
            ],
            &[("dec/proj", "enc/w"), ("dec/proj2", "dec/proj")],
        )
    }

    #[test]
    fn round_trips_names_shapes_values_and_aliases() {
        let m = Ct2Model::parse(sample(), "t").unwrap();
        assert_eq!(m.version, 6);
        assert_eq!(m.spec, "TestSpec");
        assert_eq!(m.revision, 3);
        assert_eq!(m.names().len(), 5);
        let w = m.get("enc/w").unwrap();
        assert_eq!(w.shape, &[2, 3]);
        assert_eq!(w.to_f32_vec(), vec![1.0, -2.0, 3.5, 0.25, 5.0, 6.0]);
        assert_eq!(m.get("enc/h").unwrap().to_f32_vec(), vec![1.0, -2.0, 0.5]);
        assert_eq!(m.scalar_i64("enc/num_heads"), Some(6));
        assert_eq!(m.scalar_i64("enc/activation"), Some(3));
        assert_eq!(m.get("enc/ids").unwrap().to_i64_vec(), vec![7, -8]);
        assert_eq!(m.get("dec/proj2").unwrap().to_f32_vec()[2], 3.5);
        assert!(m.get("nope").is_none());
        let t = m.get("dec/proj").unwrap().to_tensor(&Device::Cpu).unwrap();
        assert_eq!(t.dims(), &[2, 3]);
    }

    #[test]
    fn every_truncation_is_a_corrupt_error() {
        let full = sample();
        for n in 0..full.len() {
            let e = Ct2Model::parse(full[..n].to_vec(), "t").unwrap_err();
            assert_eq!(e.code(), "CORRUPT", "{n}: {e}");
        }
    }

    #[test]
    fn f16_conversion_is_exact() {
        assert_eq!(f16_to_f32(0x0000), 0.0);
        assert_eq!(f16_to_f32(0x8000).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x03ff), 1023.0 * 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x7c00), f32::INFINITY);
        assert!(f16_to_f32(0x7e00).is_nan());
        assert_eq!(f16_to_f32(0x3555), 0.333_251_95);
    }
}
