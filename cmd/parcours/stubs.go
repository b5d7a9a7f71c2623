package main

var (
	graphCommand       = stub("graph")
	attributionCommand = stub("attribution")
	impactCommand      = stub("impact")
	reportCommand      = stub("report")
)

func stub(name string) *command { return &command{name: name} }
