/**
 * Greedy layer-wise pretraining of stacked (contractive, plain or denoising) autoencoders, the MLP
 * classifier they initialise, and supervised fine-tuning with early stopping. Options are validated
 * records; the pretrainer holds options only and builds fresh state on every call.
 */
package io.github.cae4j.pretrain;
