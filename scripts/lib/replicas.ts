/**
 * Parses `REPLICAS=catalog=3,orders=2` into a map. Unknown services and counts outside 1..10 are
 * errors that name the entry and the accepted form; the gateway always runs once (it owns the port).
 */
export function parseReplicas(spec: string, services: readonly string[]): Map<string, number> {
  const replicas = new Map<string, number>();
  for (const entry of spec.split(',').map((e) => e.trim()).filter(Boolean)) {
    const match = /^([a-z-]+)=(\d+)$/.exec(entry);
    const [name, count] = match ? [match[1], Number(match[2])] : ['', 0];
    if (!match || !services.includes(name) || name === 'gateway' || count < 1 || count > 10) {
      const allowed = services.filter((s) => s !== 'gateway').join(', ');
      throw new Error(`REPLICAS: "${entry}" is not <service>=<1..10> with service one of ${allowed} (e.g. REPLICAS=catalog=3)`);
    }
    replicas.set(name, count);
  }
  return replicas;
}
