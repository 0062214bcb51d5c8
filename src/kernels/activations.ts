/** Activation functions the nets and kernels support. */
export type Activation = 'linear' | 'relu' | 'tanh' | 'sigmoid';

export const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'tanh', 'sigmoid'];

/** The shaders' ACTIVATION override value for each activation. */
export const ACTIVATION_CODE: Record<Activation, number> = { linear: 0, relu: 1, tanh: 2, sigmoid: 3 };
