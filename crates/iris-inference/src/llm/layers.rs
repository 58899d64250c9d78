//! Building blocks shared by the llama and Gemma 3 modules: quantized embedding lookup,
//! rotary tables computed for the positions at hand (no 131,072-row tables), a KV cache
//! written in place, and grouped-query attention with an optional sliding window.

use std::sync::Arc;

use std::borrow::Cow;

use candle_core::quantized::{GgmlDType, QMatMul, QStorage, QTensor};
use candle_core::{D, DType, Device, Module, Result, Tensor};

/// A token-embedding table kept quantized (Gemma's is 262,144 × 640: 178 MB as Q8_0,
/// 671 MB as f32); rows are dequantized when looked up.
#[derive(Debug, Clone)]
pub(crate) struct Embedding {
    table: Arc<QTensor>,
}

impl Embedding {
    pub fn new(table: Arc<QTensor>) -> Self {
        Self { table }
    }

    /// (1, ids.len(), hidden) f32.
    pub fn forward(&self, ids: &[u32], device: &Device) -> Result<Tensor> {
        let ids = Tensor::new(ids, &self.table.device())?;
        self.table.embedding(&ids)?.to_device(device)?.unsqueeze(0)
    }
}

/// A weight matrix applied as `x · Wᵀ`.
#[derive(Debug, Clone)]
pub(crate) struct Linear(QMatMul);

impl Linear {
    pub fn new(w: Arc<QTensor>) -> Result<Self> {
        Ok(Self(QMatMul::from_arc(w)?))
    }

    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.0.forward(x)
    }
}

/// Several weight matrices applied to the same input (q/k/v, gate/up). When they share a
/// quantized format and input width they are joined into one matrix (rows one after the
/// other): one matmul, one quantization of the input and one dispatch to the worker threads
/// instead of several, with the same results row by row.
#[derive(Debug, Clone)]
pub(crate) enum Projections {
    Joined { w: Linear, rows: Vec<usize> },
    Apart(Vec<Linear>),
}

impl Projections {
    pub fn new(ws: Vec<Arc<QTensor>>) -> Result<Self> {
        let dtype = ws[0].dtype();
        let (_, k) = ws[0].shape().dims2()?;
        let joinable = ws.len() > 1
            && !matches!(dtype, GgmlDType::F32 | GgmlDType::F16 | GgmlDType::BF16)
            && ws[0].device().is_cpu()
            && ws
                .iter()
                .all(|w| w.dtype() == dtype && w.shape().dims2().is_ok_and(|(_, kk)| kk == k));
        if !joinable {
            return Ok(Self::Apart(
                ws.into_iter().map(Linear::new).collect::<Result<_>>()?,
            ));
        }
        let mut rows = Vec::with_capacity(ws.len());
        let mut bytes = Vec::new();
        for w in &ws {
            rows.push(w.shape().dims2()?.0);
            bytes.extend_from_slice(&w.data()?);
        }
        drop(ws);
        let n: usize = rows.iter().sum();
        let storage = QStorage::from_data(Cow::Owned(bytes), &Device::Cpu, dtype)?;
        Self::joined(Arc::new(QTensor::new(storage, (n, k))?), rows)
    }

    /// A matrix already joined: `rows` of each part, in order.
    pub fn joined(w: Arc<QTensor>, rows: Vec<usize>) -> Result<Self> {
        let (n, _) = w.shape().dims2()?;
        if rows.iter().sum::<usize>() != n {
            candle_core::bail!("joined matrix has {n} rows, its parts {rows:?}");
        }
        Ok(Self::Joined {
            w: Linear::new(w)?,
            rows,
        })
    }

    /// One output per matrix, in order.
    pub fn forward(&self, x: &Tensor) -> Result<Vec<Tensor>> {
        match self {
            Self::Apart(ls) => ls.iter().map(|l| l.forward(x)).collect(),
            Self::Joined { w, rows } => {
                let y = w.forward(x)?;
                let mut out = Vec::with_capacity(rows.len());
                let mut at = 0;
                for &r in rows {
                    out.push(y.narrow(D::Minus1, at, r)?);
                    at += r;
                }
                Ok(out)
            }
        }
    }
}

/// RMS normalization with the weight as stored in the GGUF file.
#[derive(Debug, Clone)]
pub(crate) struct RmsNorm {
    weight: Tensor,
    eps: f32,
}

impl RmsNorm {
    pub fn new(weight: Tensor, eps: f64) -> Self {
        Self {
            weight,
            eps: eps as f32,
        }
    }

    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        candle_nn::ops::rms_norm(&x.contiguous()?, &self.weight, self.eps)
    }
}

/// Rotary embedding of one frequency base.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rope {
    pub base: f64,
    /// Positions are multiplied by this (linear rope scaling: 1 / factor).
    pub freq_scale: f64,
    /// Rotated dimensions (the head dimension for both families here).
    pub dim: usize,
    /// Pairs (2i, 2i+1) as llama.cpp's "norm" rope (llama); else (i, i + d/2) ("neox",
    /// Gemma).
    pub interleaved: bool,
}

/// Cos/sin tables for positions `pos..pos + seq`, each (seq, dim / 2).
#[derive(Debug, Clone)]
pub(crate) struct RopeTables {
    cos: Tensor,
    sin: Tensor,
    interleaved: bool,
}

impl Rope {
    pub fn tables(&self, pos: usize, seq: usize, device: &Device) -> Result<RopeTables> {
        let half = self.dim / 2;
        let inv: Vec<f64> = (0..half)
            .map(|i| self.base.powf(-((2 * i) as f64) / self.dim as f64))
            .collect();
        let mut cos = Vec::with_capacity(seq * half);
        let mut sin = Vec::with_capacity(seq * half);
        for t in 0..seq {
            let p = (pos + t) as f64 * self.freq_scale;
            for f in &inv {
                let a = p * f;
                cos.push(a.cos() as f32);
                sin.push(a.sin() as f32);
            }
        }
        Ok(RopeTables {
            cos: Tensor::from_vec(cos, (seq, half), device)?,
            sin: Tensor::from_vec(sin, (seq, half), device)?,
            interleaved: self.interleaved,
        })
    }
}

impl RopeTables {
    /// x: (b, heads, seq, dim), contiguous.
    pub fn apply(&self, x: &Tensor) -> Result<Tensor> {
        if self.interleaved {
            candle_nn::rotary_emb::rope_i(x, &self.cos, &self.sin)
        } else {
            candle_nn::rotary_emb::rope(x, &self.cos, &self.sin)
        }
    }
}

/// Keys and values of the positions seen so far, (1, kv_heads, capacity, head_dim), written
/// in place; the storage is kept between requests and grows when a request needs more.
#[derive(Debug, Clone, Default)]
pub(crate) struct KvCache {
    k: Option<Tensor>,
    v: Option<Tensor>,
    len: usize,
    hint: usize,
}

impl KvCache {
    /// Forgets every position; `capacity` is what the next request will need at most.
    pub fn reset(&mut self, capacity: usize) {
        self.len = 0;
        self.hint = capacity;
        // Give back a much larger buffer than needed (a long request earlier).
        if let Some(k) = &self.k
            && k.dim(2).unwrap_or(0) > capacity.max(1024) * 4
        {
            self.k = None;
            self.v = None;
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    fn capacity(&self) -> usize {
        self.k.as_ref().map_or(0, |k| k.dim(2).unwrap_or(0))
    }

    /// k, v: (1, kv_heads, seq, head_dim), contiguous.
    pub fn append(&mut self, k: &Tensor, v: &Tensor) -> Result<()> {
        let seq = k.dim(2)?;
        let need = self.len + seq;
        if need > self.capacity() {
            let cap = need.max(self.hint).max(self.capacity() * 2).max(16);
            let (b, h, _, d) = k.dims4()?;
            let nk = Tensor::zeros((b, h, cap, d), k.dtype(), k.device())?;
            let nv = Tensor::zeros((b, h, cap, d), v.dtype(), v.device())?;
            if let (Some(ok), Some(ov)) = (&self.k, &self.v)
                && self.len > 0
            {
                nk.slice_set(&ok.narrow(2, 0, self.len)?.contiguous()?, 2, 0)?;
                nv.slice_set(&ov.narrow(2, 0, self.len)?.contiguous()?, 2, 0)?;
            }
            self.k = Some(nk);
            self.v = Some(nv);
        }
        let (ck, cv) = match (&self.k, &self.v) {
            (Some(ck), Some(cv)) => (ck, cv),
            _ => candle_core::bail!("kv cache not allocated"),
        };
        ck.slice_set(k, 2, self.len)?;
        cv.slice_set(v, 2, self.len)?;
        self.len = need;
        Ok(())
    }

    /// Positions `start..len` (strided views into the cache).
    pub fn view(&self, start: usize) -> Result<(Tensor, Tensor)> {
        match (&self.k, &self.v) {
            (Some(k), Some(v)) => Ok((
                k.narrow(2, start, self.len - start)?,
                v.narrow(2, start, self.len - start)?,
            )),
            _ => candle_core::bail!("kv cache is empty"),
        }
    }
}

/// Self-attention with grouped KV heads, optional q/k RMS norms (Gemma 3) and an optional
/// sliding window (a query at position p sees keys p - window < k ≤ p, as llama.cpp's
/// `LLAMA_SWA_TYPE_STANDARD`).
#[derive(Debug, Clone)]
pub(crate) struct Attention {
    /// q, k, v.
    pub qkv: Projections,
    pub wo: Linear,
    pub q_norm: Option<RmsNorm>,
    pub k_norm: Option<RmsNorm>,
    pub n_head: usize,
    pub n_kv_head: usize,
    pub head_dim: usize,
    /// Multiplies the queries (1 / sqrt(head_dim), or Gemma's query_pre_attn_scalar^-½).
    pub q_scale: f64,
    pub window: Option<usize>,
    pub cache: KvCache,
}

impl Attention {
    /// x: (1, seq, hidden) for positions `pos..pos + seq`; the cache must hold `pos`
    /// positions.
    pub fn forward(&mut self, x: &Tensor, pos: usize, rope: &RopeTables) -> Result<Tensor> {
        let (b, seq, _) = x.dims3()?;
        if self.cache.len() != pos {
            candle_core::bail!(
                "kv cache holds {} positions, the input starts at {pos}",
                self.cache.len()
            );
        }
        let (nh, nkv, hd) = (self.n_head, self.n_kv_head, self.head_dim);
        let qkv = self.qkv.forward(x)?;
        let (q, k, v) = match qkv.as_slice() {
            [q, k, v] => (q, k, v),
            _ => candle_core::bail!("expected q, k and v projections"),
        };
        let q = q.reshape((b, seq, nh, hd))?.transpose(1, 2)?.contiguous()?;
        let k = k
            .reshape((b, seq, nkv, hd))?
            .transpose(1, 2)?
            .contiguous()?;
        let v = v
            .reshape((b, seq, nkv, hd))?
            .transpose(1, 2)?
            .contiguous()?;
        let q = match &self.q_norm {
            Some(n) => n.forward(&q)?,
            None => q,
        };
        let k = match &self.k_norm {
            Some(n) => n.forward(&k)?,
            None => k,
        };
        let q = (rope.apply(&q)? * self.q_scale)?;
        let k = rope.apply(&k)?;
        self.cache.append(&k, &v)?;

        // Keys the first query of the chunk can see; later ones see at least as far.
        let kv_start = match self.window {
            Some(w) => (pos + 1).saturating_sub(w),
            None => 0,
        };
        let (k, v) = self.cache.view(kv_start)?;
        let kv_len = k.dim(2)?;
        let n_rep = nh / nkv;
        // Queries grouped by their KV head: (b, kv_heads, n_rep * seq, hd); no copy of K/V.
        let q = q.reshape((b, nkv, n_rep * seq, hd))?;
        let att = q.matmul(&k.t()?)?;
        let att = if seq > 1 {
            let mask = mask(seq, pos, kv_start, self.window, x.device())?;
            att.reshape((b, nkv, n_rep, seq, kv_len))?
                .broadcast_add(&mask)?
                .reshape((b, nkv, n_rep * seq, kv_len))?
        } else {
            att
        };
        let att = candle_nn::ops::softmax_last_dim(&att)?;
        let y = att.matmul(&v)?;
        let y = y
            .reshape((b, nh, seq, hd))?
            .transpose(1, 2)?
            .reshape((b, seq, nh * hd))?;
        self.wo.forward(&y)
    }
}

/// Additive mask (seq, kv_len): 0 where query `pos + i` may see key `kv_start + j`, -inf
/// elsewhere (future keys, keys out of the window).
fn mask(
    seq: usize,
    pos: usize,
    kv_start: usize,
    window: Option<usize>,
    device: &Device,
) -> Result<Tensor> {
    let kv_len = pos + seq - kv_start;
    let mut m = Vec::with_capacity(seq * kv_len);
    for i in 0..seq {
        let q = pos + i;
        for j in 0..kv_len {
            let k = kv_start + j;
            let hidden = k > q || window.is_some_and(|w| q - k >= w);
            m.push(if hidden { f32::NEG_INFINITY } else { 0.0 });
        }
    }
    Tensor::from_vec(m, (seq, kv_len), device)?.to_dtype(DType::F32)
}

/// The index of the largest value (the first one on a tie, as llama.cpp's greedy sampler).
pub(crate) fn argmax(xs: &[f32]) -> u32 {
    let mut best = 0usize;
    let mut best_v = f32::NEG_INFINITY;
    for (i, &v) in xs.iter().enumerate() {
        if v > best_v {
            best_v = v;
            best = i;
        }
    }
    best as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sliding_window_mask_hides_future_and_far_keys() {
        let m = mask(3, 4, 2, Some(3), &Device::Cpu).unwrap();
        let v: Vec<Vec<f32>> = m.to_vec2().unwrap();
        // queries 4, 5, 6; keys 2..=6; window 3: q sees q-2..=q
        let vis: Vec<Vec<bool>> = v
            .iter()
            .map(|r| r.iter().map(|x| *x == 0.0).collect())
            .collect();
        assert_eq!(
            vis,
            vec![
                vec![true, true, true, false, false],
                vec![false, true, true, true, false],
                vec![false, false, true, true, true],
            ]
        );
    }

    #[test]
    fn the_kv_cache_grows_and_keeps_what_it_held() {
        let mut c = KvCache::default();
        c.reset(2);
        let a = Tensor::ones((1, 1, 2, 4), DType::F32, &Device::Cpu).unwrap();
        c.append(&a, &a).unwrap();
        let b = (Tensor::ones((1, 1, 3, 4), DType::F32, &Device::Cpu).unwrap() * 2.0).unwrap();
        c.append(&b, &b).unwrap();
        let (k, _) = c.view(0).unwrap();
        let sums: Vec<f32> = k.sum(3).unwrap().flatten_all().unwrap().to_vec1().unwrap();
        assert_eq!(sums, vec![4.0, 4.0, 8.0, 8.0, 8.0]);
        let (k, _) = c.view(3).unwrap();
        assert_eq!(k.dims(), &[1, 1, 2, 4]);
        c.reset(8);
        assert_eq!(c.len(), 0);
    }

    #[test]
    fn joined_projections_give_the_same_outputs_as_separate_ones() {
        let dev = Device::Cpu;
        let ws: Vec<Arc<QTensor>> = [(48, 64), (16, 64), (16, 64)]
            .into_iter()
            .enumerate()
            .map(|(i, shape)| {
                let t = Tensor::randn(i as f32 * 0.1, 1.0, shape, &dev).unwrap();
                Arc::new(QTensor::quantize(&t, GgmlDType::Q8_0).unwrap())
            })
            .collect();
        let joined = Projections::new(ws.clone()).unwrap();
        assert!(matches!(joined, Projections::Joined { .. }));
        let x = Tensor::randn(0f32, 1.0, (1, 3, 64), &dev).unwrap();
        let a = joined.forward(&x).unwrap();
        for (w, y) in ws.into_iter().zip(a) {
            let want: Vec<f32> = Linear::new(w)
                .unwrap()
                .forward(&x)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1()
                .unwrap();
            let got: Vec<f32> = y.flatten_all().unwrap().to_vec1().unwrap();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn argmax_takes_the_first_maximum() {
        assert_eq!(argmax(&[0.0, 3.0, 1.0, 3.0]), 1);
    }
}
