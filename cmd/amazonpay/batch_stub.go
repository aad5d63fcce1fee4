package main

import "github.com/spf13/cobra"

func (a *app) billingAgreementsCommand() *cobra.Command {
	return &cobra.Command{Use: "billing-agreements", Example: "soon"}
}
func (a *app) billingRunCommand() *cobra.Command {
	return &cobra.Command{Use: "billing-run", Example: "soon"}
}
