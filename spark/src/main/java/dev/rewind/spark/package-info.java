/**
 * Training on Apache Spark: a {@link dev.rewind.spark.Sweep} trains each of a list of
 * configurations as one Spark task with the {@code train} loop, checkpointing to a shared folder
 * and resuming a retried task from its last checkpoint; a {@link dev.rewind.spark.DataParallel} run
 * splits the training sequences into fixed shards across executors and sums the shards' gradients
 * in a fixed tree, so that every step equals the single-machine step bit for bit, whatever the
 * number of partitions.
 *
 * <p>Spark is a provided dependency: the cluster's Spark runs the application.
 */
package dev.rewind.spark;
