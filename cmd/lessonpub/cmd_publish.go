package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newPublishCmd is a placeholder until its issue lands.
func newPublishCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:    "publish",
		Short:  "(not yet available)",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("'publish' is not available yet")
		},
	}
}
