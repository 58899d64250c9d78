#!/usr/bin/env python3
"""Reference outputs for crates/iris-inference's GGUF text generation, from llama.cpp
(llama-cpp-python, pinned in requirements-llm.txt) on the same GGUF files.

  fixtures  write crates/iris-inference/tests/fixtures/llm/reference.json:
            - token ids of the prompts in `TOKENIZE` (llama.cpp `tokenize`, add_bos=True,
              special=True) for both models' GGUF vocabularies;
            - for each case in `CASES`: the prompt as given to llama.cpp (chat template applied
              here exactly as src/llm/chat.rs does), its token ids, and the first 16 greedy
              tokens (argmax of llama.cpp's logits after each step, no sampler, no penalties),
              with the default f16 KV cache and with an f32 KV cache.
  bench     time llama.cpp on the same files: load, prompt tokens/s, decode tokens/s (greedy,
            the prompt of tests/fixtures/llm/bench_prompt.txt, 64 new tokens), peak RSS;
            n_threads=2; each model in its own process (peak RSS per model), `--runs` times.

Usage (venv outside the repository; llama-cpp-python builds llama.cpp from source: needs a
C/C++ compiler, cmake comes from PyPI through the build; ~30-60 min with 2 jobs). The
fixtures and figures were made with a non-native build, AVX-512 on, AMX off: llama.cpp's AMX
matmul (enabled by GGML_NATIVE on CPUs that report AMX) crashes with a segmentation fault on
these virtual machines. With a native build, `--no-extra-bufts` avoids the crash (it also
turns off llama.cpp's repacked-weight kernels, which changes Gemma's logits by up to ~1).
  python3 -m venv /var/cache/iris/venv-llm
  CMAKE_BUILD_PARALLEL_LEVEL=2 CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON \
    -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX_VNNI=ON -DGGML_AVX512=ON \
    -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF" \
    /var/cache/iris/venv-llm/bin/pip install --no-cache-dir -r tools/reference/requirements-llm.txt
  /var/cache/iris/venv-llm/bin/python tools/reference/llm_reference.py fixtures
  /var/cache/iris/venv-llm/bin/python tools/reference/llm_reference.py bench [--runs 3] [--model smollm2|gemma3]
Environment: IRIS_MODELS_DIR (default /var/cache/iris/models).
"""

import argparse
import ctypes
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
MODELS = Path(os.environ.get("IRIS_MODELS_DIR", "/var/cache/iris/models"))
FIXTURES = ROOT / "crates/iris-inference/tests/fixtures/llm"
FILES = {
    "smollm2": MODELS / "smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
    "gemma3": MODELS / "gemma3/gemma-3-270m-q4_k_m.gguf",
}
N_GREEDY = 16
N_BENCH_DECODE = 64

# Same strings as src/llm/chat.rs.
TEMPLATES = {
    "smollm2": "<|im_start|>user\n{p}<|im_end|>\n<|im_start|>assistant\n",
    "gemma3": "<start_of_turn>user\n{p}<end_of_turn>\n<start_of_turn>model\n",
}

TOKENIZE = [
    "Hello world",
    "Patient: 45-year-old male, BP 140/90 mmHg, HR 88 bpm, SpO2 97%.",
    "  leading spaces and  double  spaces\n\nnew lines\ttabs and trailing   ",
    "Numbers 1234567 and 3.14159, dates 2024-01-15, ratio 1:10000",
    "Unicode: café naïve résumé — “quotes” 日本語 🙂 Ωmega",
    "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n",
    "don't won't I'm you're they've we'll he'd DON'T",
    "MixedCASE CamelCase snake_case kebab-case https://example.org/a?b=c&d=e",
    "Metformin 500 mg PO BID; HbA1c 7.2% → target <7%.\n\n\n- item\n  - sub-item",
]

LONG_COUNT = ", ".join(str(i) for i in range(1, 251)) + ","

# "exact": prompts whose 16-token greedy path has no close near-tie in llama.cpp (smallest top-1
# / top-2 logit margin along the path: smollm2 0.541 and 1.373, gemma3 0.158 and 0.450 with the
# build above; >= 0.33 for all four with --no-extra-bufts; the f32 KV cache gives the same
# path): the Rust tests require the same tokens. The others have near-ties (margins 0.02-0.19)
# that llama.cpp itself resolves otherwise with an f32 KV cache; the tests compare them step
# by step along llama.cpp's path (`steps`: llama.cpp's top-5 logits at each step).
CASES = [
    {
        "name": "smollm2_chat_chambers",
        "model": "smollm2",
        "raw": False,
        "exact": True,
        "prompt": "List the four chambers of the heart.",
    },
    {
        "name": "smollm2_chat_capital",
        "model": "smollm2",
        "raw": False,
        "exact": True,
        "prompt": "What is the capital of France?",
    },
    {
        "name": "smollm2_raw_long_count",
        "model": "smollm2",
        "raw": True,
        "exact": True,
        "prompt": LONG_COUNT,
    },
    {
        "name": "smollm2_chat_diabetes",
        "model": "smollm2",
        "raw": False,
        "exact": False,
        "prompt": "What are the common symptoms of type 2 diabetes?",
    },
    {
        "name": "smollm2_raw_france",
        "model": "smollm2",
        "raw": True,
        "exact": False,
        "prompt": "The capital of France is",
    },
    {
        "name": "gemma3_raw_water",
        "model": "gemma3",
        "raw": True,
        "exact": True,
        "prompt": "The chemical symbol for water is",
    },
    {
        "name": "gemma3_raw_counting",
        "model": "gemma3",
        "raw": True,
        "exact": True,
        "prompt": "One, two, three, four, five,",
    },
    {
        # ~1,000 tokens: chunked prompt evaluation, Gemma's 512-token sliding window, rope at
        # far positions.
        "name": "gemma3_raw_long_count",
        "model": "gemma3",
        "raw": True,
        "exact": True,
        "prompt": LONG_COUNT,
    },
    {
        "name": "gemma3_raw_heart_attack",
        "model": "gemma3",
        "raw": True,
        "exact": False,
        "prompt": "The most common symptoms of a heart attack are",
    },
    {
        "name": "gemma3_chat_stroke",
        "model": "gemma3",
        "raw": False,
        "exact": False,
        "prompt": "List three risk factors for stroke.",
    },
]


def llama_cpp_mod():
    import llama_cpp

    return llama_cpp


NO_EXTRA_BUFTS = False


def load(model, **kw):
    llama_cpp = llama_cpp_mod()
    if NO_EXTRA_BUFTS:
        # llama.cpp's AMX and repacked-weight buffers off (its AMX kernels crash on some
        # virtual machines that advertise AMX; see the usage note above).
        default = llama_cpp.llama_cpp.llama_model_default_params

        def patched():
            p = default()
            p.use_extra_bufts = False
            return p

        llama_cpp.llama_cpp.llama_model_default_params = patched
    t = time.perf_counter()
    llm = llama_cpp.Llama(
        model_path=str(FILES[model]),
        n_ctx=2048,
        n_batch=512,
        n_threads=2,
        n_threads_batch=2,
        seed=0,
        verbose=False,
        **kw,
    )
    return llm, time.perf_counter() - t


def last_logits(llm):
    llama_cpp = llama_cpp_mod()
    ptr = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
    return np.ctypeslib.as_array(
        ctypes.cast(ptr, ctypes.POINTER(ctypes.c_float)), shape=(llm.n_vocab(),)
    ).copy()


def greedy(llm, ids, n, eog=()):
    """Up to n argmax tokens after `ids` (first maximum on a tie, as the Rust side), ending
    with an end-of-generation token if one comes; and llama.cpp's top-5 (id, logit) at each
    step."""
    llm.reset()
    llm.eval(ids)
    out, steps = [], []
    for _ in range(n):
        logits = last_logits(llm)
        top = np.argsort(-logits, kind="stable")[:5]
        steps.append([[int(i), round(float(logits[i]), 4)] for i in top])
        t = int(np.argmax(logits))
        out.append(t)
        if t in eog:
            break
        llm.eval([t])
    return out, steps


def prompt_text(case):
    if case["raw"]:
        return case["prompt"]
    return TEMPLATES[case["model"]].format(p=case["prompt"])


def fixtures():
    import llama_cpp

    FIXTURES.mkdir(parents=True, exist_ok=True)
    out = {
        "generator": "tools/reference/llm_reference.py (llama-cpp-python "
        + llama_cpp.__version__
        + "; tokenize(add_bos=True, special=True); greedy = argmax of the logits)",
        "tokenize": {},
        "cases": [],
    }
    for model in FILES:
        llm, _ = load(model)
        out["tokenize"][model] = [
            {"text": t, "ids": llm.tokenize(t.encode("utf-8"), add_bos=True, special=True)}
            for t in TOKENIZE
        ]
        eog = [
            t
            for t in range(llm.n_vocab())
            if llama_cpp.llama_vocab_is_eog(llama_cpp.llama_model_get_vocab(llm._model.model), t)
        ]
        out.setdefault("end_of_generation", {})[model] = eog
        for case in [c for c in CASES if c["model"] == model]:
            text = prompt_text(case)
            ids = llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)
            toks, steps = greedy(llm, ids, N_GREEDY, set(eog))
            out["cases"].append(
                dict(
                    case,
                    templated=text,
                    prompt_ids=ids,
                    greedy=toks,
                    greedy_text=llm.detokenize(toks).decode("utf-8", errors="replace"),
                    steps=steps,
                )
            )
        del llm
        # The same greedy runs with an f32 KV cache (llama.cpp's default is f16): shows whether
        # a token depends on the cache precision.
        llm, _ = load(model, type_k=0, type_v=0)
        for c in out["cases"]:
            if c["model"] == model:
                c["greedy_f32_kv"], _ = greedy(llm, c["prompt_ids"], N_GREEDY, set(eog))
        del llm
    path = FIXTURES / "reference.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    for c in out["cases"]:
        same = c["greedy"] == c["greedy_f32_kv"]
        margin = min(s[0][1] - s[1][1] for s in c["steps"])
        print(f"{c['name']}: {c['greedy_text']!r} (f32 KV same: {same}, smallest margin {margin:.3f})")


def bench_one(model, runs):
    prompt = (FIXTURES / "bench_prompt.txt").read_text(encoding="utf-8").strip()
    llm, load_s = load(model)
    ids = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
    rows = []
    for _ in range(runs):
        llm.reset()
        t = time.perf_counter()
        llm.eval(ids)
        first = int(np.argmax(last_logits(llm)))
        p = time.perf_counter() - t
        t = time.perf_counter()
        tok = first
        for _ in range(N_BENCH_DECODE):
            llm.eval([tok])
            tok = int(np.argmax(last_logits(llm)))
        d = time.perf_counter() - t
        rows.append((len(ids) / p, N_BENCH_DECODE / d))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for i, (pt, dt) in enumerate(rows):
        print(
            f"llama.cpp {model}: run {i + 1}: load {load_s:.2f} s, prompt {len(ids)} tokens "
            f"{pt:.1f} tok/s, decode {N_BENCH_DECODE} tokens {dt:.1f} tok/s"
        )
    print(f"llama.cpp {model}: peak RSS {peak_mib:.0f} MiB (n_threads=2, greedy)")


def bench(args):
    if args.model:
        bench_one(args.model, args.runs)
        return
    # One process per model: peak RSS is the model's own.
    for model in FILES:
        subprocess.run(
            [sys.executable, __file__, "bench", "--model", model, "--runs", str(args.runs)]
            + (["--no-extra-bufts"] if NO_EXTRA_BUFTS else []),
            check=True,
        )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["fixtures", "bench"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--model", choices=list(FILES))
    ap.add_argument(
        "--no-extra-bufts",
        action="store_true",
        help="turn off llama.cpp's AMX / repacked weight buffers (work-around for a crash)",
    )
    args = ap.parse_args()
    global NO_EXTRA_BUFTS
    NO_EXTRA_BUFTS = args.no_extra_bufts
    for m, f in FILES.items():
        if not f.exists():
            sys.exit(f"{f} is missing: run `cargo xtask fetch-models` ({m})")
    if args.mode == "fixtures":
        fixtures()
    else:
        bench(args)


if __name__ == "__main__":
    main()
