//! CPU kernels for Whisper, in plain (safe) Rust that the compiler vectorizes, run on rayon's
//! pool (the one candle's gemm uses) and, where the CPU has AVX2, compiled for it through
//! pulp's runtime dispatch ([`simd`]):
//!
//! - in-place GELU and row softmax for candle tensors on the CPU (candle's versions call the
//!   scalar `erf`/`exp` of libm element by element, single-threaded for GELU);
//! - the decoder for one token at a time. Every product there is a matrix–vector product,
//!   where gemm's blocking and thread hand-off cost more than the arithmetic: here each is a
//!   row-by-row dot product over weights kept `[out][in]` (the file's layout), split over
//!   threads by output rows; the attention keys/values are kept per position; the 51,864
//!   logits are dot products with the (tied) embedding rows. Decoding one token reads every
//!   decoder weight once and is bound by memory bandwidth, so the weights stay float16 where
//!   AVX2 widens them cheaply ([`Mat`]).

use candle_core::{CpuStorage, InplaceOp1, Layout, Tensor};
use rayon::prelude::*;

use crate::error::{InferenceError, Result};

/// Runs `f` compiled for AVX-512 (x86-64-v4) or AVX2 (+FMA, F16C) when the CPU has it, as
/// plain x86-64 (SSE2) otherwise: pulp's runtime dispatch, which is safe to call. The kernels
/// are written as straight loops inlined into `f`, which the compiler vectorizes for the
/// wider registers. Their sums keep a fixed number of partial sums and use plain
/// multiplications and additions (no fused multiply-add), so every path computes the same
/// values.
#[inline(always)]
pub(crate) fn simd<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        if let Some(v4) = pulp::x86::V4::try_new() {
            return v4.vectorize(f);
        }
        if let Some(v3) = pulp::x86::V3::try_new() {
            return v3.vectorize(f);
        }
    }
    f()
}

/// e^x for x ≤ 0 (and moderately positive x), relative error ≈ 1e-7: Cephes' polynomial,
/// branch-free so loops over it vectorize. Inputs below −87 give 0.
#[inline(always)]
pub(crate) fn exp(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const ROUND: f32 = 12_582_912.0; // 1.5·2^23: adding it rounds to an integer
    let xc = x.clamp(-87.0, 88.0);
    let n = (xc * LOG2E + ROUND) - ROUND;
    let r = xc - n * 0.693_359_4 - n * -2.121_944_4e-4;
    let z = r * r;
    let p = ((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r
        + 1.666_666_5e-1)
        * r
        + 0.5;
    let y = p * z + r + 1.0;
    // Wrapping ops: nothing overflows here, and no overflow check keeps the loop vectorized.
    let pow2n = f32::from_bits(((n as i32).wrapping_add(127) as u32).wrapping_shl(23));
    if x < -87.0 { 0.0 } else { y * pow2n }
}

/// erf(x), absolute error < 1e-6: a rational approximation on [−4, 4] (erf is ±1 to f32
/// precision outside), branch-free.
#[inline(always)]
pub(super) fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = -2.726_142_3e-10f32;
    p = p * x2 + 2.770_681_4e-8;
    p = p * x2 + -2.101_024e-6;
    p = p * x2 + -5.692_506_4e-5;
    p = p * x2 + -7.349_906_3e-4;
    p = p * x2 + -2.954_6e-3;
    p = p * x2 + -1.609_603_3e-2;
    p *= x;
    let mut q = -1.456_607_2e-5f32;
    q = q * x2 + -2.133_740_6e-4;
    q = q * x2 + -1.682_827e-3;
    q = q * x2 + -7.373_329_2e-3;
    q = q * x2 + -1.426_473_9e-2;
    p / q
}

/// GELU with the exact (erf) form Whisper uses.
#[inline(always)]
pub(crate) fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

fn gelu_slice(v: &mut [f32]) {
    v.par_chunks_mut(16 * 1024).for_each(|c| {
        simd(
            #[inline(always)]
            || {
                for x in c {
                    *x = gelu(*x);
                }
            },
        )
    });
}

#[inline(always)]
pub(crate) fn sum8(v: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (chunks, tail) = v.as_chunks::<8>();
    for c in chunks {
        for i in 0..8 {
            acc[i] += c[i];
        }
    }
    acc.iter().sum::<f32>() + tail.iter().sum::<f32>()
}

#[inline(always)]
fn max8(v: &[f32]) -> f32 {
    let mut acc = [f32::NEG_INFINITY; 8];
    let (chunks, tail) = v.as_chunks::<8>();
    for c in chunks {
        for i in 0..8 {
            acc[i] = acc[i].max(c[i]);
        }
    }
    acc.iter()
        .chain(tail)
        .copied()
        .fold(f32::NEG_INFINITY, f32::max)
}

/// Softmax of one row in place.
#[inline(always)]
pub(crate) fn softmax_row(row: &mut [f32]) {
    let max = max8(row);
    for x in row.iter_mut() {
        *x = exp(*x - max);
    }
    let inv = 1.0 / sum8(row);
    for x in row.iter_mut() {
        *x *= inv;
    }
}

fn softmax_rows(v: &mut [f32], cols: usize) {
    let rows_per_task = (8192 / cols.max(1)).max(1);
    v.par_chunks_mut(cols * rows_per_task).for_each(|c| {
        simd(
            #[inline(always)]
            || {
                for row in c.chunks_mut(cols) {
                    softmax_row(row);
                }
            },
        )
    });
}

fn contiguous_f32<'a>(
    storage: &'a mut CpuStorage,
    layout: &Layout,
) -> candle_core::Result<&'a mut [f32]> {
    let (a, b) = layout
        .contiguous_offsets()
        .ok_or_else(|| candle_core::Error::Msg("whisper kernel: tensor not contiguous".into()))?;
    match storage {
        CpuStorage::F32(v) => Ok(&mut v[a..b]),
        _ => Err(candle_core::Error::Msg("whisper kernel: f32 only".into())),
    }
}

struct GeluOp;

impl InplaceOp1 for GeluOp {
    fn name(&self) -> &'static str {
        "whisper-gelu"
    }
    fn cpu_fwd(&self, storage: &mut CpuStorage, layout: &Layout) -> candle_core::Result<()> {
        gelu_slice(contiguous_f32(storage, layout)?);
        Ok(())
    }
}

struct SoftmaxOp;

impl InplaceOp1 for SoftmaxOp {
    fn name(&self) -> &'static str {
        "whisper-softmax"
    }
    fn cpu_fwd(&self, storage: &mut CpuStorage, layout: &Layout) -> candle_core::Result<()> {
        let cols = *layout.dims().last().unwrap_or(&1);
        softmax_rows(contiguous_f32(storage, layout)?, cols);
        Ok(())
    }
}

/// GELU of a tensor that nothing else shares (the output of the op before): in place on the
/// CPU, candle's `gelu_erf` elsewhere.
pub(super) fn gelu_owned(t: Tensor) -> Result<Tensor> {
    if t.device().is_cpu() && t.dtype() == candle_core::DType::F32 && t.is_contiguous() {
        t.inplace_op1(&GeluOp)?;
        Ok(t)
    } else {
        Ok(t.gelu_erf()?)
    }
}

/// Softmax over the last dimension of a tensor that nothing else shares.
pub(super) fn softmax_owned(t: Tensor) -> Result<Tensor> {
    if t.device().is_cpu() && t.dtype() == candle_core::DType::F32 && t.is_contiguous() {
        t.inplace_op1(&SoftmaxOp)?;
        Ok(t)
    } else {
        Ok(candle_nn::ops::softmax_last_dim(&t)?)
    }
}

// ---------------------------------------------------------------------------------------------
// Decoder, one token at a time

/// Matrices at least this large are multiplied on several threads.
const PARALLEL_WEIGHTS: usize = 64 * 1024;

/// Decoder weights, row-major. Decoding one token reads all of them once (it is bound by
/// memory bandwidth), so where the CPU has AVX2 they are kept as the float16 bits the file
/// holds and widened in the dot products (exactly: same products as with the f32 values), which
/// halves that traffic and their memory; f32 otherwise (or if a value is not a float16).
#[derive(Debug)]
pub(super) enum Mat {
    F32(Vec<f32>),
    F16(Vec<u16>),
}

impl Mat {
    pub fn new(v: Vec<f32>) -> Mat {
        #[cfg(target_arch = "x86_64")]
        if pulp::x86::V3::is_available() {
            let bits: Option<Vec<u16>> = v.iter().map(|&x| f16_bits_exact(x)).collect();
            if let Some(bits) = bits {
                return Mat::F16(bits);
            }
        }
        Mat::F32(v)
    }

    /// A float16 variable straight from the file's little-endian bytes (no f32 copy on the
    /// way) when float16 storage is used; `None` otherwise.
    pub fn from_f16_bytes(bytes: &[u8]) -> Option<Mat> {
        #[cfg(target_arch = "x86_64")]
        if pulp::x86::V3::is_available() {
            let bits: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect();
            // Finite values only (exponent bits not all ones).
            if bits.iter().all(|&h| h & 0x7c00 != 0x7c00) {
                return Some(Mat::F16(bits));
            }
        }
        let _ = bytes;
        None
    }

    /// Dot product of row `r` (of length `n`) with `x`.
    #[inline(always)]
    fn dot_row(&self, r: usize, n: usize, x: &[f32]) -> f32 {
        match self {
            Mat::F32(v) => dot(&v[r * n..(r + 1) * n], x),
            Mat::F16(v) => dot_f16(&v[r * n..(r + 1) * n], x),
        }
    }

    /// Row `r` (of length `n`) as f32.
    pub fn row(&self, r: usize, n: usize) -> Vec<f32> {
        match self {
            Mat::F32(v) => v[r * n..(r + 1) * n].to_vec(),
            Mat::F16(v) => v[r * n..(r + 1) * n]
                .iter()
                .map(|&h| f16_to_f32(h))
                .collect(),
        }
    }
}

/// The float16 bits of `x` if `x` is a finite float16 value exactly, `None` otherwise.
fn f16_bits_exact(x: f32) -> Option<u16> {
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let a = x.abs();
    let h = if a == 0.0 {
        0
    } else if a >= 6.103_515_6e-5 {
        // Normal: exponent 2^-14 ..= 2^15, 10 mantissa bits.
        let e = ((b >> 23) & 0xff) as i32 - 127 + 15;
        if !(1..=30).contains(&e) || b & 0x1fff != 0 {
            return None;
        }
        ((e as u32) << 10 | ((b >> 13) & 0x3ff)) as u16
    } else {
        // Subnormal: a multiple of 2^-24 below 2^-14.
        let m = a * 16_777_216.0;
        if m.fract() != 0.0 {
            return None;
        }
        m as u16
    };
    (f16_to_f32(sign | h).to_bits() == b).then_some(sign | h)
}

/// Float16 bits → f32, exact for every finite value (zero and subnormals included), branch-free
/// so that it vectorizes: the bits shifted into place and scaled by 2^112.
#[inline(always)]
fn f16_to_f32(h: u16) -> f32 {
    let h = h as u32;
    let v = f32::from_bits((h & 0x7fff) << 13) * f32::from_bits(0x7780_0000);
    f32::from_bits(v.to_bits() | ((h & 0x8000) << 16))
}

/// A linear layer as plain data: weight `[out][in]`, optional bias.
#[derive(Debug)]
pub(super) struct Lin {
    pub w: Mat,
    pub b: Option<Vec<f32>>,
    pub inp: usize,
    pub out: usize,
}

impl Lin {
    /// `y = W·x + b`, one dot product per output, output rows split over threads.
    fn apply(&self, x: &[f32], y: &mut [f32]) {
        debug_assert_eq!((x.len(), y.len()), (self.inp, self.out));
        let inp = self.inp;
        let rows = |y: &mut [f32], r0: usize| {
            simd(
                #[inline(always)]
                || {
                    for (j, yo) in y.iter_mut().enumerate() {
                        *yo = self.w.dot_row(r0 + j, inp, x);
                    }
                },
            )
        };
        if self.inp * self.out >= PARALLEL_WEIGHTS {
            let chunk = self.out.div_ceil(rayon::current_num_threads()).max(16);
            y.par_chunks_mut(chunk)
                .enumerate()
                .for_each(|(c, yc)| rows(yc, c * chunk));
        } else {
            rows(y, 0);
        }
        if let Some(b) = &self.b {
            for (yo, bo) in y.iter_mut().zip(b) {
                *yo += bo;
            }
        }
    }
}

#[derive(Debug)]
pub(super) struct Ln {
    pub g: Vec<f32>,
    pub b: Vec<f32>,
}

impl Ln {
    fn apply(&self, x: &[f32], y: &mut [f32]) {
        let n = x.len() as f32;
        let mean = sum8(x) / n;
        let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n;
        let inv = 1.0 / (var + 1e-5).sqrt();
        for (((o, v), g), b) in y.iter_mut().zip(x).zip(&self.g).zip(&self.b) {
            *o = (v - mean) * inv * g + b;
        }
    }
}

#[derive(Debug)]
pub(super) struct CpuLayer {
    pub self_ln: Ln,
    pub q: Lin,
    pub k: Lin,
    pub v: Lin,
    pub o: Lin,
    pub cross_ln: Ln,
    pub cross_q: Lin,
    pub cross_o: Lin,
    pub ffn_ln: Ln,
    pub fc1: Lin,
    pub fc2: Lin,
}

/// The decoder's weights as plain data and its per-window state.
#[derive(Debug)]
pub(super) struct CpuDecoder {
    pub d: usize,
    pub heads: usize,
    pub vocab: usize,
    /// Token embedding `[vocab][d]`, also the output projection.
    pub embed: Mat,
    /// Learned positions `[448][d]`.
    pub pos: Vec<f32>,
    pub layers: Vec<CpuLayer>,
    pub ln: Ln,
    /// Self-attention keys/values per layer, `[t][d]`.
    pub cache_k: Vec<Vec<f32>>,
    pub cache_v: Vec<Vec<f32>>,
    /// Cross-attention keys/values per layer for the current window, `[frames][d]`.
    pub cross_k: Vec<Vec<f32>>,
    pub cross_v: Vec<Vec<f32>>,
}

/// [`dot`] with float16 weights `a`.
#[inline(always)]
fn dot_f16(a: &[u16], b: &[f32]) -> f32 {
    let mut acc = [0f32; 16];
    let (ac, at) = a.as_chunks::<16>();
    let (bc, bt) = b.as_chunks::<16>();
    for (x, y) in ac.iter().zip(bc) {
        for i in 0..16 {
            acc[i] += f16_to_f32(x[i]) * y[i];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in at.iter().zip(bt) {
        s += f16_to_f32(*x) * y;
    }
    s
}

/// Dot product with 16 partial sums (four SSE registers: enough independent additions to
/// keep the adders busy).
#[inline(always)]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 16];
    let (ac, at) = a.as_chunks::<16>();
    let (bc, bt) = b.as_chunks::<16>();
    for (x, y) in ac.iter().zip(bc) {
        for i in 0..16 {
            acc[i] += x[i] * y[i];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in at.iter().zip(bt) {
        s += x * y;
    }
    s
}

/// Attention of one query `q` `[d]` (scaled by 1/√dh already) over `t` keys/values `[t][d]` (all heads in one pass over
/// the rows, which streams the keys and values once), into `out` `[d]`. The rows are split
/// over threads when `parallel`.
fn attend_one(
    q: &[f32],
    keys: &[f32],
    values: &[f32],
    t: usize,
    heads: usize,
    out: &mut [f32],
    parallel: bool,
) {
    let d = q.len();
    let dh = d / heads;
    let chunk = if parallel {
        t.div_ceil(2 * rayon::current_num_threads()).max(64)
    } else {
        t.max(1)
    };
    // Scores `[t][heads]`.
    let mut scores = vec![0f32; t * heads];
    let fill = |c: usize, s: &mut [f32]| {
        simd(
            #[inline(always)]
            || {
                for (j, row) in s.chunks_mut(heads).enumerate() {
                    let i = c * chunk + j;
                    let k = &keys[i * d..(i + 1) * d];
                    for (h, v) in row.iter_mut().enumerate() {
                        *v = dot(&q[h * dh..(h + 1) * dh], &k[h * dh..(h + 1) * dh]);
                    }
                }
            },
        )
    };
    if parallel {
        scores
            .par_chunks_mut(chunk * heads)
            .enumerate()
            .for_each(|(c, s)| fill(c, s));
    } else {
        fill(0, &mut scores);
    }
    // Softmax per head (normalized at the end).
    let mut max = vec![f32::NEG_INFINITY; heads];
    for row in scores.chunks(heads) {
        for (m, v) in max.iter_mut().zip(row) {
            *m = m.max(*v);
        }
    }
    let mut sum = vec![0f32; heads];
    for row in scores.chunks_mut(heads) {
        for ((v, m), s) in row.iter_mut().zip(&max).zip(sum.iter_mut()) {
            *v = exp(*v - m);
            *s += *v;
        }
    }
    // Weighted sum of the values.
    let accumulate = |c: usize, s: &[f32]| -> Vec<f32> {
        let mut o = vec![0f32; d];
        simd(
            #[inline(always)]
            || {
                for (j, row) in s.chunks(heads).enumerate() {
                    let i = c * chunk + j;
                    let v = &values[i * d..(i + 1) * d];
                    for ((oh, vh), p) in o.chunks_mut(dh).zip(v.chunks(dh)).zip(row) {
                        for (a, b) in oh.iter_mut().zip(vh) {
                            *a += p * b;
                        }
                    }
                }
            },
        );
        o
    };
    let partials: Vec<Vec<f32>> = if parallel {
        scores
            .par_chunks(chunk * heads)
            .enumerate()
            .map(|(c, s)| accumulate(c, s))
            .collect()
    } else {
        vec![accumulate(0, &scores)]
    };
    out.fill(0.0);
    for p in &partials {
        for (a, b) in out.iter_mut().zip(p) {
            *a += b;
        }
    }
    for (oh, s) in out.chunks_mut(dh).zip(&sum) {
        let inv = 1.0 / s;
        for a in oh {
            *a *= inv;
        }
    }
}

impl CpuDecoder {
    /// Starts a window: cross keys/values (`[frames][d]` each, per layer), empty cache.
    pub fn reset(&mut self, cross: Vec<(Vec<f32>, Vec<f32>)>) {
        let (k, v) = cross.into_iter().unzip();
        self.cross_k = k;
        self.cross_v = v;
        for c in self.cache_k.iter_mut().chain(self.cache_v.iter_mut()) {
            c.clear();
        }
    }

    pub fn positions(&self) -> usize {
        self.cache_k.first().map_or(0, |c| c.len() / self.d)
    }

    pub fn max_positions(&self) -> usize {
        self.pos.len() / self.d
    }

    /// Runs one token; returns the final (normalized) hidden state.
    pub fn step(&mut self, token: u32) -> Result<Vec<f32>> {
        let d = self.d;
        let p = self.positions();
        let tok = token as usize;
        if tok >= self.vocab || p >= self.max_positions() {
            return Err(InferenceError::InvalidInput(
                "token id or decoder position out of range".into(),
            ));
        }
        let mut x: Vec<f32> = self
            .embed
            .row(tok, d)
            .iter()
            .zip(&self.pos[p * d..(p + 1) * d])
            .map(|(a, b)| a + b)
            .collect();
        let mut h = vec![0f32; d];
        let mut q = vec![0f32; d];
        let mut k = vec![0f32; d];
        let mut v = vec![0f32; d];
        let mut a = vec![0f32; d];
        let mut o = vec![0f32; d];
        for (i, l) in self.layers.iter().enumerate() {
            l.self_ln.apply(&x, &mut h);
            l.q.apply(&h, &mut q);
            l.k.apply(&h, &mut k);
            l.v.apply(&h, &mut v);
            self.cache_k[i].extend_from_slice(&k);
            self.cache_v[i].extend_from_slice(&v);
            attend_one(
                &q,
                &self.cache_k[i],
                &self.cache_v[i],
                p + 1,
                self.heads,
                &mut a,
                false,
            );
            l.o.apply(&a, &mut o);
            x.iter_mut().zip(&o).for_each(|(x, o)| *x += o);

            l.cross_ln.apply(&x, &mut h);
            l.cross_q.apply(&h, &mut q);
            let frames = self.cross_k[i].len() / d;
            attend_one(
                &q,
                &self.cross_k[i],
                &self.cross_v[i],
                frames,
                self.heads,
                &mut a,
                true,
            );
            l.cross_o.apply(&a, &mut o);
            x.iter_mut().zip(&o).for_each(|(x, o)| *x += o);

            l.ffn_ln.apply(&x, &mut h);
            let mut f = vec![0f32; l.fc1.out];
            l.fc1.apply(&h, &mut f);
            for z in &mut f {
                *z = gelu(*z);
            }
            l.fc2.apply(&f, &mut o);
            x.iter_mut().zip(&o).for_each(|(x, o)| *x += o);
        }
        self.ln.apply(&x, &mut h);
        Ok(h)
    }

    /// Logits `[vocab]` of a final hidden state: dot products with the embedding rows.
    pub fn logits(&self, h: &[f32]) -> Vec<f32> {
        const ROWS: usize = 2048;
        let d = self.d;
        let mut out = vec![0f32; self.vocab];
        out.par_chunks_mut(ROWS).enumerate().for_each(|(c, o)| {
            simd(
                #[inline(always)]
                || {
                    for (j, l) in o.iter_mut().enumerate() {
                        *l = self.embed.dot_row(c * ROWS + j, d, h);
                    }
                },
            )
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_accurate() {
        let mut worst = 0f32;
        let mut x = -87.0f32;
        while x < 80.0 {
            let want = x.exp();
            let got = exp(x);
            worst = worst.max(((got - want) / want).abs());
            x += 0.0137;
        }
        assert!(worst < 3e-7, "{worst}");
        assert_eq!(exp(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp(0.0), 1.0);
    }

    #[test]
    fn erf_and_gelu_are_accurate() {
        let mut worst = 0f64;
        let mut x = -6.0f64;
        while x < 6.0 {
            let want = libm_erf(x);
            worst = worst.max((erf(x as f32) as f64 - want).abs());
            x += 0.001;
        }
        assert!(worst < 2e-6, "{worst}");
        assert!((gelu(1.0) - 0.841_344_7).abs() < 1e-6);
        assert!((gelu(-3.0) - -0.004_049_7).abs() < 1e-6);
    }

    /// erf by its series / continued fraction in f64 (reference).
    fn libm_erf(x: f64) -> f64 {
        if x.abs() > 3.0 {
            // erfc continued fraction (Lentz), accurate for |x| > 3.
            let ax = x.abs();
            let mut f = ax;
            let mut c = ax;
            let mut dd = 0.0;
            for n in 1..200 {
                let an = n as f64 / 2.0;
                dd = ax + an * dd;
                dd = 1.0 / dd;
                c = ax + an / c;
                let delta = c * dd;
                f *= delta;
                if (delta - 1.0).abs() < 1e-16 {
                    break;
                }
            }
            let erfc = (-ax * ax).exp() / (f * std::f64::consts::PI.sqrt());
            return (1.0 - erfc).copysign(x);
        }
        let mut sum = x;
        let mut term = x;
        for n in 1..200 {
            term *= -x * x / n as f64;
            let t = term / (2 * n + 1) as f64;
            sum += t;
            if t.abs() < 1e-17 {
                break;
            }
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn float16_weights_convert_exactly() {
        for bits in 0..=u16::MAX {
            let x = crate::ct2::f16_to_f32(bits);
            if !x.is_finite() {
                continue;
            }
            assert_eq!(f16_to_f32(bits).to_bits(), x.to_bits(), "{bits:#06x}");
            // Both zeros map back to themselves.
            assert_eq!(f16_bits_exact(x), Some(bits), "{bits:#06x}");
        }
        assert_eq!(f16_bits_exact(0.1), None);
        assert_eq!(f16_bits_exact(1e-9), None);
        assert_eq!(f16_bits_exact(70_000.0), None);
        let w: Vec<f32> = (0..64).map(|i| i as f32 * 0.25 - 8.0).collect();
        let x: Vec<f32> = (0..64).map(|i| (i as f32).sin()).collect();
        let want = dot(&w, &x);
        let bits: Vec<u16> = w.iter().map(|&v| f16_bits_exact(v).unwrap()).collect();
        assert_eq!(dot_f16(&bits, &x), want);
    }

    #[test]
    fn softmax_rows_sum_to_one_and_ignore_minus_infinity() {
        let mut v = vec![1.0, 2.0, 3.0, f32::NEG_INFINITY, 0.5, 0.5, 0.5, 0.5];
        softmax_rows(&mut v, 4);
        assert!((v[..4].iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert_eq!(v[3], 0.0);
        assert!((v[2] - 0.665_240_9).abs() < 1e-6);
        assert!(v[4..].iter().all(|&x| (x - 0.25).abs() < 1e-7));
    }
}
