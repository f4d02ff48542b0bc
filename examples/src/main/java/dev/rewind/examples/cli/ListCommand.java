package dev.rewind.examples.cli;

import dev.rewind.examples.Tutorial;
import dev.rewind.examples.Tutorials;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rewind list}: every tutorial with one line each. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the tutorials.")
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Tutorial tutorial : Tutorials.all()) {
      out.printf("%-22s %s%n", tutorial.id(), tutorial.summary());
    }
    out.flush();
    return 0;
  }
}
