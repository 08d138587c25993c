//go:build !cgo || !(teamweb_identity_custom || (linux && (amd64 || arm64)) || (darwin && (amd64 || arm64)) || (windows && amd64))

package identity

// This file compiles only where the package cannot work: without cgo
// (CGO_ENABLED=0, or no C compiler), or on a platform for which the module
// ships no static library. The build then stops at the line below, whose
// name says why; README.md ("Other platforms") says what to do.
var _ = teamweb_identity_needs_cgo_and_a_prebuilt_library_for_this_platform_see_README_md
