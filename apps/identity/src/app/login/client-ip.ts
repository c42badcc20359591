/**
 * The client's address: the socket peer, or, behind `trustedHops` proxies that each append to
 * `x-forwarded-for`, the entry the outermost trusted proxy appended. Entries further left were written
 * by the client and are never trusted.
 */
export function clientIp(peer: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  const fallback = peer ?? 'unknown';
  if (trustedHops === 0 || forwardedFor === undefined) return fallback;
  const chain = [forwardedFor]
    .flat()
    .join(',')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return chain[chain.length - trustedHops] ?? chain[0] ?? fallback;
}
