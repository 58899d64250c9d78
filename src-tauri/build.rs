fn main() {
    // Generates an `allow-<command>` permission for each Iris command; capabilities/main.json
    // grants the main window exactly those. A command missing from iris_types::COMMANDS cannot
    // be called from the webview at all.
    let manifest = tauri_build::AppManifest::new().commands(iris_types::COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");
}
