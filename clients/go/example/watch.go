//go:build watch

package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	v1 "communique.dev/gen/communique/v1"
)

// watchWhile opens WatchSummits (filter: --organization) once the replica
// has applied token, runs ingestRest while it is open, and prints the
// changes up to the sequence ingestRest returns. Returns that sequence.
func watchWhile(query v1.QueryServiceClient, token string, ingestRest func() string) string {
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	stream, err := query.WatchSummits(ctx, &v1.WatchSummitsRequest{
		Filter:           &v1.SummitFilter{Organization: *organization},
		ConsistencyToken: token,
	})
	must(err, "WatchSummits")
	type item struct {
		resp *v1.WatchSummitsResponse
		err  error
	}
	items := make(chan item, 64)
	go func() {
		for {
			resp, err := stream.Recv()
			items <- item{resp, err}
			if err != nil {
				return
			}
		}
	}()
	first := <-items
	if first.err != nil {
		fmt.Printf("watch: %s\n", strings.ToUpper(codeName(first.err)))
		return ingestRest()
	}
	fmt.Printf("watch: started organization=%s through=%d\n", *organization, first.resp.ThroughSequence)

	token = ingestRest()
	want, _ := strconv.ParseUint(token, 10, 64)
	changes, through := 0, uint64(0)
	for through < want {
		it := <-items
		if it.err != nil {
			break
		}
		for _, c := range it.resp.Changes {
			changes++
			fmt.Printf("watch: change seq=%d type=%s summit=%s\n", c.Sequence, c.Type, c.Name)
		}
		through = it.resp.ThroughSequence
	}
	fmt.Printf("watch: done changes=%d through=%d\n", changes, through)
	return token
}
