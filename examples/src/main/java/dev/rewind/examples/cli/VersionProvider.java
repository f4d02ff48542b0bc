package dev.rewind.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code rewind --version}: the version the build has, from {@code rewind-version.properties},
 * which Maven fills in from the pom.
 */
public final class VersionProvider implements CommandLine.IVersionProvider {
  static final String RESOURCE = "/rewind-version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"rewind " + version()};
  }

  /** The version the build has, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = properties.getProperty("version");
    if (version == null || version.contains("${")) {
      throw new IllegalStateException(RESOURCE + " was not filled in by the build: " + version);
    }
    return version;
  }
}
