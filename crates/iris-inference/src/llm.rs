//! Text generation with quantized GGUF models (in progress).
