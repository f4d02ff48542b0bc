package dev.rewind.datasets.text;

import dev.rewind.datasets.DatasetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a whole file as strictly decoded UTF-8, with errors that name the file. */
final class TextFiles {
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private TextFiles() {}

  /**
   * The text of {@code file}, without a leading byte-order mark.
   *
   * @throws DatasetException if the file is missing, empty, or not valid UTF-8 (the message gives
   *     the offset of the first bad byte, counted from 0)
   */
  static String readUtf8(Path file) {
    byte[] bytes = readBytes(file);
    if (bytes.length == 0) {
      throw new DatasetException(file + ": the file is empty");
    }
    String text = decode(file, bytes);
    if (text.charAt(0) == BYTE_ORDER_MARK) {
      text = text.substring(1);
    }
    if (text.isEmpty()) {
      throw new DatasetException(file + ": the file is empty but for a byte-order mark");
    }
    return text;
  }

  private static byte[] readBytes(Path file) {
    if (Files.isDirectory(file)) {
      throw new DatasetException(file + ": is a directory, not a file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DatasetException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new DatasetException(file + ": cannot be read: permission denied", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot be read: " + reason(e), e);
    }
  }

  /** Why reading failed, without repeating the path that a file-system error's message holds. */
  private static String reason(IOException e) {
    if (e instanceof FileSystemException failed && failed.getReason() != null) {
      return failed.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static String decode(Path file, byte[] bytes) {
    // NOTE: String's constructor and Files.readString would replace or hide bad bytes; a decoder
    // that reports them gives the exact position.
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new DatasetException(
          file + ": not valid UTF-8 at byte " + Messages.number(in.position()));
    }
    result = decoder.flush(out);
    if (result.isError()) {
      throw new DatasetException(
          file + ": not valid UTF-8 at byte " + Messages.number(in.position()));
    }
    return out.flip().toString();
  }
}
