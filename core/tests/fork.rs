//! Nonces across process copies, in its own single-threaded test binary
//! (`harness = false`, so no test threads exist when it forks).
//!
//! 1. `fork()`: the parent mints tokens, forks several children that each
//!    mint tokens and send their nonces back through a pipe, and mints more
//!    itself. No nonce may appear twice.
//! 2. A copy made without `fork()` (Linux): a raw `clone` system call runs no
//!    `atfork` handlers, like a VM snapshot restored twice, CRaC or CRIU. The
//!    child's next nonces must differ from the parent's next nonces; with any
//!    random state kept in user space they would be the same.
//!
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
                let buf = collect_child(fds[0], pid, &format!("child {child}"));
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
    let mut passed = 1;
    #[cfg(target_os = "linux")]
    {
        raw_clone(&key);
        passed += 1;
    }
    println!("{passed} passed, 0 failed");
}

/// Reads everything from the pipe's read end `fd` after the child `pid`
/// has written it, and checks that the child exited cleanly.
#[cfg(unix)]
fn collect_child(fd: i32, pid: libc::pid_t, what: &str) -> Vec<u8> {
    // SAFETY: `fd` is the pipe's read end, owned only by this `File`.
    let mut input = unsafe { std::fs::File::from_raw_fd(fd) };
    let mut buf = Vec::new();
    input.read_to_end(&mut buf).unwrap();
    let mut status = 0;
    // SAFETY: waits for our own child; `status` is a valid place to write.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{what} failed");
    buf
}

/// A process copied without `fork()`: `clone(SIGCHLD)` as a raw system
/// call, so libc runs no `atfork` handler in the child.
#[cfg(target_os = "linux")]
fn raw_clone(key: &IdentityKey) {
    // Warm up whatever state a nonce source might keep in this thread.
    for _ in 0..PER_PROCESS {
        nonce(key);
    }
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors `pipe` writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: a raw clone with only SIGCHLD and no new stack behaves as
    // fork() without libc's bookkeeping; this binary runs no other
    // threads, and the child only computes, writes to a pipe and _exits.
    let pid = unsafe { libc::syscall(libc::SYS_clone, libc::SIGCHLD as libc::c_long, 0usize, 0usize, 0usize, 0usize) };
    match pid {
        -1 => panic!("clone failed"),
        0 => {
            // SAFETY: `fds[1]` is the pipe's write end, owned only by this `File`.
            let mut out = unsafe { std::fs::File::from_raw_fd(fds[1]) };
            let mut buf = Vec::new();
            for _ in 0..PER_PROCESS {
                buf.extend_from_slice(&nonce(key));
            }
            out.write_all(&buf).unwrap();
            drop(out);
            // SAFETY: ends the child at once, without running atexit handlers.
            unsafe { libc::_exit(0) };
        }
        pid => {
            // SAFETY: the parent's copy of the write end, not used again.
            unsafe { libc::close(fds[1]) };
            let parent: Vec<[u8; 12]> = (0..PER_PROCESS).map(|_| nonce(key)).collect();
            let buf = collect_child(fds[0], pid as libc::pid_t, "raw-clone child");
            assert_eq!(buf.len(), PER_PROCESS * 12, "raw-clone child sent too little");
            let child: HashSet<[u8; 12]> = buf.chunks_exact(12).map(|n| n.try_into().unwrap()).collect();
            let repeated = parent.iter().filter(|n| child.contains(*n)).count();
            assert_eq!(
                repeated, 0,
                "a child copied by a raw clone() repeated {repeated} of its parent's next {PER_PROCESS} nonces"
            );
            println!("raw clone: the child's next {PER_PROCESS} nonces differ from the parent's next {PER_PROCESS}");
        }
    }
}
