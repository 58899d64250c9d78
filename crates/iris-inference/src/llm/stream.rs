//! Turning generated tokens into streamed text: whole UTF-8 characters only (a character can
//! span several byte tokens), and never a piece of text that might turn out to be the start
//! of a stop sequence (held back until it is clear either way).

use super::tokenizer::TextTokenizer;
use crate::error::Result;

/// Incremental detokenizer: decodes a window of recent tokens and yields the new text once
/// it no longer ends in an incomplete character (U+FFFD from a partial byte sequence).
#[derive(Debug, Default)]
pub struct Detokenizer {
    tokens: Vec<u32>,
    /// Start of the window decoded each time (text before it was already returned).
    prefix: usize,
    /// End of the part of the window already returned.
    read: usize,
}

impl Detokenizer {
    /// Adds a token; returns the text it completes, if any.
    pub fn push(&mut self, tok: &TextTokenizer, id: u32) -> Result<Option<String>> {
        let before = if self.read > self.prefix {
            tok.decode(&self.tokens[self.prefix..self.read])?
        } else {
            String::new()
        };
        self.tokens.push(id);
        let text = tok.decode(&self.tokens[self.prefix..])?;
        if text.len() > before.len() && !text.ends_with('\u{FFFD}') {
            let new = match text.get(before.len()..) {
                Some(s) if text.starts_with(before.as_str()) => s.to_string(),
                // The window decodes differently once extended (should not happen with
                // byte-level or byte-fallback decoders): take the whole window's text.
                _ => text,
            };
            self.prefix = self.read;
            self.read = self.tokens.len();
            Ok(Some(new))
        } else {
            Ok(None)
        }
    }

    /// Whatever is still held (an incomplete character at the very end decodes to U+FFFD).
    pub fn flush(&mut self, tok: &TextTokenizer) -> Result<Option<String>> {
        if self.tokens.len() == self.read {
            return Ok(None);
        }
        let before = if self.read > self.prefix {
            tok.decode(&self.tokens[self.prefix..self.read])?
        } else {
            String::new()
        };
        let text = tok.decode(&self.tokens[self.prefix..])?;
        self.prefix = self.read;
        self.read = self.tokens.len();
        match text.get(before.len()..) {
            Some(s) if text.starts_with(before.as_str()) && !s.is_empty() => {
                Ok(Some(s.to_string()))
            }
            Some(_) => Ok(None),
            None => Ok(Some(text)),
        }
    }
}

/// Accumulates text, finds stop sequences, and passes on only what cannot be part of one.
#[derive(Debug)]
pub(crate) struct StopStream {
    stops: Vec<String>,
    max_stop: usize,
    text: String,
    emitted: usize,
}

impl StopStream {
    pub fn new(stops: &[String]) -> Self {
        let stops: Vec<String> = stops.iter().filter(|s| !s.is_empty()).cloned().collect();
        let max_stop = stops.iter().map(|s| s.len()).max().unwrap_or(0);
        Self {
            stops,
            max_stop,
            text: String::new(),
            emitted: 0,
        }
    }

    /// Adds generated text; returns true when a stop sequence completed (the text is cut
    /// where it starts, and the text before it has been emitted).
    pub fn push(&mut self, piece: &str, out: &mut dyn FnMut(&str)) -> bool {
        self.text.push_str(piece);
        if self.stops.is_empty() {
            self.emit_to(self.text.len(), out);
            return false;
        }
        // A stop can only start in the text not yet emitted (anything that could have been
        // the start of one was held back).
        let pending = &self.text[self.emitted..];
        let hit = self
            .stops
            .iter()
            .filter_map(|s| pending.find(s.as_str()))
            .min();
        if let Some(at) = hit {
            let cut = self.emitted + at;
            self.emit_to(cut, out);
            self.text.truncate(cut);
            return true;
        }
        let hold = self.held_back();
        self.emit_to(self.text.len() - hold, out);
        false
    }

    /// Length of the longest end of the text that is the start of a stop sequence.
    fn held_back(&self) -> usize {
        let pending = &self.text[self.emitted..];
        let from = pending
            .len()
            .saturating_sub(self.max_stop.saturating_sub(1));
        for (i, _) in pending.char_indices() {
            if i < from {
                continue;
            }
            let tail = &pending[i..];
            if self.stops.iter().any(|s| s.starts_with(tail)) {
                return tail.len();
            }
        }
        0
    }

    fn emit_to(&mut self, end: usize, out: &mut dyn FnMut(&str)) {
        if end > self.emitted {
            out(&self.text[self.emitted..end]);
            self.emitted = end;
        }
    }

    /// Emits the held-back text (the generation ended without completing a stop).
    pub fn finish(&mut self, out: &mut dyn FnMut(&str)) {
        self.emit_to(self.text.len(), out);
    }

    pub fn into_text(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(stops: &[&str], pieces: &[&str]) -> (Vec<String>, String, bool) {
        let stops: Vec<String> = stops.iter().map(|s| s.to_string()).collect();
        let mut s = StopStream::new(&stops);
        let mut out = Vec::new();
        let mut stopped = false;
        for p in pieces {
            if s.push(p, &mut |t| out.push(t.to_string())) {
                stopped = true;
                break;
            }
        }
        if !stopped {
            s.finish(&mut |t| out.push(t.to_string()));
        }
        (out, s.into_text(), stopped)
    }

    #[test]
    fn a_stop_split_over_pieces_is_never_emitted() {
        let (out, text, stopped) = run(
            &["\n\nUser:"],
            &["Hello", " there.", "\n", "\nUs", "er:", " x"],
        );
        assert!(stopped);
        assert_eq!(text, "Hello there.");
        assert_eq!(out.concat(), "Hello there.");
        assert!(out.iter().all(|p| !p.contains('\n')), "{out:?}");
    }

    #[test]
    fn held_text_that_does_not_complete_a_stop_is_released() {
        let (out, text, stopped) = run(&["END"], &["a E", "N", "x", " more"]);
        assert!(!stopped);
        assert_eq!(text, "a ENx more");
        assert_eq!(out.concat(), text);
        assert_eq!(out[0], "a ");
    }

    #[test]
    fn the_earliest_of_several_stops_wins_and_held_text_ends_the_stream() {
        let (_, text, stopped) = run(&["BB", "AAA"], &["xAAB", "B"]);
        assert!(stopped);
        assert_eq!(text, "xAA");
        let (out, text, stopped) = run(&["stop"], &["go st"]);
        assert!(!stopped);
        assert_eq!(text, "go st");
        assert_eq!(out, vec!["go ".to_string(), "st".to_string()]);
    }

    #[test]
    fn multibyte_text_is_cut_on_character_boundaries() {
        let (out, text, stopped) = run(&["é!"], &["caf", "é", "é!"]);
        assert!(stopped);
        assert_eq!(text, "café");
        assert_eq!(out.concat(), "café");
    }
}
