#!/usr/bin/env python3
"""Reference outputs for the Whisper implementation in crates/iris-inference.

Runs CTranslate2 through faster-whisper (pinned in requirements-whisper.txt) on the same model
folder and the same audio the Rust tests use, and writes JSON fixtures:

  fixtures  write tests/fixtures/whisper/reference.json: per clip the greedy token ids
            (beam 1, temperature 0, without_timestamps=True) and text; a summary and slices of
            faster-whisper's FeatureExtractor log-mel (to compare with ours); the suppressed
            token ids; and the timestamped segments of the long recording (see `long_audio`).
  bench     time faster-whisper (compute_type float32, cpu_threads=2, beam_size=1,
            vad_filter=False) on ~30 s of speech (see `bench_audio`) or a given WAV file:
            load time, real-time factor and peak RSS.

Audio is read with the `wave` module (int16 / 32768, as the Rust reader does), never resampled
here: fixtures are 16 kHz mono 16-bit WAV files.

Usage (venv outside the repository, see requirements-whisper.txt):
  /var/cache/iris/venv-whisper/bin/python tools/reference/whisper_reference.py fixtures
  /var/cache/iris/venv-whisper/bin/python tools/reference/whisper_reference.py bench [--wav F] [--runs N]
Environment: IRIS_MODELS_DIR (default /var/cache/iris/models); the model is IRIS_MODELS_DIR/whisper-tiny.
"""

import argparse
import json
import os
import resource
import sys
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "crates" / "iris-inference" / "tests" / "fixtures" / "whisper"
CLIPS = ["clinical.wav", "vitals.wav", "plan.wav", "allergy.wav"]
SR = 16000


def models_dir() -> Path:
    return Path(os.environ.get("IRIS_MODELS_DIR", "/var/cache/iris/models")) / "whisper-tiny"


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getframerate() == SR, path
        raw = w.readframes(w.getnframes())
    return (np.frombuffer(raw, dtype="<i2").astype(np.float32) / np.float32(32768.0)).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), dtype=np.float32)


def long_audio() -> np.ndarray:
    """~40 s: the same recipe as `long_audio()` in crates/iris-inference/tests/whisper.rs."""
    c = read_wav(FIXTURES / "clinical.wav")
    v = read_wav(FIXTURES / "vitals.wav")
    p = read_wav(FIXTURES / "plan.wav")
    parts = [c, silence(6.0), v, silence(6.0), p, silence(6.0), c, silence(6.0), v]
    return np.concatenate(parts).astype(np.float32)


def bench_audio() -> np.ndarray:
    """~30 s of speech: the same recipe as `bench_audio()` in crates/iris-inference/benches/whisper.rs."""
    clips = [read_wav(FIXTURES / n) for n in ["clinical.wav", "vitals.wav", "plan.wav", "allergy.wav"]]
    parts = []
    for _ in range(2):
        for c in clips:
            parts += [c, silence(0.3)]
    return np.concatenate(parts).astype(np.float32)


def load_model():
    from faster_whisper import WhisperModel

    return WhisperModel(str(models_dir()), device="cpu", compute_type="float32", cpu_threads=2)


def mel_summary(mel: np.ndarray) -> dict:
    frames = mel.shape[1]
    picks = sorted(set([0, 1, 2, frames // 4, frames // 2, (3 * frames) // 4, frames - 2, frames - 1]))
    picks = [f for f in picks if 0 <= f < frames]
    return {
        "shape": list(mel.shape),
        "sum": float(mel.astype(np.float64).sum()),
        "max": float(mel.max()),
        "min": float(mel.min()),
        "frames": picks,
        "values": [[float(x) for x in mel[:, f]] for f in picks],
    }


def cmd_fixtures(_args) -> None:
    from faster_whisper.feature_extractor import FeatureExtractor
    from faster_whisper.transcribe import get_suppressed_tokens

    model = load_model()
    fe = FeatureExtractor()
    out = {
        "generator": "tools/reference/whisper_reference.py fixtures",
        "faster_whisper": __import__("faster_whisper").__version__,
        "ctranslate2": __import__("ctranslate2").__version__,
        "options": "beam_size=1, temperature=0.0, without_timestamps=True, vad_filter=False, compute_type=float32",
        "clips": {},
    }
    for name in CLIPS:
        audio = read_wav(FIXTURES / name)
        mel = fe(audio)
        segments, _info = model.transcribe(
            audio,
            language="en",
            beam_size=1,
            temperature=0.0,
            without_timestamps=True,
            vad_filter=False,
            condition_on_previous_text=False,
        )
        segments = list(segments)
        tokens = [t for s in segments for t in s.tokens]
        out["clips"][name] = {
            "samples": int(audio.shape[0]),
            "tokens": tokens,
            "text": "".join(s.text for s in segments).strip(),
            "no_speech_prob": [float(s.no_speech_prob) for s in segments],
            "mel": mel_summary(mel),
        }
        print(name, out["clips"][name]["text"], file=sys.stderr)

    from faster_whisper.tokenizer import Tokenizer

    tok = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")
    out["suppress_tokens"] = list(get_suppressed_tokens(tok, [-1]))

    audio = long_audio()
    segments, _info = model.transcribe(
        audio,
        language="en",
        beam_size=1,
        temperature=0.0,
        vad_filter=False,
    )
    out["long"] = {
        "samples": int(audio.shape[0]),
        "options": "beam_size=1, temperature=0.0, timestamps, condition_on_previous_text=True",
        "segments": [
            {"start": s.start, "end": s.end, "text": s.text.strip(), "tokens": list(s.tokens)}
            for s in segments
        ],
    }
    for s in out["long"]["segments"]:
        print(f"[{s['start']:.2f} -> {s['end']:.2f}] {s['text']}", file=sys.stderr)

    noise = np.random.default_rng(7).normal(0.0, 0.01, SR * 5).astype(np.float32)
    segments, _info = model.transcribe(noise, language="en", beam_size=1, temperature=0.0)
    out["noise_0.01_text"] = "".join(s.text for s in segments).strip()

    path = FIXTURES / "reference.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}", file=sys.stderr)


def peak_rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cmd_bench(args) -> None:
    if args.wav:
        audio = read_wav(Path(args.wav))
    else:
        audio = bench_audio()
    seconds = audio.shape[0] / SR
    t0 = time.perf_counter()
    model = load_model()
    load_s = time.perf_counter() - t0
    times = []
    text = ""
    for _ in range(args.runs):
        t0 = time.perf_counter()
        segments, _info = model.transcribe(audio, language="en", beam_size=1, vad_filter=False)
        text = " ".join(s.text.strip() for s in segments)
        times.append(time.perf_counter() - t0)
    rtfs = [t / seconds for t in times]
    print(
        json.dumps(
            {
                "engine": "faster-whisper " + __import__("faster_whisper").__version__ + " float32 cpu_threads=2 beam 1",
                "audio_seconds": round(seconds, 2),
                "load_s": round(load_s, 3),
                "transcribe_s": [round(t, 3) for t in times],
                "rtf": [round(r, 4) for r in rtfs],
                "rtf_best": round(min(rtfs), 4),
                "peak_rss_mib": round(peak_rss_mib(), 1),
                "words": len(text.split()),
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("fixtures")
    b = sub.add_parser("bench")
    b.add_argument("--wav", help="16 kHz mono 16-bit WAV (default: the ~30 s recipe)")
    b.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    {"fixtures": cmd_fixtures, "bench": cmd_bench}[args.cmd](args)


if __name__ == "__main__":
    main()
