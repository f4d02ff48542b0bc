package dev.rewind.examples;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.examples.tutorials.GradientTutorials;
import dev.rewind.examples.tutorials.NotesTutorials;
import dev.rewind.examples.tutorials.TextTutorials;
import java.util.Optional;

/** Every tutorial, in the order a newcomer should meet them. */
public final class Tutorials {
  private static final ImmutableList<Tutorial> ALL =
      ImmutableList.<Tutorial>builder()
          .addAll(NotesTutorials.all())
          .addAll(TextTutorials.all())
          .addAll(GradientTutorials.all())
          .build();

  private Tutorials() {}

  public static ImmutableList<Tutorial> all() {
    return ALL;
  }

  public static Optional<Tutorial> find(String id) {
    return ALL.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  /** The tutorial with this id, or an error listing the ids there are. */
  public static Tutorial get(String id) {
    Optional<Tutorial> tutorial = find(id);
    checkArgument(
        tutorial.isPresent(),
        "no tutorial '%s'; the tutorials are: %s",
        id,
        String.join(", ", ALL.stream().map(Tutorial::id).toList()));
    return tutorial.get();
  }
}
