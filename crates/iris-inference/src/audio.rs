//! Audio input for speech-to-text (in progress).
