package dev.rewind.examples.cli;

import dev.rewind.examples.Json;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.examples.Tutorials;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rewind run <id>}: runs one tutorial, in words or as one JSON document. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run a tutorial: it explains what it shows and writes its plots as PNG.")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The tutorial's id; `rewind list` shows them.")
  String id;

  @Option(names = "--seed", description = "The random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(
      names = "--out",
      description = "The folder for plots (default: ${DEFAULT-VALUE}).",
      defaultValue = "rewind-out")
  Path out;

  @Option(
      names = "--json",
      description =
          "Print the results as one strict JSON document, and nothing else; a non-finite"
              + " number is the string \"NaN\", \"Infinity\" or \"-Infinity\".")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Tutorial tutorial = Tutorials.get(id);
    PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    TutorialRun run = new TutorialRun(seed, out.resolve(tutorial.id()), json ? null : stdout);
    tutorial.run(run);
    if (json) {
      stdout.println(Json.document(tutorial.id(), run));
    } else {
      for (Path plot : run.plots()) {
        stdout.println("wrote " + plot);
      }
    }
    return 0;
  }
}
