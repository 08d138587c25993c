//go:build !go1.24

package identity

import "runtime"

// safetyNet frees a native object when its owner becomes unreachable
// without Close: a finalizer, before Go 1.24's runtime.AddCleanup. Nothing
// here refers to the owner, which would make a cycle that keeps a
// finalized object from ever being collected.
type safetyNet struct{}

func watch[O, P any](owner *O, ptr P, free func(P)) safetyNet {
	runtime.SetFinalizer(owner, func(*O) { free(ptr) })
	return safetyNet{}
}

// stop cancels it (Close freed the object).
func (safetyNet) stop(owner any) { runtime.SetFinalizer(owner, nil) }
