//! Gemma 3 (text) from GGUF, written here rather than taken from candle's
//! `quantized_gemma3`, which in 0.11.1 uses SiLU in the MLP, precomputes 131,072-position
//! rotary tables in every layer and applies no sliding window when decoding.
//!
//! What the graph does (as llama.cpp's `gemma3` graph):
//! - embeddings × sqrt(hidden);
//! - per block: RMSNorm → attention (q and k RMS-normed per head, rope "neox") →
//!   post-attention RMSNorm → residual; RMSNorm → GELU(tanh)-gated MLP → post-FFN RMSNorm
//!   → residual;
//! - RMSNorm weights are used as stored: Gemma's `(1 + weight)` is already folded into the
//!   GGUF tensors by llama.cpp's converter (its graph multiplies by the stored weight);
//! - sliding-window layers (window `gemma3.attention.sliding_window` = 512, rope base
//!   `gemma3.rope.freq_base_swa`, default 10,000) and global layers (rope base
//!   `gemma3.rope.freq_base` = 1,000,000, linear rope scaling if the file has it): every
//!   6th layer is global unless `gemma3.attention.sliding_window_pattern` says otherwise;
//! - queries scaled by `query_pre_attn_scalar`^-½ (= head_dim, 256, for this size; the 27B
//!   uses hidden / heads), optional final logit soft-capping.

use candle_core::quantized::gguf_file::Value;
use candle_core::{Device, Result as CResult, Tensor};

use super::gguf::GgufFile;
use super::layers::{Attention, Embedding, KvCache, Linear, Projections, RmsNorm, Rope};
use super::llama::rope_freq_scale;
use crate::error::{InferenceError, Result};

#[derive(Debug, Clone)]
struct Block {
    attn_norm: RmsNorm,
    attn: Attention,
    post_attn_norm: RmsNorm,
    ffn_norm: RmsNorm,
    /// gate, up.
    gate_up: Projections,
    down: Linear,
    post_ffn_norm: RmsNorm,
    sliding: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Gemma3 {
    embed: Embedding,
    embed_scale: f64,
    blocks: Vec<Block>,
    norm: RmsNorm,
    output: Linear,
    rope_local: Rope,
    rope_global: Rope,
    softcap: Option<f64>,
    device: Device,
    pub context_length: usize,
}

impl Gemma3 {
    pub fn load(f: &mut GgufFile, device: &Device) -> Result<Self> {
        let a = "gemma3";
        let n_layer = f.usize(&format!("{a}.block_count"))?;
        let hidden = f.usize(&format!("{a}.embedding_length"))?;
        let n_head = f.usize(&format!("{a}.attention.head_count"))?;
        let n_kv_head = f.usize_or(&format!("{a}.attention.head_count_kv"), n_head)?;
        let head_dim = f.usize_or(&format!("{a}.attention.key_length"), hidden / n_head.max(1))?;
        let v_dim = f.usize_or(&format!("{a}.attention.value_length"), head_dim)?;
        let eps = f.f64(&format!("{a}.attention.layer_norm_rms_epsilon"))?;
        let context_length = f.usize_or(&format!("{a}.context_length"), 32_768)?;
        if n_head == 0 || n_kv_head == 0 || n_head % n_kv_head != 0 || v_dim != head_dim {
            return Err(InferenceError::corrupt(
                &f.model,
                format!(
                    "inconsistent attention shape: {n_head} heads, {n_kv_head} kv heads, key {head_dim}, value {v_dim}"
                ),
            ));
        }
        let window = f.usize_or(&format!("{a}.attention.sliding_window"), 0)?;
        let sliding = sliding_layers(f, n_layer, window > 0)?;
        let scalar = match f.f64(&format!("{a}.attention.query_pre_attn_scalar")) {
            Ok(s) => s,
            // llama.cpp: 1 / sqrt(n_embd / n_head) for the 27B (62 layers), else 1 / sqrt(head_dim).
            Err(_) if n_layer == 62 => (hidden / n_head) as f64,
            Err(_) => head_dim as f64,
        };
        let softcap = f
            .f64(&format!("{a}.final_logit_softcapping"))
            .ok()
            .filter(|c| *c > 0.0);
        let rope_local = Rope {
            base: f.f64_or(&format!("{a}.rope.freq_base_swa"), 10_000.0)?,
            freq_scale: 1.0,
            dim: head_dim,
            interleaved: false,
        };
        let rope_global = Rope {
            base: f.f64_or(&format!("{a}.rope.freq_base"), 1_000_000.0)?,
            freq_scale: rope_freq_scale(f, a)?,
            dim: head_dim,
            interleaved: false,
        };

        let table = f.qtensor("token_embd.weight")?;
        let output = if f.has_tensor("output.weight") {
            Linear::new(f.qtensor("output.weight")?)?
        } else {
            Linear::new(table.clone())?
        };
        let embed = Embedding::new(table);
        let norm = RmsNorm::new(f.vector("output_norm.weight")?, eps);
        let mut blocks = Vec::with_capacity(n_layer);
        for (i, &is_sliding) in sliding.iter().enumerate() {
            let p = format!("blk.{i}");
            let attn = Attention {
                qkv: f.projections(&[
                    &format!("{p}.attn_q.weight"),
                    &format!("{p}.attn_k.weight"),
                    &format!("{p}.attn_v.weight"),
                ])?,
                wo: Linear::new(f.qtensor(&format!("{p}.attn_output.weight"))?)?,
                q_norm: Some(RmsNorm::new(
                    f.vector(&format!("{p}.attn_q_norm.weight"))?,
                    eps,
                )),
                k_norm: Some(RmsNorm::new(
                    f.vector(&format!("{p}.attn_k_norm.weight"))?,
                    eps,
                )),
                n_head,
                n_kv_head,
                head_dim,
                q_scale: 1.0 / scalar.sqrt(),
                window: is_sliding.then_some(window),
                cache: KvCache::default(),
            };
            blocks.push(Block {
                attn_norm: RmsNorm::new(f.vector(&format!("{p}.attn_norm.weight"))?, eps),
                attn,
                post_attn_norm: RmsNorm::new(
                    f.vector(&format!("{p}.post_attention_norm.weight"))?,
                    eps,
                ),
                ffn_norm: RmsNorm::new(f.vector(&format!("{p}.ffn_norm.weight"))?, eps),
                gate_up: f.projections(&[
                    &format!("{p}.ffn_gate.weight"),
                    &format!("{p}.ffn_up.weight"),
                ])?,
                down: Linear::new(f.qtensor(&format!("{p}.ffn_down.weight"))?)?,
                post_ffn_norm: RmsNorm::new(f.vector(&format!("{p}.post_ffw_norm.weight"))?, eps),
                sliding: is_sliding,
            });
        }
        Ok(Self {
            embed,
            embed_scale: (hidden as f64).sqrt(),
            blocks,
            norm,
            output,
            rope_local,
            rope_global,
            softcap,
            device: device.clone(),
            context_length,
        })
    }

    pub fn reset(&mut self, capacity: usize) {
        for b in &mut self.blocks {
            b.attn.cache.reset(capacity);
        }
    }

    /// Runs `ids` at positions `pos..`; returns the logits of the last one, (vocab,).
    pub fn forward(&mut self, ids: &[u32], pos: usize) -> CResult<Tensor> {
        let seq = ids.len();
        let local = self.rope_local.tables(pos, seq, &self.device)?;
        let global = self.rope_global.tables(pos, seq, &self.device)?;
        let mut x = (self.embed.forward(ids, &self.device)? * self.embed_scale)?;
        for b in &mut self.blocks {
            let rope = if b.sliding { &local } else { &global };
            let h = b.attn.forward(&b.attn_norm.forward(&x)?, pos, rope)?;
            x = (x + b.post_attn_norm.forward(&h)?)?;
            let h = b.ffn_norm.forward(&x)?;
            let gu = b.gate_up.forward(&h)?;
            let h = b.down.forward(&(gu[0].gelu()? * &gu[1])?)?;
            x = (x + b.post_ffn_norm.forward(&h)?)?;
        }
        let x = self.norm.forward(&x.narrow(1, seq - 1, 1)?)?;
        let logits = self.output.forward(&x)?.flatten_all()?;
        match self.softcap {
            Some(c) => (logits / c)?.tanh()? * c,
            None => Ok(logits),
        }
    }
}

/// Which layers use the sliding window: `sliding_window_pattern` as a per-layer array or a
/// period n (layer i is global when i % n == n - 1), default period 6 (llama.cpp).
fn sliding_layers(f: &GgufFile, n_layer: usize, has_window: bool) -> Result<Vec<bool>> {
    if !has_window {
        return Ok(vec![false; n_layer]);
    }
    let key = "gemma3.attention.sliding_window_pattern";
    match f.md().get(key) {
        Some(Value::Array(items)) => {
            let v: Vec<bool> = items.iter().map(|x| x.to_bool().unwrap_or(false)).collect();
            if v.len() < n_layer {
                return Err(InferenceError::corrupt(
                    &f.model,
                    format!("{key} has {} entries for {n_layer} layers", v.len()),
                ));
            }
            Ok(v[..n_layer].to_vec())
        }
        Some(_) => {
            let n = f.usize(key)?;
            Ok((0..n_layer).map(|i| n == 0 || i % n < n - 1).collect())
        }
        None => Ok((0..n_layer).map(|i| i % 6 < 5).collect()),
    }
}
