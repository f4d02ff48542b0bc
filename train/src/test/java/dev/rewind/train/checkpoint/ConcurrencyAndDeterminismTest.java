package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.train.checkpoint.TinyTraining.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Training is a function of its seeds: the same seed gives the same bits, and models trained at
 * once on several threads, each with its own tapes, give exactly what they give alone.
 */
class ConcurrencyAndDeterminismTest {
  private static final int STEPS = 300;

  @Test
  void theSameSeedGivesTheSameBitsOverHundredsOfSteps() {
    for (Kind kind : Kind.values()) {
      TinyTraining first = new TinyTraining(kind, 42);
      TinyTraining second = new TinyTraining(kind, 42);
      first.train(STEPS);
      second.train(STEPS);

      assertEquals(first.fingerprint(), second.fingerprint(), kind.toString());
    }
  }

  @Test
  void modelsTrainedAtOnceOnSeveralThreadsMatchTheirRunsAlone() throws Exception {
    List<Runnable> jobs = new ArrayList<>();
    List<TinyTraining> together = new ArrayList<>();
    List<TinyTraining.Fingerprint> alone = new ArrayList<>();
    int models = 4;
    for (int i = 0; i < models; i++) {
      Kind kind = Kind.values()[i % Kind.values().length];
      TinyTraining solo = new TinyTraining(kind, 100 + i);
      solo.train(STEPS / 3);
      alone.add(solo.fingerprint());
      together.add(new TinyTraining(kind, 100 + i));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(models);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (TinyTraining run : together) {
        running.add(
            threads.submit(
                () -> {
                  start.await();
                  run.train(STEPS / 3);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : running) {
        Object unused = future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    for (int i = 0; i < models; i++) {
      assertEquals(alone.get(i), together.get(i).fingerprint(), "model " + i);
    }
  }

  @Test
  void aTapeUsedFromAnotherThreadFailsClearly() throws Exception {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    TinyTraining.Batch batch = run.nextBatch();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (Tape tape = Tape.record()) {
      Var loss = run.loss(batch);
      Thread other =
          new Thread(
              () -> {
                try {
                  Object unused = tape.gradient(loss, run.model.parameters());
                } catch (Throwable e) {
                  failure.set(e);
                }
              },
              "intruder");
      other.start();
      other.join();
    }

    assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
    String opener = Thread.currentThread().getName();
    assertEquals(
        "gradient: the tape was opened on thread '"
            + opener
            + "' and is confined to it, but was used from thread 'intruder'",
        failure.get().getMessage());
  }

  @Test
  void opsRunOnAnotherThreadAreNotRecordedOnThisThreadsTape() throws Exception {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    TinyTraining.Batch batch = run.nextBatch();
    try (Tape tape = Tape.record()) {
      AtomicReference<Var> elsewhere = new AtomicReference<>();
      Thread other = new Thread(() -> elsewhere.set(run.loss(batch)), "elsewhere");
      other.start();
      other.join();

      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class,
              () -> tape.gradient(elsewhere.get(), ImmutableList.copyOf(run.model.parameters())));
      assertTrue(e.getMessage().contains("was not recorded on this tape"), e.getMessage());
      assertEquals(0, tape.size());
    }
  }
}
