//! Nonces: 12 fresh bytes per token from a ChaCha20 generator per thread,
//! seeded from the operating system's CSPRNG and reseeded in a child
//! process after `fork()`.
//!
//! Each thread owns its own generator, seeded independently from the OS, so
//! threads never share a stream. A `fork()` copies the calling thread's
//! generator into the child; without care the parent and the child would
//! then hand out the same nonces. An `atfork` child handler (registered on
//! first use, without a lock: see `register_fork_handler`) bumps a process-wide generation counter, and every thread
//! checks that counter before each nonce: a generator seeded in another
//! generation is thrown away and seeded again from the OS. The check is one
//! relaxed atomic load, so a nonce costs a few nanoseconds instead of the
//! system call that reading the OS for every nonce would cost.
//!
//! The handler runs for `fork()` as called by libc (Python's `os.fork`,
//! `multiprocessing`, gunicorn, Celery, `posix_spawn`); a child made by a raw
//! `clone` system call that bypasses libc is not covered.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

/// Bumped in every child process right after `fork()`.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Bytes after which a thread's generator is reseeded from the OS anyway.
const RESEED_AFTER: u64 = 1 << 20;

struct ThreadGenerator {
    rng: ChaCha20Rng,
    /// The fork generation the generator was seeded in.
    generation: u64,
    /// Bytes drawn since it was seeded.
    used: u64,
}

thread_local! {
    static GENERATOR: RefCell<Option<ThreadGenerator>> = const { RefCell::new(None) };
}

/// Set once a fork handler is registered in this process (a child inherits
/// both the flag and the handler).
static HANDLER_REGISTERED: AtomicBool = AtomicBool::new(false);

/// Makes sure an `atfork` child handler that bumps [`GENERATION`] is
/// registered, before any generator is seeded.
///
/// No lock is held while registering. A `std::sync::Once` would hold one:
/// a `fork()` by another thread while the first caller is inside
/// `call_once` would give a child whose `Once` stays "running" forever,
/// and the child's first nonce would wait for it forever. Here a thread
/// that does not see the flag set registers a handler itself, then sets
/// the flag. Threads racing on first use may each register one: harmless,
/// since every handler only bumps the counter, and what matters is that the
/// counter changes in a child. A child forked mid-registration sees the
/// flag unset and registers again; nothing ever waits.
#[cfg(unix)]
fn register_fork_handler() {
    extern "C" fn in_child() {
        GENERATION.fetch_add(1, Ordering::Relaxed);
    }
    if HANDLER_REGISTERED.load(Ordering::Acquire) {
        return;
    }
    // The one `unsafe` of the crate: a foreign call.
    #[allow(unsafe_code)]
    // SAFETY: `pthread_atfork` takes three optional function pointers; the
    // only one given, `in_child`, is an `extern "C" fn()` that lives as long
    // as the process and only touches an atomic, which is
    // async-signal-safe, as code run in a forked child must be.
    let rc = unsafe { libc::pthread_atfork(None, None, Some(in_child)) };
    // Without the handler, forked children could repeat nonces: refuse to
    // go on rather than risk it (only ENOMEM makes this fail).
    assert_eq!(rc, 0, "pthread_atfork failed; refusing to make nonces");
    HANDLER_REGISTERED.store(true, Ordering::Release);
}

#[cfg(not(unix))]
fn register_fork_handler() {}

fn seeded(generation: u64) -> ThreadGenerator {
    // Before the first nonce of any generator, so every fork after it is seen.
    register_fork_handler();
    // `from_os_rng` panics only when the OS has no randomness to give,
    // where no safe token can be made at all.
    ThreadGenerator { rng: ChaCha20Rng::from_os_rng(), generation, used: 0 }
}

/// Fills a fresh 12-byte nonce.
pub(crate) fn fresh() -> [u8; 12] {
    let mut nonce = [0u8; 12];
    GENERATOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let generation = GENERATION.load(Ordering::Relaxed);
        // A generator seeded before a fork is thrown away in the child.
        let g = match slot.as_mut() {
            Some(g) if g.generation == generation && g.used < RESEED_AFTER => g,
            _ => slot.insert(seeded(generation)),
        };
        g.rng.fill_bytes(&mut nonce);
        g.used += nonce.len() as u64;
    });
    nonce
}

/// 32 bytes straight from the OS's CSPRNG, for new keys.
pub(crate) fn os_key_bytes() -> zeroize::Zeroizing<[u8; 32]> {
    use rand_core::TryRngCore;
    let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
    // Fails only when the OS has no randomness to give: no key can be made.
    rand_core::OsRng.try_fill_bytes(&mut *bytes).expect("the OS random number generator failed");
    bytes
}

#[cfg(test)]
mod tests {
    #[test]
    fn threads_get_distinct_streams() {
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
