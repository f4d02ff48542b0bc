/**
 * The tape: recording ops and differentiating them in reverse.
 *
 * <ol>
 *   <li>{@link dev.rewind.autodiff.tape.Var} — a value in a computation, and the facade through
 *       which every op is applied ({@code x.matmul(w).add(b).tanh()}).
 *   <li>{@link dev.rewind.autodiff.tape.Parameter} — a named trainable leaf.
 *   <li>{@link dev.rewind.autodiff.tape.Tape} — the Wengert list; {@code gradient(y, xs)}.
 *   <li>{@link dev.rewind.autodiff.tape.Gradients} — what {@code gradient} returns.
 *   <li>{@link dev.rewind.autodiff.tape.Op} — the base of every op: forward and backward side by
 *       side.
 *   <li>{@link dev.rewind.autodiff.tape.MultiOutputOp} — the base of an op with several outputs,
 *       recorded as one node.
 *   <li>{@link dev.rewind.autodiff.tape.Recompute} — gradient checkpointing: a segment kept as one
 *       node and run again in the backward pass, with the plain tape's gradients to the bit.
 * </ol>
 *
 * <h2>The gradient contract</h2>
 *
 * <p>An op's backward rule receives the gradient of its output and returns one gradient per input,
 * of that input's shape, or {@code null} for an input that needs none. The backward of a broadcast
 * is a sum back down to the operand's shape. Ops never accumulate: when a value feeds several ops
 * (a weight used at every time step), the tape sums their gradients. Backward rules are written
 * with the same differentiable ops, so a gradient taken inside an outer tape can be differentiated
 * again. An op with several outputs receives one gradient per output, {@code null} for an output
 * that no gradient reached.
 */
@CheckReturnValue
package dev.rewind.autodiff.tape;

import com.google.errorprone.annotations.CheckReturnValue;
