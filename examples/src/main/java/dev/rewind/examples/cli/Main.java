package dev.rewind.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rewind} command line: lists and runs the tutorials, trains character models. */
@Command(
    name = "rewind",
    mixinStandardHelpOptions = true,
    version = "rewind 0.1.0",
    description = "Recurrent networks whose BPTT comes from a tape: tutorials and tools.",
    subcommands = {
      ListCommand.class,
      RunCommand.class,
      TrainTextCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The command line, for tests that run it in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setExecutionExceptionHandler(Main::report);
  }

  /** A mistake in the input is reported in one line; anything else with its stack trace. */
  private static int report(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    boolean usersMistake =
        e instanceof IllegalArgumentException
            || e instanceof IllegalStateException
            || e instanceof java.io.IOException;
    command.getErr().println("rewind: " + e.getMessage());
    if (!usersMistake) {
      e.printStackTrace(command.getErr());
    }
    command.getErr().flush();
    return 2;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
