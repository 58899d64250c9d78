//! Reading a GGUF file: metadata helpers, a size check of every tensor against the file
//! (a truncated file is refused before anything is loaded), and tensor loading with the
//! re-quantization of slow formats (see [`requantize`]).

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use candle_core::quantized::{GgmlDType, QTensor, gguf_file};
use candle_core::{Device, Tensor};

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
    /// workers take turns reading a tensor from the file and convert it on their own.
    pub fn requantize_all(&mut self) -> Result<()> {
        if !(self.requantize && self.device.is_cpu()) {
            return Ok(());
        }
        let mut names: Vec<(String, u64)> = self
            .content
            .tensor_infos
            .iter()
            .filter(|(_, i)| needs_requantize(i.ggml_dtype))
            .map(|(n, i)| (n.clone(), i.offset))
            .collect();
        // In file order: the reads stay sequential.
        names.sort_by_key(|(_, off)| *off);
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 8)
            .min(names.len().max(1));
        let queue = std::sync::Mutex::new((names.into_iter(), &mut self.reader));
        let content = &self.content;
        let model = self.model.as_str();
        let results = std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    s.spawn(|| -> Result<Vec<(String, Arc<QTensor>)>> {
                        let mut done = Vec::new();
                        loop {
                            let (name, raw) = {
                                let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                                let Some((name, _)) = q.0.next() else {
                                    break;
                                };
                                let raw = content.tensor(&mut *q.1, &name, &Device::Cpu);
                                (name, raw)
                            };
                            let raw = raw.map_err(|e| {
                                InferenceError::corrupt(
                                    model,
                                    format!("tensor {name} cannot be read: {e}"),
                                )
                            })?;
                            done.push((name, Arc::new(requantize(raw)?)));
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
    if needs_requantize(t.dtype()) {
        let f = t.dequantize(&Device::Cpu)?;
        Ok(QTensor::quantize(&f, GgmlDType::Q8_0)?)
    } else {
        Ok(t)
    }
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
