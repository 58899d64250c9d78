//! GGUF text generation against llama.cpp, on the real weights (IRIS_MODELS_DIR, default
//! /var/cache/iris/models; the tests fail when the models are missing: run
//! `cargo xtask fetch-models`).
//!
//! The reference ids in tests/fixtures/llm/reference.json come from llama.cpp through
//! `tools/reference/llm_reference.py fixtures` (llama-cpp-python, same files, same prompts,
//! greedy = argmax of the logits).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use candle_core::Device;
use candle_core::quantized::gguf_file::{self, Value};
use iris_inference::llm::{
    ChatTemplate, Detokenizer, GenerateRequest, LoadOptions, Sampling, StopReason, TextModel,
    TextTokenizer,
};

const SMOL_GGUF: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";
const GEMMA_GGUF: &str = "gemma-3-270m-q4_k_m.gguf";

fn models_dir() -> PathBuf {
    let dir = std::env::var_os("IRIS_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/iris/models"));
    for f in [
        format!("smollm2/{SMOL_GGUF}"),
        format!("gemma3/{GEMMA_GGUF}"),
        "gemma3/tokenizer.json".to_string(),
    ] {
        assert!(
            dir.join(&f).is_file(),
            "{} is missing: run `cargo xtask fetch-models` (or set IRIS_MODELS_DIR)",
            dir.join(&f).display()
        );
    }
    dir
}

fn smol_path() -> PathBuf {
    models_dir().join("smollm2").join(SMOL_GGUF)
}

fn reference() -> &'static serde_json::Value {
    static R: OnceLock<serde_json::Value> = OnceLock::new();
    R.get_or_init(|| {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/llm/reference.json");
        serde_json::from_str(&std::fs::read_to_string(&p).expect("reference.json")).unwrap()
    })
}

fn ids(v: &serde_json::Value) -> Vec<u32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as u32)
        .collect()
}

fn load(name: &str, options: &LoadOptions) -> TextModel {
    let dir = models_dir().join(name);
    let (gguf, tok) = match name {
        "smollm2" => (dir.join(SMOL_GGUF), None),
        _ => (dir.join(GEMMA_GGUF), Some(dir.join("tokenizer.json"))),
    };
    TextModel::load_files_with(name, &gguf, tok.as_deref(), &Device::Cpu, options)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One loaded model per family for the whole test binary (tests run in parallel threads).
fn shared(name: &str) -> MutexGuard<'static, TextModel> {
    static SMOL: OnceLock<Mutex<TextModel>> = OnceLock::new();
    static GEMMA: OnceLock<Mutex<TextModel>> = OnceLock::new();
    let cell = if name == "smollm2" { &SMOL } else { &GEMMA };
    cell.get_or_init(|| Mutex::new(load(name, &LoadOptions::default())))
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn greedy(prompt: &str, raw: bool, max_tokens: usize) -> GenerateRequest {
    GenerateRequest {
        prompt: prompt.to_string(),
        raw,
        max_tokens,
        stop: vec![],
        sampling: Sampling::Greedy,
    }
}

fn never() -> AtomicBool {
    AtomicBool::new(false)
}

// ---------------------------------------------------------------------------------------
// Tokenizer from GGUF metadata, on a small synthetic file.

/// GPT-2's byte → printable character map.
fn byte_chars() -> Vec<char> {
    let mut out = vec!['\0'; 256];
    let mut n = 0u32;
    for b in 0..256u32 {
        let printable =
            (33..=126).contains(&b) || (161..=172).contains(&b) || (174..=255).contains(&b);
        out[b as usize] = if printable {
            char::from_u32(b).unwrap()
        } else {
            n += 1;
            char::from_u32(255 + n).unwrap()
        };
    }
    out
}

fn write_synthetic_gguf(path: &Path) -> Vec<String> {
    let mut tokens: Vec<String> = vec!["<|endoftext|>".into(), "<|im_start|>".into()];
    let mut types: Vec<i32> = vec![3, 3];
    for c in byte_chars() {
        tokens.push(c.to_string());
        types.push(1);
    }
    let merges = [
        "h e", "he l", "hel l", "hell o", "Ġ w", "o r", "Ġw or", "Ġwor l", "Ġworl d", "1 2", "Ġ Ġ",
    ];
    for m in merges {
        tokens.push(m.replace(' ', ""));
        types.push(1);
    }
    let s = |x: &str| Value::String(x.to_string());
    let arr_s = |xs: &[String]| Value::Array(xs.iter().map(|x| Value::String(x.clone())).collect());
    let md: Vec<(&str, Value)> = vec![
        ("general.architecture", s("llama")),
        ("tokenizer.ggml.model", s("gpt2")),
        ("tokenizer.ggml.pre", s("smollm")),
        ("tokenizer.ggml.tokens", arr_s(&tokens)),
        (
            "tokenizer.ggml.token_type",
            Value::Array(types.iter().map(|t| Value::I32(*t)).collect()),
        ),
        (
            "tokenizer.ggml.merges",
            arr_s(&merges.iter().map(|m| m.to_string()).collect::<Vec<_>>()),
        ),
        ("tokenizer.ggml.eos_token_id", Value::U32(0)),
        ("tokenizer.ggml.bos_token_id", Value::U32(0)),
        ("tokenizer.ggml.add_bos_token", Value::Bool(false)),
    ];
    let md_refs: Vec<(&str, &Value)> = md.iter().map(|(k, v)| (*k, v)).collect();
    let mut f = std::fs::File::create(path).unwrap();
    gguf_file::write(&mut f, &md_refs, &[]).unwrap();
    tokens
}

#[test]
fn the_gguf_tokenizer_reads_a_synthetic_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny.gguf");
    let tokens = write_synthetic_gguf(&path);
    let id = |t: &str| tokens.iter().position(|x| x == t).unwrap() as u32;
    let tok = TextTokenizer::from_gguf_file(&path, "tiny").unwrap();
    assert_eq!(tok.vocab_size(), tokens.len());

    // No prefix space: "hello" at the start is one token, not "Ġhello".
    assert_eq!(tok.encode("hello", true).unwrap(), vec![id("hello")]);
    assert_eq!(
        tok.encode("hello world", false).unwrap(),
        vec![id("hello"), id("Ġworld")]
    );
    // Digits are split one by one before BPE: the merge "1 2" never applies (llama.cpp's
    // "smollm" pre-tokenizer: \p{N} first).
    assert_eq!(tok.encode("12", false).unwrap(), vec![id("1"), id("2")]);
    assert_eq!(
        tok.encode("x12", false).unwrap(),
        vec![id("x"), id("1"), id("2")]
    );
    // Two spaces before a word: "Ġ" then "Ġworld" (GPT-2's \s+(?!\S)).
    assert_eq!(
        tok.encode("hello  world", false).unwrap(),
        vec![id("hello"), id("Ġ"), id("Ġworld")]
    );
    // Control tokens (type 3) are special: parsed by `encode`, plain text for `encode_text`.
    assert_eq!(
        tok.encode("<|im_start|>hello", false).unwrap(),
        vec![1, id("hello")]
    );
    let as_text = tok.encode_text("<|im_start|>").unwrap();
    assert_eq!(as_text.len(), "<|im_start|>".len());
    assert!(!as_text.contains(&1));
    assert_eq!(tok.decode(&as_text).unwrap(), "<|im_start|>");
    // Byte-level decoding, special tokens left out; multi-byte characters.
    let e = tok.encode("<|im_start|>hello world é🙂", false).unwrap();
    assert_eq!(tok.decode(&e).unwrap(), "hello world é🙂");
    assert!(tok.end_of_generation().contains(&0));
    assert!(tok.prefix().is_empty());
}

#[test]
fn a_non_bpe_gguf_tokenizer_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spm.gguf");
    let v = Value::String("llama".into());
    let mut f = std::fs::File::create(&path).unwrap();
    gguf_file::write(&mut f, &[("tokenizer.ggml.model", &v)], &[]).unwrap();
    drop(f);
    let e = TextTokenizer::from_gguf_file(&path, "spm").unwrap_err();
    assert_eq!(e.code(), "CORRUPT");
    assert!(e.to_string().contains("tokenizer.json"), "{e}");
}

#[test]
fn the_smollm2_tokenizer_matches_llama_cpp() {
    let tok = TextTokenizer::from_gguf_file(&smol_path(), "smollm2").unwrap();
    // The same end-of-generation tokens as llama.cpp (<|endoftext|>, <|im_end|>, <reponame>).
    assert_eq!(
        tok.end_of_generation(),
        ids(&reference()["end_of_generation"]["smollm2"])
    );
    let cases = reference()["tokenize"]["smollm2"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for c in cases {
        let text = c["text"].as_str().unwrap();
        let want = ids(&c["ids"]);
        let got = tok.encode(text, true).unwrap();
        assert_eq!(got, want, "SmolLM2 tokens of {text:?}");
        assert_eq!(
            tok.decode(&got).unwrap(),
            text.replace("<|im_start|>", "").replace("<|im_end|>", "")
        );
    }
}

#[test]
fn the_gemma3_tokenizer_json_matches_llama_cpp_on_the_gguf_vocabulary() {
    let dir = models_dir().join("gemma3");
    let tok =
        TextTokenizer::from_json_file(&dir.join("tokenizer.json"), Some(1), "gemma3").unwrap();
    assert_eq!(tok.prefix(), &[2]);
    // <eos>, <end_of_turn> and </s>, as llama.cpp.
    assert_eq!(
        tok.end_of_generation(),
        ids(&reference()["end_of_generation"]["gemma3"])
    );
    for c in reference()["tokenize"]["gemma3"].as_array().unwrap() {
        let text = c["text"].as_str().unwrap();
        assert_eq!(
            tok.encode(text, true).unwrap(),
            ids(&c["ids"]),
            "Gemma tokens of {text:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Greedy generation against llama.cpp.

/// Near-tie threshold: a llama.cpp top-1 / top-2 logit margin under which choosing its second
/// token is no error. llama.cpp's own margins move by this much with nothing but its numerics
/// changed: "The capital of France is" step 5 (" United" vs " answer"): 0.330 decoding token
/// by token with its default f16 KV cache, 0.193 evaluating the path as one batch, 0.034 with
/// an f32 KV cache; with an f32 KV cache llama.cpp's own greedy path leaves its default one
/// within 16 tokens on 4 of the 8 reference prompts.
const TIE: f32 = 0.5;
/// Largest difference of a top-5 token's logit relative to the top token's, ours vs
/// llama.cpp's. llama.cpp with an f16 vs an f32 KV cache differs by up to 1.16 in absolute
/// logits on these prompts (mean 0.13–0.29), and its builds with and without repacked
/// kernels by up to 0.96 (Gemma); ours vs llama.cpp is of the same order.
const REL_LOGIT_TOL: f32 = 1.0;

fn cases(name: &str) -> Vec<&'static serde_json::Value> {
    reference()["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["model"] == name)
        .collect()
}

/// The "exact" reference prompts (no near-tie on llama.cpp's path): generation gives
/// llama.cpp's tokens, up to its end-of-generation token if one comes within 16.
/// `max_prompt` leaves out longer prompts (the slow as-shipped kernels).
fn check_exact(model: &mut TextModel, name: &str, label: &str, max_prompt: usize) {
    let eog = ids(&reference()["end_of_generation"][name]);
    let mut n = 0;
    for c in cases(name)
        .into_iter()
        .filter(|c| c["exact"] == true && c["prompt_ids"].as_array().unwrap().len() <= max_prompt)
    {
        n += 1;
        let (prompt, raw) = (c["prompt"].as_str().unwrap(), c["raw"].as_bool().unwrap());
        if !raw {
            assert_eq!(
                model.template().render(prompt),
                c["templated"].as_str().unwrap()
            );
        }
        assert_eq!(
            model.prompt_tokens(prompt, raw).unwrap(),
            ids(&c["prompt_ids"]),
            "{label} {}: prompt tokens",
            c["name"]
        );
        let mut want = ids(&c["greedy"]);
        let ends = want.last().is_some_and(|t| eog.contains(t));
        let g = model
            .generate(&greedy(prompt, raw, 16), &never(), &mut |_| {})
            .unwrap();
        if ends {
            want.pop();
            assert_eq!(
                g.stop_reason,
                StopReason::EndOfSequence,
                "{label} {}",
                c["name"]
            );
        } else {
            assert_eq!(
                g.stop_reason,
                StopReason::MaxTokens,
                "{label} {}",
                c["name"]
            );
        }
        assert_eq!(
            g.tokens, want,
            "{label} {}: greedy tokens differ from llama.cpp ({:?} vs {:?})",
            c["name"], g.text, c["greedy_text"]
        );
    }
    assert!(n >= 2, "{name}: exact reference cases");
}

/// Every reference prompt, step by step along llama.cpp's greedy path (our logits after the
/// prompt and llama.cpp's tokens so far): our choice is llama.cpp's except on its near-ties,
/// and the logits of its top-5 tokens relative to its top one match ours. Returns the steps
/// where the choice differs: (case, step, llama.cpp's margin, ours).
fn check_along_path(model: &mut TextModel, name: &str, label: &str) -> Vec<String> {
    let mut flips = Vec::new();
    // The long prompts (≈1,100 tokens, exact cases) are left to `check_exact`: 16 evaluations
    // of the whole prompt each would add minutes.
    for c in cases(name)
        .into_iter()
        .filter(|c| c["prompt_ids"].as_array().unwrap().len() < 256)
    {
        let mut seq = ids(&c["prompt_ids"]);
        assert_eq!(
            model
                .prompt_tokens(c["prompt"].as_str().unwrap(), c["raw"].as_bool().unwrap())
                .unwrap(),
            seq
        );
        for (step, (tok, top)) in ids(&c["greedy"])
            .into_iter()
            .zip(c["steps"].as_array().unwrap())
            .enumerate()
        {
            let top: Vec<(usize, f32)> = top
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e[0].as_u64().unwrap() as usize,
                        e[1].as_f64().unwrap() as f32,
                    )
                })
                .collect();
            let ours = model.next_token_logits(&seq).unwrap();
            let pick = argmax(&ours);
            let (t0, l0) = top[0];
            assert_eq!(t0 as u32, tok);
            for &(t, l) in &top {
                let d = ((ours[t] - ours[t0]) - (l - l0)).abs();
                assert!(
                    d < REL_LOGIT_TOL,
                    "{label} {} step {step}: logit of token {t} relative to {t0} differs by {d:.3}",
                    c["name"]
                );
            }
            if pick != t0 {
                let theirs = top.iter().find(|(t, _)| *t == pick).map(|(_, l)| l0 - l);
                let ll_margin = l0 - top[1].1;
                assert!(
                    theirs.is_some_and(|m| m < TIE),
                    "{label} {} step {step}: we pick {pick}, llama.cpp {t0} by {theirs:?} (its margin {ll_margin:.3})",
                    c["name"]
                );
                // A near-tie both ways: our own preference for the other token is as slight.
                assert!(
                    ours[pick] - ours[t0] < TIE,
                    "{label} {} step {step}: we pick {pick} over llama.cpp's {t0} by {:.3}",
                    c["name"],
                    ours[pick] - ours[t0]
                );
                flips.push(format!(
                    "{} step {step}: llama.cpp {t0} over {pick} by {:.3}, ours {pick} by {:.3}",
                    c["name"],
                    theirs.unwrap(),
                    ours[pick] - ours[t0]
                ));
            }
            seq.push(tok);
        }
    }
    flips
}

fn argmax(xs: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in xs.iter().enumerate() {
        if x > xs[best] {
            best = i;
        }
    }
    best
}

// The shipped path (Q4_1 / Q5_0 re-quantized to Q8_0) and the files as shipped (candle's
// kernels on the original formats) both give llama.cpp's tokens on the exact cases
// (SmolLM2: "List the four chambers of the heart." and "What is the capital of France?",
// which ends with <|im_end|> as llama.cpp's; Gemma: "The chemical symbol for water is",
// "One, two, three, four, five,"; and, re-quantized only, for both: "1, 2, 3, …, 250," —
// ≈1,140 tokens, run in chunks, past Gemma's 512-token sliding window).
//
// Along llama.cpp's path on all eight prompts, the re-quantized model picks another token
// only on these near-ties (llama.cpp's margin; ours the other way), with the fixtures as
// committed:
// - smollm2 "What are the common symptoms of type 2 diabetes?" step 1, after "The":
//   llama.cpp " symptoms" over " common" by 0.073 (0.22 with an f32 KV cache); ours
//   " common" by 0.102 ("The common symptoms of …" instead of "The symptoms of …");
// - smollm2 "The capital of France is" step 5, after " Paris.\n\nThe": llama.cpp " United"
//   over " answer" by 0.330 (0.193 evaluated as one batch, 0.034 with an f32 KV cache, where
//   llama.cpp itself goes another way); ours " answer" by 0.051;
// - gemma3 "The most common symptoms of a heart attack are" step 11, after "… and a feeling
//   of": llama.cpp " impending" over " fullness" by 0.255 (0.086 without its repacked
//   kernels); ours " fullness" by 0.073;
// - gemma3 "List three risk factors for stroke." in the chat template (a base model: it
//   repeats the prompt and junk, flat logits) step 9: llama.cpp "course" over "COURSE" by
//   0.016, ours "COURSE" by 0.290; step 11: llama.cpp "List" over "Course" by 0.419, ours
//   "Course" by 0.086.
// As shipped (no re-quantization), SmolLM2 follows llama.cpp's path on all four prompts with
// no flip at all, and Gemma on the three raw prompts: the flips above come from the Q8_0
// re-quantization, which moves logits by up to ~0.3 here, as much as llama.cpp's own f16 KV
// cache does (see TIE). (As shipped, Gemma's chat-template junk case goes another way at
// step 7 instead, where llama.cpp's margin is 0.82; llama.cpp's own logits move by up to
// 0.96 between its builds with and without repacked kernels on these prompts.) A
// free-running generation continues differently after a flip, which is why the exact
// comparison uses the prompts without near-ties.

#[test]
fn smollm2_greedy_matches_llama_cpp() {
    let mut m = shared("smollm2");
    check_exact(&mut m, "smollm2", "Q8_0", usize::MAX);
    let flips = check_along_path(&mut m, "smollm2", "Q8_0");
    drop(m);
    println!("smollm2 Q8_0 near-tie flips: {flips:#?}");
    // The near-ties listed above, plus one that depends on the host's f32 matmul kernels
    // (gemm picks AVX-512 or AVX2/FMA at run time): on AMD EPYC hosts without AVX-512,
    // "The capital of France is" step 14 also flips (llama.cpp 33 over 34 by 0.190, ours 34
    // by 0.032). A fourth flip is a regression even when it is a near-tie.
    assert!(flips.len() <= 3, "{flips:?}");
    let mut m = load(
        "smollm2",
        &LoadOptions {
            requantize: false,
            ..LoadOptions::default()
        },
    );
    check_exact(&mut m, "smollm2", "Q4_1 as shipped", 256);
}

#[test]
fn gemma3_greedy_matches_llama_cpp() {
    let mut m = shared("gemma3");
    check_exact(&mut m, "gemma3", "Q8_0", usize::MAX);
    let flips = check_along_path(&mut m, "gemma3", "Q8_0");
    drop(m);
    println!("gemma3 Q8_0 near-tie flips: {flips:#?}");
    // The three near-ties listed above.
    assert!(flips.len() <= 3, "{flips:?}");
    let mut m = load(
        "gemma3",
        &LoadOptions {
            requantize: false,
            ..LoadOptions::default()
        },
    );
    check_exact(&mut m, "gemma3", "as shipped (Q4_K/Q5_0/Q6_K/Q8_0)", 256);
}

#[test]
fn gemma3_completes_a_clinical_sentence_sensibly() {
    let mut m = shared("gemma3");
    let mut streamed = String::new();
    let g = m
        .generate(
            &greedy("The most common symptoms of a heart attack are", true, 24),
            &never(),
            &mut |t| streamed.push_str(t),
        )
        .unwrap();
    assert_eq!(streamed, g.text);
    assert!(g.text.contains("chest pain"), "{:?}", g.text);
    assert!(g.text.contains("shortness of breath"), "{:?}", g.text);
}

// ---------------------------------------------------------------------------------------
// Generation controls.

#[test]
fn stop_sequences_end_the_text_and_are_never_streamed() {
    let mut m = shared("smollm2");
    let base = m
        .generate(
            &greedy("The capital of France is", true, 24),
            &never(),
            &mut |_| {},
        )
        .unwrap();
    // Stop on the third word of what the model writes anyway.
    let words: Vec<&str> = base.text.split_whitespace().collect();
    assert!(words.len() >= 4, "{:?}", base.text);
    let stop = format!(" {}", words[2]);
    let at = base.text.find(&stop).unwrap();
    let mut req = greedy("The capital of France is", true, 24);
    req.stop = vec!["never-appears".into(), stop.clone()];
    let mut pieces = Vec::new();
    let g = m
        .generate(&req, &never(), &mut |t| pieces.push(t.to_string()))
        .unwrap();
    assert_eq!(g.stop_reason, StopReason::StopSequence);
    assert_eq!(g.text, base.text[..at]);
    assert_eq!(pieces.concat(), g.text);
    assert!(
        pieces.iter().all(|p| !p.contains(stop.trim())),
        "{pieces:?}"
    );
    assert!(g.tokens.len() < base.tokens.len());
}

#[test]
fn max_tokens_bounds_the_generation_and_requests_do_not_leak_into_each_other() {
    let mut m = shared("smollm2");
    let req = greedy("Write a short note about hand washing.", false, 5);
    let a = m.generate(&req, &never(), &mut |_| {}).unwrap();
    assert_eq!(a.stop_reason, StopReason::MaxTokens);
    assert_eq!(a.tokens.len(), 5);
    assert!(a.prompt_tokens > 5);
    // Another prompt in between, then the first again: the KV cache is reset per request.
    m.generate(
        &greedy("Tell me about the kidneys.", false, 7),
        &never(),
        &mut |_| {},
    )
    .unwrap();
    let b = m.generate(&req, &never(), &mut |_| {}).unwrap();
    assert_eq!(a.tokens, b.tokens);
    assert_eq!(a.text, b.text);
    // Zero tokens: nothing generated.
    let z = m
        .generate(&greedy("Hi", false, 0), &never(), &mut |_| {})
        .unwrap();
    assert!(z.tokens.is_empty() && z.text.is_empty());
}

#[test]
fn seeded_sampling_is_reproducible() {
    let mut m = shared("smollm2");
    let mut req = greedy("Give one tip for better sleep.", false, 12);
    req.sampling = Sampling::Temperature {
        temperature: 0.8,
        top_p: 0.9,
        seed: 42,
    };
    let a = m.generate(&req, &never(), &mut |_| {}).unwrap();
    let b = m.generate(&req, &never(), &mut |_| {}).unwrap();
    assert_eq!(a.tokens, b.tokens);
    assert!(!a.tokens.is_empty());
}

#[test]
fn a_cancel_flag_set_from_the_callback_stops_at_the_next_step() {
    let mut m = shared("smollm2");
    let cancel = AtomicBool::new(false);
    let mut calls = 0;
    let g = m
        .generate(
            &greedy("Explain what blood pressure is.", false, 200),
            &cancel,
            &mut |_| {
                calls += 1;
                cancel.store(true, Ordering::Relaxed);
            },
        )
        .unwrap();
    assert_eq!(g.stop_reason, StopReason::Cancelled);
    assert_eq!(
        calls, 1,
        "no text after the cancel (held text is flushed with the last piece)"
    );
    // The token whose text was streamed is the last one: no model step ran after the cancel.
    assert!(g.tokens.len() <= 3, "{} tokens", g.tokens.len());

    // Cancelled before it starts: no step at all.
    let pre = AtomicBool::new(true);
    let g = m
        .generate(&greedy("Hello", false, 50), &pre, &mut |_| {})
        .unwrap();
    assert_eq!(g.stop_reason, StopReason::Cancelled);
    assert!(g.tokens.is_empty());
}

#[test]
fn a_cancel_flag_set_from_another_thread_stops_promptly() {
    let mut m = shared("smollm2");
    let cancel = Arc::new(AtomicBool::new(false));
    let c2 = cancel.clone();
    let started = Arc::new(AtomicBool::new(false));
    let s2 = started.clone();
    let setter = std::thread::spawn(move || {
        while !s2.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(200));
        c2.store(true, Ordering::Relaxed);
        Instant::now()
    });
    let mut at_cancel = None;
    let g = m
        .generate(
            &greedy("Write a long essay about the heart.", false, 4000),
            &cancel,
            &mut |_| {
                started.store(true, Ordering::Relaxed);
                if at_cancel.is_none() && cancel.load(Ordering::Relaxed) {
                    at_cancel = Some(Instant::now());
                }
            },
        )
        .unwrap();
    let returned = Instant::now();
    let set_at = setter.join().unwrap();
    assert_eq!(g.stop_reason, StopReason::Cancelled);
    assert!(g.tokens.len() < 4000);
    // One decode step of a 135M model is tens of milliseconds; allow a slow machine.
    let lag = returned.duration_since(set_at);
    assert!(
        lag < Duration::from_secs(2),
        "returned {lag:?} after the cancel"
    );
}

#[test]
fn a_prompt_longer_than_the_context_is_refused_without_its_text() {
    let mut m = shared("smollm2");
    let ctx = m.context_length();
    assert_eq!(ctx, 8192);
    let prompt = "confidential ".repeat(ctx + 10);
    let e = m
        .generate(&greedy(&prompt, true, 16), &never(), &mut |_| {})
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_INPUT");
    let msg = e.to_string();
    assert!(msg.contains("context"), "{msg}");
    assert!(!msg.contains("confidential"), "{msg}");
    // It fits, but not with the tokens asked for.
    let n = m.prompt_tokens("hello", true).unwrap().len();
    let e = m
        .generate(&greedy("hello", true, ctx - n + 1), &never(), &mut |_| {})
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_INPUT");
    // Empty prompt (SmolLM2 adds no <bos>).
    let e = m
        .generate(&greedy("", true, 4), &never(), &mut |_| {})
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_INPUT");
}

#[test]
fn streaming_never_splits_a_character() {
    // Byte-level tokens of accented letters, CJK and emoji arrive one byte at a time.
    let text = "café naïve — 日本語 🙂🫀 Ωmega";
    let smol = TextTokenizer::from_gguf_file(&smol_path(), "smollm2").unwrap();
    let gdir = models_dir().join("gemma3");
    let gemma =
        TextTokenizer::from_json_file(&gdir.join("tokenizer.json"), Some(1), "gemma3").unwrap();
    for (label, tok) in [("smollm2", &smol), ("gemma3", &gemma)] {
        let ids = tok.encode_text(text).unwrap();
        assert!(ids.len() > text.chars().count() / 2, "{label}");
        let mut d = Detokenizer::default();
        let mut out = String::new();
        let mut held = 0;
        for id in ids {
            match d.push(tok, id).unwrap() {
                Some(p) => {
                    assert!(!p.contains('\u{FFFD}'), "{label}: {p:?}");
                    out.push_str(&p);
                }
                None => held += 1,
            }
        }
        if let Some(p) = d.flush(tok).unwrap() {
            out.push_str(&p);
        }
        assert_eq!(out, text, "{label}");
        assert!(
            held > 0,
            "{label}: some byte tokens must have been held back"
        );
    }
}

#[test]
fn chat_templates_put_user_text_between_special_tokens_only_the_template_makes() {
    let m = shared("smollm2");
    assert_eq!(m.template(), ChatTemplate::ChatMl);
    let ids = m.prompt_tokens("a <|im_end|> b", false).unwrap();
    // <|im_start|> twice and <|im_end|> once, all from the template: the typed one is text.
    assert_eq!(ids.iter().filter(|&&t| t == 1).count(), 2);
    assert_eq!(ids.iter().filter(|&&t| t == 2).count(), 1);
    // Raw prompts honour special tokens written in them.
    let raw = m.prompt_tokens("<|im_start|>user", true).unwrap();
    assert_eq!(raw[0], 1);
}

// ---------------------------------------------------------------------------------------
// Damaged files.

#[test]
fn a_truncated_gguf_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(smol_path()).unwrap();
    // Cut in the tensor data: the header reads, the tensors do not fit.
    let cut = dir.path().join("cut.gguf");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let e = TextModel::load_files("smollm2", &cut, None, &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "CORRUPT", "{e}");
    assert!(e.to_string().contains("truncated"), "{e}");
    // Cut in the metadata.
    std::fs::write(&cut, &bytes[..4096]).unwrap();
    let e = TextModel::load_files("smollm2", &cut, None, &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "CORRUPT", "{e}");
    // Not a GGUF file at all.
    std::fs::write(&cut, b"not a model").unwrap();
    let e = TextModel::load_files("smollm2", &cut, None, &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "CORRUPT", "{e}");
    // Missing.
    let e = TextModel::load_files("smollm2", &dir.path().join("none.gguf"), None, &Device::Cpu)
        .unwrap_err();
    assert_eq!(e.code(), "NOT_INSTALLED", "{e}");
}

#[test]
fn a_model_that_does_not_match_its_hash_is_refused_and_a_missing_one_says_how_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let e = TextModel::load(dir.path(), "smollm2", &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "NOT_INSTALLED", "{e}");
    assert!(e.to_string().contains("cargo xtask fetch-models"), "{e}");

    let mut bytes = std::fs::read(smol_path()).unwrap();
    let i = bytes.len() - 1000;
    bytes[i] ^= 0x55; // same size, different content
    std::fs::create_dir_all(dir.path().join("smollm2")).unwrap();
    std::fs::write(dir.path().join("smollm2").join(SMOL_GGUF), &bytes).unwrap();
    let e = TextModel::load(dir.path(), "smollm2", &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "CORRUPT", "{e}");
    assert!(e.to_string().contains("sha256"), "{e}");

    let e = TextModel::load(dir.path(), "minilm", &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_MODEL", "{e}");
}

#[test]
fn a_model_can_move_to_a_worker_thread() {
    fn send<T: Send + 'static>() {}
    send::<TextModel>();
    send::<GenerateRequest>();
    send::<iris_inference::llm::Generated>();
}

#[test]
fn the_verified_load_works_on_the_installed_models() {
    let m = TextModel::load(&models_dir(), "smollm2", &Device::Cpu).unwrap();
    assert_eq!(m.name(), "smollm2");
    assert_eq!(
        m.tokenize("Hello", true).unwrap(),
        m.tokenize("Hello", false).unwrap()
    );
}
