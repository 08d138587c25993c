//go:build go1.24

package identity

import "runtime"

// safetyNet frees a native object when its owner becomes unreachable
// without Close.
type safetyNet struct{ cleanup runtime.Cleanup }

func watch[O, P any](owner *O, ptr P, free func(P)) safetyNet {
	return safetyNet{runtime.AddCleanup(owner, free, ptr)}
}

// stop cancels it (Close freed the object).
func (s safetyNet) stop(owner any) { s.cleanup.Stop() }
