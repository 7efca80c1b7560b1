/**
 * Sweeps ({@code -m}/{@code --multirun}): expansion of sweep overrides ({@code a=1,2},
 * {@code range()}, {@code choice()}, {@code glob()}, {@code zip()}) and {@code sweep.params} into
 * jobs ({@link dev.stepwise.launch.SweepPlan}), the sweep directory
 * {@code multirun/<config-name>/<date>/<time>/<job>/} with {@code multirun.conf} and
 * {@code summary.tsv} ({@link dev.stepwise.launch.MultirunDir}), the launchers of the
 * {@code launcher} config group ({@code serial}, {@code local}, {@code slurm}) and
 * {@code --resume}. Loads no DJL class.
 */
package dev.stepwise.launch;
