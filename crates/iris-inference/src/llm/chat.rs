//! Chat templates. A template is a list of segments: special tokens, which only the template
//! can produce, and text, tokenized as plain text (a `<|im_end|>` typed by the user stays
//! text). Tokenizing the segments one by one gives exactly the ids llama.cpp gives for the
//! whole templated string with special-token parsing on, since llama.cpp also splits the
//! text at special tokens before tokenizing the pieces.

/// The prompt format of a model family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatTemplate {
    /// `<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n` (SmolLM2).
    ChatMl,
    /// `<start_of_turn>user\n{prompt}<end_of_turn>\n<start_of_turn>model\n` after `<bos>`
    /// (Gemma; the shipped gemma3 file is the base model, for which raw completion prompts
    /// work better).
    Gemma,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Special(&'static str),
    Text(String),
}

impl ChatTemplate {
    /// The segments of a single-turn prompt.
    pub(crate) fn segments(self, prompt: &str) -> Vec<Segment> {
        use Segment::{Special, Text};
        match self {
            ChatTemplate::ChatMl => vec![
                Special("<|im_start|>"),
                Text(format!("user\n{prompt}")),
                Special("<|im_end|>"),
                Text("\n".into()),
                Special("<|im_start|>"),
                Text("assistant\n".into()),
            ],
            ChatTemplate::Gemma => vec![
                Special("<start_of_turn>"),
                Text(format!("user\n{prompt}")),
                Special("<end_of_turn>"),
                Text("\n".into()),
                Special("<start_of_turn>"),
                Text("model\n".into()),
            ],
        }
    }

    /// The templated prompt as one string (what llama.cpp is given by the reference script).
    pub fn render(self, prompt: &str) -> String {
        self.segments(prompt)
            .into_iter()
            .map(|s| match s {
                Segment::Special(t) => t.to_string(),
                Segment::Text(t) => t,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_render_as_documented() {
        assert_eq!(
            ChatTemplate::ChatMl.render("Hi"),
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        );
        assert_eq!(
            ChatTemplate::Gemma.render("Hi"),
            "<start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n"
        );
    }
}
