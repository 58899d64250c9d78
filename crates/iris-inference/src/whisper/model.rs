//! Whisper's network built from the CTranslate2 variables: the encoder on candle (large
//! matrix products, gemm), and the decoder either as plain CPU code ([`super::cpu`]) or on
//! candle ops (any device).

use candle_core::{Device, IndexOp, Tensor};

use super::cpu::{self, CpuDecoder, CpuLayer, Lin, Ln, Mat};
use super::{INPUT_STRIDE, MAX_LENGTH, MODEL};
use crate::audio;
use crate::ct2::Ct2Model;
use crate::error::{InferenceError, Result};

const LN_EPS: f32 = 1e-5;
/// Encoder attention runs over blocks of this many query positions on the CPU, so that the
/// scores of a block stay in cache instead of a 54 MB matrix per layer.
const QUERY_BLOCK: usize = 100;

pub(super) fn corrupt(detail: impl Into<String>) -> InferenceError {
    InferenceError::corrupt(MODEL, detail)
}

#[derive(Debug)]
pub(super) struct Linear {
    /// Weight transposed, `[in, out]`, contiguous.
    wt: Tensor,
    b: Option<Tensor>,
}

impl Linear {
    /// `x`: `[n, in]` → `[n, out]`.
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let y = x.matmul(&self.wt)?;
        Ok(match &self.b {
            Some(b) => y.broadcast_add(b)?,
            None => y,
        })
    }

    fn to_cpu(&self) -> Result<Lin> {
        let (inp, out) = self.wt.dims2()?;
        Ok(Lin {
            w: Mat::new(self.wt.t()?.contiguous()?.flatten_all()?.to_vec1()?),
            b: match &self.b {
                Some(b) => Some(b.to_vec1()?),
                None => None,
            },
            inp,
            out,
        })
    }
}

#[derive(Debug)]
struct LayerNorm {
    g: Tensor,
    b: Tensor,
}

impl LayerNorm {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(candle_nn::ops::layer_norm(x, &self.g, &self.b, LN_EPS)?)
    }

    fn to_cpu(&self) -> Result<Ln> {
        Ok(Ln {
            g: self.g.to_vec1()?,
            b: self.b.to_vec1()?,
        })
    }
}

#[derive(Debug)]
struct Attention {
    q: Linear,
    k: Linear,
    v: Linear,
    o: Linear,
}

#[derive(Debug)]
struct Ffn {
    ln: LayerNorm,
    fc1: Linear,
    fc2: Linear,
}

impl Ffn {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let h = cpu::gelu_owned(self.fc1.forward(&self.ln.forward(x)?)?)?;
        self.fc2.forward(&h)
    }
}

#[derive(Debug)]
struct EncoderLayer {
    ln: LayerNorm,
    attn: Attention,
    ffn: Ffn,
}

/// `[t, h·dh]` → `[h, t, dh]`.
fn split_heads(x: &Tensor, heads: usize) -> Result<Tensor> {
    let (t, d) = x.dims2()?;
    Ok(x.reshape((t, heads, d / heads))?
        .transpose(0, 1)?
        .contiguous()?)
}

/// `[h, t, dh]` → `[t, h·dh]`.
fn merge_heads(x: &Tensor) -> Result<Tensor> {
    let (h, t, dh) = x.dims3()?;
    Ok(x.transpose(0, 1)?.contiguous()?.reshape((t, h * dh))?)
}

/// Dot-product attention over heads: `q` `[h, tq, dh]` (already scaled by 1/√dh, folded into
/// the query projection), `k`/`v` `[h, tk, dh]`; on the CPU in blocks of query positions.
fn attend(q: &Tensor, k: &Tensor, v: &Tensor, mask: Option<&Tensor>) -> Result<Tensor> {
    let (_, tq, _) = q.dims3()?;
    let kt = k.t()?;
    let block = if q.device().is_cpu() && mask.is_none() {
        QUERY_BLOCK
    } else {
        tq
    };
    let mut outs = Vec::with_capacity(tq.div_ceil(block));
    for start in (0..tq).step_by(block) {
        let n = block.min(tq - start);
        let qb = if n == tq {
            q.clone()
        } else {
            q.narrow(1, start, n)?
        };
        let mut w = qb.matmul(&kt)?;
        if let Some(m) = mask {
            w = w.broadcast_add(m)?;
        }
        let w = cpu::softmax_owned(w)?;
        outs.push(w.matmul(v)?);
    }
    Ok(if outs.len() == 1 {
        outs.remove(0)
    } else {
        Tensor::cat(&outs, 1)?
    })
}

// ---------------------------------------------------------------------------------------------
// Loading

pub(super) struct Loader<'a> {
    pub m: &'a Ct2Model,
    pub device: &'a Device,
    pub d: usize,
    pub heads: usize,
}

impl Loader<'_> {
    pub fn raw(&self, name: &str, shape: &[usize]) -> Result<Vec<f32>> {
        let v = self.m.require(name, MODEL)?;
        if v.shape != shape {
            return Err(corrupt(format!(
                "model.bin variable `{name}` has shape {:?}, expected {shape:?}",
                v.shape
            )));
        }
        let data = v.to_f32_vec();
        if data.iter().any(|x| !x.is_finite()) {
            return Err(corrupt(format!(
                "model.bin variable `{name}` holds NaN or infinite values"
            )));
        }
        Ok(data)
    }

    pub fn tensor(&self, name: &str, shape: &[usize]) -> Result<Tensor> {
        Ok(Tensor::from_vec(
            self.raw(name, shape)?,
            shape.to_vec(),
            self.device,
        )?)
    }

    /// A linear layer from rows `rows` of a (possibly fused) weight `[out, in]` and bias.
    fn linear_rows(
        &self,
        w: &[f32],
        b: Option<&[f32]>,
        inp: usize,
        rows: std::ops::Range<usize>,
    ) -> Result<Linear> {
        let out = rows.len();
        let wt = Tensor::from_slice(
            &w[rows.start * inp..rows.end * inp],
            (out, inp),
            self.device,
        )?
        .t()?
        .contiguous()?;
        let b = match b {
            Some(b) => Some(Tensor::from_slice(&b[rows], out, self.device)?),
            None => None,
        };
        Ok(Linear { wt, b })
    }

    fn linear(&self, prefix: &str, out: usize, inp: usize) -> Result<Linear> {
        let w = self.raw(&format!("{prefix}/weight"), &[out, inp])?;
        let b = self.raw(&format!("{prefix}/bias"), &[out])?;
        self.linear_rows(&w, Some(&b), inp, 0..out)
    }

    fn layer_norm(&self, prefix: &str) -> Result<LayerNorm> {
        Ok(LayerNorm {
            g: self.tensor(&format!("{prefix}/gamma"), &[self.d])?,
            b: self.tensor(&format!("{prefix}/beta"), &[self.d])?,
        })
    }

    /// The query projection with attention's 1/√d_head folded in (exact for Whisper's
    /// d_head = 64, a power of two).
    fn query(
        &self,
        w: &[f32],
        b: &[f32],
        inp: usize,
        rows: std::ops::Range<usize>,
    ) -> Result<Linear> {
        let s = 1.0 / ((self.d / self.heads) as f32).sqrt();
        let w: Vec<f32> = w[rows.start * inp..rows.end * inp]
            .iter()
            .map(|x| x * s)
            .collect();
        let b: Vec<f32> = b[rows.clone()].iter().map(|x| x * s).collect();
        self.linear_rows(&w, Some(&b), inp, 0..rows.len())
    }

    /// The key projection of a fused weight: Whisper's has no bias, so the key slice of the
    /// fused bias must be zero and is dropped; should a file carry a non-zero one, it is kept.
    fn key(&self, w: &[f32], b: &[f32], rows: std::ops::Range<usize>) -> Result<Linear> {
        let zero = b[rows.clone()].iter().all(|&x| x == 0.0);
        self.linear_rows(w, if zero { None } else { Some(b) }, self.d, rows)
    }

    /// Self-attention with a fused `[3d, d]` query/key/value projection (`linear_0`) and the
    /// output projection (`linear_1`).
    fn self_attention(&self, prefix: &str) -> Result<Attention> {
        let d = self.d;
        let w = self.raw(&format!("{prefix}/linear_0/weight"), &[3 * d, d])?;
        let b = self.raw(&format!("{prefix}/linear_0/bias"), &[3 * d])?;
        Ok(Attention {
            q: self.query(&w, &b, d, 0..d)?,
            k: self.key(&w, &b, d..2 * d)?,
            v: self.linear_rows(&w, Some(&b), d, 2 * d..3 * d)?,
            o: self.linear(&format!("{prefix}/linear_1"), d, d)?,
        })
    }

    /// Cross-attention: query `linear_0` `[d, d]`, fused key/value `linear_1` `[2d, d]`,
    /// output `linear_2`.
    fn cross_attention(&self, prefix: &str) -> Result<Attention> {
        let d = self.d;
        let w = self.raw(&format!("{prefix}/linear_1/weight"), &[2 * d, d])?;
        let b = self.raw(&format!("{prefix}/linear_1/bias"), &[2 * d])?;
        let qw = self.raw(&format!("{prefix}/linear_0/weight"), &[d, d])?;
        let qb = self.raw(&format!("{prefix}/linear_0/bias"), &[d])?;
        Ok(Attention {
            q: self.query(&qw, &qb, d, 0..d)?,
            k: self.key(&w, &b, 0..d)?,
            v: self.linear_rows(&w, Some(&b), d, d..2 * d)?,
            o: self.linear(&format!("{prefix}/linear_2"), d, d)?,
        })
    }

    fn ffn(&self, prefix: &str) -> Result<Ffn> {
        let d = self.d;
        let shape = self
            .m
            .require(&format!("{prefix}/linear_0/weight"), MODEL)?
            .shape;
        let ff = match shape {
            [ff, dd] if *dd == d && *ff > 0 => *ff,
            _ => {
                return Err(corrupt(format!(
                    "model.bin `{prefix}/linear_0/weight` has shape {shape:?}"
                )));
            }
        };
        Ok(Ffn {
            ln: self.layer_norm(&format!("{prefix}/layer_norm"))?,
            fc1: self.linear(&format!("{prefix}/linear_0"), ff, d)?,
            fc2: self.linear(&format!("{prefix}/linear_1"), d, ff)?,
        })
    }
}

/// Whisper's sinusoidal position table `[length][channels]` (sin half, then cos half).
pub fn sinusoids(length: usize, channels: usize) -> Vec<f32> {
    let half = channels / 2;
    let inc = (10_000f64).ln() / (half as f64 - 1.0);
    let mut out = vec![0f32; length * channels];
    for t in 0..length {
        for i in 0..half {
            let a = t as f64 * (-inc * i as f64).exp();
            out[t * channels + i] = a.sin() as f32;
            out[t * channels + half + i] = a.cos() as f32;
        }
    }
    out
}

fn count_layers(m: &Ct2Model, prefix: &str) -> usize {
    (0..)
        .take_while(|i| {
            m.get(&format!("{prefix}/layer_{i}/ffn/linear_0/weight"))
                .is_some()
        })
        .count()
}

// ---------------------------------------------------------------------------------------------
// Encoder

#[derive(Debug)]
pub(super) struct Encoder {
    conv1_w: Tensor,
    conv1_b: Tensor,
    conv2_w: Tensor,
    conv2_b: Tensor,
    pos: Tensor,
    layers: Vec<EncoderLayer>,
    ln: LayerNorm,
    heads: usize,
}

impl Encoder {
    /// Encoder output `[1500, d]` for a mel window `[80, 3000]`.
    pub fn forward(&self, mel: &Tensor) -> Result<Tensor> {
        let x = mel.unsqueeze(0)?;
        let x = cpu::gelu_owned(
            x.conv1d(&self.conv1_w, 1, 1, 1, 1)?
                .broadcast_add(&self.conv1_b)?,
        )?;
        let x = cpu::gelu_owned(
            x.conv1d(&self.conv2_w, 1, 2, 1, 1)?
                .broadcast_add(&self.conv2_b)?,
        )?;
        let x = x.squeeze(0)?.t()?.contiguous()?;
        let mut x = (x + &self.pos)?;
        for layer in &self.layers {
            let h = layer.ln.forward(&x)?;
            let q = split_heads(&layer.attn.q.forward(&h)?, self.heads)?;
            let k = split_heads(&layer.attn.k.forward(&h)?, self.heads)?;
            let v = split_heads(&layer.attn.v.forward(&h)?, self.heads)?;
            let a = merge_heads(&attend(&q, &k, &v, None)?)?;
            x = (x + layer.attn.o.forward(&a)?)?;
            x = (&x + layer.ffn.forward(&x)?)?;
        }
        self.ln.forward(&x)
    }
}

// ---------------------------------------------------------------------------------------------
// Decoder on candle ops (any device)

#[derive(Debug)]
struct CandleLayer {
    self_ln: LayerNorm,
    self_attn: Attention,
    cross_ln: LayerNorm,
    cross_q: Linear,
    cross_o: Linear,
    ffn: Ffn,
}

#[derive(Debug)]
pub(super) struct CandleDecoder {
    /// Token embedding `[vocab, d]` (the CPU decoder looks tokens up itself: `None`).
    embed: Option<Tensor>,
    pos: Tensor,
    layers: Vec<CandleLayer>,
    ln: LayerNorm,
    heads: usize,
    /// Self-attention keys/values per layer (`[h, t, dh]`).
    cache: Vec<Option<(Tensor, Tensor)>>,
    /// Cross-attention keys/values per layer for the current window (`[h, frames, dh]`).
    cross: Vec<(Tensor, Tensor)>,
}

impl CandleDecoder {
    fn reset(&mut self, cross: Vec<(Tensor, Tensor)>) {
        self.cross = cross;
        self.cache.iter_mut().for_each(|c| *c = None);
    }

    fn forward(&mut self, tokens: &[u32]) -> Result<Tensor> {
        let embed = self
            .embed
            .as_ref()
            .ok_or_else(|| InferenceError::Candle("decoder without embedding".into()))?;
        let ids = Tensor::from_slice(tokens, tokens.len(), embed.device())?;
        let x = embed.index_select(&ids, 0)?;
        self.forward_embedded(x)
    }

    /// Runs token embeddings `x` `[n, d]` (positions not yet added) after the cached
    /// positions; returns the final hidden states `[n, d]`.
    fn forward_embedded(&mut self, x: Tensor) -> Result<Tensor> {
        let n = x.dim(0)?;
        let offset = self.cache[0].as_ref().map_or(Ok(0), |(k, _)| k.dim(1))?;
        if offset + n > self.pos.dim(0)? {
            return Err(InferenceError::InvalidInput(
                "decoder context exceeded".into(),
            ));
        }
        let device = x.device().clone();
        let mut x = (x + self.pos.narrow(0, offset, n)?)?;
        let mask = if n > 1 {
            let total = offset + n;
            let m: Vec<f32> = (0..n)
                .flat_map(|i| {
                    (0..total).map(move |j| {
                        if j > offset + i {
                            f32::NEG_INFINITY
                        } else {
                            0.0
                        }
                    })
                })
                .collect();
            Some(Tensor::from_vec(m, (n, total), &device)?)
        } else {
            None
        };
        for (i, layer) in self.layers.iter().enumerate() {
            let h = layer.self_ln.forward(&x)?;
            let q = split_heads(&layer.self_attn.q.forward(&h)?, self.heads)?;
            let k = split_heads(&layer.self_attn.k.forward(&h)?, self.heads)?;
            let v = split_heads(&layer.self_attn.v.forward(&h)?, self.heads)?;
            let (k, v) = match self.cache[i].take() {
                Some((ck, cv)) => (Tensor::cat(&[&ck, &k], 1)?, Tensor::cat(&[&cv, &v], 1)?),
                None => (k, v),
            };
            let a = merge_heads(&attend(&q, &k, &v, mask.as_ref())?)?;
            self.cache[i] = Some((k, v));
            x = (x + layer.self_attn.o.forward(&a)?)?;

            let h = layer.cross_ln.forward(&x)?;
            let q = split_heads(&layer.cross_q.forward(&h)?, self.heads)?;
            let (ck, cv) = &self.cross[i];
            let a = merge_heads(&attend(&q, ck, cv, None)?)?;
            x = (x + layer.cross_o.forward(&a)?)?;

            x = (&x + layer.ffn.forward(&x)?)?;
        }
        self.ln.forward(&x)
    }
}

// ---------------------------------------------------------------------------------------------
// Decoder, either kind

#[derive(Debug)]
pub(super) enum Decoder {
    /// On the CPU: one token at a time in plain Rust ([`CpuDecoder`]); a prompt (several
    /// tokens at the start of a window) through candle's gemm, which reads each weight once
    /// for all its tokens, its keys/values then handed to the plain decoder's cache.
    Cpu {
        step: Box<CpuDecoder>,
        batch: Box<CandleDecoder>,
    },
    /// Other devices: candle ops throughout.
    Candle(Box<CandleDecoder>),
}

impl Decoder {
    /// Starts a window: cross-attention keys/values from the encoder output `enc`
    /// `[frames, d]` (one gemm per layer), empty self-attention cache.
    pub fn reset(
        &mut self,
        enc: &Tensor,
        cross_kv: &[(Linear, Linear)],
        heads: usize,
    ) -> Result<()> {
        let mut split = Vec::with_capacity(cross_kv.len());
        let mut plain = Vec::with_capacity(cross_kv.len());
        for (k, v) in cross_kv {
            let (k, v) = (k.forward(enc)?, v.forward(enc)?);
            if let Decoder::Cpu { .. } = self {
                plain.push((k.flatten_all()?.to_vec1()?, v.flatten_all()?.to_vec1()?));
            }
            split.push((split_heads(&k, heads)?, split_heads(&v, heads)?));
        }
        match self {
            Decoder::Cpu { step, batch } => {
                step.reset(plain);
                batch.reset(split);
            }
            Decoder::Candle(dec) => dec.reset(split),
        }
        Ok(())
    }

    /// Runs `tokens` after the cached positions and returns the logits of the positions
    /// `rows` (indices into `tokens`).
    pub fn forward(&mut self, tokens: &[u32], rows: &[usize]) -> Result<Vec<Vec<f32>>> {
        match self {
            Decoder::Cpu { step, batch } if tokens.len() > 1 && step.positions() == 0 => {
                let d = step.d;
                let mut x = Vec::with_capacity(tokens.len() * d);
                for &t in tokens {
                    let t = t as usize;
                    if t >= step.vocab {
                        return Err(InferenceError::InvalidInput("token id out of range".into()));
                    }
                    x.extend(step.embed.row(t, d));
                }
                let x = Tensor::from_vec(x, (tokens.len(), d), &Device::Cpu)?;
                let h = batch.forward_embedded(x)?;
                // Hand the prompt's keys/values over (`[h, n, dh]` → `[n][d]`).
                for (i, c) in batch.cache.iter_mut().enumerate() {
                    if let Some((k, v)) = c.take() {
                        step.cache_k[i].clear();
                        step.cache_k[i].extend(merge_heads(&k)?.flatten_all()?.to_vec1::<f32>()?);
                        step.cache_v[i].clear();
                        step.cache_v[i].extend(merge_heads(&v)?.flatten_all()?.to_vec1::<f32>()?);
                    }
                }
                rows.iter()
                    .map(|&r| Ok(step.logits(&h.i(r)?.to_vec1::<f32>()?)))
                    .collect()
            }
            Decoder::Cpu { step, .. } => {
                let mut out = Vec::with_capacity(rows.len());
                for (i, &t) in tokens.iter().enumerate() {
                    let h = step.step(t)?;
                    for _ in rows.iter().filter(|&&r| r == i) {
                        out.push(step.logits(&h));
                    }
                }
                Ok(out)
            }
            Decoder::Candle(dec) => {
                let h = dec.forward(tokens)?;
                let proj = dec
                    .embed
                    .as_ref()
                    .ok_or_else(|| InferenceError::Candle("decoder without embedding".into()))?
                    .t()?;
                rows.iter()
                    .map(|&r| {
                        let l = h.i(r..r + 1)?.matmul(&proj)?.squeeze(0)?;
                        Ok(l.to_dtype(candle_core::DType::F32)?.to_vec1::<f32>()?)
                    })
                    .collect()
            }
        }
    }
}

/// The network: encoder, cross-attention key/value projections, decoder.
#[derive(Debug)]
pub(super) struct Network {
    pub encoder: Encoder,
    pub cross_kv: Vec<(Linear, Linear)>,
    pub decoder: Decoder,
    pub d: usize,
    pub heads: usize,
    pub vocab: usize,
}

/// Builds the network from a parsed WhisperSpec file. `plain_cpu_decoder` selects the plain
/// CPU decoder (only meaningful on the CPU device).
pub(super) fn build(m: &Ct2Model, device: &Device, plain_cpu_decoder: bool) -> Result<Network> {
    let emb = m.require("decoder/embeddings/weight", MODEL)?;
    let (vocab, d) = match emb.shape {
        [v, d] => (*v, *d),
        _ => return Err(corrupt("decoder embeddings are not a matrix")),
    };
    let heads = m
        .scalar_i64("encoder/num_heads")
        .or_else(|| m.scalar_i64("decoder/num_heads"))
        .unwrap_or(6);
    if heads <= 0 || d % heads as usize != 0 || !(2..=8192).contains(&d) || vocab < 2 {
        return Err(corrupt(format!(
            "model.bin has d_model {d}, vocabulary {vocab} and {heads} heads (inconsistent)"
        )));
    }
    let heads = heads as usize;
    if let Some(a) = m.scalar_i64("decoder/activation")
        && a != 3
    {
        return Err(corrupt(format!(
            "decoder activation {a} is not GELU (3); unsupported"
        )));
    }
    let l = Loader {
        m,
        device,
        d,
        heads,
    };
    let n_enc = count_layers(m, "encoder");
    let n_dec = count_layers(m, "decoder");
    if n_enc == 0 || n_dec == 0 {
        return Err(corrupt("model.bin has no encoder or decoder layers"));
    }
    let n_ctx = audio::N_FRAMES / INPUT_STRIDE;

    // Encoder positions: Whisper's sinusoids. The file's f16 table is what CTranslate2 uses,
    // so it is used when present, after checking it is that table.
    let sin = sinusoids(n_ctx, d);
    let enc_pos = match m.get("encoder/position_encodings/encodings") {
        Some(_) => {
            let stored = l.raw("encoder/position_encodings/encodings", &[n_ctx, d])?;
            let diff = stored
                .iter()
                .zip(&sin)
                .map(|(a, b)| (a - b).abs())
                .fold(0f32, f32::max);
            if diff > 2e-3 {
                return Err(corrupt(format!(
                    "the encoder position table differs from Whisper's sinusoids by {diff}"
                )));
            }
            Tensor::from_vec(stored, (n_ctx, d), device)?
        }
        None => Tensor::from_vec(sin, (n_ctx, d), device)?,
    };
    let mut layers = Vec::with_capacity(n_enc);
    for i in 0..n_enc {
        let p = format!("encoder/layer_{i}");
        layers.push(EncoderLayer {
            ln: l.layer_norm(&format!("{p}/self_attention/layer_norm"))?,
            attn: l.self_attention(&format!("{p}/self_attention"))?,
            ffn: l.ffn(&format!("{p}/ffn"))?,
        });
    }
    let n_mels = audio::N_MELS;
    let encoder = Encoder {
        conv1_w: l.tensor("encoder/conv1/weight", &[d, n_mels, 3])?,
        conv1_b: l.tensor("encoder/conv1/bias", &[d])?.reshape((1, d, 1))?,
        conv2_w: l.tensor("encoder/conv2/weight", &[d, d, 3])?,
        conv2_b: l.tensor("encoder/conv2/bias", &[d])?.reshape((1, d, 1))?,
        pos: enc_pos,
        layers,
        ln: l.layer_norm("encoder/layer_norm")?,
        heads,
    };

    let mut cross_kv = Vec::with_capacity(n_dec);
    let mut dec_layers = Vec::with_capacity(n_dec);
    for i in 0..n_dec {
        let p = format!("decoder/layer_{i}");
        let cross = l.cross_attention(&format!("{p}/attention"))?;
        cross_kv.push((cross.k, cross.v));
        dec_layers.push(CandleLayer {
            self_ln: l.layer_norm(&format!("{p}/self_attention/layer_norm"))?,
            self_attn: l.self_attention(&format!("{p}/self_attention"))?,
            cross_ln: l.layer_norm(&format!("{p}/attention/layer_norm"))?,
            cross_q: cross.q,
            cross_o: cross.o,
            ffn: l.ffn(&format!("{p}/ffn"))?,
        });
    }
    // The output projection is tied to the embedding (the file aliases
    // `decoder/projection/weight` to it); a file with a separate projection is not supported.
    match m.resolve("decoder/projection/weight") {
        Some("decoder/embeddings/weight") | None => {}
        Some(_) => {
            return Err(corrupt(
                "model.bin has an untied output projection (unsupported)",
            ));
        }
    }
    let pos_shape = m
        .require("decoder/position_encodings/encodings", MODEL)?
        .shape
        .to_vec();
    if pos_shape.len() != 2 || pos_shape[1] != d || pos_shape[0] < MAX_LENGTH {
        return Err(corrupt(format!(
            "the decoder position table has shape {pos_shape:?}"
        )));
    }
    let ln = l.layer_norm("decoder/layer_norm")?;
    let pos = l.tensor("decoder/position_encodings/encodings", &pos_shape)?;
    let decoder = if plain_cpu_decoder && device.is_cpu() {
        let layers = dec_layers
            .iter()
            .map(|c| {
                Ok(CpuLayer {
                    self_ln: c.self_ln.to_cpu()?,
                    q: c.self_attn.q.to_cpu()?,
                    k: c.self_attn.k.to_cpu()?,
                    v: c.self_attn.v.to_cpu()?,
                    o: c.self_attn.o.to_cpu()?,
                    cross_ln: c.cross_ln.to_cpu()?,
                    cross_q: c.cross_q.to_cpu()?,
                    cross_o: c.cross_o.to_cpu()?,
                    ffn_ln: c.ffn.ln.to_cpu()?,
                    fc1: c.ffn.fc1.to_cpu()?,
                    fc2: c.ffn.fc2.to_cpu()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // The embedding straight from its float16 bytes when it stays float16.
        let embed = match m
            .get("decoder/embeddings/weight")
            .filter(|v| v.dtype == crate::ct2::DType::F16)
            .and_then(|v| Mat::from_f16_bytes(v.bytes))
        {
            Some(e) => e,
            None => Mat::new(l.raw("decoder/embeddings/weight", &[vocab, d])?),
        };
        let step = CpuDecoder {
            d,
            heads,
            vocab,
            embed,
            pos: pos.flatten_all()?.to_vec1()?,
            layers,
            ln: ln.to_cpu()?,
            cache_k: (0..n_dec)
                .map(|_| Vec::with_capacity(MAX_LENGTH * d))
                .collect(),
            cache_v: (0..n_dec)
                .map(|_| Vec::with_capacity(MAX_LENGTH * d))
                .collect(),
            cross_k: Vec::new(),
            cross_v: Vec::new(),
        };
        let batch = CandleDecoder {
            embed: None,
            pos,
            layers: dec_layers,
            ln,
            heads,
            cache: (0..n_dec).map(|_| None).collect(),
            cross: Vec::new(),
        };
        Decoder::Cpu {
            step: Box::new(step),
            batch: Box::new(batch),
        }
    } else {
        Decoder::Candle(Box::new(CandleDecoder {
            embed: Some(l.tensor("decoder/embeddings/weight", &[vocab, d])?),
            pos,
            layers: dec_layers,
            ln,
            heads,
            cache: (0..n_dec).map(|_| None).collect(),
            cross: Vec::new(),
        }))
    };
    Ok(Network {
        encoder,
        cross_kv,
        decoder,
        d,
        heads,
        vocab,
    })
}
