//go:build !watch

package main

import (
	"fmt"

	v1 "communique.dev/gen/communique/v1"
)

// watchWhile, for an API without WatchSummits: only runs ingestRest.
func watchWhile(_ v1.QueryServiceClient, _ string, ingestRest func() string) string {
	fmt.Println("watch: not in this API version")
	return ingestRest()
}
