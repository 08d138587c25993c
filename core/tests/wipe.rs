//! No freed heap block holds a key, in its own test binary: its global
//! allocator looks into every block as it is freed.
//!
//! A key is made from `KEY`, used, dropped, and made again, each time among
//! keys made from other bytes (`generate`, a keyring, clones), all of them on
//! the heap as a binding holds them. The expanded AES-256 key begins with the
//! key itself (round keys 0 and 1), so a freed block holding `KEY`'s first 16
//! bytes still holds a key that is gone. Every block is looked into when it is
//! freed, before the allocator can reuse it. The stack is painted with
//! `KEY` before other keys are made, so any byte of theirs that drop leaves
//! unwiped and that came from the stack is found, whatever the build's
//! stack layout.
//!
//! This is what `aes` 0.8 failed: its key type is a union of the AES-NI and
//! the software schedule, and its drop wiped only the one in use, so the rest
//! of the union, copied from the stack when the key was moved, could carry an
//! earlier key's schedule into a block that was freed unwiped.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use teamweb_identity::{IdentityKey, IdentityKeyring, UserIdentity};

/// The key looked for; `NEEDLE` is its first round key.
const KEY: [u8; 32] = *b"wipe-test key: 32 bytes, no more";
const NEEDLE: [u8; 16] = {
    let mut n = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        n[i] = KEY[i];
        i += 1;
    }
    n
};

static WATCHING: AtomicBool = AtomicBool::new(false);
static FREED_WITH_KEY: AtomicUsize = AtomicUsize::new(0);
static FREED_LOOKED_AT: AtomicUsize = AtomicUsize::new(0);

struct Watch;

fn holds_needle(block: &[u8]) -> bool {
    block.windows(NEEDLE.len()).any(|w| w == NEEDLE)
}

// SAFETY: every call is passed on to `System` unchanged; `dealloc` and
// `realloc` only read the block the caller gives back, before freeing it.
unsafe impl GlobalAlloc for Watch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc`, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if WATCHING.load(Ordering::Relaxed) {
            // SAFETY: `ptr` is a live block of `layout.size()` bytes, given
            // back by its owner, so nothing else writes it now; the bytes
            // may be uninitialized, read as plain bytes only to compare.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            FREED_LOOKED_AT.fetch_add(1, Ordering::Relaxed);
            if holds_needle(block) {
                FREED_WITH_KEY.fetch_add(1, Ordering::Relaxed);
            }
        }
        // SAFETY: the caller's contract for `dealloc`, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc`, passed on. A block
        // that grows or moves is a buffer (tokens, JSON), never a key.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Watch = Watch;

/// Leaves `KEY` all over the stack below the caller, as key expansion and
/// key moves leave round keys there: what a key type's unused bytes would
/// carry when a key is built in that stack next.
#[inline(never)]
fn paint_stack() {
    let mut area = [0u8; 64 * 1024];
    for chunk in area.chunks_exact_mut(KEY.len()) {
        chunk.copy_from_slice(&KEY);
    }
    std::hint::black_box(&mut area);
}

fn round_trip(key: &IdentityKey) {
    let token = key.encrypt(&UserIdentity::new("wipe").with_name("Alice")).unwrap();
    assert_eq!(key.decrypt(&token).unwrap().id(), "wipe");
}

#[test]
fn no_freed_block_holds_a_dropped_key() {
    WATCHING.store(true, Ordering::SeqCst);
    for _ in 0..200 {
        // The key, on the heap as bindings hold it, and in the ways they
        // make it.
        let boxed = Box::new(IdentityKey::from_bytes(&KEY));
        round_trip(&boxed);
        let shared = Arc::new(IdentityKey::from_base64(&boxed.secret_base64()).unwrap());
        round_trip(&shared);
        let ring = Arc::new(IdentityKeyring::new([(*boxed).clone(), IdentityKey::generate()]).unwrap());
        drop(boxed);
        // Other keys, made where the dropped ones were made.
        paint_stack();
        let others: Vec<Box<IdentityKey>> = (0..4).map(|_| Box::new(IdentityKey::generate())).collect();
        others.iter().for_each(|k| round_trip(k));
        let clones: Vec<Arc<IdentityKey>> = others.iter().map(|k| Arc::new((**k).clone())).collect();
        drop(ring);
        drop(shared);
        drop(others);
        drop(clones);
    }
    WATCHING.store(false, Ordering::SeqCst);
    assert!(FREED_LOOKED_AT.load(Ordering::SeqCst) > 1000, "the allocator saw no frees");
    assert_eq!(FREED_WITH_KEY.load(Ordering::SeqCst), 0, "freed heap blocks held a dropped key's round keys");
}
