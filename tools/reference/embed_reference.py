#!/usr/bin/env python3
"""Reference embeddings for iris-inference, from sentence-transformers on the same weights.

    python3 -m venv /var/cache/iris/venv-embed
    /var/cache/iris/venv-embed/bin/pip install -r tools/reference/requirements-embed.txt
    /var/cache/iris/venv-embed/bin/python tools/reference/embed_reference.py fixtures
    /var/cache/iris/venv-embed/bin/python tools/reference/embed_reference.py bench

`fixtures` writes crates/iris-inference/tests/fixtures/embed/minilm_reference.json: the vectors
of the sentences in sentences.txt (next to it), which the Rust tests compare to 1e-4.
`bench` times sentence-transformers on tools/reference/bench_sentences.txt with 2 threads at
batch 32 and batch 1, as `cargo bench -p iris-inference --bench embed` does for Iris.

The pipeline is all-MiniLM-L6-v2's own: BERT → mean pooling → L2 normalization, with the
tokenizer's truncation from the shipped tokenizer.json (128 tokens).
"""
import json
import os
import resource
import sys
import time
from pathlib import Path

import torch
from sentence_transformers import SentenceTransformer, models

ROOT = Path(__file__).resolve().parents[2]
MODELS = Path(os.environ.get("IRIS_MODELS_DIR", "/var/cache/iris/models"))
FOLDER = MODELS / "minilm"
FIXTURES = ROOT / "crates/iris-inference/tests/fixtures/embed"


def load():
    t = time.perf_counter()
    word = models.Transformer(str(FOLDER), max_seq_length=128)
    pool = models.Pooling(word.get_embedding_dimension(), pooling_mode="mean")
    model = SentenceTransformer(modules=[word, pool, models.Normalize()], device="cpu")
    return model, time.perf_counter() - t


def fixtures():
    sentences = (FIXTURES / "sentences.txt").read_text(encoding="utf-8").split("\n")
    sentences = [s for s in sentences if s.strip()]
    model, _ = load()
    vecs = model.encode(sentences, batch_size=len(sentences), convert_to_numpy=True)
    tok = model.tokenizer(sentences, truncation=True, max_length=128)
    out = {
        "generator": "tools/reference/embed_reference.py (sentence-transformers "
        + __import__("sentence_transformers").__version__
        + ", torch "
        + torch.__version__
        + ")",
        "model": "minilm",
        "dim": int(vecs.shape[1]),
        "items": [
            {"text": s, "token_ids": ids, "vector": [float(x) for x in v]}
            for s, ids, v in zip(sentences, tok["input_ids"], vecs)
        ],
    }
    (FIXTURES / "minilm_reference.json").write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(sentences)} vectors of {vecs.shape[1]}")


def bench():
    torch.set_num_threads(2)
    sentences = (ROOT / "tools/reference/bench_sentences.txt").read_text().split("\n")
    sentences = [s for s in sentences if s.strip()]
    model, load_s = load()
    model.encode(sentences[:32], batch_size=32)  # warm-up
    for batch in (32, 1):
        n = len(sentences) if batch > 1 else 64
        best = None
        for _ in range(3):
            t = time.perf_counter()
            model.encode(sentences[:n], batch_size=batch)
            dt = time.perf_counter() - t
            best = dt if best is None or dt < best else best
        print(f"sentence-transformers batch {batch}: {n / best:.1f} sentences/s ({n} sentences, best of 3)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"sentence-transformers load {load_s:.2f} s, peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    {"fixtures": fixtures, "bench": bench}[sys.argv[1] if len(sys.argv) > 1 else "fixtures"]()
