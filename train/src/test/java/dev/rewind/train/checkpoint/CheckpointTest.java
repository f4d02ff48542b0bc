package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.Linear;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.seq.ManyToOne;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.OptimizerState;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.StepReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a checkpoint holds, how it looks on disk, and how a load that does not fit fails. */
class CheckpointTest {
  @TempDir Path folder;

  @Test
  void aCheckpointIsSafetensorsWithTheDocumentedLayout() throws Exception {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.ADAM, 7);
    run.train(3);
    Path file = folder.resolve("layout.ckpt");
    run.save(file);

    Safetensors.Contents contents = Safetensors.readContents(file);
    assertEquals(
        ImmutableList.of(
            "model.cell.weightIh",
            "model.cell.weightHh",
            "model.cell.biasIh",
            "model.cell.biasHh",
            "model.readout.weight",
            "model.readout.bias",
            "optimizer.cell.weightIh.firstMoment",
            "optimizer.cell.weightIh.secondMoment"),
        contents.tensors().keySet().asList().subList(0, 8));
    assertEquals(6 + 6 * 2 + 2, contents.tensors().size());
    assertEquals(Shape.of(4, 6), contents.tensors().get("carried.h").shape());
    assertEquals(Shape.of(4, 6), contents.tensors().get("carried.c").shape());
    Map<String, String> metadata = contents.metadata();
    assertEquals("rewind.checkpoint", metadata.get("format"));
    assertEquals("1", metadata.get("format_version"));
    assertEquals("3", metadata.get("step"));
    assertEquals("12", metadata.get("data_position"));
    assertEquals("Adam", metadata.get("optimizer"));
    assertEquals("3", metadata.get("optimizer_steps"));
    assertTrue(metadata.get("checksum").matches("sha256:[0-9a-f]{64}"), metadata.get("checksum"));
  }

  @Test
  void theSameStateIsTheSameBytesWhateverOrderItsAttributesCameIn() throws Exception {
    Map<String, String> oneOrder = new LinkedHashMap<>();
    oneOrder.put("corpus", "sines");
    oneOrder.put("lr", "0.1");
    oneOrder.put("batch", "4");
    Map<String, String> otherOrder = new LinkedHashMap<>();
    otherOrder.put("batch", "4");
    otherOrder.put("lr", "0.1");
    otherOrder.put("corpus", "sines");
    Path[] files = {folder.resolve("one.ckpt"), folder.resolve("other.ckpt")};
    List<Map<String, String>> orders = List.of(oneOrder, otherOrder);
    for (int i = 0; i < 2; i++) {
      TinyTraining run = new TinyTraining(TinyTraining.Kind.ADAM, 7);
      run.train(2);
      Checkpoint.save(
          files[i],
          run.model,
          run.optimizer,
          run.random,
          Progress.of(2, 2).withAttributes(orders.get(i)));
    }
    assertArrayEquals(Files.readAllBytes(files[0]), Files.readAllBytes(files[1]));
  }

  @Test
  void loadingRestoresWeightsOptimizerGeneratorAndProgressExactly() throws Exception {
    for (TinyTraining.Kind kind : TinyTraining.Kind.values()) {
      TinyTraining run = new TinyTraining(kind, 7);
      run.train(5);
      Path file = folder.resolve(kind + ".ckpt");
      run.save(file);

      TinyTraining other = new TinyTraining(kind, 8);
      other.random = new Random(8);
      Checkpoint.Restored restored = other.restore(file);

      assertEquals(run.fingerprint(), other.fingerprint(), kind.toString());
      assertEquals(file, restored.file());
      assertEquals(ImmutableList.of(), restored.passedOver());
    }
  }

  @Test
  void iRpropPlusKeepsItsPreviousLossExactly() throws Exception {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.IRPROP_PLUS, 7);
    run.train(4);
    Path file = folder.resolve("rprop.ckpt");
    run.save(file);
    double previousLoss = run.optimizer.exportState().scalars().get("previousLoss");

    assertEquals(
        CheckpointCodec.bits(previousLoss),
        Safetensors.readContents(file).metadata().get("optimizer_scalar.previousLoss"));
  }

  @Test
  void attributesComeBackAsTheyWere() throws Exception {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.SGD_MOMENTUM, 7);
    Path file = folder.resolve("attributes.ckpt");
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("corpus", "shakespeare.txt");
    attributes.put("command", "train-text --hidden 6 \"quoted\" \\ back\nslash");
    attributes.put("unicode", "ÿ → ∑ 😀");
    Progress progress = Progress.of(41, 5).withAttributes(attributes);
    Checkpoint.save(file, run.model, run.optimizer, run.random, progress);

    TinyTraining other = new TinyTraining(TinyTraining.Kind.SGD_MOMENTUM, 1);
    Checkpoint.Restored restored = Checkpoint.load(file, other.model, other.optimizer);

    assertEquals(progress, restored.progress());
  }

  @Test
  void aParameterOfAnotherShapeIsNamedWithBothShapesAndNothingChanges() throws Exception {
    TinyTraining small = new TinyTraining(TinyTraining.Kind.ADAM, 7, 6);
    small.train(2);
    Path file = folder.resolve("checkpoint.safetensors");
    small.save(file);
    TinyTraining large = new TinyTraining(TinyTraining.Kind.ADAM, 7, 8);
    large.train(2);
    TinyTraining.Fingerprint before = large.fingerprint();

    CheckpointException e = assertThrows(CheckpointException.class, () -> large.restore(file));

    assertEquals(
        file + ": cell.weightIh has shape [2, 24], the model expects [2, 32]", e.getMessage());
    assertEquals(before, large.fingerprint());
  }

  @Test
  void aParameterMissingFromTheCheckpointIsNamed() throws Exception {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.SGD_MOMENTUM, 7);
    Path file = folder.resolve("lstm.ckpt");
    run.save(file);
    Random init = new Random(3);
    ManyToOne<?> elman =
        new ManyToOne<>(ElmanCell.random(2, 6, Activation.TANH, init), new Linear(6, 1, init));
    Optimizer optimizer =
        TinyTraining.optimizer(TinyTraining.Kind.SGD_MOMENTUM, elman.parameters());
    TinyTraining.ParameterBits before = TinyTraining.bits(elman);

    CheckpointException e =
        assertThrows(CheckpointException.class, () -> Checkpoint.load(file, elman, optimizer));

    assertEquals(
        file + ": cell.U [2, 6] is in the model but not in the checkpoint", e.getMessage());
    assertEquals(before, TinyTraining.bits(elman));
  }

  @Test
  void anotherOptimizerIsRefusedAndNothingChanges() throws Exception {
    TinyTraining adam = new TinyTraining(TinyTraining.Kind.ADAM, 7);
    adam.train(2);
    Path file = folder.resolve("adam.ckpt");
    adam.save(file);
    TinyTraining sgd = new TinyTraining(TinyTraining.Kind.SGD_MOMENTUM, 7);
    sgd.train(3);
    TinyTraining.Fingerprint before = sgd.fingerprint();

    CheckpointException e = assertThrows(CheckpointException.class, () -> sgd.restore(file));

    assertEquals(
        file + ": the checkpoint's optimizer is 'Adam', but this training uses Sgd",
        e.getMessage());
    assertEquals(before, sgd.fingerprint());
  }

  @Test
  void aChangedValueFailsTheChecksum() throws Exception {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.ADAM, 7);
    run.train(2);
    Path file = folder.resolve("flipped.ckpt");
    run.save(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x10; // a bit of the last optimizer slot's last value
    Files.write(file, bytes);
    TinyTraining other = new TinyTraining(TinyTraining.Kind.ADAM, 8);
    TinyTraining.Fingerprint before = other.fingerprint();

    CheckpointException e = assertThrows(CheckpointException.class, () -> other.restore(file));

    assertTrue(e.getMessage().startsWith(file + ": the checksum does not match"), e.getMessage());
    assertEquals(before, other.fingerprint());
  }

  @Test
  void plainSafetensorsIsNotACheckpoint() throws Exception {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.ADAM, 7);
    Path file = folder.resolve("weights.safetensors");
    dev.rewind.layers.io.LayerWeights.save(run.model, file);

    CheckpointException e = assertThrows(CheckpointException.class, () -> run.restore(file));

    assertEquals(
        file + ": not a Rewind checkpoint: its metadata has no format 'rewind.checkpoint'",
        e.getMessage());
  }

  @Test
  void anotherFormatVersionIsRefused() throws Exception {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.ADAM, 7);
    Path file = folder.resolve("future.ckpt");
    run.save(file);
    rewrite(file, Map.of("format_version", "2"));

    CheckpointException e = assertThrows(CheckpointException.class, () -> run.restore(file));

    assertEquals(
        file + ": checkpoint format version '2' cannot be read; this library reads version 1",
        e.getMessage());
  }

  @Test
  void onlyAPlainJavaUtilRandomCanBeSaved() {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.ADAM, 7);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Checkpoint.save(
                    folder.resolve("x.ckpt"),
                    run.model,
                    run.optimizer,
                    new SecureRandom(),
                    run.progress()));

    assertTrue(e.getMessage().contains("java.security.SecureRandom"), e.getMessage());
  }

  @Test
  void anOptimizerOfParametersOutsideTheModelCannotBeSaved() {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.ADAM, 7);
    TinyTraining other = new TinyTraining(TinyTraining.Kind.ADAM, 8);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Checkpoint.save(
                    folder.resolve("x.ckpt"),
                    run.model,
                    other.optimizer,
                    run.random,
                    run.progress()));

    assertTrue(
        e.getMessage().contains("'weightIh' [2, 24], which is not in the model"), e.getMessage());
  }

  @Test
  void aLoadThatFailsHalfwayPutsTheModelAndOptimizerBack() throws Exception {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.ADAM, 7);
    run.train(3);
    Path file = folder.resolve("good.ckpt");
    run.save(file);
    TinyTraining other = new TinyTraining(TinyTraining.Kind.ADAM, 8);
    other.train(2);
    TinyTraining.Fingerprint before = other.fingerprint();
    Optimizer failing = new FailsAfterRestoring(other.optimizer);

    CheckpointException e =
        assertThrows(CheckpointException.class, () -> Checkpoint.load(file, other.model, failing));

    assertTrue(e.getMessage().endsWith("disk gremlin; nothing was changed"), e.getMessage());
    assertEquals(before, other.fingerprint());
  }

  @Test
  void verifyRefusesWhatLoadRefusesBeforeAnyModelIsNamed() throws Exception {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.ADAM, 7);
    Map<Map<String, String>, String> refusals =
        Map.of(
            Map.of("data_position", "-3"), "data position -3 is negative",
            Map.of("step", "+12"), "metadata 'step' is '+12', not a 64-bit integer",
            Map.of("written_by", "a newer version"), "unknown metadata key 'written_by'");
    for (Map.Entry<Map<String, String>, String> refusal : refusals.entrySet()) {
      Path file = folder.resolve("hostile.ckpt");
      run.save(file);
      rewrite(file, refusal.getKey());

      CheckpointException verified =
          assertThrows(CheckpointException.class, () -> Checkpoint.verify(file));
      CheckpointException loaded = assertThrows(CheckpointException.class, () -> run.restore(file));

      assertEquals(file + ": " + refusal.getValue(), verified.getMessage());
      assertEquals(verified.getMessage(), loaded.getMessage());
      Files.delete(file);
    }
  }

  /** Re-signs {@code file} with some metadata replaced, as a hostile or future writer could. */
  static void rewrite(Path file, Map<String, String> replaced) throws Exception {
    Safetensors.Contents contents = Safetensors.readContents(file);
    Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
    metadata.putAll(replaced);
    metadata.put("checksum", Checksum.of(contents.tensors(), metadata, "checksum"));
    Safetensors.write(file, contents.tensors(), metadata);
  }

  /** An optimizer that restores the state it is given and then fails, like a bug halfway. */
  private static final class FailsAfterRestoring implements Optimizer {
    private final Optimizer delegate;

    FailsAfterRestoring(Optimizer delegate) {
      this.delegate = delegate;
    }

    @Override
    public ImmutableList<Parameter> parameters() {
      return delegate.parameters();
    }

    @Override
    public long steps() {
      return delegate.steps();
    }

    @Override
    public StepReport step(ParameterGradients gradients) {
      return delegate.step(gradients);
    }

    @Override
    public OptimizerState exportState() {
      return delegate.exportState();
    }

    @Override
    public void restoreState(OptimizerState state) {
      delegate.restoreState(state);
      if (state.steps() == 3) {
        delegate.parameters().get(0).assign(Tensor.zeros(delegate.parameters().get(0).shape()));
        throw new IllegalStateException("disk gremlin");
      }
    }
  }
}
