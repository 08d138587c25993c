//! Nonces and new keys: bytes read from the operating system's CSPRNG at
//! the moment they are needed (docs/FORMAT.md, section 5).
//!
//! Every call asks the OS, through the `getrandom` crate: `getrandom(2)`
//! on Linux (through the vDSO on Linux 6.11+ with glibc 2.41+),
//! `getentropy`/`arc4random_buf` on Apple platforms, `ProcessPrng` on
//! Windows, WASI's `random_get` or `crypto.getRandomValues` in
//! WebAssembly. Nothing in user space keeps random state, so no copy of a
//! process can repeat a nonce: not a thread, not a `fork()` child, and not a
//! process copied without `fork()` (a VM snapshot restored many times, JVM
//! CRaC, CRIU, a raw `clone`). A system call per token costs about half a
//! microsecond; that is the price of never repeating a nonce.

/// A fresh 12-byte nonce from the OS.
pub(crate) fn fresh() -> [u8; 12] {
    let mut nonce = [0u8; 12];
    fill(&mut nonce);
    nonce
}

/// 32 bytes from the OS, for new keys, wiped when dropped.
pub(crate) fn os_key_bytes() -> zeroize::Zeroizing<[u8; 32]> {
    let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
    fill(&mut *bytes);
    bytes
}

fn fill(out: &mut [u8]) {
    // Fails only when the OS has no randomness to give, where no token or
    // key can safely be made; bindings turn the panic into their
    // language's error at the boundary.
    if let Err(err) = getrandom::fill(out) {
        panic!("the operating system's random number generator failed: {err}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn threads_never_repeat() {
        let mut all: Vec<[u8; 12]> = std::thread::scope(|s| {
            let handles: Vec<_> =
                (0..4).map(|_| s.spawn(|| (0..5000).map(|_| super::fresh()).collect::<Vec<_>>())).collect();
            handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}
