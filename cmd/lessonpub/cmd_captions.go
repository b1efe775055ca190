package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newCaptionsCmd is a placeholder until its issue lands.
func newCaptionsCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:    "captions",
		Short:  "(not yet available)",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("'captions' is not available yet")
		},
	}
}
