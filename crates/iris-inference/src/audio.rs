//! Audio input for speech-to-text: WAV decoding, down-mixing, resampling to 16 kHz and the
//! log-mel front end Whisper expects.
//!
//! - WAV: RIFF/WAVE with PCM 8-bit (unsigned), 16-, 24- and 32-bit integer samples, or
//!   32/64-bit IEEE float (also inside WAVE_FORMAT_EXTENSIBLE). Any channel count is mixed to
//!   mono by averaging. Compressed WAV (ADPCM, A-law, µ-law, MP3-in-WAV …) and non-WAV input
//!   (MP3, Ogg, FLAC …) are refused with [`InferenceError::InvalidInput`].
//! - Resampling: band-limited windowed-sinc interpolation (Kaiser window, β = 8.6, 24
//!   zero-crossings each side of the low-pass kernel, cut-off at 95 % of the lower Nyquist
//!   frequency so that downsampling is anti-aliased). Rational ratios with a small numerator
//!   (44.1 kHz → 16 kHz is 160/441) use an exact polyphase table; other ratios interpolate
//!   linearly between 1024 precomputed phases.
//! - Log-mel: the OpenAI front end as faster-whisper computes it — 160 zeros appended, reflect
//!   padding of 200 samples at both ends, periodic Hann window of 400, hop 160, |FFT|², 80
//!   Slaney-normalized mel filters (computed here), log10 with a 1e-10 floor, clamped at
//!   (max − 8), then (x + 4) / 4.
//!
//! Error messages describe the format, never the audio content.

use std::f64::consts::PI;
use std::path::Path;

use crate::error::{InferenceError, Result};

/// Whisper's sample rate.
pub const SAMPLE_RATE: u32 = 16_000;
/// STFT window length (25 ms).
pub const N_FFT: usize = 400;
/// STFT hop (10 ms): one mel frame per 160 samples.
pub const HOP_LENGTH: usize = 160;
/// Mel bands.
pub const N_MELS: usize = 80;
/// Frames in one 30-second window.
pub const N_FRAMES: usize = 3000;
/// Samples in one 30-second window.
pub const N_SAMPLES: usize = 480_000;
/// Longest accepted input (4 hours at 16 kHz); longer audio should be split by the caller.
pub const MAX_SECONDS: f64 = 4.0 * 3600.0;

fn invalid(msg: impl Into<String>) -> InferenceError {
    InferenceError::InvalidInput(msg.into())
}

/// A decoded WAV file before resampling.
#[derive(Debug, Clone)]
pub struct Wav {
    /// Mono samples in [-1, 1] (channels averaged).
    pub samples: Vec<f32>,
    pub sample_rate: u32,
    /// Channels in the file (before down-mixing).
    pub channels: u16,
    /// Bits per sample in the file.
    pub bits: u16,
    pub float: bool,
}

/// Reads a WAV file and returns 16 kHz mono samples.
pub fn read_wav_16k(path: &Path) -> Result<Vec<f32>> {
    let bytes = std::fs::read(path)
        .map_err(|e| invalid(format!("the audio file cannot be read: {}", e.kind())))?;
    let wav = decode_wav(&bytes)?;
    Ok(resample(&wav.samples, wav.sample_rate, SAMPLE_RATE))
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

fn sniff(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"ID3") || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
    {
        "it looks like MP3"
    } else if bytes.starts_with(b"OggS") {
        "it looks like Ogg"
    } else if bytes.starts_with(b"fLaC") {
        "it looks like FLAC"
    } else if bytes.len() >= 8 && &bytes[4..8] == b"ftyp" {
        "it looks like MP4/M4A"
    } else if bytes.starts_with(b"RIFF") {
        "it is a RIFF file but not WAVE"
    } else if bytes.starts_with(b"RF64") {
        "RF64 (64-bit WAV) is not supported"
    } else if bytes.is_empty() {
        "the file is empty"
    } else {
        "unrecognized data"
    }
}

/// Decodes a WAV file held in memory (any rate, any channel count → mono).
pub fn decode_wav(bytes: &[u8]) -> Result<Wav> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(invalid(format!(
            "not a WAV file ({}); only uncompressed PCM or float WAV is supported — convert \
             other formats to WAV first",
            sniff(bytes)
        )));
    }
    let mut pos = 12usize;
    let mut fmt: Option<(u16, u16, u32, u16)> = None; // tag, channels, rate, bits
    let mut data: Option<&[u8]> = None;
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let size = u32_at(bytes, pos + 4) as usize;
        let body_start = pos + 8;
        // A data chunk whose size runs past the end (streamed writers leave 0xFFFFFFFF or a
        // stale size) is clamped to what is there.
        let body_end = body_start.saturating_add(size).min(bytes.len());
        let body = &bytes[body_start..body_end];
        match id {
            b"fmt " => {
                if body.len() < 16 {
                    return Err(invalid("WAV `fmt ` chunk is too short"));
                }
                let mut tag = u16_at(body, 0);
                let channels = u16_at(body, 2);
                let rate = u32_at(body, 4);
                let bits = u16_at(body, 14);
                if tag == 0xFFFE {
                    // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the real tag.
                    if body.len() < 40 {
                        return Err(invalid("WAV extensible `fmt ` chunk is too short"));
                    }
                    tag = u16_at(body, 24);
                }
                fmt = Some((tag, channels, rate, bits));
            }
            b"data" => {
                data = Some(body);
                if fmt.is_some() {
                    break;
                }
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        pos = body_start.saturating_add(size).saturating_add(size & 1);
    }
    let (tag, channels, rate, bits) =
        fmt.ok_or_else(|| invalid("WAV file has no `fmt ` chunk (truncated or corrupt)"))?;
    let data =
        data.ok_or_else(|| invalid("WAV file has no `data` chunk (truncated or corrupt)"))?;
    let float = match (tag, bits) {
        (1, 8 | 16 | 24 | 32) => false,
        (3, 32 | 64) => true,
        (1, b) | (3, b) => {
            return Err(invalid(format!(
                "WAV with {b}-bit {} samples is not supported (use 16/24/32-bit PCM or \
                 32-bit float)",
                if tag == 3 { "float" } else { "integer" }
            )));
        }
        (t, _) => {
            let name = match t {
                2 => "MS ADPCM",
                6 => "A-law",
                7 => "µ-law",
                0x11 => "IMA ADPCM",
                0x31 => "GSM 6.10",
                0x50 | 0x55 => "MPEG/MP3",
                _ => "compressed",
            };
            return Err(invalid(format!(
                "WAV format tag {t:#06x} ({name}) is not supported; only uncompressed PCM or \
                 float WAV is"
            )));
        }
    };
    if channels == 0 || channels > 64 {
        return Err(invalid(format!(
            "WAV declares {channels} channels (expected 1 to 64)"
        )));
    }
    if !(1000..=768_000).contains(&rate) {
        return Err(invalid(format!(
            "WAV sample rate {rate} Hz is out of range (1 kHz to 768 kHz)"
        )));
    }
    let bytes_per = (bits / 8) as usize;
    let frame = bytes_per * channels as usize;
    let frames = data.len() / frame;
    if frames as f64 / rate as f64 > MAX_SECONDS {
        return Err(invalid(format!(
            "the audio is longer than {} hours; split it first",
            MAX_SECONDS / 3600.0
        )));
    }
    let sample = |i: usize| -> f32 {
        let s = &data[i * bytes_per..(i + 1) * bytes_per];
        match (float, bits) {
            (false, 8) => (s[0] as f32 - 128.0) / 128.0,
            (false, 16) => i16::from_le_bytes([s[0], s[1]]) as f32 / 32768.0,
            (false, 24) => (i32::from_le_bytes([0, s[0], s[1], s[2]]) >> 8) as f32 / 8_388_608.0,
            (false, _) => {
                (i32::from_le_bytes([s[0], s[1], s[2], s[3]]) as f64 / 2_147_483_648.0) as f32
            }
            (true, 32) => f32::from_le_bytes([s[0], s[1], s[2], s[3]]),
            (true, _) => {
                f64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]) as f32
            }
        }
    };
    let ch = channels as usize;
    let mut samples = Vec::with_capacity(frames);
    for f in 0..frames {
        let mut acc = 0.0f32;
        for c in 0..ch {
            let v = sample(f * ch + c);
            // NaN/inf in a float file would poison the whole spectrogram.
            acc += if v.is_finite() { v } else { 0.0 };
        }
        samples.push(acc / ch as f32);
    }
    Ok(Wav {
        samples,
        sample_rate: rate,
        channels,
        bits,
        float,
    })
}

/// Encodes mono f32 samples as a 16-bit PCM WAV (for tests and tools).
pub fn encode_wav_i16(samples: &[f32], sample_rate: u32, channels: u16) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&sample_rate.to_le_bytes());
    out.extend_from_slice(&(sample_rate * 2 * channels as u32).to_le_bytes());
    out.extend_from_slice(&(2 * channels).to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Resampling

const ZERO_CROSSINGS: usize = 24;
const KAISER_BETA: f64 = 8.6;
const CUTOFF: f64 = 0.95;
const TABLE_PHASES: usize = 1024;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Modified Bessel function of the first kind, order 0 (series; enough for β ≤ 20).
fn bessel_i0(x: f64) -> f64 {
    let mut sum = 1.0;
    let mut term = 1.0;
    let q = x * x / 4.0;
    for k in 1..64 {
        term *= q / (k * k) as f64;
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
    }
    sum
}

/// The low-pass kernel at offset `t` (in input samples), for cut-off `fc` (cycles per input
/// sample, ≤ 0.5) and half-width `half` (input samples).
fn kernel(t: f64, fc: f64, half: f64) -> f64 {
    if t.abs() >= half {
        return 0.0;
    }
    let x = 2.0 * fc * t;
    let sinc = if x.abs() < 1e-12 {
        1.0
    } else {
        (PI * x).sin() / (PI * x)
    };
    let r = t / half;
    let w = bessel_i0(KAISER_BETA * (1.0 - r * r).max(0.0).sqrt()) / bessel_i0(KAISER_BETA);
    2.0 * fc * sinc * w
}

/// Resamples `input` from `from` Hz to `to` Hz with a windowed-sinc filter (see the module
/// documentation). Equal rates return a copy.
pub fn resample(input: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || input.is_empty() || from == 0 || to == 0 {
        return input.to_vec();
    }
    let g = gcd(from as u64, to as u64);
    let (up, down) = (to as u64 / g, from as u64 / g); // out[n] at input time n·down/up
    let ratio = to as f64 / from as f64;
    // Cut-off relative to the input rate: the lower of the two Nyquist frequencies.
    let fc = 0.5 * CUTOFF * ratio.min(1.0);
    let half = ZERO_CROSSINGS as f64 / (2.0 * fc); // half-width in input samples
    let taps = 2 * half.ceil() as usize + 1;
    let out_len = ((input.len() as u64 * up).div_ceil(down)) as usize;
    let n_in = input.len() as i64;

    // Filter taps for a fractional phase `frac` ∈ [0, 1): tap j applies to input sample
    // floor(t) - (taps/2) + j.
    let build = |frac: f64| -> Vec<f32> {
        let c = (taps / 2) as f64;
        (0..taps)
            .map(|j| kernel(j as f64 - c - frac, fc, half) as f32)
            .collect()
    };
    let exact = up <= TABLE_PHASES as u64;
    let phases = if exact { up as usize } else { TABLE_PHASES };
    let table: Vec<Vec<f32>> = (0..=phases)
        .map(|p| build(p as f64 / phases as f64))
        .collect();

    let mut out = Vec::with_capacity(out_len);
    let mut tap_buf = vec![0f32; taps];
    for n in 0..out_len as u64 {
        let pos = n * down; // input time = pos / up
        let base = (pos / up) as i64;
        let rem = pos % up;
        let coeffs: &[f32] = if exact {
            &table[rem as usize]
        } else {
            let f = rem as f64 / up as f64 * phases as f64;
            let p = (f.floor() as usize).min(phases - 1);
            let a = (f - p as f64) as f32;
            for (j, t) in tap_buf.iter_mut().enumerate() {
                *t = table[p][j] * (1.0 - a) + table[p + 1][j] * a;
            }
            &tap_buf
        };
        let start = base - (taps / 2) as i64;
        let mut acc = 0.0f32;
        if start >= 0 && start + taps as i64 <= n_in {
            let s = &input[start as usize..start as usize + taps];
            for (x, c) in s.iter().zip(coeffs) {
                acc += x * c;
            }
        } else {
            for (j, c) in coeffs.iter().enumerate() {
                let i = start + j as i64;
                if i >= 0 && i < n_in {
                    acc += input[i as usize] * c;
                }
            }
        }
        out.push(acc);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// FFT (mixed radix, for the 400-point STFT)

#[derive(Debug, Clone, Copy, Default)]
struct C64 {
    re: f64,
    im: f64,
}

impl C64 {
    fn mul(self, o: C64) -> C64 {
        C64 {
            re: self.re * o.re - self.im * o.im,
            im: self.re * o.im + self.im * o.re,
        }
    }
    fn add(self, o: C64) -> C64 {
        C64 {
            re: self.re + o.re,
            im: self.im + o.im,
        }
    }
}

/// A complex FFT of a fixed size, decimation in time over its prime factors.
#[derive(Debug)]
struct Fft {
    n: usize,
    factors: Vec<usize>,
    twiddle: Vec<C64>, // e^{-2πi k/n}
}

impl Fft {
    fn new(n: usize) -> Fft {
        let mut factors = Vec::new();
        let mut m = n;
        for p in [4usize, 2, 3, 5] {
            while m.is_multiple_of(p) {
                factors.push(p);
                m /= p;
            }
        }
        let mut p = 7;
        while m > 1 {
            while m.is_multiple_of(p) {
                factors.push(p);
                m /= p;
            }
            p += 2;
        }
        let twiddle = (0..n)
            .map(|k| {
                let a = -2.0 * PI * k as f64 / n as f64;
                C64 {
                    re: a.cos(),
                    im: a.sin(),
                }
            })
            .collect();
        Fft {
            n,
            factors,
            twiddle,
        }
    }

    fn run(&self, input: &[C64], out: &mut [C64], scratch: &mut [C64]) {
        self.rec(input, 0, 1, self.n, &self.factors, out, scratch);
    }

    /// FFT of `input[offset + k·stride]`, k < n, into `out[..n]`.
    #[allow(clippy::too_many_arguments)]
    fn rec(
        &self,
        input: &[C64],
        offset: usize,
        stride: usize,
        n: usize,
        factors: &[usize],
        out: &mut [C64],
        scratch: &mut [C64],
    ) {
        if n == 1 {
            out[0] = input[offset];
            return;
        }
        let p = factors[0];
        let m = n / p;
        // Sub-transforms of the p decimated sequences into scratch[r·m ..].
        {
            let (sub, rest) = scratch.split_at_mut(n);
            for r in 0..p {
                self.rec(
                    input,
                    offset + r * stride,
                    stride * p,
                    m,
                    &factors[1..],
                    &mut sub[r * m..(r + 1) * m],
                    rest,
                );
            }
        }
        let tw_step = self.n / n; // e^{-2πi/n} = twiddle[tw_step]
        let sub = &scratch[..n];
        let mut y = [C64::default(); 8];
        let mut big: Vec<C64>;
        let ys: &mut [C64] = if p <= 8 {
            &mut y[..p]
        } else {
            big = vec![C64::default(); p];
            &mut big
        };
        for k in 0..m {
            for r in 0..p {
                ys[r] = sub[r * m + k].mul(self.twiddle[(r * k * tw_step) % self.n]);
            }
            for q in 0..p {
                let mut acc = C64::default();
                for (r, y) in ys.iter().enumerate() {
                    // W_p^{rq} = e^{-2πi rq/p}
                    acc = acc.add(y.mul(self.twiddle[((r * q) % p) * (self.n / p)]));
                }
                out[k + q * m] = acc;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Log-mel

/// 80 Slaney-style mel filters over the 201 bins of a 400-point FFT at 16 kHz, as
/// `(first bin, weights)`; computed as librosa/faster-whisper do (f64, then f32).
fn mel_filters() -> Vec<(usize, Vec<f32>)> {
    let n_bins = N_FFT / 2 + 1;
    let sr = SAMPLE_RATE as f64;
    let fft_freqs: Vec<f64> = (0..n_bins).map(|i| i as f64 * sr / N_FFT as f64).collect();
    let min_mel = 0.0;
    let max_mel = 45.245_640_471_924_965;
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    let freqs: Vec<f64> = (0..N_MELS + 2)
        .map(|i| {
            let mel = min_mel + (max_mel - min_mel) * i as f64 / (N_MELS + 1) as f64;
            if mel >= min_log_mel {
                min_log_hz * (logstep * (mel - min_log_mel)).exp()
            } else {
                f_sp * mel
            }
        })
        .collect();
    (0..N_MELS)
        .map(|m| {
            let enorm = 2.0 / (freqs[m + 2] - freqs[m]);
            let w: Vec<f32> = fft_freqs
                .iter()
                .map(|&f| {
                    let lower = (f - freqs[m]) / (freqs[m + 1] - freqs[m]);
                    let upper = (freqs[m + 2] - f) / (freqs[m + 2] - freqs[m + 1]);
                    (lower.min(upper).max(0.0) * enorm) as f32
                })
                .collect();
            let first = w.iter().position(|&v| v != 0.0).unwrap_or(0);
            let last = w.iter().rposition(|&v| v != 0.0).map_or(first, |l| l + 1);
            (first, w[first..last].to_vec())
        })
        .collect()
}

/// Index into `[0, n)` with numpy's `reflect` padding (edge not repeated).
fn reflect(i: i64, n: usize) -> usize {
    if n == 1 {
        return 0;
    }
    let period = 2 * (n as i64 - 1);
    let mut j = i.rem_euclid(period);
    if j >= n as i64 {
        j = period - j;
    }
    j as usize
}

/// Mel frames [`log_mel`] produces for `samples` samples: `samples / 160 + 1`.
pub fn n_frames(samples: usize) -> usize {
    samples / HOP_LENGTH + 1
}

/// Whisper's log-mel spectrogram of 16 kHz mono audio, row-major `[80][frames]` with
/// `frames = n_frames(pcm.len())`, computed exactly like faster-whisper's `FeatureExtractor`
/// (see the module documentation). The clamp at (max − 8) uses the maximum over the whole
/// input. Frame `i` is centred on sample `160·i`.
pub fn log_mel(pcm: &[f32]) -> Vec<f32> {
    // 160 zeros appended (faster-whisper's `padding=160`), then the centred STFT; its last
    // frame is dropped.
    let len = pcm.len() + HOP_LENGTH;
    let frames = n_frames(pcm.len());
    let at = |i: usize| -> f32 { if i < pcm.len() { pcm[i] } else { 0.0 } };
    let pad = (N_FFT / 2) as i64;
    let window: Vec<f32> = (0..N_FFT)
        .map(|i| (0.5 - 0.5 * (2.0 * PI * i as f64 / N_FFT as f64).cos()) as f32)
        .collect();
    let filters = mel_filters();
    let fft = Fft::new(N_FFT);
    let mut buf = vec![C64::default(); N_FFT];
    let mut spec = vec![C64::default(); N_FFT];
    let mut scratch = vec![C64::default(); 4 * N_FFT];
    let mut power = vec![0f64; N_FFT / 2 + 1];
    let mut mel = vec![0f32; N_MELS * frames];
    let mut max = f32::NEG_INFINITY;
    for t in 0..frames {
        let start = (t * HOP_LENGTH) as i64 - pad;
        for (k, b) in buf.iter_mut().enumerate() {
            let i = start + k as i64;
            let x = if i >= 0 && (i as usize) < len {
                at(i as usize)
            } else {
                at(reflect(i, len))
            };
            *b = C64 {
                re: (x * window[k]) as f64,
                im: 0.0,
            };
        }
        fft.run(&buf, &mut spec, &mut scratch);
        for (p, s) in power.iter_mut().zip(&spec) {
            *p = s.re * s.re + s.im * s.im;
        }
        for (m, (first, w)) in filters.iter().enumerate() {
            let mut acc = 0.0f64;
            for (j, &wj) in w.iter().enumerate() {
                acc += wj as f64 * power[first + j];
            }
            let v = (acc.max(1e-10) as f32).log10();
            max = max.max(v);
            mel[m * frames + t] = v;
        }
    }
    let floor = max - 8.0;
    for v in &mut mel {
        *v = (v.max(floor) + 4.0) / 4.0;
    }
    mel
}

/// The `[80][3000]` model input for frames `start .. start + len` of a `[80][frames]`
/// spectrogram, zero-padded (as faster-whisper pads the log-mel features) or trimmed.
pub fn mel_window(mel: &[f32], frames: usize, start: usize, len: usize) -> Vec<f32> {
    let mut out = vec![0f32; N_MELS * N_FRAMES];
    let start = start.min(frames);
    let len = len.min(frames - start).min(N_FRAMES);
    for m in 0..N_MELS {
        let row = &mel[m * frames + start..m * frames + start + len];
        out[m * N_FRAMES..m * N_FRAMES + len].copy_from_slice(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fft_matches_a_direct_dft() {
        let n = 400;
        let x: Vec<C64> = (0..n)
            .map(|i| C64 {
                re: ((i * 7919) % 101) as f64 / 50.0 - 1.0,
                im: 0.0,
            })
            .collect();
        let fft = Fft::new(n);
        let mut out = vec![C64::default(); n];
        let mut scratch = vec![C64::default(); 4 * n];
        fft.run(&x, &mut out, &mut scratch);
        for k in [0usize, 1, 7, 100, 199, 200, 333] {
            let mut acc = C64::default();
            for (i, v) in x.iter().enumerate() {
                let a = -2.0 * PI * (i * k) as f64 / n as f64;
                acc = acc.add(v.mul(C64 {
                    re: a.cos(),
                    im: a.sin(),
                }));
            }
            assert!((acc.re - out[k].re).abs() < 1e-9, "{k}");
            assert!((acc.im - out[k].im).abs() < 1e-9, "{k}");
        }
    }

    #[test]
    fn reflect_matches_numpy() {
        // np.pad([0,1,2,3], 5, mode="reflect") = [1,2,3,2,1,0,1,2,3,2,1,0,1]
        let got: Vec<usize> = (-5..8).map(|i| reflect(i, 4)).collect();
        assert_eq!(got, vec![1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1]);
    }

    #[test]
    fn resampling_keeps_a_tone_and_removes_what_cannot_be_represented() {
        let from = 44_100;
        let tone = |f: f64, n: usize| -> Vec<f32> {
            (0..n)
                .map(|i| (2.0 * PI * f * i as f64 / from as f64).sin() as f32 * 0.5)
                .collect()
        };
        let rms = |v: &[f32]| (v.iter().map(|x| x * x).sum::<f32>() / v.len() as f32).sqrt();
        let out = resample(&tone(1000.0, 44_100), from, 16_000);
        assert_eq!(out.len(), 16_000);
        // 1 kHz passes (rms 0.5/√2), measured away from the edges.
        let mid = &out[1000..15_000];
        assert!((rms(mid) - 0.353_55).abs() < 0.005, "{}", rms(mid));
        // Compare with the ideal 16 kHz tone, sample by sample.
        for (i, v) in mid.iter().enumerate() {
            let t = (i + 1000) as f64 / 16_000.0;
            let want = (2.0 * PI * 1000.0 * t).sin() as f32 * 0.5;
            assert!((v - want).abs() < 0.01, "{i}");
        }
        // 12 kHz is above the new Nyquist (8 kHz): filtered out, not aliased to 4 kHz.
        let out = resample(&tone(12_000.0, 44_100), from, 16_000);
        assert!(
            rms(&out[1000..15_000]) < 0.005,
            "{}",
            rms(&out[1000..15_000])
        );
        // Upsampling and an awkward ratio work too.
        assert_eq!(resample(&vec![0.1; 8000], 8000, 16_000).len(), 16_000);
        assert_eq!(resample(&vec![0.1; 44_099], 44_099, 16_000).len(), 16_000);
    }

    #[test]
    fn wav_round_trip_and_refusals() {
        let s: Vec<f32> = (0..100).map(|i| (i as f32 / 100.0) - 0.5).collect();
        let w = decode_wav(&encode_wav_i16(&s, 16_000, 1)).unwrap();
        assert_eq!(w.samples.len(), 100);
        assert!((w.samples[10] - s[10]).abs() < 1e-4);
        let e = decode_wav(b"ID3\x04\x00\x00\x00\x00\x00\x00garbage").unwrap_err();
        assert_eq!(e.code(), "INVALID_INPUT");
        assert!(e.to_string().contains("MP3"), "{e}");
        assert_eq!(decode_wav(b"").unwrap_err().code(), "INVALID_INPUT");
    }
}
