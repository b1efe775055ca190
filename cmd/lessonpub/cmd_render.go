package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newRenderCmd is a placeholder until its issue lands.
func newRenderCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:    "render",
		Short:  "(not yet available)",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("'render' is not available yet")
		},
	}
}
