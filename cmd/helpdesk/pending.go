package main

import (
	"helpdesk/config"
	"helpdesk/tickets"
)

func checkRuntime(cfg *config.Config) error { return tickets.CheckConfig(cfg) }
