//! `uniffi-bindgen`, pinned to this workspace's uniffi version. The Maven
//! build runs `uniffi-bindgen generate --library <cdylib> --language kotlin`.
fn main() {
    uniffi::uniffi_bindgen_main()
}
