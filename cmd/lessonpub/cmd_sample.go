package main

import (
	"github.com/spf13/cobra"

	"github.com/lessonpub/lessonpub/pipeline/sample"
)

func newSampleCourseCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "sample-course DIR",
		Short: "Write a small sample course to try lessonpub with",
		Long: `Write a small sample course into the new folder DIR: three short lessons with
Azerbaijani and English captions, one with a sign-language interpreter clip
on a green screen. The videos are made by ffmpeg's test sources. Use it to
try the other commands without recording anything.`,
		Example: `  lessonpub sample-course demo/bead-jewellery
  lessonpub course publish demo/bead-jewellery --target dir:demo/published`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := sample.Write(cmd.Context(), args[0]); err != nil {
				return err
			}
			e.p.Fprintf(e.stderr, "Wrote a sample course to %s\n", args[0])
			return nil
		},
	}
}
