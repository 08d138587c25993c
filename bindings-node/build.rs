fn main() {
    napi_build::setup();
    // The WebAssembly build (wasm32-wasip1): napi-build asks for a 64 MB
    // stack, which would make the module's declared memory 64 MB before its
    // first call (a Worker has 128 MB in all). The calls here need a few
    // kilobytes of stack; lld's own default of 1 MiB is plenty, and a later
    // `-z stack-size` overrides the earlier one.
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=-zstack-size=1048576");
    }
}
