//! Nonces: 12 fresh bytes per token from a ChaCha20 generator per thread,
//! seeded from the operating system's CSPRNG and reseeded in a child
//! process after `fork()`.
//!
//! Each thread owns its own generator, seeded independently from the OS, so
//! threads never share a stream. A `fork()` copies the calling thread's
//! generator into the child; without care the parent and the child would
//! then hand out the same nonces. An `atfork` child handler (registered once,
//! on first use) bumps a process-wide generation counter, and every thread
//! checks that counter before each nonce: a generator seeded in another
//! generation is thrown away and seeded again from the OS. The check is one
//! relaxed atomic load, so a nonce costs a few nanoseconds instead of the
//! system call that reading the OS for every nonce would cost.
//!
//! The handler runs for `fork()` as called by libc (Python's `os.fork`,
//! `multiprocessing`, gunicorn, Celery, `posix_spawn`); a child made by a raw
//! `clone` system call that bypasses libc is not covered.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// Bumped in every child process right after `fork()`.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Bytes after which a thread's generator is reseeded from the OS anyway.
const RESEED_AFTER: u64 = 1 << 20;

/// Nonces drawn from the generator at a time.
const BATCH: usize = 21 * 12;

struct ThreadGenerator {
    rng: ChaCha20Rng,
    /// The fork generation the generator was seeded in.
    generation: u64,
    used: u64,
    /// Generator output not yet handed out, from `next` on.
    batch: [u8; BATCH],
    next: usize,
}

thread_local! {
    static GENERATOR: RefCell<Option<ThreadGenerator>> = const { RefCell::new(None) };
}

#[cfg(unix)]
fn register_fork_handler() {
    extern "C" fn in_child() {
        GENERATION.fetch_add(1, Ordering::Relaxed);
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: registers a handler that only touches an atomic, which is
        // async-signal-safe, as code run in a forked child must be.
        let rc = unsafe { libc::pthread_atfork(None, None, Some(in_child)) };
        // Without the handler, forked children could repeat nonces: refuse
        // to go on rather than risk it (only ENOMEM makes this fail).
        assert_eq!(rc, 0, "pthread_atfork failed; refusing to make nonces");
    });
}

#[cfg(not(unix))]
fn register_fork_handler() {}

fn seeded(generation: u64) -> ThreadGenerator {
    // Before the first nonce of any generator, so every fork after it is seen.
    register_fork_handler();
    // `from_os_rng` panics only when the OS has no randomness to give,
    // where no safe token can be made at all.
    ThreadGenerator { rng: ChaCha20Rng::from_os_rng(), generation, used: 0, batch: [0; BATCH], next: BATCH }
}

/// Fills a fresh 12-byte nonce.
pub(crate) fn fresh() -> [u8; 12] {
    let mut nonce = [0u8; 12];
    GENERATOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let generation = GENERATION.load(Ordering::Relaxed);
        // A generator seeded before a fork (and its unused batch) is
        // thrown away in the child.
        let g = match slot.as_mut() {
            Some(g) if g.generation == generation => g,
            _ => slot.insert(seeded(generation)),
        };
        if g.next == BATCH {
            if g.used >= RESEED_AFTER {
                *g = seeded(generation);
            }
            g.rng.fill_bytes(&mut g.batch);
            g.used += BATCH as u64;
            g.next = 0;
        }
        nonce.copy_from_slice(&g.batch[g.next..g.next + 12]);
        g.next += 12;
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
