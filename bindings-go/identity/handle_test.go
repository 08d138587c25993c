package identity_test

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity"
)

// NewKeyring(a, b, ...), NewKeyring(..., b, a) and Close of each key, all
// at once, thousands of times: each NewKeyring holds its keys' read locks
// while the library copies the keys, and a pending Close blocks new
// readers, so locks taken in argument order deadlock. The rounds must
// finish within the time limit. Sixty-four keys a round (a wider window
// for the interleaving) and more Ps than this machine's two cores (the
// OS then switches threads mid-loop): the code before the one lock order
// hung in 4 runs of 4, after 179 to 3,790 rounds; with it, all 5,000
// rounds take about a second.
func TestKeyringCloseRace(t *testing.T) {
	const rounds, width, rings = 5000, 64, 2
	limit := time.Minute
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
	var completed, made atomic.Int64
	done := make(chan error, 1)
	go func() { done <- keyringCloseRounds(rounds, width, rings, &completed, &made) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d rounds: %d keyrings made, %d refused a key closed first", rounds, made.Load(), rounds*rings-int(made.Load()))
	case <-time.After(limit):
		t.Fatalf("NewKeyring/Close did not finish in %v: stuck after round %d of %d (deadlock)", limit, completed.Load(), rounds)
	}
}

// keyringCloseRounds runs rounds of: width keys; rings keyrings made of
// them at once, half in the keys' order and half in the reverse order;
// and each key closed as soon as the keyrings have started.
func keyringCloseRounds(rounds, width, rings int, completed, made *atomic.Int64) error {
	for round := 0; round < rounds; round++ {
		keys := make([]*identity.Key, width)
		for i := range keys {
			k, err := identity.GenerateKey()
			if err != nil {
				return err
			}
			keys[i] = k
		}
		backwards := slices.Clone(keys)
		slices.Reverse(backwards)
		var finished sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, rings)
		var begun sync.WaitGroup // the closes wait for the keyrings to start
		begun.Add(rings)
		ring := func(keys []*identity.Key) {
			defer finished.Done()
			<-start
			begun.Done()
			r, err := identity.NewKeyring(keys...)
			if err == nil {
				made.Add(1)
				r.Close()
			} else if !errors.Is(err, identity.ErrClosed) {
				errs <- err
			}
		}
		closeKey := func(k *identity.Key) {
			defer finished.Done()
			<-start
			begun.Wait()
			k.Close()
		}
		finished.Add(rings + width)
		for i := 0; i < rings; i++ {
			if i%2 == 0 {
				go ring(keys)
			} else {
				go ring(backwards)
			}
		}
		for _, k := range keys {
			go closeKey(k)
		}
		close(start)
		finished.Wait()
		close(errs)
		for err := range errs {
			return err
		}
		completed.Add(1)
	}
	return nil
}

// A copy of a Key or Keyring value shares the original's native object:
// closing one closes the copy too, instead of leaving it a pointer to
// freed memory.
func TestCopiesShareTheHandle(t *testing.T) {
	key := mustKey(t, "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=")
	u := identity.User{ID: "u"}
	copied := *key
	if _, err := copied.Encrypt(u); err != nil {
		t.Fatal(err)
	}
	key.Close()
	if _, err := copied.Encrypt(u); !errors.Is(err, identity.ErrClosed) {
		t.Fatalf("a copy of a closed key: %v", err)
	}
	if _, err := identity.NewKeyring(&copied); !errors.Is(err, identity.ErrClosed) {
		t.Fatalf("NewKeyring of a closed key's copy: %v", err)
	}
	copied.Close() // closing again through the copy is harmless

	other, _ := identity.GenerateKey()
	ring, err := identity.NewKeyring(other)
	if err != nil {
		t.Fatal(err)
	}
	ringCopy := *ring
	ringCopy.Close()
	if _, err := ring.Encrypt(u); !errors.Is(err, identity.ErrClosed) {
		t.Fatalf("a keyring closed through its copy: %v", err)
	}

	// The zero values act as closed ones.
	var zero identity.Key
	if _, err := zero.Encrypt(u); !errors.Is(err, identity.ErrClosed) {
		t.Fatalf("zero Key: %v", err)
	}
	if _, err := zero.Decrypt("x"); !errors.Is(err, identity.ErrClosed) {
		t.Fatalf("zero Key: %v", err)
	}
	if _, err := identity.NewKeyring(other, &zero); !errors.Is(err, identity.ErrClosed) {
		t.Fatalf("NewKeyring with a zero Key: %v", err)
	}
	zero.Close()
	var zeroRing identity.Keyring
	if _, err := zeroRing.Decrypt("x"); !errors.Is(err, identity.ErrClosed) {
		t.Fatalf("zero Keyring: %v", err)
	}
	zeroRing.Close()
}

// copyOf returns a Key value copied from a *Key that is then unreachable.
func copyOf(t *testing.T, secret string) identity.Key {
	key, err := identity.NewKey(secret) // not mustKey: its t.Cleanup would keep key reachable
	if err != nil {
		t.Fatal(err)
	}
	return *key
}

// A copied Key value outlives the *Key it was copied from: the garbage
// collector's safety net frees the native key only once no copy is left,
// so tokens made through the copy after the original is collected are
// still made with the right key.
func TestCopyOutlivesTheOriginal(t *testing.T) {
	secret := "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="
	copies := make([]identity.Key, 200)
	for i := range copies {
		copies[i] = copyOf(t, secret)
	}
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(20 * time.Millisecond) // cleanups run on their own goroutine
	}
	check := mustKey(t, secret)
	for i := range copies {
		token, err := copies[i].Encrypt(identity.User{ID: fmt.Sprint(i)})
		if err != nil {
			t.Fatal(err)
		}
		if who, err := check.Decrypt(token); err != nil || who.ID != fmt.Sprint(i) {
			t.Fatalf("copy %d after its original was collected: %+v, %v", i, who, err)
		}
	}
	runtime.KeepAlive(copies)
}
