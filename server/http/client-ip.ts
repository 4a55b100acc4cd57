import { BlockList, isIPv4 } from 'node:net';
import { normalizeIp } from './ip.ts';

/**
 * Decides the visitor's address. X-Forwarded-For is believed only when the peer itself is a configured
 * proxy, and then only up to the first hop that is not one of ours: a client can prepend anything.
 */
export function createClientIpResolver(trustedProxies: readonly string[]) {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [addr, bits] = entry.split('/');
    const ip = addr ? normalizeIp(addr) : null;
    if (!ip) throw new Error(`trusted proxy "${entry}" is not an IP address or CIDR range`);
    const type = isIPv4(ip) ? 'ipv4' : 'ipv6';
    if (bits === undefined) trusted.addAddress(ip, type);
    else trusted.addSubnet(ip, Number(bits), type);
  }
  // BlockList.check allocates; the peers of a deployment are a handful of proxies, so remember answers.
  const known = new Map<string, boolean>();
  const isTrusted = (ip: string) => {
    let answer = known.get(ip);
    if (answer === undefined) {
      answer = trusted.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
      if (known.size > 10_000) known.clear();
      known.set(ip, answer);
    }
    return answer;
  };

  return function clientIp(peer: string | undefined, forwardedFor: string | undefined): string | null {
    const remote = peer ? normalizeIp(peer) : null;
    if (!remote) return null;
    if (!forwardedFor || trustedProxies.length === 0 || !isTrusted(remote)) return remote;
    const hops = forwardedFor.split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalizeIp(hops[i]!);
      if (!hop) return remote;
      if (!isTrusted(hop)) return hop;
    }
    return remote;
  };
}
