package dev.rewind.layers.seq;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Many-to-many of different lengths (note 001's translation; note 004's "input of arbitrary length,
 * output of arbitrary length"): an encoder reads the source, its final state initialises a decoder,
 * and the decoder writes the target through a readout.
 *
 * <pre>
 *   encoder:  s(t) = encoder(x(t), s(t−1)),  t = 1 … T_in;          d(0) = bridge(s(T_in))
 *   decoder:  (o(t), d(t)) = decoder(z(t), d(t−1)),  y(t) = readout(o(t)),  t = 1 … T_out
 * </pre>
 *
 * The decoder's inputs {@code z(t)} are either given ({@link #teacherForced}: the target shifted
 * right, as in training) or fed back ({@link #generate}: {@code z(t+1) = feedback(y(t))}). With a
 * source mask, each source sequence's state is taken after its own last real step.
 *
 * <p>Children that are layers are named {@code encoder}, {@code decoder}, {@code bridge}, {@code
 * readout} and {@code feedback}; a cell shared by both sides is listed once. {@link #checkpointed}
 * runs the encoder and the teacher-forced decoder with checkpointed BPTT ({@link
 * Recurrent#checkpointed}); generating feeds each readout back, one step at a time, and runs plain.
 *
 * @param <E> the encoder's state
 * @param <D> the decoder's state
 */
public final class EncoderDecoder<E extends RecurrentState<E>, D extends RecurrentState<D>>
    extends Layer {
  private final Recurrent<E> encoder;
  private final Function<? super E, ? extends D> bridge;
  private final ManyToMany<D> teacherForced;
  private final OneToMany<D> generator;
  private final UnaryOperator<Var> readout;
  private final UnaryOperator<Var> feedback;

  /**
   * Everything explicit: {@code bridge} maps the encoder's final state to the decoder's initial
   * one, {@code feedback} maps a readout to the decoder's next input when generating.
   */
  public EncoderDecoder(
      RecurrentCell<E> encoder,
      RecurrentCell<D> decoder,
      Function<? super E, ? extends D> bridge,
      UnaryOperator<Var> readout,
      UnaryOperator<Var> feedback) {
    this(
        new Recurrent<>(encoder),
        bridge,
        new ManyToMany<>(decoder, readout),
        new OneToMany<>(decoder, readout, feedback),
        readout,
        feedback);
  }

  private EncoderDecoder(
      Recurrent<E> encoder,
      Function<? super E, ? extends D> bridge,
      ManyToMany<D> teacherForced,
      OneToMany<D> generator,
      UnaryOperator<Var> readout,
      UnaryOperator<Var> feedback) {
    this.encoder = encoder;
    this.bridge = bridge;
    this.teacherForced = teacherForced;
    this.generator = generator;
    this.readout = readout;
    this.feedback = feedback;
    registerIfLayer("encoder", encoder.cell());
    registerIfLayer("decoder", teacherForced.cell());
    registerIfLayer("bridge", bridge);
    registerIfLayer("readout", readout);
    registerIfLayer("feedback", feedback);
  }

  /**
   * An encoder and a decoder with the same kind of state: the encoder's final state is the
   * decoder's initial state, and when generating, the readout is fed back as it is.
   */
  public static <S extends RecurrentState<S>> EncoderDecoder<S, S> of(
      RecurrentCell<S> encoder, RecurrentCell<S> decoder, UnaryOperator<Var> readout) {
    return new EncoderDecoder<>(encoder, decoder, state -> state, readout, x -> x);
  }

  /**
   * This scenario over the same parts, its encoder and teacher-forced decoder unrolled with
   * checkpointed BPTT in segments of {@code steps} ({@link Recurrent#checkpointed(int)}): the same
   * outputs and gradients, to the bit, for less memory and one more forward run of every step.
   *
   * @throws IllegalArgumentException unless {@code steps > 0}
   */
  public EncoderDecoder<E, D> checkpointed(int steps) {
    return new EncoderDecoder<>(
        encoder.checkpointed(steps),
        bridge,
        teacherForced.checkpointed(steps),
        generator,
        readout,
        feedback);
  }

  /**
   * {@link #checkpointed(int)} in segments of {@code ⌈√T⌉} steps for a sequence of T: the source's
   * T for the encoder, the target's for the decoder.
   */
  public EncoderDecoder<E, D> checkpointed() {
    return new EncoderDecoder<>(
        encoder.checkpointed(), bridge, teacherForced.checkpointed(), generator, readout, feedback);
  }

  /** The decoder's initial state: the bridged state after each source sequence's last real step. */
  public D encode(Var source, Tensor sourceMask) {
    return bridge.apply(encoder.run(source, null, sourceMask).finalState());
  }

  /**
   * Decodes with the given decoder inputs {@code [batch, T_out, features]} (teacher forcing);
   * {@code targetMask} is {@code [batch, T_out]} or null. The outputs are {@code y(1) … y(T_out)},
   * 0 at masked steps.
   */
  public Unrolled<D> teacherForced(
      Var source, Tensor sourceMask, Var decoderInputs, Tensor targetMask) {
    return teacherForced.run(decoderInputs, encode(source, sourceMask), targetMask);
  }

  /**
   * Decodes {@code steps} steps from {@code start} {@code [batch, features]}, each readout fed back
   * as the next decoder input.
   */
  public Unrolled<D> generate(Var source, Tensor sourceMask, Var start, int steps) {
    return generator.run(start, encode(source, sourceMask), steps);
  }
}
