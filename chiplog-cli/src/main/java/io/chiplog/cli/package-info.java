/**
 * The {@code chiplog} command (picocli): {@link io.chiplog.cli.Main} and one class per
 * subcommand. Commands that talk to a server use {@code chiplog-client}; {@code serve}, {@code
 * verify} and the {@code --data} forms of {@code export}/{@code import} open the embedded store
 * directly. Exit codes: 0 done, 1 failed (the message says why), 2 bad usage.
 */
@NullMarked
package io.chiplog.cli;

import org.jspecify.annotations.NullMarked;
