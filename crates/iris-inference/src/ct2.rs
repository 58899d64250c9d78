//! Reader for CTranslate2 model files (in progress).
