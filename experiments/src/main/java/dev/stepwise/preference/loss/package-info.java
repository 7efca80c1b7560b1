/**
 * The DPO loss family, one class per loss, named as TRL's {@code DPOConfig.loss_type} names them:
 * {@code sigmoid} (DPO, with {@code label_smoothing} = cDPO), {@code ipo}, {@code hinge}, {@code
 * robust}. Each maps the per-pair logits {@code z = (π_c − π_r) − (ref_c − ref_r)} to per-pair
 * losses; {@link dev.stepwise.preference.loss.DpoLosses} looks them up by name.
 */
package dev.stepwise.preference.loss;
