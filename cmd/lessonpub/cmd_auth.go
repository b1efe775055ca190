package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newAuthCmd is a placeholder until its issue lands.
func newAuthCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:    "auth",
		Short:  "(not yet available)",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("'auth' is not available yet")
		},
	}
}
