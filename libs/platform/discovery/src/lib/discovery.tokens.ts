/** Injection token of the {@link Registrar} chosen by `DiscoveryModule`. */
export const REGISTRAR = Symbol.for('nestkit.discovery.registrar');

/** Injection token of the {@link Instancer} chosen by `DiscoveryModule`. */
export const INSTANCER = Symbol.for('nestkit.discovery.instancer');

/** Injection token of the {@link SelfRegistration} options of this process. */
export const SELF_REGISTRATION = Symbol.for('nestkit.discovery.self');
