//! Fork safety of nonces, in its own single-threaded test binary
//! (`harness = false`, so no test threads exist when it forks).
//!
//! The parent mints tokens (seeding its thread's generator), forks several
//! children that each mint tokens and send their nonces back through a pipe,
//! and mints more itself. No nonce may appear twice.
//! fork() is Unix-only: elsewhere this binary has nothing to run.
#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

use std::collections::HashSet;
use std::io::{Read, Write};
#[cfg(unix)]
use std::os::fd::FromRawFd;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use teamweb_identity::{IdentityKey, UserIdentity};

const CHILDREN: usize = 8;
const PER_PROCESS: usize = 200;

fn nonce(key: &IdentityKey) -> [u8; 12] {
    let token = key.encrypt(&UserIdentity::new("fork-test")).unwrap();
    STANDARD.decode(token).unwrap()[..12].try_into().unwrap()
}

#[cfg(not(unix))]
fn main() {}

#[cfg(unix)]
fn main() {
    let key = IdentityKey::generate();
    let mut seen: HashSet<[u8; 12]> = (0..PER_PROCESS).map(|_| nonce(&key)).collect();
    assert_eq!(seen.len(), PER_PROCESS);

    for child in 0..CHILDREN {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors `pipe` writes.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: this binary runs no other threads (`harness = false`), so
        // the child may go on running Rust code.
        match unsafe { libc::fork() } {
            -1 => panic!("fork failed"),
            0 => {
                // Child: mint, write the nonces, leave without unwinding.
                // SAFETY: `fds[1]` is the pipe's write end, owned only by this `File`.
                let mut out = unsafe { std::fs::File::from_raw_fd(fds[1]) };
                let mut buf = Vec::new();
                for _ in 0..PER_PROCESS {
                    buf.extend_from_slice(&nonce(&key));
                }
                out.write_all(&buf).unwrap();
                drop(out);
                // SAFETY: ends the child at once, as a forked child should.
                unsafe { libc::_exit(0) };
            }
            pid => {
                // SAFETY: the parent's copy of the write end, not used again.
                unsafe { libc::close(fds[1]) };
                // SAFETY: `fds[0]` is the pipe's read end, owned only by this `File`.
                let mut input = unsafe { std::fs::File::from_raw_fd(fds[0]) };
                let mut buf = Vec::new();
                input.read_to_end(&mut buf).unwrap();
                let mut status = 0;
                // SAFETY: waits for our own child; `status` is a valid place to write.
                assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
                assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "child {child} failed");
                assert_eq!(buf.len(), PER_PROCESS * 12, "child {child} sent too little");
                for n in buf.chunks_exact(12) {
                    assert!(seen.insert(n.try_into().unwrap()), "child {child} repeated a nonce");
                }
            }
        }
        // The parent keeps minting between forks: its stream must not be
        // the one a child continued either.
        for _ in 0..PER_PROCESS {
            assert!(seen.insert(nonce(&key)), "parent repeated a nonce after fork");
        }
    }
    let total = seen.len();
    assert_eq!(total, PER_PROCESS * (1 + 2 * CHILDREN));
    println!("fork: {total} nonces from the parent and {CHILDREN} forked children, all distinct");
    println!("1 passed, 0 failed");
}
