package dev.rewind.examples.tutorials;

import com.google.common.collect.ImmutableList;
import dev.rewind.examples.Tutorial;

/** The tutorials on character language models: the notes' hello and any text file. */
public final class TextTutorials {
  private TextTutorials() {}

  public static ImmutableList<Tutorial> all() {
    return ImmutableList.of(new HelloTutorial(), new CharModelTutorial());
  }
}
