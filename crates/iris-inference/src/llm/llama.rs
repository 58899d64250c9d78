//! The llama family (SmolLM2) from GGUF: pre-norm blocks, grouped-query attention with
//! llama.cpp's "norm" (interleaved) rope on the converter's permuted q/k weights, SwiGLU MLP.

use candle_core::{Device, Result as CResult, Tensor};

use super::gguf::GgufFile;
use super::layers::{Attention, Embedding, KvCache, Linear, Projections, RmsNorm, Rope};
use crate::error::{InferenceError, Result};

#[derive(Debug, Clone)]
struct Block {
    attn_norm: RmsNorm,
    attn: Attention,
    ffn_norm: RmsNorm,
    /// gate, up.
    gate_up: Projections,
    down: Linear,
}

#[derive(Debug, Clone)]
pub(crate) struct Llama {
    embed: Embedding,
    blocks: Vec<Block>,
    norm: RmsNorm,
    output: Linear,
    rope: Rope,
    device: Device,
    pub context_length: usize,
}

impl Llama {
    pub fn load(f: &mut GgufFile, device: &Device) -> Result<Self> {
        let n_layer = f.usize("llama.block_count")?;
        let hidden = f.usize("llama.embedding_length")?;
        let n_head = f.usize("llama.attention.head_count")?;
        let n_kv_head = f.usize_or("llama.attention.head_count_kv", n_head)?;
        let eps = f.f64("llama.attention.layer_norm_rms_epsilon")?;
        let context_length = f.usize_or("llama.context_length", 4096)?;
        if n_head == 0 || n_kv_head == 0 || hidden % n_head != 0 || n_head % n_kv_head != 0 {
            return Err(InferenceError::corrupt(
                &f.model,
                format!(
                    "inconsistent attention shape: {hidden} wide, {n_head} heads, {n_kv_head} kv heads"
                ),
            ));
        }
        let head_dim = hidden / n_head;
        let rope_dim = f.usize_or("llama.rope.dimension_count", head_dim)?;
        if rope_dim != head_dim {
            return Err(InferenceError::corrupt(
                &f.model,
                format!("partial rotary embeddings ({rope_dim} of {head_dim}) are not supported"),
            ));
        }
        let freq_scale = rope_freq_scale(f, "llama")?;
        let rope = Rope {
            base: f.f64_or("llama.rope.freq_base", 10_000.0)?,
            freq_scale,
            dim: rope_dim,
            interleaved: true,
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
        for i in 0..n_layer {
            let p = format!("blk.{i}");
            let attn = Attention {
                qkv: f.projections(&[
                    &format!("{p}.attn_q.weight"),
                    &format!("{p}.attn_k.weight"),
                    &format!("{p}.attn_v.weight"),
                ])?,
                wo: Linear::new(f.qtensor(&format!("{p}.attn_output.weight"))?)?,
                q_norm: None,
                k_norm: None,
                n_head,
                n_kv_head,
                head_dim,
                q_scale: 1.0 / (head_dim as f64).sqrt(),
                window: None,
                cache: KvCache::default(),
            };
            blocks.push(Block {
                attn_norm: RmsNorm::new(f.vector(&format!("{p}.attn_norm.weight"))?, eps),
                attn,
                ffn_norm: RmsNorm::new(f.vector(&format!("{p}.ffn_norm.weight"))?, eps),
                gate_up: f.projections(&[
                    &format!("{p}.ffn_gate.weight"),
                    &format!("{p}.ffn_up.weight"),
                ])?,
                down: Linear::new(f.qtensor(&format!("{p}.ffn_down.weight"))?)?,
            });
        }
        Ok(Self {
            embed,
            blocks,
            norm,
            output,
            rope,
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
        let rope = self.rope.tables(pos, seq, &self.device)?;
        let mut x = self.embed.forward(ids, &self.device)?;
        for b in &mut self.blocks {
            let h = b.attn.forward(&b.attn_norm.forward(&x)?, pos, &rope)?;
            x = (x + h)?;
            let h = b.ffn_norm.forward(&x)?;
            let gu = b.gate_up.forward(&h)?;
            let h = b.down.forward(&(candle_nn::ops::silu(&gu[0])? * &gu[1])?)?;
            x = (x + h)?;
        }
        let x = self.norm.forward(&x.narrow(1, seq - 1, 1)?)?;
        self.output.forward(&x)?.flatten_all()
    }
}

/// 1 / factor for linear rope scaling, else 1.
pub(crate) fn rope_freq_scale(f: &GgufFile, arch: &str) -> Result<f64> {
    let kind = f
        .str(&format!("{arch}.rope.scaling.type"))
        .unwrap_or("none");
    if kind == "linear" {
        let factor = f.f64_or(&format!("{arch}.rope.scaling.factor"), 1.0)?;
        if factor > 0.0 {
            return Ok(1.0 / factor);
        }
    }
    Ok(1.0)
}
