/** Injection token of the service's readiness indicators (an array). */
export const READINESS_INDICATORS = Symbol.for('nestkit.health.readiness-indicators');
