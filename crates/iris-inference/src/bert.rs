//! The BERT encoder on the CPU, without padding: the tokens of every sentence of a batch are
//! packed into one `[tokens][d]` matrix for the dense layers (candle's gemm), and attention
//! runs per sentence and head over that sentence's own tokens only, in plain Rust on rayon's
//! pool (with the fast `exp`/GELU kernels of [`crate::whisper::cpu`]). The result equals the
//! padded, masked computation (a masked key's softmax weight underflows to exactly zero there),
//! but no work goes to padding, and the many tiny per-head matrix products that candle would
//! hand to gemm one by one become straight loops.
//!
//! Used for [`crate::Embedder`] on the CPU; GPUs run candle's own BERT.

use candle_core::{Device, Tensor};
use candle_nn::VarBuilder;
use rayon::prelude::*;

use crate::error::{InferenceError, Result};
use crate::whisper::cpu::{dot, gelu, simd, softmax_row, sum8};

/// What the fast path needs from config.json; `None` from [`Shape::from_config`] when the
/// model is outside it (another activation, relative positions): candle's BERT runs it then.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub d: usize,
    pub heads: usize,
    pub layers: usize,
    pub inter: usize,
    pub eps: f32,
    pub positions: usize,
    pub types: usize,
}

impl Shape {
    pub fn from_config(v: &serde_json::Value) -> Option<Shape> {
        let n = |k: &str| v[k].as_u64().map(|x| x as usize);
        let act = v["hidden_act"].as_str().unwrap_or("gelu");
        let pos = v["position_embedding_type"].as_str().unwrap_or("absolute");
        if act != "gelu" || pos != "absolute" {
            return None;
        }
        let s = Shape {
            d: n("hidden_size")?,
            heads: n("num_attention_heads")?,
            layers: n("num_hidden_layers")?,
            inter: n("intermediate_size")?,
            eps: v["layer_norm_eps"].as_f64().unwrap_or(1e-12) as f32,
            positions: n("max_position_embeddings").unwrap_or(512),
            types: n("type_vocab_size").unwrap_or(2),
        };
        (s.heads > 0 && s.d.is_multiple_of(s.heads)).then_some(s)
    }
}

struct Norm {
    g: Vec<f32>,
    b: Vec<f32>,
}

/// A dense layer: weight `[out][in]` as a candle tensor (its gemm), bias added here.
struct Dense {
    w: Tensor,
    b: Vec<f32>,
}

impl Dense {
    fn load(vb: &VarBuilder, name: &str, out: usize, inp: usize) -> candle_core::Result<Dense> {
        Ok(Dense {
            w: vb.get((out, inp), &format!("{name}.weight"))?,
            b: vb.get(out, &format!("{name}.bias"))?.to_vec1()?,
        })
    }

    /// `x` `[rows][in]` → `[rows][out]`.
    fn forward(&self, x: &[f32], rows: usize) -> candle_core::Result<Vec<f32>> {
        if rows <= SMALL_ROWS {
            return self.forward_small(x, rows);
        }
        let inp = x.len() / rows.max(1);
        let x = Tensor::from_slice(x, (rows, inp), &Device::Cpu)?;
        let mut y = x.matmul(&self.w.t()?)?.flatten_all()?.to_vec1::<f32>()?;
        let out = self.b.len();
        y.par_chunks_mut(out * 64).for_each(|c| {
            for row in c.chunks_mut(out) {
                for (v, b) in row.iter_mut().zip(&self.b) {
                    *v += b;
                }
            }
        });
        Ok(y)
    }
}

/// Up to this many rows (tokens), a dense layer is row-by-row dot products over the weights
/// ([`Dense::forward_small`]): gemm packs the whole weight matrix on every call, which costs
/// as much as the product itself when there are few rows (one short sentence).
const SMALL_ROWS: usize = 48;

impl Dense {
    fn forward_small(&self, x: &[f32], rows: usize) -> candle_core::Result<Vec<f32>> {
        let out = self.b.len();
        let inp = x.len() / rows.max(1);
        let (storage, layout) = self.w.storage_and_layout();
        let candle_core::Storage::Cpu(cpu) = &*storage else {
            candle_core::bail!("the fast BERT path runs on the CPU");
        };
        let w = &cpu.as_slice::<f32>()?[layout.start_offset()..][..out * inp];
        // yᵀ `[out][rows]`, split over threads by output rows.
        let chunk = out.div_ceil(rayon::current_num_threads() * 4).max(8);
        let mut yt = vec![0f32; out * rows];
        yt.par_chunks_mut(chunk * rows)
            .enumerate()
            .for_each(|(c, block)| {
                simd(
                    #[inline(always)]
                    || {
                        for (j, col) in block.chunks_mut(rows).enumerate() {
                            let o = c * chunk + j;
                            let wo = &w[o * inp..(o + 1) * inp];
                            for (r, y) in col.iter_mut().enumerate() {
                                *y = dot(&x[r * inp..(r + 1) * inp], wo) + self.b[o];
                            }
                        }
                    },
                )
            });
        let mut y = vec![0f32; rows * out];
        for (o, col) in yt.chunks(rows).enumerate() {
            for (r, v) in col.iter().enumerate() {
                y[r * out + o] = *v;
            }
        }
        Ok(y)
    }
}

struct Layer {
    /// Query, key and value in one `[3d][d]` matrix.
    qkv: Dense,
    o: Dense,
    ln1: Norm,
    up: Dense,
    down: Dense,
    ln2: Norm,
}

pub(crate) struct FastBert {
    shape: Shape,
    word: Vec<f32>,
    pos: Vec<f32>,
    ty: Vec<f32>,
    ln: Norm,
    layers: Vec<Layer>,
}

impl FastBert {
    /// From a VarBuilder over the safetensors (with or without a `bert.` prefix).
    pub fn load(vb: VarBuilder, s: Shape) -> candle_core::Result<FastBert> {
        let vb = if vb.contains_tensor("embeddings.word_embeddings.weight") {
            vb
        } else {
            vb.pp("bert")
        };
        let d = s.d;
        let vec =
            |name: &str, n: usize| -> candle_core::Result<Vec<f32>> { vb.get(n, name)?.to_vec1() };
        let norm = |p: &str| -> candle_core::Result<Norm> {
            Ok(Norm {
                g: vec(&format!("{p}.weight"), d)?,
                b: vec(&format!("{p}.bias"), d)?,
            })
        };
        let word = vb.get_unchecked("embeddings.word_embeddings.weight")?;
        let (_, wd) = word.dims2()?;
        if wd != d {
            candle_core::bail!("word embeddings are {wd} wide, hidden_size is {d}");
        }
        let mut layers = Vec::with_capacity(s.layers);
        for i in 0..s.layers {
            let p = format!("encoder.layer.{i}");
            let part = |n: &str| Dense::load(&vb, &format!("{p}.attention.self.{n}"), d, d);
            let (q, k, v) = (part("query")?, part("key")?, part("value")?);
            let qkv = Dense {
                w: Tensor::cat(&[&q.w, &k.w, &v.w], 0)?.contiguous()?,
                b: [q.b, k.b, v.b].concat(),
            };
            layers.push(Layer {
                qkv,
                o: Dense::load(&vb, &format!("{p}.attention.output.dense"), d, d)?,
                ln1: norm(&format!("{p}.attention.output.LayerNorm"))?,
                up: Dense::load(&vb, &format!("{p}.intermediate.dense"), s.inter, d)?,
                down: Dense::load(&vb, &format!("{p}.output.dense"), d, s.inter)?,
                ln2: norm(&format!("{p}.output.LayerNorm"))?,
            });
        }
        Ok(FastBert {
            shape: s,
            word: word.flatten_all()?.to_vec1()?,
            pos: vb
                .get((s.positions, d), "embeddings.position_embeddings.weight")?
                .flatten_all()?
                .to_vec1()?,
            ty: vb
                .get((s.types, d), "embeddings.token_type_embeddings.weight")?
                .flatten_all()?
                .to_vec1()?,
            ln: norm("embeddings.LayerNorm")?,
            layers,
        })
    }

    /// The last hidden states of each sentence (`ids` and `types` of its real tokens), packed:
    /// `[Σ lengths][d]`, sentence after sentence.
    pub fn forward(&self, ids: &[&[u32]], types: &[&[u32]]) -> Result<Vec<f32>> {
        let s = self.shape;
        let d = s.d;
        let lens: Vec<usize> = ids.iter().map(|t| t.len()).collect();
        let rows: usize = lens.iter().sum();
        let vocab = self.word.len() / d;
        let mut x = vec![0f32; rows * d];
        let mut r = 0;
        for (seq, ty) in ids.iter().zip(types) {
            if seq.len() > s.positions {
                return Err(InferenceError::InvalidInput(
                    "input longer than the model's positions".into(),
                ));
            }
            for (p, (&id, &t)) in seq.iter().zip(ty.iter()).enumerate() {
                let (id, t) = (id as usize, t as usize);
                if id >= vocab || t >= s.types {
                    return Err(InferenceError::InvalidInput(
                        "token id out of the model's vocabulary".into(),
                    ));
                }
                let out = &mut x[r * d..(r + 1) * d];
                for (j, o) in out.iter_mut().enumerate() {
                    *o = self.word[id * d + j] + self.pos[p * d + j] + self.ty[t * d + j];
                }
                r += 1;
            }
        }
        norm_rows(&mut x, None, &self.ln, s.eps);
        for l in &self.layers {
            let qkv = l.qkv.forward(&x, rows)?;
            let ctx = attention(&qkv, &lens, s.heads, d);
            let a = l.o.forward(&ctx, rows)?;
            norm_rows(&mut x, Some(&a), &l.ln1, s.eps);
            let mut h = l.up.forward(&x, rows)?;
            h.par_chunks_mut(16 * 1024).for_each(|c| {
                simd(
                    #[inline(always)]
                    || {
                        for v in c {
                            *v = gelu(*v);
                        }
                    },
                )
            });
            let o = l.down.forward(&h, rows)?;
            norm_rows(&mut x, Some(&o), &l.ln2, s.eps);
        }
        Ok(x)
    }
}

/// `x ← LayerNorm(x + add)` row by row (`add` absent: `x ← LayerNorm(x)`).
fn norm_rows(x: &mut [f32], add: Option<&[f32]>, n: &Norm, eps: f32) {
    let d = n.g.len();
    let rows_per_task = 32;
    x.par_chunks_mut(d * rows_per_task)
        .enumerate()
        .for_each(|(c, chunk)| {
            simd(
                #[inline(always)]
                || {
                    for (i, row) in chunk.chunks_mut(d).enumerate() {
                        if let Some(a) = add {
                            let r = c * rows_per_task + i;
                            for (v, a) in row.iter_mut().zip(&a[r * d..(r + 1) * d]) {
                                *v += a;
                            }
                        }
                        let mean = sum8(row) / d as f32;
                        let mut var = 0f32;
                        for v in row.iter() {
                            var += (v - mean) * (v - mean);
                        }
                        let inv = 1.0 / (var / d as f32 + eps).sqrt();
                        for ((v, g), b) in row.iter_mut().zip(&n.g).zip(&n.b) {
                            *v = (*v - mean) * inv * g + b;
                        }
                    }
                },
            )
        });
}

/// Scaled dot-product attention of each sentence and head over the sentence's own tokens.
/// `qkv` is `[rows][3d]` (queries, keys, values); the result `[rows][d]`.
fn attention(qkv: &[f32], lens: &[usize], heads: usize, d: usize) -> Vec<f32> {
    let dh = d / heads;
    let scale = 1.0 / (dh as f32).sqrt();
    let mut starts = Vec::with_capacity(lens.len());
    let mut r = 0;
    for &l in lens {
        starts.push(r);
        r += l;
    }
    let tasks: Vec<(usize, usize, usize)> = starts
        .iter()
        .zip(lens)
        .flat_map(|(&s, &l)| (0..heads).map(move |h| (s, l, h)))
        .collect();
    let parts: Vec<Vec<f32>> = tasks
        .par_iter()
        .map(|&(start, len, h)| {
            simd(
                #[inline(always)]
                || {
                    let row = |i: usize, which: usize| {
                        let o = (start + i) * 3 * d + which * d + h * dh;
                        &qkv[o..o + dh]
                    };
                    let mut out = vec![0f32; len * dh];
                    let mut p = vec![0f32; len];
                    for i in 0..len {
                        let q = row(i, 0);
                        for (j, pj) in p.iter_mut().enumerate() {
                            *pj = dot(q, row(j, 1)) * scale;
                        }
                        softmax_row(&mut p);
                        let o = &mut out[i * dh..(i + 1) * dh];
                        for (j, &pj) in p.iter().enumerate() {
                            for (a, v) in o.iter_mut().zip(row(j, 2)) {
                                *a += pj * v;
                            }
                        }
                    }
                    out
                },
            )
        })
        .collect();
    let mut ctx = vec![0f32; r * d];
    for ((start, len, h), part) in tasks.into_iter().zip(parts) {
        for i in 0..len {
            ctx[(start + i) * d + h * dh..(start + i) * d + (h + 1) * dh]
                .copy_from_slice(&part[i * dh..(i + 1) * dh]);
        }
    }
    ctx
}
