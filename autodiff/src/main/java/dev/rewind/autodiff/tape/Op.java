package dev.rewind.autodiff.tape;

import static com.google.common.base.Preconditions.checkState;

import com.google.common.base.Ascii;
import com.google.common.base.Verify;
import com.google.common.base.VerifyException;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One differentiable operation: its forward computation and its backward rule, side by side.
 *
 * <p>Callers use {@link #apply}, which checks the inputs' shapes, computes the value and records
 * the application on every open {@link Tape} of the thread. Subclasses implement only the protected
 * hooks; never call them directly. An instance is applied once: it remembers its inputs and output
 * for the backward pass, like PyTorch's {@code ctx}.
 *
 * <p>The gradient contract: {@link #backward} returns one gradient per input, each of that input's
 * shape, or {@code null} for an input that has no gradient. It is written with {@link Var} ops, so
 * when a gradient is taken inside an outer tape, the backward pass is itself recorded and can be
 * differentiated again. Only the tape accumulates gradients of values used more than once.
 *
 * <p>An op with several outputs (the two states of an LSTM step) extends {@link MultiOutputOp}
 * instead: its forward hook returns one tensor per output, its backward hook receives one gradient
 * per output ({@code null} for an output no gradient reached), and it is applied with {@link
 * MultiOutputOp#applyAll}. It is recorded as one node, whatever the number of outputs.
 *
 * <p>The backward pass that nothing records (training) first offers every op {@link
 * #backwardInPlace}, once, with the running sums of all the wanted inputs' gradients; an op that
 * can add its gradients straight into them (a slice into its region, a weight's share of a product
 * into one array) overrides it. Otherwise, and whenever the pass is recorded, {@link #backward}
 * computes them.
 */
public abstract class Op {
  private Var[] inputs;
  private Var[] outputs;
  private boolean[] needsGradient;
  private String builtAt;

  /**
   * Applies this op to {@code inputs}.
   *
   * @throws IllegalArgumentException naming the op and the shapes when the inputs do not fit it
   * @throws IllegalStateException if this instance has been applied before, or has several outputs
   *     (those are applied with {@link MultiOutputOp#applyAll})
   */
  public final Var apply(Var... inputs) {
    checkState(
        !(this instanceof MultiOutputOp),
        "%s: an op with several outputs is applied with applyAll",
        name());
    return record(inputs)[0];
  }

  /** Checks, computes and records this op's application; its outputs, in order. */
  final Var[] record(Var... inputs) {
    checkState(this.inputs == null, "%s: an op instance is applied once", name());
    Shape[] shapes = new Shape[inputs.length];
    Tensor[] values = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      values[i] = inputs[i].peek();
      shapes[i] = values[i].shape();
      if (values[i].dtype() != values[0].dtype()) {
        throw new IllegalArgumentException(
            DType.mixed(name(), values[0].dtype(), values[i].dtype()));
      }
    }
    checkInputs(shapes);
    Recording recording = Recording.current();
    ArrayReuse lender = recording.lender();
    Var[] results;
    if (lender == null) {
      results = forwardOutputs(values);
    } else {
      lender.start();
      try {
        results = forwardOutputs(values);
      } finally {
        lender.stop();
      }
    }
    this.inputs = inputs;
    this.outputs = results;
    recording.record(this);
    return outputs;
  }

  /** The outputs: {@link #forward}'s one here, {@link MultiOutputOp}'s several there. */
  Var[] forwardOutputs(Tensor[] inputs) {
    return new Var[] {new Var(forward(inputs))};
  }

  /** The inputs' gradients from the outputs' (one here, never null). */
  Var[] backwardOutputs(Var[] gradOutputs) {
    return backward(gradOutputs[0]);
  }

  /**
   * Throws {@link IllegalArgumentException} when the inputs' shapes (or number) do not fit this op.
   * The message names the op and every shape involved.
   */
  protected abstract void checkInputs(Shape... shapes);

  /** Computes the output value. */
  protected abstract Tensor forward(Tensor... inputs);

  /**
   * The gradient with respect to each input, given the gradient with respect to the output. Uses
   * {@link #input}, {@link #output} and the op's own constants; skips inputs for which {@link
   * #needsGradient} is false by returning {@code null} for them. Return {@code gradOutput} (or a
   * value made from it) but do not keep it: a tape that reuses its arrays ({@link
   * Tape#recordRecycling}) reuses its array once the backward pass has spent it.
   */
  protected abstract Var[] backward(Var gradOutput);

  /**
   * For a backward pass that nothing records, called once per op: adds the gradient of every input
   * {@code i} with {@code into[i] != null} straight into that running sum, given the gradients of
   * the outputs ({@code gradOutputs[k]}, null for an output that no gradient reached; a single
   * output's is never null), and returns true; or returns false (the default), having added
   * nothing, to have them all computed by {@link #backward}. An op whose gradient is mostly zeros
   * (a slice), a product (a weight's share of a matrix product), or computed by one fused kernel
   * overrides it, so that the sums grow in place instead of through a new tensor per use and per
   * op. The arrays are the engine's and valid only during the call.
   */
  protected boolean backwardInPlace(Tensor[] gradOutputs, GradientSum[] into) {
    return false;
  }

  private static final ClassValue<String> CLASS_NAMES =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          return Ascii.toLowerCase(type.getSimpleName());
        }
      };

  /** The op's name in messages and graphs: the class name in lower case unless overridden. */
  public String name() {
    // NOTE: computed once per class; shape checks ask for it on every application.
    return CLASS_NAMES.get(getClass());
  }

  protected final Var input(int index) {
    return inputs[index];
  }

  /** The value of input {@code index}, for this op's backward rule. */
  protected final Tensor inputValue(int index) {
    return inputs[index].peek();
  }

  /** The value of the output; the first, for an op with several. */
  protected final Tensor outputValue() {
    return outputs[0].peek();
  }

  protected final int inputCount() {
    return inputs.length;
  }

  /** The output; the first, for an op with several. */
  protected final Var output() {
    return outputs[0];
  }

  /** Output {@code index} of an op with several. */
  protected final Var output(int index) {
    return outputs[index];
  }

  /** Whether the tape running this backward pass wants the gradient of input {@code index}. */
  protected final boolean needsGradient(int index) {
    return needsGradient[index];
  }

  final Var[] inputs() {
    return inputs;
  }

  final Var[] outputs() {
    return outputs;
  }

  final Var[] runBackward(Var[] gradOutputs, boolean[] needed) {
    this.needsGradient = needed;
    Var[] gradients = backwardOutputs(gradOutputs);
    Verify.verify(
        gradients.length == inputs.length,
        "%s: backward returned %s gradients for %s inputs",
        name(),
        gradients.length,
        inputs.length);
    for (int i = 0; i < gradients.length; i++) {
      if (needed[i] && gradients[i] != null && !gradients[i].shape().equals(inputs[i].shape())) {
        throw new VerifyException(
            String.format(
                "%s: gradient of input %s has shape %s, the input %s",
                name(), i, gradients[i].shape(), inputs[i].shape()));
      }
    }
    return gradients;
  }

  /** Records the first stack frame outside the autodiff engine: the line that built this op. */
  void rememberWhereBuilt() {
    builtAt =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(
                frames ->
                    frames
                        .filter(frame -> !isEngine(frame.getDeclaringClass()))
                        .findFirst()
                        .map(frame -> frame.toStackTraceElement().toString())
                        .orElse("unknown"));
  }

  /**
   * Whether {@code type} belongs to the engine. The package alone does not tell: code in the same
   * packages but loaded from elsewhere, such as the engine's own tests, is a caller.
   */
  private static boolean isEngine(Class<?> type) {
    return type.getName().startsWith("dev.rewind.autodiff.")
        && Objects.equals(codeSource(type), codeSource(Op.class));
  }

  private static CodeSource codeSource(Class<?> type) {
    return type.getProtectionDomain().getCodeSource();
  }

  /** The input shapes, as anomaly messages and graphs print them: {@code [2, 3], [3]}. */
  final String inputShapes() {
    return Arrays.stream(inputs).map(v -> v.shape().toString()).collect(Collectors.joining(", "));
  }

  /**
   * The first stack frame outside the autodiff engine: the line of user code that built this op.
   */
  final String whereBuilt() {
    return builtAt != null
        ? builtAt
        : "unknown (open the tape with anomaly detection to record it)";
  }
}
