//! Whisper speech-to-text (in progress).
