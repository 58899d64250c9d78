//! Reading a GGUF file: metadata helpers, a size check of every tensor against the file
//! (a truncated file is refused before anything is loaded), and tensor loading with the
//! re-quantization of slow formats (see [`requantize`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use candle_core::quantized::{GgmlDType, QStorage, QTensor, gguf_file};
use candle_core::{Device, Tensor};

use super::layers::Projections;
use crate::error::{InferenceError, Result};

/// An open GGUF file whose tensors all lie inside it.
pub(crate) struct GgufFile {
    pub content: gguf_file::Content,
    reader: BufReader<File>,
    pub model: String,
    device: Device,
    requantize: bool,
    /// Tensors already re-quantized (see [`GgufFile::requantize_all`]).
    ready: HashMap<String, Arc<QTensor>>,
}

impl std::fmt::Debug for GgufFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GgufFile")
            .field("model", &self.model)
            .field("tensors", &self.content.tensor_infos.len())
            .finish()
    }
}

impl GgufFile {
    pub fn open(path: &Path, model: &str, device: &Device, requantize: bool) -> Result<Self> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "the GGUF file".into());
        let file = File::open(path).map_err(|e| InferenceError::NotInstalled {
            model: model.to_string(),
            detail: format!("{name} cannot be read: {e}"),
        })?;
        let file_len = file
            .metadata()
            .map_err(|e| InferenceError::NotInstalled {
                model: model.to_string(),
                detail: format!("{name} cannot be read: {e}"),
            })?
            .len();
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let content = gguf_file::Content::read(&mut reader).map_err(|e| {
            InferenceError::corrupt(
                model,
                format!("{name} is not a readable GGUF file (truncated or corrupt): {e}"),
            )
        })?;
        // Every tensor must end inside the file: a truncated download is refused here, with
        // its size, rather than failing half-way through loading.
        let mut needed = content.tensor_data_offset;
        for (tname, info) in &content.tensor_infos {
            let elems = info.shape.elem_count();
            let block = info.ggml_dtype.block_size();
            if elems % block != 0 {
                return Err(InferenceError::corrupt(
                    model,
                    format!(
                        "{name}: tensor {tname} has {elems} elements, not a multiple of its block size {block}"
                    ),
                ));
            }
            let bytes = (elems / block) as u64 * info.ggml_dtype.type_size() as u64;
            needed = needed.max(content.tensor_data_offset + info.offset + bytes);
        }
        if needed > file_len {
            return Err(InferenceError::corrupt(
                model,
                format!(
                    "{name} is truncated: its tensors need {needed} bytes, the file has {file_len}; refused"
                ),
            ));
        }
        Ok(Self {
            content,
            reader,
            model: model.to_string(),
            device: device.clone(),
            requantize,
            ready: HashMap::new(),
        })
    }

    /// Re-quantizes every tensor that needs it (see [`requantize`]) up front, on all cores:
    /// workers take turns reading from the file and convert on their own. Matrices that run
    /// on the same input (a block's q/k/v, gate/up; see [`GgufFile::projections`]) come out
    /// joined into one Q8_0 matrix when each of them is Q8_0 or re-quantized to it.
    pub fn requantize_all(&mut self) -> Result<()> {
        if !(self.requantize && self.device.is_cpu()) {
            return Ok(());
        }
        let infos = &self.content.tensor_infos;
        let dtype = |n: &str| infos.get(n).map(|i| i.ggml_dtype);
        let mut in_group = std::collections::HashSet::new();
        let mut items: Vec<(Vec<String>, u64)> = Vec::new();
        for layer in 0.. {
            if !infos
                .keys()
                .any(|n| n.starts_with(&format!("blk.{layer}.")))
            {
                break;
            }
            for parts in [
                &["attn_q", "attn_k", "attn_v"][..],
                &["ffn_gate", "ffn_up"][..],
            ] {
                let names: Vec<String> = parts
                    .iter()
                    .map(|p| format!("blk.{layer}.{p}.weight"))
                    .collect();
                let dts: Vec<Option<GgmlDType>> = names.iter().map(|n| dtype(n)).collect();
                let joinable = dts
                    .iter()
                    .all(|d| d.is_some_and(|d| d == GgmlDType::Q8_0 || needs_requantize(d)))
                    && dts.iter().any(|d| d.is_some_and(needs_requantize));
                if joinable {
                    in_group.extend(names.iter().cloned());
                    let off = names
                        .iter()
                        .filter_map(|n| infos.get(n))
                        .map(|i| i.offset)
                        .min();
                    items.push((names, off.unwrap_or(0)));
                }
            }
        }
        for (n, i) in infos {
            if needs_requantize(i.ggml_dtype) && !in_group.contains(n) {
                items.push((vec![n.clone()], i.offset));
            }
        }
        // In file order: the reads stay mostly sequential.
        items.sort_by_key(|(_, off)| *off);
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 8)
            .min(items.len().max(1));
        let queue = std::sync::Mutex::new((items.into_iter(), &mut self.reader));
        let content = &self.content;
        let model = self.model.as_str();
        let results = std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    s.spawn(|| -> Result<Vec<(String, Arc<QTensor>)>> {
                        let mut done = Vec::new();
                        loop {
                            let (names, raw) = {
                                let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                                let Some((names, _)) = q.0.next() else {
                                    break;
                                };
                                let raw: Vec<_> = names
                                    .iter()
                                    .map(|n| content.tensor(&mut *q.1, n, &Device::Cpu))
                                    .collect();
                                (names, raw)
                            };
                            let mut parts = Vec::with_capacity(raw.len());
                            for (n, r) in names.iter().zip(raw) {
                                parts.push(r.map_err(|e| {
                                    InferenceError::corrupt(
                                        model,
                                        format!("tensor {n} cannot be read: {e}"),
                                    )
                                })?);
                            }
                            let t = if parts.len() == 1 {
                                requantize(parts.remove(0))?
                            } else {
                                // Q8_0 → f32 → Q8_0 gives back the same blocks, so joining
                                // through f32 changes nothing for members already in Q8_0.
                                let f: Vec<Tensor> = parts
                                    .iter()
                                    .map(|p| p.dequantize(&Device::Cpu))
                                    .collect::<candle_core::Result<_>>()?;
                                drop(parts);
                                QTensor::quantize(&Tensor::cat(&f, 0)?, GgmlDType::Q8_0)?
                            };
                            done.push((names.join("+"), Arc::new(t)));
                        }
                        Ok(done)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(Err(InferenceError::WorkerGone)))
                .collect::<Vec<_>>()
        });
        for r in results {
            self.ready.extend(r?);
        }
        Ok(())
    }

    /// Matrices applied to the same input (q/k/v, gate/up), joined when possible: already
    /// joined by [`GgufFile::requantize_all`], or joined here when they share a format.
    pub fn projections(&mut self, names: &[&str]) -> Result<Projections> {
        let key = names.join("+");
        if let Some(w) = self.ready.remove(&key) {
            let mut rows = Vec::with_capacity(names.len());
            for n in names {
                let info = self
                    .content
                    .tensor_infos
                    .get(*n)
                    .ok_or_else(|| self.corrupt(format!("tensor {n} is missing")))?;
                rows.push(info.shape.dims().first().copied().unwrap_or(0));
            }
            return Ok(Projections::joined(w, rows)?);
        }
        let ws = names
            .iter()
            .map(|n| self.qtensor(n))
            .collect::<Result<Vec<_>>>()?;
        Ok(Projections::new(ws)?)
    }

    pub fn md(&self) -> &HashMap<String, gguf_file::Value> {
        &self.content.metadata
    }

    fn corrupt(&self, detail: impl Into<String>) -> InferenceError {
        InferenceError::corrupt(&self.model, detail)
    }

    pub fn str(&self, key: &str) -> Result<&str> {
        meta_str(self.md(), key).map_err(|e| self.corrupt(e))
    }

    pub fn usize(&self, key: &str) -> Result<usize> {
        meta_u64(self.md(), key)
            .map(|v| v as usize)
            .map_err(|e| self.corrupt(e))
    }

    pub fn usize_or(&self, key: &str, default: usize) -> Result<usize> {
        if self.md().contains_key(key) {
            self.usize(key)
        } else {
            Ok(default)
        }
    }

    pub fn f64(&self, key: &str) -> Result<f64> {
        meta_f64(self.md(), key).map_err(|e| self.corrupt(e))
    }

    pub fn f64_or(&self, key: &str, default: f64) -> Result<f64> {
        if self.md().contains_key(key) {
            self.f64(key)
        } else {
            Ok(default)
        }
    }

    pub fn has_tensor(&self, name: &str) -> bool {
        self.content.tensor_infos.contains_key(name)
    }

    /// A weight matrix, re-quantized when its format has no fast CPU kernel in candle.
    pub fn qtensor(&mut self, name: &str) -> Result<Arc<QTensor>> {
        if let Some(t) = self.ready.remove(name) {
            return Ok(t);
        }
        let cpu_requant = self.requantize && self.device.is_cpu();
        let dev = if cpu_requant {
            Device::Cpu
        } else {
            self.device.clone()
        };
        let t = self
            .content
            .tensor(&mut self.reader, name, &dev)
            .map_err(|e| self.corrupt(format!("tensor {name} cannot be read: {e}")))?;
        let t = if cpu_requant { requantize(t)? } else { t };
        Ok(Arc::new(t))
    }

    /// A small tensor (norm weights) as f32 on the device.
    pub fn vector(&mut self, name: &str) -> Result<Tensor> {
        let t = self
            .content
            .tensor(&mut self.reader, name, &self.device)
            .map_err(|e| self.corrupt(format!("tensor {name} cannot be read: {e}")))?;
        Ok(t.dequantize(&self.device)?)
    }
}

/// Candle's CPU kernels for Q4_1, Q5_0 and Q5_1 are scalar loops (70 % of the run time in a
/// profile); Q8_0 has SIMD kernels. Those tensors are dequantized and quantized again to
/// Q8_0 (8.5 bits a weight: no precision lost beyond Q8_0's own rounding of the 4–5-bit
/// values, 3–7× faster matmuls). Other formats are kept as they are.
pub(crate) fn requantize(t: QTensor) -> Result<QTensor> {
    if !needs_requantize(t.dtype()) {
        return Ok(t);
    }
    Ok(to_q8_0(&t)?)
}

/// Rows converted per step of [`to_q8_0`]: the f32 copy of a whole matrix (Gemma's
/// 262,144 × 640 token table: 671 MB) never exists at once, only this many rows of it.
const REQUANTIZE_ROWS: usize = 4096;

/// `t` (a CPU matrix in any block format) as Q8_0, through f32 a band of rows at a time.
pub(crate) fn to_q8_0(t: &QTensor) -> candle_core::Result<QTensor> {
    let Ok((rows, cols)) = t.shape().dims2() else {
        return QTensor::quantize(&t.dequantize(&Device::Cpu)?, GgmlDType::Q8_0);
    };
    if rows <= REQUANTIZE_ROWS {
        return QTensor::quantize(&t.dequantize(&Device::Cpu)?, GgmlDType::Q8_0);
    }
    let dtype = t.dtype();
    let row_bytes = cols / dtype.block_size() * dtype.type_size();
    let data = t.data()?;
    let mut out = Vec::with_capacity(rows * cols / 32 * GgmlDType::Q8_0.type_size());
    for start in (0..rows).step_by(REQUANTIZE_ROWS) {
        let n = REQUANTIZE_ROWS.min(rows - start);
        let band = &data[start * row_bytes..(start + n) * row_bytes];
        let band = QTensor::new(
            QStorage::from_data(Cow::Borrowed(band), &Device::Cpu, dtype)?,
            (n, cols),
        )?;
        let q = QTensor::quantize(&band.dequantize(&Device::Cpu)?, GgmlDType::Q8_0)?;
        out.extend_from_slice(&q.data()?);
    }
    QTensor::new(
        QStorage::from_data(Cow::Owned(out), &Device::Cpu, GgmlDType::Q8_0)?,
        (rows, cols),
    )
}

fn needs_requantize(dtype: GgmlDType) -> bool {
    matches!(dtype, GgmlDType::Q4_1 | GgmlDType::Q5_0 | GgmlDType::Q5_1)
}

pub(crate) fn meta_str<'a>(
    md: &'a HashMap<String, gguf_file::Value>,
    key: &str,
) -> std::result::Result<&'a str, String> {
    match md.get(key) {
        Some(gguf_file::Value::String(s)) => Ok(s.as_str()),
        Some(_) => Err(format!("GGUF metadata {key} is not a string")),
        None => Err(format!("GGUF metadata {key} is missing")),
    }
}

pub(crate) fn meta_u64(
    md: &HashMap<String, gguf_file::Value>,
    key: &str,
) -> std::result::Result<u64, String> {
    use gguf_file::Value as V;
    let v = md
        .get(key)
        .ok_or_else(|| format!("GGUF metadata {key} is missing"))?;
    let n: i128 = match v {
        V::U8(x) => *x as i128,
        V::I8(x) => *x as i128,
        V::U16(x) => *x as i128,
        V::I16(x) => *x as i128,
        V::U32(x) => *x as i128,
        V::I32(x) => *x as i128,
        V::U64(x) => *x as i128,
        V::I64(x) => *x as i128,
        _ => return Err(format!("GGUF metadata {key} is not an integer")),
    };
    u64::try_from(n).map_err(|_| format!("GGUF metadata {key} is negative"))
}

pub(crate) fn meta_f64(
    md: &HashMap<String, gguf_file::Value>,
    key: &str,
) -> std::result::Result<f64, String> {
    use gguf_file::Value as V;
    match md.get(key) {
        Some(V::F32(x)) => Ok(*x as f64),
        Some(V::F64(x)) => Ok(*x),
        Some(_) => meta_u64(md, key).map(|v| v as f64),
        None => Err(format!("GGUF metadata {key} is missing")),
    }
}
