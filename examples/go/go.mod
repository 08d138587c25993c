module github.com/teamweb-ai/teamweb-identity/examples/go

go 1.22

require github.com/teamweb-ai/teamweb-identity/bindings-go v0.1.0

// Inside this repository the module comes from ../../bindings-go (built by
// `make -C bindings-go build`); an application outside it drops this line
// and gets the module from the Go module proxy with `go get`.
replace github.com/teamweb-ai/teamweb-identity/bindings-go => ../../bindings-go
