fn main() {
    // tauri embeds ../ui/dist at compile time; say how to make it rather than fail obscurely.
    let dist = std::path::Path::new("../ui/dist/index.html");
    println!("cargo:rerun-if-changed=../ui/dist");
    if !dist.exists() {
        panic!(
            "ui/dist is missing: build the UI first with `cargo xtask build-ui` (or run `cargo xtask test`)"
        );
    }
    // Generates an `allow-<command>` permission for each Iris command; capabilities/main.json
    // grants the main window exactly those. A command missing from iris_types::COMMANDS cannot
    // be called from the webview at all.
    let manifest = tauri_build::AppManifest::new().commands(iris_types::COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");
}
