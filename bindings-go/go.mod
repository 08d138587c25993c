module github.com/teamweb-ai/teamweb-identity/bindings-go

go 1.22
