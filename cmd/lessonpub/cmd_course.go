package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newCourseCmd is a placeholder until its issue lands.
func newCourseCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:    "course",
		Short:  "(not yet available)",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("'course' is not available yet")
		},
	}
}
