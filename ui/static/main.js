// Loads the wasm UI. Kept as a file (not an inline script) so the CSP needs no hashes or nonces.
import init from "./iris_ui.js";

init();
