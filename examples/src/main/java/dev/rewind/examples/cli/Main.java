package dev.rewind.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rewind} command line: lists and runs the tutorials, trains character models. */
@Command(
    name = "rewind",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
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
    int exitCode;
    try {
      exitCode = commandLine().execute(args);
    } catch (OutOfMemoryError e) {
      // NOTE: train-text reports this itself; a tutorial's full heap ends here, as one line too.
      System.err.println("rewind: " + TrainTextLimits.outOfMemory());
      exitCode = 2;
    }
    if (shuttingDown()) {
      // A signal began the JVM's shutdown, and the run saved and stopped in its hook: the JVM exits
      // with the signal's status (128 + its number). A System.exit now could race the end of
      // that shutdown and replace the status with this one.
      return;
    }
    System.exit(exitCode);
  }

  /** Whether the JVM's shutdown has begun: it then refuses new hooks. */
  private static boolean shuttingDown() {
    try {
      Thread probe = new Thread(() -> {});
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  /** The command line, for tests that run it in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(Main::report)
        .setParameterExceptionHandler(Main::reportUsage);
  }

  /**
   * A mistake in the command line (an unknown option, a value that is not a number): one line that
   * names it and where to read the usage, exit code 2 — not the whole usage text.
   */
  private static int reportUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    String help = command.getCommandSpec().qualifiedName() + " --help";
    String suggestion = "";
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched
        && !unmatched.getSuggestions().isEmpty()) {
      suggestion = "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
    }
    command
        .getErr()
        .println("rewind: " + e.getMessage().strip() + suggestion + " (see '" + help + "')");
    command.getErr().flush();
    return 2;
  }

  /**
   * A mistake in the input, a file that cannot be read or written, a full heap: one line, exit code
   * 2. Anything else is a bug in rewind, reported with its stack trace.
   */
  private static int report(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    boolean usersMistake =
        e instanceof IllegalArgumentException
            || e instanceof IllegalStateException
            || e instanceof IOException
            || e instanceof UncheckedIOException;
    command.getErr().println("rewind: " + describe(e));
    if (!usersMistake) {
      e.printStackTrace(command.getErr());
    }
    command.getErr().flush();
    return 2;
  }

  /**
   * The message of {@code e} as one line that says what went wrong: a file-system error whose
   * message is a bare path ({@code notes.txt}) gets its reason ({@code notes.txt: permission
   * denied}).
   */
  static String describe(Throwable e) {
    Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
    String message;
    if (cause instanceof AccessDeniedException denied) {
      message = denied.getFile() + ": permission denied";
    } else if (cause instanceof NoSuchFileException missing) {
      message = missing.getFile() + ": no such file or folder";
    } else if (cause instanceof FileAlreadyExistsException exists) {
      message = exists.getFile() + ": already exists";
    } else if (cause instanceof NotDirectoryException notFolder) {
      message = notFolder.getFile() + ": is not a folder";
    } else if (cause instanceof FileSystemException failed && failed.getReason() != null) {
      message = failed.getFile() + ": " + failed.getReason();
    } else {
      message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
    return message.strip().replace('\n', ' ');
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
