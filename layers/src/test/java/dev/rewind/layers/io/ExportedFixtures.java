package dev.rewind.layers.io;

import com.google.common.collect.ImmutableMap;
import dev.rewind.layers.Activation;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.StackedCell;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The cells behind the fixtures in {@code src/test/resources/pytorch/exported/}, each made from a
 * fixed seed. For each case, {@link #main} writes the cell with {@link TorchStateDict#save} as
 * {@code <case>.safetensors}; then {@code tools/layers-fixtures.py} loads that file into the
 * PyTorch module with {@code load_state_dict(strict=True)}, runs it, and writes what PyTorch holds
 * and computes as {@code <case>.torch.safetensors}. {@code TorchStateDictExportTest} reads both.
 *
 * <p>To rewrite the fixtures, from the repository root:
 *
 * <pre>
 * mvn -B -q -o -pl layers -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp "layers/target/test-classes:layers/target/classes:autodiff/target/classes:$(cat /tmp/cp.txt)" \
 *     dev.rewind.layers.io.ExportedFixtures
 * /usr/bin/python3 tools/layers-fixtures.py
 * </pre>
 */
final class ExportedFixtures {
  /** Where the fixtures are, from the repository root. */
  static final Path FOLDER = Path.of("layers", "src", "test", "resources", "pytorch", "exported");

  static final int INPUT = 4;
  static final int HIDDEN = 3;

  private ExportedFixtures() {}

  /** Every case's cell, made afresh from its seed: the same weights on every call. */
  static ImmutableMap<String, RecurrentCell<?>> cells() {
    Random tanh = new Random(3001);
    Random relu = new Random(3002);
    Random lstm1 = new Random(3003);
    Random lstm2 = new Random(3004);
    Random gru1 = new Random(3005);
    Random gru2 = new Random(3006);
    return ImmutableMap.of(
        "rnn_tanh_1",
        ElmanCell.random(INPUT, HIDDEN, Activation.TANH, tanh),
        "rnn_relu_2",
        new StackedCell<>(
            ElmanCell.random(INPUT, HIDDEN, Activation.RELU, relu),
            ElmanCell.random(HIDDEN, HIDDEN, Activation.RELU, relu)),
        "lstm_1",
        LstmCell.random(INPUT, HIDDEN, lstm1),
        "lstm_2",
        new StackedCell<>(
            LstmCell.random(INPUT, HIDDEN, lstm2), LstmCell.random(HIDDEN, HIDDEN, lstm2)),
        "gru_1",
        GruCell.random(INPUT, HIDDEN, gru1),
        "gru_2",
        new StackedCell<>(
            GruCell.random(INPUT, HIDDEN, gru2), GruCell.random(HIDDEN, HIDDEN, gru2)));
  }

  /** Writes every case's state dict into {@link #FOLDER}, or into the folder given. */
  public static void main(String[] args) throws IOException {
    Path folder = args.length > 0 ? Path.of(args[0]) : FOLDER;
    Files.createDirectories(folder);
    for (var entry : cells().entrySet()) {
      Path file = folder.resolve(entry.getKey() + ".safetensors");
      TorchStateDict.save(entry.getValue(), file);
      System.out.println(file);
    }
  }
}
