module github.com/example/app

go 1.21

require (
	github.com/spf13/cobra v1.8.0
	golang.org/x/net v0.19.0 // indirect
)

require github.com/inconshreveable/mousetrap v1.1.0 // indirect

replace golang.org/x/net => golang.org/x/net v0.20.0
