fn main() {
    // The native addon's link settings; the WebAssembly build
    // (wasm32-unknown-unknown, bound by wasm-bindgen) has no Node-API.
    if std::env::var("CARGO_CFG_TARGET_FAMILY").as_deref() != Ok("wasm") {
        napi_build::setup();
    }
}
