//! Tokenizers of the text models: a byte-level BPE built from a GGUF file's own metadata
//! (`tokenizer.ggml.*`, for models shipped without a tokenizer.json, e.g. SmolLM2), or a
//! Hugging Face tokenizer.json (Gemma 3).
//!
//! Both end up as one [`tokenizers::Tokenizer`] that never matches special tokens inside text
//! (`encode_special_tokens` on): special tokens are split out here, so a caller can choose
//! whether text may contain them ([`TextTokenizer::encode`], like llama.cpp with
//! `special = true`) or not ([`TextTokenizer::encode_text`], for user text inside a chat
//! template: a typed `<|im_end|>` stays text and cannot close the turn).
//!
//! The GGUF tokenizer reproduces llama.cpp's: for `tokenizer.ggml.pre = "smollm"` llama.cpp
//! first splits every digit on its own (`\p{N}`) and then applies the GPT-2 regex; byte-level
//! BPE, no prefix space; tokens of type 3 (control) are special tokens. candle's
//! `TokenizerFromGguf` is not used: it adds a prefix space.

use std::collections::HashMap;
use std::path::Path;

use candle_core::quantized::gguf_file;
use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::models::bpe::{BPE, Vocab};
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::digits::Digits;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::{AddedToken, PreTokenizerWrapper, Tokenizer};

use super::gguf::{meta_str, meta_u64};
use crate::error::{InferenceError, Result};

/// GGUF token types (llama.cpp `llama_token_type`).
const TOKEN_TYPE_CONTROL: i64 = 3;
const TOKEN_TYPE_USER_DEFINED: i64 = 4;

/// Texts of tokens that end a generation wherever a vocabulary has them: llama.cpp's
/// end-of-generation set (end of turn / text, and the fill-in-the-middle repository and file
/// separators), so both stop on the same tokens.
const END_OF_GENERATION: &[&str] = &[
    "<|eot_id|>",
    "<|im_end|>",
    "<|end|>",
    "<end_of_turn>",
    "<|endoftext|>",
    "</s>",
    "<|eom_id|>",
    "<EOT>",
    "<|end_of_text|>",
    "<eos>",
    "<|fim_pad|>",
    "<|fim_repo|>",
    "<|repo_name|>",
    "<reponame>",
    "<|file_sep|>",
];

/// A text model's tokenizer.
#[derive(Debug, Clone)]
pub struct TextTokenizer {
    inner: Tokenizer,
    /// Special tokens (text, id), longest text first (the longest match wins at a position).
    specials: Vec<(String, u32)>,
    /// Ids put before the text when special tokens are added (`<bos>` for Gemma).
    prefix: Vec<u32>,
    /// Tokens that end a generation (eos, end of turn).
    end_of_generation: Vec<u32>,
    model: String,
}

impl TextTokenizer {
    /// The tokenizer stored in a GGUF file's metadata (byte-level BPE only).
    pub fn from_gguf_file(path: &Path, model: &str) -> Result<Self> {
        let mut file = std::fs::File::open(path).map_err(|e| InferenceError::NotInstalled {
            model: model.to_string(),
            detail: format!("{} cannot be read: {e}", file_name(path)),
        })?;
        let content = gguf_file::Content::read(&mut file).map_err(|e| {
            InferenceError::corrupt(
                model,
                format!("{} is not a GGUF file: {e}", file_name(path)),
            )
        })?;
        Self::from_gguf(&content, model)
    }

    /// The tokenizer described by GGUF metadata already read.
    pub fn from_gguf(content: &gguf_file::Content, model: &str) -> Result<Self> {
        let md = &content.metadata;
        let corrupt = |detail: String| InferenceError::corrupt(model, detail);
        let kind = meta_str(md, "tokenizer.ggml.model").map_err(|e| corrupt(e.to_string()))?;
        if kind != "gpt2" {
            return Err(InferenceError::corrupt(
                model,
                format!(
                    "tokenizer model `{kind}` in the GGUF metadata is not supported (only byte-level BPE, `gpt2`); this model needs a tokenizer.json"
                ),
            ));
        }
        let pre = meta_str(md, "tokenizer.ggml.pre").unwrap_or("default");
        let tokens = string_array(md, "tokenizer.ggml.tokens").map_err(corrupt)?;
        let merges = string_array(md, "tokenizer.ggml.merges").map_err(corrupt)?;
        let types: Vec<i64> = match md.get("tokenizer.ggml.token_type") {
            Some(v) => v
                .to_vec()
                .map_err(|e| corrupt(format!("tokenizer.ggml.token_type: {e}")))?
                .iter()
                .map(|t| value_i64(t).unwrap_or(1))
                .collect(),
            None => vec![1; tokens.len()],
        };
        if types.len() != tokens.len() {
            return Err(corrupt(format!(
                "tokenizer.ggml.token_type has {} entries for {} tokens",
                types.len(),
                tokens.len()
            )));
        }

        // A duplicated token text keeps its first id (as llama.cpp's text → id map): later
        // entries of the collect win, so go backwards.
        let vocab: Vocab = tokens
            .iter()
            .enumerate()
            .rev()
            .map(|(id, tok)| (tok.clone(), id as u32))
            .collect();
        let mut merge_pairs = Vec::with_capacity(merges.len());
        for m in &merges {
            let Some((a, b)) = m.split_once(' ') else {
                return Err(corrupt(format!(
                    "tokenizer.ggml.merges has an entry without a space ({} bytes)",
                    m.len()
                )));
            };
            merge_pairs.push((a.to_string(), b.to_string()));
        }
        let bpe = BPE::builder()
            .vocab_and_merges(vocab, merge_pairs)
            .build()
            .map_err(|e| corrupt(format!("the GGUF BPE vocabulary is inconsistent: {e}")))?;

        let byte_level = ByteLevel::new(false, false, true);
        let pre_tokenizer: PreTokenizerWrapper = match pre {
            // llama.cpp: "\p{N}" first, then the GPT-2 regex.
            "smollm" => Sequence::new(vec![Digits::new(true).into(), byte_level.into()]).into(),
            "default" | "gpt2" | "gpt-2" => byte_level.into(),
            other => {
                return Err(corrupt(format!(
                    "tokenizer pre-tokenizer `{other}` in the GGUF metadata is not supported"
                )));
            }
        };
        let mut inner = Tokenizer::new(bpe);
        inner.with_pre_tokenizer(Some(pre_tokenizer));
        inner.with_decoder(Some(ByteLevelDecoder::default()));

        let mut special_tokens = Vec::new();
        let mut user_tokens = Vec::new();
        for (id, (tok, ty)) in tokens.iter().zip(&types).enumerate() {
            match *ty {
                TOKEN_TYPE_CONTROL => special_tokens.push((tok.clone(), id as u32)),
                TOKEN_TYPE_USER_DEFINED => user_tokens.push(tok.clone()),
                _ => {}
            }
        }
        inner
            .add_special_tokens(
                special_tokens
                    .iter()
                    .map(|(t, _)| AddedToken::from(t.clone(), true)),
            )
            .map_err(|e| corrupt(format!("special tokens: {e}")))?;
        if !user_tokens.is_empty() {
            inner
                .add_tokens(user_tokens.into_iter().map(|t| AddedToken::from(t, false)))
                .map_err(|e| corrupt(format!("user-defined tokens: {e}")))?;
        }
        inner.set_encode_special_tokens(true);

        let add_bos = md
            .get("tokenizer.ggml.add_bos_token")
            .and_then(|v| v.to_bool().ok())
            .unwrap_or(false);
        let bos = meta_u64(md, "tokenizer.ggml.bos_token_id")
            .ok()
            .map(|v| v as u32);
        let prefix = match (add_bos, bos) {
            (true, Some(b)) => vec![b],
            _ => Vec::new(),
        };
        let eos = meta_u64(md, "tokenizer.ggml.eos_token_id")
            .ok()
            .map(|v| v as u32);
        Ok(Self::assemble(inner, special_tokens, prefix, eos, model))
    }

    /// A Hugging Face tokenizer.json; `eos` is the end-of-sequence id from the model's
    /// metadata (other end-of-turn tokens are found by their text).
    pub fn from_json_file(path: &Path, eos: Option<u32>, model: &str) -> Result<Self> {
        let mut inner = load_compact(path).map_err(|e| {
            if !path.exists() {
                InferenceError::NotInstalled {
                    model: model.to_string(),
                    detail: format!("{} is missing", file_name(path)),
                }
            } else {
                InferenceError::corrupt(
                    model,
                    format!("{} is not a valid tokenizer: {e}", file_name(path)),
                )
            }
        })?;
        // What the post-processor puts around a text (Gemma: `<bos>` first).
        let prefix = inner
            .encode_fast("", true)
            .map_err(|e| InferenceError::corrupt(model, format!("tokenizer: {e}")))?
            .get_ids()
            .to_vec();
        let mut specials: Vec<(String, u32)> = inner
            .get_added_tokens_decoder()
            .into_iter()
            .filter(|(_, t)| t.special)
            .map(|(id, t)| (t.content, id))
            .collect();
        specials.sort_by_key(|(_, id)| *id);
        inner.set_encode_special_tokens(true);
        Ok(Self::assemble(inner, specials, prefix, eos, model))
    }

    fn assemble(
        inner: Tokenizer,
        mut specials: Vec<(String, u32)>,
        prefix: Vec<u32>,
        eos: Option<u32>,
        model: &str,
    ) -> Self {
        let mut end_of_generation: Vec<u32> = eos.into_iter().collect();
        for text in END_OF_GENERATION {
            if let Some(id) = inner.token_to_id(text)
                && !end_of_generation.contains(&id)
            {
                end_of_generation.push(id);
            }
        }
        end_of_generation.sort_unstable();
        specials.retain(|(t, _)| !t.is_empty());
        specials.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        Self {
            inner,
            specials,
            prefix,
            end_of_generation,
            model: model.to_string(),
        }
    }

    /// Token ids of `text`; special tokens written in the text (`<|im_start|>`) become their
    /// ids. `add_special` puts the model's start tokens first (`<bos>` for Gemma; nothing for
    /// SmolLM2, whose GGUF says `add_bos_token = false`).
    pub fn encode(&self, text: &str, add_special: bool) -> Result<Vec<u32>> {
        let mut ids = if add_special {
            self.prefix.clone()
        } else {
            Vec::new()
        };
        let mut rest = text;
        while !rest.is_empty() {
            match self.find_special(rest) {
                Some((at, len, id)) => {
                    self.encode_into(&rest[..at], &mut ids)?;
                    ids.push(id);
                    rest = &rest[at + len..];
                }
                None => {
                    self.encode_into(rest, &mut ids)?;
                    break;
                }
            }
        }
        Ok(ids)
    }

    /// Token ids of `text` as plain text: special-token strings in it stay text.
    pub fn encode_text(&self, text: &str) -> Result<Vec<u32>> {
        let mut ids = Vec::new();
        self.encode_into(text, &mut ids)?;
        Ok(ids)
    }

    fn encode_into(&self, text: &str, ids: &mut Vec<u32>) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        let enc = self
            .inner
            .encode_fast(text, false)
            .map_err(|e| InferenceError::Candle(format!("tokenizer of `{}`: {e}", self.model)))?;
        ids.extend_from_slice(enc.get_ids());
        Ok(())
    }

    /// The leftmost special token in `text`, longest first: (byte offset, byte length, id).
    fn find_special(&self, text: &str) -> Option<(usize, usize, u32)> {
        let mut best: Option<(usize, usize, u32)> = None;
        for (s, id) in &self.specials {
            if let Some(at) = text.find(s.as_str()) {
                // specials are sorted longest first: an equal offset keeps the longer one.
                if best.is_none_or(|(b, _, _)| at < b) {
                    best = Some((at, s.len(), *id));
                }
            }
        }
        best
    }

    /// The text of `ids`, special tokens left out. Incomplete UTF-8 at the end decodes to
    /// U+FFFD.
    pub fn decode(&self, ids: &[u32]) -> Result<String> {
        self.inner
            .decode(ids, true)
            .map_err(|e| InferenceError::Candle(format!("tokenizer of `{}`: {e}", self.model)))
    }

    /// The id of a token given by its text (special tokens included).
    pub fn token_id(&self, token: &str) -> Option<u32> {
        self.inner.token_to_id(token)
    }

    /// Tokens that end a generation (eos, end of turn).
    pub fn end_of_generation(&self) -> &[u32] {
        &self.end_of_generation
    }

    /// Number of tokens, special ones included.
    pub fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }

    /// Ids put first when special tokens are added (e.g. `<bos>`).
    pub fn prefix(&self) -> &[u32] {
        &self.prefix
    }
}

/// `Tokenizer::from_file`, keeping a copy of the result. Parsing a large tokenizer.json
/// (Gemma's: 262,144 tokens, 514,906 merges) makes millions of short-lived allocations, and
/// the allocator keeps most of that memory mapped afterwards (≈ 290 MB resident for a
/// tokenizer that needs ≈ 70 MB). Parsed on its own thread (its own allocator arena) while
/// the file's bytes are still held (freeing a large buffer raises glibc's trim threshold),
/// and copied out before the parsed one is dropped, ≈ 75 MB of that is given back.
fn load_compact(path: &Path) -> tokenizers::Result<Tokenizer> {
    let bytes = std::fs::read(path)?;
    let parsed = std::thread::scope(|s| {
        s.spawn(|| Tokenizer::from_bytes(&bytes))
            .join()
            .unwrap_or_else(|_| Err("the tokenizer loader panicked".into()))
    })?;
    let copy = parsed.clone();
    drop(parsed);
    drop(bytes);
    Ok(copy)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "the tokenizer file".to_string())
}

fn string_array(
    md: &HashMap<String, gguf_file::Value>,
    key: &str,
) -> std::result::Result<Vec<String>, String> {
    let v = md
        .get(key)
        .ok_or_else(|| format!("{key} is missing from the GGUF metadata"))?;
    let arr = v.to_vec().map_err(|e| format!("{key}: {e}"))?;
    arr.iter()
        .map(|x| {
            x.to_string()
                .cloned()
                .map_err(|e| format!("{key}: an entry is not a string: {e}"))
        })
        .collect()
}

fn value_i64(v: &gguf_file::Value) -> Option<i64> {
    use gguf_file::Value as V;
    Some(match v {
        V::U8(x) => *x as i64,
        V::I8(x) => *x as i64,
        V::U16(x) => *x as i64,
        V::I16(x) => *x as i64,
        V::U32(x) => *x as i64,
        V::I32(x) => *x as i64,
        V::U64(x) => *x as i64,
        V::I64(x) => *x,
        _ => return None,
    })
}
