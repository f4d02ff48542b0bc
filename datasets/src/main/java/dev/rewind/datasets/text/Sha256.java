package dev.rewind.datasets.text;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 over a text's UTF-8 bytes, fed one code point at a time. */
final class Sha256 {
  private Sha256() {}

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Writes {@code codePoint} as UTF-8 into {@code buffer} at {@code at}; returns the next index.
   */
  static int putUtf8(byte[] buffer, int at, int codePoint) {
    if (codePoint < 0x80) {
      buffer[at++] = (byte) codePoint;
    } else if (codePoint < 0x800) {
      buffer[at++] = (byte) (0xc0 | (codePoint >>> 6));
      buffer[at++] = (byte) (0x80 | (codePoint & 0x3f));
    } else if (codePoint < 0x10000) {
      buffer[at++] = (byte) (0xe0 | (codePoint >>> 12));
      buffer[at++] = (byte) (0x80 | ((codePoint >>> 6) & 0x3f));
      buffer[at++] = (byte) (0x80 | (codePoint & 0x3f));
    } else {
      buffer[at++] = (byte) (0xf0 | (codePoint >>> 18));
      buffer[at++] = (byte) (0x80 | ((codePoint >>> 12) & 0x3f));
      buffer[at++] = (byte) (0x80 | ((codePoint >>> 6) & 0x3f));
      buffer[at++] = (byte) (0x80 | (codePoint & 0x3f));
    }
    return at;
  }
}
