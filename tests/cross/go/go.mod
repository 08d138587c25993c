module github.com/teamweb-ai/teamweb-identity/tests/cross/go

go 1.22

require github.com/teamweb-ai/teamweb-identity/bindings-go v0.1.0

replace github.com/teamweb-ai/teamweb-identity/bindings-go => ../../../bindings-go
