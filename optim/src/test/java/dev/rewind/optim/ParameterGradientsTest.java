package dev.rewind.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterGradientsTest {
  @Test
  void fromTapeGradientsKeepsParametersInRequestOrderAndDropsOtherValues() {
    Parameter w = new Parameter("w", Tensor.vector(1.0, 2.0));
    Parameter b = new Parameter("b", Tensor.scalar(3.0));
    Var input = Var.constant(Tensor.vector(4.0, 5.0));
    try (Tape tape = Tape.record()) {
      Var loss = w.mul(input).sum().add(b);
      ParameterGradients gradients = ParameterGradients.from(tape.gradient(loss, b, input, w));
      assertEquals(ImmutableList.of(b, w), gradients.parameters());
      assertEquals(Tensor.vector(4.0, 5.0), gradients.tensor(w));
      assertEquals(Tensor.scalar(1.0), gradients.tensor(b));
      assertFalse(gradients.loss().isPresent());
    }
  }

  @Test
  void gradientsAreKeyedByIdentityNotByName() {
    Parameter first = new Parameter("w", Tensor.scalar(0.0));
    Parameter second = new Parameter("w", Tensor.scalar(0.0));
    ParameterGradients gradients =
        ParameterGradients.builder().put(first, Tensor.scalar(1.0)).build();
    assertTrue(gradients.contains(first));
    assertFalse(gradients.contains(second));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> gradients.tensor(second));
    assertTrue(error.getMessage().contains("'w'"), error.getMessage());
  }

  @Test
  void aParameterCannotBeGivenTwoGradients() {
    Parameter w = new Parameter("w", Tensor.scalar(0.0));
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParameterGradients.builder().put(w, Tensor.scalar(1.0)).put(w, Tensor.scalar(2.0)));
    assertTrue(error.getMessage().contains("two gradients"), error.getMessage());
  }

  @Test
  void restrictToOrdersAndChecksAgainstTheWantedParameters() {
    Parameter a = new Parameter("a", Tensor.scalar(0.0));
    Parameter b = new Parameter("b", Tensor.scalar(0.0));
    Parameter c = new Parameter("c", Tensor.scalar(0.0));
    ParameterGradients gradients =
        ParameterGradients.builder()
            .put(a, Tensor.scalar(1.0))
            .put(b, Tensor.scalar(2.0))
            .put(c, Tensor.scalar(3.0))
            .build()
            .withLoss(0.5);
    ParameterGradients restricted = gradients.restrictTo(List.of(c, a), "test");
    assertEquals(ImmutableList.of(c, a), restricted.parameters());
    assertEquals(0.5, restricted.loss().getAsDouble());
    assertFalse(restricted.contains(b));
  }

  @Test
  void nonFiniteParametersAreListedInOrder() {
    Parameter a = new Parameter("a", Tensor.zeros(2));
    Parameter b = new Parameter("b", Tensor.zeros(1));
    Parameter c = new Parameter("c", Tensor.zeros(1));
    ParameterGradients gradients =
        ParameterGradients.builder()
            .put(a, Tensor.vector(0.0, Double.POSITIVE_INFINITY))
            .put(b, Tensor.vector(1.0))
            .put(c, Tensor.vector(Double.NaN))
            .build();
    assertEquals(ImmutableList.of("a", "c"), gradients.nonFiniteParameters());
    NonFiniteGradientException error =
        assertThrows(NonFiniteGradientException.class, () -> gradients.requireFinite("test"));
    assertEquals("a", error.parameterName());
    assertEquals(1, error.position());
    assertEquals(Double.POSITIVE_INFINITY, error.value());
  }

  @Test
  void mapMustKeepEveryShape() {
    Parameter a = new Parameter("a", Tensor.zeros(2));
    ParameterGradients gradients = ParameterGradients.builder().put(a, Tensor.zeros(2)).build();
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class, () -> gradients.map((p, g) -> Tensor.zeros(3)));
    assertTrue(error.getMessage().contains("'a'"), error.getMessage());
  }
}
