/**
 * JSONL data I/O: every stage of a pipeline reads and writes one JSON record per line.
 *
 * <ul>
 *   <li>{@link dev.stepwise.data.JsonlReader} streams records as Jackson {@code JsonNode}s or
 *       binds them to a class; a bad line is reported as a {@link dev.stepwise.config.UserError}
 *       naming {@code file:line}.
 *   <li>{@link dev.stepwise.data.JsonlAppender} appends records one line at a time, flushing
 *       each, so a killed stage resumes where it stopped: on open it repairs the partial last
 *       line a {@code kill -9} can leave, and {@code existingIds} lists the records already done.
 * </ul>
 *
 * <p>Field names follow the reference implementations (see {@code DESIGN.md} section 3) so that
 * their data files can be read as they are.
 */
package dev.stepwise.data;
