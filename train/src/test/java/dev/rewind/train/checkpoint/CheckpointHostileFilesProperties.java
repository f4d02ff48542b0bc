package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.io.HostileFiles;
import dev.rewind.autodiff.io.HostileFiles.Outcome;
import dev.rewind.autodiff.io.HostileInputs;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.train.checkpoint.TinyTraining.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.RandomAccessFile;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * The checkpoint reader under attack, on top of everything the safetensors reader is fed: damaged
 * checkpoints, and checkpoints a hostile writer re-signed with a valid checksum after changing the
 * metadata, the random state (other serialized classes), the tensors' names, shapes and dtypes.
 * Every one is refused with a {@link CheckpointException} naming the file, within a few seconds,
 * and the model and optimizer it was loaded into are bit for bit as they were.
 */
class CheckpointHostileFilesProperties {
  private static Path folder;
  private static byte[] valid;
  private static Safetensors.Contents validContents;
  private static TinyTraining.Fingerprint saved;

  private TinyTraining target;
  private TinyTraining.Fingerprint before;

  @BeforeContainer
  static void writeAValidCheckpoint() throws IOException {
    folder = Files.createTempDirectory("hostile-checkpoints");
    TinyTraining run = new TinyTraining(Kind.ADAM, 7, 2);
    run.train(2);
    Path file = folder.resolve("valid.ckpt");
    run.save(file);
    valid = Files.readAllBytes(file);
    validContents = Safetensors.readContents(file);
    saved = run.fingerprint();
  }

  @AfterContainer
  static void deleteTheFolderAndReport() throws IOException {
    HostileFiles.deleteRecursively(folder);
    HostileInputs.count(0);
  }

  @BeforeTry
  void trainATarget() {
    target = new TinyTraining(Kind.ADAM, 8, 2);
    target.train(1);
    before = target.fingerprint();
  }

  /** Loads {@code bytes} into the target; refused means untouched, read means the saved state. */
  private Outcome load(byte[] bytes) {
    Outcome outcome =
        HostileFiles.read(
            HostileFiles.write(folder, bytes),
            CheckpointException.class,
            file -> {
              try {
                target.restore(file);
              } catch (CheckpointException e) {
                assertTrue(e.getMessage().length() < 4096, "a short message");
                throw e;
              }
            });
    assertEquals(outcome == Outcome.READ ? saved : before, target.fingerprint());
    return outcome;
  }

  @Example
  void theValidCheckpointLoads() {
    assertEquals(Outcome.READ, load(valid));
  }

  @Property(tries = 200)
  void randomBytesAreRefused(@ForAll @Size(max = 4096) byte[] bytes) {
    assertEquals(Outcome.REFUSED, load(bytes));
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void everyTruncationIsRefused(@ForAll @IntRange(min = 0, max = 1_000_000) int cut) {
    assertEquals(Outcome.REFUSED, load(Arrays.copyOf(valid, cut % valid.length)));
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void damagedCheckpointsAreRefusedOrReadUnchanged(
      @ForAll @IntRange(min = 1, max = 8) int damage, @ForAll long seed) {
    Random random = new Random(seed);
    byte[] damaged = valid.clone();
    int headerEnd = 8 + (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong();
    for (int i = 0; i < damage; i++) {
      int at = random.nextInt(random.nextBoolean() ? headerEnd : damaged.length);
      damaged[at] ^= (byte) (1 + random.nextInt(255));
    }
    // NOTE: READ is possible only when the damage turned header padding into other whitespace.
    Outcome unused = load(damaged);
  }

  @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
  void aSingleFlippedBitIsAlwaysRefused(@ForAll @IntRange(min = 0, max = 1 << 30) int bit) {
    byte[] damaged = valid.clone();
    int at = (bit >>> 3) % damaged.length;
    damaged[at] ^= (byte) (1 << (bit & 7));
    assertEquals(Outcome.REFUSED, load(damaged));
  }

  @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
  void aHeaderLengthThatLiesIsRefused(@ForAll("headerLengths") long headerLength) {
    long actual = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong();
    byte[] lying = valid.clone();
    ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength);
    assertEquals(headerLength == actual ? Outcome.READ : Outcome.REFUSED, load(lying));
  }

  @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
  void reSignedMutationsAreRefused(@ForAll("mutations") Mutation mutation) {
    Map<String, Tensor> tensors = new LinkedHashMap<>(validContents.tensors());
    Map<String, String> metadata = new LinkedHashMap<>(validContents.metadata());
    mutation.apply(tensors, metadata);
    metadata.put("checksum", Checksum.of(tensors, metadata, "checksum"));

    assertEquals(Outcome.REFUSED, load(bytes(tensors, metadata)), mutation.toString());
  }

  @Example
  void aHeaderOverTheCheckpointBoundIsRefusedBeforeItIsRead() {
    byte[] bytes = valid.clone();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(Checkpoint.MAX_HEADER_BYTES + 1);
    assertEquals(Outcome.REFUSED, load(bytes));
  }

  @Example
  void aFileLargerThanAnyCheckpointOfTheModelIsRefusedBeforeItIsRead() throws IOException {
    Path sparse = folder.resolve("sparse.ckpt");
    try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
      file.write(valid);
      file.setLength(1L << 30); // a hole: nothing is written, nothing may be read
    }
    Outcome outcome =
        HostileFiles.read(sparse, CheckpointException.class, file -> target.restore(file));

    assertEquals(Outcome.REFUSED, outcome);
    assertEquals(before, target.fingerprint());
  }

  @Example
  void deeplyNestedJsonInACheckpointIsRefused() {
    String header = "{\"__metadata__\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertEquals(Outcome.REFUSED, load(HostileFiles.safetensors(header, new byte[0])));
  }

  @Example
  void hugeMetadataIsRefusedWithAShortMessage() {
    Map<String, String> metadata = new LinkedHashMap<>(validContents.metadata());
    metadata.put("optimizer", "A".repeat(4_000_000));
    metadata.put("checksum", Checksum.of(validContents.tensors(), metadata, "checksum"));
    assertEquals(Outcome.REFUSED, load(bytes(validContents.tensors(), metadata)));
  }

  private static byte[] bytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Safetensors.write(out, tensors, metadata);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  /** A change a hostile writer makes before re-signing the checkpoint. */
  interface Mutation {
    void apply(Map<String, Tensor> tensors, Map<String, String> metadata);
  }

  private static Mutation named(String description, Mutation mutation) {
    return new Mutation() {
      @Override
      public void apply(Map<String, Tensor> tensors, Map<String, String> metadata) {
        mutation.apply(tensors, metadata);
      }

      @Override
      public String toString() {
        return description;
      }
    };
  }

  @Provide
  Arbitrary<Mutation> mutations() {
    return Arbitraries.oneOf(
        badMetadataValues(),
        removedKeys(),
        Arbitraries.strings()
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(key -> !validContents.metadata().containsKey(key))
            .filter(key -> !key.startsWith("attribute.") && !key.startsWith("optimizer_scalar."))
            .map(key -> named("unknown key " + key, (t, m) -> m.put(key, "1"))),
        Arbitraries.of(validContents.tensors().keySet().asList())
            .map(name -> named("removed " + name, (t, m) -> t.remove(name))),
        Arbitraries.of(validContents.tensors().keySet().asList())
            .map(name -> named("reshaped " + name, (t, m) -> t.put(name, reshaped(t.get(name))))),
        Arbitraries.of(
                validContents.tensors().keySet().stream()
                    .filter(name -> name.startsWith("model."))
                    .toList())
            .map(
                name ->
                    named(
                        "converted " + name + " to float32",
                        (t, m) -> t.put(name, t.get(name).to(DType.FLOAT32)))),
        strayTensors());
  }

  private Arbitrary<Mutation> badMetadataValues() {
    Arbitrary<String> garbage =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(30),
            Arbitraries.of(
                "",
                "-1",
                "1e3",
                "0x10",
                " 7",
                "7 ",
                "+7",
                "99999999999999999999",
                "-9223372036854775809",
                "NaN",
                "A".repeat(100_000)));
    Map<String, Arbitrary<String>> bad = new LinkedHashMap<>();
    bad.put("format", garbage.filter(v -> !v.equals("rewind.checkpoint")));
    bad.put("format_version", garbage.filter(v -> !v.equals("1")));
    bad.put("step", garbage.filter(v -> !isDecimal(v) || Long.parseLong(v) < 0));
    bad.put("data_position", garbage.filter(v -> !isDecimal(v)));
    bad.put("optimizer_steps", garbage.filter(v -> !isDecimal(v) || Long.parseLong(v) < 0));
    bad.put("optimizer", garbage.filter(v -> !v.equals("Adam")));
    bad.put("random", Arbitraries.oneOf(garbage, Arbitraries.of(hostileRandomStates())));
    bad.put("optimizer_scalar.previousLoss", garbage);
    List<Arbitrary<Mutation>> choices = new ArrayList<>();
    bad.forEach(
        (key, values) ->
            choices.add(
                values.map(
                    value -> named(key + " = " + shown(value), (t, m) -> m.put(key, value)))));
    return Arbitraries.oneOf(choices);
  }

  private Arbitrary<Mutation> removedKeys() {
    return Arbitraries.of(
            "format",
            "format_version",
            "step",
            "data_position",
            "random",
            "optimizer",
            "optimizer_steps")
        .map(key -> named("without " + key, (t, m) -> m.remove(key)));
  }

  private Arbitrary<Mutation> strayTensors() {
    Tensor weight = validContents.tensors().get("model.cell.weightIh");
    Map<String, Tensor> strays = new LinkedHashMap<>();
    strays.put("model.extra", Tensor.zeros(2));
    strays.put("model.", Tensor.zeros(2));
    strays.put("optimizer.cell.weightIh.thirdMoment", weight);
    strays.put("optimizer.cell.weightIh", weight);
    strays.put("optimizer.cell.weightIh.", weight);
    strays.put("optimizer.nonexistent.firstMoment", weight);
    strays.put("optimizer..firstMoment", weight);
    strays.put("stray", weight);
    strays.put("optimizer.cell.weightIh.firstMoment", Tensor.zeros(weight.shape().dim(1)));
    return Arbitraries.of(new ArrayList<>(strays.keySet()))
        .map(name -> named("stray " + name, (t, m) -> t.put(name, strays.get(name))));
  }

  private static Tensor reshaped(Tensor tensor) {
    int[] dims = tensor.shape().toArray();
    int[] other = dims.length == 0 ? new int[] {1} : Arrays.copyOf(dims, dims.length);
    if (dims.length > 0) {
      other[0]++;
    }
    return Tensor.zeros(Shape.of(other));
  }

  /** Serialized objects that are not one plain {@code java.util.Random}, in Base64. */
  private static List<String> hostileRandomStates() {
    List<String> states = new ArrayList<>();
    for (Serializable object :
        List.<Serializable>of(
            new ArrayList<>(List.of(1, 2)),
            new HashMap<>(Map.of("k", "v")),
            Integer.valueOf(5),
            new java.util.Date(0),
            new java.security.SecureRandom(new byte[] {1}),
            new int[1_000])) {
      states.add(Base64.getEncoder().encodeToString(serialized(object)));
    }
    byte[] random = serialized(new Random(1));
    states.add(Base64.getEncoder().encodeToString(Arrays.copyOf(random, random.length + 3)));
    states.add(Base64.getEncoder().encodeToString(Arrays.copyOf(random, random.length - 3)));
    states.add(Base64.getEncoder().encodeToString(random).replace('A', '*'));
    states.add(Base64.getEncoder().encodeToString(new byte[2_000]));
    return states;
  }

  private static byte[] serialized(Serializable object) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  /** What the reader takes for a 64-bit integer: up to 19 digits, maybe a minus, in range. */
  private static boolean isDecimal(String value) {
    if (!value.matches("-?[0-9]{1,19}")) {
      return false;
    }
    try {
      long unused = Long.parseLong(value);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String shown(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "…(" + value.length() + ")" : value;
  }

  @Provide
  Arbitrary<Long> headerLengths() {
    return Arbitraries.oneOf(
        Arbitraries.longs(),
        Arbitraries.longs().between(-16, 8192),
        Arbitraries.of(-1L, Long.MIN_VALUE, Long.MAX_VALUE, Checkpoint.MAX_HEADER_BYTES + 1));
  }
}
