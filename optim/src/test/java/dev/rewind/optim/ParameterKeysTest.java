package dev.rewind.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exported state is keyed by path, so two layers whose weights share a local name can train. */
class ParameterKeysTest {
  private final Parameter encoderWeight = new Parameter("weight", Tensor.vector(1, 2));
  private final Parameter decoderWeight = new Parameter("weight", Tensor.vector(3, 4));

  @Test
  void parametersSharingANameAreKeyedByTheirPaths() {
    Adam adam =
        Adam.builder(
                ImmutableMap.of("encoder.weight", encoderWeight, "decoder.weight", decoderWeight))
            .build();
    StepReport unused =
        adam.step(
            ParameterGradients.of(
                ImmutableMap.of(
                    encoderWeight, Tensor.vector(1, 1), decoderWeight, Tensor.vector(-1, -1))));
    assertEquals(
        List.of("encoder.weight", "decoder.weight"), adam.exportState().slots().keySet().asList());
    assertTrue(encoderWeight.value().getFlat(0) < 1);
    assertTrue(decoderWeight.value().getFlat(0) > 3);
  }

  @Test
  void aListWithTwoEqualNamesPointsToNamedParameters() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Sgd.builder(List.of(encoderWeight, decoderWeight)).learningRate(0.1).build());
    assertTrue(e.getMessage().contains("two parameters are named 'weight'"), e::getMessage);
    assertTrue(e.getMessage().contains("namedParameters()"), e::getMessage);
  }
}
