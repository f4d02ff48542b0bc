package dev.rewind.examples.tutorials;

import com.google.common.collect.ImmutableList;
import dev.rewind.examples.Tutorial;

/**
 * The tutorials on gradients over time: closed forms, vanishing and exploding, clipping,
 * encoder-decoder, custom cells.
 */
public final class GradientTutorials {
  private GradientTutorials() {}

  public static ImmutableList<Tutorial> all() {
    return ImmutableList.of(
        new BitSumTutorial(),
        new VanishingGradientsTutorial(),
        new ClippingTutorial(),
        new EncoderDecoderTutorial(),
        new CustomCellTutorial());
  }
}
