package dev.rewind.datasets.text;

import dev.rewind.datasets.DatasetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Reads a UTF-8 file straight into a {@link CompactText} in one pass of 64 KiB chunks, decoding
 * strictly and hashing the bytes on the way: the text is never held as bytes, a {@code String} or
 * code points, so a file of N characters takes about 2N bytes of heap (4N while the array is
 * trimmed, for a text that is not all ASCII).
 */
final class CorpusReader {
  private static final int CHUNK_BYTES = 1 << 16;
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private CorpusReader() {}

  /**
   * @throws DatasetException naming the file if it is missing, a folder, unreadable, empty, too
   *     large, not valid UTF-8 (with the offset of the first bad byte, from 0) or holds more than
   *     65,535 distinct characters
   */
  static Corpus read(Path file) {
    if (Files.isDirectory(file)) {
      throw new DatasetException(file + ": is a directory, not a file");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(file, channel);
    } catch (NoSuchFileException e) {
      throw new DatasetException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new DatasetException(file + ": cannot be read: permission denied", e);
    } catch (FileSystemException e) {
      throw new DatasetException(
          file + ": cannot be read: " + (e.getReason() != null ? e.getReason() : e), e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  private static Corpus read(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size == 0) {
      throw new DatasetException(file + ": the file is empty");
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new DatasetException(
          String.format(
              "%s: %s bytes, more than a text may hold (%s characters)",
              file, Messages.number(size), Messages.number(Integer.MAX_VALUE - 8)));
    }
    CompactText text = new CompactText(file.toString(), (int) size);
    MessageDigest digest = Sha256.newDigest();
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // NOTE: the BOM is not hashed, so that the hash is that of the text's UTF-8, as sha256() says.
    long bomBytes = startsWithByteOrderMark(channel) ? 3 : 0;
    ByteBuffer in = ByteBuffer.allocate(CHUNK_BYTES);
    CharBuffer out = CharBuffer.allocate(CHUNK_BYTES);
    long consumed = 0; // the bytes decoded before in's first byte
    long hashed = 0; // the bytes read and hashed so far
    boolean first = true;
    boolean end = false;
    while (!end) {
      int start = in.position();
      int read = channel.read(in);
      end = read < 0;
      if (read > 0) {
        int skip = (int) Math.max(0, Math.min(read, bomBytes - hashed));
        digest.update(in.array(), start + skip, read - skip);
        hashed += read;
      }
      in.flip();
      CoderResult result = decoder.decode(in, out, end);
      while (result.isOverflow()) {
        first = drain(out, text, first);
        result = decoder.decode(in, out, end);
      }
      if (result.isError()) {
        throw malformed(file, consumed + in.position());
      }
      if (end && decoder.flush(out).isError()) {
        throw malformed(file, consumed + in.position());
      }
      first = drain(out, text, first);
      consumed += in.position();
      in.compact();
    }
    if (text.length() == 0) {
      throw new DatasetException(file + ": the file is empty but for a byte-order mark");
    }
    return text.finish(HexFormat.of().formatHex(digest.digest()));
  }

  private static boolean startsWithByteOrderMark(FileChannel channel) throws IOException {
    ByteBuffer prefix = ByteBuffer.allocate(3);
    while (prefix.hasRemaining() && channel.read(prefix, prefix.position()) > 0) {
      // a file of fewer than 3 bytes has no BOM
    }
    return prefix.position() == 3
        && prefix.get(0) == (byte) 0xEF
        && prefix.get(1) == (byte) 0xBB
        && prefix.get(2) == (byte) 0xBF;
  }

  /** Adds the decoded characters to {@code text}; drops a byte-order mark at the very start. */
  private static boolean drain(CharBuffer out, CompactText text, boolean first) {
    out.flip();
    while (out.hasRemaining()) {
      char c = out.get();
      if (first) {
        first = false;
        if (c == BYTE_ORDER_MARK) {
          continue;
        }
      }
      if (Character.isHighSurrogate(c) && out.hasRemaining()) {
        text.add(Character.toCodePoint(c, out.get()));
      } else {
        text.add(c);
      }
    }
    out.clear();
    return first;
  }

  private static DatasetException malformed(Path file, long position) {
    return new DatasetException(file + ": not valid UTF-8 at byte " + Messages.number(position));
  }
}
