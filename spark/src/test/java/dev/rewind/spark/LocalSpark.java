package dev.rewind.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** A Spark of this JVM's own for a test class: started once, stopped after the class. */
final class LocalSpark {
  private LocalSpark() {}

  /**
   * Spark in local mode on {@code master} ({@code local[2]}, or {@code local[2,2]} for two tries
   * per task), without its web UI, bound to the loopback address.
   */
  static JavaSparkContext start(String master) {
    SparkConf conf =
        new SparkConf()
            .setMaster(master)
            .setAppName("rewind-spark-test")
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1");
    JavaSparkContext spark = new JavaSparkContext(conf);
    spark.setLogLevel("WARN");
    return spark;
  }
}
