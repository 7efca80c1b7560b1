/**
 * The command line shared by every entry point: {@link dev.stepwise.cli.Cli} parses the options
 * (picocli), composes the config through {@code dev.stepwise.config}, prints it on
 * {@code --cfg}/{@code --info}, or runs a {@link dev.stepwise.cli.Job}, mapping user errors to exit
 * code 2 with a one-line message. Loads no DJL class.
 */
package dev.stepwise.cli;
