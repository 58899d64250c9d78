//! Sentence embeddings with a BERT-family encoder read from a Hugging Face folder
//! (`config.json`, `model.safetensors`, `tokenizer.json`, optional `1_Pooling/config.json`):
//! tokens of a batch padded to the batch's longest input (not the file's fixed 128), the
//! attention mask passed to the encoder, mean pooling over real tokens, L2 normalization.
//! The default is all-MiniLM-L6-v2 (`minilm`); any BERT folder — a clinical BERT, say — loads
//! the same way with [`Embedder::load_dir`].

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use crate::bert::{FastBert, Shape};
use crate::error::{InferenceError, Result};
use crate::models;

/// The encoder: our unpadded one on the CPU ([`crate::bert`]), candle's on GPUs (or for a
/// BERT variant outside the fast path).
enum Encoder {
    Fast(FastBert),
    Candle(BertModel),
}

/// How token vectors become one sentence vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    /// Average of the real (unpadded) tokens: sentence-transformers' default.
    Mean,
    /// The `[CLS]` token's vector.
    Cls,
}

pub struct Embedder {
    name: String,
    model: Encoder,
    tokenizer: Tokenizer,
    device: Device,
    dim: usize,
    pooling: Pooling,
    /// Longest input in tokens (longer inputs are truncated, as sentence-transformers does).
    max_tokens: usize,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("name", &self.name)
            .field("dim", &self.dim)
            .field("pooling", &self.pooling)
            .field("max_tokens", &self.max_tokens)
            .finish()
    }
}

impl Embedder {
    /// The manifest's model `name` (e.g. `minilm`), its files checked (size, sha256) first.
    pub fn load(models_dir: &Path, name: &str, device: &Device) -> Result<Self> {
        let m = models::verified(models_dir, name)?;
        if m.task != "embedding" {
            return Err(InferenceError::UnknownModel(format!(
                "{name} is not an embedding model"
            )));
        }
        Self::load_dir(&m.dir, name, device)
    }

    /// Any BERT-family folder in the Hugging Face layout (not checked against the manifest).
    pub fn load_dir(dir: &Path, name: &str, device: &Device) -> Result<Self> {
        Self::load_dir_with(dir, name, device, true)
    }

    /// [`Embedder::load_dir`] with candle's BERT even on the CPU: the encoder GPUs run, for
    /// tests that compare the two.
    #[doc(hidden)]
    pub fn load_dir_candle(dir: &Path, name: &str, device: &Device) -> Result<Self> {
        Self::load_dir_with(dir, name, device, false)
    }

    fn load_dir_with(dir: &Path, name: &str, device: &Device, fast: bool) -> Result<Self> {
        let read = |file: &str| {
            std::fs::read(dir.join(file)).map_err(|e| InferenceError::NotInstalled {
                model: name.to_string(),
                detail: format!("{file} cannot be read: {}", e.kind()),
            })
        };
        let config_bytes = read("config.json")?;
        let config: Config = serde_json::from_slice(&config_bytes)
            .map_err(|e| InferenceError::corrupt(name, format!("config.json: {e}")))?;
        let fast_shape = serde_json::from_slice::<serde_json::Value>(&config_bytes)
            .ok()
            .and_then(|v| Shape::from_config(&v))
            .filter(|_| fast && device.is_cpu());
        let max_positions = serde_json::from_slice::<serde_json::Value>(&read("config.json")?)
            .ok()
            .and_then(|v| v["max_position_embeddings"].as_u64())
            .unwrap_or(512) as usize;
        let dim = serde_json::from_slice::<serde_json::Value>(&read("config.json")?)
            .ok()
            .and_then(|v| v["hidden_size"].as_u64())
            .ok_or_else(|| InferenceError::corrupt(name, "config.json has no hidden_size"))?
            as usize;
        let pooling = match std::fs::read(dir.join("1_Pooling/config.json")) {
            Ok(bytes) => {
                let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
                    InferenceError::corrupt(name, format!("1_Pooling/config.json: {e}"))
                })?;
                if v["pooling_mode_cls_token"].as_bool() == Some(true) {
                    Pooling::Cls
                } else if v["pooling_mode_mean_tokens"].as_bool() == Some(false) {
                    return Err(InferenceError::corrupt(
                        name,
                        "only mean and CLS pooling are supported",
                    ));
                } else {
                    Pooling::Mean
                }
            }
            Err(_) => Pooling::Mean,
        };
        let mut tokenizer = Tokenizer::from_bytes(read("tokenizer.json")?)
            .map_err(|e| InferenceError::corrupt(name, format!("tokenizer.json: {e}")))?;
        // The file's own truncation (128 for the shipped MiniLM) within the position table.
        let max_tokens = tokenizer
            .get_truncation()
            .map(|t| t.max_length)
            .unwrap_or(max_positions)
            .min(max_positions);
        let pad_id = tokenizer
            .get_padding()
            .map(|p| p.pad_id)
            .or_else(|| tokenizer.token_to_id("[PAD]"))
            .unwrap_or(0);
        let pad_token = tokenizer
            .id_to_token(pad_id)
            .unwrap_or_else(|| "[PAD]".into());
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_id,
            pad_token,
            ..Default::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                ..Default::default()
            }))
            .map_err(|e| InferenceError::corrupt(name, format!("tokenizer.json: {e}")))?;
        let weights = dir.join("model.safetensors");
        if !weights.is_file() {
            return Err(InferenceError::NotInstalled {
                model: name.to_string(),
                detail: "model.safetensors is missing".into(),
            });
        }
        // Read, not memory-mapped: no unsafe code, and a file changed on disk later cannot
        // change a loaded model.
        let bytes = std::fs::read(&weights).map_err(|e| InferenceError::NotInstalled {
            model: name.to_string(),
            detail: format!("model.safetensors cannot be read: {}", e.kind()),
        })?;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, device)
            .map_err(|e| InferenceError::corrupt(name, format!("model.safetensors: {e}")))?;
        let model = match fast_shape {
            Some(shape) => FastBert::load(vb, shape).map(Encoder::Fast),
            None => BertModel::load(vb, &config).map(Encoder::Candle),
        }
        .map_err(|e| InferenceError::corrupt(name, format!("model.safetensors: {e}")))?;
        Ok(Embedder {
            name: name.to_string(),
            model,
            tokenizer,
            device: device.clone(),
            dim,
            pooling,
            max_tokens,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Length of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// One unit-length vector per text, in order. The texts form one batch (padded to the
    /// longest); callers choose the batch size.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|_| InferenceError::InvalidInput("text could not be tokenized".into()))?;
        let model = match &self.model {
            Encoder::Fast(m) => m,
            Encoder::Candle(m) => return self.embed_candle(m, &encodings),
        };
        // Each sentence's real tokens (padding is on the right).
        let real: Vec<usize> = encodings
            .iter()
            .map(|e| e.get_attention_mask().iter().filter(|&&m| m == 1).count())
            .collect();
        let ids: Vec<&[u32]> = encodings
            .iter()
            .zip(&real)
            .map(|(e, &n)| &e.get_ids()[..n])
            .collect();
        let types: Vec<&[u32]> = encodings
            .iter()
            .zip(&real)
            .map(|(e, &n)| &e.get_type_ids()[..n])
            .collect();
        let hidden = model.forward(&ids, &types)?;
        let d = self.dim;
        let mut out = Vec::with_capacity(real.len());
        let mut start = 0;
        for &n in &real {
            let rows = &hidden[start * d..(start + n) * d];
            start += n;
            let mut v = vec![0f32; d];
            match self.pooling {
                Pooling::Cls => v.copy_from_slice(&rows[..d.min(rows.len())]),
                Pooling::Mean => {
                    for row in rows.chunks_exact(d) {
                        for (a, x) in v.iter_mut().zip(row) {
                            *a += x;
                        }
                    }
                    let k = n.max(1) as f32;
                    v.iter_mut().for_each(|a| *a /= k);
                }
            }
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            v.iter_mut().for_each(|a| *a /= norm);
            out.push(v);
        }
        Ok(out)
    }

    /// Candle's BERT on the padded batch with its attention mask.
    fn embed_candle(
        &self,
        model: &BertModel,
        encodings: &[tokenizers::Encoding],
    ) -> Result<Vec<Vec<f32>>> {
        let n = encodings.len();
        let len = encodings[0].get_ids().len();
        let mut ids = Vec::with_capacity(n * len);
        let mut types = Vec::with_capacity(n * len);
        let mut mask = Vec::with_capacity(n * len);
        for e in encodings {
            ids.extend_from_slice(e.get_ids());
            types.extend_from_slice(e.get_type_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let ids = Tensor::from_vec(ids, (n, len), &self.device)?;
        let types = Tensor::from_vec(types, (n, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (n, len), &self.device)?;
        let hidden = model.forward(&ids, &types, Some(&mask))?; // (n, len, dim)
        let pooled = match self.pooling {
            Pooling::Cls => hidden.narrow(1, 0, 1)?.squeeze(1)?,
            Pooling::Mean => {
                let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?; // (n, len, 1)
                let summed = hidden.broadcast_mul(&m)?.sum(1)?; // (n, dim)
                let counts = m.sum(1)?.clamp(1e-9, f64::MAX)?; // (n, 1)
                summed.broadcast_div(&counts)?
            }
        };
        let norms = pooled
            .sqr()?
            .sum_keepdim(1)?
            .sqrt()?
            .clamp(1e-12, f64::MAX)?;
        let unit = pooled.broadcast_div(&norms)?;
        Ok(unit.to_vec2::<f32>()?)
    }
}

/// Cosine similarity of two vectors (1.0 for the same direction).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}
