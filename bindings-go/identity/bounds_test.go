package identity_test

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity"
)

// cost runs f once and returns the bytes the Go heap allocated during it,
// its duration, and how far the process's peak resident memory rose above
// its resident memory before the call (what the native library allocated
// too), or -1 where that cannot be measured (Linux only: VmHWM is reset by
// writing 5 to /proc/self/clear_refs).
func cost(t *testing.T, f func()) (goBytes uint64, took time.Duration, peakGrowth int64) {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	peakGrowth = -1
	rss := int64(-1)
	if os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil {
		rss = procStatus(t, "VmRSS:")
	}
	runtime.ReadMemStats(&before)
	start := time.Now()
	f()
	took = time.Since(start)
	runtime.ReadMemStats(&after)
	if rss >= 0 {
		peakGrowth = procStatus(t, "VmHWM:") - rss
	}
	return after.TotalAlloc - before.TotalAlloc, took, peakGrowth
}

// procStatus reads one "Name: N kB" line of /proc/self/status, in bytes.
func procStatus(t *testing.T, name string) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, name); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", name)
	return 0
}

const hugeSize = 100 << 20 // 100 MB

// A 100 MB token is refused (malformed_token: over the 8,192-character
// cap) quickly and without being copied: the package passes the Go
// string's own bytes to the library (no C.CString), and the core checks
// the cap on the length before copying or transcoding anything. Measured
// for the key, the keyring and the one-shot, with ASCII and with bytes that
// are not UTF-8 (which a lenient reading would turn into 300 MB of U+FFFD).
func TestHugeTokenIsRefusedWithoutACopy(t *testing.T) {
	secret := "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="
	key := mustKey(t, secret)
	ring, err := identity.NewKeyring(key)
	if err != nil {
		t.Fatal(err)
	}
	defer ring.Close()
	for _, fill := range []string{"A", "\xff"} {
		token := strings.Repeat(fill, hugeSize)
		for _, way := range []struct {
			name    string
			decrypt func(string) (identity.User, error)
		}{
			{"Key.Decrypt", key.Decrypt},
			{"Keyring.Decrypt", ring.Decrypt},
			{"DecryptUserToken", func(tok string) (identity.User, error) { return identity.DecryptUserToken(secret, tok) }},
		} {
			var err error
			goBytes, took, peak := cost(t, func() { _, err = way.decrypt(token) })
			t.Logf("%s of 100 MB of %q: %v; Go heap +%d bytes, %v, peak resident memory +%d kB", way.name, fill, err, goBytes, took, peak>>10)
			if !errors.Is(err, identity.ErrMalformedToken) {
				t.Errorf("%s: %v, want malformed_token", way.name, err)
			}
			if goBytes > 64<<10 {
				t.Errorf("%s: the Go heap allocated %d bytes for a 100 MB token", way.name, goBytes)
			}
			if took > 2*time.Second { // a stall guard, not a speed target
				t.Errorf("%s: %v to refuse a 100 MB token", way.name, took)
			}
			if peak > 32<<20 {
				t.Errorf("%s: peak resident memory rose by %d MB: the token was copied", way.name, peak>>20)
			}
		}
		runtime.KeepAlive(token)
	}
}

// The secret and the identity fields are passed the same way: a 100 MB
// secret or id costs the Go heap nothing before the core refuses it.
func TestHugeSecretAndIDAreNotCopiedByGo(t *testing.T) {
	huge := strings.Repeat("A", hugeSize)
	var err error
	goBytes, took, peak := cost(t, func() { _, err = identity.NewKey(huge) })
	t.Logf("NewKey of a 100 MB secret: %v; Go heap +%d bytes, %v, peak resident memory +%d kB", err, goBytes, took, peak>>10)
	if !errors.Is(err, identity.ErrInvalidSecret) || goBytes > 64<<10 {
		t.Errorf("NewKey: %v, Go heap +%d bytes", err, goBytes)
	}
	key := mustKey(t, "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=")
	goBytes, took, peak = cost(t, func() { _, err = key.Encrypt(identity.User{ID: huge, Name: huge}) })
	t.Logf("Encrypt with a 100 MB id and name: %v; Go heap +%d bytes, %v, peak resident memory +%d kB", err, goBytes, took, peak>>10)
	if !errors.Is(err, identity.ErrInvalidIdentity) || goBytes > 64<<10 {
		t.Errorf("Encrypt: %v, Go heap +%d bytes", err, goBytes)
	}
	if peak > 32<<20 {
		t.Errorf("Encrypt: peak resident memory rose by %d MB: a field was copied", peak>>20)
	}
	runtime.KeepAlive(huge)
}
